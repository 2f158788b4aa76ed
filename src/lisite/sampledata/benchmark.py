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

Details of the placements and the spend, drawn from a stream of their own so the
columns above stay as they were: of the children in care, a share lives in
family care (foster or kinship care; 58 % on average, a municipal level with
sd 7 points, +0.5 point a year) and a share is placed without consent (11 %,
sd 3 points), each year's count drawn binomially from the municipality's
children in care. Spend on preventive measures and on placements (1,000 kr.)
are the two parts of the spend rule above (preventive * 175 and placements *
700, with the same deflator and factor), so together with "Øvrige" they make
up udgift_1000kr.

The demo municipality: its rows come from its own exports (see demo_rows);
its spend is the total 5.28 spend including "Øvrige" (economy.total_spend),
its spend on preventive measures and placements the budget's (economy.group_spend).
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


FAMILY_CARE_SHARE, WITHOUT_CONSENT_SHARE = (0.58, 0.07), (0.11, 0.03)  # mean and sd between municipalities


def binomial(rng: random.Random, n: int, p: float) -> int:
    """A binomial draw: Bernoulli trials for a small n, else the normal approximation, within 0..n."""
    p = min(1.0, max(0.0, p))
    if n <= 60:
        return sum(rng.random() < p for _ in range(n))
    return min(n, max(0, round(rng.gauss(n * p, (n * p * (1 - p)) ** 0.5))))


def placement_details(rng: random.Random, placed: list[int]) -> list[tuple[int, int]]:
    """(in family care, without consent) for one municipality's children in care in each year."""
    family = min(0.85, max(0.3, rng.gauss(*FAMILY_CARE_SHARE)))
    forced = min(0.25, max(0.03, rng.gauss(*WITHOUT_CONSENT_SHARE)))
    return [(binomial(rng, n, family + 0.005 * t), binomial(rng, n, forced)) for t, n in enumerate(placed)]


def other_rows(rng: random.Random, kommune: Kommune, index: float, detail: random.Random | None = None) -> list[dict]:
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
        price = 1.025 ** (year - 2025) * factors[3]
        spend = (round(placed) * 700 + round(preventive) * 175 + kids * other_per_child) * price
        rows.append(row(kommune, year, kids, round(placed), round(preventive), round(notes), spend, index * (1 + drift * t)))
        rows[-1].update(udgift_forebyggende_1000kr=round(round(preventive) * 175 * price, 1),
                        udgift_indsatser_1000kr=round((round(preventive) * 175 + round(placed) * 700) * price, 1))
    details = placement_details(detail or random.Random(kommune.code), [r["anbragte"] for r in rows])
    for r, (family, forced) in zip(rows, details):
        r.update(anbragte_familiepleje=family, anbragte_uden_samtykke=forced)
    return rows


def row(kommune: Kommune, year: int, kids: int, placed: int, preventive: int, notes: int, spend: float, index: float) -> dict:
    return {
        "kommunekode": kommune.code, "kommune": kommune.name, "region": kommune.region, "aar": year,
        "boern_0_17": kids, "anbragte": placed, "forebyggende": preventive, "underretninger": notes,
        "udgift_1000kr": round(spend, 1), "socio_indeks": round(index, 3), "boern_med_indsats": placed + preventive,
    }


def running_on(row_: dict, day: date) -> bool:
    end = row_["slutdato"]
    return row_["startdato"] <= day and (end is None or end >= day)


def children_with(measure_rows: list[dict], group: str, day: date) -> set[str]:
    return {r["sags_id"] for r in measure_rows if r["indsatsgruppe"] == group and running_on(r, day)}


def placed_where(measure_rows: list[dict], day: date, kinds: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """(children in family care, children placed without consent) among the placements running on ``day``:
    a child counts once, in family care when one of its placements that day is one of ``kinds``."""
    running = [r for r in measure_rows if r["indsatsgruppe"] == "Anbringelse" and running_on(r, day)]
    return ({r["sags_id"] for r in running if r["indsatstype"] in kinds}, {r["sags_id"] for r in running if r["tvang"]})


def demo_rows(rng: random.Random, kommune: Kommune, index: float, population: dict[int, int],
              measure_rows: list[dict], notification_rows: list[dict], spend: dict[int, float],
              family_care: tuple[str, ...] = (), group_spend: dict | None = None) -> list[dict]:
    """The demo municipality's figures, computed from its own exports:
    anbragte = children with a placement running on 31 Dec; forebyggende = children with a
    preventive measure running on 31 Dec and no placement; underretninger = notifications
    received in the year; udgift_1000kr = the year's total 5.28 spend including "Øvrige"
    (economy.total_spend: the sum of budget.xlsx's forbrug from 2023) / 1000; anbragte_familiepleje
    and anbragte_uden_samtykke = the children in care on 31 Dec in family care (``family_care``: the
    measure names) and without consent; the spend on preventive measures and on both groups from
    ``group_spend`` (economy.group_spend) / 1000."""
    drift = rng.uniform(-0.004, 0.004)
    rows = []
    for year in FULL_YEARS:
        day = date(year, 12, 31)
        placed = children_with(measure_rows, "Anbringelse", day)
        preventive = children_with(measure_rows, "Forebyggende", day) - placed
        notes = sum(1 for n in notification_rows if n["modtaget"].year == year)
        rows.append(row(kommune, year, population[year], len(placed), len(preventive), notes, spend[year] / 1000,
                        index * (1 + drift * (year - 2017))))
        family, forced = placed_where(measure_rows, day, family_care)
        parts = (group_spend or {}).get(year, {})
        prevention, placements = parts.get("Forebyggende", 0.0), parts.get("Anbringelse", 0.0)
        rows[-1].update(anbragte_familiepleje=len(family), anbragte_uden_samtykke=len(forced),
                        udgift_forebyggende_1000kr=round(prevention / 1000, 1),
                        udgift_indsatser_1000kr=round((prevention + placements) / 1000, 1))
    return rows


def benchmark_rows(rng: random.Random, demo: Kommune, population: dict[int, int],
                   measure_rows: list[dict], notification_rows: list[dict], spend: dict[int, float],
                   detail: random.Random | None = None, family_care: tuple[str, ...] = (),
                   group_spend: dict | None = None) -> list[dict]:
    """All municipalities' rows; spend is the demo municipality's total 5.28 spend per year, kr.
    ``detail`` draws the placement details of the other municipalities (see the module docstring)."""
    index = socio_base(rng)
    detail = detail or random.Random(f"{demo.code}:benchmark-detail")
    rows = []
    for kommune in KOMMUNER:
        if kommune.code == demo.code:
            rows += demo_rows(rng, kommune, index[kommune.code], population, measure_rows, notification_rows, spend,
                              family_care, group_spend)
        else:
            rows += other_rows(rng, kommune, index[kommune.code], detail)
    return rows
