"""How much figures really vary: over-dispersion estimated from the data at hand.

Pure chance alone (Poisson for counts and rates, binomial for shares) makes a
municipality's figure move a little from year to year. Real figures move more:
registration practice, a few large families, a new team. Real municipal rates
of children with a notification vary about 2.5 times as much from one year to
the next as a Poisson model allows. A test that ignores this calls ordinary
swings "real".

The model is **quasi-Poisson** (quasi-binomial for shares): the variance is the
Poisson (binomial) variance times one factor φ ≥ 1. It was chosen over the
negative binomial because

- one number is all that can be estimated from a municipality's own ten yearly
  figures, and it can be explained in a sentence ("the figures vary φ times as
  much as chance alone");
- φ is the mean squared *standardised change*, so it is estimated the same way
  from the whole country and from one municipality's history, and the two can
  be combined;
- it is the factor funnel plots use (Spiegelhalter 2005), so a change and a
  difference from the country are judged on the same scale.

The price: a negative binomial lets the extra variance grow with the size of the
municipality. A single φ for the whole country is then too small for the
largest municipalities and too large for the smallest; using each
municipality's own history (:func:`own_dispersion`) corrects this where there is
history enough.

Two estimates:

- :func:`panel_dispersion`: from the year-to-year changes of every
  municipality in the benchmark data, each measured against the change all
  municipalities share that year (the median of their own changes: a national
  rise is not noise, and one large municipality's jump does not set it).
  Robust to a few odd municipalities: the squared changes are winsorised at
  their 95th percentile, and the result is scaled to be unbiased when nothing
  is odd.
- :func:`own_dispersion`: from the municipality's own series, the usual swing
  between consecutive periods (the change being tested left out). With few
  periods that estimate is uncertain, so it is pooled with a prior: the panel's
  φ, which counts as many own changes as the municipalities are alike (the
  spread of their own φ beyond chance, limma's prior degrees of freedom), or
  φ = 1 where there is no panel, which counts as one change. The test then uses
  the t distribution on the pooled degrees of freedom (the moderated variance
  of Smyth's limma, 2004), so a φ from few changes widens the test rather than
  narrowing it. With no earlier change at all the prior is used as it is. φ
  never goes below 1.

A :class:`Dispersion` carries φ and how many changes it rests on; its
:attr:`~Dispersion.factor` is the variance multiplier a 95 % test uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from lisite.special import Z, digamma, normal_point, t_quantile, trigamma, trigamma_inverse

WINSOR = 0.95  # squared changes above this quantile are set to it (robust to a few odd municipalities)
CHANCE_WEIGHT = 1.0  # with no panel, the assumed φ = 1 counts as this many changes of the own history
MODELLED = ("antal", "pr_1000", "pct")


@dataclass(frozen=True)
class Dispersion:
    """The over-dispersion φ (variance = φ × chance variance) and what it rests on.

    ``df``: the degrees of freedom of the estimate (about the number of changes
    behind it; infinite for the assumed φ = 1 of pure chance). ``weight``: how
    many changes of a municipality's own history this φ counts as when pooled
    with them (:func:`own_dispersion`). ``source``: ``"chance"``, ``"panel"``,
    ``"own"`` (own history pooled with φ = 1) or ``"own+panel"``.
    """

    phi: float = 1.0
    df: float = math.inf
    source: str = "chance"
    weight: float = CHANCE_WEIGHT

    @property
    def factor(self) -> float:
        """The variance multiplier for a 95 % test: φ, times (t/z)² when φ rests on few changes; at least 1."""
        return max(1.0, self.phi * (t_quantile(self.df) / Z) ** 2)


CHANCE = Dispersion()


def standardised_change(unit: str, old: tuple[float, float | None], new: tuple[float, float | None],
                        ratio: float = 1.0) -> float | None:
    """The change from ``old`` to ``new`` ((numerator, denominator) pairs) in standard errors of pure chance.

    ``ratio``: the change expected without any change of one's own (the
    country's new/old figure), 1 by default. The standard error is the pooled
    one of no change beyond ``ratio``. ``None`` where the unit has no model or
    the figures cannot say anything (no denominator, nothing counted).
    """
    if unit not in MODELLED:
        return None
    (x1, n1), (x2, n2) = old, new
    n1, n2 = (1.0, 1.0) if unit == "antal" else (_den(n1), _den(n2))
    x1, x2 = float(x1), float(x2)
    if not (n1 > 0 and n2 > 0 and ratio > 0) or math.isnan(x1) or math.isnan(x2):
        return None
    change, variance = _change_and_variance(unit, x1, n1, x2, n2, ratio)
    return change / math.sqrt(variance) if variance > 0 else None


def standardised_changes(unit: str, old: tuple[np.ndarray, np.ndarray], new: tuple[np.ndarray, np.ndarray],
                         ratio: float = 1.0) -> np.ndarray:
    """:func:`standardised_change` for many pairs at once (arrays of numerators and denominators);
    NaN where a change says nothing."""
    (x1, n1), (x2, n2) = old, new
    if unit == "antal":
        n1, n2 = np.ones(len(x1)), np.ones(len(x2))
    with np.errstate(divide="ignore", invalid="ignore"):
        change, variance = _change_and_variance(unit, x1, n1, x2, n2, ratio)
        z = change / np.sqrt(variance)
    return np.where((n1 > 0) & (n2 > 0) & (variance > 0), z, np.nan)


def _change_and_variance(unit: str, x1, n1, x2, n2, r: float):
    """The change beyond ``r`` and its variance under pure chance (numbers or arrays alike)."""
    if unit == "pct":
        p = (x1 + x2 / r) / (n1 + n2)  # the old share under no change of one's own
        return x2 / n2 - r * x1 / n1, r * p * (1 - r * p) / n2 + r**2 * p * (1 - p) / n1
    rate = (x1 + x2) / (n1 + r * n2)
    return x2 / n2 - r * x1 / n1, r * rate * (1 / n2 + r / n1)


def _den(n: float | None) -> float:
    return math.nan if n is None else float(n)


def winsorised_phi(z: Iterable[float], level: float | None = None) -> float:
    """The mean squared standardised change, with squares above their ``level`` quantile set to it.

    Divided by what that winsorised mean is under pure chance (a chi-square
    with one degree of freedom), so it is unbiased when no change is odd.
    """
    level = WINSOR if level is None else level
    squares = np.square(np.asarray([v for v in z if v is not None and not math.isnan(v)], dtype=float))
    if len(squares) == 0:
        return math.nan
    cap = float(np.quantile(squares, level))
    k = normal_point(level) ** 2
    below = math.erf(math.sqrt(k / 2)) - math.sqrt(2 * k / math.pi) * math.exp(-k / 2)  # E[X; X < k], X ~ chi2(1)
    return float(np.minimum(squares, cap).mean()) / (below + (1 - level) * k)


def panel_dispersion(frame: pd.DataFrame, unit: str, key: str = "kommunekode", period: str = "aar") -> Dispersion:
    """φ from the consecutive-period changes of every unit in ``frame`` (``key``, ``period``,
    ``numerator``, ``denominator``), each measured against the change of all units together.

    Its ``weight`` says how alike the units' own φ are (:func:`prior_weight`).
    :data:`CHANCE` for units without a model or with no change to learn from.
    """
    if unit not in MODELLED:
        return CHANCE
    data = frame.dropna(subset=["numerator"] + ([] if unit == "antal" else ["denominator"]))
    if unit == "antal":
        data = data.assign(denominator=1.0)
    wide = data.groupby([key, period])[["numerator", "denominator"]].sum(min_count=1).unstack(period)
    x, n = wide["numerator"].to_numpy(float), wide["denominator"].to_numpy(float)
    changes: dict[int, list[float]] = {}
    for t in range(1, x.shape[1]):
        both = ~np.isnan(x[:, t - 1]) & ~np.isnan(x[:, t]) & ~np.isnan(n[:, t - 1]) & ~np.isnan(n[:, t])
        if not both.any():
            continue
        z = standardised_changes(unit, (x[:, t - 1], n[:, t - 1]), (x[:, t], n[:, t]), common_change(x[both, t - 1:t + 1], n[both, t - 1:t + 1]))
        for row in np.flatnonzero(both & ~np.isnan(z)):
            changes.setdefault(int(row), []).append(float(z[row]))
    every = [z for zs in changes.values() for z in zs]
    if len(every) < 2:
        return CHANCE
    return Dispersion(max(1.0, winsorised_phi(every)), float(len(every)), "panel", prior_weight(changes.values()))


def common_change(x: np.ndarray, n: np.ndarray) -> float:
    """The change all units share (``x``, ``n``: one row per unit, old and new column): the median of the
    units' own new/old rates, so one large unit's jump does not move it. 1 when it cannot be told."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = (x[:, 1] / n[:, 1]) / (x[:, 0] / n[:, 0])
    ratios = ratios[np.isfinite(ratios) & (ratios > 0)]
    return float(np.median(ratios)) if len(ratios) else 1.0


def prior_weight(groups: Iterable[list[float]]) -> float:
    """How many own changes the panel's φ is worth, from how much the units' own φ differ (limma's d0).

    Each unit's mean squared change varies by chance alone (a chi-square); any
    spread of their logarithms beyond that is real difference between units.
    None beyond chance: infinite (every unit has the panel's φ). Much: small
    (each unit's own history decides).
    """
    logs, chance = [], []
    for zs in groups:
        m = len(zs)
        s2 = float(np.mean(np.square(zs))) if m >= 2 else 0.0
        if s2 > 0:
            logs.append(math.log(s2) - digamma(m / 2) + math.log(m / 2))
            chance.append(trigamma(m / 2))
    if len(logs) < 3:
        return CHANCE_WEIGHT
    beyond = float(np.var(logs, ddof=1)) - float(np.mean(chance))
    return math.inf if beyond <= 0 else 2 * trigamma_inverse(beyond)


def own_dispersion(series: Sequence[tuple[float, float | None]], unit: str, prior: Dispersion = CHANCE,
                   lag: int = 1) -> Dispersion:
    """φ from a unit's own series (oldest first; pass it without the newer figure of the change being
    tested): the changes between figures ``lag`` periods apart, pooled with ``prior``.

    Pooled as (m·φ_own + w·φ_prior) / (m + w) on m + w degrees of freedom, with
    m own changes and w the prior's ``weight`` (its own degrees of freedom
    where fewer); never below 1.
    """
    if unit not in MODELLED:
        return CHANCE
    x = np.array([float(num) for num, _ in series], dtype=float)
    n = np.array([_den(den) for _, den in series], dtype=float)
    z = standardised_changes(unit, (x[:-lag], n[:-lag]), (x[lag:], n[lag:])) if len(series) > lag else np.array([])
    z = z[~np.isnan(z)]
    w = min(prior.weight, prior.df)
    if not len(z) or math.isinf(w):
        return prior
    m = len(z)
    phi = (m * float(np.mean(np.square(z))) + w * prior.phi) / (m + w)
    return Dispersion(max(1.0, phi), m + w, "own" if prior.source == "chance" else "own+panel", prior.weight)
