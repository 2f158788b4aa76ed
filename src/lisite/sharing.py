"""Values one worker of a build made that another worker of the same build may need.

The forked workers that make a build's audiences (:func:`lisite.workers.each` with ``share``) each keep what they
work out in their own memory (``ctx.memo`` and ``ctx.kept``, :mod:`lisite.tracking`): a comparison with the other
municipalities made for the directors in one worker was made again for the committee in the other. While they run,
a value that took a while to make is also written, pickled, to a folder of the build's own (private to the user, on a
memory file system where there is one), named by a hash of its key, and a worker that needs the same value later
reads it from there (so are the files of a table to download, :mod:`lisite.downloads`: the committee's and the
directors' sites share most of theirs). A value both need at the same moment is made in both, as before. A value is
the same wherever it is made: its key names everything it is made from (the contract of ``ctx.memo`` and
``ctx.kept``). The folder is removed when the workers are done. Not used in one process (``lisite serve``,
``LISITE_WORKERS=1``), where every value is kept in memory anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

from lisite.output import write_atomic

try:
    import fcntl
except ImportError:  # (Windows: no workers are forked there, so no value is shared)
    fcntl = None

#: Where the workers of the build now running leave their values (``None``: no workers share).
FOLDER: Path | None = None
#: A value made faster than this (seconds) is not written: pickling and reading it would cost about as much.
WORTH = 0.002
#: Does the work done now take part: offer what it makes, look for what others made? (:func:`taking_part`)
TAKING_PART = True
MEMORY = Path("/dev/shm")  # a memory file system: what is written there never waits for a disk
UNPICKLABLE = (pickle.PicklingError, TypeError, AttributeError, RecursionError)
UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError, ValueError)


@contextlib.contextmanager
def between_workers() -> Iterator[None]:
    """A folder for the workers forked inside the ``with`` to share their values in; removed at the end."""
    global FOLDER
    where = Path(MEMORY if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) else tempfile.gettempdir())
    remove_stale(where)
    FOLDER = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=where))  # 0700: the values may hold person-level rows
    try:
        yield
    finally:
        shutil.rmtree(FOLDER, ignore_errors=True)
        FOLDER = None


PREFIX = "lisite-shared-"


def remove_stale(where: Path) -> list[Path]:
    """Remove the folders of builds whose process is gone (killed before it could remove its own): what they hold
    may be person-level. Returns those removed."""
    removed = []
    for folder in where.glob(f"{PREFIX}*-*"):
        pid = folder.name.removeprefix(PREFIX).split("-")[0]
        if not pid.isdigit() or not folder.is_dir() or folder.is_symlink() or folder.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        except OSError:
            pass  # alive, or not ours to ask about
    return removed


@contextlib.contextmanager
def taking_part(on: bool) -> Iterator[None]:
    """The work inside the ``with`` offers its values and looks for the others' (``on``), or neither: an audience at the
    case level (the caseworkers') has pages of single cases, which no other audience may see, and writing its values
    for no one, or looking for values no one made, only costs time (at 16 times the demo's cases, 0.16 s for the
    caseworkers' 1,241 downloads, 8.6 MB; none of its values was ever read by another audience)."""
    global TAKING_PART
    before, TAKING_PART = TAKING_PART, on
    try:
        yield
    finally:
        TAKING_PART = before


def found(key: Hashable) -> Any:
    """The value another worker made under ``key``, or ``None``."""
    path = _path(key)
    if path is None:
        return None
    try:
        with open(path, "rb") as made:
            return pickle.load(made)
    except FileNotFoundError:
        return None
    except UNREADABLE:  # cut short or unreadable: made here
        return None


@contextlib.contextmanager
def claimed(key: Hashable, wait: bool) -> Iterator[bool]:
    """Whether this worker holds the claim on making the value under ``key`` inside the ``with``: taken at once when no
    other worker holds it, else (``wait``) once that one lets it go, or (not ``wait``) not at all. A worker that would
    make a value another one is making waits for it instead (and then finds it offered); one that makes values ahead
    of need skips it. Always held where values are not shared (one process)."""
    path = _path(key) if fcntl is not None else None
    handle = None
    if path is not None:
        try:
            handle = os.open(path.with_suffix(".claim"), os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError:  # (a full memory file system: made here, as when nothing is shared)
            handle = None
    try:
        held = True
        if handle is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                held = False
            except OSError:  # no locks here: made here, as when nothing is shared (at worst twice)
                pass
        yield held
    finally:
        if handle is not None:
            os.close(handle)  # (lets the claim go)


def offered(key: Hashable) -> bool:
    """Has a worker left a value under ``key`` (not read)?"""
    path = _path(key)
    return path is not None and path.is_file()


def mark(key: Hashable) -> None:
    """Leave a mark under ``key`` for the other workers (:func:`offered` finds it): a value of its own, whatever it took."""
    offer(key, True, seconds=float("inf"))


def offer(key: Hashable, value: Any, seconds: float, worth: float | None = None) -> None:
    """Leave ``value`` (made under ``key`` in ``seconds``) for the other workers, when it is worth it (it took ``worth``
    seconds or more; default :data:`WORTH`)."""
    path = _path(key) if seconds >= (WORTH if worth is None else worth) else None
    if path is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except UNPICKLABLE:  # a value that cannot travel (a function in it): each worker makes its own
        return
    try:
        write_atomic(path, data)  # a reader sees the whole value or none
    except OSError:  # a full memory file system: each worker makes its own
        return


def _path(key: Hashable) -> Path | None:
    """Where the value under ``key`` is left: a file named by a hash of the key pickled (equal keys pickle alike in
    forked workers); ``None`` where nothing is shared now (no workers, or work that takes no part) and for a key that
    cannot be pickled."""
    if FOLDER is None or not TAKING_PART:
        return None
    try:
        return FOLDER / hashlib.sha256(pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    except UNPICKLABLE:
        return None
