"""Political focus areas and goals (maal.csv) for 2025 and 2026.

Baselines are computed from the exports themselves, so a site built from
the sample data starts exactly at the baseline:

* administration.underretninger_24t: notifications received in the year
  whose vurderet is at most 24 hours after modtaget, % of all received
  (an empty vurderet counts as not assessed in time).
* administration.undersoegelser_4mdr: investigations finished in the year
  within 4 months of their start, % of those finished in the year.
* indsatser.andel_forebyggende: children with a preventive measure and no
  placement on 31 Dec, % of children with any measure on 31 Dec.
* indsatser.andel_familiepleje: placed children in Plejefamilie or
  Netværkspleje on 31 Dec, % of placed children.
* resultater.skolefravaer: mean skolefravaer_pct in resultater.csv.
* oekonomi.forbrugsprocent: forbrug / korrigeret_budget * 100 in budget.xlsx.
"""

from __future__ import annotations

from datetime import date, timedelta

from lisite.sampledata.benchmark import children_with, running_on
from lisite.sampledata.dates import within_four_months


def pct(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def assessed_in_time(notifications: list[dict], year: int) -> float:
    received = [n for n in notifications if n["modtaget"].year == year]
    in_time = [n for n in received if n["vurderet"] and n["vurderet"] - n["modtaget"] <= timedelta(hours=24)]
    return pct(len(in_time), len(received))


def investigations_in_time(investigations: list[dict], year: int) -> float:
    finished = [i for i in investigations if i["afsluttet"] and i["afsluttet"].year == year]
    return pct(sum(within_four_months(i["startet"], i["afsluttet"]) for i in finished), len(finished))


def preventive_share(measures: list[dict], year: int) -> float:
    day = date(year, 12, 31)
    placed = children_with(measures, "Anbringelse", day)
    preventive = children_with(measures, "Forebyggende", day) - placed
    return pct(len(preventive), len(preventive) + len(placed))


FAMILY_CARE = ("Plejefamilie", "Netværkspleje")  # the demo's names; another site passes its own


def family_care_share(measures: list[dict], year: int, family_care: tuple[str, ...] = FAMILY_CARE) -> float:
    day = date(year, 12, 31)
    placed = children_with(measures, "Anbringelse", day)
    family = {r["sags_id"] for r in measures if r["indsatstype"] in family_care and running_on(r, day)}
    return pct(len(family & placed), len(placed))


def school_absence(results: list[dict], year: int) -> float:
    values = [r["skolefravaer_pct"] for r in results if r["aar"] == year and r["skolefravaer_pct"] is not None]
    return round(sum(values) / len(values), 1) if values else 0.0


def spend_share(budget: list[dict], year: int) -> float:
    lines = [b for b in budget if b["aar"] == year]
    return pct(sum(b["forbrug"] for b in lines), sum(b["korrigeret_budget"] for b in lines))


# (years, focus area, political goal, indicator, target, deadline)
GOALS = (
    ((2025, 2026), "Rettidig sagsbehandling", "Alle underretninger vurderes inden for 24 timer",
     "administration.underretninger_24t", 95.0, 2026),
    ((2025,), "Grundige og rettidige undersøgelser", "Børnefaglige undersøgelser afsluttes inden for fire måneder",
     "administration.undersoegelser_4mdr", 90.0, 2025),
    ((2025, 2026), "Tidlig og forebyggende indsats", "Flere børn hjælpes med forebyggende indsatser frem for anbringelse",
     "indsatser.andel_forebyggende", 78.0, 2027),
    ((2025, 2026), "Børn skal vokse op i familier", "Flere anbragte børn bor i en plejefamilie eller netværkspleje",
     "indsatser.andel_familiepleje", 70.0, 2027),
    ((2026,), "Skolegang og læring", "Skolefraværet for børn med indsatser skal ned",
     "resultater.skolefravaer", 10.0, 2028),
    ((2025, 2026), "Økonomi i balance", "Forbruget holdes inden for det korrigerede budget",
     "oekonomi.forbrugsprocent", 100.0, 2026),
)


def goal_rows(notifications: list[dict], investigations: list[dict], measures: list[dict],
              results: list[dict], budget: list[dict], family_care: tuple[str, ...] = FAMILY_CARE) -> list[dict]:
    baseline = {
        "administration.underretninger_24t": lambda y: assessed_in_time(notifications, y),
        "administration.undersoegelser_4mdr": lambda y: investigations_in_time(investigations, y),
        "indsatser.andel_forebyggende": lambda y: preventive_share(measures, y),
        "indsatser.andel_familiepleje": lambda y: family_care_share(measures, y, family_care),
        "resultater.skolefravaer": lambda y: school_absence(results, y),
        "oekonomi.forbrugsprocent": lambda y: spend_share(budget, y),
    }
    rows = []
    for year in (2025, 2026):
        base_year = year - 2  # goals are set in the autumn before, on the last complete year
        for years, area, goal, indicator, target, deadline in GOALS:
            if year in years:
                rows.append({
                    "aar": year, "fokusomraade": area, "politisk_maal": goal, "indikator": indicator,
                    "baseline": baseline[indicator](base_year), "baseline_aar": base_year, "maal": target, "frist": deadline,
                })
    return rows
