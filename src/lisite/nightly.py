"""The build as a scheduled job runs it: exit codes, one log line per build, and ``status.json``.

A nightly job has no one watching it. So ``lisite build`` ends with a code that says what kind of
problem stopped it, ``--log`` appends one dated line per build for the operator, and the site's
``status.json`` says when the site was built, from which input files (with their SHA-256), and
whether the last attempt failed. A failed build leaves the last good site as it was: only
``status.json`` is replaced (atomically), so whoever reads the site can see that it is not today's.

``status.json`` holds no free text: no error message (it may quote a value from the data, or a
connection string from the configuration), only what kind of problem, how many, and where (file,
row, column).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lisite.config import CONFIG_FILE
from lisite.errors import ConfigError, DataError, LisiteError, PluginError
from lisite.output import write_atomic

STATUS = "status.json"
MANIFEST = "manifest.json"
#: Exit codes of ``lisite build``; 2 is click's own, for a wrong option or argument.
OK, BAD_DATA, USAGE, BAD_CONFIG, INTERNAL = 0, 1, 2, 3, 4
OUTCOMES = {OK: "ok", BAD_DATA: "bad-data", BAD_CONFIG: "bad-config", INTERNAL: "internal-error"}


@dataclass
class Attempt:
    """One build as the job sees it: when it started, and the clock to time it by."""

    started: datetime.datetime = field(default_factory=lambda: datetime.datetime.now().astimezone())
    clock: float = field(default_factory=time.monotonic)

    @property
    def when(self) -> str:
        return self.started.isoformat(timespec="seconds")

    def seconds(self) -> float:
        return time.monotonic() - self.clock


def exit_code(error: LisiteError) -> int:
    """Bad data (fix the export) 1, bad configuration (fix lisite.toml) 3, anything else 4 (report it)."""
    if isinstance(error, DataError):
        return BAD_DATA
    if isinstance(error, ConfigError):
        return BAD_CONFIG
    return INTERNAL


def problem_lines(error: LisiteError) -> list[str]:
    """One line per problem: each data problem with its file, row and column; another error's lines."""
    if isinstance(error, DataError) and error.problems:
        from lisite.fmt import words

        lines = []
        for problem in error.problems:
            t = words(getattr(problem, "lang", "da"))
            label = t("problems.label_error" if problem.severity == "error" else "problems.label_warning")
            lines.append(f"{label}: {problem}")
    else:
        lines = [line.strip() for line in error.format_message().splitlines()]
    return [" ".join(line.split()) for line in lines if line.strip()]


def why(error: LisiteError) -> str:
    """What stopped the build, in one line without free text: the kind, how many, and where."""
    if isinstance(error, DataError) and error.problems:
        first = error.problems[0]
        where = ", ".join(part for part in (first.file, f"row {first.row}" if first.row else "",
                                             f"column '{first.column}'" if first.column else "") if part)
        return f"bad data: {len(error.problems)} problem(s), the first in {where or 'the data'}"
    if isinstance(error, ConfigError):
        return f"bad configuration ({CONFIG_FILE} or the site's folders)"
    if isinstance(error, PluginError) and error.plugin:
        return f"internal error: plugin '{error.plugin}' failed" + (f" in {error.hook}" if error.hook else "")
    cause = error.__cause__
    return f"internal error ({type(cause or error).__name__})"


def log_line(attempt: Attempt, code: int, pages: int = 0, warnings: int = 0, error: LisiteError | None = None,
             period: str = "") -> str:
    """``2026-12-01T02:00:04+01:00 ok period=2026-11 pages=412 warnings=3 seconds=41.2`` (``period``: the month built,
    as ``[period] current = "auto"`` chose it) or the outcome and the first problem."""
    head = f"{attempt.when} {OUTCOMES.get(code, 'failed')}"
    if error is None:
        month = f" period={period}" if period else ""
        return f"{head}{month} pages={pages} warnings={warnings} seconds={attempt.seconds():.1f}"
    lines = problem_lines(error)
    more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
    return f"{head} exit={code} seconds={attempt.seconds():.1f}: {lines[0] if lines else why(error)}{more}"


def append_log(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(line + "\n")


def input_files(output_dir: Path, site_dir: Path) -> list[dict[str, str]]:
    """The files the site was built from, with their SHA-256: the configuration and each dataset's source
    (from the site's manifest; a database source is named by its dataset and hashed by its query)."""
    found = []
    config = site_dir / CONFIG_FILE
    if config.is_file():
        found.append({"file": CONFIG_FILE, "sha256": hashlib.sha256(config.read_bytes()).hexdigest()})
    manifest = _read(output_dir / MANIFEST)
    for dataset, entry in sorted((manifest.get("inputs") or {}).items()):
        if isinstance(entry, dict):
            found.append({"dataset": dataset, "file": str(entry.get("file", "")), "sha256": str(entry.get("sha256", ""))})
    return found


def record_success(output_dir: Path, site_dir: Path, attempt: Attempt, pages: int, built: str | None = None) -> None:
    """``built``: when the site was made, given when this attempt found nothing changed and wrote nothing
    (:mod:`lisite.unchanged`); the last attempt then says ``"unchanged": true``."""
    write_status(output_dir, {
        "built": built or attempt.when,
        "pages": pages,
        "inputs": input_files(output_dir, site_dir),
        "last_attempt": {"at": attempt.when, "failed": False, **({"unchanged": True} if built else {})},
    })


def record_failure(output_dir: Path, attempt: Attempt, code: int, error: LisiteError) -> bool:
    """Say in ``status.json`` that the last attempt failed, keeping what it says about the last good build.

    Written only into the folder of an earlier lisite site, or a new folder; never into a folder of other
    files. Returns whether it was written.
    """
    from lisite.output import foreign_files

    try:
        foreign_files(output_dir)
    except ConfigError:
        return False
    status = _read(output_dir / STATUS)
    built = {key: status[key] for key in ("built", "pages", "inputs") if key in status}
    write_status(output_dir, {
        "built": built.get("built"),
        "pages": built.get("pages"),
        "inputs": built.get("inputs", []),
        "last_attempt": {"at": attempt.when, "failed": True, "outcome": OUTCOMES.get(code, "failed"), "exit_code": code,
                         "why": why(error)},
    })
    return True


def write_status(output_dir: Path, status: dict[str, Any]) -> None:
    """Replace ``status.json`` at once: a reader sees the old file or the new one, never half of one."""
    output_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(output_dir / STATUS, (json.dumps(status, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), mode=0o644)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
