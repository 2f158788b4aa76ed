"""lisite.linear: which hidden cells the sums and labels pin, the same with the HiGHS model kept between solves as
with a new model for each objective, and as each cell's own least and largest value finds them."""

from __future__ import annotations

import numpy as np
import pytest

from lisite import linear


@pytest.fixture(params=["kept", "anew"])
def solver(request, monkeypatch):
    """Each test runs with both ways of solving."""
    if request.param == "anew":
        monkeypatch.setattr(linear, "_solver", linear._each_anew)
    return request.param


def cells(values, hidden, labels):
    """(hidden, low, high) for shown values and hidden cells with (low, high) labels."""
    values = np.array(values, dtype=float)
    hidden = np.array(hidden)
    low, high = values.copy(), values.copy()
    for row, (lo, hi) in labels.items():
        low[row], high[row] = lo, hi
    return hidden, low, high


def test_cells_no_sum_connects_are_in_groups_of_their_own():
    """Columns 0 and 2 share a sum (with opposite signs), as do 2 and 3; column 1 is alone in its sum, 4 in none."""
    equal = [{0: 1.0, 2: -1.0}, {1: 1.0}]
    upper = [{3: 1.0, 2: 1.0}]
    assert linear._blocks(equal + upper, 5) == [[0, 2, 3], [1], [4]]
    assert linear._blocks(equal, 5) == [[0, 2], [1], [3], [4]]
    assert linear._blocks([{4: 1.0, 3: 1.0}, {2: 1.0, 1: 1.0}, {3: 1.0, 1: -1.0}, {}], 6) == [[0], [1, 2, 3, 4], [5]]


@pytest.mark.parametrize("seed", range(6))
def test_the_groups_are_the_connected_parts_of_the_sums(seed):
    """Against scipy's connected components of the graph of sums and columns, on random sparse sums."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(seed)
    size = int(rng.integers(5, 60))
    rows = [{int(k): 1.0 for k in rng.choice(size, rng.integers(1, 4), replace=False)} for _ in range(rng.integers(1, size))]
    matrix = sparse.csr_array(([1.0] * sum(map(len, rows)), ([r for r, row in enumerate(rows) for _ in row],
                                                             [k for row in rows for k in row])), shape=(len(rows), size))
    _, label = connected_components(sparse.bmat([[None, matrix], [matrix.T, None]]), directed=False)
    expected: dict[int, list[int]] = {}
    for k, group in enumerate(label[len(rows):]):
        expected.setdefault(int(group), []).append(k)
    assert linear._blocks(rows, size) == list(expected.values())


def test_the_model_is_passed_by_columns_in_order():
    start, index, value = linear._columnwise([{2: 1.0, 0: -1.0}, {}, {1: 1.0, 2: 2.0}], 4)
    assert start.tolist() == [0, 1, 2, 4, 4]
    assert index.tolist() == [0, 2, 0, 2] and value.tolist() == [-1.0, 1.0, 1.0, 2.0]


def test_three_sums_together_pin_what_each_alone_leaves_open(solver):
    hidden, low, high = cells([2, 3, 3, 5, 5, 6], [True, True, True, False, False, False], {0: (1, 4), 1: (1, 4), 2: (1, 4)})
    groups = [(3, np.array([0, 1]), True), (4, np.array([0, 2]), True), (5, np.array([1, 2]), True)]
    assert linear.pinned(hidden, low, high, groups).tolist() == [True, True, True, False, False, False]
    assert not linear.pinned(hidden, low, high, groups[:2]).any()


def test_a_child_under_two_kinds_the_parts_at_least_the_total_and_each_at_most_it(solver):
    # one child in all (shown); two kinds "under 5": each is at most 1 and at least 1, so both are pinned
    hidden, low, high = cells([1, 1, 1], [True, True, False], {0: (1, 4), 1: (1, 4)})
    assert linear.pinned(hidden, low, high, [(2, np.array([0, 1]), False)]).tolist() == [True, True, False]
    # three children in all: each kind 1 to 3, nothing pinned
    hidden, low, high = cells([2, 2, 3], [True, True, False], {0: (1, 4), 1: (1, 4)})
    assert not linear.pinned(hidden, low, high, [(2, np.array([0, 1]), False)]).any()


def test_labels_that_cannot_hold_together_say_nothing(solver):
    hidden, low, high = cells([1, 1, 5], [True, True, False], {0: (1, 1.5), 1: (1, 1.5)})
    assert not linear.pinned(hidden, low, high, [(2, np.array([0, 1]), True)]).any()


def test_a_skjult_cell_has_no_upper_label_and_still_can_be_pinned(solver):
    # a + b = 12 shown, a "skjult" (5 or more), b and c "under 5", b + c = 5 shown: b is 1 to 4 and a 8 to 11
    hidden, low, high = cells([9, 3, 2, 12, 5, 11], [True, True, True, False, False, False],
                              {0: (5, np.inf), 1: (1, 4), 2: (1, 4)})
    groups = [(3, np.array([0, 1]), True), (4, np.array([1, 2]), True)]
    assert not linear.pinned(hidden, low, high, groups).any()
    groups.append((5, np.array([0, 2]), True))  # a + c = 11 as well: b − c = 1 and b + c = 5, so b = 3, c = 2, a = 9
    assert linear.pinned(hidden, low, high, groups).tolist() == [True, True, True, False, False, False]


@pytest.mark.parametrize("seed", range(12))
def test_kept_and_anew_find_the_same_cells_in_random_tables(seed, monkeypatch):
    """Tables of months × teams with their totals, some cells "under 5": both ways pin the same cells."""
    rng = np.random.default_rng(seed)
    months, teams = rng.integers(2, 6), rng.integers(2, 5)
    grid = rng.integers(0, 9, size=(months, teams)).astype(float)
    values = np.concatenate([grid.ravel(), grid.sum(axis=1), grid.sum(axis=0), [grid.sum()]])
    size = months * teams
    hidden = np.zeros(len(values), dtype=bool)
    hidden[:size] = (grid.ravel() >= 1) & (grid.ravel() <= 4) & (rng.random(size) < 0.7)
    hidden[size:] = (values[size:] >= 1) & (values[size:] <= 4)
    low = np.where(hidden, 1.0, values)
    high = np.where(hidden, 4.0, values)
    groups = [(size + m, np.arange(m * teams, (m + 1) * teams), True) for m in range(months)]
    groups += [(size + months + t, np.arange(t, size, teams), True) for t in range(teams)]
    groups.append((size + months + teams, np.arange(size, size + months), True))
    kept = linear.pinned(hidden, low, high, groups)
    monkeypatch.setattr(linear, "_solver", linear._each_anew)
    anew = linear.pinned(hidden, low, high, groups)
    assert kept.tolist() == anew.tolist()
    assert kept.any() and not (kept & ~hidden).any()  # each of these tables has cells pinned, all of them hidden


def exact(hidden, low, high, groups):
    """The hidden cells that move less than one, each asked for its own least and largest value on the whole model
    (solved as the tests' attack solves, :func:`disclosure.lp_solver`): plainly right."""
    from disclosure import lp_solver
    from scipy import sparse

    rows = np.flatnonzero(hidden)
    column = {int(r): k for k, r in enumerate(rows)}
    ceiling = 1000.0 * float(np.abs(np.concatenate([low[np.isfinite(low)], high[np.isfinite(high)], [1.0]])).max())
    a_eq, b_eq = [], []
    for total, parts, _ in groups:
        cells = [*map(int, parts), int(total)]
        if not hidden[cells].any():
            continue
        line, constant = np.zeros(len(rows)), 0.0
        for cell, sign in zip(cells, [1.0] * len(parts) + [-1.0]):
            if hidden[cell]:
                line[column[cell]] += sign
            else:
                constant += sign * low[cell]
        a_eq.append(line)
        b_eq.append(-constant)
    bounds = [(low[r], high[r] if np.isfinite(high[r]) else ceiling) for r in rows]
    solve = lp_solver(bounds, sparse.csr_array(np.array(a_eq)) if a_eq else None, b_eq, None, [])
    found = np.zeros(len(hidden), dtype=bool)
    for k, r in enumerate(rows):
        target = np.zeros(len(rows))
        target[k] = 1.0
        least, most = solve(target), solve(-target)
        if least is None or most is None:
            return np.zeros(len(hidden), dtype=bool)
        found[r] = most[k] - least[k] < 1 - linear.TOLERANCE
    return found


def pooled_table(seed):
    """:func:`pooled_case` without its values."""
    return pooled_case(seed)[:4]


def pooled_case(seed):
    """Teams × months with each month's total and a 12-month sum for some of the teams only, as a caseworker-by-month
    table has: a cell of a team without one stands in its month's total alone (pooled). Counts are small, so many are
    hidden ("under 5", or "skjult" for a few) and some are pinned."""
    rng = np.random.default_rng(seed)
    months, teams = int(rng.integers(2, 6)), int(rng.integers(3, 7))
    grid = rng.choice([0, 1, 1, 2, 3, 5, 7], size=(months, teams)).astype(float)
    summed = [t for t in range(teams) if rng.random() < 0.4]
    size = months * teams
    values = np.concatenate([grid.ravel(), grid.sum(axis=1), grid[:, summed].sum(axis=0)])
    hidden = np.zeros(len(values), dtype=bool)
    hidden[:size] = (grid.ravel() >= 1) & (rng.random(size) < 0.8)
    hidden[size:] = (values[size:] >= 1) & (values[size:] <= 4) & (rng.random(len(values) - size) < 0.5)
    skjult = hidden & (values >= 5)
    low = np.where(skjult, 5.0, np.where(hidden, 1.0, values))
    high = np.where(skjult, np.inf, np.where(hidden, 4.0, values))
    groups = [(size + m, np.arange(m * teams, (m + 1) * teams), True) for m in range(months)]
    groups += [(size + months + i, np.arange(t, size, teams), True) for i, t in enumerate(summed)]
    return hidden, low, high, groups, values


@pytest.mark.parametrize("seed", range(40))
def test_cells_in_one_sum_only_pooled_pin_what_each_cell_asked_alone_pins(seed, solver):
    hidden, low, high, groups = pooled_table(seed)
    assert linear.pinned(hidden, low, high, groups).tolist() == exact(hidden, low, high, groups).tolist()


@pytest.mark.parametrize("seed", range(40))
def test_starting_from_the_real_values_pins_the_same_cells(seed, solver):
    hidden, low, high, groups, values = pooled_case(seed)
    assert linear.pinned(hidden, low, high, groups, known=values).tolist() == exact(hidden, low, high, groups).tolist()


def asking(asked: list):
    """A solver that solves as lisite's does and keeps each objective it is asked in ``asked``."""
    original = linear._solver

    def solver(*model):
        solve = original(*model)

        def solve_and_keep(objective):
            asked.append(objective.tolist())
            return solve(objective)
        return solve_and_keep
    return solver


def test_real_values_the_sums_do_not_allow_are_not_used(monkeypatch):
    """Values off by one in a hidden cell (its month's total no longer adds up), or outside a cell's label: the search
    starts as without them, asks the same objectives and finds the same cells."""
    hidden, low, high, groups, values = pooled_case(3)
    wrong_sum = values.copy()
    wrong_sum[np.flatnonzero(hidden)[0]] += 1
    outside = values.copy()
    outside[np.flatnonzero(hidden & (high == 4.0))[0]] = 6.0
    asked: dict[str, list] = {"none": [], "wrong sum": [], "outside": []}
    for name, known in [("none", None), ("wrong sum", wrong_sum), ("outside", outside)]:
        with monkeypatch.context() as patched:
            patched.setattr(linear, "_solver", asking(asked[name]))
            assert linear.pinned(hidden, low, high, groups, known=known).tolist() == exact(hidden, low, high, groups).tolist()
    assert asked["none"] and asked["wrong sum"] == asked["none"] and asked["outside"] == asked["none"]


def test_starting_from_the_real_values_asks_fewer_solves(monkeypatch):
    """Over the 40 random tables: what the real values are for."""
    without, with_values = [], []
    for asked, use in [(without, False), (with_values, True)]:
        with monkeypatch.context() as patched:
            patched.setattr(linear, "_solver", asking(asked))
            for seed in range(40):
                hidden, low, high, groups, values = pooled_case(seed)
                linear.pinned(hidden, low, high, groups, known=values if use else None)
    assert len(with_values) < 0.8 * len(without), (len(with_values), len(without))


def test_a_solution_holds_only_within_its_sums_and_bounds():
    equal, upper, bounds = [({0: 1.0, 1: 1.0}, 5.0)], [({1: 1.0, 2: -1.0}, 0.0)], [(1.0, 4.0), (1.0, 4.0), (0.0, 9.0)]
    assert linear._holds(np.array([2.0, 3.0, 3.0]), equal, upper, bounds)
    assert not linear._holds(np.array([2.0, 3.0, 2.0]), equal, upper, bounds)  # 3 - 2 > 0
    assert not linear._holds(np.array([2.0, 2.0, 3.0]), equal, upper, bounds)  # 2 + 2 != 5
    assert not linear._holds(np.array([0.5, 4.5, 5.0]), equal, upper, bounds)  # outside the first two's bounds


def test_the_random_tables_have_pools_and_pinned_cells_in_them(monkeypatch):
    """What the test above covers: most of its tables have pooled cells, and in some of those pools a cell is pinned."""
    pooled, pinned_in_pool, made = 0, 0, []
    original = linear.Pooled
    monkeypatch.setattr(linear, "Pooled", lambda *a: made.append(original(*a)) or made[-1])
    for seed in range(40):
        hidden, low, high, groups = pooled_table(seed)
        made.clear()
        found = linear.pinned(hidden, low, high, groups)
        members = np.flatnonzero(hidden)[made[0].members] if made and len(made[0].members) else np.array([], dtype=int)
        pooled += bool(len(members))
        pinned_in_pool += bool(found[members].any()) if len(members) else 0
    assert pooled >= 25 and pinned_in_pool >= 5, (pooled, pinned_in_pool)


def test_pooled_and_not_pooled_find_the_same_cells(monkeypatch):
    tables = [pooled_table(seed) for seed in range(40)]
    pooled = [linear.pinned(*table).tolist() for table in tables]
    monkeypatch.setattr(linear.Pooled, "pools", staticmethod(lambda equal, upper, size: np.zeros(len(equal.column), dtype=bool)))
    assert [linear.pinned(*table).tolist() for table in tables] == pooled


def test_the_first_solves_stop_as_soon_as_every_cell_has_moved(monkeypatch):
    """The six first objectives are asked only while a cell has not moved by one yet: the answer is the same (no cell
    is pinned that has moved), with fewer solves. (Solutions stand in for the solver's, to count what is asked.)"""
    hidden, low, high = cells([2, 3, 3, 5, 5, 6], [True, True, True, False, False, False], {0: (1, 4), 1: (1, 4), 2: (1, 4)})
    groups = [(3, np.array([0, 1]), True), (4, np.array([0, 2]), True), (5, np.array([1, 2]), True)]  # each cell in two sums
    asked = []

    def solutions(*found):
        def solver(equal, upper, bounds, start=None):
            made = iter(found)
            return lambda objective: asked.append(objective) or next(made, found[-1])
        return solver

    monkeypatch.setattr(linear, "_solver", solutions(np.array([1.0, 1.0, 1.0]), np.array([1.5, 4.0, 3.0]), np.array([3.0, 2.0, 4.0])))
    assert not linear.pinned(hidden, low, high, groups).any()
    assert len(asked) == 3  # every cell had moved by one or more after the third (the first only half after two)
    asked.clear()
    monkeypatch.setattr(linear, "_solver", solutions(np.array([2.0, 3.0, 3.0])))  # nothing ever moves
    assert linear.pinned(hidden, low, high, groups)[:3].all()
    assert len(asked) > 6  # the six first, then the rounds


def hidden_in_two_steps(seed):
    """A random table's cells hidden in two steps, as protect's rounds hide them: first all but two of them (those
    shown), then all of them, with a few "under 5" labels widened to "skjult" (1 or more) as well."""
    hidden, low, high, groups, values = pooled_case(seed)
    rng = np.random.default_rng(100 + seed)
    first = hidden.copy()
    first[rng.choice(np.flatnonzero(hidden), min(2, int(hidden.sum())), replace=False)] = False
    first_low, first_high = np.where(first, low, values), np.where(first, high, values)
    widened = hidden & (high == 4.0) & (rng.random(len(hidden)) < 0.3)
    return (first, first_low, first_high), (hidden, low, np.where(widened, np.inf, high)), groups, values


@pytest.mark.parametrize("seed", range(40))
def test_rows_found_wide_in_an_earlier_call_pin_the_same_cells(seed, solver):
    """With ``wide`` from the first step, the second step pins what it pins alone, and ``wide`` then holds every
    hidden row not pinned."""
    (first, first_low, first_high), (hidden, low, high), groups, values = hidden_in_two_steps(seed)
    wide = np.zeros(len(hidden), dtype=bool)
    found = linear.pinned(first, first_low, first_high, groups, known=values, wide=wide)
    assert found.tolist() == exact(first, first_low, first_high, groups).tolist()
    assert wide.tolist() == (first & ~found).tolist()
    found = linear.pinned(hidden, low, high, groups, known=values, wide=wide)
    assert found.tolist() == exact(hidden, low, high, groups).tolist()
    assert (wide == (hidden & ~found)).all()


def test_rows_found_wide_in_an_earlier_call_are_not_asked_again(monkeypatch):
    """Over the 40 random tables' second steps: what ``wide`` is for. (These tables are small, and the two first solves
    are asked either way; Læsø's report beside eleven earlier ones took 4,761 solves in protect's 258 calls without it.)"""
    without, with_wide = [], []
    for asked, use in [(without, False), (with_wide, True)]:
        for seed in range(40):
            (first, first_low, first_high), (hidden, low, high), groups, values = hidden_in_two_steps(seed)
            wide = np.zeros(len(hidden), dtype=bool)
            linear.pinned(first, first_low, first_high, groups, known=values, wide=wide)
            with monkeypatch.context() as patched:
                patched.setattr(linear, "_solver", asking(asked))
                linear.pinned(hidden, low, high, groups, known=values, wide=wide if use else None)
    assert len(with_wide) < 0.9 * len(without), (len(with_wide), len(without))  # 134 against 164


def test_the_first_solve_from_the_real_values_starts_from_a_basis_made_from_them():
    """HiGHS's crossover makes the first basis from the real values: the first solve of a model takes fewer simplex
    steps than from scratch, and finds the same optimum."""
    import highspy

    hidden, low, high, groups, values = pooled_case(7)
    equal, upper, bounds, start = model_of(hidden, low, high, groups, values)
    objective = np.where(start - bounds[:, 0] >= bounds[:, 1] - start, 1.0, -1.0)
    steps, optimum = [], []
    for begin in (None, start):
        solve = linear._highs_model(equal, upper, bounds, begin)
        optimum.append(float(objective @ solve(objective)))
        made = next(cell.cell_contents for cell in solve.__closure__ if isinstance(cell.cell_contents, highspy._Highs))
        steps.append(made.getInfo().simplex_iteration_count)
    assert optimum[0] == pytest.approx(optimum[1])
    assert steps[1] < steps[0], steps


def model_of(hidden, low, high, groups, values):
    """The model pinned() solves for a table, and the real values as its columns (pooled as pinned() pools them)."""
    from lisite.bounds import FlatSums

    pooled = linear._model(hidden, low, high, FlatSums(groups, np.zeros(len(hidden))))
    start = pooled.point(values[np.flatnonzero(hidden)])
    assert linear._holds(start, pooled.equal, pooled.upper, pooled.bounds)
    return pooled.equal, pooled.upper, pooled.bounds, start


def _pinned_in_child(table, queue):
    queue.put(linear.pinned(*table).tolist())


def test_a_forked_worker_solves_after_its_parent_has(tmp_path):
    """The build's workers are forked after the parent may have solved (and made HiGHS's scheduler, which the crossover
    needs): a worker's solves neither crash nor wait for a thread it does not have."""
    import multiprocessing

    hidden, low, high, groups, values = pooled_case(11)
    here = linear.pinned(hidden, low, high, groups, known=values).tolist()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_pinned_in_child, args=((hidden, low, high, groups, values), queue))
    child.start()
    child.join(60)
    assert child.exitcode == 0, "the worker crashed or hung"
    assert queue.get(timeout=5) == here


def test_solves_in_new_threads_one_after_another():
    """``lisite serve`` builds in a new thread each time, and a new thread may get an ended one's number: each solves
    from the real values (HiGHS's crossover needs a scheduler made in that very thread)."""
    import threading

    hidden, low, high, groups, values = pooled_case(5)
    found = []
    for _ in range(4):
        thread = threading.Thread(target=lambda: found.append(linear.pinned(hidden, low, high, groups, known=values).tolist()))
        thread.start()
        thread.join(60)
    assert len(found) == 4 and all(one == exact(hidden, low, high, groups).tolist() for one in found)


def failing_from_a_start(equal, upper, bounds, start=None):
    """A solver (in place of ``linear._solver``) whose model made from a start finds no solution for any objective (as
    a solver that fails would), while a new model, made without one, solves as HiGHS does."""
    return linear._highs_model(equal, upper, bounds) if start is None else (lambda objective: None)


def test_a_solver_that_fails_on_a_model_with_a_solution_is_asked_again_anew(monkeypatch):
    """The real values are a solution, so a solve that finds none is the solver's failure: the same objective is
    asked of a new model, and the cells found are the same as with a solver that never fails."""
    hidden, low, high = cells([2, 3, 3, 5, 5, 6], [True, True, True, False, False, False], {0: (1, 4), 1: (1, 4), 2: (1, 4)})
    groups = [(3, np.array([0, 1]), True), (4, np.array([0, 2]), True), (5, np.array([1, 2]), True)]
    known = np.array([2.0, 3.0, 3.0, 5.0, 5.0, 6.0])
    both_ways = []
    for sums in (groups, groups[:2]):  # all three cells pinned; none
        expected = linear.pinned(hidden, low, high, sums, known=known)
        monkeypatch.setattr(linear, "_solver", failing_from_a_start)
        assert linear.pinned(hidden, low, high, sums, known=known).tolist() == expected.tolist()
        monkeypatch.undo()
        both_ways.append(expected[:3].tolist())
    assert both_ways == [[True, True, True], [False, False, False]]


def test_a_solver_that_fails_again_leaves_every_cell_not_seen_to_move_pinned(monkeypatch):
    """Fails open never: where no solve can be had, the cells no solution has moved by one yet are taken as pinned
    (hidden more, never shown where the sums may pin them), those a solution moved are not, and ``wide`` holds only
    those. Without the real values, a model no solve finds a solution for is labels that do not hold together."""
    # a + b = 5, a + c = 5, d + e = 6, d + f = 6, all "under 5": a is 1 to 4 and b and c with it, d 2 to 4 and e and f
    # with it, so none is pinned
    hidden, low, high = cells([2, 3, 3, 3, 3, 3, 5, 5, 6, 6], [True] * 6 + [False] * 4, {k: (1, 4) for k in range(6)})
    groups = [(6, np.array([0, 1]), True), (7, np.array([0, 2]), True), (8, np.array([3, 4]), True), (9, np.array([3, 5]), True)]
    known = np.array([2.0, 3.0, 3.0, 3.0, 3.0, 3.0, 5.0, 5.0, 6.0, 6.0])
    assert not linear.pinned(hidden, low, high, groups, known=known).any()

    def solutions(*found):  # these solutions, then none, of the model with a start and of a new one alike
        def solver(equal, upper, bounds, start=None):
            made = iter(found) if start is not None else iter(())
            return lambda objective: next(made, None)
        return solver

    monkeypatch.setattr(linear, "_solver", solutions())
    assert linear.pinned(hidden, low, high, groups, known=known)[:6].all()  # no solution at all: every cell
    monkeypatch.setattr(linear, "_solver", solutions(np.array([3.0, 2.0, 2.0, 3.0, 3.0, 3.0])))  # a, b and c moved
    wide = np.zeros(len(hidden), dtype=bool)
    assert linear.pinned(hidden, low, high, groups, known=known, wide=wide).tolist() == [False] * 3 + [True] * 3 + [False] * 4
    assert wide.tolist() == [True] * 3 + [False] * 7
    monkeypatch.setattr(linear, "_solver", solutions())
    assert not linear.pinned(hidden, low, high, groups).any()
