"""Loaded datasets and computed indicators kept on disk, so a process-fresh build need not redo them.

``lisite build`` after ``lisite build`` would otherwise parse and type every file and compute
every indicator again: nothing but the charts outlived the process. Here each value is a pickle
in ``<cache>/results/`` (the folder :func:`lisite.resources.cache_dir` names, ``LISITE_CACHE``),
named by a hash of its key. The key names everything the value was made from: the input's
content hash, the config, the plugins' source and the text catalogue (as in the in-memory
:class:`lisite.cache.BuildCache`), and here also lisite's own source and the versions of Python,
pandas and numpy, so an entry written by other code is never read.

An entry that cannot be read (cut short, corrupt, from another pickle format) is ignored and
made anew. Writes go to a temporary file unique to the process and thread, then are renamed
into place, so a reader never sees half a file. The folder is kept under a size limit
(``LISITE_DISK_CACHE_MB``, 512 MB; 0 keeps nothing) by removing the least recently used entries. Its size is kept in
a file beside the entries (:data:`LEDGER`), which every process adds what it writes to, under a lock: a full folder
holds some 50,000 entries, and counting them took 0.36 s at each process's first write. ``lisite cache``
shows the folder and ``lisite cache --clear`` empties it.

Only files the user already has on disk are kept here: rows read from a database are not
written to the cache (they stay where the database keeps them).

Under ``lisite serve`` the pickling and writing wait (:meth:`DiskCache.wait`) until the browser has been told of the
new build (:meth:`DiskCache.write`), and in a one-off build the indicators' results wait until a worker has made its
last audience and its core is free (:func:`lisite.build.build`): the next process needs the values, the reader of this
build does not (a one-off build that fails while it makes its pages keeps its datasets here, not those results). A value
waiting is handed to a reader in this process as it is; what a build keeps is never changed in place.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lisite.output import write_atomic
from lisite.resources import PACKAGE_DIR, cache_dir

try:
    import fcntl
except ImportError:  # (Windows: each process counts the folder at its first write)
    fcntl = None

MAX_MEGABYTES = 512
SUFFIX = ".pickle"
#: The file in the folder that holds its size in bytes: as last counted, plus what has been written since (an entry
#: written again adds the difference). It may say more than there is (entries removed by hand, two processes writing
#: one entry at once), never much less: a total past the limit is counted again before anything is removed. A missing
#: or unreadable one is made by counting the folder.
LEDGER = ".size"
_MISSING = object()


@functools.cache
def code_version() -> str:
    """A hash of lisite's own source and the library versions a pickle depends on (once per process)."""
    h = hashlib.sha256(repr((sys.version, pd.__version__, np.__version__, pickle.HIGHEST_PROTOCOL)).encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def words_digest(t: Any) -> str:
    """A hash of the text catalogue's contents (the translator's fingerprint holds modification times)."""
    found = getattr(t, "_words_digest", None)
    if found is None:
        found = hashlib.sha256(repr((t.lang, sorted(t.strings.items()))).encode()).hexdigest()
        t._words_digest = found
    return found


def megabytes() -> int:
    """The folder's size limit in MB (``LISITE_DISK_CACHE_MB``, else :data:`MAX_MEGABYTES`; 0 keeps nothing)."""
    return int(os.environ.get("LISITE_DISK_CACHE_MB", MAX_MEGABYTES))


def _dumped(said: str, value: Any) -> bytes | None:
    """An entry's bytes: (the key as said, the value) pickled; ``None`` for a value that cannot be (it is then not kept)."""
    try:
        return pickle.dumps((said, value), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def _size(path: Path) -> int:
    """The bytes of the file at ``path``; 0 where there is none."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def unpickled(data: bytes) -> Any:
    """The value :meth:`DiskCache.pickled` pickled."""
    return pickle.loads(data)[1]


class DiskCache:
    """Pickles by key in one folder, bounded by size; ``folder=None`` keeps nothing."""

    def __init__(self, folder: Path | None, max_bytes: int | None = None) -> None:
        self.folder = folder
        self.max_bytes = max_bytes or megabytes() * 1024 * 1024
        self._total: int | None = None  # bytes in the folder, counted at the first write (where there is no ledger)
        self._waiting: dict[str, tuple[str, Any]] | None = None  # file name → (repr of the key, value), while writes wait
        self.reads = 0
        self.writes = 0

    @classmethod
    def default(cls) -> DiskCache:
        """The cache folder's ``results/``; none with ``LISITE_DISK_CACHE_MB=0`` (then no data is kept on disk)."""
        if megabytes() == 0:
            return cls(None)
        return cls(cache_dir() / "results")

    def name(self, key: Any) -> str | None:
        """The file name for ``key``, or ``None`` when its text is not stable between processes."""
        text = repr((code_version(), key))
        if " at 0x" in text:  # an object's address: another process would never find it
            return None
        return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest() + SUFFIX

    def get(self, key: Any, default: Any = None) -> Any:
        name = self.name(key) if self.folder is not None else None
        if name is None:
            return default
        waiting = self._waiting.get(name) if self._waiting else None
        if waiting is not None and waiting[0] == repr(key):
            return waiting[1]
        path = self.folder / name
        try:
            with open(path, "rb") as fh:
                stored_key, value = pickle.load(fh)
        except FileNotFoundError:
            return default
        except Exception:  # cut short or corrupt: made anew
            path.unlink(missing_ok=True)
            return default
        if stored_key != repr(key):  # never a value made for another key
            return default
        try:
            os.utime(path)  # recently used: kept when the folder is trimmed
        except OSError:
            pass
        self.reads += 1
        return value

    def put(self, key: Any, value: Any) -> Any:
        """Store ``value`` (best effort: a full disk or a value that cannot be pickled only costs the reuse); while
        writes :meth:`wait`, only note it."""
        name = self.name(key) if self.folder is not None else None
        if name is None:
            return value
        if self._waiting is not None:
            self._waiting[name] = (repr(key), value)
            return value
        return self._store(name, repr(key), value)

    def wait(self) -> None:
        """From now on :meth:`put` only notes each value; :meth:`write` stores them (values noted by a build that
        failed are stored by the next one's)."""
        if self._waiting is None:
            self._waiting = {}

    def write(self) -> int:
        """Store the values noted since :meth:`wait`, and store each later one at once; returns how many."""
        waiting, self._waiting = self._waiting or {}, None
        for name, (said, value) in waiting.items():
            self._store(name, said, value)
        return len(waiting)

    def pickled(self, key: Any, value: Any) -> bytes | None:
        """``value`` as :meth:`put` stores it, stored now: pickled once where it was made (a worker that read a dataset),
        and read back with :func:`unpickled` where it is needed. ``None`` when it is not stored now (no folder, a key
        another process would not find, writes that :meth:`wait`, a value that cannot be pickled)."""
        name = self.name(key) if self.folder is not None and self._waiting is None else None
        data = _dumped(repr(key), value) if name is not None else None
        if data is not None:
            self._written(name, data)
        return data

    def _store(self, name: str, said: str, value: Any) -> Any:
        data = _dumped(said, value)
        if data is not None:
            self._written(name, data)
        return value

    def _written(self, name: str, data: bytes) -> None:
        path = self.folder / name
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            replaced = _size(path)  # an entry written again (its name is in the folder): only the difference is new
            write_atomic(path, data)  # private to the user: it may hold person-level rows
        except OSError:
            return
        self.writes += 1
        added = len(data) - replaced
        with self._ledger() as ledger:
            if ledger is None:  # no ledger here: this process's own count
                self._total = self._within(self.size() if self._total is None else self._total + added)
                return
            said = ledger.read().strip()
            total = self._within(int(said) + added if said.isdigit() else self.size())  # a count sees this entry
            ledger.seek(0)
            ledger.truncate()
            ledger.write(str(total))

    def _within(self, total: int) -> int:
        """The folder's size in bytes, ``total`` or less, within the limit: past it, the folder is counted again, and
        trimmed if the count is past it too."""
        if total > self.max_bytes:
            total = self.size()
            if total > self.max_bytes:
                total = self.trim()
        return total

    @contextmanager
    def _ledger(self) -> Iterator[Any]:
        """The :data:`LEDGER` file, open to read and write and locked against the other processes (``None`` where
        files cannot be locked)."""
        if fcntl is None:
            yield None
            return
        try:
            handle = os.open(self.folder / LEDGER, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError:
            yield None
            return
        with os.fdopen(handle, "r+", encoding="ascii", errors="replace") as ledger:
            try:
                fcntl.flock(ledger, fcntl.LOCK_EX)
            except OSError:  # no locks on this file system
                yield None
                return
            yield ledger  # (closing it lets the lock go)

    def size(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def trim(self) -> int:
        """Remove the least recently used entries until the folder holds at most 80 % of the limit; the bytes left."""
        entries = sorted(self._entries(), key=lambda entry: entry[2])
        total = sum(size for _, size, _ in entries)
        for path, size, _ in entries:
            if total <= self.max_bytes * 0.8:
                break
            path.unlink(missing_ok=True)
            total -= size
        return total

    def _entries(self) -> list[tuple[Path, int, float]]:
        """(path, bytes, last used) of each entry (``os.scandir``: a full folder's 50,000 in half pathlib's time)."""
        found = []
        try:
            with os.scandir(self.folder) as listing:
                for entry in listing:
                    if entry.name.endswith(SUFFIX):
                        try:
                            stat = entry.stat(follow_symlinks=False)
                        except OSError:
                            continue
                        found.append((self.folder / entry.name, stat.st_size, stat.st_mtime))
        except (OSError, TypeError):  # no folder (TypeError: none named)
            pass
        return found
