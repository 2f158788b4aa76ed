"""scripts/timeline.py: when each step of a cold build began and ended, in the build's process and in its worker."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from conftest import script_module


@pytest.fixture(scope="module")
def script():
    yield from script_module("timeline", "timeline_script")


class Untimed:
    """Hands each function back as it is: :func:`wrap` then only looks each one up."""

    def timed(self, function, what):
        return function


def test_every_step_times_a_function_that_is_there(script):
    """A renamed function must fail here, not leave its step quietly out of the timeline."""
    script.wrap(Untimed(), script.STEPS, kind="step")  # a LookupError names one that is not there
    assert len({(module, name) for module, name, _ in script.STEPS}) == len(script.STEPS)


def test_a_function_that_is_not_there_is_named(script, tmp_path):
    recorder = script.Recorder(tmp_path / "events.jsonl")
    with pytest.raises(LookupError, match=r"lisite\.build\.no_such_step .* 'data'"):
        script.wrap(recorder, (("lisite.build", "no_such_step", "data"),))
    with pytest.raises(LookupError, match=r"lisite\.output\.NewSite\.no_such_method"):
        script.wrap(recorder, (("lisite.output", "NewSite.no_such_method", "files written"),))


def test_the_processes_are_named_and_each_is_done_when_its_last_audience_is(script):
    """The build's own process is "build" wherever its pid falls among the others; a worker is named in the order it
    began; a process is done with the audiences' sites at the end of its last one made, checked or written, not at
    the files put in place with the rest."""
    found = script.summed([
        {"pid": 9, "what": "imported", "for": "", "began": 0.0, "ended": 0.3, "cpu": 0.3},
        {"pid": 5, "what": "made", "for": "b", "began": 1.0, "ended": 1.5, "cpu": 0.5},
        {"pid": 9, "what": "made", "for": "a", "began": 1.0, "ended": 2.0, "cpu": 1.0},
        {"pid": 9, "what": "files written", "for": "3 files", "began": 2.0, "ended": 2.5, "cpu": 0.25},
        {"pid": 5, "what": "checked", "for": "b", "began": 1.5, "ended": 1.75, "cpu": 0.25},
        {"pid": 9, "what": "step: write", "for": "", "began": 2.6, "ended": None, "cpu": None},
        {"pid": 9, "what": "files written", "for": "1 files", "began": 2.7, "ended": 2.8, "cpu": 0.1},
    ])
    assert [event["process"] for event in found["events"]][:3] == ["build", "worker 1", "build"]
    assert found["processes"] == {"worker 1": {"began": 1.0, "done": 1.75, "cpu": 0.75},
                                  "build": {"began": 1.0, "done": 2.5, "cpu": 1.25}}
    assert found["total"] == 2.8
    lines = script.report(found)
    assert "  worker 1: from 1.00 s to 1.75 s, CPU 0.75 s; done 0.75 s before the last" in lines


def test_a_build_is_timed_in_a_new_process_with_each_audience_made_and_checked(script, make_site):
    site = make_site()  # the tiny site of tests/conftest.py
    found = script.timeline(site, workers=2)  # (in one process where there is one core, or no fork)
    events = found["events"]
    made = {event["for"]: event["process"] for event in events if event["what"] == "made"}
    checked = {event["for"]: event["process"] for event in events if event["what"] == "checked"}
    assert made and checked == made  # each audience checked in the process that made it
    assert {"data", "indicators", "step: pages", "put in place", "build returned"} <= {event["what"] for event in events}
    assert all(event["began"] <= event["ended"] for event in events if event["ended"] is not None)
    assert events[0]["what"] == "imported" and events[0]["process"] == "build"
    assert set(found["processes"]) == set(made.values())
    forks = os.cpu_count() >= 2 and "fork" in multiprocessing.get_all_start_methods()
    assert "build" in made.values() and len(set(made.values())) == (2 if forks else 1)  # the worker's calls are there too
    computed = found["indicators"]
    assert sum(lane["indicators"] for lane in computed.values()) == len(
        [event for event in events if event["what"] == "indicator computed"]) > 0
    shown = "\n".join(script.report(found))
    assert "indicator computed" not in shown and "the indicators computed, by process: " in shown
    assert "indicator computed" in "\n".join(script.report(found, every=True))
    assert not (site / "_site").exists()  # a copy was built, not the site itself
