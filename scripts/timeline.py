"""Where a cold build's wall time goes, process by process: when each step began and ended in the build's own process
and in its forked worker.

    python scripts/timeline.py [SITE] [--workers N] [--every] [--json]

Builds SITE (default: a new copy of the demo) once in a new process, as `lisite build` builds it (a forked worker beside
the build's own process on two cores, unless ``--workers`` says otherwise), with an empty cache and no earlier site (all
in a temporary folder: SITE itself is not written), and prints every timed call: the process that made it, what it
was (with the audience it was for), when it began and ended (seconds since that build's process started, so the
import is the time before the first line) and its CPU seconds; then, for the audiences' sites, when each process was
done with them, and how many indicators each computed. A process done long before the other is time a better split of the work would win: how the work is
split is in :mod:`lisite.workers`, and docs/hastighed.md has what such timelines showed. It times functions by their
names in lisite's modules: one that is no longer there is an error naming it, never a step that quietly is not shown.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()  # before lisite is imported: the first step's start is the import's time

# the same way of timing functions and of copying a site as scripts/profile_buckets.py, also when this file is loaded
# from elsewhere (the tests)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from profile_buckets import measured_copy, wrap

#: (module, function or Class.method, what it is): the calls shown
STEPS = (
    ("lisite.build", "read_data", "data"),
    ("lisite.build", "prepare", "data prepared"),
    ("lisite.build", "compute_indicators", "indicators"),
    ("lisite.build", "compute_one", "indicator computed"),
    ("lisite.build", "ready_for_pages", "ready for the pages"),
    ("lisite.build", "build_audience", "made"),
    ("lisite.build", "check_output", "checked"),
    ("lisite.output", "NewSite.add", "files written"),
    ("lisite.build", "input_hashes", "inputs hashed"),
    ("lisite.disk", "DiskCache.write", "cache for the next process written"),
    ("lisite.output", "NewSite.put_in_place", "put in place"),
)
PAGES = ("made", "checked", "files written")  # what a process does for the audiences' sites
COUNTED = ("files written", "put in place")  # shown with how many files they were given


def label(what: str, args: tuple) -> str:
    """What a call was for: the audience or indicator among its arguments (its id), or for files written how many."""
    if what in COUNTED:
        return next((f"{len(arg)} files" for arg in args if isinstance(arg, dict)), "")
    return next((arg.id for arg in args if isinstance(getattr(arg, "id", None), str)), "")


class Recorder:
    """Appends one JSON line per timed call to a file: the build's forked workers inherit it and write to the same file
    (each line is one write to a file opened for appending, so lines of two processes never mix)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def timed(self, function: Callable, what: str) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.write({"pid": os.getpid(), "what": what, "for": label(what, args), "began": began - STARTED,
                            "ended": time.perf_counter() - STARTED, "cpu": time.process_time() - cpu})
        return timed

    def write(self, event: dict[str, Any]) -> None:
        line = (json.dumps(event) + "\n").encode()
        handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(handle, line)
        finally:
            os.close(handle)


def measure(site: Path, cache: Path, events: Path) -> None:
    """Build ``site`` (a copy: it is written) in this process, as `lisite build` does, new, with every step recorded
    in ``events``: the build's steps as they begin (``progress``) too."""
    os.environ["LISITE_CACHE"] = str(cache)
    from lisite.build import build
    from lisite.cli import collect_less, one_thread_each

    one_thread_each()
    collect_less()
    recorder = Recorder(events)
    wrap(recorder, STEPS, kind="step")
    recorder.write({"pid": os.getpid(), "what": "imported", "for": "", "began": 0.0, "ended": time.perf_counter() - STARTED,
                    "cpu": time.process_time()})
    build(site, progress=lambda step: recorder.write({"pid": os.getpid(), "what": f"step: {step}", "for": "",
                                                      "began": time.perf_counter() - STARTED, "ended": None, "cpu": None}))
    recorder.write({"pid": os.getpid(), "what": "build returned", "for": "", "began": time.perf_counter() - STARTED,
                    "ended": None, "cpu": None})


def timeline(site: Path | None = None, workers: int | None = None) -> dict[str, Any]:
    """The timed calls of a build of a copy of ``site`` (default: a new copy of the demo) in a new Python process, with
    lisite compiled to bytecode first (as `pip install` leaves it): {"events": [...], "processes": {...}, "total"}.
    Each event names its process: "build" (the build's own) or "worker 1", "worker 2", ... in the order they began."""
    with measured_copy(site, "lisite-timeline-") as (copy, work):
        env = {key: value for key, value in os.environ.items() if key != "LISITE_WORKERS"}
        if workers is not None:
            env["LISITE_WORKERS"] = str(workers)
        events = work / "events.jsonl"
        done = subprocess.run([sys.executable, __file__, "--measure", str(copy), str(work / "cache"), str(events)],
                              check=False, capture_output=True, text=True, env=env)
        if done.returncode:
            raise RuntimeError(f"the build timed failed:\n{done.stderr[-3000:]}")
        found = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    return summed(found)


def summed(found: list[dict[str, Any]]) -> dict[str, Any]:
    """The events by their start, each with its process's name, and for each process: when it began and was done with
    the audiences' sites and its CPU seconds on them (until the build's step "write", which puts the new site in
    place)."""
    main = next(event["pid"] for event in found if event["what"] == "imported")
    names = {main: "build"}
    events = []
    for event in sorted(found, key=lambda event: event["began"]):
        names.setdefault(event["pid"], f"worker {len(names)}")
        events.append({**event, "process": names[event["pid"]]})
    processes: dict[str, dict[str, float]] = {}
    computed: dict[str, dict[str, float]] = {}
    written = next((event["began"] for event in events if event["what"] == "step: write"), float("inf"))
    for event in events:
        if event["what"] in PAGES and event["began"] < written:  # (not the last files, put in place with the rest)
            lane = processes.setdefault(event["process"], {"began": event["began"], "done": event["ended"], "cpu": 0.0})
            lane["began"] = min(lane["began"], event["began"])
            lane["done"] = max(lane["done"], event["ended"])
            lane["cpu"] += event["cpu"]
        elif event["what"] == "indicator computed":
            lane = computed.setdefault(event["process"], {"indicators": 0, "cpu": 0.0})
            lane["indicators"] += 1
            lane["cpu"] += event["cpu"]
    total = max(event["began"] if event["ended"] is None else event["ended"] for event in events)
    return {"events": events, "processes": processes, "indicators": computed, "total": total}


def report(found: dict[str, Any], every: bool = False) -> list[str]:
    """The timeline as lines to print; each indicator computed only with ``every`` (else their sum by process)."""
    lines = [f"{'process':<10} {'what':<38} {'for':<16} {'began':>7} {'ended':>7} {'CPU':>6}"]
    for event in found["events"]:
        if event["what"] == "indicator computed" and not every:
            continue
        ended = "" if event["ended"] is None else f"{event['ended']:7.2f}"
        cpu = "" if event["cpu"] is None else f"{event['cpu']:6.2f}"
        lines.append(f"{event['process']:<10} {event['what']:<38} {event['for']:<16} {event['began']:7.2f} {ended:>7} {cpu:>6}")
    lanes = found["processes"]
    if lanes:
        last = max(lane["done"] for lane in lanes.values())
        lines.append("the audiences' sites (made, checked, their files written), by process:")
        for name, lane in lanes.items():
            lines.append(f"  {name}: from {lane['began']:.2f} s to {lane['done']:.2f} s, CPU {lane['cpu']:.2f} s"
                         + (f"; done {last - lane['done']:.2f} s before the last" if lane["done"] < last else ""))
    if found["indicators"]:
        lines.append("the indicators computed, by process: " + ", ".join(
            f"{name} {lane['indicators']} (CPU {lane['cpu']:.2f} s)" for name, lane in found["indicators"].items()))
    lines.append(f"the build's process ended its last step {found['total']:.2f} s after it started")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="the site to build (default: a new copy of the demo)")
    parser.add_argument("--workers", type=int, help="LISITE_WORKERS for the build (default: as `lisite build` has it)")
    parser.add_argument("--json", action="store_true", help="print the timeline as JSON")
    parser.add_argument("--every", action="store_true", help="also print each indicator computed")
    parser.add_argument("--measure", nargs=3, type=Path, metavar=("COPY", "CACHE", "EVENTS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:  # the new process timeline() starts
        measure(*args.measure)
        return 0
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    found = timeline(args.site.resolve() if args.site else None, args.workers)
    print(json.dumps(found, ensure_ascii=False) if args.json else "\n".join(report(found, args.every)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
