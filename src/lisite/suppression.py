"""Disclosure control of staged figures: which cells to hide so that no hidden count can be worked out.

Primary suppression hides a cell whose ``n`` is at least 1 and below the audience's ``min_count``; secondary
suppression hides enough other cells that no hidden one can be recovered from the sums an audience sees
together (a period's total and its breakdowns, a cell's sum over the window and its months). Used by
:func:`lisite.staging.stage_with_window`, once for every plugin.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from lisite import linear
from lisite.bounds import FlatSums, has_fractions, narrowest, sum_of


def cell_keys(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """Each staged row's cell as (breakdown column, value): ``("", "")`` for the total."""
    return list(zip(*cell_columns(frame)))


def cell_columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """:func:`cell_keys` as two columns: each staged row's breakdown column, and its value there ("" for the total)."""
    by = frame["_by"].to_numpy()
    values = np.full(len(by), "", dtype=object)
    for column in set(by.tolist()) - {""}:
        rows = by == column
        values[rows] = frame[column].astype(str).to_numpy()[rows]
    return by.tolist(), values.tolist()


def protect(frame: pd.DataFrame, min_count: int, breakdowns: list[str], months: list[str],
            known: np.ndarray | None = None, extra: list[tuple[int, np.ndarray, bool]] = (),
            bounded: np.ndarray | None = None, earlier: np.ndarray | None = None,
            fixed: np.ndarray | None = None) -> tuple[pd.Series, pd.Series]:
    """Which staged rows to hide: small counts (primary), and enough others that no hidden count can be
    worked out from the figures the audience sees together (secondary).

    The sums an audience sees: each period's total and its breakdown by each column (an equation when
    the breakdown adds up to the total; when it does not, e.g. a child with two kinds of measure, the
    breakdown is at least the total and each part at most the total), and each cell's sum over the
    window's months. A reader knows from the labels that an "under N" cell is 1 to N-1 (zeros are shown)
    and a "skjult" cell N or more (1 or more for a small sum labelled so, see below), and the value of a cell with no
    count behind it (never hidden: a part of 0). From all the sums together (:func:`lisite.bounds.narrowest`) an "under N" cell must
    keep at least two possible values, and a "skjult" cell at least N-1 (as many as an "under N" label
    leaves). Where a cell does not, the smallest visible part of a sum it belongs to is hidden too (the
    sum itself when every part is hidden), and everything is worked out again, until every cell holds. A cell
    that a small hidden sum pins from the labels alone is freed by labelling that sum "skjult" instead, before
    anything else is hidden (see :func:`_stuck`); one still pinned when nothing is left to hide, by the "under N" cells
    around it labelled "skjult" too (:func:`_around`).
    Returns the hidden rows, and the small hidden cells to label "skjult" rather than "under N".

    ``known``: the rows whose value the audience already knows from an earlier report (:mod:`lisite.earlier`): they
    count as shown in every sum, whether hidden now or not, and are never hidden to protect another cell (that would
    protect nothing). ``extra``: more sums the audience knows, (row of the sum, rows of its parts, True), such as an
    earlier report's 12-month sums; their rows are known and never hidden. ``bounded``: the rows an earlier report
    labelled "under N": 1 to N-1 to the reader whatever this report's label says, and protected as such. Where a cell
    is still pinned and what would be hidden next is known from an earlier report, the cells in its sums (and in
    theirs) that neither report hides are hidden, until none is pinned or none is left. ``earlier``: the rows that are
    an earlier report's own, not this one's (its sums, and its cells whose figure changed since): never hidden for
    their own count, never labelled again (the sums of ``extra`` without it). ``fixed``: those of them it hid, with the
    label it gave them (``bounded``: "under N"): hidden for good, and protected as this report's hidden cells are.
    """
    n = frame["n"].to_numpy(dtype=float)
    known = np.zeros(len(n), dtype=bool) if known is None else np.asarray(known, dtype=bool)
    if earlier is None:
        earlier = np.zeros(len(n), dtype=bool)
        earlier[[total for total, _, _ in extra]] = True
    fixed = np.zeros(len(n), dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    hidden = ((n > 0) & (n < min_count) & ~earlier) | fixed
    if min_count <= 1 or not hidden.any():
        return pd.Series(hidden, index=frame.index), pd.Series(False, index=frame.index)
    # a small count is protected whatever an earlier report covered: one it did not hide may be a cell it did not have
    # (a case registered late), and the figure it showed is not this one
    known = known & ~hidden
    groups = [g for g in [*_groups(frame, breakdowns, months), *extra] if not math.isnan(n[g[0]])]
    # A cell with no count behind it (spending on no child, "Øvrige") is never hidden, so a reader knows its value: in
    # a sum it is a known part, of 0 children. (Taken for unknown, its sum narrowed nothing, and a lone hidden part
    # beside it was the sum less the parts shown, to the krone.)
    n = np.where(np.isnan(n), 0.0, n)
    sums = FlatSums(groups, n)
    member_of = Memberships(sums)
    under = np.zeros(len(n), dtype=bool) if bounded is None else np.asarray(bounded, dtype=bool) & (n > 0) & (n < min_count)
    relabel = fixed & ~under & (n < min_count)  # small sums labelled "skjult" (see below); an earlier report's, as it did
    small = (n < min_count) & ~relabel
    free = ~earlier  # what may be labelled again
    label_low, label_high = _labels(n, hidden & ~known, small | under, min_count)
    whole = not has_fractions(n)  # then so is every label (min_count is whole)
    wide = np.zeros(len(n), dtype=bool)  # the cells the linear programming found to move by one or more: they still do

    def hide(rows: Any) -> None:  # hidden from now on, with the label that says so
        hidden[rows] = True
        label_low[rows], label_high[rows] = _labels(n[rows], hidden[rows], small[rows] | under[rows], min_count)

    while True:
        veiled = hidden & ~known  # what the audience does not know
        low, high = narrowest(label_low, label_high, veiled, sums, whole=whole)
        told = small | under  # "under N" here or in an earlier report
        exposed = veiled & ((told & (high - low < 1)) | (~told & (high - low < min_count - 2)))
        # A cell pinned by the labels of one sum whose cells are all hidden (four months of "under 5" in a 12-month
        # sum of "under 5") stays pinned whatever else is hidden: that sum is labelled "skjult" first (see below),
        # rather than hiding cell after cell elsewhere to no avail (at scale: whole months, and their totals).
        stuck = [row for row in _stuck(exposed, groups, member_of, veiled, small, n, label_low, label_high, min_count) if free[row]]
        if stuck:
            relabel[stuck] = True
            small = (n < min_count) & ~relabel
            label_low, label_high = _labels(n, hidden & ~known, small | under, min_count)
            continue
        chosen: set[int] = set()
        next_to_hide = sums.next_to_hide(hidden | known)
        if not exposed.any():  # nothing by the sums one at a time: by all of them together (linear programming)
            exposed = veiled & linear.pinned(veiled, label_low, label_high, groups, known=n, wide=wide, sums=sums)
            if not exposed.any():
                return pd.Series(hidden, index=frame.index), pd.Series(relabel, index=frame.index)
            if len(extra):  # beside earlier reports: for every cell it found at once (see _for_each)
                chosen = _for_each(exposed, groups, member_of, next_to_hide, label_low, label_high, n, sums, hidden | known)
        chosen = chosen or _to_hide(exposed, groups, member_of, next_to_hide, label_low, label_high, n)
        if chosen:
            hide(sorted(chosen))
            continue
        # Nothing left to hide, and a cell is still pinned: by the labels alone, e.g. four months of "under 5"
        # in a 12-month sum of "under 5" (each month at least 1, so the sum is 4 and every month 1). Such a
        # sum is labelled "skjult" instead, which says no more than that it is hidden.
        pinned = {int(groups[g][0]) for row in np.flatnonzero(exposed) for g in member_of.get(int(row), [])
                  if veiled[groups[g][0]] and small[groups[g][0]] and free[groups[g][0]]}
        if not pinned:  # pinned through another sum: such a sum labelled "skjult" already, that it equals a small part
            pinned = _around(exposed, sums, member_of, veiled & small & free)  # (a total of 4 = 0 shown + "under 5")
        if not pinned and known.any():  # beside an earlier report: the cells next to it that neither hides (see above)
            near = np.flatnonzero(_nearby(exposed, sums, member_of) & ~hidden & ~known & (n > 0))
            if len(near):
                hide(near)
                continue
        if not pinned:  # every sum the pinned cells are in is hidden whole: what pins them is further out
            further = _further(exposed, sums, member_of, hidden | known, n)
            if further:
                hide(sorted(further))
                continue
            return pd.Series(hidden, index=frame.index), pd.Series(relabel, index=frame.index)
        relabel[list(pinned)] = True
        small = (n < min_count) & ~relabel
        label_low, label_high = _labels(n, hidden & ~known, small | under, min_count)


def protect_unlabelled(frame: pd.DataFrame, hidden: np.ndarray, breakdowns: list[str], months: list[str],
                       known: np.ndarray | None = None) -> np.ndarray:
    """``hidden``, and what else to hide, so that no hidden row whose count (``n``) is 1 or more can be worked out
    exactly, where no label says anything of a hidden row but that it is 0 or more: the numerators and rests of a share
    (:func:`lisite.staging.protect_parts`), whose cells are labelled for their denominators. The same sums as
    :func:`protect`, and the same choice of what to hide next (the smallest visible part of the sum that pins a row most
    directly, else of a sum further out); by the sums one at a time, then all together (linear programming).
    ``known``: rows the reader knows from an earlier report (never hidden to protect another)."""
    n = frame["n"].to_numpy(dtype=float)
    hidden = np.asarray(hidden, dtype=bool).copy()
    known = np.zeros(len(n), dtype=bool) if known is None else np.asarray(known, dtype=bool) & ~hidden
    groups = [g for g in _groups(frame, breakdowns, months) if not math.isnan(n[g[0]])]
    n = np.where(np.isnan(n), 0.0, n)
    sums = FlatSums(groups, n)
    member_of = Memberships(sums)
    whole = not has_fractions(n)
    wide = np.zeros(len(n), dtype=bool)
    while True:
        veiled = hidden & ~known
        low, high = np.where(veiled, 0.0, n), np.where(veiled, math.inf, n)
        narrow_low, narrow_high = narrowest(low, high, veiled, sums, whole=whole)
        exposed = veiled & (n > 0) & (narrow_high - narrow_low < 1)
        if not exposed.any():
            exposed = veiled & (n > 0) & linear.pinned(veiled, low, high, groups, known=n, wide=wide, sums=sums)
            if not exposed.any():
                return hidden
        chosen = _to_hide(exposed, groups, member_of, sums.next_to_hide(hidden | known), low, high, n)
        chosen = chosen or _further(exposed, sums, member_of, hidden | known, n)
        if not chosen:  # nothing connected is left to hide (as in protect)
            return hidden
        hidden[sorted(chosen)] = True


def _to_hide(exposed: np.ndarray, groups: list, member_of: Memberships, next_to_hide: np.ndarray, low: np.ndarray,
             high: np.ndarray, n: np.ndarray) -> set[int]:
    """What to hide next for the exposed cells: for each, the next part of the sum that pins it down the most, among
    those with something left to hide; only the cells one sum pins down most directly this round (others may be freed
    by what that hides)."""
    best = _best_sums(exposed, groups, member_of, next_to_hide, low, high, n)
    least = min((width for width, _, _, _ in best), default=None)
    return {found for width, _, found, _ in best if width == least}


def _for_each(exposed: np.ndarray, groups: list, member_of: Memberships, next_to_hide: np.ndarray, low: np.ndarray,
              high: np.ndarray, n: np.ndarray, sums: FlatSums, unavailable: np.ndarray) -> set[int]:
    """What to hide for the cells the linear programming found, beside earlier reports: for each, the sum that pins it
    down the most (as :func:`_to_hide` chooses), and in each sum so chosen as many of its smallest visible parts as
    cells chose it (its next to hide, then the next ones in the same order), where :func:`_to_hide` hides for the one
    cell pinned most directly and asks the linear programming again. Beside May's report, København's leaders' table
    by caseworker and month had some twenty such cells a round whose sums all led to the same sum of every
    caseworker's 12-month sum, which gave up one sum a round: 430 rounds of linear programming (17 s); hidden for
    all at once, 57 rounds (2.8 s), and the same cells hidden."""
    best = _best_sums(exposed, groups, member_of, next_to_hide, low, high, n)
    return {row for g, count in Counter(g for _, _, _, g in best).items() for row in sums.to_hide(unavailable, g, count)}


def _best_sums(exposed: np.ndarray, groups: list, member_of: Memberships, next_to_hide: np.ndarray, low: np.ndarray,
               high: np.ndarray, n: np.ndarray) -> list[tuple[float, float, int, int]]:
    """For each exposed cell with something left to hide in a sum it is in, the sum that pins it down the most: (how
    narrow it makes the cell, the count of its next part to hide, that part, the sum's number), the narrowest first,
    then the smallest part."""
    best = []
    for row in map(int, np.flatnonzero(exposed)):
        options = [(_width(row, groups[g], low, high), n[found], int(found), g) for g in member_of.get(row, [])
                   if (found := next_to_hide[g]) >= 0]
        if options:
            best.append(min(options))
    return best


def _around(exposed: np.ndarray, sums: FlatSums, member_of: Memberships, labelled: np.ndarray) -> set[int]:
    """The cells labelled "under N" (``labelled``) in the sums of the exposed cells, and in the sums of the cells of
    those: Ærø's new measures in February 2024, four teams of "under 5" whose total, labelled "skjult" to free them, was
    still a sum of 0 shown and one "under 5" in the breakdown by group, so every team was 1. Labelled "skjult", those
    say no more than that they are hidden."""
    return set(np.flatnonzero(_nearby(exposed, sums, member_of) & labelled).tolist())


def _further(exposed: np.ndarray, sums: FlatSums, member_of: Memberships, unavailable: np.ndarray, n: np.ndarray) -> set[int]:
    """The next cell to hide for pinned cells whose own sums have nothing left to hide: the smallest visible part of the
    sums of their sums' cells, or one step further out each time, until a sum has one (an empty set: none anywhere).
    Kalundborg's leaders (sample data with seed 7), caseworkers by team and month: two small teams hidden in whole
    months, totals and all, and their 12-month sums hidden, but the 12-month total and the other teams' 12-month sums
    shown, so the two teams' 12-month sums added up to 117, and 18 cells labelled "skjult" (5 or more) were each 5."""
    next_to_hide = sums.next_to_hide(unavailable)
    reached = exposed
    while True:
        wider = _in_their_sums(reached, sums, member_of)
        around = np.zeros(sums.count, dtype=bool)
        around[member_of.groups[wider[member_of.rows]]] = True
        found = next_to_hide[around]
        found = found[found >= 0]
        if len(found):
            return {int(found[np.argmin(n[found])])}
        if not (wider & ~reached).any():
            return set()
        reached = wider


def _nearby(exposed: np.ndarray, sums: FlatSums, member_of: Memberships) -> np.ndarray:
    """Every cell of the sums the exposed cells are in, and of the sums those cells are in (a mask of the rows)."""
    return _in_their_sums(_in_their_sums(exposed, sums, member_of), sums, member_of)


def _in_their_sums(rows: np.ndarray, sums: FlatSums, member_of: Memberships) -> np.ndarray:
    """Every cell (sum or part) of the sums that the rows of the mask ``rows`` are in, as a mask: in a few passes over
    the flat sums (a set in Python took 2.7 s of København's build beside three earlier reports)."""
    chosen = np.zeros(sums.count, dtype=bool)
    chosen[member_of.groups[rows[member_of.rows]]] = True
    found = np.zeros(len(rows), dtype=bool)
    found[sums.total[chosen]] = True
    found[sums.part[chosen[sums.group]]] = True
    return found


class Memberships:
    """The sums each row is in (as the sum or a part), in the sums' order: ``member_of.get(row, [])``. Looked up for the few
    rows a round finds exposed, from the sums' flat arrays sorted once by row (a large site's staging has hundreds of
    thousands of memberships, of which a round asks for a few)."""

    def __init__(self, sums: FlatSums) -> None:
        rows = np.concatenate([sums.part, sums.total])
        groups = np.concatenate([sums.group, np.arange(sums.count)])
        order = np.lexsort((groups, rows))
        self.rows, self.groups = rows[order], groups[order]

    def get(self, row: int, default: list[int]) -> list[int]:
        start, end = np.searchsorted(self.rows, [row, row + 1])
        return self.groups[start:end].tolist() if end > start else default


def _labels(n: np.ndarray, hidden: np.ndarray, small: np.ndarray, min_count: int) -> tuple[np.ndarray, np.ndarray]:
    """What a reader knows of each cell from what is shown: its value, or its label's range ("under N" for
    ``small``, else "skjult": N or more, but 1 or more for a small sum labelled so to free its parts, see :func:`_stuck`)."""
    low = np.where(hidden, np.where(small, 1.0, np.where(n < min_count, 1.0, float(min_count))), n)
    high = np.where(hidden, np.where(small, min_count - 1.0, math.inf), n)
    return low, high


def _stuck(exposed: np.ndarray, groups: list, member_of: Memberships, hidden: np.ndarray, small: np.ndarray,
           n: np.ndarray, low: np.ndarray, high: np.ndarray, min_count: int) -> list[int]:
    """The small hidden sums that pin an exposed cell from the labels alone: every non-zero cell of the sum is
    hidden, and the sum by itself leaves the cell fewer values than it must keep."""
    found = set()
    for row in np.flatnonzero(exposed):
        row = int(row)
        need = 1 if small[row] else min_count - 2
        for g in member_of.get(row, []):
            total, parts, _ = groups[g]
            if total in found or not (hidden[total] and small[total]) or (~hidden[parts] & (n[parts] != 0)).any():
                continue
            lo, hi = _alone(row, groups[g], low, high)
            if hi - lo < need:
                found.add(int(total))
    return sorted(found)


def _alone(row: int, group: tuple, low: np.ndarray, high: np.ndarray) -> tuple[float, float]:
    """The bounds of a cell from one sum alone and the labels of its cells."""
    total, parts, additive = group
    if row == total:
        top = sum_of(high[parts])
        return max(low[total], float(low[parts].sum()) if additive else float(low[parts].max(initial=0))), min(high[total], top)
    others = parts[parts != row]
    bottom = max(low[row], low[total] - sum_of(high[others]))
    return bottom, min(high[row], high[total] - float(low[others].sum()) if additive else high[total])


def _width(row: int, group: tuple, low: np.ndarray, high: np.ndarray) -> float:
    """How narrow one sum alone makes a cell, given what is known of the sum's other cells."""
    total, parts, additive = group
    if row == total:
        return sum_of(high[parts])
    others = parts[parts != row]
    if not additive:
        return high[total]
    return min(high[total] - float(low[others].sum()), high[row]) - max(low[total] - sum_of(high[others]), low[row])


def _groups(frame: pd.DataFrame, breakdowns: list[str], months: list[str]) -> list[tuple[int, np.ndarray, bool]]:
    """Every sum the audience sees, as (row of the sum, rows of its parts, whether the parts add up to it)."""
    groups = []
    by, window, n = frame["_by"].to_numpy(), frame["_window"].to_numpy(), frame["n"].to_numpy(dtype=float)
    # the rows of each period (and of each window sum), the periods in the order they first appear; in each, the
    # total's rows and each breakdown's, as runs of rows in order: by period, breakdown (in order) and row
    periods = pd.factorize(frame["period"])[0]
    group_of = pd.factorize(window.astype(np.int64) * (len(frame) + 1) + periods)[0]
    code_of = {"": 0, **{column: k for k, column in enumerate(breakdowns, start=1)}}
    column_of = np.fromiter((code_of.get(column, -1) for column in by), dtype=np.intp, count=len(by))
    ordered = np.lexsort((column_of, group_of))
    starts = np.flatnonzero(np.r_[True, (np.diff(group_of[ordered]) != 0) | (np.diff(column_of[ordered]) != 0)]) if len(by) else ordered
    ends = np.r_[starts[1:], len(by)]
    run_group, run_column = group_of[ordered[starts]], column_of[ordered[starts]]
    total_of = np.full(int(group_of.max(initial=-1)) + 1, -1)
    total_of[run_group[run_column == 0]] = ordered[starts[run_column == 0]]  # a period's total: its first row without a breakdown
    counts = np.where(np.isnan(n), 0.0, n)[ordered]
    exact = not has_fractions(n) and float(np.abs(counts).sum()) < 2.0 ** 53  # (then any order of adding up is exact)
    added = np.add.reduceat(counts, starts) if exact and len(starts) else None
    for run in np.flatnonzero((run_column > 0) & (total_of[run_group] >= 0)):
        total, parts = int(total_of[run_group[run]]), ordered[starts[run]:ends[run]].copy()
        groups.append((total, parts, bool((added[run] if exact else np.nansum(n[parts])) == n[total])))
    if months:  # each cell's sum over the window, and its months: rows of the same cell (cell_keys), found by its number
        cell = cell_numbers(frame)
        rows = np.arange(len(frame))
        sums, in_months = rows[window.astype(bool)], frame["period"].isin(months).to_numpy()
        found, first = np.unique(cell[sums], return_index=True)
        last = len(sums) - 1 - np.unique(cell[sums][::-1], return_index=True)[1]  # a cell's sum: its last row
        parts = rows[~window.astype(bool) & in_months]
        parts = parts[np.argsort(cell[parts], kind="stable")]
        starts = np.searchsorted(cell[parts], found)
        ends = np.searchsorted(cell[parts], found, side="right")
        for at in np.argsort(first, kind="stable"):  # in the order the sums come
            groups.append((int(sums[last[at]]), parts[starts[at]:ends[at]].astype(int), True))
    return groups


def cell_numbers(frame: pd.DataFrame) -> np.ndarray:
    """A number for each staged row's cell: rows of the same cell (:func:`cell_keys`) have the same number."""
    by = frame["_by"].to_numpy()
    numbers = np.zeros(len(by), dtype=np.int64)  # the totals: 0
    start = 1
    for column in dict.fromkeys(by.tolist()):
        if column:
            rows = np.flatnonzero(by == column)
            codes, uniques = pd.factorize(frame[column].astype(str).to_numpy()[rows], use_na_sentinel=False)
            numbers[rows] = start + codes
            start += len(uniques)
    return numbers
