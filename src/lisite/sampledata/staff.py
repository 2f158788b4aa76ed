"""Teams, staff (medarbejdere.csv) and who handles each case (sagsbehandlerskift.csv).

A socially vulnerable child's case starts in Modtagelsen. A case that will
get measures moves after a screening of one to four weeks (at the latest when
its first investigation ends or its first measure starts) to the team for the
child's age (0-6, 7-13, 14+) and follows the child's age from then on; a case
without measures stays in Modtagelsen until it closes. Disability cases are in
Team Handicap from the start. sager.csv holds only the current team (or the
team on closing), so plugins count a case's whole history in that team: with
short stays in transit the open cases per team still change smoothly from
month to month, right up to CUTOFF.
Each team has one caseworker position per 25 open cases on CUTOFF (at least
two), one leader, and Modtagelsen and Team Unge a professional coordinator.
Each position is held by a chain of people from 2005: tenure is exponential
with a mean of 4.5 years for caseworkers (about one in five leaves a year),
and a vacancy lasts two weeks to two and a half months.

Caseworkers are assigned in date order, keeping track of everyone's open
cases: a case gets one of the three least loaded caseworkers of its team
(a newcomer counts as having 8 cases more during the first two months) when
it opens, when it changes team, on the day its caseworker leaves, and now
and then when work is redistributed. The last caseworker is the one in
sager.csv; changes from 01-01-2017 are exported.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from lisite.sampledata.cases import HANDICAP, Case
from lisite.sampledata.dates import CUTOFF, DATA_START, HISTORY_START, add_years, age_on, days
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


@dataclass(eq=False)
class Employee:
    team: str
    role: str
    hired: date
    left: date | None  # None: still employed on CUTOFF
    name: str = ""
    employee_id: str = ""

    def works_on(self, d: date) -> bool:
        return self.hired <= d and (self.left is None or self.left > d)


def plan_intake(rng: random.Random, cases: list[Case]) -> None:
    """Set the day each socially vulnerable case that will get measures leaves Modtagelsen: after a
    screening of one to four weeks, at the latest when its first investigation ends or its first
    measure starts. Cases without measures stay in Modtagelsen until they close."""
    for case in cases:
        if case.group != HANDICAP and case.measures:
            case.referred = min(days(case.opened, rng.randint(7, 28)), case.intake_end())


def team_at(case: Case, d: date) -> str:
    """The team that handles the case on date d in the demo municipality (plan_intake must have run)."""
    if case.group == HANDICAP:
        return "Team Handicap"
    if case.referred is None or case.referred > d:
        return "Modtagelsen"
    age = age_on(case.birth, d)
    return "Team 0-6 år" if age < 7 else "Team 7-13 år" if age < 14 else "Team Unge"


@dataclass(frozen=True)
class Organisation:
    """A municipality's teams and areas, and which team handles a case on a given day."""

    team_area: dict[str, str]  # team -> area, in the order teams are staffed
    coordinators: tuple[str, ...]  # teams with a professional coordinator
    team_at: Callable[[Case, date], str]
    birthdays: tuple[int, ...] = (7, 14)  # ages at which team_at may move a case to another team


DEMO = Organisation(TEAM_AREA, ("Modtagelsen", "Team Unge"), team_at)


def positions(cases: list[Case], org: Organisation = DEMO, caseload: int = CASES_PER_CASEWORKER) -> dict[str, int]:
    """Caseworker positions per team: one per ``caseload`` open cases on CUTOFF (25), at least two."""
    counts = Counter(org.team_at(case, CUTOFF) for case in cases if case.is_open(CUTOFF))
    return {team: max(2, round(counts[team] / caseload)) for team in org.team_area}


def holders(rng: random.Random, team: str, role: str) -> list[Employee]:
    """The chain of people holding one position from HISTORY_START until CUTOFF."""
    mean = MEAN_TENURE_YEARS[role] * 365
    hired = days(HISTORY_START, -min(12 * 365, round(rng.expovariate(1 / mean))))
    chain = []
    while hired <= CUTOFF:
        left = days(max(hired, HISTORY_START), round(rng.expovariate(1 / mean)) + 30)
        chain.append(Employee(team, role, hired, left if left <= CUTOFF else None))
        if left > CUTOFF:
            break
        hired = days(left, rng.randint(14, 75))
    return chain


def simulate_staff(rng: random.Random, cases: list[Case], prefix: str, org: Organisation = DEMO,
                   caseload: int = CASES_PER_CASEWORKER) -> list[Employee]:
    """Everyone employed since 2005. Those employed after DATA_START get ids and names, by hiring date."""
    staff: list[Employee] = []
    for team, count in positions(cases, org, caseload).items():
        for _ in range(count):
            staff += holders(rng, team, "Sagsbehandler")
        staff += holders(rng, team, "Leder")
        if team in org.coordinators:
            staff += holders(rng, team, "Fagkoordinator")
    staff.sort(key=lambda p: (p.hired, p.team, p.role))
    exported = [p for p in staff if p.left is None or p.left > DATA_START]
    names = rng.sample([f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES], len(exported))
    for number, (person, name) in enumerate(zip(exported, names), start=1):
        person.employee_id, person.name = f"{prefix}-{number:03d}", name
    return staff


def training(rng: random.Random, person: Employee) -> tuple[bool, bool, float]:
    """(ics_uddannet, sos_uddannet, supervision_timer): shares rise with the year the person was last employed."""
    last_year = (person.left or CUTOFF).year
    leader = person.role != "Sagsbehandler"
    ics = last_year >= 2018 and rng.random() < min(0.86, 0.25 + 0.09 * (last_year - 2018) + (0.1 if leader else 0))
    sos = last_year >= 2021 and rng.random() < min(0.85, 0.2 + 0.1 * (last_year - 2021) + (0.1 if leader else 0))
    employed_share = min(1.0, ((person.left or CUTOFF) - person.hired).days / 365)
    base = (8 if leader else 10) + 1.8 * (last_year - 2017)
    hours = max(0.0, rng.gauss(base, 3) * employed_share)
    return ics, sos, round(hours * 2) / 2


def staff_rows(rng: random.Random, staff: list[Employee]) -> list[dict]:
    rows = []
    for person in staff:
        if not person.employee_id:
            continue
        ics, sos, hours = training(rng, person)
        rows.append({
            "medarbejder_id": person.employee_id, "navn": person.name, "team": person.team, "rolle": person.role,
            "ansat": person.hired, "fratraadt": person.left, "ics_uddannet": ics, "sos_uddannet": sos,
            "supervision_timer": hours,
        })
    return rows


class Dispatcher:
    """Chooses caseworkers among the least loaded of the team at work that day.

    Calls must come in date order: each team's list of people at work is
    moved forward in time instead of being searched from scratch.
    """

    def __init__(self, rng: random.Random, staff: list[Employee], org: Organisation = DEMO):
        self.rng = rng
        self.waiting = {team: sorted((p for p in staff if p.team == team and p.role == "Sagsbehandler"),
                                     key=lambda p: p.hired, reverse=True) for team in org.team_area}
        self.at_work: dict[str, list[Employee]] = {team: [] for team in org.team_area}
        # per team, the days between which everyone in its list is at work (from the last hired, until the first to
        # leave): on such a day the list stays as it is, without looking at each person
        self.steady: dict[str, tuple[date, date | None]] = {}
        self.latest: dict[str, Employee] = {}
        self.load: dict[Employee, int] = dict.fromkeys(staff, 0)  # open cases of each person

    def people_at_work(self, team: str, d: date) -> list[Employee]:
        """The team's caseworkers at work on d, in hiring order."""
        waiting = self.waiting[team]
        while waiting and waiting[-1].hired <= d:
            self.latest[team] = waiting.pop()
            self.at_work[team].append(self.latest[team])
            self.steady.pop(team, None)
        steady = self.steady.get(team)
        if steady is None or d < steady[0] or (steady[1] is not None and d >= steady[1]):
            people = self.at_work[team] = [p for p in self.at_work[team] if p.works_on(d)]
            leaving = [p.left for p in people if p.left is not None]
            self.steady[team] = (max((p.hired for p in people), default=d), min(leaving, default=None))
        return self.at_work[team]

    def choose(self, team: str, d: date, not_this: Employee | None) -> Employee:
        people = list(self.people_at_work(team, d))
        if not_this in people:
            people.remove(not_this)  # (Employee compares by identity)
        if not people:  # every position vacant that day: the most recently hired (who may have left: the case waits)
            people = [self.latest[team]]
            if not people[0].employee_id:  # ... but left before the exports begin, so no export names them: a
                # caseworker of another team at work that day covers (none at all: the case still waits)
                others = [p for other in self.waiting if other != team for p in self.people_at_work(other, d) if p is not not_this]
                people = sorted(others, key=lambda p: p.hired) or people  # (stable: the teams' order between equals)
        # the three with the fewest cases (a new hire counts 8 more for 60 days), a random draw between equals, as
        # heapq.nsmallest(3, people, key=...) ranks them: each person's draw made in the list's order
        draws = list(itertools.starmap(self.rng.random, itertools.repeat((), len(people))))  # one rng.random() each
        loads = list(map(self.load.__getitem__, people))
        new_from, last = d - timedelta(days=60), len(people) - 1
        while last >= 0 and people[last].hired > new_from:  # the list is in hiring order: new hires come last
            loads[last] += 8
            last -= 1
        # sorted((loads[i], draws[i], i) for every i)[:3], sorting only those with at most the third lowest load
        third = sorted(loads)[:3][-1]
        ranked = sorted([(n, draws[i], i) for i, n in enumerate(loads) if n <= third])[:3]
        return self.rng.choice([people[i] for _, _, i in ranked])

    def move(self, old: Employee | None, new: Employee | None) -> None:
        if old is not None:
            self.load[old] -= 1
        if new is not None:
            self.load[new] += 1


def team_changes(case: Case, until: date, org: Organisation = DEMO) -> list[tuple[date, str]]:
    """(date, team) each time the case enters a team, from opening until the given date."""
    birthdays = [add_years(case.birth, n) for n in org.birthdays]
    moments = [case.opened, case.referred, *birthdays, *(days(b, 1) for b in birthdays)]  # 29 Feb: 1 Mar
    moments = sorted({m for m in moments if m is not None and case.opened <= m <= until})
    changes: list[tuple[date, str]] = []
    for moment in moments:
        team = org.team_at(case, moment)
        if not changes or changes[-1][1] != team:
            changes.append((moment, team))
    return changes


def assign(rng: random.Random, cases: list[Case], staff: list[Employee],
           org: Organisation = DEMO) -> tuple[dict[str, Employee], list[dict]]:
    """The current caseworker of each case and every change of caseworker from DATA_START on."""
    dispatcher = Dispatcher(rng, staff, org)
    order = itertools.count()
    # (day number, order, case index, event, team or assignment version): day numbers (date.toordinal()) come in
    # the same order as the dates and compare faster
    queue: list[tuple] = []
    until = [min(c.closed, CUTOFF) for c in cases]
    for i, case in enumerate(cases):
        for moment, team in team_changes(case, until[i], org):
            queue.append((moment.toordinal(), next(order), i, "team", team))
        queue.append((until[i].toordinal() + 1, next(order), i, "close", None))
    heapq.heapify(queue)  # (as pushing them one by one: no two entries are equal, so they come out in the same order)
    worker: list[Employee | None] = [None] * len(cases)
    team_of = [""] * len(cases)
    version = [0] * len(cases)
    changes = []
    while queue:
        day_number, _, i, event, detail = heapq.heappop(queue)
        if event == "close":
            dispatcher.move(worker[i], None)
            continue
        if event == "team":
            team_of[i] = detail
        elif detail != version[i]:
            continue  # a handover or redistribution planned for an assignment that has changed since
        when = date.fromordinal(day_number)
        new = dispatcher.choose(team_of[i], when, worker[i])
        dispatcher.move(worker[i], new)
        if when >= DATA_START and new is not worker[i]:  # (the team has no one else that day: the case stays, no change)
            changes.append({"sags_id": cases[i].case_id, "dato": when,
                            "fra_sagsbehandler_id": worker[i].employee_id if worker[i] else None,
                            "til_sagsbehandler_id": new.employee_id})
        worker[i] = new
        version[i] += 1
        if new.left and new.left <= until[i]:
            # A team with every position vacant keeps its cases with the last one hired, who may have left
            # already: look again in a fortnight rather than hand the case back to them today, forever.
            # Never past the case's end: a case closed (or exported) keeps the caseworker it had then, and a team that
            # hires no one again would look again every fortnight for ever (seed 19, Samsø: until the year 10000).
            handover = new.left if new.left > when else days(when, 14)
            if handover <= until[i]:
                heapq.heappush(queue, (handover.toordinal(), next(order), i, "handover", version[i]))
        redistributed = days(when, 30 + round(rng.expovariate(1 / (4 * 365))))
        if redistributed <= until[i]:
            heapq.heappush(queue, (redistributed.toordinal(), next(order), i, "redistribute", version[i]))
    changes.sort(key=lambda row: (row["dato"], row["sags_id"]))
    return {case.case_id: worker[i] for i, case in enumerate(cases)}, changes
