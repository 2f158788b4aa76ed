"""One typed cache for everything a build can reuse; ``lisite serve`` keeps it between builds.

Every entry is stored under a typed key that names everything the value was made
from: the input data (file hashes), the whole configuration, the source code of
the plugins involved (a hash of their files' contents, never their mtimes), the
text catalogue and, for what is shown to an audience, the audience itself. So an
edited local plugin, data file or text misses the cache and is made anew, while an
unchanged rebuild reuses everything.

Memory is bounded: the cache is an LRU by entry count and approximate size, a
newly loaded version of a dataset replaces the old one at once, and
:meth:`BuildCache.sweep` drops, after a whole successful build, every entry that
build did not use (figures, pages and views of superseded data or code).
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, Callable, Hashable, Iterable, NamedTuple

import numpy as np
import pandas as pd

MAX_ENTRIES = 50_000
MAX_MEGABYTES = 1024  # override with LISITE_CACHE_MB


def digest(*parts: Any) -> str:
    """A short, stable hash of the ``repr`` of ``parts``."""
    return hashlib.sha256(repr(parts).encode("utf-8", errors="surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class BuildInputs:
    """What a whole build depends on, computed once per build."""

    data: tuple[tuple[str, str], ...]  # (dataset name, sha256 of its file or query)
    config: str  # hash of the whole configuration
    code: str  # hash of every active plugin's source files
    views: str  # hash of the source of the plugins that add parts to indicator views
    texts: str  # hash of the text catalogue in use
    declared: str = ""  # hash of every indicator's declaration (titles, units, levels, ...)
    problems: str = ""  # hash of the problems the checks found (a page may list them; a check may read a text)

    def without_data(self) -> "BuildInputs":
        """The same inputs naming the datasets there are but not what they hold: the key of a part that keeps
        the hashes of the datasets and results it read beside it (see :mod:`lisite.tracking`)."""
        return replace(self, data=tuple((name, "") for name, _ in self.data))


class DataKey(NamedTuple):
    """One loaded, typed dataset."""

    dataset: str
    spec: Any  # DatasetSpec
    source: Any  # SourceConfig
    content: str  # the file's sha256, or the query
    loader: str  # hash of the loader plugins' code
    words: Any = None  # the text catalogue's fingerprint (the problems are worded from it)


class IndicatorKey(NamedTuple):
    """One indicator's computed result (before staging).

    ``data`` holds the hashes of the datasets its computation read (see :class:`ReadsKey`), so an
    edit of another dataset reuses it; ``present`` names every dataset there was, as a computation
    may ask whether one exists. Downstream (``ctx.result_keys``: staging, views) ``data`` holds instead
    the content hash of the result itself, ``(("result", hash),)``: a recomputed indicator whose result
    came out the same keeps its figures and views (early cutoff, :mod:`lisite.tracking`). The datasets
    a view reads besides (targets, provenance, view hooks) are kept beside the view.
    """

    indicator: str
    plugin: str
    code: str  # hash of the plugin's own source files
    data: tuple[tuple[str, str], ...]
    config: str
    texts: str = ""  # a frame may hold catalogue words
    present: tuple[str, ...] = ()


class ReadsKey(NamedTuple):
    """Which datasets an indicator's computation read when it last ran with this code, config and texts.

    With the same inputs it reads the same datasets again, so the hashes of those alone identify its result.
    """

    indicator: str
    plugin: str
    code: str
    config: str
    texts: str


class StagedKey(NamedTuple):
    """One indicator's figures as one audience may see them."""

    audience: Any  # Audience
    indicator: IndicatorKey
    declared: str  # hash of the indicator's declaration (unit, levels, texts, ...)
    window: int | None = None  # the last N periods summed into one (``ctx.staged(id, window=N)``)
    earlier: tuple = ()  # what the audience's earlier reports showed of it (lisite.earlier.Shown)
    alike: tuple = ()  # the counts it is protected with (BuildContext._alike): each one's id, declaration and result key


class LimitedKey(NamedTuple):
    """The input data cut down to an audience's part of the organisation (``ctx.data``)."""

    filter: tuple[tuple[str, str], ...]
    data: tuple[tuple[str, str], ...]


class PagesKey(NamedTuple):
    """One plugin's pages for one audience (checked again against the content files, datasets and results it read:
    ``inputs`` names the datasets there are, :meth:`BuildInputs.without_data`)."""

    plugin: str
    code: str  # hash of the plugin's own source files
    audience: Any
    inputs: BuildInputs


class ViewKey(NamedTuple):
    """The view model of one indicator block (checked again against the content files it read)."""

    audience: Any
    block: str  # repr of the IndicatorView block
    indicator: IndicatorKey | None
    declared: str
    config: str
    texts: str
    hooks: str  # code of the plugins implementing lisite_indicator_view
    data: tuple[tuple[str, str], ...] = ()  # the datasets there are (:meth:`BuildInputs.without_data`); those it read are kept beside it


class FiguresKey(NamedTuple):
    """The chart, text and table of one indicator block, for every audience shown the same figures
    (:meth:`lisite.render.Views.figures_view`; checked again against the content files, datasets and results it read)."""

    figures: str  # content hash of the rows shown and the municipality totals
    target: float | None
    min_count: int  # the smallest count shown: the words for a hidden cell
    block: str  # repr of the IndicatorView block
    declared: str
    config: str
    texts: str
    data: tuple[tuple[str, str], ...] = ()


class BlockKey(NamedTuple):
    """The view model of another block of a cached page (the block object itself is checked, or an equal
    block: key figures, whose ``inputs`` name all they read)."""

    audience: Any
    block: int | str  # id() of the block (the entry keeps it alive and is checked with ``is``), or its repr
    inputs: tuple
    texts: str  # the text catalogue's fingerprint


class MemoKey(NamedTuple):
    """A value a plugin keeps with ``ctx.memo``: valid for the same data, config, code and key."""

    inputs: BuildInputs | None
    key: Hashable


def fingerprint(obj: Any) -> str:
    """A stable hash of a dataclass's plain fields (callables are left out: their code is in the plugin hash)."""
    if not is_dataclass(obj):
        return digest(obj)
    parts = []
    for f in fields(obj):
        if f.name in ("datasets", "periods"):  # filled in by the engine after compute()
            continue
        value = getattr(obj, f.name)
        if not callable(value):
            parts.append((f.name, value))
    return digest(tuple(parts))


SAMPLE = 16  # items measured in a large container or object column; the rest is extrapolated


def approx_size(value: Any, depth: int = 0) -> int:
    """Roughly how many bytes ``value`` holds: frames by their memory use, containers recursively.

    Large containers and text columns are measured on a sample, so sizing stays cheap.
    """
    if isinstance(value, pd.DataFrame):
        return _frame_size(value) + int(value.index.memory_usage())
    if isinstance(value, pd.Series):
        return _column_size(value) + int(value.index.memory_usage())
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return sys.getsizeof(value)
    if depth > 8:
        return sys.getsizeof(value)
    size = SAMPLE >> (2 * depth) or 2  # fewer items the deeper: a view's rows of cells are alike
    if isinstance(value, dict):
        items = list(value.items()) if len(value) <= size else _sample(list(value.items()), size)
        measured = sum(approx_size(k, depth + 1) + approx_size(v, depth + 1) for k, v in items)
        return sys.getsizeof(value) + measured * len(value) // max(len(items), 1)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value) if len(value) <= size else _sample(list(value), size)
        measured = sum(approx_size(v, depth + 1) for v in items)
        return sys.getsizeof(value) + measured * len(value) // max(len(items), 1)
    if is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(approx_size(getattr(value, f.name), depth + 1) for f in fields(value))
    return sys.getsizeof(value)


def _sample(items: list, size: int = SAMPLE) -> list:
    step = len(items) / size
    return [items[int(i * step)] for i in range(size)]


def _frame_size(frame: pd.DataFrame) -> int:
    """The columns' sizes (:func:`_column_size`); a column of plain numbers, dates or booleans by its dtype alone,
    without making it a Series (as many bytes as ``memory_usage`` gives it)."""
    rows, size, unique = len(frame), 0, frame.columns.is_unique
    for i, (name, dtype) in enumerate(frame.dtypes.items()):
        if isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
            size += rows * dtype.itemsize
        else:
            size += _column_size(frame[name] if unique else frame.iloc[:, i])
    return size


def _column_size(column: pd.Series) -> int:
    shallow = int(column.memory_usage(index=False, deep=False))
    if len(column) == 0 or not (pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype)):
        return shallow
    values = column.array
    picked = [values[int(i * len(values) / SAMPLE)] for i in range(min(SAMPLE, len(values)))]
    return shallow + sum(sys.getsizeof(v) for v in picked) * len(values) // len(picked)


def resident_bytes() -> int | None:
    """The memory this process holds now (Linux), else its peak (other systems); ``None`` when unknown."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_BYTES
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except (ImportError, OSError, ValueError):
        return None
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
LOOK_EVERY = 16  # puts between two looks at the process's memory (a look reads /proc: a few microseconds)


class _Entry:
    __slots__ = ("value", "size", "used")

    def __init__(self, value: Any, size: int | None, used: int) -> None:
        self.value = value
        self.size = size
        self.used = used


_MISSING = object()


class BuildCache:
    """An LRU of typed keys → values, bounded by entry count and approximate bytes. Thread-safe.

    Sizing a value (:func:`approx_size`) costs more than keeping it, and the bound on bytes can only be reached by a
    process that holds that much memory: entries are sized only once the process holds half of ``max_bytes``
    (:func:`resident_bytes`), then all at once and every new one after. A build of the demo, or of København, never
    gets there (its peak is under 450 MB of the 1 GB bound), so it sizes nothing; a long ``lisite serve`` session
    of a large site may, and is bounded as before.
    """

    def __init__(self, max_entries: int | None = None, max_bytes: int | None = None) -> None:
        self.max_entries = max_entries or MAX_ENTRIES
        self.max_bytes = max_bytes or int(os.environ.get("LISITE_CACHE_MB", MAX_MEGABYTES)) * 1024 * 1024
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0
        self.bytes = 0
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self.disk: Any = None  # a lisite.disk.DiskCache: what outlives the process (datasets, indicators)
        self._tracked: set[Hashable] | None = None  # while :meth:`track` runs: every key got or put
        self.sizing = False  # entries are sized (see the class's docstring); once on, it stays on
        #: May a later build ask for what this one keeps (``lisite serve``)? Not for a one-off build's own cache: a key
        #: that only a later build could find (a page kept by the content of its rows) need not be worked out there.
        self.lasting = True
        self._puts = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value under ``key`` (marked as used by this build), else ``default``."""
        with self._lock:
            if self._tracked is not None:
                self._tracked.add(key)
            entry = self._entries.get(key)
            if entry is None:
                self.misses[type(key).__name__] += 1
                return default
            self._entries.move_to_end(key)
            entry.used = self._generation
            self.hits[type(key).__name__] += 1
            return entry.value

    def put(self, key: Hashable, value: Any, replaces: Callable[[Hashable], bool] | None = None,
            size: int | Callable[[], int] | None = None) -> Any:
        """Store ``value`` under ``key`` and return it. ``replaces`` picks older entries it supersedes; ``size``: the
        bytes it holds of its own, when the caller knows (a page's HTML beside the views other entries hold), or how to
        work them out (called only when entries are sized)."""
        self._puts += 1
        if not self.sizing and self._puts % LOOK_EVERY == 1:
            self._size_when_large()
        bytes_ = self._measure(key, value, size) if self.sizing else None
        with self._lock:
            if replaces is not None:
                for old in [k for k in self._entries if k != key and replaces(k)]:
                    self._drop(old)
            if key in self._entries:
                self._drop(key)
            if self._tracked is not None:
                self._tracked.add(key)
            if bytes_ is not None and bytes_ > self.max_bytes:
                return value  # too big to keep at all
            self._entries[key] = _Entry(value, bytes_, self._generation)
            self.bytes += bytes_ or 0
            self._trim()
        return value

    @staticmethod
    def _measure(key: Hashable, value: Any, size: int | Callable[[], int] | None) -> int:
        own = approx_size(value) if size is None else size() if callable(size) else size
        return own + approx_size(key)

    def _size_when_large(self) -> None:
        """Start sizing entries once the process holds half of ``max_bytes`` (or when its memory cannot be known),
        with every entry kept so far."""
        resident = resident_bytes()
        if resident is not None and resident < self.max_bytes // 2:
            return
        with self._lock:
            self.sizing = True
            for key, entry in list(self._entries.items()):
                if entry.size is None:
                    entry.size = self._measure(key, entry.value, None)
                    self.bytes += entry.size
            for key in [k for k, e in self._entries.items() if e.size > self.max_bytes]:
                self._drop(key)
            self._trim()

    def _trim(self) -> None:
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = self.put(key, make())
        return value

    def get_kept(self, key: Hashable, default: Any = None) -> Any:
        """``get``, else the value an earlier process left in :attr:`disk` (then kept in memory too)."""
        value = self.get(key, _MISSING)
        if value is _MISSING and self.disk is not None:
            value = self.disk.get(key, _MISSING)
            if value is not _MISSING:
                self.put(key, value)
        return default if value is _MISSING else value

    def put_kept(self, key: Hashable, value: Any, lasting: bool = True, **options: Any) -> Any:
        """``put``, and on :attr:`disk` when ``lasting`` (the key must then name the code that made the value)."""
        if lasting and self.disk is not None:
            self.disk.put(key, value)
        return self.put(key, value, **options)

    def begin(self) -> None:
        """A new build starts: entries it does not use are dropped by :meth:`sweep`."""
        with self._lock:
            self._generation += 1
            self.hits.clear()
            self.misses.clear()

    def track(self, found: set[Hashable] | None) -> set[Hashable] | None:
        """Collect every key got or put from now on into ``found`` (``None`` stops); returns the set collected before.

        ``lisite serve`` keeps an audience's finished files while nothing they were made from changed; the
        entries that audience used are then :meth:`touch`-ed, so :meth:`sweep` keeps them for its next edit."""
        with self._lock:
            before, self._tracked = self._tracked, found
        return before

    def touch(self, keys: Iterable[Hashable]) -> None:
        """Mark these entries as used by the current build (those still here)."""
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None:
                    entry.used = self._generation
                if self._tracked is not None:
                    self._tracked.add(key)

    def sweep(self) -> int:
        """Drop every entry the current build did not use; returns how many."""
        with self._lock:
            stale = [k for k, e in self._entries.items() if e.used != self._generation]
            for key in stale:
                self._drop(key)
        return len(stale)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def keys(self, kind: type | None = None) -> list[Hashable]:
        return [k for k in list(self._entries) if kind is None or isinstance(k, kind)]

    def stats(self) -> dict[str, Any]:
        kinds = Counter(type(k).__name__ for k in list(self._entries))
        return {"entries": len(self._entries), "bytes": self.bytes, "sizing": self.sizing, "kinds": dict(kinds),
                "hits": dict(self.hits), "misses": dict(self.misses)}

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key)
        self.bytes -= entry.size or 0


def code_hash(files: Iterable[Any]) -> str:
    """A hash of the contents of source files (paths in order)."""
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.name).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:32]
