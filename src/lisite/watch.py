"""What ``lisite serve`` watches, and when a change has settled enough to build.

Only the inputs lisite reads are watched (``lisite.toml``, the source files, the measure catalogue,
``content/``, the plugin folders, ``theme/`` and ``locales/``); a log file or anything else written
beside them never starts a build.

A build must not read a file while it is being saved, nor wait longer than it must. Where the file
system says when a file written to is closed again (inotify, on Linux), the watcher keeps the files
written to and not yet closed: while there is one, the build waits for it (up to :data:`HOLD` of
quiet, for a file changed without being opened, as ``truncate`` does); once every one is closed, the
build starts after :data:`QUICK` of quiet, time for the other files of the same save. A file removed
or renamed to a name that is not an input (an editor's backup, before the new file is written in its
place) is waited for as before, :data:`SETTLE` of quiet, unless it comes back sooner. Elsewhere nothing says when a save is
done, and the build starts after :data:`SETTLE` of quiet. An event that comes while a build runs
starts another build after it, so an edit is never lost.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from watchdog.events import DirModifiedEvent, FileSystemEvent, FileSystemEventHandler

SETTLE = 0.05  # seconds without new events before a build starts, where closing a file is not reported
QUICK = 0.01  # the same once every file written to has been closed again
HOLD = 2.0  # the longest quiet a build waits for a file written to that is not closed


class Changes:
    """Whether an input changed since the last build started, which files are being written and which are gone."""

    def __init__(self, dirty: threading.Event, closing_reported: bool) -> None:
        self.closing_reported = closing_reported  # the observer tells when a file written to is closed
        self.dirty = dirty  # set by each change
        self._lock = threading.Lock()
        self._writing: set[Path] = set()
        self._gone: set[Path] = set()

    def note(self, event_type: str, src: Path | None, dest: Path | None = None) -> None:
        """One event about inputs (``src``, and ``dest`` of a move; ``None`` for a path that is not an input): a
        write opens a save, its close ends it; a removal or a move away opens one that the file's return ends."""
        with self._lock:
            if event_type == "modified" and self.closing_reported:
                self._writing.add(src)
            elif event_type in ("closed", "deleted", "moved"):
                self._writing.difference_update((src, dest))
            if event_type == "moved":
                self._gone.discard(dest)  # a file moved into place is there again
            elif event_type != "deleted":
                self._gone.discard(src)
            if src is not None and (event_type == "deleted" or event_type == "moved" and dest is None):
                self._gone.add(src)  # (a file moved to another input is a save or a rename: it is done)
        self.dirty.set()

    def quiet(self) -> float:
        """How long the inputs must be quiet before a build starts, as things stand (see the module's docstring)."""
        with self._lock:
            if self._writing:
                return HOLD
            return SETTLE if self._gone or not self.closing_reported else QUICK

    def writing(self) -> bool:
        with self._lock:
            return bool(self._writing)

    def settle(self, stopped: threading.Event) -> None:
        """Return once the inputs have been quiet long enough to build."""
        while not stopped.is_set():
            self.dirty.clear()
            if not self.dirty.wait(timeout=self.quiet()):
                with self._lock:
                    self._writing.clear()  # held long enough: a file changed without being opened
                    self._gone.clear()
                return


def closing_reported(observer: object) -> bool:
    """Does this watchdog observer tell when a file written to is closed again? (inotify does.)"""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:  # not on Linux
        return False
    return isinstance(observer, InotifyObserver)


class Watcher(FileSystemEventHandler):
    """Notes a change of one of the site's inputs, and of nothing else."""

    def __init__(self, changes: Changes, ignored: list[Path], inputs: "Inputs | None" = None) -> None:
        self.changes = changes
        self.ignored = [p.resolve() for p in ignored]
        self.inputs = inputs  # None: every path counts (the old behaviour, for callers that pass none)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if isinstance(event, DirModifiedEvent):
            return  # a child changed; the child's own event decides
        src, dest = self.input(event.src_path), self.input(getattr(event, "dest_path", ""))
        if src is not None or dest is not None:
            self.changes.note(event.event_type, src, dest)

    def input(self, raw: str | bytes) -> Path | None:
        """The path, when it is one of the site's inputs."""
        if not raw:
            return None
        path = Path(os.fsdecode(raw)).resolve()
        if any(path == p or path.is_relative_to(p) for p in self.ignored):
            return None
        if path.name.endswith(("~", ".swp", ".tmp")) or "__pycache__" in path.parts:
            return None
        if self.inputs is not None and not self.inputs.contains(path):
            return None
        return path


class Inputs:
    """The files and folders a build of the site reads."""

    def __init__(self, files: set[Path], folders: set[Path]) -> None:
        self.files = frozenset(files)
        self.folders = frozenset(folders)

    def contains(self, path: Path) -> bool:
        return path in self.files or any(path == f or path.is_relative_to(f) for f in self.folders)

    def watches(self) -> set[tuple[Path, bool]]:
        """(folder, recursive) pairs that see every change to an input, including its creation."""
        pairs = {(f, True) for f in self.folders if f.is_dir()}
        for path in [*self.files, *self.folders]:
            parent = path.parent
            while not parent.is_dir() and parent != parent.parent:
                parent = parent.parent
            pairs.add((parent, False))  # a created or replaced file or folder shows up in its parent
        return pairs

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Inputs) and (self.files, self.folders) == (other.files, other.folders)


def site_inputs(config) -> Inputs:
    """What lisite reads from the site: the config, the source files, content, plugins, theme, locales."""
    site = config.site_dir
    files = {site / "lisite.toml"}
    answers = set()  # Danmarks Statistik: the folder where `lisite fetch` keeps its answers
    for source in config.sources.values():
        if source.path:
            files.add((site / source.path).resolve())
        if source.kind:
            answers.add((site / "data" / "dst").resolve())
            if source.socio_indeks:
                files.add((site / source.socio_indeks).resolve())
    if config.measures_catalogue:
        files.add((site / config.measures_catalogue).resolve())
    folders = {config.content_dir, (site / "theme").resolve(), (site / "locales").resolve()}
    folders.update((site / p).resolve() for p in config.plugin_paths)
    own_theme = (site / config.theme).resolve()
    if config.theme and own_theme.is_dir() and own_theme != site:
        folders.add(own_theme)
    folders |= answers
    for path in list(folders):
        if path.is_file():
            folders.discard(path)
            files.add(path)
    return Inputs(files, folders)


def watched_folders(config) -> list[Path]:
    """The folders the observer watches (each input folder, and the parent of each input)."""
    return sorted({folder for folder, _ in site_inputs(config).watches()})
