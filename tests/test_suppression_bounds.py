"""Disclosure control works out every hidden cell's bounds from all sums at once (lisite.bounds.narrowest).

The bounds must be the ones a reader can reach by working the sums one at a time, in any order, until nothing
changes: :func:`lisite.bounds.one_sum_at_a_time` does exactly that, and the two must agree on
random sums of every kind (parts that add up to the sum, parts that only cover it, "under N" and "skjult"
labels, parts of no known value). So does the choice of the next cell to hide for each sum. Where the labels
contradict the sums (a small sum labelled "skjult", see lisite.suppression.protect) no bounds hold, and lisite
works the sums one at a time as before.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import lisite.bounds
import lisite.suppression
from lisite.bounds import FlatSums, narrowest
from lisite.suppression import _labels


ONE_AT_A_TIME = lisite.bounds.one_sum_at_a_time  # sum by sum, each worked again when a cell of it moved


def sum_by_sum(low, high, hidden, groups, settle=True):
    """The bounds worked out one sum at a time (for 50 rounds at most); ``settle``: and they no longer move."""
    found = ONE_AT_A_TIME(low, high, hidden, groups)
    if settle:
        again = ONE_AT_A_TIME(*found, hidden, groups)
        assert np.array_equal(again[0], found[0], equal_nan=True) and np.array_equal(again[1], found[1], equal_nan=True)
    return found


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
    monkeypatch.setattr(lisite.bounds, "one_sum_at_a_time", None)  # all sums at once, no falling back
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


def test_a_shown_part_the_sums_contradict_is_worked_one_sum_at_a_time(monkeypatch):
    """Only hidden parts are narrowed step by step (a shown part's value is fixed), yet a shown part that its
    sum contradicts still sends the sums to be worked one at a time: here a part of 5 in a breakdown that
    only covers a total of 3 (each part at most the total), beside a hidden part."""
    n = np.array([3.0, 5.0, 2.0])
    hidden = np.array([False, False, True])
    low, high = _labels(n, hidden, n < 5, 5)
    sums = FlatSums([(0, np.array([1, 2]), False)], n)
    calls = []
    monkeypatch.setattr(lisite.bounds, "one_sum_at_a_time", lambda *args: calls.append(args) or ONE_AT_A_TIME(*args))
    found = narrowest(low, high, hidden, sums)
    assert len(calls) == 1
    expected = ONE_AT_A_TIME(low, high, hidden, sums.groups)
    assert np.array_equal(found[0], expected[0]) and np.array_equal(found[1], expected[1])


@pytest.mark.parametrize("seed", range(6))
def test_protect_hides_the_same_cells_as_with_bounds_worked_sum_by_sum(seed, monkeypatch):
    """A caseworker-shaped table (many values, a few of them small, over 14 months, with the 12-month sums) takes
    protect several rounds, each hiding more. It hides exactly the same cells, and labels the same ones "skjult",
    whether each round's bounds come from :func:`narrowest` (only the hidden parts narrowed, the shown parts of
    each sum added once) or from working the sums one at a time (which narrowest itself does not fall back on
    here); and each round's labels are those worked out afresh, though protect only updates the new ones."""
    from lisite.model import Audience, Indicator
    from lisite.staging import stage_with_window

    rng = np.random.default_rng(seed)
    months = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02"]
    values = [f"s{i:02d}" for i in range(30)]
    frame = pd.DataFrame([(month, value, float(rng.choice([0, 1, 2, 3, 6, 7, 9, 12], p=[.1, .04, .03, .03, .2, .2, .2, .2])))
                          for month in months for value in values], columns=["period", "sagsbehandler", "numerator"])
    indicator = Indicator(id="t.sager", theme="administration", element="organisering", unit="antal",
                          dimensions=("sagsbehandler",), compute=lambda ctx: None)
    audience = Audience("ledere", "Ledere", level="municipality", min_count=5)

    def staged():
        periods, summed = stage_with_window(indicator, frame, audience, 12)
        return [(part.frame["suppressed"].tolist(), part.frame["small"].tolist()) for part in (periods, summed)]

    fallbacks = []
    monkeypatch.setattr(lisite.bounds, "one_sum_at_a_time", lambda *args: fallbacks.append(args) or ONE_AT_A_TIME(*args))
    fast = staged()
    assert not fallbacks  # the labels agree with the sums: every round's bounds came from narrowest itself

    def sum_by_sum(low, high, hidden, sums, whole=False):
        # each round's labels are the ones worked out afresh from the hidden cells (protect updates them)
        assert np.array_equal(low, _labels(sums.n, hidden, sums.n < 5, 5)[0], equal_nan=True)
        assert np.array_equal(high, _labels(sums.n, hidden, sums.n < 5, 5)[1], equal_nan=True)
        return ONE_AT_A_TIME(low, high, hidden, sums.groups)

    rounds = []
    monkeypatch.setattr(lisite.suppression, "narrowest", lambda *args, **kwargs: rounds.append(1) or sum_by_sum(*args, **kwargs))
    assert staged() == fast
    assert len(rounds) >= 5  # (this table takes protect several rounds)


def groups_one_by_one(frame, breakdowns, months):
    """What lisite.suppression._groups gives, worked out period by period and column by column."""
    by, window, n = frame["_by"].to_numpy(), frame["_window"].to_numpy(), frame["n"].to_numpy(dtype=float)
    groups = []
    firsts = list(dict.fromkeys(zip(window.tolist(), frame["period"].tolist())))  # the periods (and window sums) in order
    for key in firsts:
        rows = np.array([i for i in range(len(frame)) if (window[i], frame["period"].iloc[i]) == key], dtype=np.intp)
        totals = rows[by[rows] == ""]
        for column in breakdowns:
            parts = rows[by[rows] == column]
            if len(totals) and len(parts):
                groups.append((int(totals[0]), parts, bool(np.nansum(n[parts]) == n[totals[0]])))
    if months:
        keys = lisite.suppression.cell_keys(frame)
        sums = {key: i for i, key in enumerate(keys) if window[i]}
        in_months = frame["period"].isin(months).to_numpy()
        for key, total in sums.items():
            parts = [i for i, other in enumerate(keys) if other == key and not window[i] and in_months[i]]
            groups.append((total, np.array(parts, dtype=int), True))
    return groups


@pytest.mark.parametrize("seed", range(200))
def test_the_sums_an_audience_sees_are_found_as_one_by_one(seed):
    """Staged rows in any order, a period without a total, parts of no known value, fractions, a breakdown's missing
    value, a cell whose window sum stands twice: the same sums, in the same order, with the same rows and the same answer
    to whether the parts add up."""
    rng = np.random.default_rng(seed)
    periods = [f"2026-{m:02d}" for m in range(1, rng.integers(2, 8))]
    columns = ["kilde", "team"][:rng.integers(0, 3)]
    rows = []
    for window in (False, True):
        for period in (periods[-1:] if window else periods):
            if rng.random() < 0.9:
                rows.append({"period": period, "_by": "", "_window": window, "n": float(rng.integers(0, 20))})
            for column in columns:
                values = ["a", "b", "nan", None][:rng.integers(1, 5)]  # (a missing value, and a text that reads like one)
                for value in values + (values[:1] if window and rng.random() < 0.2 else []):  # (a cell twice)
                    n = math.nan if rng.random() < 0.05 else float(rng.integers(0, 10)) + (0.25 if rng.random() < 0.05 else 0.0)
                    rows.append({"period": period, "_by": column, "_window": window, "n": n, column: value})
    rng.shuffle(rows)
    frame = pd.DataFrame(rows, columns=["period", "_by", "_window", "n", *columns]).astype({"_window": bool, **dict.fromkeys(columns, str)})
    months = periods[-3:] if seed % 4 else []
    found, expected = lisite.suppression._groups(frame, columns, months), groups_one_by_one(frame, columns, months)
    assert [(t, p.tolist(), a) for t, p, a in found] == [(t, p.tolist(), a) for t, p, a in expected]
