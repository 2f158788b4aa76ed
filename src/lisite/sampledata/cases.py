"""Simulate the case histories behind every case-system export.

Cases arrive from 2005 on at a steady rate (per 12,500 children), so the
population of open cases is already in a steady state in 2017. Each case gets
a hidden birth date, a target group, an investigation and a path:

* Socialt udsat: about 40 % end after the investigation, about half get
  preventive measures (some escalate to a placement after a new
  investigation), the rest are placed directly, teenagers more often.
* Handicap: long-running cases; about half get preventive measures
  (mostly relief care and practical support), a few are placed in a
  residential institution, the rest receive support outside the measure
  export (e.g. compensation for extra costs) and have no measure rows.

Every date is the true date; the exports later cut the story at CUTOFF
(30-09-2026): later end dates become empty and later events disappear.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from lisite.sampledata.dates import (
    CUTOFF, DATA_START, HISTORY_START, add_months, add_years, age_on, days, randint, random_date,
)

UDSAT, HANDICAP = "Socialt udsat", "Handicap"
UDSAT_PER_YEAR = 430  # new cases a year per 12,500 children, growing 1 % a year from 2017
HANDICAP_PER_YEAR = 46
UDSAT_AGES = (9, 5, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 7, 9, 10, 10, 8, 5)  # weights for age 0..17 at opening
HANDICAP_AGES = (5, 6, 7, 8, 9, 9, 9, 8, 7, 6, 5, 4, 3, 3, 2, 2, 1, 1)
DISABILITIES = {"Autisme": 30, "ADHD": 25, "Udviklingshæmning": 20, "Fysisk": 15, "Sansemæssig": 10}
FAMILY_CARE = ("Plejefamilie", "Netværkspleje")


@dataclass
class Investigation:
    start: date
    end: date
    notified: bool  # opened because of a notification (which then 'led to an investigation')
    case: Case | None = None


@dataclass
class Measure:
    kind: str
    group: str  # "Forebyggende" or "Anbringelse"
    start: date
    end: date
    forced: bool = False
    case: Case | None = None
    export: dict = field(default_factory=dict)  # filled by measures.describe()


@dataclass
class Case:
    group: str
    opened: date
    birth: date
    gender: str
    disability: str | None = None
    closed: date | None = None
    investigations: list[Investigation] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    case_id: str = ""
    referred: date | None = None  # leaves Modtagelsen for an age team (staff.plan_intake); None: never
    eighteen: date = field(init=False, repr=False, compare=False)  # the 18th birthday (birth never changes)

    def __post_init__(self):
        self.eighteen = add_years(self.birth, 18)

    def is_open(self, d: date) -> bool:
        return self.opened <= d and (self.closed is None or self.closed > d)

    def first_measure_start(self) -> date | None:
        return min((m.start for m in self.measures), default=None)

    def intake_end(self) -> date | None:
        """When the intake ends: the first investigation finishes or the first measure starts."""
        ends = [self.investigations[0].end] if self.investigations else []
        first = self.first_measure_start()
        return min(ends + ([first] if first else []), default=None)


class Weighted:
    """Keys with weights, drawn as ``rng.choices(keys, weights=weights)[0]`` draws them: the same key from the
    same random number, with the running sums of the weights worked out once."""

    def __init__(self, weights: Iterable[tuple[object, float]]):
        weights = tuple(weights)
        self.keys = tuple(key for key, _ in weights)
        self.cumulative = list(itertools.accumulate(weight for _, weight in weights))
        self.total = self.cumulative[-1] + 0.0
        if not 0.0 < self.total < math.inf:
            raise ValueError(f"weights {dict(weights)} must add up to a positive, finite number")
        self.last = len(self.keys) - 1

    def draw(self, rng: random.Random):
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.total, 0, self.last)]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    """One key of ``weights`` drawn with its weight: ``rng.choices(list(weights), weights=...)[0]``, the same draw
    from the same random number (see Weighted)."""
    return weighted(tuple(weights.items())).draw(rng)


@functools.lru_cache(maxsize=256)
def weighted(weights: tuple[tuple[object, float], ...]) -> Weighted:
    return Weighted(weights)


def investigation(rng: random.Random, start: date, notified: bool) -> Investigation:
    """An investigation whose share finished within 4 months rises from about 70 % (2017) to 84 % (2026)."""
    on_time = min(0.86, 0.70 + 0.016 * max(0, start.year - 2017))
    length = randint(rng, 35, 120) if rng.random() < on_time else randint(rng, 125, 240)
    return Investigation(start, days(start, length), notified)


PREVENTIVE_HANDICAP = Weighted({"Aflastning": 45, "Praktisk pædagogisk støtte": 30, "Konsulentbistand": 15,
                                 "Kontaktperson": 10}.items())
PREVENTIVE_0_6 = Weighted({"Familiebehandling": 45, "Praktisk pædagogisk støtte": 20, "Konsulentbistand": 20,
                           "Aflastning": 10, "Kontaktperson": 5}.items())
PREVENTIVE_7_13 = Weighted({"Familiebehandling": 35, "Kontaktperson": 20, "Praktisk pædagogisk støtte": 15,
                            "Konsulentbistand": 15, "Aflastning": 15}.items())
PREVENTIVE_14_17 = Weighted({"Kontaktperson": 45, "Familiebehandling": 25, "Konsulentbistand": 15,
                             "Praktisk pædagogisk støtte": 10, "Aflastning": 5}.items())


def preventive_kind(rng: random.Random, case: Case, when: date) -> str:
    if case.group == HANDICAP:
        return PREVENTIVE_HANDICAP.draw(rng)
    age = age_on(case.birth, when)
    if age < 7:
        return PREVENTIVE_0_6.draw(rng)
    if age < 14:
        return PREVENTIVE_7_13.draw(rng)
    return PREVENTIVE_14_17.draw(rng)


def placement_kind(rng: random.Random, case: Case, when: date) -> str:
    """Family care dominates for small children and grows slowly over the years."""
    age = age_on(case.birth, when)
    if case.group == HANDICAP:
        weights = {"Døgninstitution": 65, "Plejefamilie": 20, "Opholdssted": 15}
    elif age < 7:
        weights = {"Plejefamilie": 75, "Netværkspleje": 15, "Døgninstitution": 7, "Opholdssted": 3}
    elif age < 14:
        weights = {"Plejefamilie": 55, "Netværkspleje": 12, "Opholdssted": 18, "Døgninstitution": 15}
    else:
        weights = {"Plejefamilie": 30, "Netværkspleje": 8, "Opholdssted": 27, "Døgninstitution": 20}
        if age >= 15:
            weights["Eget værelse"] = 15
    trend = 1 + 0.04 * max(0, when.year - 2017)
    return pick(rng, {k: w * trend if k in FAMILY_CARE else w for k, w in weights.items()})


def add_measure(case: Case, kind: str, group: str, start: date, end: date, forced: bool = False) -> date | None:
    """Add a measure cut at the day before the 18th birthday; returns its end, or None if it never starts."""
    end = min(end, days(case.eighteen, -1))
    if start >= end:
        return None
    case.measures.append(Measure(kind, group, start, end, forced, case))
    return end


def preventive_phase(rng: random.Random, case: Case, start: date, total_months: int, segment: tuple[int, int]) -> date:
    """Consecutive preventive measures (renewals, changes of type), sometimes with a parallel one."""
    end_of_phase = add_months(start, total_months)
    when, kind, last_end = start, preventive_kind(rng, case, start), start
    while when < end_of_phase:
        stop = min(add_months(when, randint(rng, *segment)), end_of_phase)
        end = add_measure(case, kind, "Forebyggende", when, stop)
        if end is None:
            break
        last_end = end
        if rng.random() < 0.2:  # a parallel measure for part of the period
            extra = preventive_kind(rng, case, when)
            if extra != kind:
                add_measure(case, extra, "Forebyggende", days(when, randint(rng, 0, 60)), days(stop, -randint(rng, 0, 90)))
        when = days(stop, 1)
        if rng.random() < 0.3:
            kind = preventive_kind(rng, case, when)
    return last_end


PLACEMENT_LENGTH = Weighted(enumerate((38, 44, 18)))  # short, medium, long


def placement(rng: random.Random, case: Case, start: date) -> date:
    """A placement (sometimes moved to another place), then perhaps support after coming home."""
    lengths = [randint(rng, 3, 12), randint(rng, 12, 48), randint(rng, 48, 120)]
    length = lengths[PLACEMENT_LENGTH.draw(rng)]  # rng.choices(lengths, weights=[38, 44, 18])[0]
    if case.group == HANDICAP:
        length = randint(rng, 24, 120)
    age = age_on(case.birth, start)
    forced = rng.random() < (0.18 if age >= 12 else 0.09)
    stop = add_months(start, length)
    kind = placement_kind(rng, case, start)
    if rng.random() < 0.15 and length >= 12:  # breakdown: a move to another placement half-way
        middle = add_months(start, length // 2)
        end = add_measure(case, kind, "Anbringelse", start, middle, forced)
        if end is None:
            return start
        start, kind = days(end, 1), placement_kind(rng, case, days(end, 1))
    end = add_measure(case, kind, "Anbringelse", start, stop, forced)
    if end is None:
        return start
    if end < days(case.eighteen, -200) and rng.random() < 0.4:  # support after returning home
        after = add_measure(case, pick(rng, {"Kontaktperson": 50, "Familiebehandling": 50}), "Forebyggende",
                            days(end, 1), add_months(end, randint(rng, 6, 12)))
        end = after or end
    return end


UDSAT_PATH_0_11 = Weighted({"none": 40, "preventive": 49, "placement": 6}.items())
UDSAT_PATH_12_17 = Weighted({"none": 40, "preventive": 49, "placement": 10}.items())


def plan_udsat(rng: random.Random, case: Case) -> date:
    """Investigation, then nothing, preventive measures or a placement. Returns the last activity."""
    first = investigation(rng, days(case.opened, randint(rng, 0, 10)), notified=rng.random() < 0.8)
    case.investigations.append(first)
    age = age_on(case.birth, case.opened)
    path = (UDSAT_PATH_12_17 if age >= 12 else UDSAT_PATH_0_11).draw(rng)
    begin = days(first.end, -randint(rng, 0, 30)) if rng.random() < 0.25 else days(first.end, randint(rng, 0, 21))
    if path == "none":
        return days(first.end, randint(rng, 30, 420))
    if path == "placement":
        return placement(rng, case, begin)
    end = preventive_phase(rng, case, begin, randint(rng, 5, 22), (4, 12))
    if rng.random() < 0.09 and end < days(case.eighteen, -120):
        again = investigation(rng, days(end, -randint(rng, 60, 150)), notified=True)
        case.investigations.append(again)
        end = max(end, placement(rng, case, days(again.end, -randint(rng, 0, 20))))
    return end


HANDICAP_PATH = Weighted({"none": 50, "preventive": 43, "placement": 7}.items())


def plan_handicap(rng: random.Random, case: Case) -> date:
    """Long cases with relief care and support, few placements, many without any measure rows."""
    begin = days(case.opened, randint(rng, 30, 120))
    if rng.random() < 0.6:
        first = investigation(rng, days(case.opened, randint(rng, 0, 14)), notified=False)
        case.investigations.append(first)
        begin = first.end
    path = HANDICAP_PATH.draw(rng)
    if path == "none":
        return add_months(case.opened, randint(rng, 12, 132))
    if path == "placement":
        return placement(rng, case, begin)
    end = preventive_phase(rng, case, begin, randint(rng, 18, 84), (12, 36))
    if rng.random() < 0.1 and end < days(case.eighteen, -120):
        end = max(end, placement(rng, case, days(end, 1)))
    return end


UDSAT_AGE = Weighted(enumerate(UDSAT_AGES))  # rng.choices(range(18), weights=UDSAT_AGES)[0]
HANDICAP_AGE = Weighted(enumerate(HANDICAP_AGES))
DISABILITY = Weighted(DISABILITIES.items())


def new_case(rng: random.Random, group: str, opened: date) -> Case:
    age = (UDSAT_AGE if group == UDSAT else HANDICAP_AGE).draw(rng)
    birth = days(opened, -(age * 365 + randint(rng, 0, 364)))
    if (add_years(birth, 18) - opened).days < 120:  # leave time for the case before the 18th birthday
        birth = days(birth, 200)
    case = Case(group, opened, birth, "Dreng")
    if group == HANDICAP:
        case.disability = DISABILITY.draw(rng)
        boys = 0.75 if case.disability in ("Autisme", "ADHD") else 0.55
    else:
        boys = 0.52
    case.gender = "Dreng" if rng.random() < boys else "Pige"
    last = plan_udsat(rng, case) if group == UDSAT else plan_handicap(rng, case)
    tail = randint(rng, 0, 240)
    case.closed = min(days(last, tail), case.eighteen)
    return case


def simulate_cases(rng: random.Random, scale: float, id_prefix: str = "S-") -> list[Case]:
    """All cases open at some time from DATA_START on, sorted by opening date, with ids assigned."""
    cases: list[Case] = []
    for year in range(HISTORY_START.year, CUTOFF.year + 1):
        growth = 1 + 0.01 * max(0, year - 2017)
        last = min(date(year, 12, 31), CUTOFF)
        part = ((last - date(year, 1, 1)).days + 1) / 365
        for group, per_year in ((UDSAT, UDSAT_PER_YEAR * growth), (HANDICAP, HANDICAP_PER_YEAR)):
            expected = per_year * scale * part
            count = max(0, round(rng.gauss(expected, expected ** 0.5)))
            for _ in range(count):
                cases.append(new_case(rng, group, random_date(rng, date(year, 1, 1), last)))
    cases = [c for c in cases if c.closed >= DATA_START]
    cases.sort(key=lambda c: (c.opened, c.birth))
    number = 100000
    for case in cases:
        number += randint(rng, 3, 25)
        case.case_id = f"{id_prefix}{number}"
        for item in case.investigations:
            item.case = case
    return cases
