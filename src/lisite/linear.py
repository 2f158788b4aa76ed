"""What a reader can work out of hidden cells by adding the sums up, by linear programming: for
:func:`lisite.suppression.protect`, after its interval bounds (:func:`lisite.bounds.narrowest`) find nothing more.

Interval bounds work the sums through one at a time; a reader with a spreadsheet can combine them (this month's
breakdown, last month's, and the 12-month sum of each cell together), and that can pin a hidden cell the intervals
leave wide. Here every sum with a hidden cell is one linear constraint, every label a bound ("under N": 1 to N-1;
"skjult": N or more, or 1 or more for a small sum labelled so), and the smallest and largest value of each hidden cell
are found with the HiGHS solver (``highspy``, HiGHS's own bindings). A few solutions for mixed objectives first show
most cells wide; then the largest and smallest of a random signed weighting of the cells not yet moved, until the two
are equal (every such cell is fixed) or a few rounds have passed; only the cells left after that are asked for their
own least and largest value, one cell of each group of connected cells per solve. (On 16 times the demo's cases the
largest call, 12,981 hidden cells, took 261 solves and 40 s asked one by one, and 64 solves and 9 s so.) The solves
share one model: only the objective changes, and each starts from where the last ended, the first from a basis made
from the real values where they are known (:func:`_highs_model`); the model is made from the sums' flat arrays
(:class:`Rows`). The cells that stand in one sum only are one column for each such sum (:class:`Pooled`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import numpy as np

from lisite.bounds import FlatSums

TOLERANCE = 1e-6
ROUNDS = 8  # random weightings of the cells not yet moved, before the rest are asked one by one
#: The weights of a round lie between 1 and e**SPREAD (about 55), spread evenly on a log scale: on 16 times the demo's
#: cases the rounds took as many solves as with weights between 0.5 and 1.5, in 30 % less time (0.58-0.63 s against
#: 0.82-0.89 s for the largest call, five seeds); on the demo and Læsø the same time.
SPREAD = 4.0
#: With the real values known (``pinned(known=)``), the first solves push each cell not yet moved by one toward the side
#: it has more room on, and those still not moved by one once more (a sign for each solve: pushed the other way the
#: second time, the solution came back to where it started), in place of the six first objectives. Over all the calls
#: of a build: Læsø 437 solves in 0.23 s instead of 634 in 0.27 s, the demo 110 in 0.07 s instead of 237 in 0.09 s,
#: 16 times the demo's cases 139 in 0.52 s instead of 179 in 0.58 s.
FROM_KNOWN = (1.0, 1.0)


def pinned(hidden: np.ndarray, low: np.ndarray, high: np.ndarray, groups: list[tuple[int, np.ndarray, bool]],
           known: np.ndarray | None = None, wide: np.ndarray | None = None, sums: FlatSums | None = None) -> np.ndarray:
    """The hidden rows whose value the sums and labels leave exactly one possibility (less than one apart).

    ``low``/``high``: each row's label bounds (a shown row: its value twice); ``groups``: (row of the sum, rows of its
    parts, whether the parts add up to it: else they are at least the sum, and each at most the sum). ``known``: each
    row's real value, one solution the sums and labels allow, where the search starts (see :data:`FROM_KNOWN`); the
    rows found are the same without it (and when it does not hold, it is not used). ``sums``: the same groups as flat
    arrays (:class:`lisite.bounds.FlatSums`, which :func:`lisite.suppression.protect` makes once for its rounds); made
    here when not given.

    ``wide``: the rows an earlier call on the same sums found to move by one or more, where every row hidden then is
    hidden now and no label is narrower (as in :func:`lisite.suppression.protect`'s rounds, which only hide more and
    widen labels): each still moves so, for the solutions that showed it extend to the cells hidden since (at their real
    values), so they are not asked again; every hidden row found to move by one or more here is added to it. The rows
    found are the same. Beside an archive of earlier reports a call asks again and again after hiding a cell or two
    (Læsø's report beside eleven earlier ones: 258 calls, 4,761 solves)."""
    sums = sums if sums is not None else FlatSums(groups, np.zeros(len(hidden)))
    found = _search(hidden, low, high, sums, known, wide)
    if found is None:
        return np.zeros(len(hidden), dtype=bool)
    if wide is not None:
        wide |= hidden & ~found
    return found


def _search(hidden: np.ndarray, low: np.ndarray, high: np.ndarray, sums: FlatSums,
            known: np.ndarray | None, wide: np.ndarray | None) -> np.ndarray | None:
    """:func:`pinned`'s rows, or ``None`` when nothing can be said (no sum, or labels and sums that do not hold
    together): then no row is found, and none is known to move. Where the real values are a solution (``known``), the
    labels and sums hold together, and a solve that still finds none is the solver's failure: asked again of a new
    model (:func:`_again`), and should that fail too, every row no solution has moved by one yet is taken as pinned
    (``unsolved``): more is hidden, never a row shown that the sums may pin."""
    found = np.zeros(len(hidden), dtype=bool)
    rows = np.flatnonzero(hidden)
    if not len(rows):
        return found
    pooled = _model(hidden, low, high, sums)
    if pooled is None:
        return None
    equal, upper, bounds = pooled.equal, pooled.upper, pooled.bounds
    size = len(bounds)
    settled = pooled.all_of(wide[rows]) if wide is not None else np.zeros(size, dtype=bool)

    def narrowest() -> np.ndarray:  # how far each column moves, a settled one (every cell of it wide) as far as can be
        return np.where(settled, np.inf, pooled.narrowest(seen_low, seen_high))
    seen_low, seen_high = np.full(size, np.inf), np.full(size, -np.inf)
    mixed = np.random.default_rng(0)
    start = pooled.point(known[rows]) if known is not None else None
    start = start if start is not None and _holds(start, equal, upper, bounds) else None
    solve = _solver(equal, upper, bounds, start)
    if start is not None:  # the model has a solution: one a solve does not find is asked for again (see above)
        solve = _again(solve, equal, upper, bounds)

    def answer() -> np.ndarray:  # the rows no solution seen has moved by one (not those an earlier call found wide)
        found[rows[pooled.pinned(seen_low, seen_high)]] = True
        return found & ~wide if wide is not None else found

    def unsolved() -> np.ndarray | None:  # a solve found no solution: see above
        return None if start is None else answer()
    if start is not None:
        # The real values are a solution: each cell's range starts there, and the first solves push each cell that has
        # not moved by one yet toward the side it has more room on (a cell of 1 "under 5" up, one of 4 down).
        seen_low, seen_high = start.copy(), start.copy()
        down = np.where(start - bounds[:, 0] >= bounds[:, 1] - start, 1.0, -1.0)
        first, only_open = [sign * down for sign in FROM_KNOWN], True  # each asked of the cells not moved yet
    else:
        first, only_open = [np.ones(size), -np.ones(size), *(mixed.choice([-1.0, 1.0], size) for _ in range(4))], False
    for objective in first:
        open_ = narrowest() < 1 - TOLERANCE
        if not open_.any():
            return found  # every cell has moved by one or more already (12 % of a small municipality's solves)
        x = solve(np.where(open_, objective, 0.0) if only_open else objective)
        if x is None:  # without the real values: the labels and sums do not hold together, nothing to say
            return unsolved()
        seen_low, seen_high = np.minimum(seen_low, x), np.maximum(seen_high, x)
    # The cells no solution has moved yet: the largest and the smallest of a random weighting of them. Where the two
    # are equal, that weighting is the same in every solution, and so (but for weights chosen on a set of measure
    # zero) is every one of them; where not, the two solutions move some of them, and those are asked no more.
    for _ in range(ROUNDS):
        open_ = np.flatnonzero(narrowest() < 1 - TOLERANCE)
        if not len(open_):
            return found
        weights = np.zeros(size)
        weights[open_] = np.exp(mixed.uniform(0.0, SPREAD, len(open_))) * mixed.choice([-1.0, 1.0], len(open_))
        most, least = solve(-weights), solve(weights)
        if most is None or least is None:
            return unsolved()
        seen_low, seen_high = np.minimum.reduce([seen_low, most, least]), np.maximum.reduce([seen_high, most, least])
        if weights @ most - weights @ least < TOLERANCE and (seen_high[open_] - seen_low[open_] < TOLERANCE).all():
            return answer()
    blocks = _blocks(equal.joined(upper), size)
    narrow = narrowest()
    asked = [[k for k in block if narrow[k] < 1 - TOLERANCE] for block in blocks]  # the rest, one by one
    steps = [0] * len(blocks)
    while True:
        narrow = narrowest()
        objective = np.zeros(size)
        for b, block in enumerate(asked):
            while steps[b] < 2 * len(block) and narrow[block[steps[b] // 2]] >= 1 - TOLERANCE:
                steps[b] += 2 - steps[b] % 2  # wide already: on to the next cell
            if steps[b] < 2 * len(block):
                objective[block[steps[b] // 2]] = (1.0, -1.0)[steps[b] % 2]
                steps[b] += 1
        if not objective.any():
            break
        x = solve(objective)
        if x is None:
            return unsolved()
        seen_low, seen_high = np.minimum(seen_low, x), np.maximum(seen_high, x)
    return answer()


def _again(solve: Callable[[np.ndarray], np.ndarray | None], equal: Rows, upper: Rows,
           bounds: np.ndarray) -> Callable[[np.ndarray], np.ndarray | None]:
    """``solve``, and an objective it finds no solution for asked again of a new model, from scratch (no basis kept,
    none made from a start): where the model is known to have a solution, a failure is the solver's."""
    def again(objective: np.ndarray) -> np.ndarray | None:
        x = solve(objective)
        return x if x is not None else _solver(equal, upper, bounds)(objective)
    return again


def _model(hidden: np.ndarray, low: np.ndarray, high: np.ndarray, sums: FlatSums) -> Pooled | None:
    """The model :func:`_search` solves: a column for each hidden row (in their order) between its labels' bounds,
    the sums with a hidden row as constraints (:func:`_constraints`), pooled (:class:`Pooled`); ``None`` without a sum."""
    rows = np.flatnonzero(hidden)
    column = np.full(len(hidden), -1)
    column[rows] = np.arange(len(rows))
    finite = np.concatenate([low[np.isfinite(low)], high[np.isfinite(high)], [1.0]])
    ceiling = 1000.0 * float(np.abs(finite).max())  # "skjult" has no upper bound: a ceiling far above every count
    bounds = np.column_stack([low[rows], np.where(np.isfinite(high[rows]), high[rows], ceiling)]).astype(float)
    equal, upper = _constraints(hidden, low, sums, column)
    if not len(equal) and not len(upper):
        return None
    return Pooled(equal, upper, bounds)


class Rows:
    """Linear sums, one a row, as arrays (compressed by rows): row ``r``'s coefficients are
    ``value[start[r]:start[r + 1]]``, at the columns ``column[start[r]:start[r + 1]]`` (a column once in a row), and
    ``constant[r]`` is its constant. :func:`_constraints` makes them from the flat sums in a few passes in numpy, where
    a dict a row took a step in Python for every cell of every sum, at every round of the suppression (København's
    leaders beside three earlier reports: 200,000 sums in 300 calls, 11 s of a 42 s build, now under 1 s)."""

    def __init__(self, start: np.ndarray, column: np.ndarray, value: np.ndarray, constant: np.ndarray) -> None:
        self.start = np.asarray(start, dtype=np.int64)
        self.column = np.asarray(column, dtype=np.int64)
        self.value = np.asarray(value, dtype=float)
        self.constant = np.asarray(constant, dtype=float)

    @classmethod
    def of(cls, rows: Rows | list[tuple[dict[int, float], float]]) -> Rows:
        """Rows from (coefficients by column, constant) pairs (as the tests write them); Rows as they are."""
        if isinstance(rows, Rows):
            return rows
        lengths = np.array([len(row) for row, _ in rows], dtype=np.int64)
        return cls(np.concatenate([[0], np.cumsum(lengths)]), [k for row, _ in rows for k in row],
                   [v for row, _ in rows for v in row.values()], [constant for _, constant in rows])

    @classmethod
    def added(cls, row: np.ndarray, column: np.ndarray, value: np.ndarray, constant: np.ndarray) -> Rows:
        """Rows from coefficients (row, column, value) in any order: those of a column that comes twice in a row added
        up, and those that come to 0 left out (a row may be left with none); ``constant``: each row's."""
        order = np.lexsort((column, row))
        row, column, value = row[order], column[order], value[order]
        if len(row):
            first = np.flatnonzero(np.r_[True, (row[1:] != row[:-1]) | (column[1:] != column[:-1])])
            row, column, value = row[first], column[first], np.add.reduceat(value, first)
        kept = value != 0
        row, column, value = row[kept], column[kept], value[kept]
        start = np.zeros(len(constant) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=len(constant)), out=start[1:])
        return cls(start, column, value, constant)

    def __len__(self) -> int:
        return len(self.constant)

    def rows(self) -> np.ndarray:
        """The row of each coefficient."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.start))

    def joined(self, other: Rows) -> Rows:
        """These rows, then ``other``'s."""
        return Rows(np.concatenate([self.start, other.start[1:] + self.start[-1]]), np.concatenate([self.column, other.column]),
                    np.concatenate([self.value, other.value]), np.concatenate([self.constant, other.constant]))

    def columns(self) -> list[list[int]]:
        """Each row's columns."""
        return [self.column[a:b].tolist() for a, b in zip(self.start[:-1].tolist(), self.start[1:].tolist())]


def _constraints(hidden: np.ndarray, low: np.ndarray, sums: FlatSums, column: np.ndarray) -> tuple[Rows, Rows]:
    """The sums with a hidden cell in them, as sums of the hidden cells (``column``: each hidden row's column; a shown
    cell's value, ``low``, goes to the constant): ``equal`` (== constant), a row for each sum whose parts add up to it
    (the parts less the sum), in the sums' order; ``upper`` (<= constant), for each other sum (a child under two kinds)
    that its parts are at least the sum and each part at most the sum."""
    part, group, total = sums.part, sums.group, sums.total
    active = np.zeros(sums.count, dtype=bool)
    active[group[hidden[part]]] = True
    active |= hidden[total]
    adding = active & sums.additive
    number = np.cumsum(adding) - 1  # each adding sum's row
    of_part = adding[group]
    cells = np.concatenate([part[of_part], total[adding]])  # each sum's parts, then (after all of them) its total
    row = np.concatenate([number[group[of_part]], number[adding]])
    sign = np.concatenate([np.ones(int(of_part.sum())), -np.ones(int(adding.sum()))])
    shown = ~hidden[cells]
    constant = np.bincount(row[shown], weights=sign[shown] * low[cells[shown]], minlength=int(adding.sum()))
    equal = Rows.added(row[~shown], column[cells[~shown]], sign[~shown], -constant)
    upper: list[tuple[dict[int, float], float]] = []
    for g in np.flatnonzero(active & ~sums.additive):  # (few: most sums add up)
        total_row, parts, _ = sums.groups[g]
        coefficients, constant_g = _linear([*map(int, parts), int(total_row)], [1.0] * len(parts) + [-1.0], hidden, column, low)
        upper.append(({k: -v for k, v in coefficients.items()}, constant_g))  # parts >= the sum
        for one in map(int, parts):  # each part <= the sum
            coefficients, constant_g = _linear([one, int(total_row)], [1.0, -1.0], hidden, column, low)
            if coefficients:
                upper.append((coefficients, -constant_g))
    return equal, Rows.of(upper)


class Pooled:
    """The model with the hidden cells that stand in one sum only, and there as a part, pooled: one column for the
    parts of each sum that has two or more such cells, between the least and the largest they can add up to.

    Such cells are constrained by nothing but their bounds and that one sum, so any value of the pool the other sums
    allow can be shared out among them, and each cell takes any value from the least to the largest it can have while
    the others stay within their bounds: a cell i of a pool between ``lo`` and ``hi`` ranges from
    ``max(low_i, lo - (sum of highs - high_i))`` to ``min(high_i, hi - (sum of lows - low_i))``. The cells pinned are
    the same (``test_linear`` asks each cell of random tables alone). On 16 times the demo's cases, where most of a
    caseworker's months are in that month's total only, the largest model (12,981 hidden cells) has 4,367 columns so,
    and its solves take half the time.

    ``equal``, ``upper``, ``bounds``: the model with the pools (the cells not pooled keep their columns, in their order,
    each pool a column after them); :meth:`narrowest` and :meth:`pinned` read a solution's ranges back to the cells."""

    def __init__(self, equal: Rows | list[tuple[dict[int, float], float]], upper: Rows | list[tuple[dict[int, float], float]],
                 bounds: np.ndarray | list[tuple[float, float]]) -> None:
        equal, upper = Rows.of(equal), Rows.of(upper)
        bounds = np.asarray(bounds, dtype=float).reshape(-1, 2)
        pooled_entry = self.pools(equal, upper, len(bounds))  # which coefficients of equal are a pooled cell's
        pooled = np.zeros(len(bounds), dtype=bool)
        pooled[equal.column[pooled_entry]] = True
        kept = np.flatnonzero(~pooled)
        column = np.full(len(bounds), -1)
        column[kept] = np.arange(len(kept))
        row = equal.rows()
        with_pool = np.unique(row[pooled_entry])  # the sums with a pool, in order: a column each, after the cells kept
        pool_of = np.full(len(equal), -1)
        pool_of[with_pool] = len(kept) + np.arange(len(with_pool))
        own = ~pooled_entry
        self.equal = Rows.added(np.concatenate([row[own], with_pool]), np.concatenate([column[equal.column[own]], pool_of[with_pool]]),
                                np.concatenate([equal.value[own], np.ones(len(with_pool))]), equal.constant)
        self.upper = Rows(upper.start, column[upper.column], upper.value, upper.constant)  # (a pooled cell is in one sum only)
        self.cells = kept  # the cell of each column not a pool
        self.members, self.of = equal.column[pooled_entry], pool_of[row[pooled_entry]]
        low, high = bounds[:, 0], bounds[:, 1]
        place = self.of - len(kept)
        pools = np.column_stack([np.bincount(place, low[self.members], len(with_pool)),
                                 np.bincount(place, high[self.members], len(with_pool))])
        self.bounds = np.concatenate([bounds[kept], pools])
        pool_low, pool_high = self.bounds[:, 0], self.bounds[:, 1]
        # for each pooled cell: what the others of its pool add up to at the least and at the most
        self.others_low = pool_low[self.of] - low[self.members]
        self.others_high = pool_high[self.of] - high[self.members]
        self.low, self.high = low[self.members], high[self.members]

    @staticmethod
    def pools(equal: Rows, upper: Rows, size: int) -> np.ndarray:
        """Which coefficients of ``equal`` are a pooled cell's: a part (coefficient 1) that stands in no other sum, in a sum
        with two or more such parts."""
        used = np.bincount(np.concatenate([equal.column, upper.column]), minlength=size)
        alone = (equal.value == 1.0) & (used[equal.column] == 1)
        row = equal.rows()
        return alone & (np.bincount(row[alone], minlength=len(equal)) > 1)[row]

    def all_of(self, cells: np.ndarray) -> np.ndarray:
        """For each column, whether ``cells`` (a mask in the hidden cells' order) holds its cell (a pool: every one of them)."""
        columns = np.zeros(len(self.bounds), dtype=bool)
        columns[:len(self.cells)] = cells[self.cells]
        if len(self.members):
            pools = np.ones(len(self.bounds) - len(self.cells), dtype=bool)
            np.logical_and.at(pools, self.of - len(self.cells), cells[self.members])
            columns[len(self.cells):] = pools
        return columns

    def point(self, values: np.ndarray) -> np.ndarray:
        """The model's columns for the hidden cells' ``values`` (in the cells' order): a pool's is its cells' sum."""
        values = np.asarray(values, dtype=float)
        pools = np.zeros(len(self.bounds) - len(self.cells))
        np.add.at(pools, self.of - len(self.cells), values[self.members])
        return np.concatenate([values[self.cells], pools])

    def ranges(self, seen_low: np.ndarray, seen_high: np.ndarray) -> np.ndarray:
        """How far each pooled cell moves when its pool moves from ``seen_low`` to ``seen_high``."""
        return (np.minimum(self.high, seen_high[self.of] - self.others_low)
                - np.maximum(self.low, seen_low[self.of] - self.others_high))

    def narrowest(self, seen_low: np.ndarray, seen_high: np.ndarray) -> np.ndarray:
        """For each column, how far it moves (a pool: the least its cells move) in the solutions seen."""
        width = seen_high - seen_low
        if len(self.members):
            narrow = np.full(len(width), np.inf)
            np.minimum.at(narrow, self.of, self.ranges(seen_low, seen_high))
            width = np.where(np.isfinite(narrow), narrow, width)
        return width

    def pinned(self, seen_low: np.ndarray, seen_high: np.ndarray) -> np.ndarray:
        """The cells (by their place among the hidden cells) that move less than one."""
        found = self.cells[(seen_high - seen_low)[:len(self.cells)] < 1 - TOLERANCE]
        if len(self.members):
            found = np.concatenate([found, self.members[self.ranges(seen_low, seen_high) < 1 - TOLERANCE]])
        return np.sort(found)


def _linear(cells: list[int], signs: list[float], hidden: np.ndarray, column: np.ndarray, low: np.ndarray) -> tuple[dict[int, float], float]:
    """Coefficients of the hidden cells (by column) and the constant of the shown ones."""
    row: dict[int, float] = {}
    constant = 0.0
    for cell, sign in zip(cells, signs):
        if hidden[cell]:
            row[int(column[cell])] = row.get(int(column[cell]), 0.0) + sign
        else:
            constant += sign * float(low[cell])
    return {k: v for k, v in row.items() if v}, constant


def _holds(x: np.ndarray, equal: Rows | list[tuple[dict[int, float], float]], upper: Rows | list[tuple[dict[int, float], float]],
           bounds: list[tuple[float, float]] | np.ndarray) -> bool:
    """Is ``x`` a solution: every sum of ``equal`` its constant and of ``upper`` at most it, every column within its
    bounds (each column's (low, high), as a list or an array of two columns; each to within :data:`TOLERANCE`)?"""
    sides = np.asarray(bounds, dtype=float).reshape(-1, 2)
    if not ((sides[:, 0] - TOLERANCE <= x) & (x <= sides[:, 1] + TOLERANCE)).all():
        return False
    equal, upper = Rows.of(equal), Rows.of(upper)
    both = equal.joined(upper)
    if not len(both):
        return True
    sums = np.bincount(both.rows(), weights=both.value * x[both.column], minlength=len(both))
    return bool((np.abs(sums[:len(equal)] - equal.constant) <= TOLERANCE).all()
                and (sums[len(equal):] <= upper.constant + TOLERANCE).all())


def _blocks(rows: Rows | list[dict[int, float]], size: int) -> list[list[int]]:
    """The ``size`` columns in groups that no constraint (``rows``: coefficients by column) connects, each group in
    order and the groups by their first column: one cell of each is asked for per solve."""
    parent = list(range(size))
    rows = rows.columns() if isinstance(rows, Rows) else [list(row) for row in rows]

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for row in rows:
        columns = list(row)
        joined = root(columns[0]) if columns else -1
        for k in columns[1:]:
            other = root(k)
            if other != joined:
                low, high = min(other, joined), max(other, joined)
                parent[high] = low  # a group's root is its first column
                joined = low
    found: dict[int, list[int]] = {}
    for k in range(size):
        found.setdefault(root(k), []).append(k)
    return list(found.values())


def _columnwise(rows: Rows | list[dict[int, float]], size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The constraints (``rows``, or coefficients by column, one dict a row) as HiGHS takes a matrix by columns: where
    each column starts, the row of each coefficient (in order within a column) and the coefficients."""
    rows = rows if isinstance(rows, Rows) else Rows.of([(row, 0.0) for row in rows])
    row, column = rows.rows().astype(np.int32), rows.column
    order = np.lexsort((row, column))
    start = np.zeros(size + 1, dtype=np.int32)
    np.cumsum(np.bincount(column, minlength=size), out=start[1:])
    return start, row[order], rows.value[order]


def _highs_model(equal: Rows | list[tuple[dict[int, float], float]], upper: Rows | list[tuple[dict[int, float], float]],
                 bounds: np.ndarray | list[tuple[float, float]], start: np.ndarray | None = None) -> Callable[[np.ndarray], np.ndarray | None]:
    """``solve(objective)``: a solution with the least value of ``objective @ x`` (``None`` when the constraints do
    not hold together), for the sums ``equal`` (== constant) and ``upper`` (<= constant) and the columns' ``bounds``.
    One HiGHS model for every objective, each solve starting from the last one's basis (only the objective changes, so
    the last solution is a feasible start): on 16 times the demo's cases 5.6 s of solves became 2.3 s, on the demo
    1.7 s became 0.2 s.

    ``start``: a solution (the real values), from which HiGHS's crossover makes the first basis, a feasible one, where
    the first solve would otherwise search for one from scratch: beside three earlier reports, København's leaders'
    tables took 33 ms for a model's first solve (9.8 s for 299 models) and 1 ms for each of the next."""
    import highspy

    equal, upper = Rows.of(equal), Rows.of(upper)
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 2)
    size, rows = len(bounds), len(equal) + len(upper)
    starts, index, value = _columnwise(equal.joined(upper), size)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = size, rows
    lp.col_cost_ = np.zeros(size)
    lp.col_lower_, lp.col_upper_ = bounds[:, 0].copy(), bounds[:, 1].copy()
    lp.row_lower_ = np.concatenate([equal.constant, np.full(len(upper), -np.inf)])
    lp.row_upper_ = np.concatenate([equal.constant, upper.constant])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = size, rows
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, index, value
    model = highspy._Highs()  # (highspy.Highs, made on it, prints HiGHS's banner when it is made)
    model.setOptionValue("output_flag", False)
    # Between solves only the objective changes, so the last solution stays feasible and the primal simplex goes on from
    # it; the models are small and plain (every coefficient 1 or -1), so HiGHS's presolve only costs time. Both together,
    # over a build's calls: Læsø 0.23 → 0.18 s, the demo 0.064 → 0.056 s, 16 times the demo's cases 0.53 → 0.47 s.
    model.setOptionValue("simplex_strategy", 4)  # primal
    model.setOptionValue("presolve", "off")
    model.setOptionValue("threads", 1)  # (see _scheduler)
    model.passModel(lp)
    if start is not None and hasattr(model, "crossover") and _scheduler():  # (an older highspy may lack it)
        solution = highspy.HighsSolution()
        solution.col_value, solution.value_valid = np.asarray(start, dtype=float).tolist(), True
        model.crossover(solution)  # (should it not succeed, the first solve starts from where it stopped: the same answers)
    columns = np.arange(size, dtype=np.int32)

    def solve(objective: np.ndarray) -> np.ndarray | None:
        model.changeColsCost(size, columns, np.asarray(objective, dtype=float))
        model.run()
        if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.array(model.getSolution().col_value)

    return solve


_SCHEDULED = threading.local()  # .pid: the process in which this thread has HiGHS's scheduler (see _scheduler)


def _scheduler() -> bool:
    """Whether HiGHS's task scheduler is there for this thread, as its crossover needs (it segfaults without one): HiGHS
    makes one for each thread, in its first ``run()``; here that is a run of an empty model, with the one thread every
    model here asks for, so the scheduler has no threads of its own that a forked worker would lack. Known per thread
    (``lisite serve`` builds in a new thread each time; a thread's number may be an ended one's) and per process. A run
    that fails says the scheduler is not as asked for (another part of the process made it): then no crossover."""
    import highspy

    if getattr(_SCHEDULED, "pid", None) != os.getpid():
        model = highspy._Highs()
        model.setOptionValue("output_flag", False)
        model.setOptionValue("threads", 1)
        if model.run() != highspy.HighsStatus.kOk:
            return False
        _SCHEDULED.pid = os.getpid()
    return True


def ready() -> None:
    """Import the solver: the build does this once before it forks the workers that make the audiences' pages,
    instead of each worker on its own."""
    import highspy  # noqa: F401


def _each_anew(equal: Rows, upper: Rows, bounds: np.ndarray, start: np.ndarray | None = None) -> Callable[[np.ndarray], np.ndarray | None]:
    """``solve(objective)`` as :func:`_solver`, with a new model for each objective (no basis kept between solves, and
    none made from ``start``): the tests find the same cells both ways."""
    return lambda objective: _highs_model(equal, upper, bounds)(objective)


_solver = _highs_model  # how pinned() solves (the tests put _each_anew in its place)
