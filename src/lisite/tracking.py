"""Which datasets and indicator results a part of the build read, so that a kept part is reused only while they are the same.

Under ``lisite serve`` an edit of one data file changes one dataset. The parts of a build that never
read it (a page of budget figures after an edit of the cases) stay valid, and so do the parts made
from an indicator that read it but whose result came out the same (a count of cases after a child's
gender was corrected): its figures, views and pages are kept. That is early cutoff: a part is keyed by
what it was made from, not by everything the build could have read.

Every read goes through the build context (:class:`lisite.context.BuildContext`): ``ctx.data``,
``ctx.datasets`` and ``ctx.results`` are :class:`Recorded` mappings, and ``ctx.staged`` notes the
result it stages. Each read is a token (``("data", name)``, ``("result", indicator id)``,
``("columns", indicator id)``) with the content hash it has in this build (:attr:`Reads.values`). A
cached part keeps the tokens it read with their hashes (:meth:`Reads.recording`); it is reused only
when each of them has the same hash now (:meth:`Reads.same`), and its reads are then added to the
part around it (:meth:`Reads.note`): a page knows what its views read, an audience what its pages read.
"""

from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from typing import Any, Callable, Hashable, Iterator, Mapping

import pandas as pd

from lisite import sharing

Token = tuple[str, str]  # (kind, name): ("data", "sager"), ("result", "maalgrupper.alder"), ...


class Reads:
    """The tokens read by the parts being made now, innermost last; and each token's hash in this build."""

    def __init__(self) -> None:
        self.values: dict[Token, str] = {}
        self._open: list[dict[Token, str]] = []

    def read(self, kind: str, name: str) -> None:
        """A part read this dataset or result (noted in the innermost part being made)."""
        if self._open:
            token = (kind, name)
            self._open[-1][token] = self.values.get(token, "")

    def note(self, recorded: Mapping[Token, str]) -> None:
        """A part reused from a cache: its reads count as read by the part being made around it."""
        if self._open and recorded:
            self._open[-1].update(recorded)

    @contextmanager
    def recording(self) -> Iterator[dict[Token, str]]:
        """Note the tokens read inside the block; the part around it gets them too."""
        inner: dict[Token, str] = {}
        self._open.append(inner)
        try:
            yield inner
        finally:
            self._open.pop()
            if self._open:
                self._open[-1].update(inner)

    def same(self, recorded: Mapping[Token, str]) -> bool:
        """Does every token read still have the hash it had? (A kept part may then be reused.)"""
        return all(self.values.get(token, "") == value for token, value in recorded.items())


class Recorded(Mapping):
    """A read-only mapping that notes each item read (``also``: further tokens every read depends on).

    Asking whether a name is there notes nothing: which datasets and indicators exist is part of
    every key (the config and the plugins' code decide it)."""

    def __init__(self, items: Mapping[str, Any], reads: Reads, kind: str, also: tuple[str, ...] = ()) -> None:
        self.raw = items
        self._reads = reads
        self._kind = kind
        self._also = also

    def __getitem__(self, name: str) -> Any:
        value = self.raw[name]
        self._reads.read(self._kind, name)
        for other in self._also:
            self._reads.read(self._kind, other)
        return value

    def __contains__(self, name: object) -> bool:
        return name in self.raw

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __repr__(self) -> str:
        return f"Recorded({self._kind}: {sorted(self.raw)})"


def unrecorded(items: Mapping[str, Any]) -> Mapping[str, Any]:
    """The mapping under a :class:`Recorded` one (reading it notes nothing); a plain mapping as it is (a context
    whose ``datasets`` a test set by hand)."""
    return items.raw if isinstance(items, Recorded) else items


def kept(cache: Any, reads: Reads, key: Hashable, make: Callable[[], Any], share: bool = True) -> Any:
    """``make()``, kept in ``cache`` under ``key`` with what it read and the cache entries it used, and reused while
    what it read is the same. The entries it used (a figure kept inside a kept summary) are used again with it, so a
    build that reuses the whole does not sweep its parts, which the next edit may reuse. ``share``: offered to the
    other workers of the build and looked for among theirs (:mod:`lisite.sharing`)."""
    found = cache.get(key) or (shared(cache, key) if share else None)
    if found is not None and reads.same(found[1]):
        reads.note(found[1])
        cache.touch(found[2])
        return found[0]
    value, read, used = _made_and_offered(cache, reads, key, make) if share else made(cache, reads, make)
    cache.put(key, (value, read, used))
    return value


def memo(cache: Any, reads: Reads, key: Hashable, make: Callable[[], Any]) -> Any:
    """``make()``, kept in ``cache`` under ``key`` (which names every dataset: ``ctx.memo``) with what it read and the
    cache entries it used. Whoever uses the value read what it read, and used those entries: they are kept with it."""
    value, read, used = cache.get(key) or shared(cache, key) or cache.put(key, _made_and_offered(cache, reads, key, make))
    cache.touch(used)
    reads.note(read)
    return value


def with_parts(cache: Any, key: Hashable, make: Callable[[], Any]) -> Any:
    """``make()``, kept in ``cache`` under ``key`` (which names all it is made from) with the cache entries it used, which
    are used again with it: a build that finds the whole does not sweep its parts (a comparison of two indicators, kept
    inside the list of those that count the same as one), which the next edit, when it must make the whole again, finds."""
    found = cache.get(key)
    if found is None:
        with entries_used(cache) as used:
            value = make()
        found = cache.put(key, (value, frozenset(used)))
    cache.touch(found[1])
    return found[0]


def shared(cache: Any, key: Hashable) -> tuple[Any, dict[Token, str], set[Hashable]] | None:
    """What another worker of this build made under ``key`` (:mod:`lisite.sharing`), kept here too; else ``None``."""
    found = sharing.found(key)
    return None if found is None else cache.put(key, found)


def _made_and_offered(cache: Any, reads: Reads, key: Hashable, make: Callable[[], Any]) -> tuple[Any, dict[Token, str], set[Hashable]]:
    """:func:`made`, and offered to the other workers of this build (without the entries it used: those are this
    process's own, and a one-off build never sweeps its cache)."""
    started = time.perf_counter()
    value, read, used = made(cache, reads, make)
    sharing.offer(key, (value, read, set()), time.perf_counter() - started)
    return value, read, used


def made(cache: Any, reads: Reads, make: Callable[[], Any]) -> tuple[Any, dict[Token, str], set[Hashable]]:
    """``make()``, with the datasets and results it read and the cache entries it got or put."""
    with entries_used(cache) as used, reads.recording() as read:
        value = make()
    return value, dict(read), used


@contextmanager
def entries_used(cache: Any) -> Iterator[set[Hashable]]:
    """The cache entries got or put within, collected into the set it gives (and into the set of an enclosing one): what
    is kept with a value made of them, and used again with it (:meth:`lisite.cache.BuildCache.touch`)."""
    used: set[Hashable] = set()
    before = cache.track(used)
    try:
        yield used
    finally:
        cache.track(before)
        if before is not None:
            before.update(used)


def result_digest(frame: pd.DataFrame, *also: Hashable, attrs: bool = True) -> str:
    """A hash of an indicator's result as it is, cell by cell: equal only for results that stage and show alike.

    Numbers are hashed by their bytes (``-0.0`` is not ``0.0``), other cells by their ``repr`` (the
    number ``1`` is not the text ``"1"``); the column names and types, the index and (unless not ``attrs``)
    ``attrs`` count too."""
    h = hashlib.sha256(repr((list(map(str, frame.columns)), [str(t) for t in frame.dtypes], also,
                             frame.attrs if attrs else None)).encode("utf-8", "surrogatepass"))
    index = frame.index
    h.update(repr((type(index).__name__, index.name, (index.start, index.stop, index.step) if isinstance(index, pd.RangeIndex)
                   else index.tolist())).encode("utf-8", "surrogatepass"))
    for _, column in frame.items():  # each column, also where two share a name
        hash_cells(h, column)
    return h.hexdigest()


def hash_cells(h: Any, column: pd.Series) -> None:
    """Add one column's cells to the hash ``h`` (see :func:`result_digest`)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        h.update(repr((column.cat.categories.tolist(), column.cat.ordered)).encode("utf-8", "surrogatepass"))
    values = column.to_numpy()
    if values.dtype.kind in "biufcmM":  # numbers, booleans, dates: their bytes
        h.update(values.tobytes())
    else:
        h.update(repr(column.tolist()).encode("utf-8", "surrogatepass"))
    h.update(b"\0")
