"""Where a cold build's CPU time goes, in the buckets the speed issue named: one build in one process.

    python scripts/profile_buckets.py [SITE] [--json]

Builds SITE (default: a new copy of the demo) once, with ``LISITE_WORKERS=1``, an empty cache and no earlier site
(all in a temporary folder: SITE itself is not written), and prints the CPU seconds of each bucket, each without the
buckets inside it: "view: ..." are parts of "other view building", and "the rest" is what no bucket holds (config,
plugins, manifest, Python's own start). The tables of buckets in docs/hastighed.md are made with it. It times
functions by their names in lisite's modules: one that is no longer there is an error naming it, never a bucket that
quietly reads zero. In one process, so the numbers do not hold the two worker processes' own extra work (see
docs/hastighed.md).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

STARTED_CPU, STARTED_WALL = time.process_time(), time.perf_counter()  # before lisite is imported: "import" counts it

#: (module, function or Class.method, bucket), outermost first where one calls another
BUCKETS = (
    ("lisite.build", "read_data", "data (read, type, check)"),
    ("lisite.build", "compute_indicators", "indicators"),
    ("lisite.context", "stage_with_window", "staging (with suppression)"),
    ("lisite.context", "summed", "staging (with suppression)"),
    ("lisite.build", "check_output", "leak check"),
    ("lisite.build", "collect_pages", "plugins' pages (lisite_pages)"),
    ("lisite.render", "Views.page", "other view building"),
    ("lisite.render", "Views.markdown", "view: Markdown"),
    ("lisite.render", "Views.indicator_table", "view: indicator tables"),
    ("lisite.render", "Views.table", "view: other tables"),
    ("lisite.render", "Views.explained", "view: explanations"),
    ("lisite.render", "Views.key_figures", "view: key figures"),
    ("lisite.render", "Views.provenance", "view: provenance"),
    ("lisite.history", "_figure", "view: history"),
    ("lisite.context", "BuildContext.process", "view: process (SPC)"),
    ("lisite.alttext", "describe", "view: alt text"),
    ("lisite.render", "Views.chart", "charts: spec to JSON"),
    ("lisite.charts", "series_chart", "charts: Vega-Lite built"),
    ("lisite.charts", "category_bars", "charts: Vega-Lite built"),
    ("lisite.charts", "process_layers", "charts: Vega-Lite built"),
    ("lisite.charts", "with_datasets", "charts: Vega-Lite built"),
    ("lisite.build", "render_template", "templates (Jinja)"),
    ("lisite.search", "index_script", "search index"),
    ("lisite.downloads", "files", "downloads (CSV, XLSX)"),
    ("lisite.output", "NewSite.add", "writing files"),
    ("lisite.output", "NewSite.put_in_place", "writing files"),
)
PLUGIN_VIEWS = "view: plugins' own parts (lisite_indicator_view)"  # the hook Views calls for each indicator


class Clock:
    """CPU seconds per bucket, each without the time of the buckets called inside it."""

    def __init__(self) -> None:
        self.spent: collections.Counter[str] = collections.Counter()
        self.stack: list[list[Any]] = []  # [bucket, started, seconds of the buckets inside]

    def timed(self, function: Callable, bucket: str) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append([bucket, time.process_time(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                _, started, inside = self.stack.pop()
                seconds = time.process_time() - started
                self.spent[bucket] += seconds - inside
                if self.stack:
                    self.stack[-1][2] += seconds
        return timed


def wrap(clock: Any, buckets: tuple[tuple[str, str, str], ...] = BUCKETS, kind: str = "bucket") -> None:
    """Time every function of ``buckets`` in its module with ``clock.timed(function, name)``; a ``LookupError`` names
    one that is not there (``kind``: what a name is, in that error). Also used by scripts/timeline.py."""
    for module_name, name, bucket in buckets:
        owner: Any = importlib.import_module(module_name)
        *classes, attribute = name.split(".")
        for part in classes:
            owner = getattr(owner, part, None)
        if owner is None or not callable(getattr(owner, attribute, None)):
            raise LookupError(f"{module_name}.{name} is not there: the {kind} {bucket!r} must time another function")
        setattr(owner, attribute, clock.timed(getattr(owner, attribute), bucket))


def wrap_views(clock: Clock) -> None:
    """Time the hook :class:`lisite.render.Views` calls for each indicator (plugins' own parts of a view)."""
    from lisite import render

    made = render.Views.__init__

    def views(self: Any, ctx: Any, hook: Any = None, hooks: Any = None) -> None:
        made(self, ctx, clock.timed(hook, PLUGIN_VIEWS) if hook is not None else None, hooks)

    render.Views.__init__ = views


def measure(site: Path, cache: Path) -> dict[str, Any]:
    """Build ``site`` (a copy: it is written) in this process, new, with every bucket timed:
    {"total", "wall", "buckets": {name: CPU seconds}}."""
    os.environ["LISITE_WORKERS"] = "1"
    os.environ["LISITE_CACHE"] = str(cache)
    from lisite.build import build  # lisite's import is a bucket of its own
    from lisite.cli import collect_less

    imported = time.process_time() - STARTED_CPU
    collect_less()  # the garbage collector as `lisite build` sets it
    clock = Clock()
    wrap(clock)
    wrap_views(clock)
    build(site)
    total = time.process_time() - STARTED_CPU
    spent = dict(clock.spent)
    spent["import"] = imported
    spent["the rest (config, plugins, manifest, ...)"] = total - sum(spent.values())
    return {"total": total, "wall": time.perf_counter() - STARTED_WALL,
            "buckets": dict(sorted(spent.items(), key=lambda item: -item[1]))}


def buckets(site: Path | None = None) -> dict[str, Any]:
    """:func:`measure` of a copy of ``site`` (default: a new copy of the demo) in a new Python process, as `lisite build`
    starts, with an empty cache of its own, lisite compiled to bytecode first (as `pip install` leaves it)."""
    with measured_copy(site, "lisite-buckets-") as (copy, work):
        done = subprocess.run([sys.executable, __file__, "--measure", str(copy), str(work / "cache")],
                              check=False, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"the build measured failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def measured_copy(site: Path | None, prefix: str) -> Iterator[tuple[Path, Path]]:
    """(a copy of ``site``, or a new copy of the demo, the temporary folder it is in), with lisite compiled to bytecode
    first (read compiled, as after `pip install`); the folder is removed afterwards. Also used by scripts/timeline.py."""
    import compileall

    import lisite
    from lisite.plugins import builtin_plugins_dir

    for code in (Path(lisite.__file__).parent, builtin_plugins_dir()):
        compileall.compile_dir(code, quiet=1)
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        work = Path(folder)
        if site is None:
            from lisite.scaffold import init_site

            copy = init_site(work / "site")
        else:
            copy = work / "site"
            shutil.copytree(site, copy, ignore=shutil.ignore_patterns("_site", ".git", "__pycache__"))
        yield copy, work


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="the site to build (default: a new copy of the demo)")
    parser.add_argument("--json", action="store_true", help="print the buckets as JSON")
    parser.add_argument("--measure", nargs=2, type=Path, metavar=("COPY", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:  # the new process buckets() starts
        print(json.dumps(measure(*args.measure), ensure_ascii=False))
        return 0
    found = buckets(args.site.resolve() if args.site else None)
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
        return 0
    print(f"CPU {found['total']:.2f} s in one process (wall {found['wall']:.2f} s), python {sys.version.split()[0]}")
    for name, seconds in found["buckets"].items():
        print(f"  {seconds:6.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
