"""Load every configured source and check it against its dataset spec.

Loader plugins return text; this module maps the export's own headers and
values to the data model (``[sources.<name>.columns]`` and ``.values``),
turns text into typed columns and reports each bad value with file, line,
column and what was expected. Then the rules a spec declares (unique ids,
smallest allowed numbers, end not before start) and the checks across
datasets (references to other datasets, dates after the reporting period,
the units listed in ``[organisation]``: :mod:`lisite.crosschecks`). All
problems are collected before anything stops, so a user sees them at once.
How a problem words rows, values and near misses: :mod:`lisite.wording`.

Every message is in the site's language: the words come from the catalogue
(``locales/<lang>/problems.toml``, keys ``problems.*``) through the translator
``t`` the caller passes (``lisite.fmt.words(config.language)`` when none).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from lisite import credentials, database, workers, wording
from lisite.cache import BuildCache, DataKey, MemoKey
from lisite.config import CONFIG_FILE, Config, header_key
from lisite.crosschecks import cross_checks
from lisite.dbsource import TODAY, is_database
from lisite.disk import unpickled, words_digest
from lisite.errors import PluginError, SourceError
from lisite.fmt import words
from lisite.i18n import Translator
from lisite.model import Dataset, DatasetSpec, Lines, Problem, in_language
from lisite.numbers import read_numbers
from lisite.totals import summary_rows

TRUE = {"ja", "j", "1", "true", "sand", "x", "yes", "y"}
FALSE = {"nej", "n", "0", "false", "falsk", "no"}
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y",
                # a date written with the time midnight, as systems that keep every date as a time write it
                "%d-%m-%Y 00:00", "%d-%m-%Y 00:00:00", "%Y-%m-%d 00:00", "%Y-%m-%d 00:00:00", "%Y-%m-%dT00:00:00")
DATETIME_FORMATS = ("%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S")


@dataclass
class LoadResult:
    """Typed datasets and every problem found while loading them."""

    datasets: dict[str, Dataset] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: per complete dataset: True for the rows without an error (every value parsed and allowed)
    usable: dict[str, pd.Series] = field(default_factory=dict)

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: ds.frame for name, ds in self.datasets.items()}

    def usable_frames(self) -> dict[str, pd.DataFrame]:
        """The datasets that have all their columns, without the rows that had an error.

        Row labels are kept, so ``attrs["lines"][label]`` still gives each row's line in the file.
        """
        return {name: self.datasets[name].frame[mask] for name, mask in self.usable.items()}


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_all(config: Config, specs: list[DatasetSpec], hook: Any, cache: BuildCache | None = None,
             t: Translator | None = None, loader: str = "", lasting: bool = False, parallel: bool = False,
             kept: BuildCache | None = None, hashed: Any = None, then: Callable[[LoadResult], None] | None = None) -> LoadResult:
    """Load each declared dataset from its source.

    With a ``cache``, a dataset is reused while its spec, source, file content, the words of its
    problems (``t``) and the loader plugins' code (``loader``) are unchanged; a new version replaces
    the old one in the cache. With ``lasting`` (the loaders' code is named by its files' contents), a
    dataset read from a file is also kept on the cache's disk for the next process; rows read from a
    database never are.

    ``t`` words the problems (the site's translator, so a site's catalogue may reword them);
    by default lisite's own catalogue in the site's language. With ``parallel`` (a one-off build) the
    datasets not kept are read in forked workers (:mod:`lisite.workers`); the result is the same.

    ``kept`` (``lisite serve``: the session's cache) keeps each column's typed values by the content of its cells, so a
    dataset read again after an edit of one value types only the edited column again (see :func:`_typed_kept`), and
    the problems of each check across datasets by what it read (see :func:`lisite.crosschecks.cross_checks`). ``hashed`` gives a file's
    sha256 as :func:`file_hash` does (serve's :class:`lisite.live.Stamps`, which reads again only a file whose stat
    changed); ``""`` for a file it cannot read, which is then read here to say why.

    ``then(result)``: the caller's own work on the datasets read (the build prepares them, :func:`prepare`), done only
    when none of them has an error, while the checks across datasets are made (in workers with ``parallel``). An
    exception of its is raised once the checks are made, unless they found an error: that error is then what the
    caller has to say (as it was before anything was prepared).
    """
    t = t if t is not None else words(config.language)
    result = LoadResult()
    by_name = {spec.name: spec for spec in specs}
    for name in config.sources:
        if name not in by_name:
            result.problems.append(Problem(
                t("problems.unknown_source", name=name, maybe=wording.maybe(name, by_name, t), known=", ".join(sorted(by_name))),
                file=CONFIG_FILE))
    found: list[tuple[DatasetSpec, str, Any]] = []  # per dataset, in order: ("problem", it), ("kept", value) or ("read", job)
    for spec in specs:
        source = config.sources.get(spec.name)
        if source is None:
            if spec.required:
                found.append((spec, "problem", Problem(t("problems.missing_dataset", name=spec.name, title=spec.title), file=CONFIG_FILE)))
            continue
        path = (config.site_dir / source.path).resolve() if source.path else config.site_dir
        if source.kind:  # Danmarks Statistik: the answers `lisite fetch` stored in the site folder
            lacking = _dst_missing(config, source, spec, t)
            if lacking:
                found.append((spec, "problem", lacking))
                continue
        if source.path:
            wrong = _not_a_data_file(path, t)
            if wrong:
                found.append((spec, "problem", Problem(wrong, file=source.path, dataset=spec.name)))
                continue
        raw = None
        if is_database(source):  # read first: no file says whether a database's rows have changed
            raw, problem = _fetch(spec, source, path, hook, t)
            if raw is None:
                found.append((spec, "problem", problem))
                continue
            content = f"{raw.attrs['sha256']} {raw.attrs.get('extracted', '')}"
        else:
            try:
                content = ((hashed and hashed(path)) or file_hash(path)) if source.path else source.query or _dst_digest(config, source)
            except OSError as exc:  # unreadable (permissions, a vanished file): named, never a traceback
                found.append((spec, "problem", Problem(t("problems.unreadable", error=exc.strerror or exc), file=source.path, dataset=spec.name)))
                continue
        key = DataKey(spec.name, spec, source, content, loader, words_digest(t))  # the words are in the problems
        cached = cache.get_kept(key) if cache is not None else None
        found.append((spec, "kept", cached) if cached is not None else (spec, "read", (key, source, path, raw, content)))
    jobs = [job for _, kind, job in found if kind == "read"]
    here = os.getpid()
    disk = cache.disk if cache is not None and lasting else None

    def read_one(job: tuple) -> Any:
        key, source, path, raw, content = job
        value = _load_one(key.spec, source, path, hook, t, raw, content, kept)
        # in a worker: pickled once there, written for the next process and sent back as those bytes (not pickled again)
        found = disk.pickled(key, value) if disk is not None and os.getpid() != here and not is_database(source) else None
        return value if found is None else Written(data=found)

    read = iter(workers.each(read_one, jobs, parallel=parallel and len(jobs) > 1, weight=_size))
    for spec, kind, value in found:
        if kind == "problem":
            result.problems.append(value)
            continue
        if kind == "read":
            key, source = value[:2]
            value = next(read)
            written = isinstance(value, Written)
            value = value.value if written else value
            if cache is not None:
                name = spec.name
                cache.put_kept(key, value, lasting and not is_database(source) and not written,
                               replaces=lambda old: isinstance(old, DataKey) and old.dataset == name)
        dataset, problems, usable = value
        result.problems.extend(problems)
        if dataset is not None:
            result.datasets[spec.name] = dataset
            if usable is not None:
                result.usable[spec.name] = usable
    failed: list[Exception] = []

    def meanwhile() -> None:
        try:
            then(result)
        except Exception as exc:  # noqa: BLE001 (raised below, once the checks have said whether the data is wrong)
            failed.append(exc)

    readable = then is not None and not any(p.severity == "error" for p in result.problems)
    result.problems += cross_checks(config, result, by_name, t, kept, parallel=parallel, meanwhile=meanwhile if readable else None)
    if failed and not any(p.severity == "error" for p in result.problems):
        raise failed[0]
    name_headers(result.problems, result.datasets)
    in_language(result.problems, t.lang)
    return result


class Written:
    """A dataset read in a worker and written to the disk cache there (:meth:`lisite.disk.DiskCache.pickled`): it travels
    back as those bytes, read back as it arrives (by the pool's result thread, while the other datasets are read)."""

    def __init__(self, value: Any = None, data: bytes = b"") -> None:
        self.value, self.data = value, data

    def __reduce__(self) -> tuple:
        return _arrived, (self.data,)


def _arrived(data: bytes) -> Written:
    return Written(unpickled(data))


def _dst_digest(config: Config, source: Any) -> str:
    from lisite import dst

    extra = [config.site_dir / source.socio_indeks] if source.socio_indeks else []
    return dst.digest(config.site_dir, dst.queries(source), extra)


def _dst_missing(config: Config, source: Any, spec: DatasetSpec, t: Translator) -> Problem | None:
    """A problem naming the source and the tables whose answers are not stored yet (run ``lisite fetch``)."""
    from lisite import dst

    lacking = dst.missing(config.site_dir, dst.queries(source))
    if not lacking:
        return None
    files = ", ".join(f"{q.table} ({dst.FOLDER}/{q.stem}.csv)" for q in lacking)
    return Problem(t("problems.dst_missing", name=source.name, files=files), file=CONFIG_FILE, dataset=spec.name)


def _not_a_data_file(path: Path, t: Translator) -> str:
    """Why ``path`` cannot be read as a data file (missing, a folder, a FIFO or device, empty), or ``""``."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return t("problems.file_missing", path=path)
    except OSError as exc:
        return t("problems.unreadable", error=exc.strerror or exc)
    if stat.S_ISDIR(mode):
        return t("problems.file_is_folder", path=path)
    if not stat.S_ISREG(mode):
        return t("problems.file_not_regular", path=path)
    if path.stat().st_size == 0:
        return t("problems.file_empty")
    return ""


def _fetch(spec: DatasetSpec, source: Any, path: Path, hook: Any, t: Translator) -> tuple[pd.DataFrame | None, Problem | None]:
    """The loader plugins' frame of text, or the problem that says why there is none.

    A loader's error is shown without the passwords the source's variables hold (a database
    source's own errors are already worded so, in the site's language). A database's rows get
    ``attrs["sha256"]``, a hash of what was read, in place of a file's hash.
    """
    label = source.described
    try:
        raw = hook(source=source, path=path, spec=spec)
    except Exception as exc:  # a loader's error names the file
        secrets = credentials.secrets_of(source)
        found = exc if isinstance(exc, SourceError) else exc.__cause__  # the plugin manager wraps it, naming the plugin
        if isinstance(found, SourceError):  # what the loader found, in the site's words, at its line and column
            said = credentials.scrub(t(f"problems.{found.key}", **found.values), secrets)
            return None, Problem(said, file=label, row=found.row, column=found.column, dataset=spec.name)
        said = exc.worded(t) if isinstance(exc, database.SourceError) else t("problems.unreadable", error=exc)
        return None, Problem(credentials.scrub(said, secrets), file=label, dataset=spec.name)
    if raw is None:
        return None, Problem(t("problems.no_loader", format=source.format or path.suffix), file=label, dataset=spec.name)
    if is_database(source):
        raw.attrs["sha256"] = frame_digest(raw)
    return raw, None


def frame_digest(frame: pd.DataFrame, lines: bool = True) -> str:
    """A hash of a frame's headers, types, cells and (``lines``) row numbers.

    For a database's rows it stands where a file's hash stands; for a typed dataset without its row
    numbers it is the same whatever format the data came in (the manifest's ``content``).
    """
    digest = hashlib.sha256("\0".join(f"{c}:{t}" for c, t in frame.dtypes.items()).encode())
    try:
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    except TypeError:  # unhashable cells (lists, dicts): their text
        digest.update(frame.to_csv(index=False).encode())
    if lines:
        digest.update(repr(tuple(frame.attrs.get("lines") or ())).encode())
    return digest.hexdigest()


def _size(job: tuple) -> int:
    """How much a read is: its file's bytes (a database's rows are read already)."""
    _, source, path, _, _ = job
    try:
        return path.stat().st_size if source.path else 0
    except OSError:
        return 0


def _load_one(spec: DatasetSpec, source: Any, path: Path, hook: Any, t: Translator,
              raw: pd.DataFrame | None = None, content: str = "",
              columns: BuildCache | None = None) -> tuple[Dataset | None, list[Problem], pd.Series | None]:
    label = source.described
    if raw is None:
        raw, problem = _fetch(spec, source, path, hook, t)
        if raw is None:
            return None, [problem], None
    raw, totals = _without_totals(raw, spec, source, label, t)
    totals += [Problem(t("problems.setting_unused", source=source.name, setting=key, value=getattr(source, key, "")), file=CONFIG_FILE,
                       severity="warning", dataset=spec.name) for key in raw.attrs.get("unused", ())]
    if len(raw) == 0:  # a header and nothing below it: a failed or empty export, not a dataset
        return None, [*totals, Problem(t("problems.no_rows"), file=label, dataset=spec.name)], None
    if getattr(source, "decimal", ""):
        raw.attrs["decimal"] = source.decimal
    mapped, headers, problems = map_source(raw, spec, source, label, t)
    problems = totals + problems
    usable = None
    if mapped is None:
        frame = pd.DataFrame()
    else:
        frame, found, usable = _convert(mapped, spec, label, headers, t, columns)
        problems += found
    digest = raw.attrs.get("sha256") or (
        (content or file_hash(path)) if source.path else hashlib.sha256((content or source.query).encode()).hexdigest())
    said = "" if source.extracted == TODAY else source.extracted  # "today": the day the loader read the rows
    extracted = said or raw.attrs.get("extracted", "") or date_in(raw.attrs.get("title", ""))
    dataset = Dataset(spec, frame, label, digest, extracted)
    return dataset, problems, usable


def _without_totals(raw: pd.DataFrame, spec: DatasetSpec, source: Any, label: str,
                    t: Translator) -> tuple[pd.DataFrame, list[Problem]]:
    """An export without its summary rows ("I alt", "Total"), and a warning for each (see :mod:`lisite.totals`)."""
    if not raw.attrs.get("export") or len(raw) == 0:
        return raw, []
    found = summary_rows(raw, spec, source.column_map)
    if not found:
        return raw, []
    lines = wording.file_lines(raw)
    drop = {position for position, _, _ in found}
    problems = [Problem(t("problems.summary_row", label=cell), file=label, row=lines[position], column=header,
                        severity="warning", dataset=spec.name) for position, header, cell in found]
    attrs = dict(raw.attrs)
    kept = [i for i in range(len(raw)) if i not in drop]
    out = raw.iloc[kept].reset_index(drop=True)
    out.attrs = {**attrs, "lines": Lines(lines[i] for i in kept)}
    return out, problems


def date_in(text: str) -> str:
    """The first date in a title line such as 'Udtræk ... pr. 30-09-2026', as ``YYYY-MM-DD``."""
    found = re.search(r"\b(\d{2})[-.](\d{2})[-.](\d{4})\b", text or "")
    if found:
        return f"{found.group(3)}-{found.group(2)}-{found.group(1)}"
    found = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text or "")
    return found.group(0) if found else ""


# --- Mapping the export's headers and values to the model ------------------------------


def map_source(raw: pd.DataFrame, spec: DatasetSpec, source: Any, label: str,
               t: Translator | None = None) -> tuple[pd.DataFrame | None, dict[str, str], list[Problem]]:
    """Rename the export's headers to the model's columns and translate its values.

    A header matches its model column (or the header ``[sources.<name>.columns]`` names for
    it) with case and surrounding spaces ignored. An optional column may be absent (it is then
    empty). Returns the renamed frame (``None`` when a required or mapped column is missing),
    the file's header for each model column, and the problems found.
    """
    t = t if t is not None else words("da")
    problems: list[Problem] = []
    names = [col.name for col in spec.columns]
    mapping = source.column_map if source is not None else {}
    values = source.value_map if source is not None else {}
    for table, what in ((mapping, "columns"), (values, "values")):
        for column in table:
            if column not in names:
                problems.append(Problem(
                    t("problems.mapping_unknown_column", dataset=spec.name, table=what, column=column,
                      maybe=wording.maybe(column, names, t), columns=", ".join(names)),
                    file=CONFIG_FILE, dataset=spec.name))
    headers_in_file = [str(c) for c in raw.columns]
    exact = {h: h for h in headers_in_file}
    loose: dict[str, str] = {}
    for h in headers_in_file:
        loose.setdefault(header_key(h), h)
    headers: dict[str, str] = {}
    missing: list[str] = []
    for name in names:
        wanted = mapping.get(name, name)
        found = exact.get(wanted) if wanted in exact else loose.get(header_key(wanted))
        if found is None:
            if spec.column(name).required or name in mapping:  # an optional column may be absent from the export
                missing.append(name)
        else:
            headers[name] = found
    if missing:
        problems.append(_missing(spec, missing, mapping, headers_in_file, set(headers.values()), label, t))
        return None, headers, problems
    out = pd.DataFrame({name: raw[headers[name]].to_numpy() for name in names if name in headers})
    for h in headers_in_file:  # other columns go along untouched
        if h not in headers.values() and h not in out.columns:
            out[h] = raw[h].to_numpy()
    for column, table in values.items():
        if column in out.columns:
            text = out[column].fillna("").astype(str).str.strip()
            out[column] = text.map(lambda v: table.get(v, v))
    out.attrs.update(raw.attrs)
    return out, {name: h for name, h in headers.items() if h != name}, problems


def _missing(spec: DatasetSpec, missing: list[str], mapping: dict[str, str], found: list[str], used: set[str], label: str,
             t: Translator) -> Problem:
    """One problem naming the missing columns, the headers found and the closest header for each.

    The file's headers are quoted only when at least one of the dataset's columns was found, as
    named or close to it (the suggestions): a file with none of them may not be an export at all
    (``/etc/passwd``), and its first line is not repeated.
    """
    recognised = bool(used) or any(wording.closest(mapping.get(name, name), found) or wording.closest(name, found) for name in missing)
    if not recognised:
        return Problem(t("problems.missing_columns_unrecognised", missing=", ".join(missing), n=len(found), dataset=spec.name),
                       file=label, column=missing[0], dataset=spec.name)
    message = t("problems.missing_columns", missing=", ".join(missing), found=", ".join(found))
    free = [h for h in found if h not in used]
    hints, lines = [], []
    for name in missing:
        wanted = mapping.get(name, name)
        close = wording.closest(wanted, free) or wording.closest(name, free)
        maybe = t("problems.maybe", close=close) if close else ""
        if name in mapping:
            hints.append(t("problems.mapped_header_missing", dataset=spec.name, name=name, wanted=wanted, maybe=maybe))
        elif close:
            hints.append(t("problems.missing_column", name=name, maybe=maybe))
            lines.append(f'{name} = "{close}"')
    if hints:
        message += " " + "; ".join(hints) + "."
    if lines:
        message += t("problems.add_columns", dataset=spec.name, lines=", ".join(lines), file=CONFIG_FILE)
    return Problem(message, file=label, column=missing[0], dataset=spec.name)


# --- Types and the rules of one dataset --------------------------------------------------


def convert(raw: pd.DataFrame, spec: DatasetSpec, label: str, headers: dict[str, str] | None = None,
            t: Translator | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn a frame of strings into typed columns; report every value that does not fit (in ``t``'s language)."""
    t = t if t is not None else words("da")
    if any(col.name not in raw.columns for col in spec.columns):
        mapped, found, problems = map_source(raw, spec, None, label, t)
        if mapped is None:
            return pd.DataFrame(), in_language(problems, t.lang)
        raw, headers = mapped, found
    frame, problems, _usable = _convert(raw, spec, label, headers or {}, t)
    return frame, in_language(problems, t.lang)


def _convert(raw: pd.DataFrame, spec: DatasetSpec, label: str, headers: dict[str, str],
             t: Translator, columns: BuildCache | None = None) -> tuple[pd.DataFrame, list[Problem], pd.Series]:
    """Typed frame, problems, and a mask of the rows without an error."""
    lines = Lines(raw.attrs.get("lines") or range(2, len(raw) + 2))
    problems: list[Problem] = []
    out = pd.DataFrame(index=range(len(raw)))
    failed = pd.Series(False, index=out.index)

    def report(column: str, mask: pd.Series, text: pd.Series, what: str, severity: str = "error", quote: bool = True) -> None:
        nonlocal failed
        problems.extend(wording.problems_at(label, spec.name, column, lines, mask, text, what, t, severity, headers.get(column, ""), quote))
        if severity == "error":
            failed |= mask

    for col in spec.columns:
        if col.name not in raw.columns:  # an optional column the export does not have: empty
            out[col.name] = _typed(pd.Series("", index=out.index, dtype=object), col.type)[1]
            continue
        text, values, bad, ambiguous = _typed_kept(raw[col.name], col.type, raw.attrs.get("decimal", ","), columns)
        empty = text == ""
        bad &= ~empty
        if col.required and empty.any():
            report(col.name, empty, text, t("problems.required"))
        if bad.any():
            report(col.name, bad, text, t("problems.expected", what=t(f"problems.types.{col.type}")))
        if ambiguous.any() and col.type in ("date", "datetime"):  # a date outside the years lisite counts with
            if col.required:
                report(col.name, ambiguous, text, t("problems.date_outside_required"))
            else:  # read as no date (31-12-9999 for "no end date"): one warning for the column, however many rows
                problems.append(_outside(ambiguous, text, lines, spec, col.name, label, headers.get(col.name, ""), t))
        elif ambiguous.any():
            report(col.name, ambiguous, text, t("problems.number_ambiguous"))
        if col.choices:
            wrong = ~empty & ~text.isin(col.choices)
            if wrong.any():
                start = len(problems)
                report(col.name, wrong, text, t("problems.one_of", allowed=", ".join(col.choices)))
                first = text[wrong].iloc[0]
                problems[start].message += t(  # once per column: how to translate the export's own values
                    "problems.translate_values", dataset=spec.name, column=col.name, file=CONFIG_FILE, first=first,
                    suggestion=wording.closest(first, col.choices) or col.choices[0])
        if col.min is not None and col.type in ("int", "float"):
            low = values.notna() & (values < col.min)
            if low.any():
                report(col.name, low.fillna(False).astype(bool), text, t("problems.at_least", min=wording.limit(col.min, t.lang)))
        out[col.name] = values
    extras = [str(extra) for extra in raw.columns if extra not in out.columns]
    identifying = [extra for extra in extras if identifies_person(extra)]
    if extras:  # one problem per source; a column that names a person is refused, and never loaded
        message = t("problems.unknown_columns", columns=", ".join(extras))
        if identifying:
            message += " " + t("problems.identifying_columns", columns=", ".join(identifying))
        problems.append(Problem(message, file=label, dataset=spec.name, severity="error" if identifying else "warning"))
    for extra in raw.columns:
        if extra not in out.columns and str(extra) not in identifying:
            out[extra] = raw[extra].reset_index(drop=True)
    out.attrs.update({key: value for key, value in raw.attrs.items() if key not in ("lines", "title")})
    out.attrs["lines"] = lines
    out.attrs["file"] = label
    if headers:
        out.attrs["headers"] = dict(headers)
    header = lambda name: headers.get(name, name)
    for col in spec.columns:
        if col.unique:
            problems += _duplicates(out, spec, col.name, label, lines, header(col.name), t)
    for key in spec.unique:
        problems += _repeated_keys(out, spec, key, label, lines, [header(name) for name in key], t)
    for start, end in spec.order:
        late = (out[end] < out[start]).fillna(False).astype(bool)
        if late.any():  # the text of the late rows only: the others are never quoted
            text = pd.Series([f"{header(end)} {wording.when(e)}, {header(start)} {wording.when(s)}" for s, e in zip(out[start][late], out[end][late])],
                             index=out.index[late], dtype=object)
            report(end, late, text, t("problems.order", end=header(end), start=header(start)), severity="warning", quote=False)
    return out, problems, ~failed


#: Header words that say a column identifies a person (compared casefolded, word by word and run together).
IDENTIFYING_WORDS = frozenset({
    "navn", "navne", "fornavn", "efternavn", "mellemnavn", "fuldenavn", "kaldenavn", "name", "names", "firstname",
    "lastname", "surname", "fullname", "cpr", "cprnr", "cprnummer", "personnr", "personnummer", "fødselsnummer",
    "ssn", "adresse", "adresser", "bopæl", "bopælsadresse", "address", "vejnavn", "postadresse", "telefon",
    "telefonnr", "telefonnummer", "tlf", "tlfnr", "mobil", "mobilnr", "mobilnummer", "phone", "email", "mail",
    "emailadresse", "mailadresse",
})


def identifies_person(header: str) -> bool:
    """True when a header's words say the column identifies a person: ``barnets_navn``, ``CPR-nr.``, ``E-mail``."""
    words = [w for w in re.split(r"[^0-9a-zæøåäöüé]+", str(header).casefold()) if w]
    return any(w in IDENTIFYING_WORDS or w.startswith("cpr") for w in words) or "".join(words) in IDENTIFYING_WORDS


def _outside(mask: pd.Series, text: pd.Series, lines: Lines, spec: DatasetSpec, column: str, label: str, header: str,
             t: Translator) -> Problem:
    """One warning for the dates of a column that lie outside the years lisite counts with, read as no date."""
    message, first = wording.grouped(text[mask], lines, t, "problems.date_outside_one", "problems.date_outside", n=int(mask.sum()))
    return Problem(message, file=label, row=first, column=column, severity="warning", dataset=spec.name, header=header)


def _duplicates(frame: pd.DataFrame, spec: DatasetSpec, column: str, label: str, lines: Lines, header: str,
                t: Translator) -> list[Problem]:
    values = frame[column]
    repeated = values.notna() & values.duplicated(keep=False)
    if not repeated.any():
        return []
    message, first = wording.grouped(values[repeated], lines, t, "problems.duplicates_one", "problems.duplicates")
    return [Problem(message, file=label, row=first, column=column, severity="warning", dataset=spec.name, header=header)]


def _repeated_keys(frame: pd.DataFrame, spec: DatasetSpec, key: tuple[str, ...], label: str, lines: Lines, headers: list[str],
                   t: Translator) -> list[Problem]:
    """One warning for the combinations of ``key``'s columns (``DatasetSpec.unique``) that stand in more than one row."""
    filled = frame[list(key)].notna().all(axis=1)
    repeated = filled & frame.duplicated(subset=list(key), keep=False)
    if not repeated.any():
        return []
    shown = pd.Series([" / ".join(wording.when(v) for v in row) for row in frame.loc[repeated, list(key)].itertuples(index=False)],
                      index=frame.index[repeated], dtype=object)
    message, first = wording.grouped(shown, lines, t, "problems.repeated_keys_one", "problems.repeated_keys", columns=" / ".join(headers))
    return [Problem(message, file=label, row=first, column=key[-1], severity="warning", dataset=spec.name)]


def _typed_kept(cells: pd.Series, typ: str, decimal: str, cache: BuildCache | None) -> tuple[pd.Series, ...]:
    """:func:`_typed`, kept in ``cache`` (``lisite serve``) under a hash of the cells (what kind of cells they are, and
    each cell's 64-bit hash: an empty cell, ``None`` or NaN alike, as :func:`_typed` reads them alike), the type and
    the decimal mark. Each build gets shallow copies (``mask &= …`` gives the copy new values, never the kept part)."""
    if cache is None:
        return _typed(cells, typ, decimal)
    try:
        content = hashlib.sha256(pd.util.hash_pandas_object(cells, index=False).to_numpy().tobytes()).hexdigest()
    except TypeError:  # unhashable cells (lists, dicts)
        return _typed(cells, typ, decimal)
    key = MemoKey(None, ("typed", typ, decimal, infer_dtype(cells, skipna=True), len(cells), content))
    return tuple(part.copy(deep=False) for part in cache.get_or_make(key, lambda: _typed(cells, typ, decimal)))


def _typed(cells: pd.Series, typ: str, decimal: str = ",") -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(stripped text, values, mask of values that failed to parse, mask of ambiguous numbers) of a column.

    Each distinct cell is read once: an export repeats its dates, categories and amounts many times,
    and a cell reads the same wherever it stands (a column's decimal mark depends only on which values
    occur in it, see :mod:`lisite.numbers`). Cells that are not all text (a database's numbers) are read
    one by one, as their text.
    """
    cells = cells.reset_index(drop=True)
    if infer_dtype(cells, skipna=True) not in ("string", "empty"):
        text = cells.fillna("").astype(str).str.strip()
        return (text, *_parse(text, typ, decimal))
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object))
    distinct = pd.Series([*map(str.strip, uniques), ""], dtype=object).astype(str)  # the last: an empty cell
    codes = np.where(codes < 0, len(uniques), codes)
    parts = (distinct, *_parse(distinct, typ, decimal))
    return tuple(pd.Series(part.array.take(codes)) for part in parts)  # type: ignore[return-value]


def _parse(text: pd.Series, typ: str, decimal: str = ",") -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a column of text. Returns (values, mask of values that failed to parse, mask of numbers that read
    two ways in a column that shows both decimal marks, see :mod:`lisite.numbers`, or of dates outside the years
    lisite counts with, read as no date, see :func:`dates`)."""
    none = pd.Series(False, index=text.index)
    if typ == "str":
        return text.where(text != "", None), none, none
    if typ in ("int", "float"):
        numbers, bad, ambiguous = read_numbers(text, decimal)
        if typ == "int":
            # a fraction, or a whole number too large to be read exactly (and to fit a 64-bit integer): not an integer
            bad = bad | (numbers.notna() & ((numbers % 1 != 0) | (numbers.abs() > 2**53)))
            return numbers.where(~bad).astype("Int64"), bad, ambiguous
        return numbers, bad, ambiguous
    if typ in ("date", "datetime"):
        formats = DATE_FORMATS if typ == "date" else DATETIME_FORMATS + DATE_FORMATS
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        outside = none.copy()  # dates outside the years lisite counts with: read as no date, and reported
        written = text != ""
        for fmt in formats:
            todo = parsed.isna() & ~outside & written
            if not todo.any():
                break
            parsed[todo], outside[todo] = dates(text[todo], fmt)
        return parsed, parsed.isna() & ~outside & written, outside
    if typ == "bool":
        low = text.str.lower()
        values = pd.Series(pd.NA, index=text.index, dtype="boolean")
        values[low.isin(TRUE)] = True
        values[low.isin(FALSE)] = False
        return values, values.isna() & (text != ""), none
    raise ValueError(f"unknown column type {typ!r}")


#: The Danish day-first formats as ISO 8601 (year first), which pandas reads in C, many times faster than with strptime:
#: (format, its ISO form, a text written exactly in it: ASCII digits, and no year 0, which ISO has and strptime not).
ISO_FORMS = {
    "%d-%m-%Y": ("%Y-%m-%d", re.compile(r"[0-9]{2}-[0-9]{2}-(?!0000)[0-9]{4}")),
    "%d-%m-%Y %H:%M": ("%Y-%m-%d %H:%M", re.compile(r"[0-9]{2}-[0-9]{2}-(?!0000)[0-9]{4} [0-9]{2}:[0-9]{2}")),
    "%d-%m-%Y %H:%M:%S": ("%Y-%m-%d %H:%M:%S", re.compile(r"[0-9]{2}-[0-9]{2}-(?!0000)[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}")),
}


def dates(text: pd.Series, fmt: str) -> tuple[pd.Series, pd.Series]:
    """``text`` read as dates with ``fmt`` (NaT where it does not fit), and which texts are dates outside the years lisite
    counts with (:data:`EARLIEST` to :data:`LATEST`; NaT too: 31-12-9999 is how many systems write "no end date").

    A text written exactly as ``dd-mm-yyyy`` (and a time) whose parts are a real day and time in those years is worked
    out from its digits (:func:`day_first_parts`); any other text so written is read with its parts put in ISO order,
    which pandas reads alike (NaT for the same texts: 31-02-2026, 24:00) and many times faster than with strptime."""
    found = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    outside = pd.Series(False, index=text.index)
    values = text.to_numpy(dtype=object)
    iso_format, _ = ISO_FORMS.get(fmt, (None, None))
    written, chars = day_first_chars(values, fmt) if iso_format else (np.zeros(0, dtype=np.intp), None)
    slow = np.setdiff1d(np.arange(len(values)), written, assume_unique=True)
    if len(written):
        real, when = day_first_parts(chars)
        found.iloc[written[real]] = when
        written, chars = written[~real], chars[~real]
    for rows, texts, form in ((written, iso_order(chars) if len(written) else [], iso_format), (slow, values[slow], fmt)):
        if len(rows):  # in seconds where a date lies outside what nanoseconds hold
            read_here = pd.DatetimeIndex(pd.to_datetime(pd.Series(texts, dtype=object), format=form, errors="coerce"))
            far = read_here.notna() & ((read_here < EARLIEST) | (read_here > LATEST))
            found.iloc[rows] = read_here.where(~far).as_unit("ns").to_numpy()
            outside.iloc[rows] = far
    return found, outside


def day_first_chars(values: np.ndarray, fmt: str) -> tuple[np.ndarray, np.ndarray | None]:
    """The places of the texts among ``values`` written exactly in ``fmt``, one of :data:`ISO_FORMS` (as its pattern
    matches them whole), and those texts as rows of characters (code points). The texts of one length are looked at
    one column of characters at a time (a column of a large export holds a few hundred thousand)."""
    width = len(pd.Timestamp(2000, 1, 1).strftime(fmt))  # dd-mm-yyyy, with " HH:MM" and ":SS"
    texts = infer_dtype(values, skipna=False) in ("string", "empty")  # every value a text: their lengths, in C
    length = np.fromiter(map(len, values) if texts else (len(value) if isinstance(value, str) else -1 for value in values),
                         dtype=np.intp, count=len(values))
    at = np.flatnonzero(length == width)
    if not len(at):
        return at, None
    chars = np.array(values[at].tolist(), dtype=f"<U{width}").view(np.uint32).reshape(len(at), width)
    shape = "dd-dd-dddd dd:dd:dd"[:width]
    digits = [i for i, char in enumerate(shape) if char == "d"]
    marks = [i for i, char in enumerate(shape) if char != "d"]
    fits = (((chars[:, digits] >= ord("0")) & (chars[:, digits] <= ord("9"))).all(axis=1)
            & (chars[:, marks] == [ord(shape[i]) for i in marks]).all(axis=1)
            & (chars[:, 6:10] != ord("0")).any(axis=1))  # (no year 0000)
    return at[fits], chars[fits]


def iso_order(chars: np.ndarray) -> list[str]:
    """Rows of characters written ``dd-mm-yyyy…`` (:func:`day_first_chars`) as texts ``yyyy-mm-dd…``."""
    width = chars.shape[1]
    order = [6, 7, 8, 9, 2, 3, 4, 5, 0, 1, *range(10, width)]  # yyyy-mm-dd…
    return np.ascontiguousarray(chars[:, order]).view(f"<U{width}").ravel().tolist()


DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def day_first_parts(chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of characters written ``dd-mm-yyyy[ HH:MM[:SS]]`` (:func:`day_first_chars`) are a real day and time in
    the years lisite counts with (:data:`EARLIEST` to :data:`LATEST`, whole years), and those as nanoseconds
    (``datetime64[ns]``), worked out from their digits: the value pandas reads from the text. The other rows
    (31-02-2026, 24:00, 31-12-9999) are left to pandas."""
    day, month, year = _number(chars, 0, 1), _number(chars, 3, 4), _number(chars, 6, 7, 8, 9)
    width = chars.shape[1]
    hour, minute = (_number(chars, 11, 12), _number(chars, 14, 15)) if width > 10 else (0, 0)
    second = _number(chars, 17, 18) if width > 16 else 0
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    real = ((year >= EARLIEST.year) & (year <= LATEST.year) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days)
            & (hour <= 23) & (minute <= 59) & (second <= 59))
    seconds = np.broadcast_to(hour * 3600 + minute * 60 + second, real.shape)[real]
    when = (((year - 1970) * 12 + month - 1)[real].astype("datetime64[M]").astype("datetime64[D]")
            + (day[real] - 1)).astype("datetime64[s]") + seconds
    return real, when.astype("datetime64[ns]")


def _number(chars: np.ndarray, *places: int) -> np.ndarray:
    """The number the ASCII digits at ``places`` of each row of characters make."""
    return sum((chars[:, place].astype(np.int64) - ord("0")) * 10 ** power for power, place in enumerate(reversed(places)))


#: The years lisite counts with (what a date in nanoseconds holds, whole years): a date outside is read as no date.
EARLIEST, LATEST = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31 23:59:59")


def name_headers(problems: list[Problem], datasets: dict[str, Dataset]) -> None:
    """Give each problem about a mapped column the file's own header, for messages like "kolonne 'Sags-ID' (sags_id)"."""
    for problem in problems:
        ds = datasets.get(problem.dataset)
        if ds is not None and problem.column and not problem.header:
            problem.header = ds.frame.attrs.get("headers", {}).get(problem.column, "")


def prepare(result: LoadResult, specs: list[DatasetSpec], hook: Any, config: Config) -> None:
    """Call ``lisite_prepare`` and put the frames it returns in place of (or beside) the loaded ones.

    A replaced dataset keeps its file, hash and row numbers (``attrs``) and records a hash of the new
    frame in ``prepared``, so caches keyed by the input data see a change of derived columns too.
    """
    answers = [found for found in hook(data=result.frames, config=config) if found]
    names = [name for found in answers for name in found]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise PluginError(Translator(config.language)("plugin_error.prepared_twice", names=", ".join(twice)))
    by_name = {spec.name: spec for spec in specs}
    for found in answers:
        for name, frame in found.items():
            old = result.datasets.get(name)
            frame.attrs = {**(old.frame.attrs if old is not None else {}), **frame.attrs}
            digest = hashlib.sha256("\0".join(map(str, frame.columns)).encode())
            try:
                digest.update(pd.util.hash_pandas_object(frame).to_numpy().tobytes())
            except TypeError:  # unhashable cells (lists, dicts): their text
                digest.update(frame.to_csv().encode())
            mask = result.usable.get(name)
            if (old is None or mask is not None) and (mask is None or not mask.index.equals(frame.index)):
                result.usable[name] = pd.Series(True, index=frame.index)  # other rows than loaded: all usable
            if old is None:
                old = Dataset(by_name.get(name) or DatasetSpec(name, name, ()), frame, "")
            result.datasets[name] = replace(old, frame=frame, prepared=digest.hexdigest())
