"""Files that passed the leak check, kept between builds so an unchanged file is not scanned again.

A record is the sha256 of a file's content and how it was read (as a page, a script, a workbook or
plain text): the check's outcome depends on nothing else but the rules it was checked against.
Records are kept per set of rules, in one file named by a digest of the audience's forbidden values
and the leak check's own code, in lisite's cache folder (``ctx.cache_folder``). New data that makes a
value forbidden gives another digest, so every file is scanned again against it, the archived
reports included. Only passes are recorded, never a file with a hit, and a record file that cannot
be read or written only costs a scan again. Two builds writing at once may lose each other's
records, never add a wrong one (each writes a whole new file and renames it into place).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from pathlib import Path
from typing import Iterable

RECORD = re.compile(r"[a-z]+:[0-9a-f]{64}")
KEEP_FILES = 32  # record files of other rules (earlier data) kept in the folder; the oldest go first
KEEP_RECORDS = 100_000  # a record file that grows past this keeps only what the latest build used


def code_digest() -> str:
    """A hash of the leak check's source files: changed rules in the code make every record void."""
    folder = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


CODE = code_digest()


def rules_digest(forbidden: dict[str, str]) -> str:
    """What a pass depends on besides the file: the forbidden values (with their origins) and the code."""
    digest = hashlib.sha256(CODE.encode())
    digest.update(joined(sorted(forbidden.items())))
    return digest.hexdigest()


def joined(values: Iterable[tuple[str, str]]) -> bytes:
    """(value, origin) pairs as the bytes a digest of them is made from."""
    return "".join(f"{value}\0{origin}\0" for value, origin in values).encode("utf-8", "surrogatepass")


def joined_with(values: list[str], origin: str) -> bytes:
    """``joined((value, origin) for value in values)``: the same bytes, made faster for values of one origin."""
    between = f"\0{origin}\0"
    return (between.join(values) + between if values else "").encode("utf-8", "surrogatepass")


#: Seconds between saves of the passes while a scan goes on: the audiences of a build with the same rules (the
#: committee's and the directors') are often checked at the same time in two workers, and the one behind then skips the
#: files the other has passed so far, not only those it passed before it began.
SAVE_EVERY = 0.05


def record(reading: str, data: bytes) -> str:
    return f"{reading}:{hashlib.sha256(data).hexdigest()}"


class Passed:
    """The records of one set of rules: ``record in passed``, ``passed.add(record)``, then ``save()``.

    Two audiences with the same rules are often checked at the same time, in two workers of a build (the committee and
    the directors): a file not among the records read is looked for again when the record file has changed since, and
    a check saves its passes now and then as it goes (:data:`SAVE_EVERY`), so the one checked later scans only the files
    it reaches before the other has passed them."""

    def __init__(self, folder: Path | None, rules: str) -> None:
        self.path = folder / f"{rules}.txt" if folder is not None else None
        self.stamp: tuple[int, ...] | None = None  # the record file as last read (see read)
        self.known = self.read()
        self.used: set[str] = set()
        self.new: set[str] = set()
        self.saved = time.perf_counter()  # when the passes were last saved (see add)

    def __contains__(self, key: str) -> bool:
        if key in self.known or key in self.new or (self.moved() and key in self.known):
            self.used.add(key)
            return True
        return False

    def moved(self) -> bool:
        """Has another check of the same rules saved its passes since the records were read (another audience's, made
        at the same time in another worker of the build)? Then they are read again, and True."""
        if self.path is None or self.stamp == self.stat():
            return False
        self.known |= self.read()
        return True

    def stat(self) -> tuple[int, ...] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_ino, found.st_size, found.st_mtime_ns

    def add(self, key: str) -> None:
        self.new.add(key)
        if time.perf_counter() - self.saved >= SAVE_EVERY:  # now and then during a scan: see SAVE_EVERY
            self.save(prune=False)

    def save(self, prune: bool = True) -> None:
        """Add this build's new passes to the record file (and mark it used, so it is the last to go)."""
        self.saved = time.perf_counter()
        if self.path is None:
            return
        try:
            if not self.new:
                if self.path.exists():
                    os.utime(self.path)
                return
            records = self.read() | self.known | self.new
            if len(records) > KEEP_RECORDS:
                records = self.used | self.new
            temporary = self.path.with_name(f".{self.path.stem}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
            try:
                temporary.write_text("".join(f"{key}\n" for key in sorted(records)), encoding="ascii")
                os.replace(temporary, self.path)
            finally:
                temporary.unlink(missing_ok=True)
            self.known, self.new, self.stamp = records, set(), self.stat()
            if prune:
                self.prune()
        except OSError:
            pass  # no records kept: the next build scans again

    def read(self) -> set[str]:
        self.stamp = self.stat() if self.path is not None else None
        try:
            lines = self.path.read_text(encoding="ascii").splitlines() if self.path is not None else []
        except (OSError, UnicodeDecodeError):
            return set()
        return {line for line in lines if RECORD.fullmatch(line)}

    def prune(self) -> None:
        files = sorted(self.path.parent.glob("*.txt"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES:]:
            old.unlink(missing_ok=True)
