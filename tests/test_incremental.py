"""Only what an edit touches is made again: indicators by the datasets they read, results kept on disk
between processes, and the serve folder written file by file."""

from __future__ import annotations

import os
import pickle

import pytest

from lisite.build import Session, build
from lisite.disk import DiskCache
from lisite.update import write_changed

from conftest import TINY_PLUGIN, tiny_config

# The tiny plugin plus a second dataset and an indicator that reads only it; every computation
# appends its indicator's id to computed.log beside the site, so a test can count them.
TWO_PLUGIN = TINY_PLUGIN.replace("def compute(ctx):", '''def log(ctx, name):
    with open(ctx.config.site_dir / "computed.log", "a", encoding="utf-8") as fh:
        fh.write(name + "\\n")

def compute_other(ctx):
    log(ctx, "tiny.andet")
    data = ctx.data["andet"]
    out = data.groupby(["maaned", "team"])["antal"].sum().reset_index()
    return out.rename(columns={"maaned": "period", "antal": "numerator"})

def compute(ctx):
    log(ctx, "tiny.antal")''').replace('''    ))]
''', '''    )), lisite.DatasetSpec("andet", "Andet", (
        lisite.Column("maaned", "str"),
        lisite.Column("team", "str"),
        lisite.Column("antal", "int"),
    ))]
''', 1).replace('''        shown_to=("municipality", "team"), key_figure=True)]''', '''        shown_to=("municipality", "team"), key_figure=True),
        lisite.Indicator(id="tiny.andet", title="Andet i alt", theme="administration",
        element="administrativ_styring", unit="antal", compute=compute_other, levels=("team",),
        shown_to=("municipality", "team"))]''')

OTHER_DATA = "maaned;team;antal\n2026-08;A;7\n2026-09;A;8\n2026-09;B;9\n"


@pytest.fixture
def two_site(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))  # a disk cache of this test's own
    config = tiny_config().replace("[plugins]", '[sources.andet]\npath = "data/andet.csv"\n[plugins]')
    return make_site({"plugins/tiny.py": TWO_PLUGIN, "data/andet.csv": OTHER_DATA}, config=config)


def computed(site) -> list[str]:
    log = site / "computed.log"
    found = log.read_text(encoding="utf-8").split() if log.exists() else []
    log.unlink(missing_ok=True)
    return sorted(found)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_data_edit_recomputes_only_the_indicators_that_read_it(two_site):
    session = Session()
    build(two_site, session=session)
    assert computed(two_site) == ["tiny.andet", "tiny.antal"]
    build(two_site, session=session)
    assert computed(two_site) == []
    edit(two_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(two_site, session=session)
    assert computed(two_site) == ["tiny.andet"]
    edit(two_site / "data" / "tal.csv", "2026-09;C;20;S-9", "2026-09;C;30;S-9")
    build(two_site, session=session)
    assert computed(two_site) == ["tiny.antal"]
    assert "Antal i alt var 45 i september 2026." in (two_site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")


def test_a_new_process_reads_datasets_and_figures_from_disk_and_an_edit_misses_them(two_site, tmp_path):
    build(two_site)  # a fresh session each time: as `lisite build` twice
    assert computed(two_site) == ["tiny.andet", "tiny.antal"]
    page = (two_site / "_site" / "udvalg" / "tal" / "antal.html").read_bytes()
    session = Session()
    build(two_site, session=session)
    assert computed(two_site) == []
    assert session.disk.reads >= 4  # two datasets, and per indicator what it read and its result
    assert (two_site / "_site" / "udvalg" / "tal" / "antal.html").read_bytes() == page
    edit(two_site / "data" / "tal.csv", "2026-09;C;20;S-9", "2026-09;C;30;S-9")
    build(two_site)
    assert computed(two_site) == ["tiny.antal"]
    assert "Antal i alt var 45 i september 2026." in (two_site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")


def test_a_one_off_build_writes_its_results_once_its_pages_are_made_and_its_datasets_at_once(two_site, tmp_path, monkeypatch):
    """The indicators' results of a one-off build are written for the next process while its last audience is made
    (a core is free then): a build that fails while making its pages keeps its datasets, not those results."""
    import lisite.build

    def failing(audience, *args, **kwargs):
        raise RuntimeError("a page failed")

    with monkeypatch.context() as patched:
        patched.setattr(lisite.build, "build_audience", failing)
        with pytest.raises(RuntimeError):
            build(two_site)
    assert computed(two_site) == ["tiny.andet", "tiny.antal"]
    kept = [pickle.loads(entry.read_bytes())[0] for entry in (tmp_path / "cache" / "results").glob("*.pickle")]
    assert sum(key.startswith("DataKey(") for key in kept) == 2 and len(kept) == 2
    session = Session()
    build(two_site, session=session)
    assert computed(two_site) == ["tiny.andet", "tiny.antal"] and session.disk.reads == 2  # the datasets from disk
    build(two_site)
    assert computed(two_site) == []  # the results were written by the build that made its pages


#: A build in a new interpreter (a test process may have started a chart renderer, after which lisite never forks):
#: which datasets this process pickled for the disk cache, whether the build failed, which datasets it read.
IN_WORKERS = """
import json, os, sys
import lisite.build, lisite.data
from lisite import disk
here, pickled, read = os.getpid(), [], []
store, load_one = disk.DiskCache._store, lisite.data._load_one
def stored(self, name, said, value):
    if os.getpid() == here:
        pickled.append(said.split("(")[0])
    return store(self, name, said, value)
disk.DiskCache._store = stored
lisite.data._load_one = lambda spec, *args: read.append(spec.name) or load_one(spec, *args)
if sys.argv[2] == "fail":
    def failing(*args, **kwargs):
        raise RuntimeError("a page failed")
    lisite.build.build_audience = failing
try:
    lisite.build.build(sys.argv[1])
    failed = ""
except Exception as exc:
    failed = str(exc)
print(json.dumps({"pickled": pickled, "read": sorted(read), "failed": failed, "workers": lisite.workers.count(2)}))
"""


def in_a_new_process(site, how: str, workers: str, cache) -> dict:
    import json

    from fresh import python_c

    env = {**os.environ, "LISITE_WORKERS": workers, "LISITE_CACHE": str(cache)}
    done = python_c(IN_WORKERS, str(site), how, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(os.cpu_count() < 2, reason="workers need two cores")
def test_datasets_read_in_workers_are_pickled_there_once_and_written_for_the_next_process(two_site, tmp_path):
    """With workers, a dataset is pickled in the worker that read it: written there for the next process, and sent back as
    those bytes (this process does not pickle it again); one this process read itself (it makes a lane of the work too)
    it writes. Without workers this process writes both, as before; either way the next process reads both datasets
    back, also after a build that failed while making its pages."""
    for workers in ("2", "1"):
        cache = tmp_path / f"cache-{workers}"
        run = in_a_new_process(two_site, "fail", workers, cache)
        assert "a page failed" in run["failed"] and run["workers"] == int(workers)
        assert run["pickled"].count("DataKey") == len(run["read"]), workers  # those read here, once each
        assert workers == "2" or len(run["read"]) == 2
        on_disk = [pickle.loads(entry.read_bytes())[0] for entry in (cache / "results").glob("*.pickle")]
        assert sum(key.startswith("DataKey(") for key in on_disk) == 2, workers
    again = in_a_new_process(two_site, "build", "1", tmp_path / "cache-2")  # (in this process, where its reads are seen)
    assert again["failed"] == "" and again["read"] == []  # both datasets from the disk cache the workers wrote
    assert in_a_new_process(two_site, "build", "1", tmp_path / "cache-none")["read"] == ["andet", "tal"]  # (else read here)


def test_corrupt_entries_are_ignored_and_made_anew(two_site, tmp_path):
    build(two_site)
    computed(two_site)
    entries = sorted((tmp_path / "cache" / "results").glob("*.pickle"))
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:20])  # cut short
    build(two_site)
    assert computed(two_site) == ["tiny.andet", "tiny.antal"]
    build(two_site)
    assert computed(two_site) == []  # the entries were written again


def test_an_entry_written_by_other_code_is_never_read(tmp_path, monkeypatch):
    from lisite import disk

    cache = DiskCache(tmp_path)
    cache.put(("key", 1), "value")
    assert DiskCache(tmp_path).get(("key", 1)) == "value"
    monkeypatch.setattr(disk, "code_version", lambda: "other code")
    assert DiskCache(tmp_path).get(("key", 1)) is None


def test_a_file_with_another_key_under_the_name_is_not_used(tmp_path):
    cache = DiskCache(tmp_path)
    name = cache.name(("a",))
    (tmp_path / name).write_bytes(pickle.dumps((repr(("b",)), "not for a")))
    assert cache.get(("a",), "missing") == "missing"


def test_unstable_keys_are_not_kept(tmp_path):
    cache = DiskCache(tmp_path)
    cache.put(("key", object()), "value")
    assert not list(tmp_path.iterdir())


def test_the_folder_is_trimmed_by_least_recent_use(tmp_path):
    cache = DiskCache(tmp_path, max_bytes=10_000)
    for i in range(4):
        cache.put(("k", i), "x" * 2_000)
        os.utime(tmp_path / cache.name(("k", i)), (1000 + i, 1000 + i))
    assert cache.get(("k", 0)) is not None  # used now: the most recent
    for i in range(4, 8):
        cache.put(("k", i), "x" * 2_000)
        os.utime(tmp_path / cache.name(("k", i)), (2000 + i, 2000 + i))
    assert cache.size() <= 10_000
    assert cache.get(("k", 0)) is not None
    assert cache.get(("k", 1)) is None and cache.get(("k", 7)) is not None
    assert not list(tmp_path.glob("*.tmp"))


def test_the_folder_size_is_kept_in_a_ledger_every_process_adds_to_not_counted_by_each(tmp_path, monkeypatch):
    from lisite import disk

    if disk.fcntl is None:
        pytest.skip("no file locks on this system: each process counts the folder itself")
    counted = []
    size = DiskCache.size
    monkeypatch.setattr(DiskCache, "size", lambda self: counted.append(1) or size(self))
    first = DiskCache(tmp_path, max_bytes=1_000_000)
    first.put(("a",), "x" * 1_000)  # no ledger yet: the folder is counted once
    assert len(counted) == 1
    for i in range(5):  # another process, and more writes: added, never counted
        DiskCache(tmp_path, max_bytes=1_000_000).put(("b", i), "y" * 2_000)
    first.put(("c",), "z" * 3_000)
    first.put(("c",), "z" * 3_000)  # written again: nothing new
    DiskCache(tmp_path, max_bytes=1_000_000).put(("b", 0), "y" * 500)  # smaller than before
    assert len(counted) == 1
    on_disk = sum(path.stat().st_size for path in tmp_path.glob("*" + disk.SUFFIX))
    assert int((tmp_path / disk.LEDGER).read_text()) == on_disk
    (tmp_path / disk.LEDGER).write_text("garbage")  # unreadable: counted again
    first.put(("d",), "w")
    assert len(counted) == 2
    assert int((tmp_path / disk.LEDGER).read_text()) == sum(path.stat().st_size for path in tmp_path.glob("*" + disk.SUFFIX))


def test_a_ledger_that_says_too_much_removes_nothing_before_the_folder_is_counted(tmp_path):
    from lisite import disk

    cache = DiskCache(tmp_path, max_bytes=50_000)
    for i in range(4):
        cache.put(("k", i), "x" * 2_000)
    (tmp_path / disk.LEDGER).write_text("49999")  # entries removed by hand, or written twice: the ledger overstates
    cache.put(("k", 4), "x" * 2_000)
    assert all(cache.get(("k", i)) is not None for i in range(5))
    assert int((tmp_path / disk.LEDGER).read_text()) == cache.size() < 50_000


def test_write_changed_touches_only_what_changed(tmp_path):
    out = tmp_path / "_site"
    written: dict[str, bytes] = {}
    write_changed({"a.html": b"a", "b/c.html": b"c", "gone.html": b"g"}, out, written)
    before = (out / "a.html").stat()
    count = write_changed({"a.html": b"a", "b/c.html": b"C", "new.html": b"n"}, out, written)
    assert count == 3  # one changed, one new, one removed
    after = (out / "a.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (out / "b" / "c.html").read_bytes() == b"C" and (out / "new.html").read_bytes() == b"n"
    assert not (out / "gone.html").exists()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["a.html", "b/c.html", "new.html"]


def test_a_live_session_writes_only_the_changed_pages(two_site, tmp_path):
    out = tmp_path / "live"
    session = Session(live=True)
    build(two_site, session=session, output_dir=out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    edit(two_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(two_site, session=session, output_dir=out)
    touched = {p for p, stamp in stamps.items() if p.stat().st_mtime_ns != stamp}
    assert out / "manifest.json" in touched  # the input hashes changed
    assert out / "udvalg" / "assets" / "vega.js" not in touched
    assert len(touched) < len(stamps) / 2


# Two indicators made from one derived frame of the dataset "andet" (lisite.calc.Derived); the frame logs each making.
DERIVED_PLUGIN = TWO_PLUGIN.replace("def compute_other(ctx):", '''from lisite import calc

def rows_of(data, site_dir):
    with open(site_dir + "/derived.log", "a", encoding="utf-8") as fh:
        fh.write("rows\\n")
    return data.rename(columns={"maaned": "period"})

def summed_of(rows):
    return rows.groupby(["period", "team"])["antal"].sum().reset_index().rename(columns={"antal": "numerator"})

def counted_of(rows):
    return rows.groupby(["period", "team"]).size().rename("numerator").reset_index()

def compute_count(ctx):
    log(ctx, "tiny.raekker")
    return calc.remembered(ctx, counted_of, {calc.Derived(rows_of, {"andet": None}, str(ctx.config.site_dir)): None})

def compute_other(ctx):
    log(ctx, "tiny.andet")
    return calc.remembered(ctx, summed_of, {calc.Derived(rows_of, {"andet": None}, str(ctx.config.site_dir)): None})

def unused(ctx):''').replace('''        shown_to=("municipality", "team"))]''', '''        shown_to=("municipality", "team")),
        lisite.Indicator(id="tiny.raekker", title="Rækker i andet", theme="administration",
        element="administrativ_styring", unit="antal", compute=compute_count, levels=("team",),
        shown_to=("municipality", "team"))]''')


def test_a_derived_frame_is_made_once_a_build_for_the_figures_made_from_it_and_not_kept_past_them(make_site, tmp_path,
                                                                                                   monkeypatch):
    from lisite import remember

    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    config = tiny_config().replace("[plugins]", '[sources.andet]\npath = "data/andet.csv"\n[plugins]')
    site = make_site({"plugins/tiny.py": DERIVED_PLUGIN, "data/andet.csv": OTHER_DATA}, config=config)
    remember.forget()
    session = Session()
    build(site, session=session)
    log = site / "derived.log"
    assert computed(site) == ["tiny.andet", "tiny.antal", "tiny.raekker"]
    assert log.read_text(encoding="utf-8").split() == ["rows"]  # once, for both figures
    assert remember._derived == {}  # let go of once the figures were made
    edit(site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(site, session=session)
    assert computed(site) == ["tiny.andet", "tiny.raekker"]  # the two made from the edited dataset
    assert log.read_text(encoding="utf-8").split() == ["rows", "rows"]  # and the frame they share, once
