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

import json
import math
import pickle
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

import lisite
from lisite.context import WINDOW
from lisite.model import UNITS
from lisite.staging import has_parts, stage_with_window
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
            joint, frame = WINDOW if window is not None else None, ctx.results[key[1]]
            sums = ctx._sums(key[1], frame, joint)  # the sums the build staged from (made here if it made none)
            true_periods, true_window = stage_with_window(indicator, frame, truth_for, joint, sums)
            records.append(Record(key[1], staged.keys, staged.frame, window.frame if window is not None else None,
                                  true_periods.frame, true_window.frame if true_window is not None else None,
                                  has_parts(indicator), UNITS[indicator.unit].n is not None))
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
    parts: bool = False  # a share whose numerator and rest are counts (lisite.Indicator.parts): see attack_parts
    #: does a shown cell show its count (a count, a share's or an average's denominator)? Not an amount in kroner, whose
    #: count (the children it was spent on) only decides what is hidden: see alike_groups
    shows_count: bool = True


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
    if record.window is not None:  # each 12-month sum over the 12 months up to its own period (its report's last)
        months = sorted({p for (w, p, *_) in index if not w})
        for (in_window, period, by, value), i in index.items():
            if in_window:
                parts = [index[(False, m, by, value)] for m in [m for m in months if m <= period][-WINDOW:]
                         if (False, m, by, value) in index]
                sums.append((parts, [i], True))
    return out, sums


def across(now: Record, before: Record, published: pd.Series | None = None) -> Record:
    """``now`` as a reader sees it who has ``before`` (an earlier report of the same audience, in its archive) too:
    each cell ``before`` showed is known (where it is the same figure now), each cell it labelled "under N" is 1 to N-1,
    and its 12-month sums (the rows of ``before.window`` that ``published`` marks; all not hidden without it) are sums
    too, over the 12 months up to their own period."""
    def keyed(frame: pd.DataFrame) -> list[tuple]:
        return [(p, *k) for p, k in zip(frame["period"], cell_keys(frame))]

    shown_then = {k: n for k, hidden, n in zip(keyed(before.periods), before.periods["suppressed"], before.periods["n"]) if not hidden}
    truth = dict(zip(keyed(now.true_periods), now.true_periods["n"]))
    truth_then = dict(zip(keyed(before.true_periods), before.true_periods["n"]))
    small_then = {k for k, small in zip(keyed(before.periods), before.periods["small"])  # (of the same figure now)
                  if small and truth_then.get(k) == truth.get(k)}
    periods = now.periods.copy()
    keys = keyed(periods)
    known = [bool(h) and k in shown_then and abs(shown_then[k] - truth.get(k, math.nan)) < TOLERANCE
             for k, h in zip(keys, periods["suppressed"])]
    periods.loc[known, "n"] = [shown_then[k] for k, m in zip(keys, known) if m]
    periods.loc[known, "suppressed"] = False
    periods.loc[known, "small"] = False
    labelled = [bool(h) and k in small_then for k, h in zip(keys, periods["suppressed"])]
    periods.loc[labelled, "small"] = True
    record = replace(now, periods=periods)
    if before.window is None:
        return record
    sums = before.window[~before.window["suppressed"] if published is None else published]
    if sums.empty:
        return record
    windows = [w for w in (now.window, sums) if w is not None]
    true_windows = [w for w in (now.true_window, before.true_window) if w is not None]
    return replace(record, window=pd.concat(windows, ignore_index=True), true_window=pd.concat(true_windows, ignore_index=True))


def attack(record: Record, min_count: int) -> list[str]:
    """Every hidden cell of ``record`` that the sums narrow beyond its label, in words."""
    return attack_all([record], min_count)


def attack_all(records: list[Record], min_count: int) -> list[str]:
    """Every hidden cell of ``records`` (one audience's) that the sums narrow beyond its label, in words.

    The hidden cells fall in groups that no sum connects (within a record, and no sum spans two records).
    The groups share nothing, so all are solved together as one linear program: the optimum of a sum of
    objectives, one per group, is each group's own optimum. That is the same bound for every cell as
    solving group by group, in a few hundred solver calls for an audience instead of many thousand.
    """
    problems: dict[int, list[str]] = {}
    blocks: list[Block] = []
    for number, record in enumerate(records):
        found, relations = cells(record)
        hidden = [i for i, c in enumerate(found) if c.shown is None]
        false = [c for c in found if c.shown is None and c.small and not 0 < c.true < min_count]
        if false:  # the labels must be true, or nothing below means anything
            c = false[0]
            problems[number] = [f"{record.indicator} {c.where}: labelled under {min_count}, but is {c.true:g}"]
            continue
        blocks += [Block(number, record, found, group) for group in _components(hidden, relations)]
        _add_sums([b for b in blocks if b.number == number], found, relations)
    for block in _narrow(blocks, min_count):
        problems.setdefault(block.number, []).extend(block.findings(min_count))
    return [problem for number in sorted(problems) for problem in problems[number]]


def _keyed(frame: pd.DataFrame) -> list[tuple]:
    """Each row's cell as (period, breakdown column, value), as the records name them."""
    return [(p, *k) for p, k in zip(frame["period"].astype(str), cell_keys(frame))]


def attack_seen(records: list[Record], min_count: int) -> list[str]:
    """What a reader of the audience works out: each indicator alone (:func:`attack_all`), but indicators that count the
    same together (:func:`attack_together`), where a cell one hides and the other shows is no secret (a share of staff
    who left hides a team's 5 for its 1 who left; the staff count shows the 5)."""
    groups = alike_groups(records)
    alone = [group[0] for group in groups if len(group) == 1]
    return attack_all(alone, min_count) + attack_together(records, min_count, groups)


def alike_groups(records: list[Record]) -> list[list[Record]]:
    """The records in groups that count the same: the same count in every cell they share, at least five. An amount in
    kroner is in none: its pages do not show the count of children behind it (Fanø's spending on placements in April
    2026, shown, is no count of the children placed)."""
    def counts(record: Record) -> dict[tuple, float]:  # each cell's count, the 12-month sums' apart
        frames = [("", record.true_periods)] + ([("12", record.true_window)] if record.true_window is not None else [])
        return {(w, *k): n for w, frame in frames for k, n in zip(_keyed(frame), frame["n"]) if not pd.isna(n)}

    truth = {r.indicator: counts(r) for r in records}

    def alike(a: str, b: str) -> int:  # how many cells they share, where every shared cell has the same count (else 0)
        common = truth[a].keys() & truth[b].keys()
        return len(common) if all(truth[a][k] == truth[b][k] for k in common) else 0

    groups: list[list[Record]] = []
    for record in records:
        for group in (group for group in groups if record.shows_count and group[0].shows_count):
            if all(alike(record.indicator, other.indicator) or not truth[record.indicator].keys() & truth[other.indicator].keys()
                   for other in group) and any(alike(record.indicator, other.indicator) >= 5 for other in group):
                group.append(record)
                break
        else:
            groups.append([record])
    return groups


def attack_together(records: list[Record], min_count: int, groups: list[list[Record]] | None = None) -> list[str]:
    """Every hidden cell that indicators counting the same (the same count in every cell they share, at least five)
    give away together: a reader who sees that two indicators count the same children reads each one's shown cells into
    the other's sums (the denominators of the share in family care beside the placements by kind). Each group of such
    indicators is attacked as one record: a cell either shows is shown, its breakdowns are all of theirs. lisite protects
    a share, an average or a price together with the counts that count its denominators (``BuildContext._alike``).
    ``groups``: :func:`alike_groups` of ``records``, when already made."""
    groups = alike_groups(records) if groups is None else groups
    return [problem for group in groups if len(group) > 1 for problem in attack(together(group), min_count)]


def together(group: list[Record]) -> Record:
    """Indicators that count the same (:func:`alike_groups`) as one record, as a reader reads them: a cell either shows
    is shown, and its breakdowns are all of theirs (named "a+b")."""
    def merged(shown: list[pd.DataFrame], true: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
        shown_all, true_all = pd.concat(shown, ignore_index=True), pd.concat(true, ignore_index=True)
        shown_all["_key"], true_all["_key"] = [str(k) for k in _keyed(shown_all)], [str(k) for k in _keyed(true_all)]
        shown_all = shown_all.sort_values("suppressed", kind="stable").drop_duplicates("_key")  # a shown one first
        true_all = true_all.drop_duplicates("_key").set_index("_key").loc[shown_all["_key"]].reset_index()
        return shown_all.drop(columns="_key").reset_index(drop=True), true_all.drop(columns="_key").reset_index(drop=True)

    if len(group) == 1:
        return group[0]
    periods, true_periods = merged([r.periods for r in group], [r.true_periods for r in group])
    windowed = [r for r in group if r.window is not None]
    window = true_window = None
    if windowed:
        window, true_window = merged([r.window for r in windowed], [r.true_window for r in windowed])
    keys = tuple(dict.fromkeys(k for r in group for k in r.keys))
    return Record("+".join(r.indicator for r in group), keys, periods, window, true_periods, true_window)


def attack_parts(record: Record, min_count: int) -> list[str]:
    """Every hidden cell of a share whose numerator, or denominator less numerator, the sums of the shown numerators
    (the tables' "Tæller"), or of the shown rests, give away as 1 to ``min_count`` - 1: the counts a share's cell is
    hidden for (:func:`lisite.staging.small_parts`). A hidden cell's part is only known to be 0 or more."""
    if not record.parts:
        return []

    def as_part(frame: pd.DataFrame | None, rest: bool) -> pd.DataFrame | None:
        if frame is None:
            return None
        part = frame["denominator"] - frame["numerator"] if rest else frame["numerator"]
        return frame.assign(n=part, small=False)

    found = []
    for rest in (False, True):
        parts = Record(record.indicator, record.keys, as_part(record.periods, rest), as_part(record.window, rest),
                       as_part(record.true_periods, rest), as_part(record.true_window, rest))
        cells_of, relations = cells(parts)
        hidden = [i for i, c in enumerate(cells_of) if c.shown is None]
        blocks = [Block(0, parts, cells_of, group) for group in _components(hidden, relations)]
        _add_sums(blocks, cells_of, relations)
        for block in _narrow(blocks, min_count, unlabelled=True):
            for k, i in enumerate(block.hidden):
                cell = cells_of[i]
                if block.high[k] - block.low[k] < 1 - TOLERANCE and 0 < cell.true < min_count:
                    found.append(f"{record.indicator} {cell.where}: {'rest' if rest else 'numerator'} worked out as "
                                 f"{block.low[k]:g} (true {cell.true:g})")
    return found


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


class Block:
    """One group of hidden cells: its bounds, its sums (rows over its own cells) and what is seen of it."""

    def __init__(self, number: int, record: Record, found: list[Cell], hidden: list[int]) -> None:
        self.number, self.record, self.found, self.hidden = number, record, found, hidden
        self.position = {cell: k for k, cell in enumerate(hidden)}
        self.equal: list[tuple[dict[int, float], float]] = []  # sum of coefficient * cell == constant
        self.upper: list[tuple[dict[int, float], float]] = []  # sum of coefficient * cell <= constant
        self.next = (0, 0)  # the cell and direction to ask for next

    def linear(self, terms) -> tuple[dict[int, float], float]:
        row: dict[int, float] = {}
        constant = 0.0
        for j, sign in terms:
            if self.found[j].shown is None:
                row[self.position[j]] = row.get(self.position[j], 0.0) + sign
            else:
                constant += sign * self.found[j].shown
        return {k: v for k, v in row.items() if v}, constant

    def add(self, parts: list[int], totals: list[int], additive: bool) -> None:
        row, constant = self.linear([(j, 1.0) for j in parts] + [(j, -1.0) for j in totals])
        if additive:  # parts - totals = 0
            self.equal.append((row, -constant))
            return
        self.upper.append(({k: -v for k, v in row.items()}, constant))  # parts >= totals (a child counted under two kinds)
        for j in parts:  # and each part <= the total
            part_row, part_constant = self.linear([(j, 1.0)] + [(t, -1.0) for t in totals])
            if part_row:
                self.upper.append((part_row, -part_constant))

    def findings(self, min_count: int) -> list[str]:
        out = []
        for k, i in enumerate(self.hidden):
            low, high, cell = self.low[k], self.high[k], self.found[i]
            if high - low < 1 - TOLERANCE:
                label = f"under {min_count}" if cell.small else "skjult"
                out.append(f"{self.record.indicator} {cell.where}: '{label}' narrowed to {low:g}–{high:g} (true {cell.true:g})")
        return out


def _add_sums(blocks: list[Block], found: list[Cell], relations) -> None:
    """Each sum that holds a hidden cell goes to the one group its hidden cells are in."""
    block_of = {i: block for block in blocks for i in block.hidden}
    for parts, totals, additive in relations:
        member = next((j for j in parts + totals if j in block_of), None)
        if member is not None:
            block_of[member].add(parts, totals, additive)


def _narrow(blocks: list[Block], min_count: int, unlabelled: bool = False) -> list[Block]:
    """Every block's ``low`` and ``high`` per cell: the values its cells take in the solutions found, made
    the least and the largest each cell can have wherever that is less than one apart. ``unlabelled``: no label says
    anything of a hidden cell but that it is 0 or more (the parts of a share, see :func:`attack_parts`)."""
    if not blocks:
        return blocks
    offsets = np.cumsum([0] + [len(b.hidden) for b in blocks])
    size = int(offsets[-1])
    # a cell hidden as "skjult" has no upper bound of its own: a ceiling far above every count keeps each
    # program bounded, so that one group without a largest value cannot hide the others' answers; a cell
    # whose largest value is that ceiling is wide, as an unbounded one is
    records = {id(b.found): b.found for b in blocks}.values()  # a record's cells, once however many groups it has
    values = [v for found in records for c in found for v in (c.true, c.shown) if v is not None]
    largest = max([float(min_count)] + [abs(v) for v in values if math.isfinite(v)])
    ceiling = 1000.0 * largest
    # "skjult" is 5 or more, except on a small sum the engine labels so to free its parts (lisite.suppression._stuck):
    # such a sum is known to be 1 or more only (the attack knows which they are: a stronger reader than a real one)
    bounds = [(0, ceiling) if unlabelled else (1, min_count - 1) if b.found[i].small
              else (min_count if b.found[i].true >= min_count else 1, ceiling) for b in blocks for i in b.hidden]
    equal = _matrix([(row, offset) for b, offset in zip(blocks, offsets) for row, _ in b.equal], size)
    equal_b = [value for b in blocks for _, value in b.equal]
    upper = _matrix([(row, offset) for b, offset in zip(blocks, offsets) for row, _ in b.upper], size)
    upper_b = [value for b in blocks for _, value in b.upper]

    solver = lp_solver(bounds, equal, equal_b, upper, upper_b)

    def solve(objective):
        x = solver(objective)
        if x is None:
            raise AssertionError("the sums cannot hold together")
        return x

    seen_low, seen_high = np.full(size, np.inf), np.full(size, -np.inf)
    # a few solutions for random objectives first: a cell they already show wide enough needs no more work
    random = np.random.default_rng(0)
    for objective in [np.ones(size), -np.ones(size)] + [random.choice([-1.0, 1.0], size) for _ in range(6)]:
        x = solve(objective)
        seen_low, seen_high = np.minimum(seen_low, x), np.maximum(seen_high, x)
    while True:  # then, in each block, the largest value of a cell and its smallest, unless already seen wide enough
        objective = np.zeros(size)
        for block, offset in zip(blocks, offsets):
            k, direction = block.next
            while k < len(block.hidden) and (direction == 2 or seen_high[offset + k] - seen_low[offset + k] >= 1 - TOLERANCE):
                k, direction = k + 1, 0
            if k < len(block.hidden):
                objective[offset + k] = (-1.0, 1.0)[direction]
                direction += 1
            block.next = (k, direction)
        if not objective.any():
            break
        x = solve(objective)  # every cell's value in it counts
        seen_low, seen_high = np.minimum(seen_low, x), np.maximum(seen_high, x)
    for block, offset in zip(blocks, offsets):
        block.low, block.high = seen_low[offset:offset + len(block.hidden)], seen_high[offset:offset + len(block.hidden)]
    return blocks


def _matrix(rows: list[tuple[dict[int, float], int]], size: int):
    """The rows (coefficient per cell of a block, and the block's first column) as one sparse matrix."""
    from scipy import sparse  # here: every test process imports this module (conftest), few attack

    if not rows:
        return None
    index = [(r, offset + k, v) for r, (row, offset) in enumerate(rows) for k, v in row.items()]
    r, c, v = zip(*index) if index else ((), (), ())
    return sparse.csr_array((np.array(v, dtype=float), (np.array(r, dtype=int), np.array(c, dtype=int))), shape=(len(rows), size))


def lp_solver(bounds, equal, equal_b, upper, upper_b):
    """``solve(objective)``: one optimal solution for ``objective`` (``None`` when the constraints do not hold together;
    every program here is bounded), for ``equal @ x == equal_b`` and ``upper @ x <= upper_b`` (sparse matrices, or
    ``None``) and each column's (least, largest) in ``bounds``. One HiGHS model for all the objectives, only its
    objective changed between solves, with HiGHS's own settings (not lisite.linear's: the attacks and the tests'
    reference do not share the way the suppression solves). A model per objective (scipy's ``linprog``) found the same
    cells in three to four times the time."""
    import highspy

    model = highspy._Highs()  # (highspy.Highs, made on it, adds callbacks and prints HiGHS's banner)
    model.setOptionValue("output_flag", False)
    model.setOptionValue("threads", 1)
    lower, higher = np.array([low for low, _ in bounds], dtype=float), np.array([high for _, high in bounds], dtype=float)
    size = len(lower)
    model.addVars(size, lower, higher)
    for matrix, low, high in ((equal, equal_b, equal_b), (upper, [-highspy.kHighsInf] * len(upper_b), upper_b)):
        if matrix is not None:
            model.addRows(matrix.shape[0], np.array(low, dtype=float), np.array(high, dtype=float), matrix.nnz,
                          matrix.indptr.astype(np.int32), matrix.indices.astype(np.int32), matrix.data.astype(float))
    columns = np.arange(size, dtype=np.int32)

    def solve(objective):
        model.changeColsCost(size, columns, np.asarray(objective, dtype=float))
        model.run()
        status = model.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        assert status == highspy.HighsModelStatus.kOptimal, f"the solver gave no answer: {model.modelStatusToString(status)}"
        return np.array(model.getSolution().col_value)

    return solve


def june_and_september(site: Path, code: int, late: float = 0.0, seed: int = 2026) -> None:
    """A municipality's site, with its sample data as ``lisite build-all`` makes them, built for June 2026 and then for
    September 2026 (June's report in its archive), each with the recorder (``june/`` and ``september/`` beside it).
    ``late``: this share of the notifications received in January to June 2026 (picked at random, fixed seed) is not
    yet in June's data: registered late, they are in September's. ``seed``: the sample data's (``lisite build-all --seed``)."""
    import random

    from lisite.build import build
    from lisite.buildall import prepare
    from lisite.sampledata.kommuner import find

    prepare(site, find(code), None, seed=seed)
    notifications = site / "sample_data" / "underretninger.csv"
    full = notifications.read_text(encoding="utf-8")
    pick = random.Random(1)
    first_half = re.compile(r"[^;\n]*;[^;\n]*;\d\d-0[1-6]-2026")  # id;case;received dd-mm-yyyy
    june = "".join(line for line in full.splitlines(keepends=True) if not (first_half.match(line) and pick.random() < late))
    for period, name, data in (("2026-06", "june", june), ("2026-09", "september", full)):
        notifications.write_text(data, encoding="utf-8")
        build(site, extra_plugins=[("disclosure_recorder", Recorder(site.parent / name))], period=period)


def attack_changed(now: Path, before: Path, output: Path, period: str, audiences=("udvalg", "direktion", "ledere")) -> list[str]:
    """As :func:`attack_across`, for an earlier report made from other data for the same months (cases registered
    late): the earlier report's cells are unknowns of their own, bounded by its labels and in its own sums (each
    period's total and breakdowns, the 12-month sums its pages show), and equal to this report's only where the true
    figure is the same (a reader who knows which did not change: stronger than a real one). An earlier cell whose
    figure this report shows is no secret; one pinned otherwise is, as is a cell of this report."""
    return [f"{audience}: {problem}" for audience, min_count, record, earlier, published in _pairs(now, before, output, period, audiences)
            for problem in _attack_changed(record, earlier, published, min_count)]


def _attack_changed(now: Record, before: Record, published: pd.Series | None, min_count: int) -> list[str]:
    def earlier(frame: pd.DataFrame | None) -> pd.DataFrame | None:  # its periods named apart: "J:2026-03"
        return None if frame is None else frame.assign(period="J:" + frame["period"].astype(str))

    window, true_window = now.window, now.true_window
    if published is not None and published.any():  # (its sums over its own months: the last 12 periods "J:" up to its own)
        window = pd.concat([w for w in (now.window, earlier(before.window[published])) if w is not None], ignore_index=True)
        true_window = pd.concat([w for w in (now.true_window, earlier(before.true_window)) if w is not None], ignore_index=True)
    both = replace(now, periods=pd.concat([now.periods, earlier(before.periods)], ignore_index=True),
                   true_periods=pd.concat([now.true_periods, earlier(before.true_periods)], ignore_index=True),
                   window=window, true_window=true_window)
    found, relations = cells(both)
    where = {cell.where: i for i, cell in enumerate(found)}
    same = {i: where[cell.where[2:]] for i, cell in enumerate(found)
            if cell.where.startswith("J:") and cell.where[2:] in where and abs(found[where[cell.where[2:]]].true - cell.true) < TOLERANCE}
    relations += [([i], [j], True) for i, j in same.items()]  # the same figure in both reports
    false = [c for c in found if c.shown is None and c.small and not 0 < c.true < min_count]
    if false:
        return [f"{now.indicator} {false[0].where}: labelled under {min_count}, but is {false[0].true:g}"]
    hidden = [i for i, c in enumerate(found) if c.shown is None]
    blocks = [Block(0, both, found, group) for group in _components(hidden, relations)]
    _add_sums(blocks, found, relations)
    shown_now = {found[i].where for i, j in same.items() if found[j].shown is not None}
    return [line for block in _narrow(blocks, min_count) for line in block.findings(min_count)
            if line.split(": '")[0].removeprefix(f"{now.indicator} ") not in shown_now]


def monthly_reports(site: Path, code: int, periods: list[str], late: float = 0.0, seed: int = 2026) -> None:
    """A municipality's site, with its sample data as ``lisite build-all`` makes them, built for each of ``periods`` in
    turn (each report beside every earlier one in its archive), each with the recorder (a folder per period beside
    the site). ``late``: this share of the notifications (picked at random, fixed seed) is registered one to three
    months after the month it was received in, and is in a report's data only from then: the months a report shares
    with the earlier ones may have other figures in each."""
    import random

    from lisite.build import build
    from lisite.buildall import prepare
    from lisite.sampledata.kommuner import find

    prepare(site, find(code), None, seed=seed)
    notifications = site / "sample_data" / "underretninger.csv"
    lines = notifications.read_text(encoding="utf-8").splitlines(keepends=True)
    pick = random.Random(1)
    received = re.compile(r"[^;\n]*;[^;\n]*;\d\d-(\d\d)-(\d{4})")  # id;case;received dd-mm-yyyy
    registered = []  # each line's month of registration (year * 12 + month), None for one without a date (the header)
    for line in lines:
        found = received.match(line)
        month = int(found.group(2)) * 12 + int(found.group(1)) if found else None
        registered.append(month + pick.choice([1, 2, 3]) if month is not None and pick.random() < late else month)
    try:
        for period in periods:
            year, month = map(int, period.split("-"))
            notifications.write_text("".join(line for line, when in zip(lines, registered) if when is None or when <= year * 12 + month),
                                     encoding="utf-8")
            build(site, extra_plugins=[("disclosure_recorder", Recorder(site.parent / period))], period=period)
    finally:
        notifications.write_text("".join(lines), encoding="utf-8")


def attack_reports(folder: Path, periods: list[str], audiences=("udvalg", "direktion", "ledere")) -> list[str]:
    """Every hidden cell of the last of ``periods``' reports (made by :func:`monthly_reports` in ``folder``) that a reader
    with all the earlier ones beside it can work out, per audience, and every hidden cell of an earlier report that is
    no figure any of them shows. As :func:`attack_changed`, for any number of earlier reports: each earlier report's
    cells are unknowns of their own, bounded by its labels and in its own sums (its periods' totals and breakdowns, the
    12-month sums its pages show), equal to another report's cell of the same month and breakdown wherever the true
    figure is the same (a reader who knows which did not change: stronger than a real one). Indicators that count the
    same are read together, in every report, as :func:`attack_seen` reads them (:func:`together`)."""
    output, last, earlier = folder / "site" / "_site", periods[-1], periods[:-1]
    found = []
    for audience in audiences:
        min_count, records = load(folder / last, audience)
        then = {period: {record.indicator: record for record in load(folder / period, audience)[1]} for period in earlier}
        named = {period: json.loads((output / audience / "arkiv" / period / "historik.json").read_text(encoding="utf-8"))["figures"]
                 for period in earlier}
        for group in alike_groups(records):
            before = []
            for period in earlier:
                theirs = [_as_published(then[period][r.indicator], named[period], audience) for r in group if r.indicator in then[period]]
                if theirs:
                    before.append(together(theirs))
            found += [f"{audience}: {problem}" for problem in _attack_reports(together(group), before, min_count)]
    return found


def _as_published(earlier: Record, named: dict, audience: str) -> Record:
    """The earlier report with only the 12-month sums its pages show (:func:`_published`; none: no window)."""
    published = _published(earlier, named, audience)
    if published is None:
        return earlier
    return replace(earlier, window=earlier.window[published] if published.any() else None)


def _published(earlier: Record, named: dict, audience: str) -> pd.Series | None:
    """Which of an earlier report's 12-month sums its pages show: the total under a hidden month (``named``, its
    historik.json's figures, names it) and, for the leaders, the follow-up tables by team; ``None`` without 12-month
    sums."""
    if earlier.window is None:
        return None
    by = earlier.window["_by"]
    published = (by == "") & bool(named.get(earlier.indicator, {}).get("window"))
    if audience == "ledere" and earlier.indicator.startswith("opfoelgning."):
        published |= by == "team"
    return published & ~earlier.window["suppressed"]


def _attack_reports(now: Record, before: list[Record], min_count: int) -> list[str]:
    def named_apart(frame: pd.DataFrame | None, k: int) -> pd.DataFrame | None:  # report k's periods: "J03:2026-03"
        return None if frame is None else frame.assign(period=f"J{k:02d}:" + frame["period"].astype(str))

    periods, true_periods = [now.periods], [now.true_periods]
    windows = [(now.window, now.true_window)] if now.window is not None else []
    for k, earlier in enumerate(before):
        periods.append(named_apart(earlier.periods, k))
        true_periods.append(named_apart(earlier.true_periods, k))
        if earlier.window is not None:  # (its sums over its own months: the last 12 periods up to its own)
            windows.append((named_apart(earlier.window, k), named_apart(earlier.true_window, k)))
    every = replace(now, periods=pd.concat(periods, ignore_index=True), true_periods=pd.concat(true_periods, ignore_index=True),
                    window=pd.concat([w for w, _ in windows], ignore_index=True) if windows else None,
                    true_window=pd.concat([t for _, t in windows], ignore_index=True) if windows else None)
    found, relations = cells(every)
    false = [c for c in found if c.shown is None and c.small and not 0 < c.true < min_count]
    if false:
        return [f"{now.indicator} {false[0].where}: labelled under {min_count}, but is {false[0].true:g}"]
    first: dict[tuple[str, float], int] = {}  # (the cell's place without its report, its true figure) -> the first such cell
    same = []
    for i, cell in enumerate(found):
        same.append(first.setdefault((_REPORT.sub("", cell.where), cell.true), i))
        if same[i] != i:
            relations.append(([i], [same[i]], True))  # the same figure in two reports
    shown = {same[i] for i, cell in enumerate(found) if cell.shown is not None}
    public = {cell.where for i, cell in enumerate(found) if same[i] in shown}  # a figure one of them shows is no secret
    hidden = [i for i, cell in enumerate(found) if cell.shown is None]
    blocks = [Block(0, every, found, group) for group in _components(hidden, relations)]
    _add_sums(blocks, found, relations)
    return [line for block in _narrow(blocks, min_count) for line in block.findings(min_count)
            if line.split(": '")[0].removeprefix(f"{now.indicator} ") not in public]


_REPORT = re.compile(r"J\d\d:")  # an earlier report's name before a period (_attack_reports)


def attack_across(now: Path, before: Path, output: Path, period: str, audiences=("udvalg", "direktion", "ledere")) -> list[str]:
    """Every hidden cell of the report recorded in ``now`` that a reader with the earlier report recorded in ``before``
    too (in the audience's archive, ``output/<audience>/arkiv/<period>/``) can work out, per audience. The earlier
    report's 12-month sums count where its pages show them: the total under a hidden month (its historik.json names
    it) and, for the leaders, the follow-up tables by team."""
    return [f"{audience}: {problem}" for audience, min_count, record, earlier, published in _pairs(now, before, output, period, audiences)
            for problem in attack_all([across(record, earlier, published)], min_count)]


def _pairs(now: Path, before: Path, output: Path, period: str, audiences):
    """(audience, min_count, record, the earlier report's record of the same indicator, its 12-month sums that its
    pages show: the total under a hidden month, which its historik.json names, and the leaders' follow-up tables by
    team; ``None`` without 12-month sums) for each indicator of each audience in both reports."""
    for audience in audiences:
        min_count, records = load(now, audience)
        then = {record.indicator: record for record in load(before, audience)[1]}
        named = json.loads((output / audience / "arkiv" / period / "historik.json").read_text(encoding="utf-8"))["figures"]
        for record in records:
            earlier = then.get(record.indicator)
            if earlier is not None:
                yield audience, min_count, record, earlier, _published(earlier, named, audience)
