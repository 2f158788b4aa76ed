"""Calendar constants and small date helpers shared by the generator modules."""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime, timedelta

HISTORY_START = date(2005, 1, 1)  # cases are simulated from here, so 2017 starts in a steady state
DATA_START = date(2017, 1, 1)  # first day covered by the case-system exports
CUTOFF = date(2026, 9, 30)  # extraction date: last day covered by every export
CUTOFF_END = datetime(2026, 9, 30, 23, 59)
FULL_YEARS = tuple(range(2017, 2026))  # complete calendar years in the case data
BUDGET_START = (2023, 1)  # first month of the budget follow-up


def days(d: date, n: int) -> date:
    return d + timedelta(days=n)


def add_months(d: date, n: int) -> date:
    """The same day n months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, n: int) -> date:
    return add_months(d, 12 * n)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


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
    return first + timedelta(days=rng.randint(0, (last - first).days))


def within_four_months(start: date, end: date) -> bool:
    """The legal deadline of a child welfare investigation (Barnets lov § 20, stk. 3)."""
    return end <= add_months(start, 4)


def year_part(year: int) -> float:
    """The share of a year covered by the data: 1 for full years, 273/365 for 2026."""
    if year < CUTOFF.year:
        return 1.0
    return ((CUTOFF - date(year, 1, 1)).days + 1) / 365
