"""Yearly key figures for all 98 municipalities (benchmark.csv), 2017-2025.

Other municipalities: children 0-17 are about a fifth of the inhabitants
with a small trend; a socio-economic index (mean 1.0, 0.5-1.7) is drawn per
municipality, nudged for a few well-known affluent and deprived ones, and
drifts a little over the years. Rates per 1,000 children follow the index:
placements 10 * index^0.9, preventive 27 * index^0.5, notifications
112 * index^0.4 (+2 a year), each with a fixed municipal factor and a small
yearly wiggle so series are smooth. Spend (net operating spend on function
5.28, 1,000 kr.) = placements * 700 + preventive * 175 + children * a
municipal amount of 0.7-1.3 (1,000 kr. per child: "Øvrige", e.g. early
prevention and special day care) at 2025 prices, deflated 2.5 % a year,
times a factor (sd about 8 %): about 9,000-16,000 kr. per child.

The demo municipality: its rows come from its own exports (see demo_rows);
its spend is the total 5.28 spend including "Øvrige" (economy.total_spend).
"""

from __future__ import annotations

import random
from datetime import date

from lisite.sampledata.dates import FULL_YEARS
from lisite.sampledata.kommuner import KOMMUNER, Kommune

# Synthetic tendencies only: a few municipalities are pushed towards the ends of the index.
INDEX_HINTS = {
    157: 0.55, 230: 0.52, 223: 0.58, 201: 0.6, 173: 0.62, 155: 0.68, 190: 0.7, 269: 0.72, 240: 0.72,
    746: 0.7, 710: 0.74, 360: 1.6, 183: 1.55, 153: 1.5, 165: 1.4, 482: 1.45, 376: 1.3, 101: 1.12,
    479: 1.12, 461: 1.18, 851: 1.08, 751: 0.98,
}


def socio_base(rng: random.Random) -> dict[int, float]:
    """A stable index per municipality, scaled so the plain mean over the 98 is 1.0."""
    raw = {k.code: INDEX_HINTS.get(k.code, min(1.5, max(0.65, rng.gauss(1.0, 0.17)))) for k in KOMMUNER}
    mean = sum(raw.values()) / len(raw)
    return {code: value / mean for code, value in raw.items()}


def children(kommune: Kommune, share: float, trend: float, year: int) -> int:
    return round(kommune.inhabitants * 1000 * share * (1 + trend * (year - 2021)))


def other_rows(rng: random.Random, kommune: Kommune, index: float) -> list[dict]:
    share, trend = rng.uniform(0.19, 0.225), rng.uniform(-0.006, 0.004)
    factors = [rng.lognormvariate(0, 0.12) for _ in range(3)] + [rng.lognormvariate(0, 0.08)]
    slopes = [rng.uniform(-0.015, 0.01), rng.uniform(-0.005, 0.02)]
    drift = rng.uniform(-0.006, 0.006)
    other_per_child = rng.uniform(0.7, 1.3)  # 1,000 kr. per child at 2025 prices
    rows = []
    for year in FULL_YEARS:
        t = year - 2017
        kids = children(kommune, share, trend, year)
        wiggle = [rng.uniform(-0.03, 0.03) for _ in range(3)]
        placed = kids * 10 / 1000 * index ** 0.9 * factors[0] * (1 + slopes[0] * t + wiggle[0])
        preventive = kids * 27 / 1000 * index ** 0.5 * factors[1] * (1 + slopes[1] * t + wiggle[1])
        notes = kids * (112 + 2 * t) / 1000 * index ** 0.4 * factors[2] * (1 + wiggle[2])
        spend = (round(placed) * 700 + round(preventive) * 175 + kids * other_per_child) * 1.025 ** (year - 2025) * factors[3]
        rows.append(row(kommune, year, kids, round(placed), round(preventive), round(notes), spend, index * (1 + drift * t)))
    return rows


def row(kommune: Kommune, year: int, kids: int, placed: int, preventive: int, notes: int, spend: float, index: float) -> dict:
    return {
        "kommunekode": kommune.code, "kommune": kommune.name, "region": kommune.region, "aar": year,
        "boern_0_17": kids, "anbragte": placed, "forebyggende": preventive, "underretninger": notes,
        "udgift_1000kr": round(spend, 1), "socio_indeks": round(index, 3),
    }


def running_on(row_: dict, day: date) -> bool:
    end = row_["slutdato"]
    return row_["startdato"] <= day and (end is None or end >= day)


def children_with(measure_rows: list[dict], group: str, day: date) -> set[str]:
    return {r["sags_id"] for r in measure_rows if r["indsatsgruppe"] == group and running_on(r, day)}


def demo_rows(rng: random.Random, kommune: Kommune, index: float, population: dict[int, int],
              measure_rows: list[dict], notification_rows: list[dict], spend: dict[int, float]) -> list[dict]:
    """The demo municipality's figures, computed from its own exports:
    anbragte = children with a placement running on 31 Dec; forebyggende = children with a
    preventive measure running on 31 Dec and no placement; underretninger = notifications
    received in the year; udgift_1000kr = the year's total 5.28 spend including "Øvrige"
    (economy.total_spend: the sum of budget.xlsx's forbrug from 2023) / 1000."""
    drift = rng.uniform(-0.004, 0.004)
    rows = []
    for year in FULL_YEARS:
        day = date(year, 12, 31)
        placed = children_with(measure_rows, "Anbringelse", day)
        preventive = children_with(measure_rows, "Forebyggende", day) - placed
        notes = sum(1 for n in notification_rows if n["modtaget"].year == year)
        rows.append(row(kommune, year, population[year], len(placed), len(preventive), notes, spend[year] / 1000,
                        index * (1 + drift * (year - 2017))))
    return rows


def benchmark_rows(rng: random.Random, demo: Kommune, population: dict[int, int],
                   measure_rows: list[dict], notification_rows: list[dict], spend: dict[int, float]) -> list[dict]:
    """All municipalities' rows; spend is the demo municipality's total 5.28 spend per year, kr."""
    index = socio_base(rng)
    rows = []
    for kommune in KOMMUNER:
        if kommune.code == demo.code:
            rows += demo_rows(rng, kommune, index[kommune.code], population, measure_rows, notification_rows, spend)
        else:
            rows += other_rows(rng, kommune, index[kommune.code])
    return rows
