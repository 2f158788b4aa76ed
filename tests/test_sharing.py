"""The workers that make a build's audiences leave what they work out in ``ctx.memo`` and ``ctx.kept`` for each other
(lisite.sharing): a value one worker made is read, not made again, by the other."""

from __future__ import annotations

import os

import pytest

from lisite import sharing, tracking
from lisite.cache import BuildCache

from test_workers import forking, fresh, tree


def test_a_value_offered_is_found_while_the_workers_run_and_the_folder_goes_with_them():
    assert sharing.found(("k", 1)) is None  # no workers: nothing shared
    with sharing.between_workers():
        folder = sharing.FOLDER
        assert oct(folder.stat().st_mode & 0o777) == "0o700"  # the values may hold person-level rows
        sharing.offer(("k", 1), {"value": [1, 2]}, seconds=1.0)
        sharing.offer(("quick", 1), "made in no time", seconds=0.0)  # not worth writing
        sharing.offer(("function", 1), lambda: 1, seconds=1.0)  # cannot travel
        assert sharing.found(("k", 1)) == {"value": [1, 2]}
        assert sharing.found(("k", 2)) is None and sharing.found(("quick", 1)) is None and sharing.found(("function", 1)) is None
        assert len(list(folder.iterdir())) == 1
    assert not folder.exists() and sharing.FOLDER is None and sharing.found(("k", 1)) is None


def test_work_that_takes_no_part_neither_offers_nor_finds_and_the_others_go_on_sharing():
    with sharing.between_workers():
        sharing.offer(("k", 1), "made before", seconds=1.0)
        with sharing.taking_part(False):  # the case-level audience's work (lisite.build)
            sharing.offer(("k", 2), "made for no one", seconds=1.0)
            assert sharing.found(("k", 1)) is None
        assert sharing.TAKING_PART and sharing.found(("k", 1)) == "made before" and sharing.found(("k", 2)) is None
        assert len(list(sharing.FOLDER.iterdir())) == 1


def test_a_tables_files_written_in_another_worker_are_read_not_written_again(monkeypatch):
    """The committee's and the directors' sites share most of their tables: the files of one are written once."""
    from lisite import downloads, spreadsheet
    from lisite.fmt import words
    from lisite.spreadsheet import Grid

    t = words("da")
    table = [downloads.Download("data/side-tal", Grid(title="Tal", heads=("Team", "Antal"), rows=(("Team Nord", "1.234"),)))]
    downloads._both.cache_clear()
    with sharing.between_workers():
        written = downloads.files(table, t)  # in one worker
        assert len(list(sharing.FOLDER.iterdir())) == 1
        downloads._both.cache_clear()  # the other worker has not written it
        monkeypatch.setattr(spreadsheet, "to_xlsx", lambda *a: (_ for _ in ()).throw(AssertionError("written again")))
        assert downloads.files(table, t) == written
    downloads._both.cache_clear()
    with pytest.raises(AssertionError, match="written again"):  # no workers: nothing shared, each writes its own
        downloads.files(table, t)
    downloads._both.cache_clear()


def test_a_memo_and_a_kept_value_made_in_another_worker_are_used_with_what_they_read():
    made = []

    def make(what):
        def inner():
            reads.read("result", "t.antal")
            made.append(what)
            return what
        return inner

    reads = tracking.Reads()
    reads.values[("result", "t.antal")] = "h1"
    with sharing.between_workers():
        other = BuildCache()  # another worker's cache: it made both and offered them
        sharing.WORTH, worth = 0.0, sharing.WORTH
        try:
            assert tracking.memo(other, reads, ("memo", 1), make("memo value")) == "memo value"
            assert tracking.kept(other, reads, ("kept", 1), make("kept value")) == "kept value"
        finally:
            sharing.WORTH = worth
        mine, made[:] = BuildCache(), []
        with reads.recording() as read:
            assert tracking.memo(mine, reads, ("memo", 1), make("made again")) == "memo value"
            assert tracking.kept(mine, reads, ("kept", 1), make("made again")) == "kept value"
        assert made == [] and dict(read) == {("result", "t.antal"): "h1"}  # used, with what it read
        assert ("memo", 1) in mine and ("kept", 1) in mine  # and kept here from then on
        reads.values[("result", "t.antal")] = "h2"  # a kept value is used only while what it read is the same
        assert tracking.kept(BuildCache(), reads, ("kept", 1), make("made again")) == "made again"



def test_a_kept_value_not_to_share_is_neither_offered_nor_read_and_made_in_each_worker():
    """``ctx.kept(..., shared=False)`` (the leak check's column values, made of the data's own strings): a worker reads
    no other worker's copy, which would be a new string for each value, and offers none; the value is still kept."""
    reads = tracking.Reads()
    with sharing.between_workers():
        sharing.WORTH, worth = 0.0, sharing.WORTH
        try:
            other = BuildCache()
            assert tracking.kept(other, reads, ("shared", 1), lambda: "offered") == "offered"
            assert tracking.kept(other, reads, ("own", 1), lambda: "not offered", share=False) == "not offered"
            assert sharing.offered(("shared", 1)) and not sharing.offered(("own", 1))
            sharing.offer(("own", 2), "another worker's", seconds=1.0)
            mine = BuildCache()
            assert tracking.kept(mine, reads, ("own", 2), lambda: "made here", share=False) == "made here"
            assert tracking.kept(mine, reads, ("own", 2), lambda: "made again", share=False) == "made here"  # kept
            assert tracking.kept(mine, reads, ("shared", 1), lambda: "made again") == "offered"
        finally:
            sharing.WORTH = worth

PLUGIN = '''
import multiprocessing, os
import lisite
import lisite.sharing

lisite.sharing.WORTH = 0.0  # every value is offered, however quickly made
MADE = multiprocessing.get_context("fork").Event()  # made before the workers are forked: the one of the whole build


def value(ctx):
    def make():
        with open({log!r}, "a", encoding="utf-8") as fh:
            fh.write(f"made {{os.getpid()}}\\n")
        return "fælles værdi"
    return ctx.memo(("delt", "værdi"), make)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.id != "ledere" and lisite.sharing.FOLDER is not None:
        MADE.wait(60)  # in the other lane (not in one process, where they are made in turn): once the managers' has made it
    shown = value(ctx)
    MADE.set()
    with open({log!r}, "a", encoding="utf-8") as fh:
        fh.write(f"{{audience.id}} {{os.getpid()}}\\n")
    return [lisite.Page("delt.html", "Delt", [lisite.Markdown(text=shown)], section="Tal")]
'''


@forking
def test_a_value_one_worker_made_is_read_not_made_again_by_the_other_and_the_site_is_the_same(make_site, tmp_path):
    sites = {}
    for workers in ("2", "1"):
        log = tmp_path / f"log{workers}.txt"
        site = make_site({"plugins/delt.py": PLUGIN.format(log=str(log))}, name=f"site{workers}")
        run = fresh("import json, os, sys\nfrom lisite.build import build\nbuild(sys.argv[1])\nprint(json.dumps({'me': os.getpid()}))",
                    str(site), workers=workers, cache=tmp_path / f"cache{workers}")
        lines = log.read_text(encoding="utf-8").split("\n")
        sites[workers] = site, [line.split() for line in lines if line], run["me"]
    site, lines, me = sites["2"]
    made = [line[1] for line in lines if line[0] == "made"]
    pages = {line[0]: line[1] for line in lines if line[0] != "made"}
    assert pages["ledere"] != pages["udvalg"] and pages["udvalg"] == str(me)  # in a worker and in the build's process
    assert made == [pages["ledere"]]  # made once, by the managers' worker: the committee's lane read it
    one, lines_one, _ = sites["1"]
    assert [line[0] for line in lines_one] == ["made", "udvalg", "ledere"]  # in one process: made once, kept in memory
    assert tree(site / "_site") == tree(one / "_site")
    assert "fælles værdi" in (site / "_site" / "udvalg" / "delt.html").read_text(encoding="utf-8")


TAKING_PART = '''
import os
import lisite
import lisite.sharing


@lisite.hookimpl
def lisite_pages(audience, ctx):
    with open({log!r}, "a", encoding="utf-8") as fh:
        fh.write(f"{{audience.id}} {{lisite.sharing.TAKING_PART}} {{lisite.sharing.FOLDER is not None}}\\n")
    return []
'''

CASEWORKERS = """
[audiences.sagsbehandlere]
title = "Sagsbehandlere"
level = "case"
pages = ["sager/*"]
"""


@forking
def test_the_audience_at_the_case_level_takes_no_part_in_the_sharing_and_the_others_do(make_site, tmp_path):
    """The caseworkers' pages show single cases, which no other audience may see: what is made for them is not offered
    to the other worker, nor do they look for what it made (at 16 times the demo's cases that cost 0.16 s for no one)."""
    from conftest import tiny_config

    log = tmp_path / "part.txt"
    site = make_site({"plugins/part.py": TAKING_PART.format(log=str(log))}, config=tiny_config(CASEWORKERS))
    fresh("import sys\nfrom lisite.build import build\nbuild(sys.argv[1])\nprint('{}')", str(site), workers="2",
          cache=tmp_path / "cache")
    seen = dict(line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines())
    assert seen == {"sagsbehandlere": "False True", "ledere": "True True", "udvalg": "True True"}
    assert sharing.TAKING_PART  # (in this process: untouched)


def test_the_folder_of_a_build_whose_process_is_gone_is_removed_by_the_next(tmp_path, monkeypatch):
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = tmp_path / f"{sharing.PREFIX}{gone.stdout.strip()}-abcd"  # its process ended without removing it
    alive = tmp_path / f"{sharing.PREFIX}{os.getpid()}-efgh"  # a build running now
    other = tmp_path / "lisite-shared-notes"
    for folder in (stale, alive, other):
        folder.mkdir()
        (folder / "value").write_bytes(b"x")
    monkeypatch.setattr(sharing, "MEMORY", tmp_path)
    with sharing.between_workers():
        assert sharing.FOLDER.parent == tmp_path and sharing.FOLDER.name.startswith(f"{sharing.PREFIX}{os.getpid()}-")
    assert not stale.exists() and alive.exists() and other.exists()


def test_a_claim_is_held_by_one_worker_at_a_time_and_one_that_waits_gets_it_when_it_is_let_go():
    """A worker staging a value ahead of need skips one another worker is making; the worker that needs it waits for it
    (each holds its own open claim, as two processes do). Without workers every claim is held."""
    import threading

    with sharing.claimed(("staged", 1), wait=False) as alone:
        assert alone  # nothing shared: no one else to wait for
    with sharing.between_workers():
        with sharing.claimed(("staged", 1), wait=True) as first, sharing.claimed(("staged", 1), wait=False) as second, \
                sharing.claimed(("staged", 2), wait=False) as other:  # (the second tried while the first is held)
            assert first and not second and other
        held, release, log = threading.Event(), threading.Event(), []

        def holder():
            with sharing.claimed(("staged", 1), wait=False) as mine:
                assert mine
                held.set()
                release.wait(60)
                log.append("let go")

        def waiter():
            with sharing.claimed(("staged", 1), wait=True) as mine:
                log.append(f"held {mine}")

        first_thread = threading.Thread(target=holder)
        first_thread.start()
        assert held.wait(60)
        second_thread = threading.Thread(target=waiter)
        second_thread.start()
        release.set()
        first_thread.join(60)
        second_thread.join(60)
        assert log == ["let go", "held True"]


def test_a_staged_indicator_is_named_between_workers_by_the_records_its_earlier_reports_were_read_from():
    from lisite.context import staged_between_workers
    from lisite.earlier import Shown

    read = Shown("2026-01", "2026-08", frozenset({("2026-08", "team", "A")}), frozenset(), "2026-08", record_id="r1", figures_id="f1")
    named = staged_between_workers("udvalg", ("result", "key"), "declared", 12, (read,))
    assert named == ("staged", "udvalg", ("result", "key"), "declared", 12, (("r1", "f1"),))  # not the cells themselves
    assert staged_between_workers("udvalg", ("result", "key"), "declared", 12, ()) is not None  # no earlier report
    made_here = Shown("2026-01", "2026-08", frozenset(), frozenset(), "2026-08")  # not read from a record: not shared
    assert staged_between_workers("udvalg", ("result", "key"), "declared", 12, (read, made_here)) is None
