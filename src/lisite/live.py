"""What ``lisite serve`` keeps between builds so that an edit costs what it touches.

A build under ``lisite serve`` must write what a fresh ``lisite build`` of the edited site writes,
byte for byte. What makes an edit cheap is knowing what each part was made from:

- :class:`Stamps` knows the content hash of every input file and reads a file again only when its
  size, inode or times changed (a file hashed within a second of its last change is read again
  next time: a second edit inside the file system's clock tick cannot hide).
- :func:`recording` notes which content files (``content/*.md``) a part of the build read, also
  inside another recording, so an audience's site knows every text it was made from.
- :class:`Audiences` keeps each audience's finished, checked files with the key of everything else
  they were made from (:func:`lisite.reuse.site_keys`), the texts they read and the datasets and
  results they read (:mod:`lisite.tracking`). After a content edit only the audiences that read the
  edited file are made again; the others are handed back from memory, and the cache entries they
  used are kept for their next edit. An audience made again after a data edit reuses every page,
  view and figure whose own reads are unchanged, and is checked again as a whole.
"""

from __future__ import annotations

import copy
import hashlib
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Iterator

from lisite.context import Content, read_text, split_front
from lisite.tracking import Reads, entries_used

SETTLED_NS = 1_000_000_000  # a file unchanged this long before it was hashed keeps its hash while its stat does


class Stamps:
    """The sha256 of files by path, read again only when the file's stat says it may have changed."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, ...], int, str]] = {}  # path → (stat, hashed at, sha256)

    def file(self, path: Path | str) -> str:
        """The file's sha256 (hex); ``""`` when it cannot be read."""
        name = os.fspath(path)
        try:
            st = os.stat(name)
        except OSError:
            self._known.pop(name, None)
            return ""
        stat = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        known = self._known.get(name)
        if known is not None and known[0] == stat and known[1] - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
            return known[2]
        hashed_at = time.time_ns()
        try:
            with open(name, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError:
            self._known.pop(name, None)
            return ""
        self._known[name] = (stat, hashed_at, digest)
        return digest


class BuildContent(Content):
    """The content files, each looked up and read once per build (a build reads its texts many times: the
    pages, the views and the checks of what was kept all ask for ``forside/udvalg.md``). So a build also
    sees one version of each text, also when it is saved again while the build runs (the next build sees
    the new one: what each part read is kept with it)."""

    def __init__(self, folders: list[Path], lang: str) -> None:
        super().__init__(folders, lang)
        self._paths: dict[str, Path | None] = {}
        self._texts: dict[str, str | None] = {}

    def path(self, name: str) -> Path | None:
        if name not in self._paths:
            self._paths[name] = super().path(name)  # a name that leads outside content/ raises every time
        return self._paths[name]

    def front(self, name: str) -> dict[str, Any]:
        """The text's front matter, parsed once per text while ``lisite serve`` runs (a copy: the caller may change it)."""
        text = self.get(name) or ""
        if not text.startswith("+++"):
            return {}
        if (name, text) not in FRONTS:
            if len(FRONTS) >= KEEP_FRONTS:
                FRONTS.clear()
            FRONTS[(name, text)] = split_front(text, name, self.lang)[0]  # an error names the file, as before
        return copy.deepcopy(FRONTS[(name, text)])

    def get(self, name: str) -> str | None:
        if name not in self._texts:
            path = self.path(name)
            self._texts[name] = read_text(path, name, self.lang) if path else None
        text = self._texts[name]
        if self.reads is not None:
            self.reads[name] = text
        return text


FRONTS: dict[tuple[str, str], dict[str, Any]] = {}  # (name, text) → its front matter
KEEP_FRONTS = 2000  # texts whose front matter is kept; past it the memo starts again


@contextmanager
def recording(content: Any) -> Iterator[dict[str, str | None]]:
    """Note the content files read inside the block (name → text); an outer recording gets them too."""
    inner: dict[str, str | None] = {}
    if content is None:  # a context without content files (tests)
        yield inner
        return
    outer = content.reads
    content.reads = inner
    try:
        yield inner
    finally:
        content.reads = outer
        if outer is not None:
            outer.update(inner)


def noted(content: Any, reads: dict[str, str | None]) -> None:
    """Add the reads of a part reused from a cache to the recording that runs (its texts were checked)."""
    if content is not None and content.reads is not None:
        content.reads.update(reads)


@dataclass
class Kept:
    """One audience's files as the last live build made them."""

    key: str  # everything but the content files and data (lisite.reuse.site_keys), with the audience and its archive
    reads: dict[str, str | None]  # the content files it read, with their texts
    used: set[Hashable]  # the cache entries it used
    site: Any  # lisite.build.AudienceSite, without its record
    hashes: dict[str, str] = field(default_factory=dict)  # sha256 of each file, for the record
    read: dict[Any, str] = field(default_factory=dict)  # the datasets and results it read, with their hashes (lisite.tracking)


class Audiences:
    """Each audience's last site in a live session, reused while its key and the texts it read are unchanged."""

    def __init__(self) -> None:
        self.kept: dict[str, Kept] = {}

    def get(self, audience_id: str, key: str, content: Any, cache: Any, tracked: Reads) -> Kept | None:
        kept = self.kept.get(audience_id)
        if kept is None or kept.key != key or not content.unchanged(kept.reads) or not tracked.same(kept.read):
            return None
        cache.touch(kept.used)  # the next edit of this audience finds its pages, views and figures
        return kept

    def make(self, audience_id: str, key: str, content: Any, cache: Any, make: Callable[[], Any], tracked: Reads) -> Kept:
        with entries_used(cache) as used, recording(content) as reads, tracked.recording() as read:
            site = make()
        kept = Kept(key, dict(reads), used, site, file_hashes(site.files, self.kept.get(audience_id)), dict(read))
        self.kept[audience_id] = kept
        return kept


def file_hashes(files: dict[str, bytes], earlier: Kept | None) -> dict[str, str]:
    """The sha256 of each file; a file that is the same bytes object as in the audience's last site (a page,
    chart or download reused from a cache) has the hash it had then."""
    known = earlier.site.files if earlier is not None else {}
    return {path: earlier.hashes[path] if known.get(path) is data and path in earlier.hashes else sha256(data)
            for path, data in files.items()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
