"""Teams, staff (medarbejdere.csv) and who handles each case (sagsbehandlerskift.csv).

A case sits in Modtagelsen until its first measure starts, then in the team
for the child's age (0-6, 7-13, 14+); disability cases sit in Team Handicap
from the start. Each team has one caseworker position per 25 open cases on
CUTOFF (at least two), one leader, and Modtagelsen and Team Unge a
professional coordinator. Each position is held by a chain of people: tenure
is exponential with a mean of 4.5 years (about one in five leaves a year),
and a vacancy lasts two weeks to two and a half months.

A case gets a caseworker from its team when it opens, a new one when it
changes team, when its caseworker leaves and now and then
when work is redistributed. The last caseworker is the one in sager.csv.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from lisite.sampledata.cases import HANDICAP, Case
from lisite.sampledata.dates import CUTOFF, DATA_START, add_years, age_on, days, random_date
from lisite.sampledata.names import FIRST_NAMES, LAST_NAMES

TEAM_AREA = {
    "Modtagelsen": "Familieafdelingen",
    "Team 0-6 år": "Familieafdelingen",
    "Team 7-13 år": "Familieafdelingen",
    "Team Unge": "Handicap og Unge",
    "Team Handicap": "Handicap og Unge",
}
CASES_PER_CASEWORKER = 25
MEAN_TENURE_YEARS = {"Sagsbehandler": 4.5, "Leder": 7.0, "Fagkoordinator": 6.0}


@dataclass
class Employee:
    team: str
    role: str
    hired: date
    left: date | None  # None: still employed on CUTOFF
    name: str = ""
    employee_id: str = ""

    def works_on(self, d: date) -> bool:
        return self.hired <= d and (self.left is None or self.left > d)


def team_at(case: Case, d: date) -> str:
    """The team that handles the case on date d."""
    if case.group == HANDICAP:
        return "Team Handicap"
    first = case.first_measure_start()
    if first is None or first > d:
        return "Modtagelsen"
    age = age_on(case.birth, d)
    return "Team 0-6 år" if age < 7 else "Team 7-13 år" if age < 14 else "Team Unge"


def positions(cases: list[Case]) -> dict[str, int]:
    """Caseworker positions per team: one per 25 open cases on CUTOFF, at least two."""
    counts = dict.fromkeys(TEAM_AREA, 0)
    for case in cases:
        if case.is_open(CUTOFF):
            counts[team_at(case, CUTOFF)] += 1
    return {team: max(2, round(n / CASES_PER_CASEWORKER)) for team, n in counts.items()}


def holders(rng: random.Random, team: str, role: str) -> list[Employee]:
    """The chain of people holding one position from before 2017 until CUTOFF."""
    mean = MEAN_TENURE_YEARS[role] * 365
    hired = days(DATA_START, -round(rng.expovariate(1 / mean)))  # memoryless: steady state in 2017
    chain = []
    while hired <= CUTOFF:
        left = days(max(hired, DATA_START), round(rng.expovariate(1 / mean)) + 30)
        chain.append(Employee(team, role, hired, left if left <= CUTOFF else None))
        if left > CUTOFF:
            break
        hired = days(left, rng.randint(14, 75))
    return chain


def training(rng: random.Random, person: Employee) -> tuple[bool, bool, float]:
    """(ics_uddannet, sos_uddannet, supervision_timer): shares rise with the year the person was last employed."""
    last_year = (person.left or CUTOFF).year
    leader = person.role != "Sagsbehandler"
    ics = last_year >= 2018 and rng.random() < min(0.92, 0.25 + 0.09 * (last_year - 2018) + (0.1 if leader else 0))
    sos = last_year >= 2021 and rng.random() < min(0.85, 0.2 + 0.1 * (last_year - 2021) + (0.1 if leader else 0))
    end = person.left or CUTOFF
    employed_share = min(1.0, (end - person.hired).days / 365)
    base = (8 if leader else 10) + 1.8 * (last_year - 2017)
    hours = max(0.0, rng.gauss(base, 3) * employed_share)
    return ics, sos, round(hours * 2) / 2


def simulate_staff(rng: random.Random, cases: list[Case], prefix: str) -> list[Employee]:
    """Everyone employed at some time from DATA_START to CUTOFF, numbered by hiring date."""
    staff: list[Employee] = []
    for team, count in positions(cases).items():
        for _ in range(count):
            staff += holders(rng, team, "Sagsbehandler")
        staff += holders(rng, team, "Leder")
        if team in ("Modtagelsen", "Team Unge"):
            staff += holders(rng, team, "Fagkoordinator")
    staff = [p for p in staff if p.left is None or p.left > DATA_START]
    staff.sort(key=lambda p: (p.hired, p.team, p.role))
    names = unique_names(rng, len(staff))
    for number, (person, name) in enumerate(zip(staff, names), start=1):
        person.employee_id, person.name = f"{prefix}-{number:03d}", name
    return staff


def unique_names(rng: random.Random, count: int) -> list[str]:
    pool = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    return rng.sample(pool, count)


def staff_rows(rng: random.Random, staff: list[Employee]) -> list[dict]:
    rows = []
    for person in staff:
        ics, sos, hours = training(rng, person)
        rows.append({
            "medarbejder_id": person.employee_id, "navn": person.name, "team": person.team, "rolle": person.role,
            "ansat": person.hired, "fratraadt": person.left, "ics_uddannet": ics, "sos_uddannet": sos,
            "supervision_timer": hours,
        })
    return rows


class Dispatcher:
    """Chooses caseworkers: someone from the team at work that day; new colleagues get half the cases."""

    def __init__(self, rng: random.Random, staff: list[Employee]):
        self.rng = rng
        self.by_team = {team: [p for p in staff if p.team == team and p.role == "Sagsbehandler"] for team in TEAM_AREA}

    def choose(self, team: str, d: date, not_this: Employee | None = None) -> Employee:
        people = [p for p in self.by_team[team] if p.works_on(d) and p is not not_this]
        if not people:  # every position vacant that day: the most recently hired
            people = [max((p for p in self.by_team[team] if p.hired <= d), key=lambda p: p.hired, default=self.by_team[team][0])]
        weights = [0.5 if (d - p.hired).days < 90 else 1.0 for p in people]
        return self.rng.choices(people, weights=weights)[0]


def team_changes(case: Case, until: date) -> list[tuple[date, str]]:
    """(date, team) each time the case enters a team, from opening until the given date."""
    moments = [case.opened, case.first_measure_start(), add_years(case.birth, 7), add_years(case.birth, 14)]
    moments = sorted({m for m in moments if m is not None and case.opened <= m <= until})
    changes: list[tuple[date, str]] = []
    for moment in moments:
        team = team_at(case, moment)
        if not changes or changes[-1][1] != team:
            changes.append((moment, team))
    return changes


def assign(rng: random.Random, cases: list[Case], staff: list[Employee]) -> tuple[dict[str, Employee], list[dict]]:
    """The current caseworker of each case and every change of caseworker from DATA_START on."""
    dispatcher = Dispatcher(rng, staff)
    current: dict[str, Employee] = {}
    changes: list[dict] = []
    for case in cases:
        until = min(case.closed, CUTOFF) if case.closed else CUTOFF
        teams = team_changes(case, until) + [(days(until, 1), "")]
        worker: Employee | None = None
        for (start, team), (next_start, _) in zip(teams, teams[1:]):
            when = start
            while when < next_start:
                new = dispatcher.choose(team, when, not_this=worker)
                if when >= DATA_START:
                    changes.append({"sags_id": case.case_id, "dato": when,
                                    "fra_sagsbehandler_id": worker.employee_id if worker else None,
                                    "til_sagsbehandler_id": new.employee_id})
                worker = new
                redistributed = days(when, 30 + round(rng.expovariate(1 / (4 * 365))))
                handover = worker.left if worker.left and worker.left > when else None
                when = min(d for d in (redistributed, handover, next_start) if d is not None)
                if when == next_start:
                    break
        current[case.case_id] = worker
    changes.sort(key=lambda row: (row["dato"], row["sags_id"]))
    return current, changes
