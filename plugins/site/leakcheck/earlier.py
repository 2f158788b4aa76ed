"""What the leak check read of an audience's earlier reports, kept so that new data do not make it read them again.

An earlier report (``arkiv/<period>/``) never changes, but every build with new data checks it against new forbidden
values, which no record of :mod:`.passed` covers: beside a year of monthly reports that was most of a build (Læsø's
September beside eleven earlier reports: 3,483 files read, against 559 without an archive). Whether a file passes
depends, besides the rules, only on the texts it reads as (:func:`.reading.readings`): on their words and their folded
texts, where the rules' values are looked for (:meth:`.text.Rules.word_hits`, :meth:`.text.Rules.phrase_hits`), and
on their CPR-like numbers, which no rules change. So, for each file of an earlier report that holds no CPR-like number,
those words and folded texts are kept by the file's record (its way of reading and its content hash,
:func:`.passed.record`), in one pack per report in the cache folder, named by the records of the report's files and the
check's code (:data:`.passed.CODE`). A file is then checked against new rules from what is kept, by the same methods on
the same texts, and only a file in which they find something is read again and scanned as before, so that what is
reported is what a scan reports. A pack is compressed JSON (never code); one that cannot be read is made again, and
the oldest go once the packs pass :data:`KEEP_BYTES`.
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
VERSION = 1

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


class Kept:
    """The packs of the earlier reports among one check's files: ``kept.get(path)``, ``kept.add(path, found)``, then
    ``save()``. ``records``: each file's record (:func:`.passed.record`), by its path."""

    def __init__(self, folder: Path, records: dict[str, str]) -> None:
        self.folder = folder
        self.records = records
        self.reports: dict[str, list[str]] = {}  # "arkiv/2026-08/" → the records of its files
        for path, key in records.items():
            report = report_of(path)
            if report is not None:
                self.reports.setdefault(report, []).append(key)
        self.packs: dict[str, dict[str, list]] = {}  # report → record → what was read, as kept (loaded when asked)
        self.new: dict[str, dict[str, list]] = {}  # report → record → what was read in this check

    def path(self, report: str) -> Path:
        digest = hashlib.sha256(CODE.encode())
        digest.update("\n".join(sorted(set(self.reports[report]))).encode())
        return self.folder / f"{digest.hexdigest()}.json.z"

    def get(self, path: str) -> Read | None:
        report = report_of(path)
        if report is None:
            return None
        if report not in self.packs:
            self.packs[report] = self.load(self.path(report))
        kept = self.packs[report].get(self.records[path])
        return None if kept is None else [(frozenset(words.split("\n")) if words else frozenset(), flat) for words, flat in kept]

    def add(self, path: str, found: Read) -> None:
        report = report_of(path)
        if report is not None:
            self.new.setdefault(report, {})[self.records[path]] = [["\n".join(sorted(words)), flat] for words, flat in found]

    @staticmethod
    def load(path: Path) -> dict[str, list]:
        try:
            found = json.loads(zlib.decompress(path.read_bytes()))
            os.utime(path)  # used: the last to go
            return found["files"] if found.get("version") == VERSION else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, zlib.error):
            return {}

    def save(self) -> None:
        """Write each report's pack that has something new (with what it held), then let the oldest packs go."""
        if not self.new:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for report, new in self.new.items():
                path = self.path(report)
                files = {**self.packs.get(report, {}), **new}
                temporary = path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
                try:
                    temporary.write_bytes(zlib.compress(json.dumps({"version": VERSION, "files": files},
                                                                   ensure_ascii=False).encode("utf-8"), 1))
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
