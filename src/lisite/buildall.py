"""``lisite build-all``: one site per municipality, built side by side in a pool of processes.

Each municipality gets a folder ``<output>/<code>/``: a copy of a template site (the demo unless
``--template`` names another) whose ``[municipality]`` is set to that municipality, with synthetic
sample data sized like it (:func:`lisite.sampledata.generate`) in ``sample_data/``. A folder that
already holds a ``lisite.toml`` keeps its sample data; the files it got from the template are brought up to date
with the template (:func:`refresh`: a file edited in the folder is kept as it is, and named), and when nothing
the site is made from changed since its last build (:func:`lisite.unchanged.kept`, as ``lisite build`` finds
it), its site is kept and nothing is written: a second run builds only the municipalities whose data, template
or lisite changed.

Each process in the pool makes one site's data and builds it with ``LISITE_WORKERS=1``: the pool is
the parallelism, a build does not start a pool of its own. The largest municipalities go first, so
the small ones fill the gaps at the end. ``--shard I/N`` keeps every N-th municipality starting with
the I-th, which lets a CI matrix or a Kubernetes Indexed Job run the same command as N jobs.

:func:`fixed_cost` splits the build time into a cost every site pays and a cost per case row.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import statistics
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

# TEMPLATE_RECORD: in a municipality's folder, the files it got from the template, by digest
from lisite.reuse import TEMPLATE_RECORD
from lisite.sampledata.kommuner import KOMMUNER, Kommune, find

SAMPLE_DIR = "sample_data"
NOT_FROM_TEMPLATE = ("_site", ".git", SAMPLE_DIR, "__pycache__", TEMPLATE_RECORD)  # nor any "*.pyc"


@dataclass(frozen=True)
class SiteResult:
    """One municipality's outcome: the times are wall seconds in its worker; ``error`` is empty on success."""

    code: int
    name: str
    site: Path
    rows: int = 0  # data rows of sample_data/sager.csv (case rows)
    data_seconds: float = 0.0  # making the sample data (0 when the folder was reused)
    build_seconds: float = 0.0
    pages: int = 0
    error: str = ""
    kept: bool = False  # nothing changed since the site's last build: kept as it was, not built
    renewed: int = 0  # files of a reused folder brought up to date with the template
    edited: tuple[str, ...] = ()  # files of a reused folder edited there, kept as they are (not the template's)
    reused: tuple[str, ...] = ()  # audiences read back from the site's last build (only texts they did not read changed)


def select(codes: list[int] | None, shard: tuple[int, int] = (1, 1)) -> list[Kommune]:
    """The chosen municipalities (all 98 when ``codes`` is None) in code order, then the shard's share of them."""
    chosen = list(KOMMUNER) if codes is None else [find(code) for code in dict.fromkeys(codes)]
    chosen.sort(key=lambda k: k.code)
    index, count = shard
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: I must be between 1 and N")
    return chosen[index - 1::count]


def parse_shard(text: str) -> tuple[int, int]:
    """``"3/8"`` → ``(3, 8)``; ValueError for anything else."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ValueError(f"'{text}' is not I/N with 1 ≤ I ≤ N")
    return int(match[1]), int(match[2])


def set_municipality(config_text: str, kommune: Kommune) -> str:
    """The template's lisite.toml with its ``[municipality]`` table replaced by this municipality's code and name."""
    table = f'[municipality]\ncode = {kommune.code}\nname = "{kommune.name}"\n'
    pattern = re.compile(r"^\[municipality\][ \t]*\n(?:(?!\[).*\n?)*", re.M)
    if pattern.search(config_text):
        return pattern.sub(lambda _: table + "\n", config_text, count=1)
    return config_text.rstrip("\n") + "\n\n" + table


def prepare(site: Path, kommune: Kommune, template: Path | None, seed: int) -> bool:
    """Make the municipality's site folder with its sample data; False when a finished folder is reused."""
    from lisite import sampledata
    from lisite.output import write_atomic

    if (site / "lisite.toml").is_file():
        return False
    if site.exists():
        shutil.rmtree(site)  # a folder left half-made by an interrupted run
    wanted = from_template(template, kommune)
    for path, data in wanted.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    (site / "plugins").mkdir(exist_ok=True)
    sampledata.generate(site / SAMPLE_DIR, seed=seed, kommune=kommune.code)
    write_atomic(site / TEMPLATE_RECORD, record_of({path: _digest(data) for path, data in wanted.items()}), mode=0o644)
    return True


def from_template(template: Path | None, kommune: Kommune) -> dict[str, bytes]:
    """What a municipality's folder gets from its template, by path: every file of the template folder but its
    output, sample data, version control and bytecode, or with no template the demo's configuration, texts and
    translations (as ``lisite init`` copies them); ``lisite.toml`` set to the municipality."""
    from lisite.resources import data_root
    from lisite.scaffold import GITIGNORE, SITE_PARTS

    root = Path(template) if template is not None else data_root()
    tops = [root / part for part in SITE_PARTS] if template is None else sorted(root.iterdir())
    files: dict[str, bytes] = {} if template is not None else {".gitignore": GITIGNORE.encode("utf-8")}
    for top in tops:
        for path in ([top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())):
            name = path.relative_to(root).as_posix()
            if from_the_template(name):
                files[name] = path.read_bytes()
    if "lisite.toml" not in files:
        raise FileNotFoundError(f"{root / 'lisite.toml'}: the template has no lisite.toml")
    files["lisite.toml"] = set_municipality(files["lisite.toml"].decode("utf-8"), kommune).encode("utf-8")
    return files


def from_the_template(name: str) -> bool:
    """Whether a file of the template folder (its path there, with ``/``) is one a municipality's folder gets: not its
    output, sample data, version control, bytecode or record."""
    return not any(part in NOT_FROM_TEMPLATE or part.endswith(".pyc") for part in name.split("/"))


def inside(name: str) -> bool:
    """Whether a path read from a record names a file inside the folder: relative, without ``..``, a drive or ``\\``."""
    return bool(name) and not name.startswith("/") and ":" not in name and "\\" not in name and ".." not in name.split("/")


def refresh(site: Path, kommune: Kommune, template: Path | None) -> tuple[int, list[str]]:
    """Bring a reused folder's files from the template up to date with it: (how many were renewed, the files edited in
    or deleted in the folder, left as they are).

    Only a file as the template last gave it is replaced (or deleted, when the template no longer has it), and a new
    file of the template is added; a file edited or deleted in the folder, and every file the folder has of its own, is
    left as it is. A folder with no record of what it got (made before records were kept, or by hand) is built as
    it stands."""
    from lisite.output import write_atomic

    try:
        given = json.loads((site / TEMPLATE_RECORD).read_text(encoding="utf-8"))["files"]
        if not isinstance(given, dict):
            return 0, []
        # only paths a template can give, each with a digest: nothing outside the folder, its data or its output
        given = {path: digest for path, digest in given.items()
                 if inside(path) and from_the_template(path) and isinstance(digest, str)}
    except (OSError, ValueError, KeyError, TypeError):
        return 0, []
    wanted = from_template(template, kommune)
    renewed, edited, record = 0, [], {}
    for path in sorted(set(wanted) | set(given)):
        target = site / path
        now = _digest(target.read_bytes()) if target.is_file() else None
        new = _digest(wanted[path]) if path in wanted else None
        if new is not None and now == new:
            record[path] = now
        elif now == given.get(path) and (now is not None or path not in given):  # as given, or new in the template
            if new is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, wanted[path], mode=0o644)
                record[path] = new
            else:
                target.unlink()
            renewed += 1
        elif path in wanted or now is not None:  # edited or deleted in the folder: the folder's own, as it is
            edited.append(path)
            if path in given and path in wanted:  # still "given as it was": a later template is not put over it
                record[path] = given[path]
        # (else deleted in the folder, and the template no longer has it: nothing to do)
    if record != given:
        write_atomic(site / TEMPLATE_RECORD, record_of(record), mode=0o644)
    return renewed, edited


def record_of(files: dict[str, str]) -> bytes:
    return json.dumps({"files": dict(sorted(files.items()))}, indent=1).encode("utf-8")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def case_rows(site: Path) -> int:
    """Data rows in the site's sample_data/sager.csv (below its title line and header); 0 if there is none."""
    path = site / SAMPLE_DIR / "sager.csv"
    if not path.is_file():
        return 0
    with path.open(encoding="utf-8") as lines:
        return max(sum(1 for _ in lines) - 2, 0)


def make_and_build(kommune: Kommune, output: Path, template: Path | None, seed: int) -> SiteResult:
    """One pool task: the site's data, then its build (unless nothing changed since the last); any failure becomes
    the result's error, not an exception."""
    from lisite import unchanged
    from lisite.build import build

    os.environ["LISITE_WORKERS"] = "1"  # the pool is the parallelism: no pool inside a build
    result = SiteResult(kommune.code, kommune.name, output / str(kommune.code))
    started = time.perf_counter()
    try:
        made = prepare(result.site, kommune, template, seed)
        renewed, edited = (0, []) if made else refresh(result.site, kommune, template)
    except Exception as exc:
        return _failed(result, exc)
    result = replace(result, rows=case_rows(result.site), data_seconds=time.perf_counter() - started if made else 0.0,
                     renewed=renewed, edited=tuple(edited))
    started = time.perf_counter()
    if not made:
        earlier = unchanged.kept(result.site, None, False, None)  # never raises: anything odd means a build
        if earlier is not None:
            return replace(result, build_seconds=time.perf_counter() - started, pages=sum(earlier.pages.values()), kept=True)
    try:
        report = build(result.site)
    except Exception as exc:
        return _failed(replace(result, build_seconds=time.perf_counter() - started), exc)
    return replace(result, build_seconds=time.perf_counter() - started, pages=sum(report.pages.values()),
                   reused=tuple(report.reused))


def _failed(result: SiteResult, exc: Exception) -> SiteResult:
    message = exc.format_message() if hasattr(exc, "format_message") else f"{type(exc).__name__}: {exc}"
    return replace(result, error=message.strip() or type(exc).__name__)


def build_all(kommuner: list[Kommune], output: Path, workers: int, template: Path | None = None,
              seed: int = 2026) -> Iterator[SiteResult]:
    """Make and build every municipality's site in ``workers`` processes; yields each result as it finishes."""
    output = Path(output).resolve()
    output.mkdir(parents=True, exist_ok=True)
    template = Path(template).resolve() if template is not None else None
    largest_first = sorted(kommuner, key=lambda k: (-k.inhabitants, k.code))
    with pool_of(workers) as pool:
        futures = [pool.submit(make_and_build, k, output, template, seed) for k in largest_first]
        for future in as_completed(futures):
            yield future.result()


def pool_of(workers: int) -> ProcessPoolExecutor:
    """The processes that build the sites: spawned, not forked (a worker starts clean even when the caller holds threads
    or a chart renderer), each with the garbage collector set as the command that started them set its own."""
    from lisite.cli import collect_less

    return ProcessPoolExecutor(max_workers=max(1, workers), mp_context=multiprocessing.get_context("spawn"),
                               initializer=collect_less)


def fixed_cost(results: list[SiteResult]) -> tuple[float, float] | None:
    """Least-squares fit of build seconds = fixed + per_row × case rows over the sites built whole: (fixed, per_row).

    A site kept, or with audiences read back from its last build, is no measure of a build. None when fewer than two
    different row counts were built whole (no line through one point), and when the line says something no build
    does: that more case rows take less time, or that a site with none takes less than nothing (sites too alike in
    size for the time's ups and downs to be told from the rows' share: two small municipalities, say)."""
    built = [(r.rows, r.build_seconds) for r in whole_builds(results)]
    if len({rows for rows, _ in built}) < 2:
        return None
    n = len(built)
    mean_x = sum(x for x, _ in built) / n
    mean_y = sum(y for _, y in built) / n
    per_row = sum((x - mean_x) * (y - mean_y) for x, y in built) / sum((x - mean_x) ** 2 for x, _ in built)
    fixed = mean_y - per_row * mean_x
    return (fixed, per_row) if per_row >= 0 and fixed >= 0 else None


def median_build(results: list[SiteResult]) -> float | None:
    """The median build seconds of the sites built whole (None if none was): the cost per site when
    :func:`fixed_cost` finds no line to split it by."""
    seconds = [r.build_seconds for r in whole_builds(results)]
    return statistics.median(seconds) if seconds else None


def whole_builds(results: list[SiteResult]) -> list[SiteResult]:
    """The sites built whole: every audience made, none kept or read back."""
    return [r for r in results if not r.error and not r.kept and not r.reused]


def summary(results: list[SiteResult], wall: float, lang: str = "da") -> list[str]:
    """The closing lines, in ``lang``: totals, sites per minute, the sites kept unchanged, the fixed cost per site and
    the failures."""
    t, n = _words(lang)
    built = [r for r in results if not r.error and not r.kept]
    kept = [r for r in results if r.kept]
    lines = [t("cli.build_all.total", built=n(len(built)), total=n(len(results)), seconds=n(wall, 1),
               per_minute=n(60 * len(built) / wall if wall else 0, 1))]
    if kept:
        lines.append(t("cli.build_all.kept_total", kept=n(len(kept)), total=n(len(results))))
    lines.append(t("cli.build_all.seconds", data=n(sum(r.data_seconds for r in results), 1),
                   builds=n(sum(r.build_seconds for r in results if not r.kept), 1)))
    fit, median = fixed_cost(results), median_build(results)
    if fit:
        lines.append(t("cli.build_all.fixed", fixed=n(fit[0], 2), per_row=n(1000 * fit[1], 2), n=n(len(whole_builds(results)))))
    elif median is not None:
        lines.append(t("cli.build_all.median", seconds=n(median, 2), n=n(len(whole_builds(results)))))
    for r in sorted(results, key=lambda r: r.code):
        if r.error:
            lines.append(t("cli.build_all.error", code=r.code, name=r.name, error=r.error))
    return lines


def site_line(result: SiteResult, lang: str = "da") -> str:
    """One finished municipality, as printed (in ``lang``) while the others still build."""
    t, n = _words(lang)
    head = {"code": result.code, "name": result.name}
    if result.error:
        first = " ".join(line.strip() for line in result.error.splitlines() if line.strip())
        return t("cli.build_all.failed", **head, seconds=n(result.data_seconds + result.build_seconds, 1), error=first[:200])
    counts = {"rows": n(result.rows), "pages": n(result.pages)}
    if result.kept:
        line = t("cli.build_all.kept", **head, seconds=n(result.build_seconds, 2), **counts)
    else:
        data = t("cli.build_all.data", seconds=n(result.data_seconds, 1)) if result.data_seconds else t("cli.build_all.data_reused")
        line = t("cli.build_all.built", **head, data=data, seconds=n(result.build_seconds, 1), **counts)
    if result.renewed:
        line += "; " + t("cli.build_all.renewed_one" if result.renewed == 1 else "cli.build_all.renewed", count=n(result.renewed))
    if result.reused:
        line += "; " + t("cli.build_all.reused", audiences=", ".join(result.reused))
    if result.edited:
        line += "; " + t("cli.build_all.edited", files=", ".join(result.edited))
    return line


def _words(lang: str) -> tuple[Callable[..., str], Callable[..., str]]:
    """The catalogue's words in ``lang`` and its numbers (``1.234,5`` in Danish, ``1,234.5`` in English)."""
    from lisite.fmt import number, words

    return words(lang), lambda value, digits=0: number(value, digits, lang)


def run(kommuner: list[Kommune], output: Path, workers: int, template: Path | None = None, seed: int = 2026,
        echo: Callable[[str], None] = print, lang: str = "da") -> list[SiteResult]:
    """Build them all, echoing a line per site and the summary (in ``lang``); returns the results in code order."""
    started = time.perf_counter()
    results = []
    for result in build_all(kommuner, output, workers, template, seed):
        echo(site_line(result, lang))
        results.append(result)
    for line in summary(results, time.perf_counter() - started, lang):
        echo(line)
    return sorted(results, key=lambda r: r.code)
