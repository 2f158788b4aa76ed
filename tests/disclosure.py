"""An attacker's view of suppression: what can be worked out of hidden cells from what an audience sees.

:class:`Recorder` is a plugin that keeps, for every audience of a build, each figure set its pages were
made from (the staged periods and the 12-month sums) next to the true, unsuppressed figures.
:func:`attack` then does what a reader with a spreadsheet could: it writes down every sum the audience
sees (each period's total and its breakdown by each column; each cell's sum over the last 12 months and
those months), takes what the labels say ("under 5" is 1 to 4; "skjult" is a cell hidden to protect
another, so 5 or more) and, by linear programming, finds the smallest and largest value each hidden
cell can have. A finding is a hidden cell that can be worked out exactly: one possible value.

Why not more: zeros are shown as 0, so an "under N" cell is 1 to N-1 from its label alone, and labels alone
narrow sums (three hidden months of "under 5" make their 12-month sum at least 3), which no further hiding
prevents. The engine itself aims higher for "skjult" cells (N-1 possible values, by interval propagation,
see lisite.suppression.protect); the attack here, by linear programming, is stronger than that propagation and
holds the engine to the floor it can guarantee: nothing is ever computed exactly. A relaxation of the
integer problem, so what it cannot rule out is certainly not ruled out by a reader working from these sums.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog

import lisite
from lisite.context import WINDOW
from lisite.staging import stage_with_window
from lisite.suppression import cell_keys

TOLERANCE = 1e-6


class Recorder:
    """A plugin that pickles, per audience, what its pages were made from and the truth behind it."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    @lisite.hookimpl
    def lisite_check_output(self, audience, files, ctx):
        truth_for = replace(audience, min_count=1)
        records = []
        for key, staged in ctx.staged_cache.items():
            if key[0] != audience.id or len(key) != 2:
                continue
            indicator = ctx.all_indicators[key[1]]
            window = ctx.staged_cache.get((audience.id, key[1], WINDOW))
            true_periods, true_window = stage_with_window(indicator, ctx.results[key[1]], truth_for, WINDOW if window is not None else None)
            records.append(Record(key[1], staged.keys, staged.frame, window.frame if window is not None else None,
                                  true_periods.frame, true_window.frame if true_window is not None else None))
        (self.folder / f"{audience.id}.pickle").write_bytes(pickle.dumps((audience.min_count, records)))
        return []


@dataclass
class Record:
    indicator: str
    keys: tuple[str, ...]
    periods: pd.DataFrame
    window: pd.DataFrame | None
    true_periods: pd.DataFrame
    true_window: pd.DataFrame | None


def load(folder: Path, audience: str) -> tuple[int, list[Record]]:
    return pickle.loads((Path(folder) / f"{audience}.pickle").read_bytes())


@dataclass
class Cell:
    where: str  # "2026-07 kilde=Anonym", "12 mdr. til 2026-07 total"
    true: float
    shown: float | None  # None when hidden
    small: bool  # labelled "under N"


def cells(record: Record) -> tuple[list[Cell], list[tuple[list[int], list[int], bool]]]:
    """The record's cells and its sums, as (parts, totals, additive): sum of parts = sum of totals (or >=)."""
    out: list[Cell] = []
    index: dict[tuple, int] = {}
    frames = [(False, record.periods, record.true_periods)]
    if record.window is not None:
        frames.append((True, record.window, record.true_window))
    for in_window, shown, true in frames:
        truth = dict(zip([(p, *k) for p, k in zip(true["period"], cell_keys(true))], true["n"]))
        for period, key, hidden, small, n in zip(shown["period"], cell_keys(shown), shown["suppressed"], shown["small"], shown["n"]):
            if pd.isna(truth[(period, *key)]):
                continue
            where = f"{'12 mdr. til ' if in_window else ''}{period} {key[0] or 'i alt'}{'=' + key[1] if key[0] else ''}"
            index[(in_window, period, *key)] = len(out)
            out.append(Cell(where, float(truth[(period, *key)]), None if hidden else float(n), bool(small)))
    by_breakdown: dict[tuple, list[int]] = {}  # (in window, period, column) -> its cells, in order
    for (in_window, period, by, _), j in index.items():
        by_breakdown.setdefault((in_window, period, by), []).append(j)
    sums = []
    for (in_window, period, by, value), i in index.items():
        if by:
            continue
        for column in record.keys:
            parts = by_breakdown.get((in_window, period, column), [])
            if parts:
                additive = abs(sum(out[j].true for j in parts) - out[i].true) < TOLERANCE
                sums.append((parts, [i], additive))
    if record.window is not None:
        months = sorted({p for (w, p, *_) in index if not w})[-WINDOW:]
        for (in_window, period, by, value), i in index.items():
            if in_window:
                parts = [index[(False, m, by, value)] for m in months if (False, m, by, value) in index]
                sums.append((parts, [i], True))
    return out, sums


def attack(record: Record, min_count: int) -> list[str]:
    """Every hidden cell of ``record`` that the sums narrow beyond its label, in words."""
    found, relations = cells(record)
    hidden = [i for i, c in enumerate(found) if c.shown is None]
    if not hidden:
        return []
    for i, c in enumerate(found):  # the labels must be true, or nothing below means anything
        if c.shown is None and c.small and not 0 < c.true < min_count:
            return [f"{record.indicator} {c.where}: labelled under {min_count}, but is {c.true:g}"]
    problems = []
    for group in _components(hidden, relations):
        problems += _attack_group(record, found, group, relations, min_count)
    return problems


def _components(hidden: list[int], relations) -> list[list[int]]:
    """The hidden cells in groups that no sum connects: each is attacked on its own (smaller problems)."""
    parent = {i: i for i in hidden}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for parts, totals, _ in relations:
        members = [j for j in parts + totals if j in parent]
        for j in members[1:]:
            parent[root(j)] = root(members[0])
    groups: dict[int, list[int]] = {}
    for i in hidden:
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _attack_group(record, found, hidden, relations, min_count) -> list[str]:
    position = {cell: k for k, cell in enumerate(hidden)}
    bounds = [(1, min_count - 1) if found[i].small else (min_count, None) for i in hidden]
    equal_rows, equal_b, upper_rows, upper_b = [], [], [], []

    def linear(terms):
        row, constant = np.zeros(len(hidden)), 0.0
        for j, sign in terms:
            if found[j].shown is None:
                row[position[j]] += sign
            else:
                constant += sign * found[j].shown
        return row, constant

    for parts, totals, additive in relations:
        if not any(j in position for j in parts + totals):
            continue
        row, constant = linear([(j, 1.0) for j in parts] + [(j, -1.0) for j in totals])
        if additive:  # parts - totals = 0
            equal_rows.append(row), equal_b.append(-constant)
            continue
        upper_rows.append(-row), upper_b.append(constant)  # parts >= totals (a child counted under two kinds)
        for j in parts:  # and each part <= the total
            part_row, part_constant = linear([(j, 1.0)] + [(t, -1.0) for t in totals])
            if part_row.any():
                upper_rows.append(part_row), upper_b.append(-part_constant)
    # a few solutions for random objectives first: a cell they already show wide enough needs no more work
    seen_low, seen_high = np.full(len(hidden), np.inf), np.full(len(hidden), -np.inf)
    random = np.random.default_rng(0)
    objectives = [np.ones(len(hidden)), -np.ones(len(hidden))] + [random.choice([-1.0, 1.0], len(hidden)) for _ in range(6)]
    for objective in dict((o.tobytes(), o) for o in objectives).values():  # a few cells have few sign patterns: each once
        x = _solve(objective, bounds, equal_rows, equal_b, upper_rows, upper_b)
        if x is not None:
            seen_low, seen_high = np.minimum(seen_low, x), np.maximum(seen_high, x)
    problems = []
    for k, i in enumerate(hidden):
        needed = 1
        for direction in (-1.0, 1.0):  # the largest value, then the smallest, unless already seen wide enough
            if seen_high[k] - seen_low[k] >= needed - TOLERANCE:
                break
            objective = np.zeros(len(hidden))
            objective[k] = direction
            x = _solve(objective, bounds, equal_rows, equal_b, upper_rows, upper_b)
            if x is None:  # unbounded
                seen_high[k] = np.inf
                continue
            seen_low, seen_high = np.minimum(seen_low, x), np.maximum(seen_high, x)  # every cell's value in it counts
        low, high = seen_low[k], seen_high[k]
        cell = found[i]
        if cell.small and high - low < 1 - TOLERANCE:
            problems.append(f"{record.indicator} {cell.where}: 'under {min_count}' narrowed to {low:g}–{high:g} (true {cell.true:g})")
        elif not cell.small and high - low < 1 - TOLERANCE:
            problems.append(f"{record.indicator} {cell.where}: 'skjult' narrowed to {low:g}–{high:g} (true {cell.true:g})")
    return problems


def _solve(objective, bounds, equal_rows, equal_b, upper_rows, upper_b):
    """One optimal solution for ``objective``, or None when unbounded."""
    result = linprog(objective, A_ub=np.array(upper_rows) if upper_rows else None, b_ub=upper_b or None,
                     A_eq=np.array(equal_rows) if equal_rows else None, b_eq=equal_b or None, bounds=bounds, method="highs")
    if result.status == 2:
        raise AssertionError(f"the sums cannot hold together: {result.message}")
    return result.x if result.status == 0 else None
