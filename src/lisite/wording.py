"""How a problem names what it found: the file lines a value stands on, a list of values, a date, a limit as
written, and the closest of some names to a misspelt one. Used by the checks of one dataset (:mod:`lisite.data`),
the checks across datasets (:mod:`lisite.crosschecks`) and ``lisite check``."""

from __future__ import annotations

import difflib
import re
from typing import Any

import pandas as pd

from lisite.i18n import Translator
from lisite.model import Lines, Problem

MAX_PER_COLUMN = 20  # bad values reported one by one per column; the rest are counted
MAX_VALUES = 10  # values listed in one grouped warning (duplicates, unknown references)
MAX_ROWS = 5  # row numbers listed per value


def problems_at(label: str, dataset: str, column: str, lines: list[int], mask: pd.Series, text: pd.Series, what: str,
                t: Translator, severity: str = "error", header: str = "", quote: bool = True) -> list[Problem]:
    """One problem ``what`` for each row in ``mask`` (the first ``MAX_PER_COLUMN``, then how many more), each with
    its file line and the cell's ``text`` (quoted unless ``quote`` is false)."""
    rows = list(mask[mask].index)
    problems = []
    for i in rows[:MAX_PER_COLUMN]:
        got = (t("problems.got", value=text[i]) if quote else f" ({text[i]})") if text[i] else ""
        problems.append(Problem(f"{what}{got}", file=label, row=lines[i], column=column, dataset=dataset,
                                severity=severity, header=header))
    if len(rows) > MAX_PER_COLUMN:
        more = t("problems.more_errors" if severity == "error" else "problems.more_warnings", n=len(rows) - MAX_PER_COLUMN)
        problems.append(Problem(more, file=label, column=column, dataset=dataset, severity=severity, header=header))
    return problems


def rows_by_value(values: pd.Series, lines: Lines) -> dict[Any, list[int]]:
    """Each value and the file lines it stands on, in file order."""
    groups: dict[Any, list[int]] = {}
    for label, value in values.items():
        groups.setdefault(value, []).append(lines[label])
    return groups


def grouped(values: pd.Series, lines: Lines, t: Translator, one: str, many: str, n: int | None = None,
            **words: Any) -> tuple[str, int]:
    """(message, first file line) of one warning that lists ``values`` with the lines each stands on
    (:func:`listing`): the words ``one`` when ``n`` (by default how many values) is 1, else ``many``."""
    groups = rows_by_value(values, lines)
    n = len(groups) if n is None else n
    return t(one if n == 1 else many, n=n, listing=listing(groups, t), **words), min(rows[0] for rows in groups.values())


def file_lines(frame: pd.DataFrame) -> Lines:
    """The file line of each row of a loaded frame (a frame without them: from line 2, below a header)."""
    return frame.attrs.get("lines") or Lines(range(2, len(frame) + 2))


def rows_text(rows: list[int], t: Translator) -> str:
    """The file lines, as a message names them: "række 7", "rækkerne 3, 5 og 9" (at most ``MAX_ROWS``, then how many
    more)."""
    if len(rows) == 1:
        return t("problems.row", row=rows[0])
    shown = [str(r) for r in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        return t("problems.rows_more", rows=", ".join(shown), n=len(rows) - MAX_ROWS)
    return t("problems.rows", rows=", ".join(shown[:-1]), last=shown[-1])


def listing(groups: dict[Any, list[int]], t: Translator) -> str:
    """Each value with its file lines (:func:`rows_by_value`): at most ``MAX_VALUES``, then how many more."""
    items = [f"'{when(value)}' ({rows_text(rows, t)})" for value, rows in list(groups.items())[:MAX_VALUES]]
    if len(groups) > MAX_VALUES:
        items.append(t("problems.more_values", n=len(groups) - MAX_VALUES))
    return ", ".join(items)


def when(value: Any) -> str:
    """A value as text; dates as 31-03-2024 (with the time when there is one)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%d-%m-%Y %H:%M}" if value.hour or value.minute else f"{value:%d-%m-%Y}"
    return str(value)


def limit(value: float, lang: str = "da") -> str:
    """A limit as written in a message: ``2``, ``0,5`` (``0.5`` in English)."""
    if float(value).is_integer():
        return str(int(value))
    return str(value).replace(".", ",") if lang == "da" else str(value)


def _fuzzy(text: str) -> str:
    """Text compared loosely for suggestions: lower case, Danish letters spelled out, only letters and digits."""
    low = str(text).casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]", "", low)


def closest(wanted: str, candidates: list[str] | set[str] | tuple[str, ...]) -> str:
    """The candidate most like ``wanted`` (difflib), or "" when none is close."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(_fuzzy(candidate), candidate)
    found = difflib.get_close_matches(_fuzzy(wanted), list(by_key), n=1, cutoff=0.6)
    return by_key[found[0]] if found else ""


def maybe(wanted: str, candidates: Any, t: Translator) -> str:
    """A message's "did you mean …?" for a misspelt name, or "" when no candidate is close."""
    close = closest(wanted, list(candidates))
    return t("problems.maybe", close=close) if close and close != wanted else ""
