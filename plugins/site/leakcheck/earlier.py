"""What the leak check read of an audience's earlier reports, kept so that new data do not make it read them again.

An earlier report (``arkiv/<period>/``) never changes, but every build with new data checks it against new forbidden
values, which no record of :mod:`.passed` covers: beside a year of monthly reports that was most of a build (Læsø's
September beside eleven earlier reports: 3,483 files read, against 559 without an archive). Whether a file passes
depends, besides the rules, only on the texts it reads as (:func:`.reading.readings`): on their words and their folded
texts, where the rules' values are looked for (:meth:`.text.Rules.word_hits`, :meth:`.text.Rules.phrase_hits`), and
on their CPR-like numbers, which no rules change. So, for the files of an earlier report that hold no CPR-like number,
their words and folded texts are kept, together (:class:`Pack`: every word of any of them once, every folded text
once, and the records of the files they come from, :func:`.passed.record`), in one pack per report in the cache folder,
named by the records of the report's files and the check's code (:data:`.passed.CODE`). New rules are then checked
against the report's pack once, by the same methods: when they find nothing there, they find nothing in any of its
files (a value is found in a file's words only if it is among all the words, a phrase in a folded text only if in one
of them: they are joined by line breaks, which no folded value holds). When they find something, each of the
report's files is read again and scanned as before, so that what is reported is what a scan reports. A pack is
compressed JSON (never code); one that cannot be read is made again, and the oldest go once the packs pass
:data:`KEEP_BYTES`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
import zlib
from pathlib import Path

import lisite

from .passed import CODE
from .reading import readings
from .text import CPR_DIGITS, CPR_START, TOKEN, Rules, folded

REPORT = re.compile(rf"{re.escape(lisite.history.ARCHIVE)}/[^/]+/")  # an earlier report's folder in an audience's site
KEEP_BYTES = 256 * 1024 * 1024  # the packs kept in all; those of the latest build are never the ones to go
VERSION = 2  # 1: what was read of each file, file by file

Read = list[tuple[frozenset[str], str]]  # each text a file reads as: its words and its folded text


def report_of(path: str) -> str | None:
    """The earlier report a file of an audience's site belongs to (``arkiv/2026-08/``), or ``None``."""
    found = REPORT.match(path)
    return found.group(0) if found else None


def read(path: str, data: bytes) -> Read | None:
    """The words and the folded text of each text a file reads as; ``None`` when one holds a CPR-like number (as
    :func:`.text.scan_text` looks for them): then it passes no rules."""
    found = []
    for text, cpr_text, _ in readings(path, data):
        searched = text if cpr_text is None else cpr_text
        if CPR_DIGITS.search(searched) and CPR_START.search(searched):
            return None
        found.append((frozenset(TOKEN.findall(text)), folded(text)))
    return found


def passes(found: Read, rules: Rules) -> bool:
    """Does a file read so hold none of the rules' values, as a scan finds them (:func:`.text.scan_text`)?"""
    return not any(rules.word_hits("", words) or rules.phrase_hits("", flat) for words, flat in found)


class Pack:
    """What was read of some files of one earlier report (see the module's doc): ``files``, their records; ``words``,
    every word of their texts; ``flats``, each folded text once."""

    def __init__(self, files: set[str] | None = None, words: set[str] | None = None, flats: dict[str, None] | None = None) -> None:
        self.files = files or set()
        self.words = words or set()
        self.flats = flats or {}  # (a dict: in the order first read)

    def add(self, record: str, found: Read) -> None:
        self.files.add(record)
        for words, flat in found:
            self.words.update(words)
            self.flats[flat] = None

    def joined(self, other: Pack) -> Pack:
        return Pack(self.files | other.files, self.words | other.words, {**self.flats, **other.flats})

    def passes(self, rules: Rules) -> bool:
        """Do the rules find nothing in any of the files (as :func:`passes` of each would say)?"""
        return not (rules.word_hits("", self.words) or rules.phrase_hits("", "\n".join(self.flats)))

    def json(self) -> dict:
        return {"version": VERSION, "files": sorted(self.files), "words": "\n".join(sorted(self.words)), "flats": list(self.flats)}

    @classmethod
    def of(cls, found: dict) -> Pack:
        if found.get("version") != VERSION:
            return cls()
        words = found["words"]
        return cls(set(found["files"]), set(words.split("\n")) if words else set(), dict.fromkeys(found["flats"]))


class Kept:
    """The packs of the earlier reports among one check's files: ``kept.passes(path, rules)`` for a file of an earlier
    report, ``kept.add(path, found)`` for one read now, then ``save()``. ``records``: each file's record
    (:func:`.passed.record`), by its path."""

    def __init__(self, folder: Path, records: dict[str, str]) -> None:
        self.folder = folder
        self.records = records
        self.reports: dict[str, list[str]] = {}  # "arkiv/2026-08/" → the records of its files
        for path, key in records.items():
            report = report_of(path)
            if report is not None:
                self.reports.setdefault(report, []).append(key)
        self.packs: dict[str, Pack] = {}  # report → what was kept of it (loaded when asked)
        self.verdicts: dict[str, bool] = {}  # report → do the rules find nothing in its pack (asked once)
        self.new: dict[str, Pack] = {}  # report → what was read of it in this check

    def path(self, report: str) -> Path:
        digest = hashlib.sha256(CODE.encode())
        digest.update("\n".join(sorted(set(self.reports[report]))).encode())
        return self.folder / f"{digest.hexdigest()}.json.z"

    def passes(self, path: str, rules: Rules) -> bool | None:
        """Does a file of an earlier report pass ``rules`` by what is kept of its report: ``None`` when nothing is kept
        of it (read it), ``False`` when the rules find something in what is kept of the report (scan it)."""
        report = report_of(path)
        if report is None:
            return None
        if report not in self.packs:
            self.packs[report] = self.load(self.path(report))
        pack = self.packs[report]
        if self.records[path] not in pack.files:
            return None
        if report not in self.verdicts:
            self.verdicts[report] = pack.passes(rules)
        return self.verdicts[report]

    def add(self, path: str, found: Read) -> None:
        report = report_of(path)
        if report is not None:
            self.new.setdefault(report, Pack()).add(self.records[path], found)

    @staticmethod
    def load(path: Path) -> Pack:
        try:
            found = Pack.of(json.loads(zlib.decompress(path.read_bytes())))
            os.utime(path)  # used: the last to go
            return found
        except (OSError, ValueError, KeyError, TypeError, AttributeError, zlib.error):
            return Pack()

    def save(self) -> None:
        """Write each report's pack that has something new (with what it held), then let the oldest packs go."""
        if not self.new:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for report, new in self.new.items():
                path = self.path(report)
                pack = (self.packs[report] if report in self.packs else self.load(path)).joined(new)
                temporary = path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
                try:
                    temporary.write_bytes(zlib.compress(json.dumps(pack.json(), ensure_ascii=False).encode("utf-8"), 1))
                    os.replace(temporary, path)
                finally:
                    temporary.unlink(missing_ok=True)
            self.new = {}
            self.prune()
        except OSError:
            pass  # nothing kept: the next build reads the files again

    def prune(self) -> None:
        used = {self.path(report) for report in self.reports}
        packs = sorted(self.folder.glob("*.json.z"), key=lambda path: path.stat().st_mtime, reverse=True)
        total = 0
        for pack in packs:
            total += pack.stat().st_size
            if total > KEEP_BYTES and pack not in used:
                pack.unlink(missing_ok=True)
