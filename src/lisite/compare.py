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
- :func:`position` and :func:`quartile`: rank counted from the highest
  (unrounded) value, and which quarter of the municipalities a value falls in;
  :func:`ties`: the others shown with the same rounded value.
- :func:`differs` and :func:`changed`: is a difference or a change larger than
  the variation such figures really have? The model is quasi-Poisson
  (quasi-binomial for shares): chance variation (Poisson for counts and rates
  per 1,000, binomial for shares) times an over-dispersion factor φ ≥ 1,
  because real municipal rates vary about 2.5 times as much from year to year
  as chance alone allows, and a test without φ calls ordinary swings real.
  Quasi-Poisson rather than the negative binomial because one factor is all a
  municipality's ten yearly figures can estimate, it is estimated the same way
  from the whole country and from one municipality's history, and it is the
  factor funnel plots use. φ comes from the benchmark panel
  (:func:`panel_dispersion`) and the municipality's own series
  (:func:`own_dispersion`), see :mod:`lisite.dispersion`. A difference is
  outside the 95 % interval of the negative binomial (beta-binomial) with the
  reference's mean and φ times its variance; a change is more than 1.96
  standard errors, its variance times φ. Money and averages have no such model
  and give ``None``.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

import numpy as np

from lisite.dispersion import (  # noqa: F401  (over-dispersion is part of this module's public face)
    CHANCE, Z, Dispersion, own_dispersion, panel_dispersion, standardised_change,
)
from lisite.model import UNITS
from lisite.neighbours import far_limit, nearest, size_columns, standardise  # noqa: F401  (part of this module's API)

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


def ties(values: Mapping[int, float], code: int, digits: int) -> list[int]:
    """The others whose value is shown as the same as ``code``'s when rounded to ``digits`` decimals.

    :func:`position` ranks on the unrounded values, so two municipalities shown
    with the same figure may get different places; a text names them as a tie.
    """
    known = {k: v for k, v in values.items() if v is not None and not math.isnan(v)}
    own = round(known[code], digits)
    return [k for k, v in known.items() if k != code and round(v, digits) == own]


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


def _factor(dispersion: Dispersion | float | None) -> float:
    """The variance multiplier of a 95 % test: 1 for pure chance, φ for a known φ, more for an estimated one."""
    if dispersion is None:
        return 1.0
    if isinstance(dispersion, Dispersion):
        return dispersion.factor
    return max(1.0, float(dispersion))


def _quantiles(logpmf, support: range, level: float) -> tuple[int, int]:
    """Lower and upper quantile of a discrete distribution given by its log-pmf on ``support``."""
    ks = np.arange(support.start, support.stop)
    logs = np.array([logpmf(int(k)) for k in ks])
    pmf = np.exp(logs - logs.max())
    cdf = np.cumsum(pmf) / pmf.sum()
    tail = (1 - level) / 2
    return int(ks[np.searchsorted(cdf, tail)]), int(ks[min(len(ks) - 1, np.searchsorted(cdf, 1 - tail))])


def poisson_interval(mean: float, level: float = LEVEL, dispersion: Dispersion | float | None = None) -> tuple[int, int]:
    """The counts a Poisson variable with ``mean`` falls between with probability ``level``.

    With over-dispersion (variance = φ × mean, φ > 1) the negative binomial
    with that mean and variance takes the Poisson's place.
    """
    if mean <= 0:
        return 0, 0
    phi = _factor(dispersion)
    width = int(12 * math.sqrt(phi * mean) + 20)
    support = range(max(0, int(mean) - width), int(mean) + width + 1)
    if phi <= 1 + 1e-9:
        return _quantiles(lambda k: k * math.log(mean) - mean - math.lgamma(k + 1), support, level)
    size, log_p, log_q = mean / (phi - 1), -math.log(phi), math.log1p(-1 / phi)
    return _quantiles(lambda k: math.lgamma(k + size) - math.lgamma(size) - math.lgamma(k + 1) + size * log_p + k * log_q,
                      support, level)


def binomial_interval(trials: int, p: float, level: float = LEVEL, dispersion: Dispersion | float | None = None) -> tuple[int, int]:
    """The counts a binomial variable (``trials``, ``p``) falls between with probability ``level``.

    With over-dispersion (variance = φ × the binomial's, φ > 1) the beta-binomial
    with that mean and variance takes its place.
    """
    if p <= 0:
        return 0, 0
    if p >= 1:
        return trials, trials
    phi = _factor(dispersion)
    mean = trials * p
    width = int(12 * math.sqrt(phi * mean * (1 - p)) + 20)
    support = range(max(0, int(mean) - width), min(trials, int(mean) + width) + 1)
    log_c = math.lgamma(trials + 1)
    if phi <= 1 + 1e-9 or trials < 2:
        def logpmf(k: int) -> float:
            return log_c - math.lgamma(k + 1) - math.lgamma(trials - k + 1) + k * math.log(p) + (trials - k) * math.log1p(-p)
    else:
        rho = min((phi - 1) / (trials - 1), 1 - 1e-9)  # the correlation that gives variance φ × binomial
        a, b = p * (1 / rho - 1), (1 - p) * (1 / rho - 1)

        def logpmf(k: int) -> float:
            return (log_c - math.lgamma(k + 1) - math.lgamma(trials - k + 1) + math.lgamma(k + a) + math.lgamma(trials - k + b)
                    - math.lgamma(trials + a + b) - math.lgamma(a) - math.lgamma(b) + math.lgamma(a + b))

    return _quantiles(logpmf, support, level)


def expected_interval(unit: str, denominator: float | None, reference: float,
                      dispersion: Dispersion | float | None = None) -> tuple[float, float] | None:
    """The range of own figures that would be normal random variation around ``reference``.

    In the unit of the figure: for a rate per 1,000 the interval of the count
    expected among ``denominator`` children, divided back into a rate; for a
    share the binomial (beta-binomial) interval; for a count the interval around
    ``reference`` itself. ``dispersion``: how much more than chance such figures
    vary (a :class:`Dispersion` or a number φ; pure chance by default). ``None``
    where there is no model (money, averages, durations).
    """
    if reference is None or math.isnan(reference):
        return None
    if unit == "antal":
        low, high = poisson_interval(reference, dispersion=dispersion)
        return float(low), float(high)
    if denominator is None or not denominator > 0:
        return None
    if unit == "pr_1000":
        low, high = poisson_interval(reference / 1000 * denominator, dispersion=dispersion)
        return low / denominator * 1000, high / denominator * 1000
    if unit == "pct":
        low, high = binomial_interval(int(round(denominator)), reference / 100, dispersion=dispersion)
        return low / denominator * 100, high / denominator * 100
    return None


def differs(unit: str, numerator: float, denominator: float | None, reference: float,
            dispersion: Dispersion | float | None = None) -> bool | None:
    """Is the own figure outside normal random variation around ``reference``?

    ``True`` when the own count lies outside the 95 % interval expected if the
    municipality had the reference rate (or share), with the variance times
    ``dispersion``'s φ; ``False`` when inside; ``None`` when the unit has no
    random-variation model.
    """
    if unit not in ("antal", "pr_1000", "pct"):
        return None
    own = value(numerator, denominator, unit)
    interval = expected_interval(unit, denominator, reference, dispersion)
    if interval is None or math.isnan(own):
        return None
    low, high = interval
    return not (low - 1e-9 <= own <= high + 1e-9)


def changed(unit: str, old: tuple[float, float | None], new: tuple[float, float | None],
            dispersion: Dispersion | float | None = None) -> bool | None:
    """Is the change from ``old`` to ``new`` ((numerator, denominator) pairs) larger than chance?

    The change in standard errors (:func:`standardised_change`: Poisson for
    counts and rates per 1,000, binomial for shares, pooled) against 1.96 ×
    the square root of ``dispersion``'s variance factor (φ, widened when φ is
    estimated from few changes). ``None`` for units without a model or without
    denominators. :func:`lisite.explain.significant` uses this for every change
    the site describes.
    """
    if unit not in ("antal", "pr_1000", "pct"):
        return None
    (x1, n1), (x2, n2) = old, new
    if unit != "antal" and not (n1 is not None and n2 is not None and n1 > 0 and n2 > 0):
        return None
    z = standardised_change(unit, old, new)
    if z is None:  # nothing counted, or a share of 0 % or 100 % both times: no change
        return False
    return z * z > Z * Z * _factor(dispersion)
