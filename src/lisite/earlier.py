"""What an audience already knows from its earlier reports, so that this report's suppression accounts for it.

An audience's site carries its earlier reports (``arkiv/<period>/``, :mod:`lisite.archive`), and its reader sees them
beside this one. Each report protects its own hidden cells, but the hidden cells of past months need not be the same
in two reports: a new 12-month sum needs other cells hidden to protect it. Samsø's notifications assessed in time,
May 2026: "under 5" in both the June and the September report, but September hid another month to protect it that June
showed, and together the two reports gave the count (3) away. So each report records, beside its pages, which of its
cells it hid and which of its 12-month sums it did not hide (:data:`RECORD`, one per audience, carried into the
archive with the rest), and this report's suppression (:func:`lisite.suppression.protect`) takes every cell an earlier
report showed as known (never hidden to protect another: that would protect nothing) and every such 12-month sum as
one more sum the reader can add up (as each report's suppression counts every 12-month sum it does not hide as shown,
whether a page shows it or not). The record holds no figure, only which cells were hidden, all of which the pages'
labels say already.

An earlier report without a record (built by an older lisite) cannot be taken into account: the build says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lisite.suppression import cell_keys

RECORD = "celler.json"  # beside each audience's index.html, and inside each archived copy
VERSION = 1


@dataclass(frozen=True)
class Shown:
    """One earlier report's cells of one indicator: its periods from ``first`` to ``last``, the cells it hid
    (period, breakdown column, value), and the 12-month sums up to ``summed_to`` that it did not hide (column, value)."""

    first: str
    last: str
    hidden: frozenset[tuple[str, str, str]]
    sums: frozenset[tuple[str, str]]
    summed_to: str
    small: frozenset[tuple[str, str, str]] = frozenset()  # the hidden cells it labelled "under N": 1 to N-1 to its reader


def record_json(staged: dict[str, tuple[pd.DataFrame, pd.DataFrame | None]], period: str) -> bytes:
    """The record of one audience's report: for each indicator its pages show (``staged``: indicator → the staged
    periods and 12-month sums), the first and last period, the hidden cells, and the 12-month sums not hidden."""
    indicators = {}
    for indicator, (periods, window) in sorted(staged.items()):
        if periods.empty:
            continue
        hidden = periods[periods["suppressed"].to_numpy(dtype=bool)]
        labelled = hidden["small"].to_numpy(dtype=bool)
        cells = [[str(p), *key] for p, key in zip(hidden["period"], cell_keys(hidden))]
        entry: dict[str, Any] = {"first": str(periods["period"].min()), "last": str(periods["period"].max()),
                                 "hidden": sorted(cells), "small": sorted(c for c, small in zip(cells, labelled) if small)}
        if window is not None and len(window):
            shown = ~window["suppressed"].to_numpy(dtype=bool)
            entry["sums"] = sorted(list(key) for key, s in zip(cell_keys(window), shown) if s)
            entry["summed_to"] = str(window["period"].iloc[0])
        indicators[indicator] = entry
    return json.dumps({"version": VERSION, "period": period, "indicators": indicators}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def read_record(data: bytes) -> dict[str, Shown] | None:
    """A record read back: indicator → :class:`Shown`; ``None`` when it is not one."""
    try:
        found = json.loads(data.decode("utf-8"))
        if found.get("version") != VERSION:
            return None
        return {indicator: Shown(entry["first"], entry["last"], frozenset(tuple(cell) for cell in entry["hidden"]),
                                 frozenset(tuple(cell) for cell in entry.get("sums", [])), entry.get("summed_to", ""),
                                 frozenset(tuple(cell) for cell in entry.get("small", [])))
                for indicator, entry in found["indicators"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def knowledge(seen: pd.DataFrame, earlier: tuple[Shown, ...], months: int = 12
              ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, list[tuple[int, np.ndarray, bool]]]:
    """``seen`` (the rows :func:`lisite.suppression.protect` reads) with a row added for each 12-month sum an earlier
    report showed; which rows the reader knows (a cell of a period an earlier report covered and did not hide, and
    the added rows); which the reader knows to be 1 to N-1 (an earlier report labelled them "under N"); and the added
    rows' sums over their months' rows.

    An added row's count is this report's count of its months (the earlier report's, where the data are the same), and
    its period is "~" and the last month, so that it is no period of this report's."""
    if not earlier or seen.empty:
        return seen, np.zeros(len(seen), dtype=bool), np.zeros(len(seen), dtype=bool), []
    in_window = seen["_window"].to_numpy(dtype=bool)
    periods = seen["period"].astype(str).to_numpy()
    keys = cell_keys(seen)
    cells = [(p, *k) for p, k in zip(periods, keys)]  # as the records name them

    def among(found: frozenset) -> np.ndarray:
        return np.fromiter((cell in found for cell in cells), dtype=bool, count=len(cells))

    known = np.zeros(len(seen), dtype=bool)
    bounded = np.zeros(len(seen), dtype=bool)
    for shown in earlier:  # a cell of a period the report covered and did not hide
        covered = ~in_window & (periods >= shown.first) & (periods <= shown.last)
        if shown.small:
            bounded |= covered & among(shown.small)
        if shown.hidden:
            covered &= ~among(shown.hidden)
        known |= covered
    n = seen["n"].to_numpy(dtype=float)
    months_rows = np.flatnonzero(~in_window)
    added, groups = [], []
    for shown in earlier:
        if not shown.sums or len(shown.summed_to) != 7:
            continue
        span = {str(p) for p in pd.period_range(end=shown.summed_to, periods=months, freq="M")}
        in_span = months_rows[np.isin(periods[months_rows], list(span))]
        cell_of = {}
        for row in in_span:
            cell_of.setdefault(keys[row], []).append(row)
        for key in sorted(shown.sums):
            parts = np.array(cell_of.get(key, []), dtype=np.intp)
            if not len(parts) or known[parts].all():  # a sum of cells all known says nothing more
                continue
            row = {"period": f"~{shown.summed_to}", "n": float(np.nansum(n[parts])), "_by": key[0], "_window": False}
            if key[0]:
                row[key[0]] = key[1]
            groups.append((len(seen) + len(added), parts, True))
            added.append(row)
    if not added:
        return seen, known, bounded, []
    extra = pd.DataFrame(added)
    for column in seen.columns:
        if column not in extra:
            extra[column] = pd.NA
    joined = pd.concat([seen, extra[list(seen.columns)].astype({c: seen[c].dtype for c in seen.columns if c not in ("n",)},
                                                               errors="ignore")], ignore_index=True)
    return joined, np.r_[known, np.ones(len(added), dtype=bool)], np.r_[bounded, np.zeros(len(added), dtype=bool)], groups
