"""Disclosure control works out every hidden cell's bounds from all sums at once (lisite.suppression.narrowest).

The bounds must be the ones a reader can reach by working the sums one at a time, in any order, until nothing
changes: here :func:`sum_by_sum` does exactly that (the way lisite did it before), and the two must agree on
random sums of every kind (parts that add up to the sum, parts that only cover it, "under N" and "skjult"
labels, parts of no known value). So does the choice of the next cell to hide for each sum. Where the labels
contradict the sums (a small sum labelled "skjult", see lisite.suppression.protect) no bounds hold, and lisite
works the sums one at a time as before.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import lisite.suppression
from lisite.suppression import FlatSums, _labels, narrowest


def sum_by_sum(low, high, hidden, groups, settle=True):
    """Interval propagation one sum at a time, each sum worked again only when one of its cells has moved."""
    low, high = low.copy(), high.copy()
    active = [(t, p, a) for t, p, a in groups if hidden[t] or hidden[p].any()]
    sums_of: dict[int, list[int]] = {}
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
            rest_lo, rest_hi = _others(lo_p), _others(hi_p)
            new_lo_p = np.maximum(lo_p, low[total] - rest_hi)
            if additive:
                new_hi_p = np.minimum(hi_p, high[total] - rest_lo)
                new_lo_t, new_hi_t = max(low[total], _total(lo_p)), min(high[total], _total(hi_p))
            else:
                new_hi_p = np.minimum(hi_p, high[total])
                new_lo_t, new_hi_t = max(low[total], lo_p.max()), min(high[total], _total(hi_p))
            new_lo_p, new_hi_p = np.ceil(new_lo_p - 1e-9), np.floor(new_hi_p + 1e-9)
            new_lo_t = math.ceil(new_lo_t - 1e-9)
            new_hi_t = math.floor(new_hi_t + 1e-9) if math.isfinite(new_hi_t) else new_hi_t
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
            return low, high
    if settle:
        pytest.fail("the sums did not settle")
    return low, high


def _total(values):
    total = float(values.sum())
    return total if math.isfinite(total) or not np.isinf(values).any() else math.inf


def _others(values):
    infinite = np.isinf(values)
    finite = np.where(infinite, 0.0, values)
    return np.where(infinite.sum() - infinite > 0, math.inf, finite.sum() - finite)


def random_sums(rng, min_count=5, contradict=False):
    """Counts for a few periods × (a breakdown that adds up + one that covers), and sums over the periods, some
    hidden. ``contradict``: some small hidden counts labelled "skjult" (N or more)."""
    periods, values = rng.integers(1, 5), rng.integers(2, 7)
    n, groups, cells = [], [], {}
    for p in range(periods):
        parts = rng.integers(0, 12, values).astype(float)
        if rng.random() < 0.2:
            parts[rng.integers(values)] = math.nan  # a part of no known value
        total = len(n)
        n.append(float(np.nansum(parts)))
        rows = np.arange(len(n), len(n) + values)
        n.extend(parts)
        groups.append((total, rows, bool(np.nansum(parts) == n[total])))
        covering = np.minimum(rng.integers(0, 12, values) + (n[total] // values), n[total])  # each at most the sum
        covering[0] = max(covering[0], n[total] - covering[1:].sum())  # together at least the sum
        rows = np.arange(len(n), len(n) + values)
        n.extend(covering.astype(float))
        groups.append((total, rows, bool(covering.sum() == n[total])))
        for v, row in enumerate(groups[-2][1]):
            cells.setdefault(v, []).append(int(row))
    for v, rows in cells.items():  # each value's sum over the periods
        groups.append((len(n), np.array(rows), True))
        n.append(float(np.nansum(np.array(n)[rows])))
    n = np.array(n)
    hidden = (n > 0) & ((n < min_count) | (rng.random(len(n)) < 0.15))
    small = (n < min_count) & ((rng.random(len(n)) < 0.7) if contradict else True)
    return n, hidden, small, [g for g in groups if not math.isnan(n[g[0]])]


@pytest.mark.parametrize("seed", range(200))
def test_bounds_are_those_worked_out_one_sum_at_a_time(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    n, hidden, small, groups = random_sums(rng)
    low, high = _labels(n, hidden, small, 5)
    expected = sum_by_sum(low, high, hidden, groups)
    monkeypatch.setattr(lisite.suppression, "one_sum_at_a_time", None)  # all sums at once, no falling back
    found = narrowest(low, high, hidden, FlatSums(groups, n))
    assert np.array_equal(found[0], expected[0], equal_nan=True)
    assert np.array_equal(found[1], expected[1], equal_nan=True)


def test_random_sums_are_narrowed_and_hide_something():
    """(The random sums above are worth comparing: they hide cells, and the sums give some of them away.)"""
    narrowed = 0
    for seed in range(200):
        n, hidden, small, groups = random_sums(np.random.default_rng(seed))
        low, high = _labels(n, hidden, small, 5)
        found = narrowest(low, high, hidden, FlatSums(groups, n))
        narrowed += int(((found[0] > low) | (found[1] < high))[hidden].any())
    assert narrowed > 50


@pytest.mark.parametrize("seed", range(100))
def test_labels_that_contradict_the_sums_are_worked_one_sum_at_a_time(seed):
    n, hidden, small, groups = random_sums(np.random.default_rng(seed), contradict=True)
    low, high = _labels(n, hidden, small, 5)
    expected = sum_by_sum(low, high, hidden, groups, settle=False)
    found = narrowest(low, high, hidden, FlatSums(groups, n))
    assert np.array_equal(found[0], expected[0], equal_nan=True)
    assert np.array_equal(found[1], expected[1], equal_nan=True)


def test_the_bounds_narrow_what_the_sums_give_away():
    """A sum of 7 with a visible 5 and one hidden part: the part is 2 whatever its label says."""
    n = np.array([7.0, 5.0, 2.0])
    hidden = np.array([False, False, True])
    low, high = narrowest(*_labels(n, hidden, n < 5, 5), hidden, FlatSums([(0, np.array([1, 2]), True)], n))
    assert (low[2], high[2]) == (2.0, 2.0)


@pytest.mark.parametrize("seed", range(100))
def test_the_next_cell_to_hide_is_the_smallest_visible_part(seed):
    rng = np.random.default_rng(seed)
    n, hidden, _, groups = random_sums(rng)
    found = FlatSums(groups, n).next_to_hide(hidden)
    for g, (total, parts, additive) in enumerate(groups):
        shown = [int(row) for row in parts if not hidden[row] and n[row] > 0]
        if shown:
            expected = min(shown, key=lambda row: (n[row], row))
        else:
            expected = total if additive and not hidden[total] and n[total] > 0 else -1
        assert found[g] == expected
