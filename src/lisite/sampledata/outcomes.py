"""Results for children with measures (resultater.csv) and for all children (resultater_alle.csv).

All children: a national-looking curve per year (absence peaking after the
pandemic) with a little noise. Children with measures: one row per child
aged 6-17 with a measure running at some time in the year. Each child has a
hidden difficulty score; absence is the all-children level times 1.6
(preventive) or 2.2 (placed) times a log-normal spread, so it averages about
twice the level of all children and falls slowly from 2023. Which fields are
filled depends on age: absence 6-16, well-being 10-16, youth education at 17,
charged with an offence 15-17. Rows with no value at all are left out.
"""

from __future__ import annotations

import math
import random
from datetime import date

from lisite.sampledata.cases import Case

RESULT_YEARS = tuple(range(2019, 2026))
# aar: (skolefravaer_pct, trivsel, ungdomsuddannelse_pct, sigtet_pct) for all children
ALL_CHILDREN = {
    2019: (5.6, 3.95, 86.0, 1.9), 2020: (6.2, 3.92, 86.4, 1.8), 2021: (7.1, 3.86, 87.0, 1.8),
    2022: (7.8, 3.81, 86.6, 1.9), 2023: (7.0, 3.84, 87.4, 1.7), 2024: (6.7, 3.87, 88.0, 1.7),
    2025: (6.4, 3.89, 88.3, 1.6),
}


def all_children_rows(rng: random.Random) -> list[dict]:
    rows = []
    for year, (absence, wellbeing, education, charged) in ALL_CHILDREN.items():
        rows.append({
            "aar": year,
            "skolefravaer_pct": round(absence + rng.uniform(-0.15, 0.15), 1),
            "trivsel": round(wellbeing + rng.uniform(-0.02, 0.02), 2),
            "ungdomsuddannelse_pct": round(education + rng.uniform(-0.6, 0.6), 1),
            "sigtet_pct": round(charged + rng.uniform(-0.15, 0.15), 1),
        })
    return rows


YEAR_BOUNDS = {year: (date(year, 1, 1), date(year, 12, 31)) for year in RESULT_YEARS}


def running_in(case: Case, year: int, group: str | None = None) -> bool:
    first, last = YEAR_BOUNDS.get(year) or (date(year, 1, 1), date(year, 12, 31))
    return any(m.export and m.start <= last and m.end >= first and (group is None or m.group == group) for m in case.measures)


def child_rows(rng: random.Random, case: Case, difficulty: float, levels: dict[int, dict]) -> list[dict]:
    rows = []
    if not any(m.export for m in case.measures):  # no measure in the export: no rows (and no draws)
        return rows
    for year in RESULT_YEARS:
        age = year - case.birth.year
        if not 6 <= age <= 17 or not running_in(case, year):
            continue
        placed = running_in(case, year, "Anbringelse")
        all_absence = levels[year]["skolefravaer_pct"]
        trend = 1 - 0.03 * max(0, year - 2022)
        spread = math.exp(0.45 * difficulty + rng.gauss(0, 0.3) - 0.15)
        absence = all_absence * (2.2 if placed else 1.8) * trend * spread
        wellbeing = 3.35 - 0.25 * difficulty - (0.1 if placed else 0) + rng.gauss(0, 0.4)
        education = rng.random() < 0.6 - (0.1 if placed else 0) - 0.08 * difficulty
        charged = rng.random() < 0.06 + (0.05 if case.gender == "Dreng" else 0) + 0.03 * max(0.0, difficulty)
        row = {
            "sags_id": case.case_id,
            "aar": year,
            "skolefravaer_pct": round(min(60.0, max(0.3, absence)), 1) if age <= 16 and rng.random() > 0.05 else None,
            "trivsel": round(min(5.0, max(1.0, wellbeing)), 1) if 10 <= age <= 16 and rng.random() > 0.1 else None,
            "ungdomsuddannelse": education if age == 17 else None,
            "sigtet": charged if age >= 15 else None,
        }
        if any(row[name] is not None for name in ("skolefravaer_pct", "trivsel", "ungdomsuddannelse", "sigtet")):
            rows.append(row)
    return rows


def result_rows(rng: random.Random, cases: list[Case], all_rows: list[dict]) -> list[dict]:
    levels = {row["aar"]: row for row in all_rows}
    rows = []
    for case in cases:
        difficulty = rng.gauss(0, 1)
        rows += child_rows(rng, case, difficulty, levels)
    rows.sort(key=lambda row: (row["aar"], row["sags_id"]))
    return rows
