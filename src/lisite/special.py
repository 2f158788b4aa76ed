"""Special functions the noise model needs (:mod:`lisite.dispersion`); the standard library has none of them.

Plain Python and numpy, accurate to about 1e-10: the normal and Student's t
quantiles for a 95 % test, and the digamma and trigamma functions for the
spread of a log variance (limma's prior degrees of freedom).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

Z = 1.959963984540054  # two-sided 95 % point of the normal distribution


def normal_point(level: float) -> float:
    """The z with ``level`` of the normal distribution between -z and z."""
    low, high = 0.0, 40.0
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if math.erf(mid / math.sqrt(2)) < level else (low, mid)
    return (low + high) / 2


@lru_cache(maxsize=4096)
def t_quantile(df: float, level: float = 0.95) -> float:
    """The t with ``level`` of Student's t distribution (``df`` degrees of freedom) between -t and t.

    Newton's method on the probability (integrated by Simpson's rule), from the
    Cornish-Fisher approximation, so a few integrations are enough.
    """
    z = Z if level == 0.95 else normal_point(level)
    if df > 1e7:
        return z
    if not df > 0:
        return math.inf
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)

    def density(x):
        return np.exp(log_c - (df + 1) / 2 * np.log1p(np.square(x) / df))

    def mass(t: float) -> float:  # P(-t < T < t)
        f = density(np.linspace(0.0, t, 4001))
        return float(t / 6000 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum()))

    t = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    for _ in range(30):
        step = (mass(t) - level) / (2 * float(density(t)))
        t = max(t - step, t / 2)
        if abs(step) < 1e-10 * t:
            break
    return t


def digamma(x: float) -> float:
    """The derivative of log Γ(x) (recurrence up to 6, then the asymptotic series)."""
    shift = 0.0
    while x < 6:
        shift, x = shift - 1 / x, x + 1
    f = 1 / (x * x)
    return shift + math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))


def trigamma(x: float) -> float:
    """The second derivative of log Γ(x): the variance of log(χ²_m / m) is trigamma(m / 2)."""
    shift = 0.0
    while x < 6:
        shift, x = shift + 1 / (x * x), x + 1
    f = 1 / (x * x)
    return shift + 1 / x + f / 2 + f / x * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)))


def trigamma_inverse(y: float) -> float:
    """The x > 0 with trigamma(x) = y (trigamma falls from infinity to 0)."""
    low, high = -30.0, 30.0  # on the log scale
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if trigamma(math.exp(mid)) > y else (low, mid)
    return math.exp((low + high) / 2)
