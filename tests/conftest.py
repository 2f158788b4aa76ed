"""Shared fixtures: small sites built from a dict of files in tmp_path, the demo site built once."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lisite.cli import one_thread_each

one_thread_each()  # as every lisite command: numpy's linear algebra in one thread (read when numpy is imported, below)

import pandas as pd
import pytest

from disclosure import Recorder
from lisite.plugins import builtin_plugin_paths

# The frames a test makes itself hold their texts as a build's do (lisite.textcolumns), also where pyarrow is installed.
pd.set_option("mode.string_storage", "python")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"
DISCLOSURE = "disclosure"  # beside a shared build's site: what each audience's pages were made from, and the truth


def script_module(name: str, as_name: str) -> Iterator[Any]:
    """``scripts/<name>.py`` loaded as the module ``as_name`` (its dataclasses look themselves up in ``sys.modules``), for
    a fixture to yield; gone from ``sys.modules`` afterwards."""
    spec = importlib.util.spec_from_file_location(as_name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[as_name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[as_name]

# Built-in plugins that only read files and so work with any data.
GENERIC_PLUGINS = {"load_csv", "load_excel", "load_sql", "load_dst", "leakcheck"}

TINY_PLUGIN = '''
import pandas as pd
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("tal", "Tal", (
        lisite.Column("maaned", "str"),
        lisite.Column("team", "str"),
        lisite.Column("antal", "int"),
        lisite.Column("sags_id", "str", person_level=True),
    ))]

def compute(ctx):
    data = ctx.data["tal"]
    out = data.groupby(["maaned", "team"])["antal"].sum().reset_index()
    return out.rename(columns={"maaned": "period", "antal": "numerator"})

@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id="tiny.antal", title="Antal i alt", theme="administration",
        element="administrativ_styring", unit="antal", compute=compute, levels=("team",),
        shown_to=("municipality", "team"), key_figure=True)]

@lisite.hookimpl
def lisite_pages(audience, ctx):
    blocks = [lisite.Markdown(text="Hej *verden*"), lisite.IndicatorView("tiny.antal")]
    if audience.level != "municipality":
        blocks.append(lisite.IndicatorView("tiny.antal", by="team"))
    return [lisite.Page("tal/antal.html", "Antal", blocks, section="Tal")]
'''

TINY_DATA = """maaned;team;antal;sags_id
2026-07;A;10;S-1
2026-07;B;2;S-2
2026-07;C;12;S-3
2026-08;A;11;S-4
2026-08;B;9;S-5
2026-08;C;14;S-6
2026-09;A;12;S-7
2026-09;B;3;S-8
2026-09;C;20;S-9
"""


def tiny_config(extra: str = "") -> str:
    disabled = sorted(name for name in builtin_plugin_paths() if name not in GENERIC_PLUGINS)
    return textwrap.dedent(
        f"""
        [site]
        title = "Testsite"
        [municipality]
        code = 479
        name = "Svendborg"
        [period]
        current = "2026-09"
        [audiences.udvalg]
        title = "Udvalget"
        level = "municipality"
        min_count = 5
        [audiences.ledere]
        title = "Ledere"
        level = "team"
        min_count = 3
        [sources.tal]
        path = "data/tal.csv"
        [plugins]
        disabled = {disabled!r}
        """
    ).replace("'", '"') + extra


def write_site(site: Path, files: dict[str, str] | None = None, config: str | None = None) -> Path:
    """Write the tiny site, with ``{relative path: text}`` added or replaced, into ``site``."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "lisite.toml").write_text(config if config is not None else tiny_config(), encoding="utf-8")
    defaults = {"plugins/tiny.py": TINY_PLUGIN, "data/tal.csv": TINY_DATA}
    for rel, text in {**defaults, **(files or {})}.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


@pytest.fixture
def make_site(tmp_path):
    """Write a site from ``{relative path: text}`` and return its folder."""

    def make(files: dict[str, str] | None = None, config: str | None = None, name: str = "site") -> Path:
        return write_site(tmp_path / name, files, config)

    return make


@pytest.fixture
def held_serve_build(monkeypatch):
    """``lisite serve``'s builds wait until the test sets the event returned, then build as usual: what a page shows
    while serve's first build is being made. Set again at the end, so that no build is left waiting."""
    import threading

    import lisite.serve

    release, real = threading.Event(), lisite.serve.build

    def held(*args, **kwargs):
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(lisite.serve, "build", held)
    yield release
    release.set()


def run_folder(tmp_path_factory, worker_id: str) -> Path:
    """The test run's own temporary folder, the same for every pytest-xdist worker."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if worker_id != "master" else root


@pytest.fixture(scope="session", autouse=True)
def run_cache(tmp_path_factory, worker_id):
    """lisite's cache folder (``LISITE_CACHE``) is the test run's own, shared by its workers and by the
    commands the tests start: every run begins as CI does, with nothing cached, and is not slowed or
    changed by what other runs and the developer's own builds left in ``~/.cache/lisite`` (a folder of
    tens of thousands of entries that every build's first write counts). A test about the cache itself
    sets a folder of its own."""
    folder = run_folder(tmp_path_factory, worker_id) / "lisite-cache"
    saved = os.environ.get("LISITE_CACHE")
    os.environ["LISITE_CACHE"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("LISITE_CACHE", None)
    else:
        os.environ["LISITE_CACHE"] = saved


@pytest.fixture(scope="session", autouse=True)
def one_process_builds():
    """Under pytest-xdist with two workers or more, the test workers are the parallelism: a build here runs in one
    process (``LISITE_WORKERS=1``), as each site of ``lisite build-all`` does. Forking a pool of workers for every
    build costs more than it gains when every core is already busy (a tiny site's build takes twice the CPU in
    workers, the demo's a third more), and whether a build forked depended on whether its test process had started
    a chart renderer before. The worker path has tests of its own that ask for it (``LISITE_WORKERS=2`` in
    test_workers and test_errors), and ``lisite build`` run as a user runs it (test_demo) uses it on the whole demo.
    A value the developer set is kept."""
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) < 2 or "LISITE_WORKERS" in os.environ:
        yield
        return
    os.environ["LISITE_WORKERS"] = "1"
    yield
    os.environ.pop("LISITE_WORKERS", None)


def built_once(tmp_path_factory, worker_id: str, name: str, make) -> Path:
    """``make(site)`` once per test run, however many pytest-xdist workers ask: the first builds under a
    lock, the others wait and read the same folder (which no test may change)."""
    from filelock import FileLock

    root = run_folder(tmp_path_factory, worker_id)
    site = root / f"shared-{name}" / "site"
    with FileLock(str(root / f"shared-{name}.lock")):
        done = site.parent / "built"
        if not done.exists():
            make(site)
            done.touch()
    return site


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory, worker_id):
    """The demo site, copied and built once per test run. Returns the site folder."""
    from lisite.build import build
    from lisite.scaffold import init_site

    def make(site: Path) -> None:
        init_site(site)
        build(site, extra_plugins=[("disclosure_recorder", Recorder(site.parent / DISCLOSURE))])

    return built_once(tmp_path_factory, worker_id, "demo", make)


def municipality_build(tmp_path_factory, worker_id, code: int) -> Path:
    """A municipality's site with its own sample data (as ``lisite build-all`` makes it), built once per test run
    with the disclosure recorder. Returns the site folder."""
    from lisite.build import build
    from lisite.buildall import prepare
    from lisite.sampledata.kommuner import find

    def make(site: Path) -> None:
        prepare(site, find(code), None, seed=2026)
        build(site, extra_plugins=[("disclosure_recorder", Recorder(site.parent / DISCLOSURE))])

    return built_once(tmp_path_factory, worker_id, f"kommune-{code}", make)


def two_reports(tmp_path_factory, worker_id, code: int) -> Path:
    """A municipality's report for June 2026 and then for September 2026 (June's in the archive), built once per test
    run with the disclosure recorder (``june/`` and ``september/`` beside the site). Returns the folder of them."""
    from disclosure import june_and_september

    def make(site: Path) -> None:
        june_and_september(site, code)

    return built_once(tmp_path_factory, worker_id, f"two-reports-{code}", make).parent


def monthly_reports(tmp_path_factory, worker_id, code: int, periods: list[str], late: float) -> Path:
    """A municipality's reports for ``periods`` in turn (each beside the earlier ones in its archive), ``late`` of its
    notifications registered one to three months late, built once per test run with the disclosure recorder (a folder
    per period beside the site). Returns the folder of them."""
    from disclosure import monthly_reports as make_reports

    def make(site: Path) -> None:
        make_reports(site, code, periods, late)

    return built_once(tmp_path_factory, worker_id, f"monthly-{code}-{'-'.join(periods)}-{late}", make).parent


@pytest.fixture(scope="session")
def smallest_build(tmp_path_factory, worker_id):
    """Læsø (825), the smallest municipality: most of its monthly figures are small, so its suppression is put to
    work as the demo's never is."""
    return municipality_build(tmp_path_factory, worker_id, 825)


@pytest.fixture(scope="session")
def lemvig_build(tmp_path_factory, worker_id):
    """Lemvig (665): its placements by form over several months and their 12-month sums gave hidden cells away to a
    reader who adds all the sums up at once, which the suppression's interval bounds alone did not see."""
    return municipality_build(tmp_path_factory, worker_id, 665)


CANARY_CASE = "S-990417"
CANARY_WORKER = "SB-977"
CANARY_NAME = "Kanarie Fuglesang"
HOSTILE = "Svend\\'borg \"x\" \\ </script><b>'"
HOSTILE_TEAM = "Team </SCRIPT>\\'\"\\ <!--"


@pytest.fixture(scope="session")
def planted_build(tmp_path_factory, worker_id):
    """The demo, all audiences, with values planted that must not get out, built once per test run: a child, case
    and caseworker that only some audiences may see (test_demo), and a municipality name and a team name made of
    quotes, backslashes and ``</script>`` (test_hostile_inputs). Returns the output folder."""
    from lisite.build import build
    from lisite.scaffold import init_site

    def make(site: Path) -> None:
        init_site(site)
        data = site / "sample_data"
        with (data / "medarbejdere.csv").open("a", encoding="utf-8") as f:
            f.write(f"{CANARY_WORKER};{CANARY_NAME};Team 7-13 år;Sagsbehandler;01-03-2021;;Ja;Ja;12\n")
        with (data / "sager.csv").open("a", encoding="utf-8") as f:
            f.write(f"{CANARY_CASE};2016;Pige;Socialt udsat;;Familieafdelingen;Team 7-13 år;{CANARY_WORKER};03-02-2026;\n")
        with (data / "opfoelgninger.csv").open("a", encoding="utf-8") as f:
            f.write(f"Y-990417;{CANARY_CASE};15-10-2026;;\n")
        config = site / "lisite.toml"
        toml_name = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
        config.write_text(config.read_text(encoding="utf-8").replace('name = "Svendborg"', f'name = "{toml_name}"'), encoding="utf-8")
        # the municipality's own row in the benchmark data carries the same name
        bench = data / "benchmark.csv"
        bench.write_text(bench.read_text(encoding="utf-8").replace(";Svendborg;", f";{HOSTILE};"), encoding="utf-8")
        cases = data / "sager.csv"
        cases.write_text(cases.read_text(encoding="utf-8").replace("Team Handicap", HOSTILE_TEAM), encoding="utf-8")
        build(site)

    return built_once(tmp_path_factory, worker_id, "planted", make) / "_site"


SECOND_CANARY_CASE = "BU-990417"
SECOND_CANARY_WORKER = "HB-977"
SECOND_CANARY_TEXT = "Barnet Emma Canarysen bor på Canaryvej 7"


@pytest.fixture(scope="session")
def second_data(tmp_path_factory, worker_id):
    """The second synthetic municipality's site folder as ``lisite sample-data --variant anden`` writes it, made
    once per test run (making it is a simulation of several seconds). No test may change it: copy it first."""
    from lisite.sampledata.second import second_site

    return built_once(tmp_path_factory, worker_id, "second-data", second_site)


@pytest.fixture(scope="session")
def second_build(tmp_path_factory, worker_id, second_data):
    """The second synthetic municipality (Herning: other teams, headers, Excel sheets, audience ids), with a
    planted case outside the area-limited director's area and a planted free-text finding, built once."""
    from lisite.build import build

    def make(site: Path) -> None:
        shutil.copytree(second_data, site)
        with (site / "data" / "sager.csv").open("a", encoding="utf-8") as f:
            f.write(f"{SECOND_CANARY_CASE};2016;K;Socialt udsat;;Ungeområdet;Ungeteam Øst;{SECOND_CANARY_WORKER};03-02-2026;\n")
        with (site / "data" / "ledelsestilsyn.csv").open("a", encoding="utf-8") as f:
            f.write(f"LT-99999;{SECOND_CANARY_CASE};01-08-2026;Ungeteam Øst;Nej;{SECOND_CANARY_TEXT}, cpr 010203-4521\n")
        build(site, extra_plugins=[("disclosure_recorder", Recorder(site.parent / DISCLOSURE))])

    return built_once(tmp_path_factory, worker_id, "second", make)


def shared_data(name: str) -> Path:
    """A file from ../shared/data; skips locally when absent, fails under CI=true."""
    path = SHARED / "data" / name
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI must run with ../shared beside the checkout")
        pytest.skip(f"{path} not found (../shared is not beside this checkout)")
    return path


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test of a test process (each test opens tabs of its own and closes them):
    starting one takes about two seconds of CPU, once per file before. Playwright's sync API also cannot run
    twice at once in a process, so no test starts a Chromium of its own."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def chromium_path() -> str:
    """Chromium's executable; skips locally without it, fails under CI=true."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if IN_CI:
        pytest.fail("Chromium is not installed, and CI=true requires the browser tests to run")
    pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped locally")


#: The slowest files first, so the two workers (pytest-xdist, a file at a time) finish together instead of one
#: running the wheel or the English demo alone at the end. The first two build the shared sites side by side
#: (the second municipality; the demo), and the worker that built the demo takes the PostgreSQL file next, which
#: compares with it; a file that reads a shared build another file makes (test_hostile_inputs reads test_demo's
#: planted_build, test_disclosure both shared builds) comes well after it, so its worker does not wait on the
#: lock while the other builds. Measured with ``python -m pytest --durations=0 -v`` (the sum per file; every file
#: of five seconds or more is listed, so none of them is left to the end of the queue).
SLOWEST_FIRST = (
    "test_second_municipality.py", "test_golden.py", "test_data_edit.py", "test_postgres.py", "test_workers.py", "test_browser.py",
    "test_disclosure_across.py", "test_i18n.py", "test_demo.py", "test_cli.py", "test_browser_charts.py", "test_linear.py",
    "test_serve.py", "test_browser_web.py", "test_live_edits.py", "test_wheel.py", "test_unchanged.py", "test_browser_front.py",
    "test_history.py", "test_disclosure.py", "test_benchmark_script.py", "test_hostile_inputs.py", "test_second_site.py",
    "test_docs.py", "test_reuse.py", "test_sampledata.py", "test_pdf.py", "test_dst.py", "test_engine.py", "test_buildall.py",
    "test_search.py", "test_incremental.py", "test_sharing.py",
    "test_errors.py", "test_data_files.py", "test_compare.py", "test_reading.py", "test_downloads.py",
    "test_suppression_bounds.py", "test_plugin_indsatser.py", "test_vega_bundle.py",
    "test_plugin_sammenligning_map.py", "test_plugin_measures.py", "test_output_safety.py", "test_calibration.py",
    "test_nightly.py", "test_api.py", "test_cache.py", "test_check.py",
)


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's file scheduling, but the files in ``SLOWEST_FIRST`` first (xdist itself starts with the files
    that have the most tests, which leaves a slow file of four tests, such as the demo's, to the very end)."""
    from xdist.scheduler import LoadFileScheduling

    rank = {name: place for place, name in enumerate(SLOWEST_FIRST)}

    class SlowestFirst(LoadFileScheduling):
        ordered = False

        def _assign_work_unit(self, node):
            if not self.ordered:  # the queue is complete when the first file is handed out
                queue = sorted(self.workqueue.items(), key=lambda unit: rank.get(Path(unit[0]).name, len(rank)))
                self.workqueue.clear()
                self.workqueue.update(queue)
                self.ordered = True
            super()._assign_work_unit(node)

    return SlowestFirst(config, log)
