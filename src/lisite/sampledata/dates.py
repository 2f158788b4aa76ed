"""Calendar constants and small date helpers shared by the generator modules."""

from __future__ import annotations

import random
from datetime import date, datetime

HISTORY_START = date(2005, 1, 1)  # cases are simulated from here, so 2017 starts in a steady state
DATA_START = date(2017, 1, 1)  # first day covered by the case-system exports
CUTOFF = date(2026, 9, 30)  # extraction date: last day covered by every export
CUTOFF_END = datetime(2026, 9, 30, 23, 59)
FULL_YEARS = tuple(range(2017, 2026))  # complete calendar years in the case data
BUDGET_START = (2023, 1)  # first month of the budget follow-up


DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_from_ordinal = date.fromordinal


def days(d: date, n: int) -> date:
    """The date n days after d (a date, not a datetime): d + timedelta(days=n), by day numbers as that is faster."""
    return _from_ordinal(d.toordinal() + n)


def month_length(year: int, month: int) -> int:
    """Days in the month: calendar.monthrange(year, month)[1]."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return DAYS_IN_MONTH[month]


def add_months(d: date, n: int) -> date:
    """The same day n months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    day = d.day
    if day > 28:  # every month has the 28th
        day = min(day, month_length(year, month))
    return date(year, month, day)


def add_years(d: date, n: int) -> date:
    return add_months(d, 12 * n)


def month_end(year: int, month: int) -> date:
    return date(year, month, month_length(year, month))


def months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, month) from first to last, both included."""
    out = []
    year, month = first
    while (year, month) <= last:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_number(d: date) -> int:
    """Months since year 0: consecutive months have consecutive numbers."""
    return d.year * 12 + d.month - 1


def age_on(birth: date, d: date) -> int:
    """Completed years of age on date d."""
    return d.year - birth.year - ((d.month, d.day) < (birth.month, birth.day))


def random_date(rng: random.Random, first: date, last: date) -> date:
    """A uniformly drawn date from first to last, both included."""
    start = first.toordinal()
    return _from_ordinal(start + randint(rng, 0, last.toordinal() - start))


def randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint(low, high) for low <= high: the same number from the same draw, without randint's and
    randrange's own steps (in CPython 3.11 randint(a, b) returns a + rng._randbelow(b - a + 1))."""
    if high < low:
        raise ValueError(f"empty range for randint({low}, {high})")
    return low + rng._randbelow(high - low + 1)


def within_four_months(start: date, end: date) -> bool:
    """The legal deadline of a child welfare investigation (Barnets lov § 20, stk. 3)."""
    return end <= add_months(start, 4)


def year_part(year: int) -> float:
    """The share of a year covered by the data: 1 for full years, 273/365 for 2026."""
    if year < CUTOFF.year:
        return 1.0
    return ((CUTOFF - date(year, 1, 1)).days + 1) / 365
