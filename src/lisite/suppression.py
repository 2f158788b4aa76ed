"""Disclosure control of staged figures: which cells to hide so that no hidden count can be worked out.

Primary suppression hides a cell whose ``n`` is at least 1 and below the audience's ``min_count``; secondary
suppression hides enough other cells that no hidden one can be recovered from the sums an audience sees
together (a period's total and its breakdowns, a cell's sum over the window and its months). Used by
:func:`lisite.staging.stage_with_window`, once for every plugin.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MAX_STEPS = 1000  # rounds of narrowing; the bounds settle long before (a few rounds in practice)


def cell_keys(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """Each staged row's cell as (breakdown column, value): ``("", "")`` for the total."""
    by = frame["_by"].to_numpy()
    values = {column: frame[column].astype(str).to_numpy() for column in set(by) if column}
    return [(column, values[column][i] if column else "") for i, column in enumerate(by)]


def protect(frame: pd.DataFrame, min_count: int, breakdowns: list[str], months: list[str]) -> tuple[pd.Series, pd.Series]:
    """Which staged rows to hide: small counts (primary), and enough others that no hidden count can be
    worked out from the figures the audience sees together (secondary).

    The sums an audience sees: each period's total and its breakdown by each column (an equation when
    the breakdown adds up to the total; when it does not, e.g. a child with two kinds of measure, the
    breakdown is at least the total and each part at most the total), and each cell's sum over the
    window's months. A reader knows from the labels that an "under N" cell is 1 to N-1 (zeros are shown)
    and a "skjult" cell N or more. From all the sums together (:func:`narrowest`) an "under N" cell must
    keep at least two possible values, and a "skjult" cell at least N-1 (as many as an "under N" label
    leaves). Where a cell does not, the smallest visible part of a sum it belongs to is hidden too (the
    sum itself when every part is hidden), and everything is worked out again, until every cell holds.
    Returns the hidden rows, and the small hidden sums to label "skjult" rather than "under N".
    """
    n = frame["n"].to_numpy(dtype=float)
    hidden = (n > 0) & (n < min_count)
    if min_count <= 1 or not hidden.any():
        return pd.Series(hidden, index=frame.index), pd.Series(False, index=frame.index)
    groups = [g for g in _groups(frame, breakdowns, months) if not math.isnan(n[g[0]])]
    sums = FlatSums(groups, n)
    member_of: dict[int, list[int]] = {}
    for g, (total, parts, _) in enumerate(groups):
        for row in (total, *parts):
            member_of.setdefault(int(row), []).append(g)
    relabel = np.zeros(len(n), dtype=bool)  # small sums labelled "skjult" (see below)
    while True:
        small = (n < min_count) & ~relabel
        label_low, label_high = _labels(n, hidden, small, min_count)
        low, high = narrowest(label_low, label_high, hidden, sums)
        exposed = hidden & ((small & (high - low < 1)) | (~small & (high - low < min_count - 2)))
        next_to_hide = sums.next_to_hide(hidden)
        best = []
        for row in np.flatnonzero(exposed):
            # the sum that pins the cell down the most, among those with something left to hide
            options = [(_width(int(row), groups[g], label_low, label_high), n[found], found) for g in member_of.get(int(row), [])
                       if (found := next_to_hide[g]) >= 0]
            if options:
                best.append(min(options))
        # only the cells one sum pins down most directly this round: others may be freed by what that hides
        chosen = {int(found) for width, _, found in best if width == min(b[0] for b in best)}
        if chosen:
            hidden[list(chosen)] = True
            continue
        # Nothing left to hide, and a cell is still pinned: by the labels alone, e.g. four months of "under 5"
        # in a 12-month sum of "under 5" (each month at least 1, so the sum is 4 and every month 1). Such a
        # sum is labelled "skjult" instead, which says no more than that it is hidden.
        pinned = {int(groups[g][0]) for row in np.flatnonzero(exposed) for g in member_of.get(int(row), [])
                  if hidden[groups[g][0]] and small[groups[g][0]]}
        if not pinned:
            return pd.Series(hidden, index=frame.index), pd.Series(relabel, index=frame.index)
        relabel[list(pinned)] = True


class FlatSums:
    """The sums as flat arrays, made once for :func:`protect`'s rounds: every part of every sum in one
    array (``part``, its sum's number in ``group``), each sum's row (``total``) and whether it adds up.
    ``cells``: the rows in any sum, in order; ``local_part`` and ``local_total`` number them among these.
    ``n``: the counts, to find the next part to hide (smallest first)."""

    def __init__(self, groups: list[tuple[int, np.ndarray, bool]], n: np.ndarray) -> None:
        sizes = np.array([len(parts) for _, parts, _ in groups], dtype=np.intp)
        self.groups = groups
        self.count = len(groups)
        self.part = np.concatenate([np.asarray(parts, dtype=np.intp) for _, parts, _ in groups] or [np.zeros(0, np.intp)])
        self.group = np.repeat(np.arange(self.count), sizes)
        self.total = np.array([total for total, _, _ in groups], dtype=np.intp)
        self.additive = np.array([additive for _, _, additive in groups], dtype=bool)
        self.cells = np.unique(np.concatenate([self.part, self.total]))
        self.local_part = np.searchsorted(self.cells, self.part)
        self.local_total = np.searchsorted(self.cells, self.total)
        self.n = n
        self.by_size = np.lexsort((self.part, n[self.part], self.group))  # the parts of each sum, smallest first
        self.shown_total = self.additive & (n[self.total] > 0)  # a sum that may be hidden for its parts

    def next_to_hide(self, hidden: np.ndarray) -> np.ndarray:
        """For each sum, the row to hide next for it (-1: none): its smallest visible non-zero part (the first
        row on ties), else the sum itself when it adds up, is visible and is not zero."""
        found = np.where(self.shown_total & ~hidden[self.total], self.total, -1)
        parts = self.part[self.by_size]
        shown = self.by_size[~hidden[parts] & (self.n[parts] > 0)]
        groups = self.group[shown]
        first = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else groups
        found[groups[first]] = self.part[shown[first]]
        return found


def narrowest(low: np.ndarray, high: np.ndarray, hidden: np.ndarray, sums: FlatSums) -> tuple[np.ndarray, np.ndarray]:
    """The smallest and largest value each cell can have given what its label says (``low``, ``high``:
    :func:`_labels`) and every sum with a hidden cell in it: bounds are tightened by every sum at once
    until none changes (interval propagation).

    Each step only narrows, and each sum's rule only narrows more when what it starts from is narrower,
    so the bounds arrived at are the widest that every sum allows, whatever order the sums are worked in
    (:func:`one_sum_at_a_time` arrives at the same). That holds while whole numbers can meet every sum and
    label: where they cannot (bounds cross, or a count is not whole), the order matters and the sums are
    worked one at a time instead. A sum with a part of no known value (NaN) narrows nothing."""
    if _fractions(low) or _fractions(high):
        return one_sum_at_a_time(low, high, hidden, sums.groups)
    lo, hi = low[sums.cells], high[sums.cells]  # the cells in any sum, numbered among themselves
    active = hidden[sums.total] | (np.bincount(sums.group, hidden[sums.part], sums.count) > 0)
    active &= np.bincount(sums.group, np.isnan(lo[sums.local_part]) | np.isnan(hi[sums.local_part]), sums.count) == 0
    chosen = active[sums.group]
    part, total, additive = sums.local_part[chosen], sums.local_total[active], sums.additive[active]
    group = np.cumsum(active)[sums.group[chosen]] - 1  # numbered among the active sums
    count = len(total)
    for _ in range(MAX_STEPS):
        lo_p, hi_p = lo[part], hi[part]
        infinite = np.isinf(hi_p)
        finite_hi = np.where(infinite, 0.0, hi_p)
        sum_lo, sum_hi = np.bincount(group, lo_p, count), np.bincount(group, finite_hi, count)
        infinities = np.bincount(group, infinite, count)
        rest_lo = sum_lo[group] - lo_p  # the sum of the other parts, per part
        rest_hi = np.where(infinities[group] - infinite > 0, math.inf, sum_hi[group] - finite_hi)
        low_t, high_t = lo[total], hi[total]
        # the parts add up to the sum; else each part is at most the sum, and together at least the sum
        new_lo_p = np.maximum(lo_p, low_t[group] - rest_hi)
        new_hi_p = np.minimum(hi_p, np.where(additive[group], high_t[group] - rest_lo, high_t[group]))
        largest = np.full(count, -math.inf)
        np.maximum.at(largest, group, lo_p)
        new_lo_t = np.maximum(low_t, np.where(additive, sum_lo, largest))
        new_hi_t = np.minimum(high_t, np.where(infinities > 0, math.inf, sum_hi))
        new_lo, new_hi = lo.copy(), hi.copy()
        np.maximum.at(new_lo, part, np.ceil(new_lo_p - 1e-9))
        np.minimum.at(new_hi, part, np.floor(new_hi_p + 1e-9))
        np.maximum.at(new_lo, total, np.ceil(new_lo_t - 1e-9))
        np.minimum.at(new_hi, total, np.floor(new_hi_t + 1e-9))
        if (new_lo > new_hi).any():
            break
        if np.array_equal(new_lo, lo, equal_nan=True) and np.array_equal(new_hi, hi, equal_nan=True):
            low, high = low.copy(), high.copy()
            low[sums.cells], high[sums.cells] = lo, hi
            return low, high
        lo, hi = new_lo, new_hi
    return one_sum_at_a_time(low, high, hidden, sums.groups)


def one_sum_at_a_time(low: np.ndarray, high: np.ndarray, hidden: np.ndarray, groups: list) -> tuple[np.ndarray, np.ndarray]:
    """:func:`narrowest` worked one sum at a time, for 50 rounds at most: what it falls back on when the labels
    contradict the sums (e.g. a small sum labelled "skjult", N or more), where no bounds hold and the order
    the sums are worked in matters.

    A sum whose cells have not changed since it last changed nothing is not worked out again: it would
    change nothing again, so skipping it leaves every step as it was."""
    low, high = low.copy(), high.copy()
    active = [(t, p, a) for t, p, a in groups if hidden[t] or hidden[p].any()]
    sums_of: dict[int, list[int]] = {}  # cell -> the active sums it is in
    for g, (total, parts, _) in enumerate(active):
        for row in (total, *parts.tolist()):
            sums_of.setdefault(row, []).append(g)
    dirty = [True] * len(active)
    for _ in range(50):
        changed = False
        for g, (total, parts, additive) in enumerate(active):
            if not dirty[g]:
                continue
            dirty[g] = False
            lo_p, hi_p = low[parts], high[parts]
            rest_lo, rest_hi = _others(lo_p), _others(hi_p)  # the sum of the other parts, per part
            if additive:
                new_lo_p = np.maximum(lo_p, low[total] - rest_hi)
                new_hi_p = np.minimum(hi_p, high[total] - rest_lo)
                new_lo_t, new_hi_t = max(low[total], _total(lo_p)), min(high[total], _total(hi_p))
            else:  # the parts are at least the total, each part at most the total
                new_lo_p = np.maximum(lo_p, low[total] - rest_hi)
                new_hi_p = np.minimum(hi_p, high[total])
                new_lo_t, new_hi_t = max(low[total], lo_p.max()), min(high[total], _total(hi_p))
            new_lo_p, new_hi_p = np.ceil(new_lo_p - 1e-9), np.floor(new_hi_p + 1e-9)
            new_lo_t, new_hi_t = math.ceil(new_lo_t - 1e-9), (math.floor(new_hi_t + 1e-9) if math.isfinite(new_hi_t) else new_hi_t)
            if (new_lo_p > lo_p).any() or (new_hi_p < hi_p).any() or new_lo_t > low[total] or new_hi_t < high[total]:
                changed = True
                moved = parts[(new_lo_p != lo_p) | (new_hi_p != hi_p)].tolist()
                if new_lo_t != low[total] or new_hi_t != high[total]:
                    moved.append(total)
                low[parts], high[parts], low[total], high[total] = new_lo_p, new_hi_p, new_lo_t, new_hi_t
                for row in moved:
                    for other in sums_of[row]:
                        dirty[other] = True
        if not changed:
            break
    return low, high


def _fractions(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return bool((finite != np.floor(finite)).any())


def _labels(n: np.ndarray, hidden: np.ndarray, small: np.ndarray, min_count: int) -> tuple[np.ndarray, np.ndarray]:
    """What a reader knows of each cell from what is shown: its value, or its label's range ("under N" for
    ``small``, else "skjult")."""
    low = np.where(hidden, np.where(small, 1.0, float(min_count)), n)
    high = np.where(hidden, np.where(small, min_count - 1.0, math.inf), n)
    return low, high


def _width(row: int, group: tuple, low: np.ndarray, high: np.ndarray) -> float:
    """How narrow one sum alone makes a cell, given what is known of the sum's other cells."""
    total, parts, additive = group
    if row == total:
        return _total(high[parts])
    others = parts[parts != row]
    if not additive:
        return high[total]
    return min(high[total] - float(low[others].sum()), high[row]) - max(low[total] - _total(high[others]), low[row])


def _total(values: np.ndarray) -> float:
    total = float(values.sum())
    if math.isfinite(total):  # (most sums: nothing infinite to look for)
        return total
    return math.inf if np.isinf(values).any() else total


def _others(values: np.ndarray) -> np.ndarray:
    """For each entry, the sum of the other entries (infinite when another entry is)."""
    total = values.sum()
    if math.isfinite(total):  # (most sums: nothing infinite to leave out)
        return total - values
    infinite = np.isinf(values)
    finite = np.where(infinite, 0.0, values)
    rest = finite.sum() - finite
    others_infinite = infinite.sum() - infinite
    return np.where(others_infinite > 0, math.inf, rest)


def _groups(frame: pd.DataFrame, breakdowns: list[str], months: list[str]) -> list[tuple[int, np.ndarray, bool]]:
    """Every sum the audience sees, as (row of the sum, rows of its parts, whether the parts add up to it)."""
    groups = []
    by, window, n = frame["_by"].to_numpy(), frame["_window"].to_numpy(), frame["n"].to_numpy(dtype=float)
    # the rows of each period (and of each window sum), the periods in the order they first appear
    periods = pd.factorize(frame["period"])[0]
    group_of = pd.factorize(window.astype(np.int64) * (len(frame) + 1) + periods)[0]
    ordered = np.argsort(group_of, kind="stable")
    for rows in np.split(ordered, np.cumsum(np.bincount(group_of))[:-1]) if len(frame) else []:
        totals = rows[by[rows] == ""]
        if not len(totals):
            continue
        for column in breakdowns:
            parts = rows[by[rows] == column]
            if len(parts):
                groups.append((int(totals[0]), parts, bool(np.nansum(n[parts]) == n[totals[0]])))
    if months:
        keys = cell_keys(frame)
        sums = {key: i for i, key in enumerate(keys) if window[i]}
        parts_of: dict[tuple[str, str], list[int]] = {}
        in_months = frame["period"].isin(months).to_numpy()
        for i, key in enumerate(keys):
            if not window[i] and in_months[i]:
                parts_of.setdefault(key, []).append(i)
        for key, total in sums.items():
            groups.append((total, np.array(parts_of.get(key, []), dtype=int), True))
    return groups
