"""Funnel plots: every municipality's rate or share against its size, with limits around the national figure.

A funnel plot (Spiegelhalter 2005, "Funnel plots for comparing institutional
performance", *Statistics in Medicine* 24:1185-1202) puts each municipality
at x = the size of its denominator (children aged 0-17, placed children, ...)
and y = its figure, and draws control limits around the national figure that
are wide for small municipalities and narrow for large ones. A municipality
outside the 95 % limits differs from the country by more than normal
variation would explain; outside the 99.8 % limits by much more.

Over-dispersion. Plain limits assume that every municipality has the national
rate and differs only by chance (Poisson for a rate, binomial for a share).
Real municipalities differ more than that (socio-economic conditions,
registration practice), so plain limits flag most large municipalities. We
follow Spiegelhalter's section on over-dispersion:

1. z-scores against the national figure, ``z = (y - target) / s(n)``;
2. winsorised at 10 %: the lowest tenth set to the 10th percentile and the
   highest tenth to the 90th, so a few extreme municipalities cannot set the
   spread for everyone;
3. ``phi`` = the mean of the squared winsorised z-scores, divided by the
   mean a winsorised standard normal square has (0.679 at 10 %), so that
   ``phi`` is about 1 when the municipalities vary only by chance and about
   ``k`` when they vary ``k`` times as much. Without that factor, simulated
   panels with real over-dispersion put 11-13 % of municipalities outside
   the 95 % limits instead of 5 %; with it, 4-7 % (tests/test_funnel.py);
4. the **additive random-effects** version: a between-municipality variance
   ``tau2 = (I * phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w))`` with
   ``w = 1 / s(n)^2``, zero when ``I * phi <= I - 1``; the limits are then
   ``target ± z * sqrt(s(n)^2 + tau2)``.

Why additive and not multiplicative (limits times ``sqrt(phi)``)? The
multiplicative limits still close in on the national figure as a
municipality grows, so København (136,000 children) would be "significantly
higher" for a gap that is ordinary between municipalities, while Læsø (327
children) would almost never be. The additive limits never get narrower than
the real spread between municipalities (``± z * sqrt(tau2)``), so "higher than
the country, beyond normal variation" means the same for a small and a large
municipality. With no over-dispersion ``tau2`` is 0 and the limits are the
plain ones. Limits use the normal approximation, cut at 0 (and at 100 % for a
share). Only figures with a model of random variation get a funnel: rates per
1,000 (Poisson) and shares (binomial); money and averages give ``None``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Iterable

import numpy as np

from lisite.model import UNITS

LEVELS = (0.95, 0.998)  # the two pairs of limits drawn and tested
WINSOR = 0.10  # share of z-scores set to the percentile at each end
MODELS = {"pr_1000": "poisson", "pct": "binomial"}
VERDICTS = ("far_below", "below", "inside", "above", "far_above")


def z_value(level: float) -> float:
    """The two-sided normal quantile: 1.96 for 95 %, 3.09 for 99.8 %."""
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def sampling_variance(p: float, n, model: str):
    """The chance variance of a rate or share ``p`` (per child, not per 1,000) among ``n``."""
    n = np.asarray(n, dtype=float)
    return p / n if model == "poisson" else p * (1 - p) / n


def winsor_factor(share: float = WINSOR) -> float:
    """The mean of a standard normal z squared after winsorising ``share`` at each end (0.679 for 10 %)."""
    if share <= 0:
        return 1.0
    q = NormalDist().inv_cdf(1 - share)
    return (1 - 2 * share) - 2 * q * NormalDist().pdf(q) + 2 * share * q * q


def winsorise(z, share: float = WINSOR) -> np.ndarray:
    """The z-scores with the lowest ``share`` set to that percentile and the highest to the upper one."""
    z = np.asarray(z, dtype=float)
    low, high = np.quantile(z, [share, 1 - share])
    return np.clip(z, low, high)


@dataclass(frozen=True)
class Funnel:
    """A fitted funnel: the national figure, the over-dispersion found, and the limits it implies.

    ``target`` is in the unit shown (per 1,000 or per cent); ``tau2`` is on the
    per-child scale. ``phi`` is the winsorised mean squared z-score (about 1
    without over-dispersion); ``count`` the number of municipalities fitted.
    """

    unit: str
    target: float
    phi: float
    tau2: float
    count: int

    @property
    def scale(self) -> float:
        return float(UNITS[self.unit].scale)

    @property
    def model(self) -> str:
        return MODELS[self.unit]

    def spread(self, n):
        """The standard deviation of a municipality's figure around the target, in the unit shown."""
        p = self.target / self.scale
        return np.sqrt(sampling_variance(p, n, self.model) + self.tau2) * self.scale

    def limits(self, n, level: float):
        """(low, high) control limits at denominator ``n`` (a number or an array), in the unit shown."""
        half = z_value(level) * self.spread(n)
        low = np.maximum(self.target - half, 0.0)
        high = self.target + half
        if self.model == "binomial":
            high = np.minimum(high, self.scale)
        return (float(low), float(high)) if np.ndim(low) == 0 else (low, high)

    def verdict(self, value: float, n: float) -> str:
        """Where a figure lies: ``inside`` the 95 % limits, ``above``/``below`` them, or ``far_above``/
        ``far_below`` (outside the 99.8 % limits)."""
        inner, outer = (self.limits(n, level) for level in LEVELS)
        if value > outer[1]:
            return "far_above"
        if value < outer[0]:
            return "far_below"
        if value > inner[1]:
            return "above"
        if value < inner[0]:
            return "below"
        return "inside"


def fit(numerators: Iterable[float], denominators: Iterable[float], unit: str, target: float | None = None,
        winsor: float = WINSOR) -> Funnel | None:
    """Fit a funnel to every municipality's (numerator, denominator) for one year.

    ``target`` is the national figure in the unit shown; by default all
    municipalities together (sum of numerators / sum of denominators).
    ``None`` for a unit without a model, or with fewer than three
    municipalities, or a national figure at 0 (or 100 % for a share).
    """
    if unit not in MODELS:
        return None
    nums = np.asarray(list(numerators), dtype=float)
    dens = np.asarray(list(denominators), dtype=float)
    keep = ~np.isnan(nums) & ~np.isnan(dens) & (dens > 0)
    nums, dens = nums[keep], dens[keep]
    scale = float(UNITS[unit].scale)
    if len(nums) < 3:
        return None
    p = nums.sum() / dens.sum() if target is None else target / scale
    if not p > 0 or (MODELS[unit] == "binomial" and p >= 1):
        return None
    variance = sampling_variance(p, dens, MODELS[unit])
    z = winsorise((nums / dens - p) / np.sqrt(variance), winsor)
    count = len(z)
    phi = float(np.mean(z**2)) / winsor_factor(winsor)
    w = 1 / variance
    excess = count * phi - (count - 1)
    tau2 = float(excess / (w.sum() - (w**2).sum() / w.sum())) if excess > 0 else 0.0
    return Funnel(unit=unit, target=p * scale, phi=phi, tau2=tau2, count=count)


def plain(funnel: Funnel) -> Funnel:
    """The same funnel without the over-dispersion adjustment (chance variation only)."""
    return Funnel(unit=funnel.unit, target=funnel.target, phi=1.0, tau2=0.0, count=funnel.count)


def curve(funnel: Funnel, low: float, high: float, points: int = 120) -> list[dict]:
    """The limits on a log-spaced grid of denominators from ``low`` to ``high``, for drawing the funnel."""
    grid = np.geomspace(max(low, 1.0), max(high, low + 1.0), points)
    rows = []
    for level in LEVELS:
        lower, upper = funnel.limits(grid, level)
        rows += [{"n": float(n), "level": level, "low": float(a), "high": float(b)} for n, a, b in zip(grid, lower, upper)]
    return rows


def spread_of(funnel: Funnel) -> float:
    """The real spread between municipalities (``sqrt(tau2)``) in the unit shown; 0 without over-dispersion."""
    return math.sqrt(funnel.tau2) * funnel.scale
