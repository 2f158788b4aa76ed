"""Case events: notifications, investigations, follow-ups and management audits.

* Notifications: every investigation opened because of a notification gets
  one (foerte_til_undersoegelse = Ja, linked to the case). The rest of the
  year's total (about 112 per 1,000 children in 2017, rising by 2 a year) are
  notifications that did not lead to an investigation: 45 % concern a child
  with an open case (linked), the others have an empty sags_id. Police
  notifications arrive at any hour, the others on weekdays 7-17. The share
  assessed within 24 hours rises from 85 % (2017) to about 92 % (2026).
* Follow-ups are due 3 months after a measure starts and then every 6 months
  while it runs; upcoming ones until 31-12-2026 are included. About 78-90 %
  (rising) are done up to 30 days early, the rest 1-100 days late.
* Management audits: 2-5 a month per team from 2019, on cases open in that
  team all month; about 80 % lawful in 2019 rising to 91 %.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta

from lisite.sampledata.cases import Case, Investigation, Measure, Weighted, weighted
from lisite.sampledata.dates import (
    CUTOFF, CUTOFF_END, DATA_START, add_months, days, month_end, month_number, months, randint, random_date, year_part,
)
from lisite.sampledata.names import AUDIT_FINDINGS
from lisite.sampledata.staff import DEMO, Organisation

SOURCES = {"Skole": 30, "Politi": 20, "Sundhedsvæsen": 14, "Dagtilbud": 12, "Forældre": 8, "Anonym": 7, "Andre": 9}
MONTH_WEIGHTS = (1.0, 1.05, 1.1, 1.0, 1.05, 0.95, 0.6, 0.9, 1.15, 1.1, 1.1, 0.9)
GOAL_ATTAINMENT = {"Helt": 40, "Delvist": 45, "Ikke": 15}
LAST_FOLLOWUP_DUE = date(2026, 12, 31)
AUDIT_START = date(2019, 1, 1)
SOURCE = Weighted(SOURCES.items())
GOAL = Weighted(GOAL_ATTAINMENT.items())


def notifications_per_1000(year: int) -> float:
    return 112 + 2.0 * (year - 2017)


def received_at(rng: random.Random, day: date, source: str) -> datetime:
    """A time of day: police at any hour, everyone else on weekdays in working hours."""
    if source == "Politi":
        return datetime(day.year, day.month, day.day, randint(rng, 0, 23), randint(rng, 0, 59))
    while day.weekday() >= 5:
        day = days(day, 1) if days(day, 1) <= CUTOFF else days(day, -1)
    return datetime(day.year, day.month, day.day, randint(rng, 7, 16), randint(rng, 0, 59))


def assessed_at(rng: random.Random, received: datetime) -> datetime | None:
    """The safety assessment; empty if it would fall after the extraction."""
    on_time = min(0.93, 0.85 + 0.008 * (received.year - 2017) + rng.uniform(-0.01, 0.01))
    minutes = randint(rng, 10, 1430) if rng.random() < on_time else randint(rng, 1450, 9 * 1440)
    moment = received + timedelta(minutes=minutes)
    return moment if moment <= CUTOFF_END else None


def notification_day(rng: random.Random, year: int) -> date:
    last_month = CUTOFF.month if year == CUTOFF.year else 12
    month = weighted(tuple(zip(range(1, last_month + 1), MONTH_WEIGHTS))).draw(rng)  # rng.choices(months, weights)[0]
    first = date(year, month, 1)
    return random_date(rng, first, min(month_end(year, month), CUTOFF))


def open_case_on(rng: random.Random, cases: list[Case], day: date) -> Case | None:
    for _ in range(60):
        case = rng.choice(cases)
        if case.is_open(day):
            return case
    return None


def notification_rows(rng: random.Random, cases: list[Case], children: dict[int, int]) -> list[dict]:
    items: list[tuple[datetime, str | None, bool, str]] = []
    for case in cases:
        for item in case.investigations:
            if not item.notified:
                continue
            day = case.opened if item is case.investigations[0] else days(item.start, -randint(rng, 0, 7))
            if DATA_START <= day <= CUTOFF:
                source = SOURCE.draw(rng)
                items.append((received_at(rng, day, source), case.case_id, True, source))
    per_year = Counter(item[0].year for item in items)  # kept up to date: a weekend can move one into January
    for year in range(DATA_START.year, CUTOFF.year + 1):
        target = round(children[year] * notifications_per_1000(year) / 1000 * year_part(year))
        for _ in range(max(0, target - per_year[year])):
            day = notification_day(rng, year)
            linked = open_case_on(rng, cases, day) if rng.random() < 0.45 else None
            source = SOURCE.draw(rng)
            received = received_at(rng, day, source)
            items.append((received, linked.case_id if linked else None, False, source))
            per_year[received.year] += 1
    items.sort(key=lambda item: (item[0], item[1] or "", item[2]))
    rows = []
    for number, (received, case_id, led, source) in enumerate(items, start=1):
        rows.append({
            "underretning_id": f"U-{number:06d}", "sags_id": case_id, "modtaget": received, "kilde": source,
            "vurderet": assessed_at(rng, received), "foerte_til_undersoegelse": led,
        })
    return rows


def investigation_rows(cases: list[Case]) -> list[dict]:
    found: list[Investigation] = [i for c in cases for i in c.investigations if DATA_START <= i.start <= CUTOFF]
    found.sort(key=lambda i: (i.start, i.case.case_id))
    return [
        {"undersoegelse_id": f"BFU-{number:06d}", "sags_id": item.case.case_id, "startet": item.start,
         "afsluttet": item.end if item.end <= CUTOFF else None}
        for number, item in enumerate(found, start=1)
    ]


def followup_rows(rng: random.Random, measures: list[Measure]) -> list[dict]:
    rows = []
    for measure in measures:
        due = add_months(measure.start, 3)
        while due <= measure.end and due <= LAST_FOLLOWUP_DUE:
            if due >= DATA_START:
                on_time = min(0.9, 0.78 + 0.012 * (due.year - 2017))
                done = days(due, -randint(rng, 0, 30)) if rng.random() < on_time else days(due, randint(rng, 1, 100))
                done = done if done <= CUTOFF else None
                rows.append({
                    "ydelse_id": measure.export["ydelse_id"], "sags_id": measure.case.case_id, "frist": due,
                    "udfoert": done, "maalopfyldelse": GOAL.draw(rng) if done else None,
                })
            due = add_months(due, 6)
    rows.sort(key=lambda row: (row["frist"], row["ydelse_id"]))
    return rows


def open_all_month(cases: list[Case], first: date, last: date) -> dict[int, list[Case]]:
    """{month number: cases open on its first and last day}, for the months from first to last."""
    low, high = month_number(first), month_number(last)
    found: dict[int, list[Case]] = {n: [] for n in range(low, high + 1)}
    for case in cases:
        start = month_number(case.opened) + (0 if case.opened.day == 1 else 1)
        for number in range(max(start, low), min(month_number(case.closed) - 1, high) + 1):
            found[number].append(case)
    return found


def audit_rows(rng: random.Random, cases: list[Case], org: Organisation = DEMO) -> list[dict]:
    rows = []
    open_cases = open_all_month(cases, AUDIT_START, CUTOFF)
    for year, month in months((AUDIT_START.year, AUDIT_START.month), (CUTOFF.year, CUTOFF.month)):
        first, last = date(year, month, 1), month_end(year, month)
        by_team: dict[str, list[Case]] = {team: [] for team in org.team_area}
        for case in open_cases[month_number(first)]:
            by_team[org.team_at(case, first)].append(case)
        lawful = min(0.93, 0.80 + 0.016 * (year - 2019))
        for team, candidates in by_team.items():
            for case in rng.sample(candidates, min(len(candidates), randint(rng, 2, 5))):
                day = random_date(rng, first, last)
                while day.weekday() >= 5:
                    day = days(day, -1) if day.day > 3 else days(day, 2)
                ok = rng.random() < lawful
                rows.append({"sags_id": case.case_id, "dato": day, "team": team, "lovmedholdelig": ok,
                             "fund": None if ok else rng.choice(AUDIT_FINDINGS)})
    rows.sort(key=lambda row: (row["dato"], row["team"], row["sags_id"]))
    return [{"tilsyn_id": f"LT-{number:05d}", **row} for number, row in enumerate(rows, start=1)]
