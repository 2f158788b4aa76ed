"""Spend computed from the measure export, and the budget follow-up (budget.xlsx).

The spend rule, used for budget.xlsx and for the demo rows of benchmark.csv:
a measure (one per ydelse_id; a duplicated row counts once) costs its full
pris_pr_maaned in every calendar month in which it runs on at least one day,
i.e. startdato <= last day of the month and (slutdato empty or slutdato >=
first day of the month). A row whose slutdato lies in an earlier month than
its startdato therefore costs nothing. Spend is booked on the case's area
(omraade in sager.csv), the measure's budgetfunktion and indsatsgruppe.

Budget: each line's yearly budget is its expected spend (the year's spend,
for 2026 extrapolated from January-September) times a year factor (2023
+1.5 %, 2024 -0.5 %, 2025 +0.5 %, 2026 -4.5 %) and +/- 2.5 % noise, spread
evenly over the months. The corrected budget equals the budget until June;
from July it adds half the gap between expected spend and budget (a quarter in
2026, so 2026 keeps a modest overrun). The "Øvrige" lines (early prevention,
secure institutions, special day care) have synthetic spend.
"""

from __future__ import annotations

import random
from collections import defaultdict

from lisite.sampledata.dates import BUDGET_START, CUTOFF, month_number, months

AREAS = ("Familieafdelingen", "Handicap og Unge")
MEASURE_LINES = (("5.28.21", "Forebyggende"), ("5.28.20", "Anbringelse"), ("5.28.22", "Anbringelse"), ("5.28.23", "Anbringelse"))
# (area, function, monthly spend in kr. per 12,500 children at 2025 level, seasonal July factor)
OTHER_LINES = (
    ("Familieafdelingen", "5.28.21", 340000, 0.8),
    ("Familieafdelingen", "5.28.24", 160000, 1.0),
    ("Handicap og Unge", "5.28.25", 560000, 0.5),
)
YEAR_FACTOR = {2023: 1.015, 2024: 0.995, 2025: 1.005, 2026: 0.955}
CORRECTION_SHARE = {2026: 1 / 4}  # other years: 1/2


def running_months(row: dict) -> tuple[int, int]:
    """(first, last) month number in which the measure runs on at least one day; first > last: never."""
    end = row["slutdato"]
    return month_number(row["startdato"]), month_number(end) if end else 10**6


def runs_in_month(row: dict, year: int, month: int) -> bool:
    """The spend rule: startdato <= last day of the month and (no slutdato or slutdato >= first day)."""
    first, last = running_months(row)
    return first <= year * 12 + month - 1 <= last


def unique_measures(measure_rows: list[dict]) -> list[dict]:
    """One row per ydelse_id (the first), as the economy system pays each measure once."""
    seen: dict[str, dict] = {}
    for row in measure_rows:
        seen.setdefault(row["ydelse_id"], row)
    return list(seen.values())


def monthly_spend(measure_rows: list[dict], area_of_case: dict[str, str], first: tuple[int, int], last: tuple[int, int]) -> dict:
    """{(year, month, area, function, group): kr.} for every measure line and month in the range."""
    spend: dict[tuple, float] = defaultdict(float)
    low, high = first[0] * 12 + first[1] - 1, last[0] * 12 + last[1] - 1
    for row in unique_measures(measure_rows):
        start, end = running_months(row)
        for number in range(max(start, low), min(end, high) + 1):
            key = (number // 12, number % 12 + 1, area_of_case[row["sags_id"]], row["budgetfunktion"], row["indsatsgruppe"])
            spend[key] += row["pris_pr_maaned"]
    return spend


def yearly_spend(measure_rows: list[dict], year: int) -> float:
    """All measure spend in a calendar year, kr."""
    total = 0.0
    for row in unique_measures(measure_rows):
        start, end = running_months(row)
        total += row["pris_pr_maaned"] * max(0, min(end, year * 12 + 11) - max(start, year * 12) + 1)
    return total


def other_spend(rng: random.Random, base: float, july: float, year: int, month: int) -> float:
    level = base * 1.025 ** (year - 2025) * (july if month == 7 else 1.0)
    return round(max(0.0, level * rng.uniform(0.85, 1.15)), 2)


def budget_rows(rng: random.Random, measure_rows: list[dict], area_of_case: dict[str, str], scale: float) -> list[dict]:
    last = (CUTOFF.year, CUTOFF.month)
    measure_spend = monthly_spend(measure_rows, area_of_case, BUDGET_START, last)
    lines = [(area, function, group) for area in AREAS for function, group in MEASURE_LINES]
    lines += [(area, function, "Øvrige") for area, function, _, _ in OTHER_LINES]
    spend: dict[tuple, float] = {}
    for year, month in months(BUDGET_START, last):
        for area, function, group in lines:
            if group == "Øvrige":
                base, july = next((b, j) for a, f, b, j in OTHER_LINES if (a, f) == (area, function))
                spend[(year, month, area, function, group)] = other_spend(rng, base * scale, july, year, month)
            else:
                spend[(year, month, area, function, group)] = round(measure_spend.get((year, month, area, function, group), 0.0), 2)
    rows = []
    for year in sorted({y for y, _ in months(BUDGET_START, last)}):
        year_months = [m for y, m in months(BUDGET_START, last) if y == year]
        for line in lines:
            actual = sum(spend[(year, m, *line)] for m in year_months)
            expected = actual * 12 / len(year_months)
            annual = expected * YEAR_FACTOR[year] * (1 + rng.gauss(0, 0.025))
            correction = (expected - annual) * CORRECTION_SHARE.get(year, 0.5)
            for month in year_months:
                monthly = round(annual / 12)
                corrected = monthly + (round(correction / 6) if month >= 7 else 0)
                rows.append({
                    "aar": year, "maaned": month, "omraade": line[0], "budgetfunktion": line[1], "indsatsgruppe": line[2],
                    "budget": float(monthly), "korrigeret_budget": float(corrected), "forbrug": spend[(year, month, *line)],
                })
    rows.sort(key=lambda row: (row["aar"], row["maaned"], row["omraade"], row["budgetfunktion"], row["indsatsgruppe"]))
    return rows
