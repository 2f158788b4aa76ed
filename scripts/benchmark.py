"""Time lisite on the demo site: a cold build, a warm build, and an edit reaching the browser.

    python scripts/benchmark.py

Prints the figures; it asserts nothing. "Cold" starts with an empty chart cache
(a first build on a new machine); "warm" is a second process-fresh build with the
cache filled; "edit" is the time from saving a content file under ``lisite serve``
until the new version is announced to the browser.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="lisite-bench-"))
    os.environ["LISITE_CACHE"] = str(work / "cache")
    from lisite.build import Session, build
    from lisite.scaffold import init_site
    from lisite.serve import VERSION_PATH, Server

    site = init_site(work / "site")
    started = time.perf_counter()
    report = build(site)
    cold = time.perf_counter() - started
    pages = sum(report.pages.values())
    charts = sum(p.read_text(encoding="utf-8").count(' data-chart="') for p in (site / "_site").rglob("*.html"))

    started = time.perf_counter()
    build(site)
    warm = time.perf_counter() - started

    session = Session()
    build(site, session=session)
    started = time.perf_counter()
    build(site, session=session)
    session_rebuild = time.perf_counter() - started

    server = Server(site, port=0, echo=lambda message: None)
    server.start()
    target = site / "content" / "forside" / "udvalg.md"
    original = target.read_text(encoding="utf-8") if target.exists() else ""
    edits = []
    try:
        for i in range(5):
            version = server.state.version
            target.parent.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            target.write_text(original + f"\n\nÆndring nr. {i}.\n", encoding="utf-8")
            url = f"{server.url}{VERSION_PATH.lstrip('/')}?since={version}"
            json.loads(urllib.request.urlopen(url, timeout=60).read())
            edits.append(time.perf_counter() - started)
    finally:
        server.stop()

    print(f"demo site: {len(report.pages)} audiences, {pages} pages, {charts} charts, {report.files} files")
    print(f"cold build (empty chart cache):        {cold:6.2f} s")
    print(f"warm build (chart cache filled):       {warm:6.2f} s")
    print(f"rebuild in a serve session:            {session_rebuild:6.2f} s")
    print(f"edit → browser told (median of 5):     {statistics.median(edits):6.2f} s  (all: {', '.join(f'{e:.2f}' for e in edits)})")
    data_edits = data_edit(site)
    print(f"data edit → browser told (median of 3): {statistics.median(data_edits):6.2f} s  (all: {', '.join(f'{e:.2f}' for e in data_edits)})")
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")


def data_edit(site: Path, repeats: int = 3) -> list[float]:
    """Seconds from changing one value in one CSV file under ``lisite serve`` until the browser is told.

    The value is whether the first notification in ``sample_data/underretninger.csv`` led to an
    investigation (Nej/Ja, alternately): only the indicators that read that file are computed again.
    """
    from lisite.serve import VERSION_PATH, Server

    target = site / "sample_data" / "underretninger.csv"
    original = target.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    server = Server(site, port=0, echo=lambda message: None)
    server.start()
    times = []
    try:
        for i in range(repeats):
            version = server.state.version
            row = lines[2].replace(";Nej\n", ";Ja\n") if i % 2 == 0 else lines[2]  # changed, then back
            edited = lines[:2] + [row] + lines[3:]
            started = time.perf_counter()
            target.write_text("".join(edited), encoding="utf-8")
            url = f"{server.url}{VERSION_PATH.lstrip('/')}?since={version}"
            json.loads(urllib.request.urlopen(url, timeout=120).read())
            times.append(time.perf_counter() - started)
    finally:
        target.write_text(original, encoding="utf-8")
        server.stop()
    return times


if __name__ == "__main__":
    main()
