"""The budget follow-up's figures: spend to date, the full year's budget, the prognosis. No words here.

The budget is spread over the months; a year's budget is the sum of its months, any month not yet
exported counted as the latest one. Prognosis: each remaining month of the year is expected to cost
the average of the last ``WINDOW`` months. The 95 % interval comes from how much the monthly spend
varied in those months: 1.96 * sd * sqrt(r + r**2 / k) for r months left and k months in the average
(the months vary, and so may the average itself).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

WINDOW = 6
Z = 1.96
#: The columns of a follow-up table after its first (label) column, as identifiers; their headings are
#: ``oekonomisk_styring.column.<id>`` in the catalogue.
COLUMNS = ("budget", "corrected", "spent", "spent_pct", "expected", "deviation", "last_year")
#: The groups of measures of the data model (``indsatsgruppe``) in the order the tables show them; any
#: other value in the data follows them, sorted.
GROUP_ORDER = ("Forebyggende", "Anbringelse", "Øvrige")


@dataclass
class Forecast:
    """The expected spend for the whole year, built from the spend month by month."""

    spent: float  # spent from January to the reporting month
    expected: float  # expected spend for the whole year
    per_month: float  # expected spend in each remaining month
    sd: float  # standard deviation of the monthly spend in the window
    remaining: int  # months left of the year
    window: int  # months the average is taken over

    def half_width(self, months: int) -> float:
        """Half the 95 % interval of the spend ``months`` months ahead."""
        return Z * self.sd * math.sqrt(months + months**2 / self.window) if self.window else 0.0

    def low(self) -> float:
        return self.expected - self.half_width(self.remaining)

    def high(self) -> float:
        return self.expected + self.half_width(self.remaining)


def forecast(monthly: pd.Series, year: int, month: int) -> Forecast:
    """``monthly``: spend per period (``YYYY-MM``), oldest first, up to the reporting month."""
    recent = monthly.tail(WINDOW)
    spent = float(monthly[monthly.index.str.startswith(str(year))].sum())
    remaining = 12 - month
    sd = float(recent.std(ddof=1)) if len(recent) > 1 else 0.0
    return Forecast(spent, spent + remaining * float(recent.mean()), float(recent.mean()), sd, remaining, len(recent))


def monthly_spend(budget: pd.DataFrame, year: int, month: int) -> pd.Series:
    upto = budget[(budget["aar"] * 100 + budget["maaned"]) <= year * 100 + month]
    period = upto["aar"].astype(str) + "-" + upto["maaned"].map("{:02d}".format)
    return upto.groupby(period)["forbrug"].sum().sort_index()


def full_year(this_year: pd.DataFrame, column: str) -> float:
    """A budget column for the whole year: the months in the export, any missing months as the latest one."""
    return float(year_lines(this_year, column).sum())


def follow_up_row(budget: pd.DataFrame, year: int, month: int) -> dict:
    """The budget follow-up columns (:data:`COLUMNS`) for one slice of the data (a group, an area or everything)."""
    this_year = budget[budget["aar"] == year]
    return _row(full_year(this_year, "budget"), full_year(this_year, "korrigeret_budget"), monthly_spend(budget, year, month),
                budget.loc[budget["aar"] == year - 1, "forbrug"], year, month)


def _row(budget: float, corrected: float, monthly: pd.Series, last_year: pd.Series, year: int, month: int) -> dict:
    fc = forecast(monthly, year, month)
    return {
        "budget": budget,
        "corrected": corrected,
        "spent": fc.spent,
        "spent_pct": fc.spent / corrected * 100 if corrected else float("nan"),
        "expected": fc.expected,
        "deviation": fc.expected - corrected,
        "last_year": float(last_year.sum()),
    }


def ordered(values: set, by: str) -> list:
    """The values of ``by`` in the order the tables show them: groups of measures in the model's order."""
    if by != "indsatsgruppe":
        return sorted(values)
    return [v for v in GROUP_ORDER if v in values] + sorted(v for v in values if v not in GROUP_ORDER)


def follow_up_table(budget: pd.DataFrame, year: int, month: int, by: str, label: str, total: str) -> pd.DataFrame:
    """One row per value of ``by`` (first column ``label``) and a last row ``total`` for all of them.

    The same figures as :func:`follow_up_row` on each slice, from one pass over the data: the lines of the
    full-year budgets and the monthly spend are grouped once, then summed per value of ``by`` in the same
    order as a slice would sum them (so every amount is the same to the last digit)."""
    this_year = budget[budget["aar"] == year]
    full = {column: year_lines(this_year, column) for column in ("budget", "korrigeret_budget")}
    upto = budget[(budget["aar"] * 100 + budget["maaned"]) <= year * 100 + month]
    period = upto["aar"].astype(str) + "-" + upto["maaned"].map("{:02d}".format)
    spend = {v: part.droplevel(0) for v, part in upto.groupby([upto[by], period])["forbrug"].sum().groupby(level=0)}
    last_year = {v: part for v, part in budget.loc[budget["aar"] == year - 1, [by, "forbrug"]].groupby(by, sort=False)["forbrug"]}
    empty = pd.Series([], dtype=budget["forbrug"].dtype, index=pd.Index([], dtype=object))
    rows = []
    for v in ordered(set(budget[by]), by):
        chosen = {column: lines[lines.index.get_level_values(by) == v] for column, lines in full.items()}
        figures = _row(float(chosen["budget"].sum()), float(chosen["korrigeret_budget"].sum()),
                       spend.get(v, empty), last_year.get(v, empty), year, month)
        rows.append({label: v, **figures})
    rows.append({label: total, **follow_up_row(budget, year, month)})
    return pd.DataFrame(rows)


def year_lines(this_year: pd.DataFrame, column: str) -> pd.Series:
    """Each budget line's full-year amount (:func:`full_year` before the sum), indexed by the line's keys."""
    keys = ["omraade", "budgetfunktion", "indsatsgruppe"]
    months = this_year.groupby([*keys, "maaned"], as_index=False)[column].sum().sort_values("maaned")
    lines = months.groupby(keys)  # one row a month in each line: its months are its rows
    return (lines[column].sum() + (12 - lines.size()).clip(lower=0) * lines[column].last()).rename(None)
