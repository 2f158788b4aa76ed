"""Plant a handful of realistic errors for the data-quality checks to find.

Nothing here empties a required column. The planted rows:

* ydelser: 3 preventive measures (started 2019-2025, shorter than 300 days)
  whose slutdato was typed a year too early, so it lies before startdato;
  and 1 running placement whose row appears twice (exact duplicate).
* underretninger: 8 notifications received 2018-2025 with an empty vurderet.
* undersoegelser: 4 investigations started 2023 to mid-2025 whose afsluttet
  was never registered (empty).
* opfoelgninger: 6 follow-ups due in 2024-2025 that were done, now shown as
  not done (empty udfoert and maalopfyldelse): long past due.

A small municipality may have fewer rows to choose from (Læsø with seed 7 has no
running placement): then fewer are planted, as many as there are, and the README
says how many. Where there are enough, the draws are the same as always.

Each function returns the ids it touched, for the README.
"""

from __future__ import annotations

import random
from datetime import date

from lisite.sampledata.dates import add_years


def measure_dirt(rng: random.Random, measures: list[dict]) -> tuple[list[str], list[str]]:
    """End dates typed a year too early (3 rows) and one duplicated placement row: (typo ids, duplicate id)."""
    short = [
        r for r in measures
        if r["indsatsgruppe"] == "Forebyggende" and 2019 <= r["startdato"].year <= 2025
        and r["slutdato"] is not None and (r["slutdato"] - r["startdato"]).days < 300
    ]
    touched = []
    for row in rng.sample(short, min(3, len(short))):
        row["slutdato"] = add_years(row["slutdato"], -1)
        touched.append(row["ydelse_id"])
    running = [r for r in measures if r["indsatsgruppe"] == "Anbringelse" and r["sagsstatus"] == "Aktiv"]
    if not running:
        return sorted(touched), []
    twin = rng.choice(running)
    measures.insert(measures.index(twin) + 1, dict(twin))
    return sorted(touched), [twin["ydelse_id"]]


def notification_dirt(rng: random.Random, notifications: list[dict]) -> list[str]:
    candidates = [n for n in notifications if 2018 <= n["modtaget"].year <= 2025 and n["vurderet"] is not None]
    chosen = rng.sample(candidates, min(8, len(candidates)))
    for row in chosen:
        row["vurderet"] = None
    return sorted(row["underretning_id"] for row in chosen)


def investigation_dirt(rng: random.Random, investigations: list[dict]) -> list[str]:
    candidates = [i for i in investigations if date(2023, 1, 1) <= i["startet"] <= date(2025, 6, 30) and i["afsluttet"]]
    chosen = rng.sample(candidates, min(4, len(candidates)))
    for row in chosen:
        row["afsluttet"] = None
    return sorted(row["undersoegelse_id"] for row in chosen)


def followup_dirt(rng: random.Random, followups: list[dict]) -> list[str]:
    candidates = [f for f in followups if 2024 <= f["frist"].year <= 2025 and f["udfoert"]]
    chosen = rng.sample(candidates, min(6, len(candidates)))
    for row in chosen:
        row["udfoert"] = row["maalopfyldelse"] = None
    return sorted(f"{row['ydelse_id']} (frist {row['frist']:%d-%m-%Y})" for row in chosen)
