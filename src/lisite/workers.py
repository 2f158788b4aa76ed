"""Work shared out over forked worker processes, where that is safe, else done one item at a time.

A one-off build (``lisite build``) reads its data, computes its indicators and makes its audiences'
sites in two processes on a machine with two cores or more: a forked worker and the build's own
process beside it. The workers are forked, so they start with the parent's loaded data, plugins and
caches and send back only what they made (pickled). They are not
used by ``lisite serve`` (its caches live in its own process), where fork does not exist, while a
chart renderer runs in this process (the PDF pack's, :class:`lisite.charts.SvgRenderer`: its runtime
must not be copied into a child), or with ``LISITE_WORKERS=1``. The result is the same either way.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import queue
import threading
import traceback
from collections.abc import Iterator
from typing import Any, Callable

from lisite import charts, sharing
from lisite.errors import BuildError, LisiteError

_JOB: dict[str, Any] = {}
_LANE: int | None = None  # the lane this process makes now (each() with workers): 0 is the build's own, 1 the first worker's
#: The lane that made the first item takes another only while the others are less than this far through their item.
HALF = 0.5


def progress(fraction: float) -> None:
    """How far (0 to 1) the item being made in this process is, told to the other lanes of ``each(apart=True)``: the
    lane that made the first item takes another only while the others are less than half through theirs (see
    :func:`_lane`). Nothing outside such a lane."""
    found = _JOB.get("progress")
    if found is not None and _LANE is not None:
        found[_LANE] = fraction


def count(items: int) -> int:
    """How many worker processes ``items`` pieces of work get (1: none, the work is done here)."""
    if "fork" not in multiprocessing.get_all_start_methods() or charts.renderer_started():
        return 1
    return max(1, min(int(os.environ.get("LISITE_WORKERS", "2")), os.cpu_count() or 1, items))


def each(make: Callable[[Any], Any], items: list, parallel: bool = True,
         weight: Callable[[Any], float] | None = None, meanwhile: Callable[[], None] | None = None,
         apart: bool = False, arrived: Callable[[int, Any], None] | None = None, share: bool = False,
         finish: Callable[[], dict[int, Exception | None]] | None = None,
         here: Callable[[int, Any], None] | None = None) -> list:
    """``make(item)`` for every item, in order: in forked workers and in this process beside them (one lane of items
    each, :func:`_in_lanes`) when ``parallel`` and :func:`count` allow.

    ``weight``: roughly how much work an item is. The lanes then take the heaviest items first, each the next one as
    it finishes, so a heavy item does not start last and keep one process busy alone (the results stay in the items'
    order).

    ``apart``: the first item shares little with the others, which share much among themselves (the audience of
    the finest level and the coarser ones, whose figures are made once in a process for all of them): the worker
    that makes it takes another only while two or more are left and the others are less than half through theirs
    (:func:`progress`), so the last one is made where its like were.

    ``meanwhile``: work of this process's own that the items do not need, done here while the workers make the first
    items, before this process takes its own; without workers, after the items. With ``apart``, once the first lane
    has finished (its core is free then) while the others make their last items.

    ``share``: the workers leave what they work out in ``ctx.memo`` and ``ctx.kept`` for each other
    (:mod:`lisite.sharing`).

    ``arrived(index, result)``: called here with each item made, as soon as it is here (as soon as its worker made it,
    while that worker goes on with its next item), for work of this process's own on it.

    ``here(index, result)``: called in the process that made the item, as soon as it is made (in a worker, before it is
    sent): work on it that any process can do, done by the one that has it (the build writes an audience's files there,
    :meth:`lisite.output.NewSite.share`). An error in it is the item's error.

    ``finish()``: work each worker does once it has taken its last item, in its process (the build checks its audiences
    there: see :func:`lisite.build.build`); without workers, once every item is made. It returns a verdict on each item
    made since it was last called: ``None``, or the error the item turned out to have, raised here as if making it had
    raised it. An item made without a verdict is an error too: what ``finish`` does is never skipped unnoticed. With
    workers, it needs ``apart``.

    An error in a worker is raised here as the lisite error it was (with the worker's traceback in
    ``remote_traceback``), the first in the items' order."""
    processes = count(len(items)) if parallel else 1
    if processes < 2:
        made = []
        for index, item in enumerate(items):
            made.append(make(item))
            if here is not None:
                here(index, made[-1])
            if arrived is not None:
                arrived(index, made[-1])
        if finish is not None:
            judged = dict(enumerate(made))
            _judge(judged, finish())
            for index in range(len(items)):
                if isinstance(judged[index], _Failed):
                    raise judged[index].error
        if meanwhile is not None:
            meanwhile()
        return made
    if finish is not None and not apart:
        raise ValueError("each(finish=...) with workers needs apart=True: a worker's last item is known only there")
    order = sorted(range(len(items)), key=lambda i: -weight(items[i])) if weight else list(range(len(items)))
    context = multiprocessing.get_context("fork")
    _JOB.update(make=make, here=here, items=items, order=order, next=context.Value("i", 0), apart=apart,  # made before the fork
                made=context.Queue(),  # each item as it is made, then its verdicts, then None as a worker ends
                finish=finish, progress=context.Array("d", processes, lock=False))  # each lane's (progress)
    outer = gc.get_freeze_count() > 0  # a build freezes what it loaded before its pages (lisite.build): left so
    gc.freeze()  # what the workers inherit is never collected there: less work, and its pages stay shared
    try:
        with sharing.between_workers() if share else contextlib.nullcontext():
            done = _in_lanes(context, processes, meanwhile, arrived, finish)
    finally:
        if not outer:
            gc.unfreeze()
        _JOB.clear()
    outcomes = [done[i] for i in range(len(items))]
    for outcome in outcomes:
        if isinstance(outcome, _Failed):
            raise outcome.error
    return outcomes


def _in_lanes(context, lanes: int, meanwhile: Callable[[], None] | None, arrived: Callable[[int, Any], None] | None,
              finish: Callable[[], dict[int, Exception | None]] | None) -> dict[int, Any]:
    """:func:`each` with workers: this process makes one lane of items itself, beside ``lanes - 1`` forked workers; each
    lane takes the next item itself (:func:`_lane`). One worker fewer is memory saved: what a worker touches of this
    process's memory (each object's reference count is written as it is used) becomes its own copy (the demo's pages
    built on two cores: 290-295 MiB at once with two workers, 233-253 with one, 19 builds); and what this process
    makes is not pickled (the demo's data and indicators made so too: CPU time 2.3 % lower against the code before,
    seven builds each in turn). Without ``apart`` this process does the work ``meanwhile`` first, then takes items.

    With ``apart`` the first item is the first worker's: with the demo's audiences the lanes then end closer together,
    and the most memory held at once is lower (245-247 MiB against 251-255 with the first item made here, four builds
    each). A worker ends as soon as its lane is done and judged, so its memory is not held while this process makes
    its last item. What the workers send is taken by a thread of this process as it comes (:func:`_take`), so it does
    not wait in a worker's memory while this process makes an item."""
    made, apart, done, verdicts, ended = _JOB["made"], _JOB["apart"], {}, {}, 0

    def receive(found: bytes | BuildError | None) -> None:
        nonlocal ended
        if isinstance(found, BuildError):  # a worker stopped before it was done (_take)
            raise found
        if found is None:  # a lane is done: its core is free
            ended += 1
            if ended == 1 and meanwhile is not None and apart:
                meanwhile()
            return
        found = pickle.loads(found)
        if isinstance(found, _Verdicts):
            verdicts.update(found.verdicts)
        else:
            done.update(_arrive(dict([found]), arrived))

    global _LANE
    _JOB["next"].value = 1 if apart else 0  # (apart: the first item is the first worker's, _run_lane)
    workers = [context.Process(target=_run_lane, args=(number,), daemon=True) for number in range(lanes - 1)]
    for worker in workers:
        worker.start()
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    taker = threading.Thread(target=_take, args=(made, workers, inbox, stop), daemon=True)
    taker.start()
    _LANE = 0
    try:
        if not apart and meanwhile is not None:
            meanwhile()
        mine = []
        for index, outcome in _lane():
            mine.append(index)
            done.update(_arrive({index: outcome}, arrived))
            while not inbox.empty():
                receive(inbox.get())
        if finish is not None and mine:
            verdicts.update(_finished(mine))
        receive(None)
        while ended < lanes:
            receive(inbox.get())
    finally:
        _LANE = None
        stop.set()
        for worker in workers:
            if worker.is_alive() and ended < lanes:
                worker.terminate()
            worker.join()
        taker.join()
    if finish is not None:
        _judge(done, verdicts)
    return done


def _take(made, workers: list, inbox: queue.SimpleQueue, stop: threading.Event) -> None:
    """Move what the workers send into ``inbox`` as soon as it comes (a thread of the process that forked them, while
    it makes items of its own), until each has ended; a worker that exits without ending its lane puts a
    :class:`BuildError` there instead."""
    ended = 0
    while ended < len(workers) and not stop.is_set():
        try:
            found = made.get(timeout=0.5)
        except queue.Empty:
            lost = [worker for worker in workers if worker.exitcode not in (None, 0)]
            if lost and made.empty():
                inbox.put(BuildError(f"a worker process of the build stopped (exit code {lost[0].exitcode}) before it was done"))
                return
            continue
        ended += found is None
        inbox.put(found)


def _arrive(made: dict[int, Any], arrived: Callable[[int, Any], None] | None) -> dict[int, Any]:
    """``arrived`` called with each item made (not one that failed: the error is raised once every worker is done)."""
    if arrived is not None:
        for index in sorted(made):
            if not isinstance(made[index], _Failed):
                arrived(index, made[index])
    return made


class _Failed:
    """A worker's error on its way back (a result that is itself an exception stays a result)."""

    def __init__(self, error: LisiteError) -> None:
        self.error = error


class _Verdicts:
    """What ``finish`` said in a worker of each item it made (index → ``None`` or the item's error), on its way back."""

    def __init__(self, verdicts: dict[int, LisiteError | None]) -> None:
        self.verdicts = verdicts


_UNJUDGED = object()


def _unjudged(index: int) -> BuildError:
    return BuildError(f"item {index} was made, but finish() gave no verdict on it")


def _judge(done: dict[int, Any], verdicts: dict[int, LisiteError | None]) -> None:
    """Each item made without an error becomes its error when its verdict is one, or when it has none."""
    for index, outcome in done.items():
        if not isinstance(outcome, _Failed):
            verdict = verdicts.get(index, _UNJUDGED)
            if verdict is not None:
                done[index] = _Failed(_unjudged(index) if verdict is _UNJUDGED else verdict)


def _finished(made: list[int]) -> dict[int, LisiteError | None]:
    """``finish()`` in a worker, its errors made to travel; an error of ``finish`` itself is the verdict on every item
    the worker made."""
    try:
        verdicts = _JOB["finish"]()
    except Exception as exc:  # noqa: BLE001 (the verdict on each item: none of them passes unjudged)
        error = portable_error(exc)
        return {index: error for index in made}
    return {index: None if error is None else portable_error(error) for index, error in verdicts.items()}


def _run_lane(number: int) -> None:
    """A forked worker's lane: each item it makes sent back, (index, outcome) pickled, as soon as it is made; then the
    verdicts of ``finish`` on the items made here, if it is given, and ``None`` as this worker ends. The first worker
    begins with the first item (:func:`_in_lanes`)."""
    global _LANE
    made, mine, _LANE = _JOB["made"], [], number + 1
    try:
        for index, outcome in _lane(0 if number == 0 and _JOB["apart"] else None):
            mine.append(index)
            made.put(_portable((index, outcome)))
        if _JOB["finish"] is not None and mine:
            made.put(pickle.dumps(_Verdicts(_finished(mine)), protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        made.put(None)
        made.close()
        made.join_thread()  # (all of it sent before this process ends)


def _lane(first: int | None = None) -> Iterator[tuple[int, Any]]:
    """(index, outcome) of each item a lane makes: ``first`` (an index in the order taken for it), then each time the
    next one in the order, while there is one for it. The lane that made the order's first item takes another only while
    two or more are left, and only while the other lanes are less than half through the item each is making
    (:func:`progress`): one that is further will soon take the next itself, and the items that share much are then made
    in one process. A build's audience counts as half through once its pages are collected
    (:data:`lisite.build.COLLECTED`), so the first item's worker takes another only while the other lane is still
    collecting its item's pages: from the demo's size up to Odense's the caseworkers' audience (the first) is made
    before the leaders' (the second) have their pages, and its worker makes the directors' too; with København's size
    the leaders' pages are collected by then, and the directors' are made after them in the same process. Its
    progress once counted the views alone, 0 while the pages were collected (two thirds of the leaders' time there),
    and a race decided which way it went: the directors' made beside the leaders' in the other process, the build held
    572-616 MiB at once (5 of 19 builds, 7 December 2026), made after them in the same process, 461-475 MiB."""
    order, position, made_first, shown = _JOB["order"], _JOB["next"], False, _JOB["progress"]
    while True:
        if first is not None:
            at, first = first, None
        else:
            with position.get_lock():
                at = position.value
                if at >= len(order) or (made_first and _JOB["apart"] and (len(order) - at < 2 or _others_far(shown))):
                    return
                position.value = at + 1
        made_first = made_first or at == 0
        shown[_LANE] = 0.0
        outcome = _run_job(order[at])
        shown[_LANE] = 1.0  # (done: this lane takes the next itself, if there is one for it)
        yield order[at], outcome


def _others_far(shown) -> bool:
    """Are the other lanes each at least half through the item they make (or done with it)?"""
    return all(fraction >= HALF for lane, fraction in enumerate(shown) if lane != _LANE)


def _portable(found: tuple[int, Any]) -> bytes:
    """(index, outcome) pickled here, where an outcome that cannot travel becomes the item's error."""
    try:
        return pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
    except sharing.UNPICKLABLE as exc:
        return pickle.dumps((found[0], _Failed(portable_error(exc))), protocol=pickle.HIGHEST_PROTOCOL)


def _run_job(index: int) -> Any:
    """The item made, and ``here`` done with it, in this process (its error, made to travel, when either fails)."""
    try:
        made = _JOB["make"](_JOB["items"][index])
        if _JOB["here"] is not None:
            _JOB["here"](index, made)
        return made
    except Exception as exc:
        return _Failed(portable_error(exc))


def portable_error(exc: Exception) -> LisiteError:
    """``exc`` as a lisite error that survives pickling, carrying the formatted traceback (with its causes)."""
    text = "".join(traceback.format_exception(exc))
    error = exc if isinstance(exc, LisiteError) else BuildError(f"{type(exc).__name__}: {exc}")
    error.remote_traceback = text
    try:
        pickle.dumps(error)
    except Exception:  # an attribute that cannot travel: keep the message and the traceback text
        error = BuildError(error.format_message())
        error.remote_traceback = text
    return error
