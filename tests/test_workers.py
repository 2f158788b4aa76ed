"""A one-off build reads its datasets, computes its indicators and makes its audiences in forked workers
(lisite.workers): the site is the same as one made in one process, and so are its problems and errors."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest
from fresh import python_c

from lisite.errors import BuildError

forking = pytest.mark.skipif(os.cpu_count() < 2 or sys.platform == "win32", reason="workers need fork and two cores")

MANY = '''
import os
import lisite

PIDS = {pids!r}


@lisite.hookimpl
def lisite_datasets():
    columns = (lisite.Column("maaned", "str"), lisite.Column("team", "str"), lisite.Column("antal", "int"))
    return [lisite.DatasetSpec(name, name.title(), columns, required=False) for name in ("tal", "mere", "sidst")]


def counted(name, factor):
    def compute(ctx):
        with open(PIDS, "a", encoding="utf-8") as fh:
            fh.write(f"{{os.getpid()}}\\n")
        data = ctx.data[name]
        {fail}
        out = data.groupby(["maaned", "team"])["antal"].sum().reset_index()
        out["antal"] = out["antal"] * factor
        return out.rename(columns={{"maaned": "period", "antal": "numerator"}})
    return compute


@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id=f"mange.{{name}}_{{factor}}", title=f"{{name}} gange {{factor}}", theme="administration",
                             element="administrativ_styring", unit="antal", compute=counted(name, factor), levels=("team",),
                             shown_to=("municipality", "team"))
            for name in ("tal", "mere") for factor in range(1, 6)]


@lisite.hookimpl
def lisite_pages(audience, ctx):
    blocks = [lisite.IndicatorView(f"mange.{{name}}_{{factor}}") for name in ("tal", "mere") for factor in range(1, 6)]
    return [lisite.Page("mange.html", "Mange", blocks, section="Tal")]
'''

SOURCES = '''
[sources.mere]
path = "data/mere.csv"
[sources.sidst]
path = "data/sidst.csv"
'''


def many_site(make_site, tmp_path, name: str, fail: str = "pass"):
    """Ten indicators over two datasets (and a third with a problem in it), so every step has work to share."""
    pids = tmp_path / f"{name}.pids"
    from conftest import TINY_DATA, tiny_config

    site = make_site({"plugins/many.py": MANY.format(pids=str(pids), fail=fail), "data/mere.csv": TINY_DATA.replace(";10;", ";7;"),
                      "data/sidst.csv": "maaned;team;antal;ekstra\n2026-09;A;3;x\n2026-09;B;4;y\n"}, config=tiny_config(SOURCES), name=name)
    return site, pids


SRC = Path(__file__).resolve().parents[1] / "src"

#: Run in a process of its own (tests/fresh.py): a test process may have started a chart renderer (the PDF tests), after
#: which lisite never forks (lisite.workers), so what workers do is seen only in a process of its own.
EACH = """
import json, os, sys
from lisite import workers
from lisite.errors import DataError, LisiteError
import lisite

def double(x):
    return x * 2, os.getpid()

def fail(x):
    if x == 3:
        raise DataError([lisite.Problem("tre er for mange", file="data/tal.csv")])
    if x == 4:
        raise KeyError("fire")
    return x

handed = []  # the items' numbers in the order the lanes take them
real_lanes = workers._in_lanes
def spy(*args, **kwargs):
    handed.append(list(workers._JOB["order"]))
    return real_lanes(*args, **kwargs)
workers._in_lanes = spy

found = workers.each(double, list(range(12)))
alone = workers.each(double, list(range(12)), parallel=False)
weighed = workers.each(double, [1, 5, 2, 9, 0], weight=lambda x: x)
errors = []
for items, weight in ((list(range(8)), None), ([4, 3], None), ([4, 3], lambda x: -x)):
    try:
        workers.each(fail, items, weight=weight)
    except Exception as exc:
        errors.append([type(exc).__name__, str(exc), [p.message for p in getattr(exc, "problems", [])],
                       getattr(exc, "remote_traceback", "")])
during = []  # (pid, how many items were made by then) of each call of meanwhile
made = []
def noted(x):
    made.append(x)
    return double(x)
beside = workers.each(noted, list(range(6)), meanwhile=lambda: during.append((os.getpid(), len(made))))
made.clear()  # (this process made some of them too)
after = workers.each(noted, list(range(6)), parallel=False, meanwhile=lambda: during.append((os.getpid(), len(made))))
import multiprocessing
begun, made_c, made_d = (multiprocessing.get_context("fork").Event() for _ in range(3))
def lane(x):  # A ends once B has begun (C and D are left); B once C is made (apart: D alone is left), else once D is
    if x == "A":
        begun.wait(60)
    elif x == "B":
        begun.set()
        (made_c if APART else made_d).wait(60)
    elif x == "C":
        made_c.set()
    elif x == "D":
        made_d.set()
    return x, os.getpid()
def lanes(apart):
    global APART
    APART = apart
    for event in (begun, made_c, made_d):
        event.clear()
    return workers.each(lane, ["A", "B", "C", "D"], apart=apart)
ended, released = multiprocessing.get_context("fork").Value("i", 0), multiprocessing.get_context("fork").Event()
def first_ends(x):  # A ends at once; B only once the work meanwhile is done (or after a minute)
    if x == "B":
        released.wait(60)
    else:
        ended.value = 1
    return x
def meanwhile_apart():
    during.append(("apart", ended.value))
    released.set()
arrivals = {"map": [], "alone": [], "apart": [], "failed": []}
workers.each(double, list(range(5)), arrived=lambda i, made: arrivals["map"].append([i, made[0]]))
workers.each(double, list(range(5)), parallel=False, arrived=lambda i, made: arrivals["alone"].append([i, made[0]]))
workers.each(double, list(range(5)), apart=True, arrived=lambda i, made: arrivals["apart"].append([i, made[0]]))
try:
    workers.each(fail, [1, 3, 5], apart=True, arrived=lambda i, made: arrivals["failed"].append([i, made]))
except Exception:
    pass
begun_b, arrived_b = (multiprocessing.get_context("fork").Event() for _ in range(2))
def streamed(x):  # A ends once B has begun (so B and then C are the other worker's); C waits for B to arrive here
    if x == "A":
        begun_b.wait(60)
    elif x == "B":
        begun_b.set()
    elif x == "C":
        return x, arrived_b.wait(20)
    return x, None
apart, together, stream = [], [], []
if workers.count(4) > 1:  # one process would wait for itself
    apart = [lanes(True) for _ in range(3)]
    together = lanes(False)
    workers.each(first_ends, ["B", "A"], apart=True, meanwhile=meanwhile_apart)
    stream = workers.each(streamed, ["A", "B", "C"], apart=True, arrived=lambda i, made: made[0] == "B" and arrived_b.set())
print(json.dumps({"me": os.getpid(), "count": workers.count(12), "found": found, "alone": alone, "errors": errors,
                  "weighed": weighed, "handed": handed, "beside": beside, "after": after, "during": during,
                  "apart": apart, "together": together, "arrivals": arrivals, "stream": stream}))
"""

#: ``each(here=...)``: each call of ``here`` and ``arrived``, with the process it ran in, one line each in a file.
HERE = """
import json, os, sys
from lisite import workers

log = sys.argv[1]
def write(*entry):
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps([*entry, os.getpid()]) + "\\n")
def double(x):
    return x * 2, os.getpid()
errors = []
for way, kwargs in (("lanes", {}), ("apart", {"apart": True}), ("alone", {"parallel": False})):
    for items in ([0, 1, 2, 4, 5], [1, 3, 5]):  # 3: here fails on it
        def here(i, made, way=way):
            write(way, "here", i, made[1])
            if made[0] == 6:
                raise ValueError("six is not written")
        try:
            workers.each(double, items, here=here, arrived=lambda i, made, way=way: write(way, "arrived", i, made[1]), **kwargs)
        except Exception as exc:
            errors.append([way, type(exc).__name__, str(exc)])
print(json.dumps({"me": os.getpid(), "workers": workers.count(5), "errors": errors}))
"""


#: ``each(apart=True)`` in a new interpreter: a worker's lane ends, its process with it, while this process makes its
#: last item; a worker killed in its lane is an error here, not a wait without end.
LANES = """
import json, multiprocessing, os, sys, time
from lisite import workers

first = multiprocessing.get_context("fork").Value("i", 0)  # the pid of the worker that made A
a_begun, b_begun = (multiprocessing.get_context("fork").Event() for _ in range(2))

def state(pid):  # the worker's state from /proc: "Z" once it has ended (not yet joined), "" once it is gone
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""

def make(x):
    if x == "A":  # ends once B has begun, which is then this process's (A's worker is busy with A)
        first.value = os.getpid()
        a_begun.set()
        b_begun.wait(60)
    elif x == "B":  # made here: C is left, and the first item's worker takes no last item
        a_begun.wait(60)  # (a worker can begin after this process has made B and taken C)
        b_begun.set()
    elif x == "C":
        for _ in range(400):
            if state(first.value) in ("Z", "X", ""):
                break
            time.sleep(0.05)
        return x, os.getpid(), state(first.value)
    return x, os.getpid(), None

def killed(x):
    if x == "A":
        os.kill(os.getpid(), 9)
    return x

lanes = workers.each(make, ["A", "B", "C"], apart=True)
began_b, taken = (multiprocessing.get_context("fork").Event() for _ in range(2))
def told(x):  # B tells how far it is, then waits until A's worker has taken C or ended
    if x == "A":
        first.value = os.getpid()
        a_begun.set()
        began_b.wait(60)
    elif x == "B":
        a_begun.wait(60)
        workers.progress(FAR)
        began_b.set()
        for _ in range(1200):
            if taken.is_set() or (first.value and state(first.value) in ("Z", "X", "")):  # (A's worker has begun)
                break
            time.sleep(0.05)
    else:
        taken.set()
    return x, os.getpid()
far = {}
for FAR in (0.2, 0.9):
    began_b.clear()
    taken.clear()
    a_begun.clear()
    first.value = 0
    far[str(FAR)] = workers.each(told, ["A", "B", "C", "D"], apart=True)
started = time.perf_counter()
try:
    workers.each(killed, ["A", "B", "C"], apart=True)
    error = None
except Exception as exc:
    error = [type(exc).__name__, str(exc)]
print(json.dumps({"me": os.getpid(), "lanes": lanes, "error": error, "seconds": time.perf_counter() - started, "far": far}))
"""

#: ``each(finish=...)`` in a new interpreter: each process judges the items it made once it has made its last one.
FINISH = """
import json, os, sys
from lisite import workers
from lisite.errors import DataError
import lisite

LOG = sys.argv[1]
made_here = []  # the items this process made (a worker's own copy of the list)

def make(x):
    made_here.append(x)
    return x, os.getpid()

def judge():  # a verdict on each item this process made: an error for a "bad" one
    verdicts = {ITEMS.index(x): DataError([lisite.Problem(f"{x} er forkert", file="data/tal.csv")]) if x.startswith("bad") else None
                for x in made_here}
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps([NAME, os.getpid(), made_here]) + "\\n")
    made_here.clear()
    return verdicts

def forgetful():  # no verdict on the last item it made
    verdicts = judge()
    del verdicts[max(verdicts)]
    return verdicts

def broken():
    made_here.clear()
    raise KeyError("ingen domme")

results = {}
for NAME, parallel, ITEMS, finish in (("good", True, ["a", "b", "c"], judge), ("bad", True, ["a", "bad b", "c"], judge),
                                       ("alone", False, ["a", "bad b"], judge), ("forgot", True, ["a", "b", "c"], forgetful),
                                       ("forgot alone", False, ["a", "b"], forgetful), ("broken", True, ["a", "b"], broken)):
    arrived = []
    try:
        made = workers.each(make, ITEMS, parallel=parallel, apart=True, finish=finish, arrived=lambda i, m: arrived.append(i))
        results[NAME] = {"made": [[x, pid] for x, pid in made], "arrived": sorted(arrived)}
    except Exception as exc:
        results[NAME] = {"error": type(exc).__name__, "message": exc.format_message(), "arrived": sorted(arrived)}
try:
    workers.each(make, ["a", "b"], finish=judge)
    results["not apart"] = ""
except ValueError as exc:
    results["not apart"] = str(exc)
with open(LOG, encoding="utf-8") as log:
    judged = [json.loads(line) for line in log]
print(json.dumps({"me": os.getpid(), "results": results, "judged": judged}))
"""

BUILD = """
import json, os, sys
from lisite.build import build
try:
    report = build(sys.argv[1])
    print(json.dumps({"me": os.getpid(), "warnings": [str(w) for w in report.warnings]}))
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__, "message": exc.format_message()}))
"""


def fresh(script: str, *args: str, workers: str = "2", cache: Path | None = None) -> dict:
    env = {**os.environ, "LISITE_WORKERS": workers, "PYTHONPATH": str(SRC)}
    if cache is not None:
        env["LISITE_CACHE"] = str(cache)  # nothing kept: every step does its work
    proc = python_c(script, *args, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def tree(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (".lisite-build.json", ".lisite-site.json")}


@forking
def test_each_gives_results_in_order_from_forked_workers_and_the_first_error_as_it_was():
    run = fresh(EACH)
    assert [value for value, _ in run["found"]] == [x * 2 for x in range(12)]
    assert run["count"] == 2 and len({pid for _, pid in run["found"]}) <= 2  # a forked worker's lane and this process's
    # (which lane takes which item varies: with items this quick, this process may make them all before the worker begins)
    assert {pid for _, pid in run["alone"]} == {run["me"]}
    (kind, _, problems, remote), (second, message, _, _), _ = run["errors"]
    assert (kind, problems) == ("DataError", ["tre er for mange"]) and "in fail" in remote  # item 3 fails before item 4
    assert second == "BuildError" and "KeyError: 'fire'" in message  # [4, 3]: the first in order
    assert run["errors"][2][0] == "BuildError"  # also when 3 is handed out first: the first in the items' order


@forking
def test_weighed_items_are_handed_out_heaviest_first_and_come_back_in_order():
    run = fresh(EACH)
    assert [value for value, _ in run["weighed"]] == [2, 10, 4, 18, 0]
    assert run["handed"][0] == list(range(12))  # no weights: in order
    assert run["handed"][1] == [3, 1, 2, 0, 4]  # 9, 5, 2, 1, 0
    assert run["handed"][4] == [1, 0]  # [4, 3] weighed -4 and -3: 3 first


@forking
def test_the_work_meanwhile_is_done_once_here_while_the_workers_make_the_items():
    run = fresh(EACH)
    assert [value for value, _ in run["beside"]] == [x * 2 for x in range(6)]
    (here, made_here), (after, made_after) = run["during"][:2]
    assert here == after == run["me"]
    assert made_here == 0  # done here before this process took any item (the worker made the first ones meanwhile)
    assert made_after == 6 and [value for value, _ in run["after"]] == [x * 2 for x in range(6)]  # no workers: after them


@forking
def test_each_item_made_is_handed_here_once_as_it_arrives_and_one_that_failed_is_not():
    run = fresh(EACH)
    expected = [[i, i * 2] for i in range(5)]
    for way in ("map", "alone", "apart"):
        assert sorted(run["arrivals"][way]) == expected, way
    assert run["arrivals"]["alone"] == expected  # one process: each as soon as it is made, in order
    assert sorted(run["arrivals"]["failed"]) == [[0, 1], [2, 5]]  # 3 failed: the others arrived, it did not


def test_here_is_done_where_an_item_is_made_before_it_arrives_and_its_error_is_the_items(tmp_path):
    """``each(here=...)``: in the process that made the item (a worker's, or this one's), before the item arrives here;
    an error in it fails the item as an error in making it would, and that item never arrives."""
    log = tmp_path / "here.log"
    run = fresh(HERE, str(log))
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    for way in ("lanes", "apart", "alone"):
        mine = [entry for entry in entries if entry[0] == way]
        heres = {(i, made_in): pid for _, kind, i, made_in, pid in mine if kind == "here"}
        arrivals = [(i, made_in, pid) for _, kind, i, made_in, pid in mine if kind == "arrived"]
        assert all(pid == made_in for (_, made_in), pid in heres.items()), way  # where it was made
        assert all(pid == run["me"] for _, _, pid in arrivals), way  # arrived: in this process
        for i, made_in, _ in arrivals:  # each arrival after its item's here
            first = next(n for n, entry in enumerate(mine) if entry[1:4] == ["here", i, made_in])
            assert first < next(n for n, entry in enumerate(mine) if entry[1:4] == ["arrived", i, made_in]), way
        # all of [0, 1, 2, 4, 5]; of [1, 3, 5] not 3 (index 1): with workers the others, in one process not those after
        assert sorted(i for i, _, _ in arrivals) == ([0, 0, 1, 2, 3, 4] if way == "alone" else [0, 0, 1, 2, 2, 3, 4]), way
        made_by = {made_in for _, made_in in heres}
        if way == "alone":
            assert made_by == {run["me"]}
        elif way == "apart" and run["workers"] > 1:  # the first item is a worker's (one forked for each call), the next this process's
            assert len(made_by) == 3 and run["me"] in made_by
    assert [error[:2] for error in run["errors"]] == [["lanes", "BuildError"], ["apart", "BuildError"], ["alone", "ValueError"]]
    assert all("six is not written" in error[2] for error in run["errors"])


@forking
def test_apart_an_item_arrives_here_as_soon_as_it_is_made_while_its_worker_makes_the_next():
    """The worker that made B goes on with C, which ends only once B has arrived here: B is handed over as soon as it
    is made, not when its worker has nothing left to make (a large site's first audience is written meanwhile)."""
    run = fresh(EACH)
    assert run["stream"] == [["A", None], ["B", None], ["C", True]]


@forking
def test_apart_the_work_meanwhile_waits_for_the_first_worker_to_finish():
    """With ``apart`` the work meanwhile is done once a worker has finished (its core is free), while the other makes
    its last item: here A is made, and B waits for the work meanwhile."""
    run = fresh(EACH)
    assert ["apart", 1] in run["during"]


@forking
def test_the_worker_of_the_first_item_leaves_the_last_one_to_another_worker_apart():
    """``each(apart=True)``: a forked worker makes the first item (A) and takes another while two or more are left
    (C), not the last (D), which the lane that made B makes: the build's own process, which makes one lane itself
    (no second worker copies its memory); without ``apart``, the free worker takes D."""
    run = fresh(EACH)
    for made in run["apart"]:
        (_, a), (_, b), (_, c), (_, d) = made
        assert [value for value, _ in made] == ["A", "B", "C", "D"] and a != b
        assert a != run["me"] and b == run["me"]
        assert c == a and d == b
    (_, a), (_, b), (_, c), (_, d) = run["together"]
    assert c == d == a != b  # handed to whichever worker is free: the first item's, here


@forking
def test_a_worker_ends_with_its_lane_while_this_process_makes_its_last_item_and_a_killed_one_is_an_error():
    """``each(apart=True)``: the worker's process ends as soon as its lane is done (its memory is not held while the
    build's own process makes its last audience); a worker that is killed before it is done fails the build at once."""
    run = fresh(LANES)
    (a, worker, _), (b, here, _), (c, last, ended) = run["lanes"]
    assert (a, b, c) == ("A", "B", "C") and worker != run["me"] and here == last == run["me"], run
    assert ended in ("Z", "X", ""), run  # the worker had ended while C was made
    assert run["error"][0] == "BuildError" and "exit code -9" in run["error"][1], run
    assert run["seconds"] < 60, run


@forking
def test_the_first_items_worker_takes_another_only_while_the_other_lane_is_less_than_half_through_its_item():
    """``workers.progress``: when A's worker is done, B (made here) is a fifth of the way through: the worker makes C,
    and this process D; when B is nine tenths through, this process will soon take C itself: the worker ends, and C
    and D are made here, with B (København's leaders', directors' and committee's audiences, which share their figures)."""
    run = fresh(LANES)
    me = run["me"]
    (_, a), (_, b), (_, c), (_, d) = run["far"]["0.2"]
    assert a != me and b == me and c == a and d == me
    (_, a), (_, b), (_, c), (_, d) = run["far"]["0.9"]
    assert a != me and b == c == d == me


@forking
def test_each_process_judges_the_items_it_made_once_it_has_made_its_last_and_a_bad_verdict_is_the_items_error(tmp_path):
    """``each(finish=...)``: each worker calls ``finish`` once it has taken its last item, and it gives the verdicts on
    exactly the items it made; an item arrives here as it is made (the build writes it into the new site's private
    folder), and an error among the verdicts is raised as the item's error (the build then puts nothing in place)."""
    run = fresh(FINISH, str(tmp_path / "judged.log"))
    results, judged = run["results"], run["judged"]
    good = results["good"]
    assert [x for x, _ in good["made"]] == ["a", "b", "c"] and good["arrived"] == [0, 1, 2]
    workers_of = {pid for _, pid in good["made"]}
    calls = [(pid, items) for name, pid, items in judged if name == "good"]
    assert len(workers_of) == 2 and run["me"] in workers_of  # a forked worker's lane and this process's own
    assert {pid for pid, _ in calls} == workers_of and len(calls) == 2  # each judged its own once
    assert sorted(x for _, items in calls for x in items) == ["a", "b", "c"]  # each item judged once, where it was made
    for pid in workers_of:  # each lane judged exactly the items it made
        assert sorted(x for judged_by, items in calls if judged_by == pid for x in items) == sorted(
            x for x, made_by in good["made"] if made_by == pid)
    assert results["bad"]["error"] == "DataError" and "bad b er forkert" in results["bad"]["message"]
    assert results["bad"]["arrived"] == [0, 1, 2]
    assert results["alone"]["error"] == "DataError" and results["alone"]["arrived"] == [0, 1]
    assert [items for name, pid, items in judged if name == "alone"] == [["a", "bad b"]]
    for name in ("forgot", "forgot alone"):  # an item without a verdict fails: the judging is never skipped unnoticed
        assert results[name]["error"] == "BuildError" and "no verdict" in results[name]["message"], name
    assert results["broken"]["error"] == "BuildError" and "KeyError" in results["broken"]["message"]
    assert "apart" in results["not apart"]


def test_an_audiences_check_comes_after_its_process_has_made_its_audiences_the_coarsest_level_first(make_site, monkeypatch):
    """In one process the audiences are made in the config's order and checked once all are made, the coarsest level
    first (a file the committee's check passed is not scanned again for the leaders'). A failed check still fails the
    build, and the site in place stays as it was."""
    from conftest import tiny_config

    import lisite.build

    committee = '[audiences.udvalg]\ntitle = "Udvalget"\nlevel = "municipality"\nmin_count = 5\n'
    leaders = '[audiences.ledere]\ntitle = "Ledere"\nlevel = "team"\nmin_count = 3\n'
    config = tiny_config()
    assert committee + leaders in config
    site = make_site(config=config.replace(committee + leaders, leaders + committee))  # the finer level first
    monkeypatch.setenv("LISITE_WORKERS", "1")
    events = []
    build_audience, check_output = lisite.build.build_audience, lisite.build.check_output
    monkeypatch.setattr(lisite.build, "build_audience", lambda audience, *a, **k: events.append(("made", audience.id))
                        or build_audience(audience, *a, **k))
    monkeypatch.setattr(lisite.build, "check_output", lambda pm, audience, files, ctx: events.append(("checked", audience.id))
                        or check_output(pm, audience, files, ctx))
    lisite.build.build(site)
    assert events == [("made", "ledere"), ("made", "udvalg"), ("checked", "udvalg"), ("checked", "ledere")]
    before = tree(site / "_site")

    def failing(pm, audience, files, ctx):
        if audience.id == "ledere":
            raise BuildError("lækket")
        return check_output(pm, audience, files, ctx)

    monkeypatch.setattr(lisite.build, "check_output", failing)
    (site / "data" / "tal.csv").write_text((site / "data" / "tal.csv").read_text(encoding="utf-8").replace(";10;", ";11;"), encoding="utf-8")
    with pytest.raises(BuildError, match="lækket"):
        lisite.build.build(site)
    assert tree(site / "_site") == before


def test_an_audience_is_half_through_once_its_pages_are_collected_and_through_once_they_are_viewed(make_site, monkeypatch):
    """How far an audience is, for the worker that made the first one (it takes another only while the other lane is
    less than half through: lisite.workers._lane). Collecting the pages stages most of what the audience shows: with
    København-sized data two thirds of the leaders' time, when their progress counted the views alone and said 0, and
    the worker made the directors' beside them (572-616 MiB against 461-475). So nothing is told before the pages are
    collected, half once they are, then more with each page viewed, to all of it."""
    import lisite.build
    from lisite import workers

    told = []
    collect_pages = lisite.build.collect_pages
    monkeypatch.setattr(lisite.build, "collect_pages", lambda pm, audience, ctx: told.append(audience.id)
                        or collect_pages(pm, audience, ctx))
    monkeypatch.setattr(workers, "progress", told.append)
    monkeypatch.setenv("LISITE_WORKERS", "1")
    lisite.build.build(make_site())
    starts = [i for i, event in enumerate(told) if isinstance(event, str)]
    assert [told[i] for i in starts] == ["udvalg", "ledere"] and starts[0] == 0
    for begin, end in zip(starts, [*starts[1:], len(told)]):
        fractions = told[begin + 1:end]
        assert fractions[0] == lisite.build.COLLECTED >= workers.HALF  # (the other lane takes no more from here)
        assert fractions == sorted(fractions) and len(set(fractions)) == len(fractions) > 2 and fractions[-1] == 1


@forking
def test_a_leak_found_in_a_worker_fails_the_build_and_the_site_in_place_stays(make_site, tmp_path):
    """The workers check their audiences once each has made its last one: a value an audience may not see, found there,
    fails the build with the leak check's words, as in one process, and nothing of the new site is put in place."""
    from test_leaks import CASEWORKERS, tilsyn_site

    site = tilsyn_site(make_site, ("case",), extra=CASEWORKERS)  # the free text on the caseworkers' page alone: allowed
    assert "error" not in fresh(BUILD, str(site), cache=tmp_path / "cache")
    before = tree(site / "_site")
    plugin = site / "plugins" / "tilsyn.py"
    plugin.write_text(plugin.read_text(encoding="utf-8").replace("('case',)", "('case', 'municipality')"), encoding="utf-8")
    for count in ("2", "1"):
        run = fresh(BUILD, str(site), workers=count, cache=tmp_path / f"cache{count}")
        assert run.get("error") == "BuildError" and "tilsyn.fund (fritekst)" in run["message"] and "'udvalg'" in run["message"], run
        assert tree(site / "_site") == before


@forking
def test_with_one_worker_everything_is_done_in_this_process():
    run = fresh(EACH, workers="1")
    assert {pid for _, pid in run["found"]} == {run["me"]}


@forking
def test_a_site_made_in_workers_is_the_site_made_in_one_process(make_site, tmp_path):
    made = {}
    for count in ("1", "2"):
        site, pids = many_site(make_site, tmp_path, f"site{count}")
        run = fresh(BUILD, str(site), workers=count, cache=tmp_path / f"cache{count}")
        made[count] = tree(site / "_site"), run["warnings"], set(pids.read_text().split()), str(run["me"])
    assert made["1"][0] == made["2"][0]
    assert made["1"][1] == made["2"][1] and any("sidst.csv" in w for w in made["1"][1])  # its unknown column, in its place
    assert made["1"][2] == {made["1"][3]}  # computed in the building process
    assert made["2"][2] and len(made["2"][2]) <= 2  # computed in the lanes: a forked worker and (a share) the building process


#: A build with ``WRITTEN_THERE`` as given, noting each call of ``NewSite.add``: the process and the audiences it wrote.
WRITTEN = """
import json, os, sys
from lisite import build, output
build.WRITTEN_THERE = int(sys.argv[2])
real = output.NewSite.add
def add(self, files):
    with open(sys.argv[3], "a", encoding="utf-8") as fh:
        fh.write(json.dumps([os.getpid(), sorted({path.split("/")[0] for path in files if "/" in path})]) + "\\n")
    return real(self, files)
output.NewSite.add = add
build.build(sys.argv[1])
print(json.dumps({"me": os.getpid()}))
"""


@forking
def test_a_large_audience_is_written_by_the_worker_that_made_it_and_equal_files_stay_one(make_site, tmp_path):
    """An audience of ``WRITTEN_THERE`` files or more is written into the new folder by the worker that made it, a
    smaller one by the build's process; the site is the one made in one process, and files with the same bytes are one
    file (a hard link) also across the two processes' writing."""
    made = {}
    for name, workers, threshold in (("alone", "1", "1000"), ("small", "2", "1000000"), ("large", "2", "1")):
        site, _ = many_site(make_site, tmp_path, name)
        log = tmp_path / f"{name}.adds"
        run = fresh(WRITTEN, str(site), threshold, str(log), workers=workers, cache=tmp_path / f"cache-{name}")
        adds = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        made[name] = tree(site / "_site"), {audience for pid, audiences in adds if pid != run["me"] for audience in audiences}
        by_bytes = {}
        for path in (site / "_site").rglob("*"):
            if path.is_file():
                by_bytes.setdefault(path.read_bytes(), set()).add(path.stat().st_ino)
        assert all(len(inodes) == 1 for inodes in by_bytes.values()), name  # equal bytes: one file
        assert any(len(list((site / "_site").rglob(p.name))) > 1 for p in (site / "_site").rglob("*.js")), name
    assert made["alone"][0] == made["small"][0] == made["large"][0]
    assert made["alone"][1] == set() and made["small"][1] == set()  # written by the build's process
    assert made["large"][1] in ({"udvalg"}, {"ledere"})  # the worker wrote the audience it made


SUMMED = """
import json, os, sys
from lisite import context
from lisite.build import build
made = context.summed
def logged(*args, **kwargs):
    with open(sys.argv[2], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\\t{args[0].id}\\t{args[2]!r}\\n")
    return made(*args, **kwargs)
context.summed = logged
report = build(sys.argv[1])
print(json.dumps({"me": os.getpid(), "pages": report.pages}))
"""


@forking
def test_the_sums_are_made_with_the_results_and_the_pages_workers_make_none(make_site, tmp_path):
    """With workers, each result's sums for each part of the organisation an audience sees are made where the result is
    computed, once: the workers that make the audiences' pages (two of which see the whole municipality) make none, and
    the site is the one made in one process, where each sum is made when a page first needs it."""
    from conftest import tiny_config

    team = '\n[audiences.teamleder_a]\ntitle = "Team A"\nlevel = "team"\nmin_count = 3\nfilter = { team = "A" }\n'
    made = {}
    for count in ("1", "2"):
        site, pids = many_site(make_site, tmp_path, f"sums{count}")
        (site / "lisite.toml").write_text(tiny_config(SOURCES) + team, encoding="utf-8")
        log = tmp_path / f"summed{count}.pids"
        run = fresh(SUMMED, str(site), str(log), workers=count, cache=tmp_path / f"cache{count}")
        summed = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
        made[count] = tree(site / "_site"), run["pages"], set(pids.read_text(encoding="utf-8").split()), summed, str(run["me"])
    assert made["1"][0] == made["2"][0] and made["1"][1] == made["2"][1] and "teamleder_a" in made["2"][1]
    assert {pid for pid, *_ in made["1"][3]} == {made["1"][4]}  # one process: made there, when a page needs them
    computed_in, summed = made["2"][2], made["2"][3]
    mine = {pid for pid, indicator, _ in summed if indicator.startswith("mange.")}  # (the plugin that logs where it computes)
    assert summed and mine <= computed_in, (made["2"][4], computed_in, summed)  # only where the results were computed
    sums = [(indicator, part) for _, indicator, part in summed]
    assert len(sums) == len(set(sums))  # each once
    assert {part for _, part in sums} == {"()", "(('team', 'A'),)"}  # the whole municipality's and team A's
    assert {indicator for indicator, _ in sums} >= {f"mange.{name}_{factor}" for name in ("tal", "mere") for factor in range(1, 6)}


@forking
def test_an_indicator_failing_in_a_worker_is_named_as_in_one_process(make_site, tmp_path):
    messages = []
    for count in ("1", "2"):
        site, _ = many_site(make_site, tmp_path, f"site{count}", fail="if name == 'mere' and factor == 3: {}['kolonne']")
        run = fresh(BUILD, str(site), workers=count, cache=tmp_path / f"cache{count}")
        assert run.get("error") == "PluginError", run
        messages.append(run["message"])
    assert messages[0] == messages[1]
    assert messages[0].startswith("Indikatoren 'mange.mere_3' (plugin many) fejlede: KeyError: 'kolonne'")
    assert "data/mere.csv" in messages[0]  # the file it read, as in one process


def test_a_plugins_indicators_are_computed_together_and_a_large_plugin_in_parts():
    """What a plugin's indicators share is worked out once in one worker; a plugin holding more than a worker's
    share of them is cut so both workers have work; the order is kept."""
    from lisite.build import indicator_groups
    from lisite.model import Indicator

    def made(plugin, n):
        return [Indicator(id=f"{plugin}.{i}", title="t", theme="administration", element="administrativ_styring", unit="antal",
                          plugin=plugin)
                for i in range(n)]

    several = made("a", 4) + made("b", 3) + made("c", 1)
    groups = indicator_groups(several, 2)
    assert [[i.id for i in group] for group in groups] == [["a.0", "a.1", "a.2", "a.3"], ["b.0", "b.1", "b.2"], ["c.0"]]
    one = made("egen", 9)
    assert [len(group) for group in indicator_groups(one, 2)] == [5, 4]
    assert [i for group in indicator_groups(one, 2) for i in group] == one
    assert indicator_groups(one, 1) == [one] and indicator_groups([], 2) == []


CHECKED_PLUGIN = '''
import os
import lisite


@lisite.hookimpl
def lisite_datasets():
    sags, team = lisite.Column("sags_id", "str"), lisite.Column("team", "str")
    referring = lisite.Column("sags_id", "str", references="sager.sags_id")
    return [lisite.DatasetSpec("sager", "Sager", (sags, team)),
            lisite.DatasetSpec("ydelser", "Ydelser", (referring, team, lisite.Column("beloeb", "int"))),
            lisite.DatasetSpec("noter", "Noter", (referring, team))]


@lisite.hookimpl
def lisite_prepare(data, config):
    with open(os.environ["PREPARED"], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\\n")
    if os.environ.get("PREPARE_FAILS"):
        raise RuntimeError("prepare failed")
    return {"sager": data["sager"].assign(antal=1)}
'''

CHECKED_SOURCES = """
[sources.sager]
path = "data/sager.csv"
[sources.ydelser]
path = "data/ydelser.csv"
[sources.noter]
path = "data/noter.csv"
[organisation]
team = ["A", "B"]
"""

CHECKED_DATA = {
    "data/sager.csv": "sags_id;team\nS-1;A\nS-2;B\nS-3;C\n",
    "data/ydelser.csv": "sags_id;team;beloeb\nS-1;A;100\nS-9;B;200\nS-2;D;300\nS-7;A;50\n",
    "data/noter.csv": "sags_id;team\nS-8;A\nS-3;C\n",
}

LOAD = """
import json, os, sys
from lisite import crosschecks
from lisite.config import load_config
from lisite.data import load_all, prepare
from lisite.plugins import plugin_manager
checked = crosschecks._references
def logged(ds, *args):
    with open(os.environ["CHECKED"], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\\t{ds.spec.name}\\n")
    return checked(ds, *args)
crosschecks._references = logged
config = load_config(sys.argv[1])
pm = plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths, (), None, None, config.language)
specs = [spec for found in pm.hook.lisite_datasets(config=config) for spec in found]
out = {"me": os.getpid()}
for parallel in (False, True):
    try:
        loaded = load_all(config, specs, pm.hook.lisite_load_source, parallel=parallel,
                          then=lambda result: prepare(result, specs, pm.hook.lisite_prepare, config))
    except Exception as exc:
        out[str(parallel)] = {"raised": f"{type(exc).__name__}: {exc}"}
        continue
    out[str(parallel)] = {"problems": [[str(p), p.file, p.row, p.column, p.severity] for p in loaded.problems],
                          "prepared": "antal" in loaded.datasets["sager"].frame.columns}
print(json.dumps(out))
"""


def checked_run(make_site, tmp_path, name, config_extra="", files=None, **env):
    """LOAD on the checked site (``files`` in place of its data files): (its output, the pids that prepared the data,
    (pid, dataset) of each reference check)."""
    from conftest import tiny_config

    config = tiny_config() + CHECKED_SOURCES + config_extra
    site = make_site({"plugins/checked.py": CHECKED_PLUGIN, **CHECKED_DATA, **(files or {})}, config=config, name=name)
    prepared, checked = tmp_path / f"{name}.prepared", tmp_path / f"{name}.checked"
    os.environ.update(PREPARED=str(prepared), CHECKED=str(checked), **env)
    try:
        run = fresh(LOAD, str(site))
    finally:
        for key in ("PREPARED", "CHECKED", *env):
            os.environ.pop(key, None)

    def lines(path):
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    return run, lines(prepared), [line.split("\t") for line in lines(checked)]


@forking
def test_the_checks_across_datasets_made_in_workers_find_what_one_process_finds_while_the_data_is_prepared(make_site, tmp_path):
    """A one-off build makes the checks across datasets in a forked worker while it prepares the data itself
    (``lisite_prepare``), and then in its own process too: the same problems in the same order as the checks made in
    one process, before preparing."""
    run, prepared, checked = checked_run(make_site, tmp_path, "checked")
    alone, workers = run["False"], run["True"]
    assert workers["problems"] == alone["problems"]
    texts = [text for text, *_ in alone["problems"]]
    assert any("S-9" in text for text in texts) and any("S-8" in text for text in texts)  # both datasets' references
    assert any("'D'" in text or "D" in text.split() for text in texts) and len(texts) >= 4  # and a unit not in [organisation]
    assert alone["prepared"] and workers["prepared"]
    assert prepared == [str(run["me"])] * 2  # prepared here, once each time
    referring = [(pid, name) for pid, name in checked if name in ("ydelser", "noter")]
    assert len(referring) == 4 and {pid for pid, _ in referring[:2]} == {str(run["me"])}  # one process: here


@forking
def test_the_data_is_not_prepared_when_a_dataset_has_an_error_and_a_check_error_comes_before_a_failed_preparation(make_site,
                                                                                                                 tmp_path):
    """Preparing data the checks reject is wasted work, never the build's answer: a dataset with an error is not
    prepared at all; a preparation that fails while a check across datasets finds an error gives that error (as when
    the checks were made first), and one that fails on data the checks accept is raised."""
    broken = {"data/sager.csv": "sags_id;team\nS-1;A\n", "data/ydelser.csv": "sags_id;team;beloeb\nS-1;A;mange\n"}
    run, prepared, _ = checked_run(make_site, tmp_path, "broken", files=broken)
    assert prepared == []  # 'mange' is no integer: nothing prepared, in one process or with workers
    for way in ("False", "True"):
        assert any(severity == "error" and "mange" in text for text, *_, severity in run[way]["problems"])

    filtered = '\n[audiences.team_e]\ntitle = "Team E"\nlevel = "team"\nmin_count = 3\nfilter = { team = "E" }\n'
    run, prepared, _ = checked_run(make_site, tmp_path, "filtered", filtered, PREPARE_FAILS="1")
    for way in ("False", "True"):
        assert "problems" in run[way], run[way]  # not raised: the check's error is the answer
        assert any(severity == "error" and "E" in text for text, *_, severity in run[way]["problems"])
    assert len(prepared) == 2  # it was tried, and failed, each time

    run, _, _ = checked_run(make_site, tmp_path, "fails", PREPARE_FAILS="1")
    assert run["False"] == run["True"] and run["True"]["raised"].startswith("PluginError: ")
    assert "lisite_prepare: RuntimeError: prepare failed" in run["True"]["raised"]


ARCHIVED = """
import json, os, sys
from lisite import build as engine
arrived = []
def spied(audience, site, archive=None, made=engine.audience_files):
    arrived.append([audience.id, site.without_archive, sorted(path for path in site.files if path.startswith("arkiv/"))])
    return made(audience, site, archive)
engine.audience_files = spied
engine.build(sys.argv[1])
print(json.dumps({"me": os.getpid(), "arrived": arrived}))
"""


@forking
def test_a_worker_sends_back_what_it_made_not_the_earlier_reports_this_process_read(make_site, tmp_path):
    """Beside a year of monthly reports most of an audience's files are its earlier reports', which the building process
    read before the workers began: a worker leaves them out of what it sends back, and the site is the same."""
    made = {}
    for count in ("1", "2"):
        site, _ = many_site(make_site, tmp_path, f"site{count}")
        config = (site / "lisite.toml").read_text(encoding="utf-8")
        (site / "lisite.toml").write_text(config.replace('current = "2026-09"', 'current = "2026-08"'), encoding="utf-8")
        fresh(ARCHIVED, str(site), workers=count, cache=tmp_path / f"cache{count}")
        (site / "lisite.toml").write_text(config, encoding="utf-8")
        made[count] = fresh(ARCHIVED, str(site), workers=count, cache=tmp_path / f"cache{count}")["arrived"], tree(site / "_site")
    assert made["1"][1] == made["2"][1]
    assert {path.split("/")[2] for path in made["2"][1] if "/arkiv/" in path} == {"2026-08"}  # both audiences' August
    assert {path.split("/")[0] for path in made["2"][1] if "/arkiv/" in path} == {"udvalg", "ledere"}
    # each audience arrived once as it was made (the site written as it comes) and once at the end, without its archive
    assert made["2"][0] and all(without and not archived for _, without, archived in made["2"][0])


AHEAD = '''
import json, os, time
import lisite

LOG = {log!r}
DONE = LOG + ".ahead-{{}}"  # a look ahead at an audience's earlier reports is over (in the other worker)


def logged(*entry):
    with open(LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps([os.getpid(), *entry]) + "\\n")


@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("sager", "Sager", (lisite.Column("sags_id", "str", person_level=True),))]


@lisite.hookimpl(trylast=True)  # (the first plugin whose pages the build asks for: before any other's are made)
def lisite_pages(audience, ctx):
    logged("made", audience.id)
    # with an earlier report, in a worker: made (and so checked) only once the other worker has looked ahead at it
    if audience.id == "udvalg" and ctx.archive.files(audience.id) and os.environ.get("LISITE_WORKERS") == "2":
        deadline = time.monotonic() + 120
        while not os.path.exists(DONE.format(audience.id)) and time.monotonic() < deadline:
            time.sleep(0.01)
    return []


@lisite.hookimpl(wrapper=True)
def lisite_check_ahead(audience, files, ctx):
    logged("ahead", audience.id, sorted(files))
    yield  # every plugin's look ahead, the leak check's too
    open(DONE.format(audience.id), "w").close()
'''


def ahead_site(make_site, tmp_path, name: str) -> tuple[Path, Path]:
    """The many site with a dataset of case ids (which only the finest level may see), built for August 2026, then set
    for September: its two audiences carry August's report, and each worker makes one of them."""
    site, _ = many_site(make_site, tmp_path, name)
    log = tmp_path / f"{name}.log"
    (site / "plugins" / "ahead.py").write_text(AHEAD.format(log=str(log)), encoding="utf-8")
    (site / "data" / "sager.csv").write_text("sags_id\nS-4\nS-5\n", encoding="utf-8")
    config = (site / "lisite.toml").read_text(encoding="utf-8") + '[sources.sager]\npath = "data/sager.csv"\n'
    (site / "lisite.toml").write_text(config.replace('current = "2026-09"', 'current = "2026-08"'), encoding="utf-8")
    fresh(BUILD, str(site), workers="2", cache=tmp_path / f"cache-{name}")
    (site / "lisite.toml").write_text(config, encoding="utf-8")
    log.unlink()
    return site, log


@forking
def test_a_worker_through_with_its_audiences_looks_ahead_at_the_earlier_reports_of_the_others(make_site, tmp_path):
    """lisite_check_ahead: in each lane (the forked worker's and the build's own process's), once it has made its own
    audiences, with the earlier reports of each audience the other lane makes; never in one process."""
    for count in ("2", "1"):
        site, log = ahead_site(make_site, tmp_path, f"site{count}")
        run = fresh(BUILD, str(site), workers=count, cache=tmp_path / f"cache-site{count}")
        assert "error" not in run, run
        entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        made = {audience: pid for pid, kind, audience, *_ in entries if kind == "made"}
        ahead = [(pid, audience, files) for pid, kind, audience, *files in entries if kind == "ahead"]
        assert set(made) == {"udvalg", "ledere"}
        if count == "1":
            assert ahead == []
            continue
        assert len(set(made.values())) == 2 and run["me"] in made.values()  # one in a worker, one in the build's process
        assert sorted(audience for _, audience, _ in ahead) == ["ledere", "udvalg"]
        for pid, audience, (files,) in ahead:
            assert pid != made[audience] and pid in made.values()  # in the worker that made the other one
            archived = sorted(p.relative_to(site / "_site" / audience).as_posix()
                              for p in (site / "_site" / audience / "arkiv").rglob("*") if p.is_file())
            assert files == archived and any(path.endswith(".html") for path in files)  # August's report, all of it


@forking
def test_what_a_look_ahead_finds_in_an_earlier_report_is_still_reported_by_the_audiences_own_check(make_site, tmp_path):
    """A case id planted in the committee's August report: the other worker's look ahead finds it and records nothing,
    and the committee's own check, made after it (the committee's pages wait for it), fails the build on it, naming
    the file, as in one process."""
    failures = {}
    for count in ("2", "1"):
        site, _ = ahead_site(make_site, tmp_path, f"site{count}")
        page = site / "_site" / "udvalg" / "mange.html"
        page.write_text(page.read_text(encoding="utf-8") + "<p>S-4</p>", encoding="utf-8")
        failures[count] = fresh(BUILD, str(site), workers=count, cache=tmp_path / f"cache-site{count}")
        assert "S-4" in page.read_text(encoding="utf-8")  # the site in place stays
    assert failures["2"] == failures["1"]
    assert failures["2"]["error"] == "BuildError" and "udvalg/arkiv/2026-08/mange.html" in failures["2"]["message"]
    assert "'S-4' (sager.sags_id)" in failures["2"]["message"]


STAGED = """
import json, os, sys
from lisite import context, sharing
from lisite.build import build
sharing.WORTH = 0  # every staged indicator left for the other worker, however quickly made
made = context.stage_with_window
def logged(indicator, frame, audience, *args, **kwargs):
    with open(sys.argv[2], "a", encoding="utf-8") as fh:
        fh.write(json.dumps([os.getpid(), audience.id, indicator.id]) + "\\n")
    return made(indicator, frame, audience, *args, **kwargs)
context.stage_with_window = logged
build(sys.argv[1])
print(json.dumps({"me": os.getpid()}))
"""


@forking
def test_a_worker_through_with_its_audiences_stages_the_others_indicators_and_their_worker_reads_them(make_site, tmp_path):
    """The worker that made the leaders' site stages the committee's indicators (beside its earlier report) while the
    other worker makes the committee's pages (which wait for it here): that worker reads each one and stages none, and
    the site is the one made in one process."""
    made = {}
    for count in ("2", "1"):
        site, log = ahead_site(make_site, tmp_path, f"site{count}")
        staged = tmp_path / f"staged{count}.log"
        fresh(STAGED, str(site), str(staged), workers=count, cache=tmp_path / f"cache-site{count}")
        makers = {entry[2]: entry[0] for entry in map(json.loads, log.read_text(encoding="utf-8").splitlines()) if entry[1] == "made"}
        entries = [json.loads(line) for line in staged.read_text(encoding="utf-8").splitlines()]
        made[count] = tree(site / "_site"), makers, entries
    (site_2, makers, entries), (site_1, _, alone) = made["2"], made["1"]
    assert site_2 == site_1
    committee = sorted(indicator for _, audience, indicator in alone if audience == "udvalg")
    assert committee and sorted(indicator for _, audience, indicator in entries if audience == "udvalg") == committee
    assert {pid for pid, audience, _ in entries if audience == "udvalg"} == {makers["ledere"]}  # none where it was made


READS_A_TEXT = '''
import lisite


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.id == "udvalg":
        ctx.content.get("kun-udvalget.md")  # a text only the committee's site reads
    return []
'''


@forking
def test_an_audience_read_back_from_the_last_build_is_not_staged_ahead(make_site, tmp_path):
    """After an edit of a text only the committee read, the leaders' site is read back (lisite.reuse), so no worker
    stages its indicators ahead: nobody needs them."""
    site, _ = many_site(make_site, tmp_path, "site")
    (site / "plugins" / "reads.py").write_text(READS_A_TEXT, encoding="utf-8")
    (site / "content").mkdir(exist_ok=True)
    (site / "content" / "kun-udvalget.md").write_text("Før.\n", encoding="utf-8")
    first, second = tmp_path / "first.log", tmp_path / "second.log"
    fresh(STAGED, str(site), str(first), workers="2", cache=tmp_path / "cache")
    (site / "content" / "kun-udvalget.md").write_text("Efter.\n", encoding="utf-8")
    fresh(STAGED, str(site), str(second), workers="2", cache=tmp_path / "cache")
    staged = [json.loads(line) for line in second.read_text(encoding="utf-8").splitlines()]
    assert {audience for _, audience, _ in staged} == {"udvalg"}  # the committee's made again; the leaders' read back
    assert {audience for _, audience, _ in map(json.loads, first.read_text(encoding="utf-8").splitlines())} == {"udvalg", "ledere"}
