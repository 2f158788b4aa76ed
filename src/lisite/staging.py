"""Stage an indicator's result for one audience: aggregate to its level, then suppress.

This is where disclosure control happens, once, for every plugin. What an
audience's pages, charts, tables and texts are made from is the output of
:func:`stage` and nothing else.

Suppression: a cell whose ``n`` (children or cases behind it) is at least 1
and below the audience's ``min_count`` is hidden (primary). Then, along every
breakdown column, a group that would have exactly one hidden cell also hides
its smallest other non-zero cell (secondary), so a hidden value cannot be
recovered from the total minus the others. Repeated until nothing changes
(:mod:`lisite.suppression`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype

from lisite.earlier import Known, Shown, knowledge
from lisite.errors import PluginError
from lisite.i18n import Translator
from lisite.model import LEVEL_COLUMNS, UNITS, Audience, Indicator
from lisite.suppression import cell_keys, protect, protect_unlabelled

VALUE_COLUMNS = ("numerator", "denominator", "n")


@dataclass
class Staged:
    """An indicator's figures as one audience may see them."""

    indicator: Indicator
    frame: pd.DataFrame  # period, dims..., levels..., numerator, denominator, n, value, suppressed
    keys: tuple[str, ...]  # breakdown columns present besides period
    suppressed: int  # number of hidden cells
    #: each row's true count, hidden ones included: for the record later reports' suppression reads (never published,
    #: see :func:`lisite.earlier.figures_json`), never for a page
    _counts: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: the rows of the frames :meth:`total` and :meth:`by` hand out, found once: pages ask for them many times
    _rows: dict[str, slice | np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)
    _bare: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)  # without ``_total``
    _periods: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)  # see total_in: the rows
    _values: tuple = field(default=(), init=False, repr=False, compare=False)  # ... and their values
    #: what the record of a report reads of it, with the 12-month sums staged beside it (:func:`lisite.earlier.once`)
    _made: dict[str, tuple] = field(default_factory=dict, init=False, repr=False, compare=False)

    def parts(self) -> tuple[pd.DataFrame, tuple[str, ...], int, np.ndarray | None]:
        """What the figures are, without the indicator: to travel to another worker of the build (:meth:`of`)."""
        return self.frame, self.keys, self.suppressed, self._counts

    @classmethod
    def of(cls, indicator: Indicator, parts: tuple[pd.DataFrame, tuple[str, ...], int, np.ndarray | None]) -> Staged:
        return cls(indicator, *parts)

    def total(self) -> pd.DataFrame:
        """The municipality total per period (rows without any breakdown)."""
        return self._part("")

    def total_in(self, period: str) -> dict[str, Any] | None:
        """The municipality total's row for ``period`` (the first, if there were two) as column → value, the values as
        Python's (:func:`records`); ``None`` when there is none. Found once for every period: an annual report, the
        history and a tile each ask for one period's figure."""
        if self._periods is None:
            total = self.total()
            self._periods = {}
            for at, found in enumerate(total["period"].astype(str).tolist()):
                self._periods.setdefault(found, at)
            self._values = (list(total.columns), _boxed(total), total.to_numpy(dtype=object))
        at = self._periods.get(str(period))
        if at is None:
            return None
        names, boxed, values = self._values
        return dict(zip(names, _plain(values[at].tolist(), boxed)))

    def by(self, column: str) -> pd.DataFrame:
        """Rows broken down by exactly ``column``."""
        return self._part(column)

    def _part(self, column: str) -> pd.DataFrame:
        """The rows by ``column`` ("": the totals) without the ``_total`` column; a new frame each time, as a
        caller may change what it gets (pandas copies the data it shares with ours on the first change)."""
        rows = self._rows.get(column)
        if rows is None:
            found = np.flatnonzero(self.frame["_total"].to_numpy(dtype=bool) if column == "" else self.frame["_by"].to_numpy() == column)
            rows = self._rows[column] = found
            if not len(found) or found[-1] - found[0] == len(found) - 1:
                # the rows of one breakdown are together (see stage_with_window)
                rows = self._rows[column] = slice(found[0], found[-1] + 1) if len(found) else slice(0, 0)
        if self._bare is None:
            self._bare = self.frame.drop(columns="_total")
        return self._bare.iloc[rows]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")`` without its steps for each row (a table's rows are asked for on every page that
    shows one): the same Python values (numpy's numbers as Python's, in a column of objects too)."""
    names, boxed = list(frame.columns), _boxed(frame)
    return [dict(zip(names, _plain(row, boxed))) for row in frame.to_numpy(dtype=object).tolist()]


def _boxed(frame: pd.DataFrame) -> list[int]:
    """The columns whose values :func:`_plain` looks at: of objects, or of an extension type (pandas' own)."""
    return [i for i, dtype in enumerate(frame.dtypes) if dtype == object or isinstance(dtype, ExtensionDtype)]


def _plain(row: list[Any], boxed: list[int]) -> list[Any]:
    """A row of ``to_numpy(dtype=object)`` as ``to_dict`` has it: a numpy value as Python's, a missing value of an
    extension type as None."""
    for i in boxed:
        value = row[i]
        if isinstance(value, np.generic):
            row[i] = value.item()
        elif value is pd.NA:
            row[i] = None
    return row


def check_frame(indicator: Indicator, frame: pd.DataFrame, t: Any = None) -> None:
    """The contract of ``Indicator.compute``: fail loudly, naming the plugin (in ``t``'s language; Danish without)."""
    allowed = {"period", *indicator.dimensions, *(LEVEL_COLUMNS[lv] for lv in indicator.levels), *VALUE_COLUMNS}
    words = t or Translator("da")

    def error(key: str, **values: Any) -> PluginError:
        return PluginError(words(f"plugin_error.{key}", id=indicator.id, plugin=indicator.plugin, **values))

    if not isinstance(frame, pd.DataFrame):
        raise error("not_a_frame", kind=type(frame).__name__)
    for required in ("period", "numerator"):
        if required not in frame.columns:
            raise error("missing_column", column=required)
    extra = [c for c in frame.columns if c not in allowed]
    if extra:
        raise error("unknown_columns", columns=", ".join(map(str, extra)), allowed=", ".join(sorted(allowed)))
    if UNITS[indicator.unit].ratio and indicator.unit != "pr_1000" and "denominator" not in frame.columns:
        raise error("needs_denominator", unit=indicator.unit)


def stage(indicator: Indicator, frame: pd.DataFrame, audience: Audience, window: int | None = None) -> Staged:
    """Limit ``frame`` to the audience's part of the organisation, aggregate it to its level, suppress small counts.

    ``window``: suppress the periods together with the sum of the last ``window`` of them, as one set of
    figures (see :func:`stage_with_window`); the sum itself is the second result of that function.
    """
    return stage_with_window(indicator, frame, audience, window)[0]


@dataclass(frozen=True)
class Sums:
    """An indicator's result limited to one part of the organisation and summed: per period, and per period and
    value of each breakdown column, over the periods and over the last ``window`` of them as one.

    Every audience that sees the same part stages its figures from these: audiences differ in the columns they
    may see and in ``min_count``, not in the sums, so a build makes them once per indicator and part
    (``BuildContext.staged``). Made by :func:`summed`.
    """

    months: list[str]  # the periods summed over the window, oldest first (none without a window)
    #: (column or "" for the totals, over the window?) -> the sums, and their rows' order on a page: by the
    #: column's value (missing first), then by period
    blocks: dict[tuple[str, bool], tuple[pd.DataFrame, np.ndarray]] = field(repr=False)
    columns: tuple[str, ...] = ()  # the breakdown columns there are sums by
    _arrays: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # see arrays()

    def arrays(self, key: tuple[str, bool]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """A block's columns as arrays, and its value columns as floats: found once for every audience staged from it."""
        found = self._arrays.get(key)
        if found is None:
            frame = self.blocks[key][0]
            found = self._arrays[key] = ({name: frame[name].array for name in frame.columns},
                                         {name: frame[name].to_numpy(dtype=float) for name in VALUE_COLUMNS if name in frame.columns})
        return found


def summed(indicator: Indicator, frame: pd.DataFrame, limits: tuple[tuple[str, str], ...], window: int | None) -> Sums:
    """The :class:`Sums` of ``frame`` limited to ``limits`` (an audience's ``filter``), by every dimension and
    level column it has."""
    for column, value in limits:
        frame = frame[frame[column].astype(str) == value]
    frame = frame.copy()
    frame["period"] = frame["period"].astype(str)
    if "denominator" not in frame.columns:
        frame["denominator"] = np.nan
    if "n" not in frame.columns:
        frame["n"] = _default_n(indicator, frame)
    columns = tuple(dict.fromkeys(c for c in [*indicator.dimensions, *LEVEL_COLUMNS.values()] if c in frame.columns))
    months = sorted(frame["period"].unique())[-window:] if window else []
    halves = {False: frame}
    if window:
        halves[True] = frame[frame["period"].isin(months)].assign(period=months[-1] if months else "")
    blocks = {}
    for in_window, rows in halves.items():
        adder = _Adder(rows) if _whole_numbers(rows) and isinstance(rows["period"].dtype, pd.StringDtype) else None
        for column in ("", *columns):
            blocks[(column, in_window)] = (adder and adder.by(column)) or _aggregate(rows, column)
    return Sums(months, blocks, columns)


def stage_with_window(indicator: Indicator, frame: pd.DataFrame, audience: Audience,
                      window: int | None, sums: Sums | None = None, t: Any = None,
                      earlier: tuple[Shown, ...] = (), alike: tuple[Alike, ...] = (),
                      before: Alike | None = None) -> tuple[Staged, Staged | None]:
    """The periods and the sum of the last ``window`` periods, suppressed together.

    The audience may see both: a 12-month table next to a monthly chart. Hidden cells are protected
    against every sum they are part of: a period's total and its breakdown, and a cell's sum over the
    window and its months (see :func:`protect`). The sum's ``period`` is the last period it covers.
    ``sums``: :func:`summed` of ``frame`` for the audience's ``filter`` and ``window``, when already made.
    ``t``: the site's catalogue, for the words of an error (Danish without). ``earlier``: what the audience's earlier
    reports showed of this indicator (:mod:`lisite.earlier`): known to the reader, and protected against too.
    ``alike``: the staged periods and 12-month sums, for the same audience, of indicators that count what this one's
    counts count (:func:`with_alike`): what they show is known, what they hide stays hidden here, and their sums are sums.
    ``before``: the indicator as staged before for the same audience, beside fewer of those (:meth:`Alike.of`): the cells
    it hid to protect another stay hidden, with their labels (see :meth:`lisite.context.BuildContext.staged`).
    """
    if sums is None:
        sums = summed(indicator, frame, audience.filter, window)
    columns = sums.columns
    visible_levels = [c for c in audience.level_columns if c in columns]
    # level columns finer than the audience's are not among the keys: aggregation drops them here
    breakdowns = list(dict.fromkeys(c for c in [*indicator.dimensions, *visible_levels] if c in columns))
    halves = (False, True) if window else (False,)
    blocks = [(column, in_window, *sums.blocks[(column, in_window)]) for in_window in halves for column in ["", *breakdowns]]
    sizes = [len(block[2]) for block in blocks]
    cells = _joined(sums, [block[:2] for block in blocks], sizes)
    period, joined = cells.pop("period"), {column: cells.pop(column) for column in VALUE_COLUMNS}  # cells: the breakdowns
    by = pd.array(np.repeat([block[0] for block in blocks], sizes).tolist(), dtype=str)
    figures = {column: values if isinstance(values, np.ndarray) else values.to_numpy(dtype=float) for column, values in joined.items()}
    figures["value"] = _value(indicator, figures["numerator"], figures["denominator"], t)
    seen = pd.DataFrame({"period": period, "n": figures["n"], "_by": by, **cells,  # what protect reads
                         "_window": np.repeat([block[1] for block in blocks], sizes).astype(bool)})
    rows = len(seen)
    told = knowledge(seen, earlier)
    known_before = told.known[:rows]  # from earlier reports (the counts alike show their counts, not this one's parts)
    protected = breakdowns
    if alike:
        told, added = with_alike(told, rows, alike, sums.months)
        protected = [*breakdowns, *added]
    # a share's cells with a small part are hidden from the start, so their counts are protected as the others' are,
    # and then enough else is hidden that its numerators and rests give none away
    parts = small_parts(indicator, figures["numerator"], figures["denominator"], audience.min_count)
    fixed = told.fixed.copy()
    fixed[:rows] |= parts & ~(figures["n"] < audience.min_count)  # (a small count is hidden, and labelled, for itself)
    if before is not None:
        fixed[:rows] |= hidden_before(seen, before)
    hidden, relabelled = protect(told.frame, audience.min_count, protected, sums.months, told.known, told.groups, told.bounded,
                                 told.earlier, fixed)
    hidden, relabelled, n = hidden.to_numpy()[:rows], relabelled.iloc[:rows], figures["n"]
    if parts.any():
        hidden = protect_parts(seen, figures["numerator"], figures["denominator"], hidden, breakdowns, sums.months,
                               known_before)
    # "under N": hidden for its own count (unless that label would give its parts away, see protect)
    small = hidden & (n > 0) & (n < audience.min_count) & ~relabelled.to_numpy()
    for column, values in figures.items():  # as pandas would set the hidden ones missing: in floats, also when none are hidden
        figures[column] = np.where(hidden, np.nan, values) if len(hidden) else joined.get(column, values)
    columns = {"period": period, **{column: figures[column] for column in VALUE_COLUMNS}, "_by": by, **cells,
               "_total": by == "", "value": figures["value"], "suppressed": hidden, "small": small}
    starts = np.cumsum([0, *sizes])
    parts = []
    for in_window in halves:
        # the order of a page: the totals, then each breakdown column by name, each by value and period
        chosen = sorted((block[0], i) for i, block in enumerate(blocks) if block[1] == in_window)
        rows = np.concatenate([starts[i] + blocks[i][3] for _, i in chosen]).astype(np.intp)
        part = pd.DataFrame({name: values[rows] if isinstance(values, np.ndarray) else values.take(rows) for name, values in columns.items()})
        parts.append(Staged(indicator, part, tuple(breakdowns), int(hidden[rows].sum()), _counts=n[rows]))
    return parts[0], (parts[1] if window else None)


@dataclass(frozen=True)
class Alike:
    """The cells of an indicator that counts what another's counts count, as one audience sees them (from its
    :class:`Staged`): each row's period, breakdown, true count, whether it is a 12-month sum, hidden, "under N"."""

    frame: pd.DataFrame  # period, _by, the breakdown columns, n (the true counts), _window, suppressed, small
    keys: tuple[str, ...]
    periods: tuple[str, ...]  # the months its 12-month sums are over (none without them)
    lead: bool = False  # what it shows is known (a count, beside a share, an average or a price of what it counts)

    @classmethod
    def of(cls, periods: Staged, window: Staged | None, months: list[str], lead: bool = False) -> Alike:
        """From its staged periods and 12-month sums; ``months``: the months those sums are over."""
        parts = []
        for staged, in_window in ((periods, False), (window, True)):
            if staged is None:
                continue
            frame = staged.frame
            parts.append(pd.DataFrame({"period": frame["period"].astype(str).to_numpy(), "_by": frame["_by"].to_numpy(),
                                       **{c: frame[c].to_numpy() for c in staged.keys},
                                       "n": staged._counts, "_window": in_window,
                                       "suppressed": frame["suppressed"].to_numpy(bool), "small": frame["small"].to_numpy(bool)}))
        return cls(pd.concat(parts, ignore_index=True), periods.keys, tuple(months) if window is not None else (), lead)

    @cached_property
    def row_keys(self) -> list[tuple]:
        """Each row's cell (:func:`_row_keys`): worked out once, for every indicator it is read beside."""
        return _row_keys(self.frame)


def _row_keys(frame: pd.DataFrame) -> list[tuple]:
    """Each row's cell: (in the 12-month sums, period, the breakdown column and its value)."""
    return [(bool(w), str(p), *k) for w, p, k in zip(frame["_window"].to_numpy(), frame["period"].astype(str).to_numpy(), cell_keys(frame))]


def hidden_before(seen: pd.DataFrame, before: Alike) -> np.ndarray:
    """Which rows of ``seen`` ``before`` (the same indicator, staged before) hid without the label "under N"."""
    cells = before.frame
    kept = {key for key, hid in zip(before.row_keys, cells["suppressed"].to_numpy(bool) & ~cells["small"].to_numpy(bool)) if hid}
    return np.fromiter((key in kept for key in _row_keys(seen)), dtype=bool, count=len(seen))


def with_alike(told: Known, rows: int, alike: tuple[Alike, ...], months: list[str]) -> tuple[Known, list[str]]:
    """``told`` (the rows :func:`protect` reads) with the cells of indicators that count the same (``alike``): a
    reader sees both and can add their shown cells into each other's sums. Where a cell is this indicator's too (the
    same period, breakdown and value), what it hides is hidden here too, with its label ("under N" bounds it, "skjult"
    on a small count is kept), and what it shows is known where it leads (a count, beside a share of what it counts),
    else may still be hidden here (the other then hides it too, when staged again:
    :meth:`lisite.context.BuildContext.staged`); its other cells are rows of their own, known where shown, hidden for
    good where hidden, in the sums of their breakdown. Andel i familiepleje (its denominator: every
    placed child) beside Anbringelsesformer (the same children by kind): each protected alone, the one showed a month's
    total and area the other hid to protect a kind of 1. The 12-month sums of one whose months are not ``months`` (its
    series ends earlier) are rows of a period of their own ("~" and a number), each the sum of its cell's months.
    Returns the rows, and the breakdown columns the others add."""
    frame = told.frame
    own = {key: row for row, key in enumerate(_row_keys(frame.iloc[:rows]))}
    known, bounded, earlier, fixed = told.known.copy(), told.bounded.copy(), told.earlier.copy(), told.fixed.copy()
    extra, columns, seen, apart = [], [], set(own), []
    for number, other in enumerate(alike):
        cells = other.frame
        if other.periods and list(other.periods) != list(months):  # its 12-month sums: over other months
            cells = cells.copy()
            window = cells["_window"].to_numpy(dtype=bool)
            cells.loc[window, "period"] = f"~alike{number}:" + cells.loc[window, "period"].astype(str)
            cells["_window"] = False
            apart.append((f"~alike{number}:", other.periods))
        hidden, small = cells["suppressed"].to_numpy(dtype=bool), cells["small"].to_numpy(dtype=bool)
        keys = _row_keys(cells) if cells is not other.frame else other.row_keys
        at = np.array([own.get(key, -1) for key in keys], dtype=np.intp)
        shared = at >= 0
        fixed[at[shared]] |= hidden[shared]
        bounded[at[shared]] |= (hidden & small)[shared]
        if other.lead:
            known[at[shared]] |= ~hidden[shared]
        new = [i for i in np.flatnonzero(~shared) if keys[i] not in seen]
        seen.update(keys[i] for i in new)
        if new:
            extra.append(cells.iloc[new])
        columns += [c for c in other.keys if c not in columns]
    if extra:
        cells = pd.concat(extra, ignore_index=True)
        hidden, small = cells["suppressed"].to_numpy(dtype=bool), cells["small"].to_numpy(dtype=bool)
        frame = pd.concat([frame, cells.drop(columns=["suppressed", "small"])], ignore_index=True)
        known, fixed, bounded = np.r_[known, ~hidden], np.r_[fixed, hidden], np.r_[bounded, hidden & small]
        earlier = np.r_[earlier, np.ones(len(cells), dtype=bool)]  # not this indicator's own: never hidden, never labelled
    groups = list(told.groups)
    if apart:  # each such 12-month sum, and its cell's rows of its months
        periods, in_window = frame["period"].astype(str).tolist(), frame["_window"].to_numpy(dtype=bool)
        keys = cell_keys(frame)
        monthly: dict[tuple, list[tuple[str, int]]] = {}
        for row, (period, key) in enumerate(zip(periods, keys)):
            if not period.startswith("~") and not in_window[row]:
                monthly.setdefault(key, []).append((period, row))
        for prefix, over in apart:
            over = set(over)
            for row in (at for at, period in enumerate(periods) if period.startswith(prefix)):
                parts = [at for period, at in monthly.get(keys[row], []) if period in over]
                groups.append((row, np.array(parts, dtype=int), True))
    return Known(frame, known, bounded, groups, earlier, fixed), columns


def has_parts(indicator: Indicator) -> bool:
    """A share of children or staff of a kind: its numerator and rest are counts to protect (``Indicator.parts``)."""
    return indicator.unit == "pct" and indicator.counts and indicator.parts


def small_parts(indicator: Indicator, numerator: np.ndarray, denominator: np.ndarray, min_count: int) -> np.ndarray:
    """The cells of a share of children or staff of a kind (``pct``, ``parts``) whose numerator, or whose denominator
    less its numerator, is 1 to ``min_count`` - 1: its "Tæller" and "Nævner" would give that small count away (Læsø's
    placed children, 6 of 7 in family care: 1 elsewhere, which the breakdown by kind of placement labels "under 5").
    Hidden as "skjult" (the cell's own count, the denominator, is ``min_count`` or more), and protected as every hidden
    cell is."""
    if not has_parts(indicator) or min_count <= 1:
        return np.zeros(len(numerator), dtype=bool)
    with np.errstate(invalid="ignore"):
        rest = denominator - numerator
        return ((numerator > 0) & (numerator < min_count)) | ((rest > 0) & (rest < min_count))


def protect_parts(seen: pd.DataFrame, numerator: np.ndarray, denominator: np.ndarray, hidden: np.ndarray,
                  breakdowns: list[str], months: list[str], known: np.ndarray) -> np.ndarray:
    """``hidden`` and what else must be hidden so that the shown numerators, and the shown rests (denominator less
    numerator), added up as the counts are, give no hidden one away (:func:`lisite.suppression.protect_unlabelled` of
    each in turn). Lemvig's leaders, preventive measures by caseworker in June 2026: LB-056 hidden for its 2 placed of 7
    (:func:`small_parts`) and LB-057 (8 of 8) to protect its count, but the rests shown and the 12-month sums gave
    LB-056's 2 away."""
    for part in (numerator, denominator - numerator):
        hidden = protect_unlabelled(seen.assign(n=part), hidden, breakdowns, months, known)
    return hidden


def _joined(sums: Sums, keys: list[tuple[str, bool]], sizes: list[int]) -> dict[str, Any]:
    """The rows of the blocks of ``sums`` under ``keys`` one after another, column by column, as ``pd.concat`` of their
    frames has them: ``period``, the value columns (as floats when there are rows), then each breakdown column, missing
    in the blocks without it. Made from the blocks' arrays where every text column is of the same text type in each
    block it is in (a block has the period, at most one breakdown column and the value columns), else with ``pd.concat``."""
    arrays = [sums.arrays(key) for key in keys]
    names = list(dict.fromkeys(name for columns, _ in arrays for name in columns))
    texts = [values for columns, _ in arrays for name, values in columns.items() if name not in VALUE_COLUMNS]
    kind = texts[0].dtype if texts else None
    if (names[:1 + len(VALUE_COLUMNS)] != ["period", *VALUE_COLUMNS] or not isinstance(kind, pd.StringDtype)
            or kind.storage != "python" or any(values.dtype != kind for values in texts) or not sum(sizes)):
        joined = pd.concat([sums.blocks[key][0] for key in keys], ignore_index=True)
        return {name: joined[name].array for name in joined.columns}
    join = type(texts[0])._concat_same_type
    cells: dict[str, Any] = {"period": join([columns["period"] for columns, _ in arrays])}
    for name in VALUE_COLUMNS:
        cells[name] = np.concatenate([floats[name] for _, floats in arrays])
    starts = np.cumsum([0, *sizes])
    for name in names[1 + len(VALUE_COLUMNS):]:  # the breakdown columns
        at = [i for i, (columns, _) in enumerate(arrays) if name in columns]
        found = join([arrays[i][0][name] for i in at])
        rows = np.full(starts[-1], -1, dtype=np.intp)  # missing outside its blocks
        rows[np.concatenate([np.arange(starts[i], starts[i + 1]) for i in at])] = np.arange(len(found))
        cells[name] = found.take(rows, allow_fill=True)
    return cells


def _aggregate(frame: pd.DataFrame, column: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The sums by ``column`` ("": per period only) and their rows' order on a page (see :class:`Sums`)."""
    sums = frame.groupby(["period", *([column] if column else [])], dropna=False, sort=True)[list(VALUE_COLUMNS)].sum(min_count=1).reset_index()
    order = np.arange(len(sums))
    if column:
        order = np.lexsort((pd.factorize(sums["period"], sort=True)[0], pd.factorize(sums[column], sort=True)[0]))
    return sums, order


def _whole_numbers(frame: pd.DataFrame) -> bool:
    """Are the figures whole numbers whose sums are exact in floating point, in any order? Then
    :class:`_Adder` gives what :func:`_aggregate` gives, which adds up fractions in an order of its own."""
    for column in VALUE_COLUMNS:
        values = frame[column].to_numpy()
        if values.dtype.kind not in "if":
            return False
        if values.dtype.kind == "f":
            values = values[~np.isnan(values)]
            if not np.isfinite(values).all() or (values != np.floor(values)).any() or np.signbit(values[values == 0]).any():
                return False
        if len(values) and np.abs(values).sum(dtype=float) >= 2.0 ** 53:
            return False
    return len(frame) > 0


class _Adder:
    """:func:`_aggregate` with numpy, for whole numbers (:func:`_whole_numbers`): the periods are told apart once
    for every column."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.periods, self.period_names = pd.factorize(frame["period"], sort=True)
        self.values = {name: frame[name].to_numpy() for name in VALUE_COLUMNS}
        self.missing = {name: np.isnan(v) if v.dtype.kind == "f" else np.zeros(len(v), dtype=bool) for name, v in self.values.items()}

    def by(self, column: str) -> tuple[pd.DataFrame, np.ndarray] | None:
        """The sums by ``column`` and their order, as :func:`_aggregate` gives them; ``None`` for a column that
        is not of the text type."""
        codes, names, size = self.periods, None, 1
        if column:
            key = self.frame[column]
            if not isinstance(key.dtype, pd.StringDtype):
                return None
            found, names = pd.factorize(key, sort=True, use_na_sentinel=False)  # missing last, as groupby(dropna=False)
            size = len(names)
            codes = self.periods * size + found
        groups, inverse = np.unique(codes, return_inverse=True)
        out = {"period": self.period_names.take(groups // size).array}
        order = np.arange(len(groups))
        if column:
            out[column] = names.take(groups % size).array
            rank = groups % size
            if names.hasnans:
                rank = np.where(rank == size - 1, -1, rank)  # missing first on a page
            order = np.lexsort((groups // size, rank))
        for name, values in self.values.items():
            missing = self.missing[name]
            sums = np.bincount(inverse, weights=np.where(missing, 0.0, values), minlength=len(groups))
            if values.dtype.kind == "i":
                out[name] = sums.astype(values.dtype)
            else:
                sums[np.bincount(inverse, weights=~missing, minlength=len(groups)) == 0] = np.nan  # sum(min_count=1)
                out[name] = sums
        return pd.DataFrame(out, copy=False), order  # (every array here is new)


def _default_n(indicator: Indicator, frame: pd.DataFrame) -> pd.Series:
    rule = UNITS[indicator.unit].n
    if rule == "numerator":
        return frame["numerator"]
    if rule == "denominator":
        return frame["denominator"]
    return pd.Series(np.nan, index=frame.index)


def _value(indicator: Indicator, numerator: np.ndarray, denominator: np.ndarray, t: Any = None) -> np.ndarray:
    scale = UNITS[indicator.unit].scale
    if scale is None:
        return numerator.copy()
    if indicator.unit == "pr_1000" and len(denominator) and np.isnan(denominator).all():
        raise PluginError((t or Translator("da"))("plugin_error.needs_denominator", id=indicator.id, plugin=indicator.plugin,
                                                  unit=indicator.unit))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = numerator / denominator * scale
    return np.where(denominator > 0, value, np.nan)


def hide_small(counts: pd.Series, min_count: int, lang: str = "da") -> list[str]:
    """Counts as text for a plugin's own table; counts from 1 to ``min_count - 1`` become "under N".

    If that hides exactly one count, the smallest other non-zero count is
    hidden too, so the hidden one cannot be worked out from a known total.
    """
    from lisite import fmt

    hidden = (counts > 0) & (counts < min_count)
    if hidden.sum() == 1:
        others = counts[~hidden & (counts > 0)]
        if len(others):
            hidden[others.idxmin()] = True
    small, other = fmt.suppressed(min_count, lang), fmt.suppressed(min_count, lang, small=False)
    return [(small if 0 < c < min_count else other) if h else fmt.value(c, "antal", lang) for c, h in zip(counts, hidden)]
