"""Turn simulated measures into rows of the measure export (ydelser.csv).

Prices are drawn from ranges at 2025 level and deflated by 1.5 % a year
for start years 2017-2024 (measures started before 2017 are priced as in
2017); a measure keeps its price for its whole life.
Placements carry a daily rate (takst) and pris_pr_maaned = takst * 365 / 12;
preventive measures carry an hourly rate and pris_pr_maaned = takst * hours.
"""

from __future__ import annotations

import random
from datetime import date

from lisite.sampledata.cases import Case, Measure
from lisite.sampledata.dates import CUTOFF, add_months
from lisite.sampledata.kommuner import Kommune, same_region
from lisite.sampledata.names import SUPPLIERS

# Monthly price ranges in kr. at 2025 level.
PRICE_RANGES = {
    "Familiebehandling": (9000, 25000),
    "Kontaktperson": (5000, 12000),
    "Aflastning": (8000, 20000),
    "Praktisk pædagogisk støtte": (6000, 15000),
    "Konsulentbistand": (5000, 10000),
    "Plejefamilie": (35000, 50000),
    "Netværkspleje": (8000, 15000),
    "Opholdssted": (60000, 90000),
    "Døgninstitution": (90000, 140000),
    "Eget værelse": (15000, 25000),
}

BUDGET_FUNCTION = {
    "Opholdssted": "5.28.20", "Eget værelse": "5.28.20",
    "Plejefamilie": "5.28.22", "Netværkspleje": "5.28.22",
    "Døgninstitution": "5.28.23",
}  # every preventive type: 5.28.21

# Barnets lov (from 1 January 2024) and Serviceloven (measures that ended before 2024).
LEGAL_BASIS = {
    "Familiebehandling": ("BL § 32, stk. 1, nr. 5", "SEL § 52, stk. 3, nr. 3"),
    "Kontaktperson": ("BL § 32, stk. 1, nr. 3", "SEL § 52, stk. 3, nr. 6"),
    "Aflastning": ("BL § 32, stk. 1, nr. 7", "SEL § 52, stk. 3, nr. 5"),
    "Praktisk pædagogisk støtte": ("BL § 32, stk. 1, nr. 2", "SEL § 52, stk. 3, nr. 2"),
    "Konsulentbistand": ("BL § 30, stk. 1, nr. 1", "SEL § 11, stk. 3"),
    "placement": ("BL § 46", "SEL § 52, stk. 3, nr. 7"),
    "forced": ("BL § 47", "SEL § 58"),
}
NEW_LAW = date(2024, 1, 1)


def legal_basis(measure: Measure, table: dict[str, tuple[str, str]] = LEGAL_BASIS) -> str:
    key = measure.kind if measure.group == "Forebyggende" else ("forced" if measure.forced else "placement")
    new, old = table[key]
    return old if measure.end < NEW_LAW else new


def price(rng: random.Random, measure: Measure) -> tuple[float, float]:
    """(takst, pris_pr_maaned) for a measure, at the price level of its start year."""
    low, high = PRICE_RANGES[measure.kind]
    level = 1.015 ** (max(measure.start.year, 2017) - 2025)
    target = rng.uniform(low, high) * level
    if measure.group == "Anbringelse":
        rate = round(target * 12 / 365, 2)
        return rate, round(rate * 365 / 12, 2)
    rate = round(rng.uniform(560, 860) * level, 2)
    hours = max(1, round(target / rate))
    return rate, round(rate * hours, 2)


class SupplierBook:
    """Fictional suppliers with a fixed home municipality each; families get one per measure."""

    def __init__(self, rng: random.Random, home: Kommune):
        self.rng, self.home = rng, home
        self.region = same_region(home)
        self.located: dict[str, str] = {}

    def municipality(self) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return self.home.name
        return self.rng.choice(self.region) if roll < 0.9 or not self.region else self.rng.choice(OTHER_PLACES)

    def supplier(self, kind: str) -> tuple[str, str]:
        template = self.rng.choice(SUPPLIERS[kind])
        if "{number}" in template:  # a family: numbered, placed anywhere
            return template.format(number=f"{self.rng.randint(100, 999):04d}"), self.municipality()
        name = template.format(home=self.home.name)
        if "{home}" in template:
            return name, self.home.name
        if name not in self.located:
            self.located[name] = self.municipality()
        return name, self.located[name]


OTHER_PLACES = ("Aarhus", "Vejle", "Næstved", "Silkeborg", "Roskilde", "Viborg", "Holbæk", "Randers")


def exported_end(rng: random.Random, measure: Measure) -> date | None:
    """The end date as the export shows it on CUTOFF: empty while running, a planned end for some preventive ones."""
    if measure.end <= CUTOFF:
        return measure.end
    if measure.group == "Forebyggende" and measure.end <= add_months(CUTOFF, 12) and rng.random() < 0.4:
        return measure.end
    return None


def describe(rng: random.Random, measures: list[Measure], home: Kommune, names: dict[str, str] | None = None,
             legal: dict[str, tuple[str, str]] = LEGAL_BASIS) -> list[dict]:
    """Export rows for every measure that started by CUTOFF and was running on or after DATA_START.

    ``names`` renames the simulated kinds as another case system names them; ``legal`` gives the legal
    basis per kind (Barnets lov, Serviceloven) as that system writes it."""
    names = names or {}
    book = SupplierBook(rng, home)
    rows = []
    number = 200000
    for measure in measures:
        number += rng.randint(1, 9)
        case: Case = measure.case
        rate, monthly = price(rng, measure)
        supplier, located = book.supplier(measure.kind)
        row = {
            "ydelse_id": f"Y-{number}",
            "sags_id": case.case_id,
            "sagsstatus": "Aktiv" if measure.end >= CUTOFF else "Afsluttet",
            "indsatstype": names.get(measure.kind, measure.kind),
            "indsatsgruppe": measure.group,
            "lovhjemmel": legal_basis(measure, legal),
            "budgetfunktion": BUDGET_FUNCTION.get(measure.kind, "5.28.21"),
            "leverandoer": supplier,
            "leverandoer_kommune": located,
            "startdato": measure.start,
            "slutdato": exported_end(rng, measure),
            "takst": rate,
            "pris_pr_maaned": monthly,
            "tvang": measure.forced,
        }
        measure.export = row
        rows.append(row)
    return rows
