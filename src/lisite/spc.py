"""Monthly figures read as a process: XmR charts in the manner of NHS England's "Making Data Count".

Two months side by side say little: every figure moves a bit from month to month. An XmR chart
(individuals and moving range) tells the usual movement from a real change. Its centre is the mean
of the months; its natural process limits are mean ± 2.66 × the mean moving range (the mean of the
absolute differences between neighbouring months; 2.66 = 3 / 1.128, so the limits are three sigma).
A figure is **special cause** when one of four rules fires:

- ``outside``: a month above the upper or below the lower limit;
- ``shift``: :data:`SHIFT` (7) or more months in a row on the same side of the mean (a month exactly on
  the mean breaks the run);
- ``trend``: :data:`TREND` (6) or more months in a row, each higher (or each lower) than the one before
  (an equal neighbour breaks the run);
- ``two_of_three``: two of three months in a row beyond two sigma on the same side (close to a limit).

The verdict is about the latest month, as in Making Data Count: special cause when that month is part
of a pattern, else common cause. ``better`` (higher, lower, neither) says whether a pattern is an
improvement or a concern. With a target, the limits say whether it will be met consistently (the
whole band of normal months lies on the good side of the target), missed consistently (the whole band
lies on the bad side: only a change in the process will meet it), or met and missed by chance (the
target lies between the limits).

Decisions:

- Baseline: every month given (the engine gives the months an indicator is shown over), with at least
  :data:`MIN_POINTS` (12) known months; fewer give no analysis (``None``), since limits from a handful
  of months are mostly noise. Limits are not re-based after a shift.
- Gaps: a month without a visible figure (hidden for disclosure, or not covered by the data) is
  ``None``. It counts in nothing: the mean uses the known months, a moving range needs two
  neighbouring known months, and every run stops at a gap. So no limit, mark or verdict depends on
  a hidden value, and none can reveal one.
- Limits that pass a value the figure cannot take are cut at it (``floor`` 0 for counts, ``ceiling``
  100 for a percentage), so no text or chart speaks of "normal" shares above 100 %.
- The target verdict is the NHS rule on the limits (:meth:`Process.assurance`). Limits drawn from the
  months before a special pattern no longer say where the figure will lie, so the words under a
  chart (:mod:`lisite.variation`) say so instead of promising or ruling out the target.
- Year-to-date (cumulative) figures are not a process: they climb month by month and start again in
  January. :func:`applies` leaves them out, and yearly or quarterly figures too (too few points).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

MIN_POINTS = 12
SHIFT = 7
TREND = 6
LIMIT = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
D2 = 1.128
RULES = ("outside", "trend", "shift", "two_of_three")  # the order a verdict names them in
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Signal:
    """A special-cause pattern: which rule, which way (``high``/``low``), and the months that form it."""

    rule: str
    side: str
    periods: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """What the latest month says: ``common`` or ``special`` cause; for special cause the pattern and its
    judgement (``improving``, ``worrying``, or ``neutral`` when neither direction is better)."""

    kind: str
    signal: Signal | None = None
    judgement: str = ""


@dataclass(frozen=True)
class Process:
    """An XmR chart of a monthly series: centre, limits and the special-cause patterns found."""

    periods: tuple[str, ...]
    values: tuple[float | None, ...]
    mean: float
    sigma: float
    lower: float
    upper: float
    signals: tuple[Signal, ...]
    better: str = "neither"

    @property
    def points(self) -> int:
        """The number of months with a known figure (the baseline)."""
        return sum(v is not None for v in self.values)

    def flagged(self) -> dict[str, str]:
        """Month → ``high``/``low`` for every month that is part of a pattern (for marking on a chart)."""
        marks: dict[str, str] = {}
        for rule in RULES:
            for signal in self.signals:
                if signal.rule == rule:
                    for period in signal.periods:
                        marks.setdefault(period, signal.side)
        return marks

    def verdict(self) -> Verdict | None:
        """The latest month's verdict; ``None`` when the latest month has no visible figure."""
        if not self.values or self.values[-1] is None:
            return None
        latest = self.periods[-1]
        for rule in RULES:
            for signal in self.signals:
                if signal.rule == rule and latest in signal.periods:
                    return Verdict("special", signal, judge(signal.side, self.better))
        return Verdict("common")

    def latest_pattern(self) -> Signal | None:
        """The pattern that ended last (the one a chart's latest coloured months belong to), or ``None``. Months
        outside the limits one after another on the same side are one pattern: "May and June 2026", not June alone.
        Of patterns ending in the same month, the first in :data:`RULES` (as :meth:`verdict` names them)."""
        if not self.signals:
            return None
        order = {period: i for i, period in enumerate(self.periods)}
        last = max(self.signals, key=lambda s: (order[s.periods[-1]], -RULES.index(s.rule)))
        if last.rule != "outside":
            return last
        outside = {order[s.periods[0]] for s in self.signals if s.rule == "outside" and s.side == last.side}
        first = order[last.periods[0]]
        while first - 1 in outside:
            first -= 1
        return Signal("outside", last.side, self.periods[first:order[last.periods[0]] + 1])

    def assurance(self, target: float | None) -> str | None:
        """``pass``, ``fail`` or ``chance`` for a target; ``None`` without a target or a better direction."""
        if target is None or self.better not in ("higher", "lower"):
            return None
        higher = self.better == "higher"
        if self.upper - self.lower <= TOLERANCE:  # no variation at all: the mean meets the target or never does
            meets = self.mean >= target - TOLERANCE if higher else self.mean <= target + TOLERANCE
            return "pass" if meets else "fail"
        if target > self.upper:
            return "fail" if higher else "pass"
        if target < self.lower:
            return "pass" if higher else "fail"
        return "chance"


def judge(side: str, better: str) -> str:
    """``improving``/``worrying`` for a pattern on the ``high`` or ``low`` side; ``neutral`` for neither."""
    if better not in ("higher", "lower"):
        return "neutral"
    return "improving" if (side == "high") == (better == "higher") else "worrying"


def analyse(periods: Sequence[str], values: Sequence[float | None], better: str = "neither",
            minimum: int = MIN_POINTS, floor: float | None = None, ceiling: float | None = None) -> Process | None:
    """The XmR chart of consecutive months (``None`` or NaN for a month without a figure).

    ``None`` when fewer than ``minimum`` months are known or no two neighbouring months are.
    """
    clean = tuple(None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values)
    known = [v for v in clean if v is not None]
    ranges = [abs(b - a) for a, b in zip(clean, clean[1:]) if a is not None and b is not None]
    if len(known) < max(minimum, 2) or not ranges:
        return None
    mean = math.fsum(known) / len(known)
    moving = math.fsum(ranges) / len(ranges)
    lower, upper = mean - LIMIT * moving, mean + LIMIT * moving
    if floor is not None:
        lower = max(lower, floor)
    if ceiling is not None:
        upper = min(upper, ceiling)
    sigma = moving / D2
    periods = tuple(map(str, periods))
    signals = _signals(periods, clean, mean, sigma, lower, upper)
    return Process(periods, clean, mean, sigma, lower, upper, tuple(signals), better)


def _segments(values: tuple[float | None, ...]) -> list[list[int]]:
    """Runs of neighbouring known months, as index lists: a gap ends a run."""
    runs: list[list[int]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(i)
    return [run for run in runs if run]


def _sign(x: float, scale: float) -> int:
    return 0 if abs(x) <= TOLERANCE * max(1.0, abs(scale)) else (1 if x > 0 else -1)


def _signals(periods, values, mean, sigma, lower, upper) -> list[Signal]:
    side = {1: "high", -1: "low"}
    found: list[Signal] = []
    for i, v in enumerate(values):
        if v is not None and (v > upper + TOLERANCE * max(1.0, abs(upper)) or v < lower - TOLERANCE * max(1.0, abs(lower))):
            found.append(Signal("outside", "high" if v > upper else "low", (periods[i],)))
    for run in _segments(values):
        where = [_sign(values[i] - mean, mean) for i in run]
        steps = [_sign(values[b] - values[a], mean) for a, b in zip(run, run[1:])]
        found += [Signal("shift", side[s], tuple(periods[run[k]] for k in ks)) for s, ks in _streaks(where, SHIFT)]
        # a trend of n months is n - 1 steps in the same direction
        found += [Signal("trend", side[s], tuple(periods[run[k]] for k in range(ks[0], ks[-1] + 2)))
                  for s, ks in _streaks(steps, TREND - 1)]
        zone = [_sign(values[i] - mean, mean) if abs(values[i] - mean) > 2 * sigma + TOLERANCE else 0 for i in run]
        for start in range(len(run) - 2):
            for s in (1, -1):
                near = [k for k in range(start, start + 3) if zone[k] == s]
                if len(near) >= 2:
                    signal = Signal("two_of_three", side[s], tuple(periods[run[k]] for k in near))
                    if signal not in found:
                        found.append(signal)
    return found


def _streaks(signs: list[int], length: int) -> list[tuple[int, list[int]]]:
    """Maximal runs of one non-zero sign at least ``length`` long: (sign, positions)."""
    out, start = [], 0
    for k in range(1, len(signs) + 1):
        if k == len(signs) or signs[k] != signs[start]:
            if signs[start] != 0 and k - start >= length:
                out.append((signs[start], list(range(start, k))))
            start = k
    return out


def series(total: pd.DataFrame, periods: Sequence[str] | None = None) -> tuple[list[str], list[float | None]]:
    """(months, values) of a staged total for :func:`analyse`: every month of ``periods`` (else from the
    first to the last month of ``total``), with ``None`` where the month is hidden or has no figure."""
    shown = total["value"].notna().to_numpy().copy()
    if "suppressed" in total:
        shown &= ~total["suppressed"].fillna(False).astype(bool).to_numpy()
    known = dict(zip(total["period"].astype(str).to_numpy()[shown].tolist(), total["value"].to_numpy(dtype=float)[shown].tolist()))
    if periods is None:
        present = sorted(total["period"].astype(str))
        periods = [str(p) for p in pd.period_range(present[0], present[-1], freq="M")] if present else []
    return list(map(str, periods)), [known.get(str(p)) for p in periods]


def applies(indicator, periods: Sequence[str]) -> bool:
    """Is the indicator read as a process: monthly periods (``YYYY-MM``) and not year-to-date?"""
    return not indicator.cumulative and bool(periods) and all(len(str(p)) == 7 and str(p)[4] == "-" for p in periods)


def for_indicator(indicator, total: pd.DataFrame, periods: Sequence[str], minimum: int = MIN_POINTS) -> Process | None:
    """The XmR chart of an indicator's staged municipality total over the months it is shown for
    (``ctx.shown_periods(id)``), or ``None`` when it is not a monthly process or has too few months."""
    if not applies(indicator, periods):
        return None
    months, values = series(total, periods)
    floor = None if indicator.unit == "kr" else 0.0  # money may be negative; counts, rates and shares not
    ceiling = 100.0 if indicator.unit == "pct" else None
    return analyse(months, values, indicator.better, minimum, floor, ceiling)
