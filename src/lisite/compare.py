"""Comparisons with other municipalities: nearest neighbours, national figures, position, noise.

Pure functions on plain numbers and frames, so the comparison plugin reads as
text and charts, and every rule here can be tested on its own:

- :func:`standardise`, :func:`size_columns`, :func:`nearest` and :func:`far_limit`
  (from :mod:`lisite.neighbours`): the comparison group as the ``k``
  municipalities closest on robustly scaled structural variables (size
  variables logged, median and MAD instead of mean and standard deviation,
  Euclidean distance, ties broken by code), in the spirit of the English
  statistical neighbours and CIPFA nearest neighbours, and the distance
  beyond which a neighbour is unusually far.
- :func:`aggregate`: a figure for a set of municipalities: ``weighted`` (sum of
  numerators / sum of denominators, so large municipalities count more),
  ``mean`` (every municipality counts the same) or ``median``.
- :func:`position` and :func:`quartile`: rank counted from the highest value,
  and which quarter of the municipalities a value falls in.
- :func:`differs` and :func:`changed`: is a difference larger than normal
  random variation? For a count or a rate per 1,000 the own count is compared
  with the 95 % Poisson interval expected if the municipality had the
  reference rate; for a share, with the binomial interval. Money and averages
  have no such model and give ``None``.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

import numpy as np

from lisite.model import UNITS
from lisite.neighbours import far_limit, nearest, size_columns, standardise  # noqa: F401  (part of this module's API)

Z = 1.96  # two-sided 95 %
LEVEL = 0.95
METHODS = ("weighted", "mean", "median")


# --- figures for a set of municipalities -----------------------------------------


def value(numerator: float, denominator: float | None, unit: str) -> float:
    """A figure from its numerator and denominator, scaled as the engine does."""
    scale = UNITS[unit].scale
    if scale is None:
        return float(numerator)
    if denominator is None or not denominator > 0:
        return math.nan
    return float(numerator) / float(denominator) * scale


def aggregate(numerators: Iterable[float], denominators: Iterable[float], unit: str, method: str) -> float:
    """One figure for several municipalities: ``weighted``, ``mean`` or ``median``.

    ``weighted`` sums the numerators and the denominators first (for a rate
    per 1,000 children that is the rate among all their children together).
    ``mean`` and ``median`` take each municipality's own figure.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    nums = np.asarray(list(numerators), dtype=float)
    dens = np.asarray(list(denominators), dtype=float) if UNITS[unit].scale is not None else np.full(len(nums), np.nan)
    keep = ~np.isnan(nums) & (~np.isnan(dens) if UNITS[unit].scale is not None else True)
    nums, dens = nums[keep], dens[keep]
    if len(nums) == 0:
        return math.nan
    if method == "weighted":
        return value(nums.sum(), dens.sum(), unit) if UNITS[unit].scale is not None else float(nums.mean())
    each = np.array([value(n, d, unit) for n, d in zip(nums, dens)])
    return float(np.mean(each)) if method == "mean" else float(np.median(each))


# --- position ----------------------------------------------------------------------


def position(values: Mapping[int, float], code: int) -> tuple[int, int]:
    """(place counted from the highest value, number of municipalities with a value).

    Equal values share the better place: place = 1 + the number of strictly higher values.
    """
    known = {k: v for k, v in values.items() if v is not None and not math.isnan(v)}
    own = known[code]
    return 1 + sum(1 for v in known.values() if v > own), len(known)


def quartile(values: Mapping[int, float], code: int) -> int:
    """Which quarter of the municipalities the value is in: 1 = the lowest quarter, 4 = the highest.

    From the number of municipalities with a strictly lower value, so equal
    values land in the same quarter.
    """
    known = [v for v in values.values() if v is not None and not math.isnan(v)]
    own = values[code]
    lower = sum(1 for v in known if v < own)
    return min(4, 1 + (4 * lower) // len(known))


# --- noise -----------------------------------------------------------------------------


def _quantiles(logpmf, support: range, level: float) -> tuple[int, int]:
    """Lower and upper quantile of a discrete distribution given by its log-pmf on ``support``."""
    ks = np.arange(support.start, support.stop)
    logs = np.array([logpmf(int(k)) for k in ks])
    pmf = np.exp(logs - logs.max())
    cdf = np.cumsum(pmf) / pmf.sum()
    tail = (1 - level) / 2
    return int(ks[np.searchsorted(cdf, tail)]), int(ks[min(len(ks) - 1, np.searchsorted(cdf, 1 - tail))])


def poisson_interval(mean: float, level: float = LEVEL) -> tuple[int, int]:
    """The counts a Poisson variable with ``mean`` falls between with probability ``level``."""
    if mean <= 0:
        return 0, 0
    width = int(12 * math.sqrt(mean) + 20)
    support = range(max(0, int(mean) - width), int(mean) + width + 1)
    return _quantiles(lambda k: k * math.log(mean) - mean - math.lgamma(k + 1), support, level)


def binomial_interval(trials: int, p: float, level: float = LEVEL) -> tuple[int, int]:
    """The counts a binomial variable (``trials``, ``p``) falls between with probability ``level``."""
    if p <= 0:
        return 0, 0
    if p >= 1:
        return trials, trials
    mean = trials * p
    width = int(12 * math.sqrt(mean * (1 - p)) + 20)
    support = range(max(0, int(mean) - width), min(trials, int(mean) + width) + 1)
    log_c = math.lgamma(trials + 1)

    def logpmf(k: int) -> float:
        return log_c - math.lgamma(k + 1) - math.lgamma(trials - k + 1) + k * math.log(p) + (trials - k) * math.log1p(-p)

    return _quantiles(logpmf, support, level)


def expected_interval(unit: str, denominator: float | None, reference: float) -> tuple[float, float] | None:
    """The range of own figures that would be normal random variation around ``reference``.

    In the unit of the figure: for a rate per 1,000 the Poisson interval of
    the count expected among ``denominator`` children, divided back into a
    rate; for a share the binomial interval; for a count the Poisson interval
    around ``reference`` itself. ``None`` where there is no model (money,
    averages, durations).
    """
    if reference is None or math.isnan(reference):
        return None
    if unit == "antal":
        low, high = poisson_interval(reference)
        return float(low), float(high)
    if denominator is None or not denominator > 0:
        return None
    if unit == "pr_1000":
        low, high = poisson_interval(reference / 1000 * denominator)
        return low / denominator * 1000, high / denominator * 1000
    if unit == "pct":
        low, high = binomial_interval(int(round(denominator)), reference / 100)
        return low / denominator * 100, high / denominator * 100
    return None


def differs(unit: str, numerator: float, denominator: float | None, reference: float) -> bool | None:
    """Is the own figure outside normal random variation around ``reference``?

    ``True`` when the own count lies outside the 95 % interval expected if the
    municipality had the reference rate (or share); ``False`` when inside;
    ``None`` when the unit has no random-variation model.
    """
    if unit not in ("antal", "pr_1000", "pct"):
        return None
    own = value(numerator, denominator, unit)
    interval = expected_interval(unit, denominator, reference)
    if interval is None or math.isnan(own):
        return None
    low, high = interval
    return not (low - 1e-9 <= own <= high + 1e-9)


def changed(unit: str, old: tuple[float, float | None], new: tuple[float, float | None]) -> bool | None:
    """Is the change from ``old`` to ``new`` ((numerator, denominator) pairs) larger than chance?

    Poisson for counts and rates per 1,000, a two-proportion test for shares;
    ``None`` for units without a model. :func:`lisite.explain.significant`
    uses this for every change the site describes.
    """
    (x1, n1), (x2, n2) = old, new
    n1 = math.nan if n1 is None else float(n1)
    n2 = math.nan if n2 is None else float(n2)
    if unit == "antal":
        if x1 + x2 == 0:
            return False
        return abs(x2 - x1) > Z * math.sqrt(x1 + x2)
    if unit == "pr_1000":
        if not (n1 > 0 and n2 > 0) or x1 + x2 == 0:
            return None
        se = math.sqrt(x1 / n1**2 + x2 / n2**2)
        return abs(x2 / n2 - x1 / n1) > Z * se
    if unit == "pct":
        if not (n1 > 0 and n2 > 0):
            return None
        pooled = (x1 + x2) / (n1 + n2)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        if se == 0:
            return x1 / n1 != x2 / n2
        return abs(x2 / n2 - x1 / n1) > Z * se
    return None
