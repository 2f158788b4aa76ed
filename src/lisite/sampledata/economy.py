"""Spend computed from the measure export, and the budget follow-up (budget.xlsx).

The spend rule, used for budget.xlsx and for the demo rows of benchmark.csv
(with "Øvrige", see total_spend):
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
secure institutions, special day care) have synthetic spend: a level per
12,500 children at 2025 prices, 2.5 % lower per earlier year, +/- 15 % a
month (other_spend), about 7-9 % on top of the measures. The same rule,
drawn from its own stream, gives "Øvrige" for 2017-2022, before the budget
follow-up starts, so the municipality's total 5.28 spend in benchmark.csv
(total_spend) is one smooth series.
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


def spend_per_year(measure_rows: list[dict], years) -> dict[int, float]:
    """{year: all measure spend in the year, kr.} for each year, looking at each measure once: a measure costs
    pris_pr_maaned for each month of the year in which it runs. Each year's sum adds the measures up in their
    order (a year in which a measure does not run would add 0.0, which changes nothing)."""
    totals = dict.fromkeys(years, 0.0)
    if not totals:
        return totals
    first, last = min(totals), max(totals)
    for row in unique_measures(measure_rows):
        start, end = running_months(row)
        price = row["pris_pr_maaned"]
        for year in range(max(start // 12, first), min(end // 12, last) + 1):
            if year in totals:
                totals[year] += price * max(0, min(end, year * 12 + 11) - max(start, year * 12) + 1)
    return totals


def other_spend(rng: random.Random, scale: float, first: tuple[int, int], last: tuple[int, int], lines=OTHER_LINES) -> dict:
    """{(year, month, area, function, "Øvrige"): kr.} for every month in the range: the line's level
    (OTHER_LINES, times scale, 2.5 % lower per year before 2025, the July factor) +/- 15 %."""
    spend = {}
    for year, month in months(first, last):
        for area, function, base, july in lines:
            level = base * scale * 1.025 ** (year - 2025) * (july if month == 7 else 1.0)
            spend[(year, month, area, function, "Øvrige")] = round(max(0.0, level * rng.uniform(0.85, 1.15)), 2)
    return spend


def total_spend(budget: list[dict], measure_rows: list[dict], earlier_other: dict, years) -> dict[int, float]:
    """Net spend on function 5.28 per year, kr., including "Øvrige". A year with all twelve months in
    budget.xlsx: the sum of its forbrug (as the oekonomi.udgift_pr_barn indicator adds it up). An
    earlier year: the measures' spend plus that year's "Øvrige" lines in earlier_other (other_spend,
    drawn from its own random stream, so the series continues the budget's level)."""
    budget_total: dict[int, float] = defaultdict(float)
    budget_months: dict[int, set] = defaultdict(set)
    for row in budget:
        budget_total[row["aar"]] += row["forbrug"]
        budget_months[row["aar"]].add(row["maaned"])
    other_total: dict[int, float] = defaultdict(float)
    for (year, *_), amount in earlier_other.items():
        other_total[year] += amount
    totals = {}
    measures = spend_per_year(measure_rows, [year for year in years if len(budget_months[year]) != 12])
    for year in years:
        if len(budget_months[year]) == 12:
            totals[year] = budget_total[year]
        elif year in other_total:
            totals[year] = measures[year] + other_total[year]
        else:
            raise ValueError(f"no spend on 'Øvrige' for {year}")
    return totals


def group_spend(budget: list[dict], measure_rows: list[dict], years) -> dict[int, dict[str, float]]:
    """Spend per year on each measure group ("Forebyggende", "Anbringelse"), kr., without "Øvrige": a year with
    all twelve months in budget.xlsx is the sum of its forbrug per group (as oekonomi.andel_forebyggelse adds
    it up); an earlier year the measures' spend by the same rule (the budget's forbrug equals it)."""
    in_budget: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    budget_months: dict[int, set] = defaultdict(set)
    for row in budget:
        in_budget[row["aar"]][row["indsatsgruppe"]] += row["forbrug"]
        budget_months[row["aar"]].add(row["maaned"])
    out = {}
    earlier = [year for year in years if len(budget_months[year]) != 12]
    measures = {group: spend_per_year([r for r in measure_rows if r["indsatsgruppe"] == group], earlier)
                for group in ("Forebyggende", "Anbringelse")}
    for year in years:
        if len(budget_months[year]) == 12:
            out[year] = {group: in_budget[year][group] for group in ("Forebyggende", "Anbringelse")}
        else:
            out[year] = {group: measures[group][year] for group in ("Forebyggende", "Anbringelse")}
    return out


def budget_rows(rng: random.Random, measure_rows: list[dict], area_of_case: dict[str, str], scale: float,
                areas: tuple[str, ...] = AREAS, other_lines=OTHER_LINES) -> list[dict]:
    """Monthly budget lines per area, function and group; ``areas`` and ``other_lines`` name another organisation's."""
    last = (CUTOFF.year, CUTOFF.month)
    measure_spend = monthly_spend(measure_rows, area_of_case, BUDGET_START, last)
    lines = [(area, function, group) for area in areas for function, group in MEASURE_LINES]
    lines += [(area, function, "Øvrige") for area, function, _, _ in other_lines]
    spend: dict[tuple, float] = other_spend(rng, scale, BUDGET_START, last, other_lines)
    for year, month in months(BUDGET_START, last):
        for area, function, group in lines:
            if group != "Øvrige":
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
