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

The figures of past months change: a case registered late adds to a month an earlier report showed. Its reader then
knows that month as it was, not as it is, and its hidden cells are other unknowns than this report's. So each report's
true figures, hidden ones included, are kept too, where no reader comes: outside the output folder, in the site's own
folder (:data:`FIGURES`, :func:`keep_figures`), named by the hash of the public record beside them. Where an earlier
report's figures are kept, a cell whose figure changed since is no longer known from it, and the earlier report's own
sums over the months that changed (each period's total and breakdowns, its 12-month sums) are added with its figures:
each cell it showed as a known row, each it hid as a row hidden for good (``fixed``, which this report's suppression
protects too, but never shows or labels again).

An earlier report without a record (built by an older lisite) cannot be taken into account, nor the changed figures
of one whose figures are not kept (built by an older lisite, or elsewhere): the build says so.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from lisite.history import ARCHIVE
from lisite.suppression import cell_columns, cell_keys

RECORD = "celler.json"  # beside each audience's index.html, and inside each archived copy
VERSION = 1
FIGURES = Path(".lisite") / "tal"  # in the site's folder: <audience>/<hash of its RECORD>.json.gz, never published
KEEP_DAYS = 30  # a kept record no report in the site's own output folder names: removed after this many days


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
    #: its true figures (:func:`read_figures`), where kept: (period, column, value) → count, and (column, value) → its
    #: 12-month sum; told apart by ``figures_id`` (the hash of the kept record), which is all a cache key compares
    figures: Figures | None = field(default=None, compare=False, hash=False, repr=False)
    figures_id: str = ""
    #: the hash of the record it was read from (``""``: not read from one): with the indicator, all it is made from
    record_id: str = field(default="", compare=False, hash=False, repr=False)
    #: its breakdown columns ("": the totals), where it is another indicator's, which counts the same as the one it is
    #: read for (:meth:`lisite.context.BuildContext.shown_before`): it says nothing of a cell of the others (``None``: all)
    columns: frozenset[str] | None = None


class Figures(NamedTuple):
    """An earlier report's true figures of one indicator, hidden ones included (never published): each cell (period,
    breakdown column, value; one object for each cell and each text of the reports read together: a large
    municipality's leaders' report has some 127,000 cells, and the next month's report most of the same) and its
    count; and each 12-month sum's count by (column, value)."""

    keys: list[tuple[str, str, str]]
    n: np.ndarray
    sums: dict[tuple[str, str], float]

    @classmethod
    def of(cls, cells: dict[tuple[str, str, str], float], sums: dict[tuple[str, str], float]) -> Figures:
        """From each cell's count by (period, column, value)."""
        keys = [tuple(sys.intern(str(text)) for text in cell) for cell in cells]
        return cls(keys, np.fromiter(cells.values(), dtype=float, count=len(cells)), sums)  # type: ignore[arg-type]

    def cells(self) -> list[tuple[str, str, str]]:
        return self.keys

    def count(self, cell: tuple[str, str, str]) -> float | None:
        """One cell's count (``None``: the report had no such cell)."""
        return next((float(n) for key, n in zip(self.cells(), self.n) if key == cell), None)


class Known(NamedTuple):
    """What :func:`knowledge` found: the rows :func:`lisite.suppression.protect` reads, and which of them the reader
    knows, knows to be "under N", the earlier reports' sums, the rows that are an earlier report's own (not this
    one's), and of those the ones it hid."""

    frame: pd.DataFrame
    known: np.ndarray
    bounded: np.ndarray
    groups: list[tuple[int, np.ndarray, bool]]
    earlier: np.ndarray
    fixed: np.ndarray


def record_json(staged: dict[str, tuple[Any, Any]], period: str, kept: bool = False) -> bytes:
    """The record of one audience's report: for each indicator its pages show (``staged``: indicator → its staged periods
    and 12-month sums, :class:`lisite.staging.Staged`, ``None`` without), the first and last period, the hidden cells,
    and the 12-month sums not hidden. ``kept``: each indicator's part kept with its staged figures for the next build of
    a session (:func:`once`)."""
    indicators = {}
    for indicator, (periods, window) in sorted(staged.items()):
        entry = once(periods, window, "record", _record_entry, kept)
        if entry is not None:
            indicators[indicator] = entry
    return json.dumps({"version": VERSION, "period": period, "indicators": indicators}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def once(periods: Any, window: Any, what: str, make: Callable[[Any, Any], Any], kept: bool = True) -> Any:
    """``make(periods, window)``, made once for each staging of an indicator (its periods and 12-month sums ``window``,
    :class:`lisite.staging.Staged`) when ``kept``: an edit under ``lisite serve`` stages again the indicators it changed,
    and the records of its reports read the others' as made. Not in a one-off build, which makes each once: kept, the
    parts of København's size held 14 MiB more at its peak (420 against 406 MiB in one process)."""
    if not kept:
        return make(periods, window)
    found = periods._made.get(what)
    if found is None or found[0] is not window:
        found = periods._made[what] = (window, make(periods, window))
    return found[1]


def _record_entry(periods: Any, window: Any) -> dict[str, Any] | None:
    """One indicator's part of :func:`record_json`, from its staged periods and 12-month sums (``None``: without)."""
    frame, sums = periods.frame, window.frame if window is not None else None
    if frame.empty:
        return None
    hidden = frame[frame["suppressed"].to_numpy(dtype=bool)]
    labelled = hidden["small"].to_numpy(dtype=bool)
    cells = [[str(p), *key] for p, key in zip(hidden["period"], cell_keys(hidden))]
    entry: dict[str, Any] = {"first": str(frame["period"].min()), "last": str(frame["period"].max()),
                             "hidden": sorted(cells), "small": sorted(c for c, small in zip(cells, labelled) if small)}
    if sums is not None and len(sums):
        shown = ~sums["suppressed"].to_numpy(dtype=bool)
        entry["sums"] = sorted(list(key) for key, s in zip(cell_keys(sums), shown) if s)
        entry["summed_to"] = str(sums["period"].iloc[0])
    return entry


def figures_json(staged: dict[str, tuple[Any, Any]], kept: bool = False) -> bytes:
    """The true figures of one audience's report, hidden ones included, for its later reports' suppression alone (never
    published, see :func:`keep_figures`): for each indicator its pages show (``staged`` as :func:`record_json` takes it,
    each with its true counts), each cell's count and each 12-month sum's, column by column (a missing count: NaN),
    compressed. ``kept``: as :func:`record_json`'s."""
    indicators = {}
    for indicator, (periods, window) in sorted(staged.items()):
        entry = once(periods, window, "figures", _figures_entry, kept)
        if entry is not None:
            indicators[indicator] = entry
    text = json.dumps({"version": VERSION, "indicators": indicators}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def _figures_entry(periods: Any, window: Any) -> dict[str, Any] | None:
    """One indicator's part of :func:`figures_json`, from its staged periods and 12-month sums (``None``: without)."""
    if periods.frame.empty or periods._counts is None:
        return None
    by, value = cell_columns(periods.frame)
    entry: dict[str, Any] = {"period": periods.frame["period"].astype(str).tolist(), "by": by, "value": value,
                             "n": periods._counts.tolist()}
    if window is not None and window._counts is not None and len(window.frame):
        by, value = cell_columns(window.frame)
        entry["sums"] = {"by": by, "value": value, "n": window._counts.tolist()}
    return entry


def read_figures(data: bytes, same: dict | None = None) -> dict[str, Figures] | None:
    """A kept record of true figures read back (:func:`figures_json`): indicator → :class:`Figures`; ``None`` when it is
    not one. ``same``: the cells of the records read before it, shared (as :func:`read_record`'s)."""
    try:
        found = json.loads(gzip.decompress(data).decode("utf-8"))
        if found.get("version") != VERSION:
            return None
        figures = {}
        same = {} if same is None else same
        for indicator, entry in found["indicators"].items():
            sums = entry.get("sums", {"by": [], "value": [], "n": []})
            columns = [list(map(sys.intern, entry[name])) for name in ("period", "by", "value")]
            if not len(columns[0]) == len(columns[1]) == len(columns[2]) == len(entry["n"]):
                return None
            keys = [same.setdefault(cell, cell) for cell in zip(*columns)]
            figures[indicator] = Figures(keys, np.array(entry["n"], dtype=float),  # type: ignore[arg-type]
                                         dict(zip(zip(sums["by"], sums["value"]), map(float, sums["n"]), strict=True)))
        return figures
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
        return None


def figures_path(site_dir: Path, audience: str, record: bytes) -> Path:
    """Where the true figures of the report whose public record is ``record`` are kept."""
    return site_dir / FIGURES / audience / f"{hashlib.sha256(record).hexdigest()}.json.gz"


def keep_figures(site_dir: Path, kept: dict[str, tuple[bytes, bytes]], output_dir: Path | None = None) -> None:
    """Keep, once a build is in place, each audience's true figures (``kept``: audience → its public record and
    :func:`figures_json`), for the suppression of the reports after it. With ``output_dir`` (the site's own output
    folder), a kept record that no report there names and that is older than :data:`KEEP_DAYS` days is removed (one
    a build into another folder wrote is named by that folder's reports alone)."""
    for audience, (record, figures) in kept.items():
        path = figures_path(site_dir, audience, record)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(figures)
        temporary.replace(path)
    if output_dir is None or not (site_dir / FIGURES).is_dir():
        return
    named = {figures_path(site_dir, folder.name, record.read_bytes()) for folder in output_dir.iterdir() if folder.is_dir()
             for record in [folder / RECORD, *sorted((folder / ARCHIVE).glob(f"*/{RECORD}"))] if record.is_file()}
    old = time.time() - KEEP_DAYS * 86400
    for path in (site_dir / FIGURES).glob("*/*.json.gz"):
        if path not in named and path.stat().st_mtime < old:
            path.unlink()


def read_record(data: bytes, same: dict | None = None) -> dict[str, Shown] | None:
    """A record read back: indicator → :class:`Shown`; ``None`` when it is not one. ``same``: the texts and cells of
    the records read before it, shared (the same cells are in the record of each month's report)."""
    try:
        found = json.loads(data.decode("utf-8"))
        if found.get("version") != VERSION:
            return None
        # each text and each cell once: the parser makes one for every cell (København's leaders held 7 MiB of copies
        # of the same periods and names for each earlier report; beside eleven reports, the records of its three
        # audiences held 64 MiB, 503,623 cells of which 16,193 differ, and 34 MiB with each cell once)
        same = {} if same is None else same

        def cells(listed: list) -> frozenset:
            return frozenset(same.setdefault(cell, cell) for cell in (tuple(same.setdefault(text, text) for text in cell)
                                                                      for cell in listed))
        return {indicator: Shown(entry["first"], entry["last"], cells(entry["hidden"]), cells(entry.get("sums", [])),
                                 entry.get("summed_to", ""), cells(entry.get("small", [])))
                for indicator, entry in found["indicators"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def knowledge(seen: pd.DataFrame, earlier: tuple[Shown, ...], months: int = 12) -> Known:
    """``seen`` (the rows :func:`lisite.suppression.protect` reads) with rows added for what earlier reports showed that
    this report's rows are not: each 12-month sum an earlier report showed, and, where its figures are kept and a
    month's changed since, its cells of that month whose figure changed (see the module's text); which rows the reader
    knows (a cell of a period an earlier report covered and did not hide, with the same figure where its figures are
    kept, and the added rows it showed); which the reader knows to be 1 to N-1 (an earlier report labelled them "under
    N"); the earlier reports' sums over their rows (its 12-month sums, and its periods' totals and breakdowns where
    their figures changed); which rows are added, and which of those an earlier report hid.

    An added 12-month sum's count is the earlier report's, where its figures are kept; else this report's count of its
    months. Each added row has a period of its own ("~" and a number), no period of this report's."""
    none = np.zeros(len(seen), dtype=bool)
    if not earlier or seen.empty:
        return Known(seen, none, none.copy(), [], none.copy(), none.copy())
    in_window = seen["_window"].to_numpy(dtype=bool)
    periods = seen["period"].astype(str).to_numpy()
    cells = [(p, *k) for p, k in zip(periods, cell_keys(seen))]  # as the records name them
    n = seen["n"].to_numpy(dtype=float)
    row_of = {cell: row for row, cell in enumerate(cells) if not in_window[row]}  # this report's row of each cell
    columns = set(seen["_by"].astype(str))
    shown_periods = set(periods[~in_window])

    def among(found: frozenset) -> np.ndarray:
        return np.fromiter((cell in found for cell in cells), dtype=bool, count=len(cells))

    known, bounded = none.copy(), none.copy()
    added: list[list[Any]] = []  # [cell, count, known, hidden then, "under N"]: one row for a cell's earlier figure
    added_at: dict[tuple[tuple[str, str, str], float], int] = {}  # (the same figure in two earlier reports: one row)
    groups: list[tuple[int, list[int]]] = []  # an earlier report's period sums: (row of the total, rows of the parts)
    sums: list[tuple[tuple[str, str], str, float, list[int]]] = []  # its 12-month sums: (cell, up to, count, rows)

    def add(cell: tuple[str, str, str], count: float, shown: Shown) -> int:
        at = added_at.get((cell, count))
        if at is None:
            at = added_at[(cell, count)] = len(added)
            added.append([cell, count, False, True, False])
        told = cell not in shown.hidden
        added[at][2] |= told  # shown by one of them: known
        added[at][3] &= not told
        added[at][4] |= cell in shown.small
        return len(seen) + at

    by = seen["_by"].astype(str).to_numpy()
    for shown in earlier:
        covered = ~in_window & (periods >= shown.first) & (periods <= shown.last)
        if shown.columns is not None:
            covered &= np.isin(by, list(shown.columns))
        figures = shown.figures
        summed = bool(shown.sums) and len(shown.summed_to) == 7
        span = [str(p) for p in pd.period_range(end=shown.summed_to, periods=months, freq="M")] if summed else []
        rows = row_of  # the rows of the earlier report's cells: this report's, and its own where the figure changed
        had = None  # with its figures: its cells (a cell of its months it did not have was 0 in its sums)
        if figures is not None:  # a cell whose figure changed is not known from it (its own row is, below)
            keys, then = figures.cells(), figures.n
            had = set(keys)
            at = np.fromiter((row_of.get(cell, -1) for cell in keys), dtype=np.intp, count=len(keys))
            same = _same(then, n[at], at >= 0)
            covered &= np.isin(np.arange(len(n)), at[same])
            counted = np.fromiter((cell[1] in columns for cell in keys), dtype=bool, count=len(keys))
            # the months of its 12-month sums this report does not have: its own cells all (its sums are over them)
            gone = {month for month in span if month not in shown_periods}
            apart = counted & np.fromiter((cell[0] in gone for cell in keys), dtype=bool, count=len(keys))
            counted &= np.fromiter((cell[0] in shown_periods for cell in keys), dtype=bool, count=len(keys))
            changed = {keys[i][:2] for i in np.flatnonzero(counted & ~same)}  # (period, column): a period's total
            # changed, each of its breakdowns is another sum; else only those with a part that changed are
            if changed or apart.any():
                rows = dict(row_of)
                by_period: dict[tuple[str, str], list[int]] = {}
                for i in np.flatnonzero(counted | apart):
                    cell = keys[i]
                    if apart[i] or cell[:2] in changed or (cell[0], "") in changed:
                        if not same[i]:
                            rows[cell] = add(cell, float(then[i]), shown)
                        if cell[1]:
                            by_period.setdefault(cell[:2], []).append(rows[cell])
                totals = {period for period, column, _ in keys if not column}
                groups += [(rows[(period, "", "")], parts) for (period, _), parts in sorted(by_period.items())
                           if period in totals and (period, "", "") in rows]
        bounded |= covered & among(shown.small)
        known |= covered & ~among(shown.hidden)
        if not summed:
            continue
        for key in sorted(shown.sums):
            parts = [rows[cell] for month in span if (cell := (month, *key)) in rows and (had is None or cell in had
                                                                                            or not shown.first <= month <= shown.last)]
            count = figures.sums.get(key, math.nan) if figures is not None else math.nan
            sums.append((key, shown.summed_to, count, parts))
    all_n = np.r_[n, [count for _, count, _, _, _ in added]]
    all_known = np.r_[known, [told for _, _, told, _, _ in added]].astype(bool)
    kept_sums = [(key, to, count, parts) for key, to, count, parts in sums if parts and not all_known[parts].all()]  # (a sum
    # of cells all known says nothing more)
    if not added and not kept_sums:
        return Known(seen, known, bounded, [], none.copy(), none.copy())
    first_sum = len(seen) + len(added)
    rows_added = [{"n": count, "_by": cell[1], **({cell[1]: cell[2]} if cell[1] else {})} for cell, count, _, _, _ in added]
    rows_added += [{"n": count if not math.isnan(count) else float(np.nansum(all_n[parts])), "_by": key[0],
                    **({key[0]: key[1]} if key[0] else {})} for key, _, count, parts in kept_sums]
    extra = pd.DataFrame(rows_added)
    extra["period"] = [f"~{len(seen) + i}" for i in range(len(extra))]
    extra["_window"] = False
    for column in seen.columns:
        if column not in extra:
            extra[column] = pd.NA
    joined = pd.concat([seen, extra[list(seen.columns)].astype({c: seen[c].dtype for c in seen.columns if c not in ("n",)},
                                                               errors="ignore")], ignore_index=True)
    joined_n = joined["n"].to_numpy(dtype=float)
    found = [(total, np.array(parts, dtype=np.intp), _adds_up(joined_n, total, list(parts)))  # (two reports' same sums: once)
             for total, parts in dict.fromkeys((total, tuple(parts)) for total, parts in groups)]
    found += [(first_sum + i, np.array(parts, dtype=np.intp), True) for i, (_, _, _, parts) in enumerate(kept_sums)]
    flags = np.array([[told, hid, small] for _, _, told, hid, small in added], dtype=bool).reshape(-1, 3)
    more = np.zeros(len(kept_sums), dtype=bool)
    return Known(joined, np.r_[known, flags[:, 0], ~more], np.r_[bounded, flags[:, 2], more], found,
                 np.r_[none, np.ones(len(added) + len(kept_sums), dtype=bool)], np.r_[none, flags[:, 1], more])


def _same(then: np.ndarray, now: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Is each of an earlier report's figures this report's (``present``: this report has the cell)? Missing counts
    are the same."""
    with np.errstate(invalid="ignore"):
        equal = (np.isnan(then) & np.isnan(now)) | (np.abs(then - now) <= 1e-9 * np.maximum(1.0, np.abs(then)))
    return present & equal


def _adds_up(n: np.ndarray, total: int, parts: list[int]) -> bool:
    """Do the parts add up to the total (counts missing as 0)? Else the breakdown is at least the total (a child under
    two kinds of measure)."""
    counts = np.where(np.isnan(n), 0.0, n)
    return bool(abs(counts[parts].sum() - counts[total]) <= 1e-9 * max(1.0, abs(counts[total])))
