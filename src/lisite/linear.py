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
share one model: only the objective changes, and each starts from where the last ended (:func:`_highs_model`). The
cells that stand in one sum only are one column for each such sum (:class:`Pooled`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

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
           known: np.ndarray | None = None, wide: np.ndarray | None = None) -> np.ndarray:
    """The hidden rows whose value the sums and labels leave exactly one possibility (less than one apart).

    ``low``/``high``: each row's label bounds (a shown row: its value twice); ``groups``: (row of the sum, rows of its
    parts, whether the parts add up to it: else they are at least the sum, and each at most the sum). ``known``: each
    row's real value, one solution the sums and labels allow, where the search starts (see :data:`FROM_KNOWN`); the
    rows found are the same without it (and when it does not hold, it is not used).

    ``wide``: the rows an earlier call on the same sums found to move by one or more, where every row hidden then is
    hidden now and no label is narrower (as in :func:`lisite.suppression.protect`'s rounds, which only hide more and
    widen labels): each still moves so, for the solutions that showed it extend to the cells hidden since (at their real
    values), so they are not asked again; every hidden row found to move by one or more here is added to it. The rows
    found are the same. Beside an archive of earlier reports a call asks again and again after hiding a cell or two
    (Læsø's report beside eleven earlier ones: 258 calls, 4,761 solves)."""
    found = _search(hidden, low, high, groups, known, wide)
    if found is None:
        return np.zeros(len(hidden), dtype=bool)
    if wide is not None:
        wide |= hidden & ~found
    return found


def _search(hidden: np.ndarray, low: np.ndarray, high: np.ndarray, groups: list[tuple[int, np.ndarray, bool]],
            known: np.ndarray | None, wide: np.ndarray | None) -> np.ndarray | None:
    """:func:`pinned`'s rows, or ``None`` when nothing can be said (no sum, or labels and sums that do not hold
    together): then no row is found, and none is known to move."""
    found = np.zeros(len(hidden), dtype=bool)
    rows = np.flatnonzero(hidden)
    if not len(rows):
        return found
    column = np.full(len(hidden), -1)
    column[rows] = np.arange(len(rows))
    finite = np.concatenate([low[np.isfinite(low)], high[np.isfinite(high)], [1.0]])
    ceiling = 1000.0 * float(np.abs(finite).max())  # "skjult" has no upper bound: a ceiling far above every count
    bounds = [(float(low[r]), float(high[r]) if math.isfinite(high[r]) else ceiling) for r in rows]
    equal, upper = [], []  # (coefficients by column, constant): sum == constant, sum <= constant
    for total, parts, additive in groups:
        cells = [*map(int, parts), int(total)]
        if not hidden[cells].any():
            continue
        signs = [1.0] * len(parts) + [-1.0]
        row, constant = _linear(cells, signs, hidden, column, low)
        if additive:
            equal.append((row, -constant))
            continue
        upper.append(({k: -v for k, v in row.items()}, constant))  # parts >= the sum (a child under two kinds)
        for part in map(int, parts):  # each part <= the sum
            row, constant = _linear([part, int(total)], [1.0, -1.0], hidden, column, low)
            if row:
                upper.append((row, -constant))
    if not equal and not upper:
        return None
    pooled = Pooled(equal, upper, bounds)
    equal, upper, bounds = pooled.equal, pooled.upper, pooled.bounds
    size = len(bounds)
    settled = pooled.all_of(wide[rows]) if wide is not None else np.zeros(size, dtype=bool)

    def narrowest() -> np.ndarray:  # how far each column moves, a settled one (every cell of it wide) as far as can be
        return np.where(settled, np.inf, pooled.narrowest(seen_low, seen_high))
    solve = _solver(equal, upper, bounds)
    seen_low, seen_high = np.full(size, np.inf), np.full(size, -np.inf)
    mixed = np.random.default_rng(0)
    start = pooled.point(known[rows]) if known is not None else None
    sides = np.array(bounds, dtype=float).reshape(-1, 2) if start is not None else None  # each column's (low, high)
    if start is not None and _holds(start, equal, upper, sides):
        # The real values are a solution: each cell's range starts there, and the first solves push each cell that has
        # not moved by one yet toward the side it has more room on (a cell of 1 "under 5" up, one of 4 down).
        seen_low, seen_high = start.copy(), start.copy()
        down = np.where(start - sides[:, 0] >= sides[:, 1] - start, 1.0, -1.0)
        first, only_open = [sign * down for sign in FROM_KNOWN], True  # each asked of the cells not moved yet
    else:
        first, only_open = [np.ones(size), -np.ones(size), *(mixed.choice([-1.0, 1.0], size) for _ in range(4))], False
    for objective in first:
        open_ = narrowest() < 1 - TOLERANCE
        if not open_.any():
            return found  # every cell has moved by one or more already (12 % of a small municipality's solves)
        x = solve(np.where(open_, objective, 0.0) if only_open else objective)
        if x is None:  # the labels and sums do not hold together (a label the engine set is wrong): nothing to say
            return None
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
            return None
        seen_low, seen_high = np.minimum.reduce([seen_low, most, least]), np.maximum.reduce([seen_high, most, least])
        if weights @ most - weights @ least < TOLERANCE and (seen_high[open_] - seen_low[open_] < TOLERANCE).all():
            found[rows[pooled.pinned(seen_low, seen_high)]] = True
            return found & ~wide if wide is not None else found
    blocks = _blocks([row for row, _ in (*equal, *upper)], size)
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
            return None
        seen_low, seen_high = np.minimum(seen_low, x), np.maximum(seen_high, x)
    found[rows[pooled.pinned(seen_low, seen_high)]] = True
    return found & ~wide if wide is not None else found


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

    def __init__(self, equal: list[tuple[dict[int, float], float]], upper: list[tuple[dict[int, float], float]],
                 bounds: list[tuple[float, float]]) -> None:
        pools = self.pools(equal, upper, len(bounds))
        pooled = np.zeros(len(bounds), dtype=bool)
        for pool in pools:
            pooled[pool] = True
        kept = np.flatnonzero(~pooled)
        column = np.full(len(bounds), -1)
        column[kept] = np.arange(len(kept))
        low = np.array([side for side, _ in bounds], dtype=float)
        high = np.array([side for _, side in bounds], dtype=float)
        self.bounds = [bounds[k] for k in kept]
        self.cells = kept  # the cell of each column not a pool
        members, of = [], []
        self.equal = []
        for (row, constant), pool in zip(equal, pools):
            reduced = {int(column[k]): v for k, v in row.items() if not pooled[k]}
            if pool:
                reduced[len(self.bounds)] = 1.0
                members += pool
                of += [len(self.bounds)] * len(pool)
                self.bounds.append((float(low[pool].sum()), float(high[pool].sum())))
            self.equal.append((reduced, constant))
        self.upper = [({int(column[k]): v for k, v in row.items()}, constant) for row, constant in upper]
        self.members, self.of = np.array(members, dtype=int), np.array(of, dtype=int)
        pool_low = np.array([side for side, _ in self.bounds], dtype=float)
        pool_high = np.array([side for _, side in self.bounds], dtype=float)
        # for each pooled cell: what the others of its pool add up to at the least and at the most
        self.others_low = pool_low[self.of] - low[self.members]
        self.others_high = pool_high[self.of] - high[self.members]
        self.low, self.high = low[self.members], high[self.members]

    @staticmethod
    def pools(equal: list[tuple[dict[int, float], float]], upper: list[tuple[dict[int, float], float]],
              size: int) -> list[list[int]]:
        """For each sum of ``equal``, the columns pooled: its parts that stand in no other sum, when there are two or more."""
        used = np.zeros(size, dtype=int)
        for row, _ in (*equal, *upper):
            used[list(row)] += 1
        pools = [[k for k, v in row.items() if v == 1.0 and used[k] == 1] for row, _ in equal]
        return [pool if len(pool) > 1 else [] for pool in pools]

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


def _holds(x: np.ndarray, equal: list[tuple[dict[int, float], float]], upper: list[tuple[dict[int, float], float]],
           bounds: list[tuple[float, float]] | np.ndarray) -> bool:
    """Is ``x`` a solution: every sum of ``equal`` its constant and of ``upper`` at most it, every column within its
    bounds (each column's (low, high), as a list or an array of two columns; each to within :data:`TOLERANCE`)?"""
    sides = np.asarray(bounds, dtype=float).reshape(-1, 2)
    if not ((sides[:, 0] - TOLERANCE <= x) & (x <= sides[:, 1] + TOLERANCE)).all():
        return False
    rows = [row for row, _ in (*equal, *upper)]
    if not rows:
        return True
    start, index, value = _columnwise(rows, len(x))
    sums = np.bincount(index, weights=value * np.repeat(x, np.diff(start)), minlength=len(rows))
    constants = np.array([constant for _, constant in (*equal, *upper)], dtype=float)
    return bool((np.abs(sums[:len(equal)] - constants[:len(equal)]) <= TOLERANCE).all()
                and (sums[len(equal):] <= constants[len(equal):] + TOLERANCE).all())


def _blocks(rows: list[dict[int, float]], size: int) -> list[list[int]]:
    """The ``size`` columns in groups that no constraint (``rows``: coefficients by column) connects, each group in
    order and the groups by their first column: one cell of each is asked for per solve."""
    parent = list(range(size))

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


def _columnwise(rows: list[dict[int, float]], size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The constraints (coefficients by column, one dict a row) as HiGHS takes a matrix by columns: where each column
    starts, the row of each coefficient (in order within a column) and the coefficients."""
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    count = int(lengths.sum())
    row = np.repeat(np.arange(len(rows), dtype=np.int32), lengths)
    column = np.fromiter((k for coefficients in rows for k in coefficients), dtype=np.int64, count=count)
    value = np.fromiter((v for coefficients in rows for v in coefficients.values()), dtype=float, count=count)
    order = np.lexsort((row, column))
    start = np.zeros(size + 1, dtype=np.int32)
    np.cumsum(np.bincount(column, minlength=size), out=start[1:])
    return start, row[order], value[order]


def _highs_model(equal: list[tuple[dict[int, float], float]], upper: list[tuple[dict[int, float], float]],
                 bounds: list[tuple[float, float]]) -> Callable[[np.ndarray], np.ndarray | None]:
    """``solve(objective)``: a solution with the least value of ``objective @ x`` (``None`` when the constraints do
    not hold together), for the sums ``equal`` (== constant) and ``upper`` (<= constant) and the columns' ``bounds``.
    One HiGHS model for every objective, each solve starting from the last one's basis (only the objective changes, so
    the last solution is a feasible start): on 16 times the demo's cases 5.6 s of solves became 2.3 s, on the demo
    1.7 s became 0.2 s."""
    import highspy

    size, rows = len(bounds), len(equal) + len(upper)
    start, index, value = _columnwise([row for row, _ in (*equal, *upper)], size)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = size, rows
    lp.col_cost_ = np.zeros(size)
    lp.col_lower_, lp.col_upper_ = (np.array(side, dtype=float) for side in zip(*bounds))
    lp.row_lower_ = np.array([constant for _, constant in equal] + [-np.inf] * len(upper), dtype=float)
    lp.row_upper_ = np.array([constant for _, constant in (*equal, *upper)], dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = size, rows
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, index, value
    model = highspy._Highs()  # (highspy.Highs, made on it, prints HiGHS's banner when it is made)
    model.setOptionValue("output_flag", False)
    # Between solves only the objective changes, so the last solution stays feasible and the primal simplex goes on from
    # it; the models are small and plain (every coefficient 1 or -1), so HiGHS's presolve only costs time. Both together,
    # over a build's calls: Læsø 0.23 → 0.18 s, the demo 0.064 → 0.056 s, 16 times the demo's cases 0.53 → 0.47 s.
    model.setOptionValue("simplex_strategy", 4)  # primal
    model.setOptionValue("presolve", "off")
    model.passModel(lp)
    columns = np.arange(size, dtype=np.int32)

    def solve(objective: np.ndarray) -> np.ndarray | None:
        model.changeColsCost(size, columns, np.asarray(objective, dtype=float))
        model.run()
        if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.array(model.getSolution().col_value)

    return solve


def ready() -> None:
    """Import the solver: the build does this once before it forks the workers that make the audiences' pages,
    instead of each worker on its own."""
    import highspy  # noqa: F401


def _each_anew(equal: list[tuple[dict[int, float], float]], upper: list[tuple[dict[int, float], float]],
               bounds: list[tuple[float, float]]) -> Callable[[np.ndarray], np.ndarray | None]:
    """``solve(objective)`` as :func:`_solver`, with a new model for each objective (no basis kept between solves):
    the tests find the same cells both ways."""
    return lambda objective: _highs_model(equal, upper, bounds)(objective)


_solver = _highs_model  # how pinned() solves (the tests put _each_anew in its place)
