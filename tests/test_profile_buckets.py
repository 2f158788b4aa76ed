"""scripts/profile_buckets.py: the speed issue's buckets, each without those inside it, from functions that exist."""

from __future__ import annotations

import importlib

import pytest
from conftest import script_module


@pytest.fixture(scope="module")
def script():
    yield from script_module("profile_buckets", "profile_buckets_script")


def test_every_bucket_times_a_function_that_is_there(script):
    """A renamed function must fail here, not leave its bucket quietly at zero."""
    for module_name, name, _ in script.BUCKETS:
        owner = importlib.import_module(module_name)
        for part in name.split("."):
            owner = getattr(owner, part)
        assert callable(owner), f"{module_name}.{name}"


def test_a_function_that_is_not_there_is_named(script):
    with pytest.raises(LookupError, match=r"lisite\.build\.no_such_step .* 'data'"):
        script.wrap(script.Clock(), (("lisite.build", "no_such_step", "data"),))
    with pytest.raises(LookupError, match=r"lisite\.render\.Views\.no_such_view"):
        script.wrap(script.Clock(), (("lisite.render", "Views.no_such_view", "view"),))


def test_a_bucket_holds_its_own_time_without_the_buckets_inside_it(script, monkeypatch):
    now = [0.0]
    monkeypatch.setattr(script.time, "process_time", lambda: now[0])
    clock = script.Clock()

    def spend(seconds):
        now[0] += seconds

    inner = clock.timed(lambda: spend(2.0), "inner")

    def outer_work():
        spend(1.0)
        inner()
        spend(0.5)
        inner()

    clock.timed(outer_work, "outer")()
    clock.timed(lambda: spend(0.25), "outer")()
    assert clock.spent == {"outer": 1.75, "inner": 4.0}
    assert clock.stack == []


def test_a_build_is_measured_in_a_new_process_and_every_second_is_in_a_bucket(script, make_site):
    site = make_site()  # the tiny site of tests/conftest.py
    found = script.buckets(site)
    spent = found["buckets"]
    for bucket in ("import", "data (read, type, check)", "indicators", "leak check", "templates (Jinja)", "writing files"):
        assert spent[bucket] > 0, bucket
    assert sum(spent.values()) == pytest.approx(found["total"])
    assert not (site / "_site").exists()  # a copy was built, not the site itself
