"""scripts/benchmark.py runs and has a function for each figure of the speed goals (no timings are asserted)."""

from __future__ import annotations

import importlib.util
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import script_module

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "benchmark.py"
FIGURES = ("cold_build", "mkdocs_reference", "warm_build", "text_edit_build", "serve_start", "content_edit", "data_edit",
           "page_weight",
           "charts_on_a_tablet", "rows_16x", "build_all_98",
           "peak_memory", "peak_memory_koebenhavn", "year_of_reports", "beside_earlier_reports", "suite_time")


@pytest.fixture(scope="module")
def bench():
    yield from script_module("benchmark", "benchmark_script")


def test_help_runs_and_names_the_options():
    done = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for option in ("--quick", "--all", "--suite", "--against", "--runs"):
        assert option in done.stdout


def test_every_figure_has_its_function(bench):
    for name in FIGURES:
        assert callable(getattr(bench, name)), name


def test_page_weight_finds_the_heaviest_page_and_vega_without_charts(bench, tmp_path):
    script = '<script src="../assets/vega.js"></script>'
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "chart.html").write_text(script + '<div class="chart" data-chart="abc"></div>')
    (tmp_path / "a" / "table.html").write_text(script + "<table>" + "x" * 3000 + "</table>")
    (tmp_path / "index.html").write_text("<p>no charts, no vega</p>")
    heaviest, needless = bench.page_weight(tmp_path)
    assert "table.html" in heaviest.note and heaviest.value == pytest.approx(len(script + "<table></table>") / 1000 + 3)
    assert needless.value == 1 and "table.html" in needless.note and not needless.ok
    assert heaviest.ok and "✓" in heaviest.line() and "✗" in needless.line()


def test_extrapolation_weighs_the_municipalities_by_size(bench):
    from lisite.buildall import SiteResult
    from lisite.sampledata.kommuner import KOMMUNER, find

    # time proportional to inhabitants: all 98 take (sum of all) / (sum of the two) times as long
    results = [SiteResult(k, "", Path(), 0, 0.0, find(k).inhabitants / 10) for k in (825, 101)]
    expected = sum(k.inhabitants for k in KOMMUNER) / (find(825).inhabitants + find(101).inhabitants)
    assert bench.extrapolate(results, KOMMUNER) == pytest.approx(expected)


def test_build_all_is_measured_with_nothing_kept_from_an_earlier_run(bench, tmp_path, monkeypatch):
    """The sample data are the same at every run (the same seed), so a cache folder left by an earlier run would
    hand build-all its datasets and figures: the figure is a first run's, with a cache folder of its own."""
    from lisite import buildall
    from lisite.buildall import SiteResult

    old = tmp_path / "earlier-cache"
    monkeypatch.setenv("LISITE_CACHE", str(old))
    seen = []

    def run(chosen, output, workers, echo=print):
        folder = Path(bench.os.environ["LISITE_CACHE"])
        seen.append((folder, folder.exists()))
        folder.mkdir(parents=True, exist_ok=True)
        again = len(seen) > 1
        return [SiteResult(k.code, k.name, output / str(k.code), 100 * i, 0.1, 1.0 + i, kept=again and i > 0)
                for i, k in enumerate(chosen)]

    monkeypatch.setattr(buildall, "run", run)
    figure, again = bench.build_all_98(tmp_path / "work", every=False)
    [(folder, existed), (second, second_existed)] = seen
    assert folder != old and tmp_path / "work" in folder.parents and not existed
    assert figure.value > 0 and "EXTRAPOLATED" in figure.label
    # then the same run again, with what the first kept: each site it finds unchanged is counted
    assert (second, second_existed) == (folder, True) and again.target == float("inf")
    count = len(buildall.select(None, bench.SUBSET_SHARD))
    assert again.note.startswith(f"{count - 1} of {count} found unchanged")


def test_the_cold_build_is_the_median_of_builds_each_from_nothing(bench, tmp_path, monkeypatch):
    """Each cold build starts with no site and a cache folder of its own; the figure is their median, and the last
    one's cache is the one the warm build is given."""
    site = tmp_path / "site"
    walls = iter([5.0, 3.0, 4.0, 6.0, 2.5])
    seen = []

    def child_build(where, cache, workers=None):
        assert not (where / "_site").exists()  # else the build finds nothing changed
        (where / "_site").mkdir(parents=True)
        seen.append(cache)
        return {"wall": next(walls), "build": 1.0, "import": 0.5, "pages": 116, "cpu": 6.0}

    monkeypatch.setattr(bench, "child_build", child_build)
    figure = bench.cold_build(site, tmp_path / "cache")  # five, as the speed goals were measured (medians of 5)
    assert figure.value == 4.0 and "5.00, 3.00, 4.00, 6.00, 2.50" in figure.note and "build() 1.00 s" in figure.note
    assert figure.line().startswith("✗ cold demo build (median of 5)")
    assert len(set(seen)) == 5 and seen[-1] == tmp_path / "cache"


def test_the_16x_figure_takes_the_demo_the_same_pages_and_the_16x_site_in_turn(bench, tmp_path, monkeypatch):
    """Three cold builds a turn, each in a cache of its own: the demo, 16 times its cases with its own caseworkers (no
    target) and the 16x site (target 1.5x); each ratio is the median of its turns' ratios to the demo's build."""
    from lisite import sampledata

    made, order = [], []
    walls = {"demo": iter([3.0, 3.2, 2.9]), "site16-same-pages": iter([7.5, 8.0, 8.1]), "site16": iter([9.0, 9.6, 9.0])}
    pages = {"demo": 116, "site16-same-pages": 116, "site16": 715}

    def generate(out, scale=1.0, caseload=25):
        made.append((out.parent.name, scale, caseload))
        out.mkdir()
        (out / "sager.csv").write_text("title\nheader\n" + "row\n" * 80, encoding="utf-8")

    def child_build(where, cache, workers=None):
        assert not (where / "_site").exists() and cache not in {seen for _, seen in order}
        (where / "_site").mkdir(parents=True)
        for number in range(pages[where.name]):
            (where / "_site" / f"{number}.html").write_bytes(b"")
        order.append((where.name, cache))
        return {"wall": next(walls[where.name]), "cpu": 2 * len(order)}

    monkeypatch.setattr(sampledata, "generate", generate)
    monkeypatch.setattr(bench, "child_build", child_build)
    demo = bench.demo_copy(tmp_path / "demo")
    rows, same = bench.rows_16x(tmp_path, demo, runs=3)
    assert made == [("site16", 16, 25), ("site16-same-pages", 16, 400)]
    assert [name for name, _ in order] == ["demo", "site16-same-pages", "site16"] * 3
    assert rows.target == 1.5 and rows.value == 3.0 and "9.0/3.0 s, 9.6/3.2 s, 9.0/2.9 s" in rows.note
    assert "80 case rows; 715 pages against the demo's 116" in rows.note and not rows.ok
    assert same.target == float("inf") and same.value == 2.5 and "116 pages against the demo's 116" in same.note
    assert "no target" in same.line() and "demo's caseworkers" in same.line()


def test_the_machine_reference_has_no_target_and_is_not_counted_as_one(bench):
    reference = bench.machine_reference(rounds=1)
    assert reference.value > 0 and "no target" in reference.line() and "✓" not in reference.line()
    again = bench.machine_reference(rounds=1, when=" at the end")  # a run measures it at its end too
    assert again.line().split(" (no target)")[0].endswith("machine reference at the end")


def test_making_a_new_file_is_measured_where_the_builds_write_and_counts_a_sites_new_files(bench, tmp_path):
    site = tmp_path / "site"
    (site / "_site" / "a").mkdir(parents=True)
    (site / "_site" / "a" / "x.csv").write_bytes(b"1")
    (site / "_site" / "a" / "y.csv").hardlink_to(site / "_site" / "a" / "x.csv")  # a twin: no new file
    (site / "_site" / "index.html").write_bytes(b"2")
    figure = bench.files_reference(tmp_path, site, rounds=2, when=" at the end")
    assert figure.value > 0 and figure.unit == "µs" and "✓" not in figure.line() and "no target" in figure.line()
    assert "wrote 3 files, 2 of them new" in figure.note
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]  # its own files are gone again


def test_after_the_tests_the_run_waits_until_a_new_file_is_made_about_as_fast_as_before_them(bench, tmp_path, monkeypatch):
    """The suite is timed first; the figures after it wait until the disk has taken in its files: until a new file takes
    at most twice what it took before the tests, or the most it may wait has gone."""
    paces = iter([900.0, 400.0, 90.0, 50.0])
    monkeypatch.setattr(bench, "files_reference", lambda work, rounds=3: bench.Figure("new file", next(paces), "µs", float("inf")))
    waited = bench.settled(tmp_path, 50.0, every=0)
    assert "a new file took 900, 400, 90 µs against 50 µs before the tests" in waited.note  # 90 ≤ 2 × 50: done
    assert waited.value >= 0 and "no target" in waited.line() and "✓" not in waited.line()
    paces = iter([900.0] * 50)
    assert bench.settled(tmp_path, 50.0, most=0, every=0).note.startswith("a new file took 900 µs")  # (no longer than most)
    assert bench.settled(tmp_path, None, every=0).note.startswith("a new file took 900 µs")  # nothing to compare: no wait
    real = inspect.getsource(bench.main)
    assert real.index("report(suite_time)") < real.index("report(settled") < real.index("report(cold_build")


def test_the_run_names_the_interpreter_that_builds_behind_a_virtual_environment(bench, tmp_path, monkeypatch):
    """A venv's python is a link to the interpreter it was made with: the run names that one (its compilation moves
    every figure)."""
    real = tmp_path / "python3.11"
    real.write_text("")
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "python").symlink_to(real)
    monkeypatch.setattr(bench.sys, "executable", str(tmp_path / "venv" / "python"))
    assert bench.interpreter() == str(real)


def test_an_earlier_output_is_set_aside_not_deleted_before_a_measured_build(bench, tmp_path, monkeypatch):
    """Deleting 1,500 files just before a build slows its own writes: the benchmark moves the old output into a
    folder it deletes at the end, so each cold build still starts with no site."""
    site = tmp_path / "site"
    monkeypatch.setattr(bench, "TRASH", tmp_path / "trash")
    made = []

    def child_build(where, cache, workers=None):
        assert not (where / "_site").exists()
        (where / "_site").mkdir(parents=True)
        (where / "_site" / "index.html").write_text(str(len(made)))
        made.append(cache)
        return {"wall": 1.0, "build": 1.0, "import": 0.5, "pages": 116, "cpu": 2.0}

    monkeypatch.setattr(bench, "child_build", child_build)
    bench.cold_build(site, tmp_path / "cache", runs=3)
    kept = sorted(path.read_text() for path in (tmp_path / "trash").glob("*/index.html"))
    assert kept == ["0", "1"] and (site / "_site" / "index.html").read_text() == "2"


def test_a_comparison_takes_the_two_trees_in_turn(bench):
    """--against REF: the machine's speed drifts within the hour, so the builds of the two trees alternate (REF first,
    then this checkout first, ...) and each tree's wall times are kept apart."""
    order = []

    def build(name, number):
        order.append((name, number))
        return {"wall": {"ref": 4.0, "this": 3.0}[name] + number / 10}

    made = bench.alternate(["ref", "this"], 3, build)
    assert order == [("ref", 0), ("this", 0), ("this", 1), ("ref", 1), ("ref", 2), ("this", 2)]
    assert {name: [run["wall"] for run in runs] for name, runs in made.items()} == {"ref": [4.0, 4.1, 4.2], "this": [3.0, 3.1, 3.2]}


def test_a_comparison_gives_the_medians_and_the_change_in_wall_and_in_cpu_time(bench):
    runs_of = {"abc123": [{"wall": 4.0, "cpu": 10.0}, {"wall": 5.0, "cpu": 12.0}, {"wall": 4.4, "cpu": 11.0}],
               "this checkout": [{"wall": 3.0, "cpu": 9.0}, {"wall": 3.3, "cpu": 9.9}, {"wall": 6.0, "cpu": 9.5}]}
    figures = {figure.label: figure for figure in bench.compared("abc123", runs_of)}
    assert figures["cold build of the demo, abc123 (median of 3)"].value == 4.4
    assert figures["cold build of the demo, this checkout (median of 3)"].value == 3.3
    assert figures["change against abc123"].value == pytest.approx(-25.0)
    assert figures["its CPU time, this checkout (median of 3)"].value == 9.5
    assert figures["change against abc123 in CPU time"].value == pytest.approx(100 * (9.5 - 11.0) / 11.0)
    assert all(figure.target == float("inf") for figure in figures.values())  # a comparison, not a goal


def test_a_child_builds_cpu_time_counts_the_processes_it_waited_for(bench):
    """A build's workers are the build's children: their CPU time is part of the build's, which children_cpu finds
    once the build has ended (a child that burns 0.3 s of CPU in a grandchild it waits for)."""
    burn = "import time\nwhile time.process_time() < 0.3: pass"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {burn!r}], check=True)"
    before = bench.children_cpu()
    subprocess.run([sys.executable, "-c", child], check=True)
    assert bench.children_cpu() - before >= 0.3


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux's /proc/<pid>/smaps_rollup")
def test_a_builds_memory_is_its_processes_at_once_not_the_largest_of_them(bench):
    """A parent holding 60 MB beside a child holding 40 MB of its own: together over 90 MiB, however small each alone."""
    hold = "import time\nheld = b'x' * ({mb} * 1024 * 1024)\ntime.sleep({seconds})"
    child = hold.format(mb=40, seconds=1.5)
    parent = (f"import subprocess, sys\nkid = subprocess.Popen([sys.executable, '-c', {child!r}])\n"
              + hold.format(mb=60, seconds=1.5) + "\nkid.wait()")
    proc = subprocess.Popen([sys.executable, "-c", parent])
    most = bench.watched(proc)
    assert proc.wait() == 0
    assert most is not None and 90 < most < 300


def test_the_memory_of_a_build_with_workers_is_all_its_processes_at_once(bench, tmp_path, monkeypatch):
    """peak_memory: one process by its own peak; with workers, what its processes held at once (each one's own peak in
    the note); where that cannot be measured, no value, and the note says why."""
    made = []

    def child_build(site, cache, workers=None, together=False):
        made.append((workers, together))
        return {"main_mib": 150.0 if workers else 130.0, "workers_mib": 0.0 if workers else 160.0,
                "together_mib": watched if together else None}

    monkeypatch.setattr(bench, "child_build", child_build)
    watched = 290.0
    alone, pooled = bench.peak_memory(tmp_path, tmp_path / "cache", "cold demo", 250)
    assert made == [(1, False), (None, True)]
    assert (alone.value, alone.ok) == (150.0, True) and "LISITE_WORKERS=1" in alone.label
    assert (pooled.value, pooled.ok) == (290.0, False) and "all processes" in pooled.label
    assert "main 130 MiB, largest worker 160 MiB" in pooled.note and "at least" in pooled.note
    watched = None
    _, unknown = bench.peak_memory(tmp_path, tmp_path / "cache", "cold demo", 250)
    assert unknown.value is None and not unknown.ok and "smaps_rollup" in unknown.note


def test_the_mkdocs_reference_is_not_measured_without_mkdocs_and_says_how_to_get_it(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench.importlib.util, "find_spec", lambda name: None)
    [figure] = bench.mkdocs_reference(tmp_path)
    assert figure.value is None and "pip install mkdocs-material" in figure.note and figure.target == float("inf")


def test_charts_on_a_tablet_are_not_measured_without_chromium_and_say_so(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    figures = bench.charts_on_a_tablet(tmp_path)
    assert len(figures) == 3 and all(f.value is None and f.target == float("inf") for f in figures)
    assert all("Chromium" in f.note for f in figures)


@pytest.mark.browser
def test_charts_on_a_tablet_time_the_page_with_the_most_charts(demo_build, browser):
    """Run in a process of its own: Playwright's sync API runs once in a process, and the tests' Chromium is open here
    (``browser``, which also skips the test without Chromium, or fails it under CI=true)."""
    code = ("import importlib.util, sys; from pathlib import Path\n"
            f"spec = importlib.util.spec_from_file_location('benchmark_script', {str(SCRIPT)!r})\n"
            "bench = importlib.util.module_from_spec(spec); sys.modules[spec.name] = bench; spec.loader.exec_module(bench)\n"
            f"for figure in bench.charts_on_a_tablet(Path({str(demo_build / '_site')!r}), runs=1, slower=1): print(figure.value, figure.note)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    (first, where), (every, _), (longest, _) = [line.split(" ", 1) for line in done.stdout.splitlines()]
    assert re.match(r"udvalg/rapporter/aarsrapport\.html, \d\d charts", where)  # the committee's annual report
    assert 0 < float(first) < float(every) and 0 <= float(longest) < float(every)


def test_the_mkdocs_reference_pages_each_get_their_charts_and_table_from_the_data(tmp_path):
    """scripts/mkdocs_reference.py: a front page and the pages asked for, each with a placeholder that the project's
    hook turns into Altair charts drawn by the bundled vega-embed, and the monthly figures as a table; run here
    without MkDocs, as MkDocs calls it."""
    spec = importlib.util.spec_from_file_location("mkdocs_reference", SCRIPT.with_name("mkdocs_reference.py"))
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    folder = reference.make(tmp_path / "ref", pages=5, charts=2)
    pages = sorted((folder / "docs").glob("*.md"))
    assert [page.name for page in pages][-1] == "index.md" and len(pages) == 6
    assert (folder / "docs" / "js" / "vega.js").read_text(encoding="utf-8").count("window.vegaEmbed") >= 1
    assert "hooks.py" in (folder / "mkdocs.yml").read_text(encoding="utf-8")
    hook_spec = importlib.util.spec_from_file_location("reference_hooks", folder / "hooks.py")
    hooks = importlib.util.module_from_spec(hook_spec)
    hook_spec.loader.exec_module(hooks)
    cases = pd.read_csv(folder / "data" / "sager.csv", sep=";", skiprows=1, dtype=str)
    for page in pages[:-1]:
        text = page.read_text(encoding="utf-8")
        made = hooks.on_page_markdown(text, None, None, None)
        assert made.count("vegaEmbed(") == 2 and "<!-- charts" not in made
        months = dict(line.split("|")[1:3] for line in made.splitlines() if line.startswith("| 20"))
        assert len(months) == 33
        if "<!-- charts cases new team " in text:  # the new cases of a team in September 2026, counted here from the file
            team = text.split("<!-- charts cases new team ")[1].split()[0].replace("_", " ")
            opened = cases.loc[cases["team"] == team, "oprettet"].str[3:]
            assert int(months[" 2026-09 "]) == int((opened == "09-2026").sum()) > 0


def test_the_mkdocs_reference_takes_a_lisite_build_and_a_mkdocs_build_in_turn(bench, tmp_path, monkeypatch):
    """The ratio is the median of pairs built one after the other (the machine drifts between two series), each
    lisite build from no site and a cache of its own."""
    order, lisite_walls, mkdocs_walls = [], iter([6.0, 8.0, 5.0]), iter([10.0, 8.0, 4.0])
    clock = [0.0]

    def child_build(site, cache, workers=None):
        assert not (site / "_site").exists()
        (site / "_site").mkdir(parents=True)
        order.append(("lisite", cache.name))
        return {"wall": next(lisite_walls)}

    def run(args, **kwargs):
        if "mkdocs" in args:
            order.append(("mkdocs", ""))
            clock[0] += next(mkdocs_walls)
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(bench.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(bench, "child_build", child_build)
    monkeypatch.setattr(bench.subprocess, "run", run)
    monkeypatch.setattr(bench.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(bench, "TRASH", tmp_path / "trash")
    reference, ratio = bench.mkdocs_reference(tmp_path, tmp_path / "site", runs=3)
    assert [kind for kind, _ in order] == ["lisite", "mkdocs"] * 3 and len({name for kind, name in order if kind == "lisite"}) == 3
    assert reference.value == 8.0 and ratio.value == 1.0  # the ratios 0.6, 1.0 and 1.25; not 6.0 / 8.0
    assert "6.00/10.00 s" in ratio.note and ratio.target == float("inf")


def test_a_comparison_on_another_site_gives_both_trees_the_same_sample_data(bench, tmp_path):
    """--against REF --kommune CODE: each tree's own demo site, both with the sample data of that municipality made
    once (the same bytes) and its code and name in lisite.toml, so the change is measured on the same input."""
    import tomllib

    sites = bench.same_sites({"ref": bench.REPO, "this checkout": bench.REPO}, tmp_path, kommune=825)
    files = {name: {path.relative_to(site / "sample_data"): path.read_bytes() for path in (site / "sample_data").rglob("*")
                    if path.is_file()} for name, site in sites.items()}
    assert files["ref"] == files["this checkout"] and len(files["ref"]) > 5
    demo = bench.same_sites({"demo": bench.REPO}, tmp_path / "demo")["demo"]
    assert files["ref"][Path("sager.csv")] != (demo / "sample_data" / "sager.csv").read_bytes()  # not the demo's data
    for site in sites.values():
        config = tomllib.loads((site / "lisite.toml").read_text(encoding="utf-8"))
        assert config["municipality"] == {"code": 825, "name": "Læsø"}
    assert tomllib.loads((demo / "lisite.toml").read_text(encoding="utf-8"))["municipality"]["code"] != 825


def test_a_comparison_names_what_it_built(bench):
    assert bench.site_name() == "the demo"
    assert bench.site_name(scale=16) == "the demo at 16× the cases"
    assert bench.site_name(kommune=825, workers=1) == "Læsø (825) with LISITE_WORKERS=1"
    figures = bench.compared("abc", {"abc": [{"wall": 1.0, "cpu": 1.0}], "this checkout": [{"wall": 1.0, "cpu": 1.0}]},
                             bench.site_name(kommune=825))
    assert figures[0].label == "cold build of Læsø (825), abc (median of 1)"


def test_the_options_of_another_site_go_with_a_comparison():
    for args in (["--kommune", "825"], ["--scale", "16"], ["--workers", "1"], ["--against", "HEAD", "--scale", "2", "--kommune", "825"],
                 ["--against", "HEAD", "--kommune", "999"], ["--against", "HEAD", "--scale", "0"], ["--against", "HEAD", "--workers", "0"]):
        done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 2 and "error:" in done.stderr, (args, done.stderr)


def test_serve_start_shows_a_current_site_at_once_and_waits_for_the_sessions_first_build(bench, make_site, tmp_path,
                                                                                          monkeypatch):
    """With the builds' cache folder, serve finds _site current and shows it at once, making its own first build
    meanwhile: the figure says so. A new process, stopped again as Ctrl+C stops it."""
    from lisite.build import build

    cache = tmp_path / "cache"
    monkeypatch.setenv("LISITE_CACHE", str(cache))
    site = make_site()
    build(site)
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "another"))  # serve_start gives its process the builds' folder
    first, ready = bench.serve_start(site, cache)
    assert "a new process; the last build's _site shown at once" == first.note and first.value <= ready.value
    first, _ = bench.serve_start(site, tmp_path / "empty")  # no record of the last build there: built first
    assert "built first" in first.note


def test_a_year_of_reports_builds_each_month_in_turn_with_new_data_and_one_cache(bench, tmp_path, monkeypatch):
    """Twelve builds of the same site (so each new report has the ones before beside it), October 2025 to September
    2026, each with another caseworker's name than the one before (new values for the leak check), all with one cache."""
    seen = []

    def child_build(site, cache):
        config = (site / "lisite.toml").read_text(encoding="utf-8")
        seen.append((re.search(r'current = "([0-9-]+)"', config).group(1), (site / "sample_data" / "medarbejdere.csv").read_bytes(), cache))
        return {"wall": 2.0 + len(seen) / 4}

    monkeypatch.setattr(bench, "child_build", child_build)
    figure = bench.year_of_reports(tmp_path)
    assert [period for period, _, _ in seen] == bench.YEAR and bench.YEAR[0] == "2025-10" and bench.YEAR[-1] == "2026-09"
    assert len({staff for _, staff, _ in seen}) == 12 and len({cache for _, _, cache in seen}) == 1
    assert figure.value == pytest.approx(5.0 / 2.25) and "first 2.25 s" in figure.note and "twelfth 5.00 s" in figure.note
    assert figure.target == float("inf") and "(no target)" in figure.line()


def test_a_large_municipality_is_built_month_after_month_beside_its_earlier_reports(bench, tmp_path, monkeypatch):
    """København's size built for each month of a year in turn, one site and one cache, so each report has the ones
    before beside it: the twelfth build against the first, and each build's largest process."""
    seen = []

    def child_build(site, cache):
        config = (site / "lisite.toml").read_text(encoding="utf-8")
        seen.append((re.search(r'current = "([0-9-]+)"', config).group(1), site, cache))
        return {"wall": 8.0 + 2 * len(seen), "main_mib": 300.0 + 20 * len(seen), "workers_mib": 340.0 + 10 * len(seen)}

    monkeypatch.setattr(bench, "child_build", child_build)
    monkeypatch.setattr("lisite.buildall.prepare", lambda site, *args: (site.mkdir(parents=True),
                                                                       (site / "lisite.toml").write_text('current = "2026-09"\n')))
    figure = bench.beside_earlier_reports(tmp_path)
    assert [period for period, _, _ in seen] == ["2025-10", "2025-11", "2025-12", *(f"2026-{m:02d}" for m in range(1, 10))]
    assert len({site for _, site, _ in seen}) == 1 and len({cache for _, _, cache in seen}) == 1
    assert figure.value == pytest.approx(32.0 / 10.0) and "builds 10.0, 12.0, 14.0, 16.0" in figure.note and "30.0, 32.0 s" in figure.note
    # the larger of each build's two processes: the workers' at first, the build process's from the fifth build on
    assert "largest process 350, 360, 370, 380, 400, 420" in figure.note and "the twelfth 540 MiB" in figure.note
    assert "(no target)" in figure.line() and "monthly for a year" in figure.line()
