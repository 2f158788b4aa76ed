"""Stage an indicator's result for one audience: aggregate to its level, then suppress.

This is where disclosure control happens, once, for every plugin. What an
audience's pages, charts, tables and texts are made from is the output of
:func:`stage` and nothing else.

Suppression: a cell whose ``n`` (children or cases behind it) is at least 1
and below the audience's ``min_count`` is hidden (primary). Then, along every
breakdown column, a group that would have exactly one hidden cell also hides
its smallest other non-zero cell (secondary), so a hidden value cannot be
recovered from the total minus the others. Repeated until nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lisite.errors import PluginError
from lisite.model import LEVEL_COLUMNS, UNITS, Audience, Indicator

VALUE_COLUMNS = ("numerator", "denominator", "n")


@dataclass
class Staged:
    """An indicator's figures as one audience may see them."""

    indicator: Indicator
    frame: pd.DataFrame  # period, dims..., levels..., numerator, denominator, n, value, suppressed
    keys: tuple[str, ...]  # breakdown columns present besides period
    suppressed: int  # number of hidden cells

    def total(self) -> pd.DataFrame:
        """The municipality total per period (rows without any breakdown)."""
        return self.frame[self.frame["_total"]].drop(columns="_total")

    def by(self, column: str) -> pd.DataFrame:
        """Rows broken down by exactly ``column``."""
        frame = self.frame[self.frame["_by"] == column]
        return frame.drop(columns="_total")


def check_frame(indicator: Indicator, frame: pd.DataFrame) -> None:
    """The contract of ``Indicator.compute``: fail loudly, naming the plugin."""
    allowed = {"period", *indicator.dimensions, *(LEVEL_COLUMNS[lv] for lv in indicator.levels), *VALUE_COLUMNS}
    where = f"Indikatoren '{indicator.id}' (plugin {indicator.plugin})"
    if not isinstance(frame, pd.DataFrame):
        raise PluginError(f"{where}: compute() skal returnere en pandas.DataFrame, ikke {type(frame).__name__}.")
    for required in ("period", "numerator"):
        if required not in frame.columns:
            raise PluginError(f"{where}: resultatet mangler kolonnen '{required}'.")
    extra = [c for c in frame.columns if c not in allowed]
    if extra:
        raise PluginError(
            f"{where}: ukendte kolonner {', '.join(map(str, extra))}. Tilladt: {', '.join(sorted(allowed))}. "
            "Erklær opdelinger i dimensions= og levels=."
        )
    if UNITS[indicator.unit].ratio and indicator.unit != "pr_1000" and "denominator" not in frame.columns:
        raise PluginError(f"{where}: enheden '{indicator.unit}' kræver en 'denominator'-kolonne.")


def stage(indicator: Indicator, frame: pd.DataFrame, audience: Audience, hide: frozenset = frozenset()) -> Staged:
    """Limit ``frame`` to the audience's part of the organisation, aggregate it to its level, suppress small counts.

    ``hide``: cells to hide whatever their count, as ``(breakdown column, value)`` (``("", "")`` for the
    total): for a sum over periods whose parts the audience sees, where a part is hidden (see
    ``BuildContext.staged(window=...)``), so the hidden part cannot be worked out as the sum minus the others.
    """
    for column, value in audience.filter:
        frame = frame[frame[column].astype(str) == value]
    frame = frame.copy()
    frame["period"] = frame["period"].astype(str)
    if "denominator" not in frame.columns:
        frame["denominator"] = np.nan
    if "n" not in frame.columns:
        frame["n"] = _default_n(indicator, frame)
    visible_levels = [c for c in audience.level_columns if c in frame.columns]
    breakdowns = [*indicator.dimensions, *visible_levels]
    breakdowns = [c for c in breakdowns if c in frame.columns]
    parts = [_aggregate(frame, [], indicator)]
    parts[0]["_by"] = ""
    for column in breakdowns:
        part = _aggregate(frame, [column], indicator)
        part["_by"] = column
        parts.append(part)
    # level columns finer than the audience's are not among the keys: aggregation drops them here
    staged = pd.concat(parts, ignore_index=True)
    staged["_total"] = staged["_by"] == ""
    staged["value"] = _value(indicator, staged)
    suppressed = _suppress(staged, audience.min_count, breakdowns, _cells(staged, hide))
    staged["suppressed"] = suppressed
    staged["small"] = suppressed & (staged["n"] > 0) & (staged["n"] < audience.min_count)  # hidden for its own count
    for column in ("numerator", "denominator", "value", "n"):
        staged.loc[suppressed, column] = np.nan
    staged = staged.sort_values(["_by", *breakdowns, "period"], na_position="first", kind="stable").reset_index(drop=True)
    return Staged(indicator, staged, tuple(breakdowns), int(suppressed.sum()))


def _default_n(indicator: Indicator, frame: pd.DataFrame) -> pd.Series:
    rule = UNITS[indicator.unit].n
    if rule == "numerator":
        return frame["numerator"]
    if rule == "denominator":
        return frame["denominator"]
    return pd.Series(np.nan, index=frame.index)


def _aggregate(frame: pd.DataFrame, by: list[str], indicator: Indicator) -> pd.DataFrame:
    keys = ["period", *by]
    sums = frame.groupby(keys, dropna=False, sort=True)[list(VALUE_COLUMNS)].sum(min_count=1).reset_index()
    return sums


def _value(indicator: Indicator, frame: pd.DataFrame) -> pd.Series:
    scale = UNITS[indicator.unit].scale
    if scale is None:
        return frame["numerator"].astype(float)
    if indicator.unit == "pr_1000" and len(frame) and frame["denominator"].isna().all():
        raise PluginError(f"Indikatoren '{indicator.id}': enheden pr_1000 kræver en 'denominator'.")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = frame["numerator"].astype(float) / frame["denominator"].astype(float) * scale
    return value.where(frame["denominator"] > 0)


def cell_keys(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """Each staged row's cell as (breakdown column, value): ``("", "")`` for the total."""
    return [(by, "" if by == "" else str(frame.at[i, by])) for i, by in zip(frame.index, frame["_by"])]


def _cells(staged: pd.DataFrame, hide: frozenset) -> pd.Series:
    """Rows of ``staged`` named in ``hide`` as (breakdown column, value)."""
    return pd.Series([key in hide for key in cell_keys(staged)] if hide else False, index=staged.index, dtype=bool)


def _suppress(frame: pd.DataFrame, min_count: int, breakdowns: list[str], forced: pd.Series | None = None) -> pd.Series:
    n = frame["n"]
    hidden = ((n > 0) & (n < min_count)).fillna(False).astype(bool)
    if forced is not None:
        hidden |= forced
    if min_count <= 1:
        return hidden
    changed = True
    while changed:
        changed = False
        for column in breakdowns:
            rows = frame.index[frame["_by"] == column]
            if not len(rows):
                continue
            part = pd.DataFrame({"period": frame.loc[rows, "period"], "n": n[rows], "hidden": hidden[rows]})
            lonely = part.groupby("period")["hidden"].transform("sum") == 1
            candidates = part[lonely & ~part["hidden"] & (part["n"] > 0)]
            if candidates.empty:
                continue
            # the smallest other cell of each such period (first by position on ties)
            smallest = candidates.sort_values(["period", "n"], kind="stable").groupby("period").head(1).index
            hidden[smallest] = True
            changed = True
    return hidden


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
