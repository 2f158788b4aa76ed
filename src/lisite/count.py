"""Declared counts: the "how to count" of a simple indicator, instead of a compute function.

::

    lisite.Indicator(
        id="familiepleje.andel", theme="indsatser", element="politisk_styring", unit="pct", better="higher",
        levels=("area", "team"),
        count=lisite.Count(dataset="ydelser", active=("startdato", "slutdato"), distinct="sags_id",
                           where="indsatsgruppe == 'Anbringelse'", numerator="familiepleje"),
    )

Events are rows whose ``date`` falls in a month (or year); a stock is the rows running on each
month's (or year's) last day between ``active`` start and end. ``where`` selects the rows counted at
all; ``numerator`` selects those counted in the numerator (a pandas query, default: all of them); a
share's denominator is all selected rows. ``distinct`` counts distinct values (children: ``sags_id``)
instead of rows. Breakdowns are the indicator's ``dimensions`` and the level columns of its
``levels``; a level column the dataset lacks is taken from the row's case (``sager``), and a row
whose case is missing counts under the catalogue's ``case_unknown`` ("Ukendt", "Unknown").
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from lisite import calc
from lisite.model import LEVEL_COLUMNS, UNITS

if TYPE_CHECKING:
    from lisite.context import IndicatorContext
    from lisite.model import Indicator


@dataclass(frozen=True, kw_only=True)
class Count:
    """How to count an indicator from one dataset (see the module's docstring)."""

    dataset: str
    date: str = ""  # events: the column whose date places a row in a period
    active: tuple[str, str] | tuple[()] = ()  # a stock: (start column, end column)
    where: str = ""  # pandas query: the rows counted at all
    numerator: str = ""  # pandas query: the rows counted in the numerator (default: all)
    distinct: str = ""  # count distinct values of this column instead of rows
    per: str = "month"  # "month" (the months of the period) or "year" (whole years)

    def __post_init__(self) -> None:
        if bool(self.date) == bool(self.active):
            raise ValueError(f"Count({self.dataset!r}): give either date= (events) or active=(start, end) (a stock)")
        if self.per not in ("month", "year"):
            raise ValueError(f"Count({self.dataset!r}): per must be 'month' or 'year'")


def compute_count(count: Count, indicator: Indicator, ctx: IndicatorContext) -> pd.DataFrame:
    """The indicator's frame (period, breakdowns, numerator[, denominator]) as the count declares it.

    Counted from the columns the count reads alone (:func:`read_columns`), and kept while they are the same
    (:func:`lisite.calc.remembered`): an edit of a column no count reads recounts nothing."""
    by = [*indicator.dimensions, *(LEVEL_COLUMNS[level] for level in indicator.levels)]
    missing = [column for column in by if column not in ctx.data[count.dataset].columns]
    periods = ctx.months() if count.per == "month" else [str(y) for y in ctx.years(8)[:-1]]
    share = UNITS[indicator.unit].ratio and indicator.unit != "pr_1000"
    unknown = ctx.t("case_unknown") if missing else ""
    reads = {count.dataset: read_columns(count, by, missing)}
    if not missing:
        return calc.remembered(ctx, counted, reads, count, by, periods, share)
    if count.dataset == "sager":  # the cases lack a level column of their own: counting fails as it would on every column
        return with_cases(ctx.data["sager"], ctx.data["sager"], count, by, missing, periods, share, unknown)
    reads["sager"] = ["sags_id", *missing]
    return calc.remembered(ctx, with_cases, reads, count, by, missing, periods, share, unknown)


def with_cases(frame: pd.DataFrame, cases: pd.DataFrame, count: Count, by: list[str], missing: list[str], periods: list[str],
               share: bool, unknown: str) -> pd.DataFrame:
    """:func:`counted`, the ``missing`` level columns taken from each row's case (``unknown`` where the case is missing)."""
    return counted(calc.with_cases(frame, cases, missing, unknown=unknown), count, by, periods, share)


def counted(frame: pd.DataFrame, count: Count, by: list[str], periods: list[str], share: bool) -> pd.DataFrame:
    periods = covered(frame, count, periods)  # from the source's first date, before ``where`` selects rows
    # pandas' own evaluator: numexpr, which pandas takes where it is installed, cannot read lisite's text columns and
    # would say so on every build; so a count is read alike wherever it runs
    if count.where:
        frame = frame.query(count.where, engine="python")
    hit = frame.eval(count.numerator, engine="python").fillna(False).astype(bool) if count.numerator else None
    found = _events(frame, count, periods, by, hit, share) if count.date else _stock(frame, count, periods, by, hit, share)
    return _fill(found, periods, by, share)


def read_columns(count: Count, by: list[str], missing: list[str]) -> list[str] | None:
    """The columns of its dataset a count reads: breakdowns, dates, the column it counts distinct values of, the columns
    its ``where`` and ``numerator`` name, and ``sags_id`` to find a row's case; ``None`` (all) when a query's names
    cannot be told (a ``@variable``, a `quoted name`)."""
    names = [*by, *([count.distinct] if count.distinct else []), *([count.date] if count.date else count.active)]
    for query in (count.where, count.numerator):
        try:
            tree = ast.parse(query, mode="eval") if query else None
        except SyntaxError:
            return None
        names += [node.id for node in ast.walk(tree) if isinstance(node, ast.Name)] if tree else []
    return list(dict.fromkeys([*names, *(["sags_id"] if missing else [])]))


def covered(frame: pd.DataFrame, count: Count, periods: list[str]) -> list[str]:
    """The periods the dataset covers: none before its first date (missing there is not zero).

    The same rule as :func:`lisite.calc.covered_periods`, on the count's date (or start) column.
    """
    return calc.covered_periods(frame, count.date or count.active[0], periods)


def _fill(counted: pd.DataFrame, periods: list[str], by: list[str], share: bool) -> pd.DataFrame:
    """Explicit zeros for covered periods without rows; no rows at all for periods not covered."""
    values = ["numerator", "denominator"] if share else ["numerator"]
    if counted.empty:  # nothing counted (e.g. a header-only export): zeros only for covered periods of a plain total
        if by or not periods:
            return pd.DataFrame({c: pd.Series(dtype=float if c in values else object) for c in ["period", *by, *values]})
        counted = counted.astype({"period": object})  # the empty groupby's period is not text
    keys = counted[by].drop_duplicates() if by else pd.DataFrame(index=[0])
    grid = keys.merge(pd.DataFrame({"period": periods}), how="cross")
    out = grid.merge(counted, on=["period", *by], how="left")
    out[values] = out[values].fillna(0.0)
    return out[["period", *by, *values]].sort_values(["period", *by], kind="stable").reset_index(drop=True)


def _events(frame: pd.DataFrame, count: Count, periods: list[str], by: list[str], hit, share: bool) -> pd.DataFrame:
    length = 7 if count.per == "month" else 4
    frame = frame[_columns(count, by, count.date)]
    frame = frame.assign(period=calc.periods_of(frame[count.date], "month" if length == 7 else "year"))
    frame = frame[frame["period"].isin(periods)]
    if hit is not None:
        hit = hit.reindex(frame.index)
    return _tally(frame, ["period", *by], hit, count.distinct, share)


def _stock(frame: pd.DataFrame, count: Count, periods: list[str], by: list[str], hit, share: bool) -> pd.DataFrame:
    """Each row once for every period on whose last day it runs (:func:`lisite.calc.active_each_month`), counted."""
    start, end = count.active
    # counted without the rows of every month (calc.active_sizes)
    distinct = count.distinct or None
    everything = calc.active_sizes(frame, start, end, periods, by, distinct=distinct)
    if hit is None:
        return _counts(everything, everything, share)
    return _counts(everything, calc.active_sizes(frame[hit.astype(bool)], start, end, periods, by, distinct=distinct), share)


def _columns(count: Count, by: list[str], *dates: str) -> list[str]:
    """The columns a count reads: its breakdowns, the column it counts distinct values of, its dates."""
    return list(dict.fromkeys([*by, *([count.distinct] if count.distinct else []), *dates]))


def _tally(rows: pd.DataFrame, keys: list[str], hit, distinct: str, share: bool) -> pd.DataFrame:
    """numerator = rows (or distinct values) where ``hit``; denominator = all of them, for a share."""
    def counted(part: pd.DataFrame) -> pd.Series:
        grouped = part.groupby(keys, dropna=False)
        return grouped[distinct].nunique() if distinct else grouped.size()

    everything = counted(rows)
    return _counts(everything, counted(rows[hit.astype(bool)]) if hit is not None else everything, share)


def _counts(everything: pd.Series, numerator: pd.Series, share: bool) -> pd.DataFrame:
    """The frame of a count from the groupby sizes of all its rows and of those where its numerator holds."""
    out = pd.DataFrame({"numerator": numerator.reindex(everything.index).fillna(0).astype(float)})
    if share:
        out["denominator"] = everything.astype(float)
    return out.reset_index()
