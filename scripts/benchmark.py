"""Measure lisite against the figures of its speed goals and print each with its target.

    python scripts/benchmark.py [--quick] [--all] [--suite]
    python scripts/benchmark.py --against REF [--runs N] [--scale S | --kommune CODE] [--workers N]

One function per figure; each returns one or more :class:`Figure` and asserts nothing. Builds run in
a fresh child process (as ``lisite build`` would), timed from start to exit, so "warm" means a new
process with the chart cache filled. Every build uses lisite's default workers (one per core; an
exported ``LISITE_WORKERS`` is ignored) except the memory figure that says LISITE_WORKERS=1.

--quick   skip the slow figures: 16x case rows, build-all and the København-sized site's memory
--all     build-all on all 98 municipalities (default: a subset, extrapolated and labelled so)
--suite   also time the test suite (``python -m pytest -q``), before the other figures
--against REF [--runs N]
          only compare: cold builds of the demo by this checkout and by commit REF (a git worktree), taken in turn, N each;
          their wall and CPU times (the CPU time moves less with the machine's other load)
  --scale S       the demo with S times the cases (--scale 16: the 16× figure's site)
  --kommune CODE  the demo as that municipality, with sample data its size (825: Læsø, the smallest)
  --workers N     builds with LISITE_WORKERS=N (1: as build-all builds each site)
          with --scale or --kommune both trees build the same sample data, made once by this checkout

The machine's other load changes every timing: run it on a quiet machine and compare runs made alike. So does its file
system: the run says, at its start and at its end, how long a new file takes to make where the builds write theirs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SUBSET_SHARD = (2, 12)  # build-all without --all: every 12th municipality from the 2nd (9 of 98)
CHILD_BUILD = r"""
import json, resource, sys, time
started = time.perf_counter()
from lisite import cli, unchanged
getattr(cli, "quick_exit", lambda: None)()  # as every lisite command ends (an older tree measured --against has none)
getattr(cli, "collect_less", lambda: None)()  # as every lisite command starts
getattr(cli, "one_thread_each", lambda: None)()  # so does this: numpy's linear algebra in one thread
importing = time.perf_counter() - started
report = unchanged.kept(sys.argv[1], None, False, None)  # as `lisite build` starts (lisite.cli): nothing changed?
if report is None:
    before = time.perf_counter()
    from lisite.build import build
    importing += time.perf_counter() - before
    report = build(sys.argv[1])
done = time.perf_counter()
peak = lambda who: resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux
def own_peak():  # this process's own high-water mark: ru_maxrss keeps the parent's across exec (Linux)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return peak(resource.RUSAGE_SELF)
print(json.dumps({"import": importing, "build": done - started - importing, "pages": sum(report.pages.values()),
                  "main_mib": own_peak(), "workers_mib": peak(resource.RUSAGE_CHILDREN)}))
"""


@dataclass
class Figure:
    label: str
    value: float | None  # None: not measured (the note says why)
    unit: str
    target: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None and self.value <= self.target

    def line(self) -> str:
        shown = "     –  " if self.value is None else f"{self.value:8.2f}"
        if self.target == float("inf"):  # a reference, not a goal
            return f"  {self.label:<44} {shown} {self.unit:<4} (no target)  {self.note}".rstrip()
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.label:<44} {shown} {self.unit:<4} (target ≤ {self.target:g} {self.unit})  {self.note}".rstrip()


def child_build(site: Path, cache: Path, workers: int | None = None, tree: Path | None = None, together: bool = False) -> dict:
    """Build ``site`` in a new Python process; its wall time, build() time and peak memory (MiB).
    ``workers`` None: lisite's default. ``tree``: a checkout whose lisite builds it (default: the installed one).
    ``together``: also ``together_mib``, the most memory the build's processes used at once (:func:`watched`; the
    sampling takes some CPU time, so a build timed for its speed is not watched)."""
    env = {key: value for key, value in os.environ.items() if key != "LISITE_WORKERS"}
    env["LISITE_CACHE"] = str(cache)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    if workers is not None:
        env["LISITE_WORKERS"] = str(workers)
    before = children_cpu()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:  # (a pipe not read while watching could fill)
        proc = subprocess.Popen([sys.executable, "-c", CHILD_BUILD, str(site)], env=env, stdout=out, stderr=err, text=True)
        most = watched(proc) if together else None
        proc.wait()
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode:
        raise RuntimeError(f"build of {site} failed:\n{stderr[-2000:]}")
    found = {**json.loads(stdout.strip().splitlines()[-1]), "wall": wall, "cpu": children_cpu() - before}
    return {**found, "together_mib": most} if together else found


def watched(proc: subprocess.Popen, every: float = 0.02) -> float | None:
    """The most memory (MiB) ``proc`` and the processes it started used at once, until it ends: their proportional set
    sizes added up (a page that n processes share counts 1/n in each, so what they share counts once), sampled every
    ``every`` seconds, so a peak between two samples is missed: at least this much. Each process's own peak (its
    high-water mark) leaves out the others running beside it: a build with two workers holds its own memory and
    theirs at once. ``None`` where /proc has no ``smaps_rollup`` (not Linux, or a kernel before 4.14)."""
    most = None
    while proc.poll() is None:
        sizes = [size for pid in family(proc.pid) if (size := proportional_mib(pid)) is not None]
        if sizes:
            most = max(most or 0.0, sum(sizes))
        time.sleep(every)
    return most


def family(pid: int) -> list[int]:
    """``pid`` and its descendants now (Linux: each thread's ``children`` under /proc)."""
    found, waiting = [], [pid]
    while waiting:
        parent = waiting.pop()
        found.append(parent)
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                waiting += [int(child) for child in children.read_text().split()]
            except OSError:  # the process ended meanwhile
                pass
    return found


def proportional_mib(pid: int) -> float | None:
    """A process's proportional set size (MiB), or ``None`` when it has ended or /proc cannot say."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) / 1024 if found else None


def children_cpu() -> float:
    """CPU seconds (user and system) of this process's finished children and of the children they waited for: a child
    build's own work and its workers' (each build joins its workers before it ends). It moves far less with the
    machine's other load than the wall time does, so it shows a change in the work done that the wall time hides."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def interpreter() -> str:
    """The Python that runs every build measured (a virtual environment's ``python`` named by the interpreter it links
    to). How that interpreter was compiled moves every figure: on this machine the demo built 7 % faster with Debian's
    ``/usr/bin/python3.11`` than with a Python compiled by pyenv without ``--enable-optimizations`` (docs/hastighed.md)."""
    return os.path.realpath(sys.executable)


def bytecode() -> str:
    """Compile lisite's modules and built-in plugins to bytecode, as ``pip install`` does: a user's first build reads
    them compiled. (A machine with PYTHONDONTWRITEBYTECODE set, or a checkout never imported, would otherwise compile
    them again in every build measured.)"""
    import lisite
    from lisite.plugins import builtin_plugins_dir

    return compiled(Path(lisite.__file__).parent, builtin_plugins_dir())


def compiled(*folders: Path) -> str:
    """Compile the Python files under ``folders`` to bytecode (see :func:`bytecode`); their names, for the report."""
    import compileall

    for folder in folders:
        compileall.compile_dir(folder, quiet=1)
    return ", ".join(str(folder) for folder in folders)


def set_aside(output: Path) -> None:
    """Move an earlier build's output out of the way, to be deleted when the benchmark ends (:func:`main`).

    Deleting it here would put the file system's work of deleting 1,500 files into the build measured next: on
    this machine (ext4 without a journal, mounted with ``discard``) its first file writes then took 0.3-0.4 s longer.
    Without a journal, ext4 passes over every inode freed in the last 30 s or so (``dirty_expire_centisecs``) when it
    looks for a free one, reading its inode table block (``recently_deleted`` in ``fs/ext4/ialloc.c``), so each new file
    costs more the more files were just deleted. A user's first build follows no such deletion."""
    if not output.exists():
        return
    if TRASH is None:  # no benchmark run around it (a test): deleted at once
        shutil.rmtree(output)
        return
    TRASH.mkdir(parents=True, exist_ok=True)
    output.rename(TRASH / f"{output.parent.name}-{len(list(TRASH.iterdir()))}")


TRASH: Path | None = None  # where set_aside moves earlier outputs: main() sets it and deletes it at the end


def demo_copy(folder: Path) -> Path:
    from lisite.scaffold import init_site

    return init_site(folder)


# ---- the figures -------------------------------------------------------------------------------------------------


COLD_RUNS = 5  # the cold build's figure is the median of this many, as the speed goals were measured (one run moves
# with the machine's other load); so are the yardstick's and the 16x figure's pairs


def cold_build(site: Path, cache: Path, runs: int = COLD_RUNS) -> Figure:
    """The demo with an empty cache, as a first build on a new machine: the median of ``runs`` builds, each with a cache
    folder of its own and no earlier site (else the next build finds nothing changed). ``cache`` is the last one's."""
    made = []
    for number in range(runs):
        set_aside(site / "_site")
        made.append(child_build(site, cache if number == runs - 1 else cache.with_name(f"{cache.name}-{number}")))
    run = sorted(made, key=lambda r: r["wall"])[len(made) // 2]
    return Figure("cold demo build (median of %d)" % runs, run["wall"], "s", 3,
                  f"all: {', '.join(format(r['wall'], '.2f') for r in made)}; build() {run['build']:.2f} s, "
                  f"import {run['import']:.2f} s, CPU {run['cpu']:.1f} s (all: {', '.join(format(r['cpu'], '.1f') for r in made)}), "
                  f"{run['pages']} pages")


def mkdocs_reference(work: Path, site: Path | None = None, runs: int = COLD_RUNS) -> list[Figure]:
    """The yardstick the speed goals were set against, on this machine now: the demo's data published with
    MkDocs-Material and Altair, 96 pages and 192 charts (``scripts/mkdocs_reference.py``), built ``runs`` times in a new
    process with no earlier site (MkDocs keeps no cache); and, with ``site`` (the demo), the demo's cold build divided by
    it: a cold build of lisite and one of MkDocs in turn, ``runs`` pairs, the median of the pairs' ratios (this machine's
    speed drifts within minutes: the same MkDocs build took 6.8–9.9 s in five pairs, so two series taken one after the
    other can differ by half). No target: a reference that moves with the machine as lisite's own figures do."""
    label = "MkDocs-Material + Altair, 96 pages, 192 charts"
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        return [Figure(label, None, "s", float("inf"), "not measured: needs pip install mkdocs-material")]
    folder = work / "mkdocs"
    subprocess.run([sys.executable, str(REPO / "scripts" / "mkdocs_reference.py"), str(folder)], check=True, capture_output=True)
    walls, ratios = [], []
    for number in range(runs):
        lisite = None
        if site is not None:
            set_aside(site / "_site")
            lisite = child_build(site, work / f"cache-against-mkdocs-{number}")["wall"]
        set_aside(folder / "site")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], check=False, cwd=folder, capture_output=True, text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        walls.append(time.perf_counter() - started)
        if done.returncode:
            raise RuntimeError(f"mkdocs build failed:\n{done.stderr[-2000:]}")
        if lisite is not None:
            ratios.append((lisite, walls[-1]))
    median = statistics.median(walls)
    figures = [Figure(f"{label} (median of {runs})", median, "s", float("inf"),
                      "all: " + ", ".join(f"{wall:.2f}" for wall in walls) + "; the yardstick of the speed goals")]
    if ratios:
        figures.append(Figure(f"cold demo build ÷ the MkDocs reference (median of {runs} pairs in turn)",
                              statistics.median(mine / theirs for mine, theirs in ratios), "×", float("inf"),
                              "pairs: " + ", ".join(f"{mine:.2f}/{theirs:.2f} s" for mine, theirs in ratios)
                              + "; lisite also makes four audiences' sites, downloads, a search index and checks what each may see"))
    return figures


def against(ref: str, work: Path, runs: int = 5, scale: float = 1.0, kommune: int | None = None,
            workers: int | None = None) -> list[Figure]:
    """Cold builds of this checkout and of the commit ``ref``, taken in turn (ref first, then this one first, ...),
    each tree building its own site with an empty cache: the machine's speed moves by 10 % within an hour, so a change
    is measured against the code before it at the same time, not against a figure from earlier. The site is the demo,
    with ``scale`` times its cases or as the municipality ``kommune`` (:func:`same_sites`); ``workers``: the builds'
    ``LISITE_WORKERS`` (None: lisite's default)."""
    other = work / "against"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--force", str(other), ref],
                   check=True, capture_output=True, text=True)
    try:
        trees = {ref: other, "this checkout": REPO}
        sites = same_sites(trees, work, scale, kommune)
        for tree in trees.values():
            compiled(tree / "src", tree / "plugins")

        def build(name: str, number: int) -> dict:
            set_aside(sites[name] / "_site")  # else the build finds nothing changed
            return child_build(sites[name], work / f"cache-{name.replace(' ', '-')}-{number}", workers, tree=trees[name])

        runs_of = alternate(list(trees), runs, build)
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(other)], capture_output=True, check=False)
    return compared(ref, runs_of, site_name(scale, kommune, workers))


def same_sites(trees: dict[str, Path], work: Path, scale: float = 1.0, kommune: int | None = None) -> dict[str, Path]:
    """Each tree's demo site (made by its own ``lisite init``), by the tree's name. With ``scale`` or ``kommune``, each
    gets the same sample data, made once by this checkout (with ``scale`` times the demo's cases, or the size of the
    municipality ``kommune``, whose code and name its ``lisite.toml`` then has): a change is measured on the same input."""
    sites = {}
    for name, tree in trees.items():
        env = {**os.environ, "PYTHONPATH": str(tree / "src")}
        sites[name] = work / f"demo-{len(sites)}"
        make_demo = "import sys; from pathlib import Path; from lisite.scaffold import init_site; init_site(Path(sys.argv[1]))"
        subprocess.run([sys.executable, "-c", make_demo, str(sites[name])], env=env, check=True, capture_output=True)
    if scale == 1.0 and kommune is None:
        return sites
    from lisite.buildall import set_municipality
    from lisite.sampledata import generate
    from lisite.sampledata.kommuner import find

    data = work / "sample-data"
    shutil.rmtree(data, ignore_errors=True)
    if kommune is None:
        generate(data, scale=scale)
    else:
        generate(data, kommune=kommune)
    for site in sites.values():
        shutil.rmtree(site / "sample_data")
        shutil.copytree(data, site / "sample_data")
        if kommune is not None:
            config = site / "lisite.toml"
            config.write_text(set_municipality(config.read_text(encoding="utf-8"), find(kommune)), encoding="utf-8")
    return sites


def site_name(scale: float = 1.0, kommune: int | None = None, workers: int | None = None) -> str:
    """What a comparison builds, for its figures' labels: "the demo", "the demo at 16× the cases", "Læsø (825)", and with
    how many workers when not lisite's default."""
    from lisite.sampledata.kommuner import find

    name = (f"{find(kommune).name} ({kommune})" if kommune is not None else "the demo" if scale == 1.0
            else f"the demo at {scale:g}× the cases")
    return name + (f" with LISITE_WORKERS={workers}" if workers is not None else "")


def compared(ref: str, runs_of: dict[str, list[dict]], site: str = "the demo") -> list[Figure]:
    """The two trees' median wall and CPU times and the change of each (``runs_of``: the child builds of ``ref``, then of
    this checkout); ``site``: what was built (:func:`site_name`)."""
    figures = []
    for measure, what, change in (("wall", f"cold build of {site}", ""), ("cpu", "its CPU time", " in CPU time")):
        found = {name: [run[measure] for run in runs] for name, runs in runs_of.items()}
        medians = {name: statistics.median(values) for name, values in found.items()}
        before, now = medians.values()
        figures += [Figure(f"{what}, {name} (median of {len(values)})", medians[name], "s", float("inf"),
                           "all: " + ", ".join(f"{value:.2f}" for value in values)) for name, values in found.items()]
        figures.append(Figure(f"change against {ref}{change}", 100 * (now - before) / before,
                              "%", float("inf"), "taken in turn, on this machine now"))
    return figures


def alternate(names: list[str], runs: int, build) -> dict[str, list[dict]]:
    """``build(name, number)`` ``runs`` times for each name, the order turned round every time; what each returned, by name."""
    made: dict[str, list[dict]] = {name: [] for name in names}
    for number in range(runs):
        for name in (names if number % 2 == 0 else names[::-1]):
            made[name].append(build(name, number))
    return made


def machine_reference(rounds: int = 3, when: str = "") -> Figure:
    """A fixed piece of work in Python and pandas (the best of ``rounds``): the machine's speed at the time of the run.
    Every other figure moves with it; compare figures only between runs whose reference is alike. It has no target.
    ``when``: said in the figure's name (the run measures it again at its end, to show whether the machine changed
    pace meanwhile)."""
    import numpy as np
    import pandas as pd

    def work() -> float:
        started = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i % 7
        frame = pd.DataFrame({"key": np.arange(400_000) % 97, "value": np.arange(400_000, dtype=float)})
        for _ in range(20):
            frame.groupby("key")["value"].sum()
        text = ";".join(str(i) for i in range(200_000))
        text.split(";")
        return time.perf_counter() - started

    best = min(work() for _ in range(rounds))
    return Figure(f"machine reference{when} (no target)", best, "s", float("inf"), "a fixed workload, best of "
                  f"{rounds}: figures of runs with another reference are not comparable")


def files_reference(work: Path, site: Path | None = None, rounds: int = 3, when: str = "") -> Figure:
    """How long this machine takes to make a new file where the builds write theirs (``work``): 300 new files of 4 KB in
    a new folder, the median of ``rounds``, in µs per file. On this machine it moved between 20 and 800 µs within an
    hour (docs/hastighed.md), with the file system's recent work, and a build makes a new file for each distinct one it
    writes (the rest are hard links): with ``site``, how many its last build made. No target."""
    data = os.urandom(4096)
    each = []
    for number in range(rounds):
        folder = work / f"files-reference-{number}"
        folder.mkdir()
        started = time.perf_counter()
        for index in range(300):
            descriptor = os.open(folder / f"{index}.html", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.write(descriptor, data)
            os.close(descriptor)
        each.append((time.perf_counter() - started) / 300 * 1e6)
        set_aside(folder)  # deleted at the end: deleting them here would slow the next files made (see set_aside)
    made = ""
    if site is not None and (site / "_site").is_dir():
        found = [path.stat() for path in (site / "_site").rglob("*") if path.is_file()]
        made = f"; the demo's last cold build wrote {len(found)} files, {len({(s.st_dev, s.st_ino) for s in found})} of them new"
    return Figure(f"making a new file{when} (no target)", sorted(each)[len(each) // 2], "µs", float("inf"),
                  f"all: {', '.join(format(value, '.0f') for value in each)} µs (300 files of 4 KB each){made}")


def settled(work: Path, before: float | None, most: float = 180, every: float = 10) -> Figure:
    """After the test suite (some 60,000 files written), wait until the file system has taken them in: until making a new
    file (:func:`files_reference`, one round) takes at most twice what it took before the suite (``before``, µs), or
    ``most`` seconds have gone. The figures after it are then not measured while the disk still writes the suite's files
    (on 6 December 2026, right after 245,000 files were written, a new file took 157-342 µs against 33-77 µs before).
    How long it waited, no target."""
    started = time.perf_counter()
    tries = []
    while True:
        tries.append(files_reference(work, rounds=1).value)
        waited = time.perf_counter() - started
        if before is None or tries[-1] <= 2 * before or waited >= most:
            break
        time.sleep(every)
    return Figure("waited after the tests for the disk (no target)", waited, "s", float("inf"),
                  f"a new file took {', '.join(format(value, '.0f') for value in tries)} µs against {before or 0:.0f} µs before the tests")


def warm_build(site: Path, cache: Path) -> Figure:
    """The demo again in a new process, the chart cache filled by :func:`cold_build`."""
    run = child_build(site, cache)
    return Figure("warm demo build (new process)", run["wall"], "s", 1.5, f"build() {run['build']:.2f} s")


def text_edit_build(site: Path, cache: Path) -> Figure:
    """``lisite build`` in a new process after a sentence is added to a text that only the committee's site reads (its
    foreword, ``content/forside/udvalg.md``), then again once the edit is undone: each makes the committee's site
    again and reads the other audiences' back (their records keep the texts they read). No target: a build, not serve."""
    path = site / "content" / "forside" / "udvalg.md"
    original = path.read_bytes() if path.exists() else None
    seconds = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((original or b"") + "\n\nEn ændret sætning.\n".encode())
        seconds.append(child_build(site, cache)["wall"])
    finally:
        if original is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(original)
    seconds.append(child_build(site, cache)["wall"])  # the next figures start from the demo's own texts
    return Figure("text edit → lisite build (one audience's text, new process)", statistics.mean(seconds), "s", float("inf"),
                  f"edited {seconds[0]:.2f} s, undone {seconds[1]:.2f} s")


def page_weight(output: Path) -> list[Figure]:
    """The heaviest page in KB, and the pages that load vega.js without showing a chart."""
    pages = sorted(output.rglob("*.html"))
    sizes = {page: page.stat().st_size for page in pages}
    heaviest = max(sizes, key=sizes.get)
    needless = [page for page in pages if re.search(r'<script[^>]*src="[^"]*vega[^"/]*\.js"', page.read_text(encoding="utf-8"))
                and 'data-chart="' not in page.read_text(encoding="utf-8")]
    example = f", e.g. {needless[0].relative_to(output)}" if needless else ""
    return [Figure("largest page HTML", sizes[heaviest] / 1000, "KB", 150,
                   f"{heaviest.relative_to(output)}; {len(pages)} pages"),
            Figure("pages loading vega.js with no chart", len(needless), "pages", 0, example.lstrip(", "))]


#: In the page, from its first moment: when each chart became live, and every long task (over 50 ms: the browser
#: answered nothing meanwhile) with its length.
CHART_CLOCK = """
window.lisiteClock = {live: [], tasks: []};
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (task) { window.lisiteClock.tasks.push(task.duration); });
}).observe({type: "longtask", buffered: true});
new MutationObserver(function (records) {
  records.forEach(function (record) {
    if (record.target.classList && record.target.classList.contains("is-live")) { window.lisiteClock.live.push(performance.now()); }
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["class"]});
"""
SLOWER_CPU = 4  # Chromium's processor slowed this many times: a tablet's, roughly


def charts_on_a_tablet(output: Path, runs: int = COLD_RUNS, slower: float = SLOWER_CPU) -> list[Figure]:
    """The page with the most charts, opened in Chromium with its processor slowed ``slower`` times (medians of ``runs``):
    when the first chart is drawn, when the last is, and the longest time the page answered nothing (a tap, a scroll).
    (Its test does not slow it: the slowed processor only waits, a core idle while the suite's other tests wait.)"""
    executable = next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None)
    labels = (f"first chart drawn, CPU {slower:g}× slower (median of {runs})", f"every chart drawn, CPU {slower:g}× slower",
              "longest the page does not answer, same")
    if executable is None or importlib.util.find_spec("playwright") is None:
        return [Figure(label, None, "s", float("inf"), "not measured: needs Chromium and playwright") for label in labels]
    from playwright.sync_api import sync_playwright

    pages = sorted(output.rglob("*.html"))
    page_path = max(pages, key=lambda page: page.read_text(encoding="utf-8").count('data-chart="'))
    charts = page_path.read_text(encoding="utf-8").count('data-chart="')
    first, every, longest = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1024, "height": 768})
            tab = context.new_page()
            context.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": slower})
            tab.add_init_script(CHART_CLOCK)
            tab.goto(page_path.as_uri())
            tab.wait_for_function(f"window.lisiteClock.live.length >= {charts}", timeout=120_000)
            live, tasks = tab.evaluate("[window.lisiteClock.live, window.lisiteClock.tasks]")
            first.append(min(live) / 1000)
            every.append(max(live) / 1000)
            longest.append(max(tasks, default=0) / 1000)
            context.close()
        browser.close()
    where = f"{page_path.relative_to(output)}, {charts} charts"
    return [Figure(labels[0], statistics.median(first), "s", float("inf"), f"{where}; all: {', '.join(f'{v:.2f}' for v in first)}"),
            Figure(labels[1], statistics.median(every), "s", float("inf"), "all: " + ", ".join(f"{v:.2f}" for v in every)),
            Figure(labels[2], statistics.median(longest), "s", float("inf"),
                   "the longest task while the page opens and draws; all: " + ", ".join(f"{v:.2f}" for v in longest))]


def wait_for_version(address: str, since: int, deadline: float = 900) -> bool:
    """Long-poll the version endpoint of the server at ``address`` like a browser until it announces a version after
    ``since``."""
    from lisite.serve import VERSION_PATH

    end = time.perf_counter() + deadline
    while time.perf_counter() < end:
        url = f"{address}{VERSION_PATH.lstrip('/')}?since={since}"
        if json.loads(urllib.request.urlopen(url, timeout=60).read())["version"] != since:
            return True
    return False


def timed_edits(server, path: Path, edit, times: int) -> list[float]:
    """Save ``edit(original, i)`` into ``path`` ``times`` times; seconds until the browser is told, each time."""
    original = path.read_text(encoding="utf-8") if path.exists() else ""
    seconds = []
    try:
        for i in range(times):
            since = server.state.version
            path.parent.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            path.write_text(edit(original, i), encoding="utf-8")
            if not wait_for_version(server.url, since):
                raise RuntimeError(f"no new version after editing {path.name}: {server.last_error}")
            seconds.append(time.perf_counter() - started)
    finally:
        if path.read_text(encoding="utf-8") != original:  # the next figure starts from the original site
            since = server.state.version
            path.write_text(original, encoding="utf-8")
            wait_for_version(server.url, since)
    return seconds


def serve_start(site: Path, cache: Path) -> list[Figure]:
    """``lisite serve`` started as a user starts it (a new process), on the demo, with the cache folder of the builds
    above, as a user's ``lisite build`` and ``lisite serve`` share one: its ``_site`` is then what a build would write
    now, and is shown at once. Until its first page can be fetched, and until the session's own first build is done
    (no targets)."""
    import signal
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    serving = subprocess.Popen([sys.executable, "-m", "lisite", "serve", "--port", str(port)], cwd=site, text=True,
                               env={**os.environ, "LISITE_CACHE": str(cache)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = None
        while page is None:
            if serving.poll() is not None or time.perf_counter() - started > 120:
                raise RuntimeError(f"lisite serve did not answer: {serving.communicate()[0][-500:]}")
            try:
                page = urllib.request.urlopen(f"{url}udvalg/index.html", timeout=5).read()
            except OSError:
                time.sleep(0.01)  # not listening yet: asked again (a measurement, not a test)
        first = time.perf_counter() - started
        if not wait_for_version(url, 0, deadline=300):
            raise RuntimeError("the session's first build did not finish")
        ready = time.perf_counter() - started
    finally:
        serving.send_signal(signal.SIGINT)
        said = serving.communicate(timeout=60)[0]
    how = "the last build's _site shown at once" if "(_site/)" in said else "built first"
    return [Figure("lisite serve: first page (no target)", first, "s", float("inf"), f"a new process; {how}"),
            Figure("lisite serve: its own first build done (no target)", ready, "s", float("inf"),
                   "edits are built in the session's caches from then on")]


def content_edit(server, site: Path) -> Figure:
    """A sentence added to a content page under ``lisite serve``, until the version endpoint says so (5 times)."""
    seconds = timed_edits(server, site / "content" / "forside" / "udvalg.md", lambda text, i: text + f"\n\nÆndring nr. {i}.\n", 5)
    return Figure("content edit → browser (median of 5)", statistics.median(seconds), "s", 0.3,
                  "all: " + ", ".join(f"{s:.2f}" for s in seconds))


def data_edit(server, site: Path) -> Figure:
    """One value in sample_data/sager.csv (the last case's gender) under ``lisite serve``: swapped, then back."""

    def flip(text: str, i: int) -> str:  # edit 0 swaps the value, edit 1 puts it back
        head, last = text.rstrip("\n").rsplit("\n", 1)
        swapped = last.replace(";Dreng;", ";Pige;") if ";Dreng;" in last else last.replace(";Pige;", ";Dreng;")
        if swapped == last:
            raise RuntimeError(f"the last case in sager.csv has no gender to swap: {last}")
        return f"{head}\n{swapped}\n" if i % 2 == 0 else text

    seconds = timed_edits(server, site / "sample_data" / "sager.csv", flip, 2)
    return Figure("one-value data edit → browser (mean of 2)", statistics.mean(seconds), "s", 1,
                  "all: " + ", ".join(f"{s:.2f}" for s in seconds))


def rows_16x(work: Path, demo: Path, runs: int = COLD_RUNS) -> list[Figure]:
    """A cold build of the demo with 16 times the case rows (sample data at --scale 16) against a cold build of the demo,
    taken in turn: ``runs`` pairs, the median of the pairs' ratios, in time and in CPU time. One 16× build against the
    demo's median from minutes before moved with the machine: the same code gave 2.61× and 2.98× in two runs an hour
    apart (4 December 2026).

    Beside it, no target: 16 times the case rows with the demo's own caseworkers (a caseload of 400 open cases instead of
    25), so the same pages as the demo, built in the same turns. The 16× site has a caseworker's page for each of 16 times
    as many caseworkers (715 pages against the demo's 116): the two ratios tell what the data's size costs from what the
    pages cost."""
    from lisite.sampledata import generate
    from lisite.sampledata.staff import CASES_PER_CASEWORKER

    site, same = demo_copy(work / "site16"), demo_copy(work / "site16-same-pages")
    started = time.perf_counter()
    for folder, caseload in ((site, CASES_PER_CASEWORKER), (same, 16 * CASES_PER_CASEWORKER)):
        shutil.rmtree(folder / "sample_data")
        generate(folder / "sample_data", scale=16, caseload=caseload)
    made = time.perf_counter() - started
    turns = []
    for number in range(runs):
        set_aside(demo / "_site")
        small = child_build(demo, work / f"cache-16x-demo-{number}")
        set_aside(same / "_site")
        alike = child_build(same, work / f"cache16-same-{number}")
        set_aside(site / "_site")
        turns.append((child_build(site, work / f"cache16-{number}"), alike, small))
    rows = sum(1 for _ in (site / "sample_data" / "sager.csv").open(encoding="utf-8")) - 2
    pages = {folder.name: sum(1 for _ in (folder / "_site").rglob("*.html")) for folder in (demo, same, site)}

    def ratio(label: str, target: float, which: int, folder: Path, more: str = "") -> Figure:
        pairs = [(turn[which], turn[2]) for turn in turns]
        return Figure(label, statistics.median(big["wall"] / small["wall"] for big, small in pairs), "×", target,
                      "pairs: " + ", ".join(f"{big['wall']:.1f}/{small['wall']:.1f} s" for big, small in pairs)
                      + f"; CPU {statistics.median(big['cpu'] / small['cpu'] for big, small in pairs):.2f}× (pairs: "
                      + ", ".join(f"{big['cpu']:.1f}/{small['cpu']:.1f} s" for big, small in pairs)
                      + f"); {rows} case rows; {pages[folder.name]} pages against the demo's {pages[demo.name]}{more}")

    return [ratio(f"16× case rows: cold build time ratio (median of {runs} pairs in turn)", 1.5, 0, site,
                  f"; sample data for both {made:.0f} s apart"),
            ratio("16× case rows, the demo's caseworkers and pages", float("inf"), 1, same)]


def build_all_98(work: Path, every: bool) -> list[Figure]:
    """``lisite build-all`` on all 98 municipalities, or on a subset with the total extrapolated from it; then the
    same command again, when nothing changed (no target: it finds each site unchanged and writes nothing)."""
    from lisite import buildall
    from lisite.sampledata.kommuner import KOMMUNER

    chosen = buildall.select(None, (1, 1) if every else SUBSET_SHARD)
    workers = os.cpu_count() or 1
    os.environ["LISITE_CACHE"] = str(work / "cache-buildall")  # a first run: nothing kept from an earlier one
    started = time.perf_counter()
    results = buildall.run(chosen, work / "kommuner", workers, echo=lambda line: print("   ", line))
    wall = time.perf_counter() - started
    fit = buildall.fixed_cost(results)
    median = buildall.median_build(results)
    fixed = (f"fixed cost {fit[0]:.1f} s/site + {1000 * fit[1]:.2f} s per 1,000 case rows" if fit
             else f"no fixed cost to fit; median build {median:.1f} s/site" if median is not None else "no site built")
    failed = sum(1 for r in results if r.error)
    if every:
        first = Figure("build-all, 98 municipalities", wall, "s", 180, f"{fixed}; {failed} failed")
    else:
        first = Figure(f"build-all, 98 (EXTRAPOLATED from {len(chosen)})", extrapolate(results, KOMMUNER) * wall, "s", 180,
                       f"{len(chosen)} sites took {wall:.0f} s on {workers} workers; {fixed}; {failed} failed")
    started = time.perf_counter()
    again = buildall.run(chosen, work / "kommuner", workers, echo=lambda line: None)
    kept = sum(1 for r in again if r.kept)
    return [first, Figure(f"build-all again, nothing changed ({len(chosen)} sites)", time.perf_counter() - started, "s",
                          float("inf"), f"{kept} of {len(again)} found unchanged and kept, nothing written")]


def extrapolate(results, kommuner) -> float:
    """How many times the subset's work all 98 are: each site's seconds (data + build) fitted to its inhabitants."""
    size = {k.code: k.inhabitants for k in kommuner}
    points = [(size[r.code], r.data_seconds + r.build_seconds) for r in results if not r.error]
    n = len(points)
    mean_x, mean_y = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    predict = lambda x: max(mean_y + slope * (x - mean_x), 0.0)  # noqa: E731
    return sum(predict(k.inhabitants) for k in kommuner) / sum(predict(x) for x, _ in points)


def peak_memory(site: Path, cache: Path, label: str, target: float) -> list[Figure]:
    """Peak memory of a cold build, in one process (LISITE_WORKERS=1) and with the default workers.

    In one process: its high-water mark (VmHWM; its ru_maxrss would keep the benchmark's own peak, inherited across
    exec). With workers: the most the build's processes used at once (:func:`watched`), for they run side by side, each
    with memory of its own beside what they share; each process's own peak is in the note (the build's process by its
    VmHWM, the largest forked worker by ru_maxrss), and before 6 December 2026 the larger of them was this figure."""
    set_aside(site / "_site")  # else the audiences are read back from the last build
    alone = child_build(site, cache / "one", workers=1)
    set_aside(site / "_site")
    pooled = child_build(site, cache / "default", together=True)
    own = f"each process's own peak: main {pooled['main_mib']:.0f} MiB, largest worker {pooled['workers_mib']:.0f} MiB"
    how = ("not measured: /proc has no smaps_rollup here" if pooled["together_mib"] is None
           else "the build's processes at once (proportional set sizes added, sampled every 20 ms: at least this)")
    return [Figure(f"peak memory, {label}, LISITE_WORKERS=1", alone["main_mib"], "MiB", target, "one process, no workers"),
            Figure(f"peak memory, {label}, default workers, all processes", pooled["together_mib"], "MiB", target, f"{how}; {own}")]


def peak_memory_koebenhavn(work: Path) -> list[Figure]:
    """The demo's configuration with sample data the size of København (101)."""
    from lisite.buildall import prepare
    from lisite.sampledata.kommuner import find

    site = work / "101"
    prepare(site, find(101), None, 2026)
    return peak_memory(site, work / "cache101", "København-sized site", 600)


def month_by_month(site: Path, periods: list[str], cache: Path, each: Callable[[int], Any] = lambda i: None) -> list[dict]:
    """``site`` built for each of ``periods`` in turn, as its ``[period] current``, with one cache, so that each report
    has the ones before it beside it (:func:`child_build`'s figures of each); ``each(i)`` edits its data before the
    ``i``-th build."""
    config = (site / "lisite.toml").read_text(encoding="utf-8")
    builds = []
    for i, period in enumerate(periods):
        (site / "lisite.toml").write_text(re.sub(r'current = "[0-9-]+"', f'current = "{period}"', config), encoding="utf-8")
        each(i)
        builds.append(child_build(site, cache))
    return builds


YEAR = [f"{year}-{month:02d}" for year, month in [(2025, 10), (2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 10)]]


def year_of_reports(work: Path, code: int = 825) -> Figure:
    """A municipality's site (Læsø: the smallest, whose build is most its fixed cost) built once a month for a year,
    each report beside the ones before it (``arkiv/``), as a scheduled job builds it, with new data every month (a
    caseworker's name changes, so the leak check has new values to look for): the twelfth build against the first."""
    from lisite.buildall import prepare
    from lisite.sampledata.kommuner import find

    site = work / f"year-{code}"
    prepare(site, find(code), None, 2026)
    staff = site / "sample_data" / "medarbejdere.csv"
    original = staff.read_text(encoding="utf-8")
    name = original.splitlines()[1].split(";")[1]
    builds = month_by_month(site, YEAR, work / f"cache-year-{code}",
                            lambda i: staff.write_text(original.replace(name, f"{name}{i}", 1), encoding="utf-8"))
    times = [made["wall"] for made in builds]
    return Figure(f"a year of monthly reports ({find(code).name}), 12th ÷ 1st", times[-1] / times[0], "×", float("inf"),
                  f"first {times[0]:.2f} s, sixth {times[5]:.2f} s, twelfth {times[-1]:.2f} s (11 earlier reports beside it)")


def beside_earlier_reports(work: Path, code: int = 101) -> Figure:
    """A large municipality's site (København's size: the suppression across reports has the most cells there, and every
    process of a build holds the earlier reports it carries) built every month for a year (October 2025 to September
    2026) with the same data, each report beside the ones before it, as a scheduled job builds it: the twelfth build
    (beside eleven earlier reports) against the first, and the largest process of each (each process's own peak: the
    builds are timed, and watching all their processes' memory at once takes CPU time; see :func:`peak_memory`)."""
    from lisite.buildall import prepare
    from lisite.sampledata.kommuner import find

    site = work / f"archive-{code}"
    prepare(site, find(code), None, 2026)
    builds = month_by_month(site, YEAR, work / f"cache-archive-{code}")
    times = ", ".join(f"{made['wall']:.1f}" for made in builds)
    memory = [max(made["main_mib"], made["workers_mib"]) for made in builds]
    return Figure(f"{find(code).name}'s size built monthly for a year, 12th ÷ 1st", builds[-1]["wall"] / builds[0]["wall"], "×",
                  float("inf"), f"builds {times} s; largest process {', '.join(f'{mib:.0f}' for mib in memory)} MiB, the twelfth "
                  f"{memory[-1]:.0f} MiB (the same data each month; each build's largest process: its processes together hold more, "
                  "as the København-sized site's figure with workers shows)")


def suite_time() -> Figure:
    """The whole test suite, as ``python -m pytest -q`` runs it from the repository (its default: a worker per core)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=REPO, capture_output=True, text=True)
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else f"exit {done.returncode}"
    return Figure("test suite", time.perf_counter() - started, "s", 240, tail)


# ---- running them ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the slow figures (16x rows, build-all, København memory)")
    parser.add_argument("--all", action="store_true", help="build-all on all 98 municipalities instead of an extrapolated subset")
    parser.add_argument("--suite", action="store_true", help="also time the test suite (first, then wait for the disk to take in its files)")
    parser.add_argument("--against", metavar="REF",
                        help="only compare cold builds (of the demo, or as --scale and --kommune say) with the commit REF, taken in turn")
    parser.add_argument("--runs", type=int, default=5, help="builds of each tree with --against (default 5)")
    parser.add_argument("--scale", type=float, default=1.0, help="with --against: the demo with this many times the cases")
    parser.add_argument("--kommune", type=int, help="with --against: the demo as this municipality, with sample data its size")
    parser.add_argument("--workers", type=int, help="with --against: LISITE_WORKERS for the builds (1: as build-all builds)")
    args = parser.parse_args(argv)
    if not args.against and (args.scale != 1.0 or args.kommune is not None or args.workers is not None):
        parser.error("--scale, --kommune and --workers go with --against")
    if args.scale != 1.0 and args.kommune is not None:
        parser.error("--scale or --kommune, not both")
    if args.scale <= 0 or (args.workers is not None and args.workers < 1):
        parser.error("--scale must be above 0 and --workers at least 1")
    if args.kommune is not None:
        from lisite.sampledata.kommuner import find

        try:
            find(args.kommune)
        except ValueError as exc:
            parser.error(f"--kommune {args.kommune}: {exc}")
    os.environ.pop("LISITE_WORKERS", None)  # the serve session too builds with the default workers
    work = Path(tempfile.mkdtemp(prefix="lisite-bench-"))
    global TRASH
    TRASH = work / "trash"  # earlier outputs, deleted with the rest at the end (set_aside)
    # what this process and the processes it starts keep on disk starts empty, as on a new machine (every child
    # build below names its own folder)
    os.environ["LISITE_CACHE"] = str(work / "cache-session")
    from lisite.serve import Server

    figures: list[Figure] = []

    def report(measure, *args):
        """Print what ``measure(*args)`` found; a figure that cannot be measured is a ✗ and the others go on."""
        try:
            found = measure(*args)
        except Exception as exc:
            found = Figure(measure.__name__, None, "", 0, f"not measured: {type(exc).__name__}: {exc}")
        for figure in found if isinstance(found, list) else [found]:
            figures.append(figure)
            print(figure.line(), flush=True)
        return found

    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]} ({interpreter()}), "
          f"load average {os.getloadavg()[0]:.1f}, work in {work}")
    print(f"compiled to bytecode, as pip install does: {bytecode()}")
    report(machine_reference)
    new_file = report(files_reference, work)
    if args.suite and not args.against:  # first, as a developer or CI runs it: not after the figures below have written
        # hundreds of thousands of files (the same tests took about a tenth longer at the end of a run than on their own)
        report(suite_time)
        report(settled, work, new_file.value)
    if args.against:
        report(against, args.against, work, args.runs, args.scale, args.kommune, args.workers)
        shutil.rmtree(work, ignore_errors=True)
        return 0
    site = demo_copy(work / "site")
    report(cold_build, site, work / "cache")
    report(warm_build, site, work / "cache")
    report(text_edit_build, site, work / "cache")
    report(page_weight, site / "_site")
    report(charts_on_a_tablet, site / "_site")
    report(mkdocs_reference, work, site)  # after the warm build, which builds on the cold build's site and cache
    report(serve_start, site, work / "cache")
    server = Server(site, port=0, echo=lambda message: None)
    server.start()
    if server.state.version == 0:  # _site was shown at once: the edits are timed once the session's own build is done
        wait_for_version(server.url, 0)
    try:
        report(content_edit, server, site)
        report(data_edit, server, site)
    finally:
        server.stop()
    report(peak_memory, site, work / "cache-memory", "cold demo", 250)
    if not args.quick:
        report(rows_16x, work, site)
        report(build_all_98, work, args.all)
        report(peak_memory_koebenhavn, work)
        report(year_of_reports, work)
        report(beside_earlier_reports, work)
    report(machine_reference, 3, " at the end")  # the machine's pace can change during a run of many minutes
    report(files_reference, work, site, 3, " at the end")
    goals = [f for f in figures if f.target != float("inf")]
    print(f"{sum(f.ok for f in goals)} of {len(goals)} figures meet their target")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
