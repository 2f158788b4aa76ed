"""Computations kept for the same content of the columns they read (:func:`lisite.calc.remembered`).

An edit of one value under ``lisite serve`` loads its dataset again, and every indicator that read the dataset is
computed again. Most read a few of its columns only: an indicator handed just those columns, and kept under their
hashes, is handed back at once when an edit changed another column. Each column's hash is worked out once per frame
(a dataset's frame is shared by every indicator of a build and never changed in place).
"""

from __future__ import annotations

import hashlib
import weakref
from typing import Any, Callable, Hashable

import pandas as pd

from lisite.tracking import hash_cells, result_digest

KEEP_REMEMBERED = 256  # computations kept; past it the oldest goes
_remembered: dict[Hashable, Any] = {}
_columns: dict[int, tuple[Any, dict[str, str]]] = {}  # id(frame) → (a weak reference to the frame, column (or "") → hash)


def column_hashes(frame: pd.DataFrame, columns: list[str]) -> tuple[str, ...]:
    """The hash of each of ``columns`` of a dataset's frame (cells as :func:`result_digest` hashes them), and of the
    frame's index and ``attrs``; worked out once per frame object. A dataset's frame is shared by every part of a build
    and never changed in place. The hashes go with the frame (a weak reference: they keep no frame alive)."""
    kept = _columns.get(id(frame))
    if kept is None or kept[0]() is not frame:
        kept = _columns[id(frame)] = (weakref.ref(frame, _gone), {})
    hashes = kept[1]
    if "" not in hashes:  # the rows' index and the frame's attrs (a computation may read them too)
        hashes[""] = result_digest(frame[[]])
    for name in columns:
        if name not in hashes:
            h = hashlib.sha256(repr((name, str(frame[name].dtype))).encode("utf-8", "surrogatepass"))
            hash_cells(h, frame[name])
            hashes[name] = h.hexdigest()
    return tuple(hashes[name] for name in ("", *columns))


def _gone(ref: Any) -> None:
    """A frame whose columns' hashes were kept is gone: its hashes go with it."""
    for name, (found, _) in list(_columns.items()):
        if found is ref:
            del _columns[name]


def remembered(key: Hashable, make: Callable[[], Any]) -> Any:
    """``make()`` kept under ``key`` (which names everything it is made from); a frame handed out is a copy (pandas copies
    on write: a caller that changes it changes nothing kept)."""
    if key in _remembered:
        value = _remembered.pop(key)
    else:
        value = make()
        while len(_remembered) >= KEEP_REMEMBERED:
            del _remembered[next(iter(_remembered))]
    _remembered[key] = value  # the most recently used last
    return _handed_out(value)


def _handed_out(value: Any) -> Any:
    """A kept value as a caller gets it: a frame as a copy (pandas copies on write: a caller that changes it changes
    nothing kept)."""
    return value.copy(deep=False) if isinstance(value, (pd.DataFrame, pd.Series)) else value


def derived(key: Hashable, make: Callable[[], Any]) -> Any:
    """``make()`` kept under ``key`` until :func:`forget_derived`: a frame several computations are made from
    (:class:`lisite.calc.Derived`), made once for them. A large municipality's can be a million rows: it is not kept
    once the build's figures are made (the figures made from it are, by :func:`remembered`)."""
    if key not in _derived:
        _derived[key] = make()
    return _handed_out(_derived[key])


def forget_derived() -> None:
    """Let go of the frames :func:`derived` kept (the build's figures are made)."""
    _derived.clear()


_derived: dict[Hashable, Any] = {}


def forget() -> None:
    """Forget every kept computation and hash (a test's fresh build starts from nothing)."""
    _remembered.clear()
    _columns.clear()
    _derived.clear()
