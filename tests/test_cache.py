"""The typed build cache: keys hold plugin code, config and data; memory is bounded; serve sees plugin edits."""

from __future__ import annotations

import os
import sys
from typing import NamedTuple

import pandas as pd
import pytest

from lisite.build import Session, build
from lisite.cache import (
    BuildCache,
    DataKey,
    IndicatorKey,
    PagesKey,
    StagedKey,
    ViewKey,
    approx_size,
)
from lisite.reuse import RECORD

from conftest import TINY_PLUGIN


class Key(NamedTuple):
    """A key of its own kind, for the tests of the cache's bounds."""

    name: str


# The tiny plugin with a factor in its compute; the edit below keeps the file's length and
# modification time, so only the file's contents tell the versions apart.
FACTOR_PLUGIN = TINY_PLUGIN.replace(
    'return out.rename(columns={"maaned": "period", "antal": "numerator"})',
    'FACTOR = 1\n    return out.rename(columns={"maaned": "period", "antal": "numerator"}).assign(numerator=lambda f: f["numerator"] * FACTOR)',
)


def page(site, audience="udvalg"):
    return (site / "_site" / audience / "tal" / "antal.html").read_text(encoding="utf-8")


def test_edited_local_plugin_shows_its_new_figure_at_the_next_serve_rebuild(make_site, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as for most users: a stale .pyc must not win either
    site = make_site({"plugins/tiny.py": FACTOR_PLUGIN})
    session = Session()
    build(site, session=session)
    assert "Antal i alt var 35 i september 2026." in page(site)
    plugin = site / "plugins" / "tiny.py"
    before = plugin.stat()
    plugin.write_text(FACTOR_PLUGIN.replace("FACTOR = 1", "FACTOR = 2"), encoding="utf-8")
    os.utime(plugin, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime: only the code differs
    assert plugin.stat().st_size == before.st_size and plugin.stat().st_mtime_ns == before.st_mtime_ns
    build(site, session=session)
    assert "Antal i alt var 70 i september 2026." in page(site)
    assert "Antal i alt var 70 i september 2026." in page(site, "ledere")
    codes = {key.code for key in session.cache.keys(IndicatorKey)}
    assert len(codes) == 1  # the old version's results were swept


def test_unchanged_rebuild_reuses_everything(make_site):
    site = make_site()
    session = Session()
    build(site, session=session)
    first = session.cache.stats()
    manifest = (site / "_site" / "manifest.json").read_text(encoding="utf-8")
    for record in (site / "_site").glob(f"*/{RECORD}"):
        record.unlink()  # else the audiences are read back from the folder (tests/test_reuse.py) and nothing is made
    build(site, session=session)
    stats = session.cache.stats()
    assert (site / "_site" / "manifest.json").read_text(encoding="utf-8") == manifest
    for kind in (DataKey, IndicatorKey, StagedKey, PagesKey, ViewKey):
        assert stats["misses"].get(kind.__name__, 0) == 0, (kind.__name__, stats)
        assert stats["hits"].get(kind.__name__, 0) > 0, (kind.__name__, stats)
    assert stats["entries"] == first["entries"]  # nothing swept, nothing added


def test_data_edit_replaces_the_old_data_and_its_figures(make_site):
    site = make_site()
    session = Session()
    build(site, session=session)
    data = site / "data" / "tal.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("2026-09;C;20;S-9", "2026-09;C;30;S-9"), encoding="utf-8")
    build(site, session=session)
    assert "Antal i alt var 45 i september 2026." in page(site)
    cache = session.cache
    assert len(cache.keys(DataKey)) == 1  # one copy of the dataset, the new one
    assert len({key.data for key in cache.keys(IndicatorKey)}) == 1  # the result of the new data only
    assert len({key.indicator.data for key in cache.keys(StagedKey)}) == 1  # staged from that result (by its content hash)


def test_config_edit_is_part_of_the_keys(make_site):
    site = make_site()
    session = Session()
    build(site, session=session)
    config = site / "lisite.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Udvalget"', 'title = "Børneudvalget"'), encoding="utf-8")
    build(site, session=session)
    misses = session.cache.stats()["misses"]
    assert misses.get("ReadsKey", 0) + misses.get("IndicatorKey", 0) > 0  # computed anew
    assert "Børneudvalget" in (site / "_site" / "udvalg" / "index.html").read_text(encoding="utf-8")


def test_cache_is_bounded_by_entries_and_bytes():
    cache = BuildCache(max_entries=3, max_bytes=10_000_000)
    for i in range(5):
        cache.put(Key(str(i)), "x")
    assert cache.keys() == [Key("2"), Key("3"), Key("4")]
    cache.get(Key("2"))  # used recently: kept
    cache.put(Key("5"), "x")
    assert Key("2") in cache and Key("3") not in cache

    frame = pd.DataFrame({"a": range(10_000)})
    small = BuildCache(max_entries=100, max_bytes=3 * approx_size(frame))
    for i in range(5):
        small.put(Key(str(i)), frame.copy())
    assert len(small) == 2 and small.bytes <= small.max_bytes
    assert small.put(Key("huge"), pd.concat([frame] * 4)) is not None  # returned, not kept
    assert Key("huge") not in small


def test_entries_are_sized_only_once_the_process_holds_half_the_bound(monkeypatch):
    """Sizing every value cost a few per cent of a build that could never reach the bound: values are sized once the
    process holds half of it, then all those kept so far at once (the oldest dropped to fit) and every new one."""
    from lisite import cache as cache_module

    frame = pd.DataFrame({"a": range(10_000)})
    resident = [10 * approx_size(frame)]
    monkeypatch.setattr(cache_module, "resident_bytes", lambda: resident[0])
    sized = []
    monkeypatch.setattr(cache_module, "approx_size", lambda value, depth=0: sized.append(value) or approx_size(value, depth))
    cache = BuildCache(max_entries=100, max_bytes=3 * approx_size(frame))  # half of it: 1.5 frames; the process holds 10
    cache.put(Key("0"), frame.copy())
    assert cache.sizing and sized  # looked at the first put: above half the bound

    resident[0] = 0  # a process far below the bound
    small = BuildCache(max_entries=100, max_bytes=3 * approx_size(frame))
    sized.clear()
    for i in range(5):
        small.put(Key(str(i)), frame.copy(), size=lambda: pytest.fail("sized though far below the bound"))
        small.put(Key(f"own {i}"), frame.copy())
    assert not small.sizing and not sized and len(small) == 10 and small.bytes == 0

    resident[0] = 2 * approx_size(frame)  # now over half the bound: the next look sizes all kept
    for i in range(5, 5 + cache_module.LOOK_EVERY):
        small.put(Key(f"own {i}"), frame.copy())
    assert small.sizing and len(small) == 2 and small.bytes <= small.max_bytes
    assert list(small.keys())[-1] == Key(f"own {4 + cache_module.LOOK_EVERY}")  # the newest kept, the oldest dropped


def test_memory_of_the_process_is_known_here():
    from lisite.cache import resident_bytes

    assert resident_bytes() > 10 * 1024 * 1024  # this process holds pandas: tens of megabytes


def test_a_frame_is_sized_as_the_sum_of_its_columns():
    """Numbers, dates and booleans by their dtype alone (as many bytes as pandas gives them), text and other
    columns as a Series is (a sample of its cells); also where two columns share a name."""
    from lisite.cache import _column_size

    frame = pd.DataFrame({"n": [1.0, 2.0, None], "i": [1, 2, 3], "d": pd.to_datetime(["2026-01-01"] * 3),
                          "b": [True, False, True], "t": ["en", "to", None], "k": pd.Categorical(["a", "b", "a"]),
                          "m": pd.array([1, None, 3], dtype="Int64")})
    index = frame.index.memory_usage()
    plain = frame[["n", "i", "d", "b"]].memory_usage(index=False, deep=False).sum()
    assert approx_size(frame) == index + plain + sum(_column_size(frame[name]) for name in ("t", "k", "m"))
    assert approx_size(frame) == index + sum(_column_size(frame[name]) for name in frame.columns)
    twice = pd.concat([frame, frame[["t", "n"]]], axis=1)
    assert approx_size(twice) == approx_size(frame) + _column_size(frame["t"]) + _column_size(frame["n"])


def test_sweep_drops_what_a_build_did_not_use():
    cache = BuildCache()
    cache.put(Key("old"), "a")
    cache.put(Key("kept"), "b")
    cache.begin()
    cache.get(Key("kept"))
    cache.put(Key("new"), "c")
    assert cache.sweep() == 1
    assert set(cache.keys()) == {Key("kept"), Key("new")}


def test_a_whole_found_keeps_the_parts_it_was_made_of_from_the_sweep():
    """``tracking.with_parts``: a build that finds the whole uses its parts with it, so the sweep keeps them for the next
    build that must make a whole again, which finds them and makes only the new ones."""
    from lisite import tracking

    cache, made = BuildCache(), []

    def part(name):
        return cache.get_or_make(Key(name), lambda: made.append(name) or name.upper())

    def whole():
        return part("a") + part("b")

    assert tracking.with_parts(cache, Key("whole"), whole) == "AB" and made == ["a", "b"]
    cache.begin()
    assert tracking.with_parts(cache, Key("whole"), whole) == "AB" and made == ["a", "b"]  # found whole
    assert cache.sweep() == 0  # its parts used with it
    cache.begin()
    assert tracking.with_parts(cache, Key("other whole"), lambda: part("a") + part("c")) == "AC"
    assert made == ["a", "b", "c"]  # "a" found, not made again
    assert cache.sweep() == 2 and set(cache.keys()) == {Key("a"), Key("c"), Key("other whole")}


def test_typed_keys_of_different_kinds_never_collide():
    cache = BuildCache()
    cache.put(Key("x"), 1)
    cache.put(IndicatorKey("x", "p", "c", (), "cfg"), 2)
    assert cache.get(Key("x")) == 1
    assert cache.get(IndicatorKey("x", "p", "c", (), "cfg")) == 2
    assert cache.get(IndicatorKey("x", "p", "other code", (), "cfg")) is None
