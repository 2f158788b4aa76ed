"""What a reader can work out about hidden cells from the sums shown beside them: each cell's smallest and
largest possible value (interval bounds), for :func:`lisite.suppression.protect`.
"""

from __future__ import annotations

import math

import numpy as np

MAX_STEPS = 1000  # rounds of narrowing; the bounds settle long before (a few rounds in practice)


class FlatSums:
    """The sums as flat arrays, made once for :func:`protect`'s rounds: every part of every sum in one
    array (``part``, its sum's number in ``group``), each sum's row (``total``) and whether it adds up.
    ``cells``: the rows in any sum, in order; ``local_part`` and ``local_total`` number them among these.
    ``n``: the counts, to find the next part to hide (smallest first), and for :func:`narrowest`, which takes a
    cell labelled with its own count as shown."""

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
        by_size = np.lexsort((self.part, n[self.part], self.group))  # the parts of each sum, smallest first
        self.by_size, self.sorted_part, self.sorted_group = by_size, self.part[by_size], self.group[by_size]
        self.sorted_counted = n[self.sorted_part] > 0
        self.shown_total = self.additive & (n[self.total] > 0)  # a sum that may be hidden for its parts
        # for narrowest: each sum's parts added up, each cell's count, the parts of sums that only cover their sum
        self.n_sum = np.bincount(self.group, n[self.part], self.count)
        self.cell_n = n[self.cells]
        self.covering = np.flatnonzero(~self.additive[self.group])

    def next_to_hide(self, hidden: np.ndarray) -> np.ndarray:
        """For each sum, the row to hide next for it (-1: none): its smallest visible non-zero part (the first
        row on ties), else the sum itself when it adds up, is visible and is not zero."""
        found = np.where(self.shown_total & ~hidden[self.total], self.total, -1)
        visible = ~hidden[self.sorted_part] & self.sorted_counted
        shown, groups = self.by_size[visible], self.sorted_group[visible]
        first = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else groups
        found[groups[first]] = self.part[shown[first]]
        return found

    def to_hide(self, hidden: np.ndarray, group: int, count: int) -> list[int]:
        """The ``count`` rows to hide next for sum ``group``, in :meth:`next_to_hide`'s order: its smallest visible
        non-zero parts (the first row on ties), else the sum itself when it adds up, is visible and is not zero."""
        start, end = np.searchsorted(self.sorted_group, [group, group + 1])
        parts = self.sorted_part[start:end]
        visible = parts[~hidden[parts] & self.sorted_counted[start:end]]
        if len(visible):
            return visible[:count].tolist()
        total = int(self.total[group])
        return [total] if self.shown_total[group] and not hidden[total] else []


def narrowest(low: np.ndarray, high: np.ndarray, hidden: np.ndarray, sums: FlatSums,
              whole: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The smallest and largest value each cell can have given what its label says (``low``, ``high``:
    :func:`lisite.suppression._labels`) and every sum with a hidden cell in it: bounds are tightened by every sum
    at once until none changes (interval propagation).

    Each step only narrows, and each sum's rule only narrows more when what it starts from is narrower,
    so the bounds arrived at are the widest that every sum allows, whatever order the sums are worked in
    (:func:`one_sum_at_a_time` arrives at the same). That holds while whole numbers can meet every sum and
    label: where they cannot (bounds cross, or a count is not whole), the order matters and the sums are
    worked one at a time instead. A sum with a part of no known value (NaN) narrows nothing. ``whole``: the
    caller knows that every label is a whole number (or infinite), so that is not looked at again."""
    if not whole and (has_fractions(low) or has_fractions(high)):
        return one_sum_at_a_time(low, high, hidden, sums.groups)
    lo, hi = low[sums.cells], high[sums.cells]  # the cells in any sum, numbered among themselves
    active = np.zeros(sums.count, dtype=bool)
    active[sums.group[hidden[sums.part]]] = True
    active |= hidden[sums.total]
    unknown = np.isnan(lo) | np.isnan(hi)
    if unknown.any():
        active[sums.group[unknown[sums.local_part]]] = False
    number = np.cumsum(active) - 1  # the active sums numbered among themselves
    additive, count = sums.additive[active], int(active.sum())
    # A part labelled with its own count (shown) never moves, so what the shown parts of a sum add up to (and the
    # largest of them, where the parts only cover the sum) is worked out once, and only the other cells are
    # narrowed step by step. (A shown part's bounds would cross exactly when its sum's bounds do.)
    shown = (lo == sums.cell_n) & (hi == sums.cell_n)
    varies = np.flatnonzero(~shown[sums.local_part])
    varies = varies[active[sums.group[varies]]]
    group = number[sums.group[varies]]
    shown_sum = sums.n_sum[active] - np.bincount(group, sums.n[sums.part[varies]], count)
    shown_largest = np.full(count, -math.inf)
    covering = sums.covering[active[sums.group[sums.covering]] & shown[sums.local_part[sums.covering]]]
    np.maximum.at(shown_largest, number[sums.group[covering]], lo[sums.local_part[covering]])
    cells = np.concatenate([sums.local_part[varies], sums.local_total[active]])
    marked = np.zeros(len(lo), dtype=bool)
    marked[cells] = True
    moving = np.flatnonzero(marked)
    place = np.empty(len(lo), dtype=np.intp)  # each moving cell's number among them
    place[moving] = np.arange(len(moving))
    cells = place[cells]
    part, total = cells[:len(varies)], cells[len(varies):]
    lo, hi = lo[moving], hi[moving]  # the cells that may move, numbered among themselves
    covers = not additive.all()  # a sum whose parts only cover it (a child under two kinds): its largest part counts
    for _ in range(MAX_STEPS):
        lo_p, hi_p = lo[part], hi[part]
        infinite = np.isinf(hi_p)
        finite_hi = np.where(infinite, 0.0, hi_p)
        sum_lo, sum_hi = shown_sum + np.bincount(group, lo_p, count), shown_sum + np.bincount(group, finite_hi, count)
        infinities = np.bincount(group, infinite, count)
        rest_lo = sum_lo[group] - lo_p  # the sum of the other parts, per part
        rest_hi = np.where(infinities[group] - infinite > 0, math.inf, sum_hi[group] - finite_hi)
        low_t, high_t = lo[total], hi[total]
        # the parts add up to the sum; else each part is at most the sum, and together at least the sum
        new_lo_p = np.maximum(lo_p, low_t[group] - rest_hi)
        new_hi_p = np.minimum(hi_p, np.where(additive[group], high_t[group] - rest_lo, high_t[group]))
        if covers:
            largest = shown_largest.copy()
            np.maximum.at(largest, group, lo_p)
            new_lo_t = np.maximum(low_t, np.where(additive, sum_lo, largest))
        else:
            new_lo_t = np.maximum(low_t, sum_lo)
        new_hi_t = np.minimum(high_t, np.where(infinities > 0, math.inf, sum_hi))
        new_lo, new_hi = lo.copy(), hi.copy()
        np.maximum.at(new_lo, part, np.ceil(new_lo_p - 1e-9))
        np.minimum.at(new_hi, part, np.floor(new_hi_p + 1e-9))
        np.maximum.at(new_lo, total, np.ceil(new_lo_t - 1e-9))
        np.minimum.at(new_hi, total, np.floor(new_hi_t + 1e-9))
        if (new_lo > new_hi).any():
            break
        if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
            low, high = low.copy(), high.copy()
            low[sums.cells[moving]], high[sums.cells[moving]] = lo, hi
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
                new_lo_t, new_hi_t = max(low[total], sum_of(lo_p)), min(high[total], sum_of(hi_p))
            else:  # the parts are at least the total, each part at most the total
                new_lo_p = np.maximum(lo_p, low[total] - rest_hi)
                new_hi_p = np.minimum(hi_p, high[total])
                new_lo_t, new_hi_t = max(low[total], lo_p.max()), min(high[total], sum_of(hi_p))
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


def has_fractions(values: np.ndarray) -> bool:
    """Whether a finite value is not a whole number."""
    finite = values[np.isfinite(values)]
    return bool((finite != np.floor(finite)).any())


def sum_of(values: np.ndarray) -> float:
    """The values added up: infinite when one is (a "skjult" cell's largest value), never NaN from inf - inf."""
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


