"""The noise test is calibrated: on simulated panels it calls about 5 % of chance changes real, and finds real ones.

Simulated like the benchmark: 98 municipalities with the sizes of the Danish ones (children 0-17 about a
fifth of the inhabitants), a rate per 1,000 children, counts from a gamma-Poisson model whose variance is
φ times the Poisson's (φ = 1, 2, 3, 4). Under no true change at most 6 % of changes may be called real; a
true change of 3 standard deviations (of the observed change's own noise, the new rate's included) must be
found at least 80 % of the time. Three paths are checked:

- ``panel``: φ estimated from the whole panel (the comparison's changes);
- ``own+panel``: φ from the municipality's own years, pooled with the panel's (the comparison's default);
- ``own``: φ from the municipality's own series alone (the text under every chart): on 36 monthly figures
  it must meet both bounds; on only 10 yearly figures it must stay at most 6 % eager.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lisite import compare
from lisite.sampledata.kommuner import KOMMUNER

CHILDREN = np.array([round(k.inhabitants * 1000 * 0.21) for k in KOMMUNER], dtype=float)
PHIS = (1.0, 2.0, 3.0, 4.0)


def simulate(rng: np.random.Generator, phi: float, rate: float, periods: int, shifted: np.ndarray | None = None):
    """Counts (municipality × period) around ``rate`` per 1,000; ``shifted`` municipalities change by 3 SD
    in the last period (up for even rows, down for odd)."""
    n = np.repeat(CHILDREN[:, None], periods, axis=1)
    mean = np.full(n.shape, rate / 1000) * n
    if shifted is not None:
        lam, n1, n2 = rate / 1000, n[:, -2], n[:, -1]
        # the shift d solves d = 3 * sqrt(phi * (lam / n1 + (lam + d) / n2)): the change's own noise at the new rate
        a, b = 9 * phi / n2, 9 * phi * lam * (1 / n1 + 1 / n2)
        d = (a + np.sqrt(a * a + 4 * b)) / 2
        d = np.where(np.arange(len(d)) % 2 == 0, d, -np.minimum(d, 0.999 * lam))
        mean[:, -1] = (lam + np.where(shifted, d, 0.0)) * n2
    if phi > 1:
        mean = rng.gamma(mean / (phi - 1), phi - 1)  # variance of the counts: phi * mean
    return rng.poisson(mean).astype(float), n


def panel_frame(x: np.ndarray, n: np.ndarray) -> pd.DataFrame:
    rows, periods = x.shape
    return pd.DataFrame({"kommunekode": np.repeat(np.arange(rows), periods), "aar": np.tile(np.arange(periods), rows),
                         "numerator": x.ravel(), "denominator": n.ravel()})


def called_real(phi: float, rate: float, periods: int, true_change: bool, reps: int, seed: int,
                with_panel: bool = True) -> dict[str, float]:
    """The share of last-period changes called real on each path."""
    rng = np.random.default_rng(seed)
    calls: dict[str, list[bool]] = {"panel": [], "own+panel": [], "own": []}
    for rep in range(reps):
        shifted = (np.arange(len(CHILDREN)) % 10) == rep % 10 if true_change else None  # a tenth of them, in turn
        x, n = simulate(rng, phi, rate, periods, shifted)
        panel = compare.panel_dispersion(panel_frame(x, n), "pr_1000") if with_panel else None
        for i in np.flatnonzero(shifted) if true_change else range(len(CHILDREN)):
            old, new = (x[i, -2], n[i, -2]), (x[i, -1], n[i, -1])
            history = list(zip(x[i, :-1], n[i, :-1]))  # the own series without the newer figure
            paths = {"own": compare.own_dispersion(history, "pr_1000")}
            if panel is not None:
                paths.update({"panel": panel, "own+panel": compare.own_dispersion(history, "pr_1000", panel)})
            for path, dispersion in paths.items():
                calls[path].append(bool(compare.changed("pr_1000", old, new, dispersion)))
    return {path: float(np.mean(found)) for path, found in calls.items() if found}


@pytest.mark.parametrize("phi", PHIS)
def test_ten_yearly_figures_no_true_change(phi):
    found = called_real(phi, rate=10.0, periods=10, true_change=False, reps=10, seed=11)
    assert found["panel"] <= 0.06 and found["own+panel"] <= 0.06, found
    assert found["own"] <= 0.06, found  # few own figures: not eager, even without the panel


@pytest.mark.parametrize("phi", PHIS)
def test_ten_yearly_figures_true_change_of_three_sd(phi):
    found = called_real(phi, rate=10.0, periods=10, true_change=True, reps=15, seed=12)
    assert found["panel"] >= 0.80 and found["own+panel"] >= 0.80, found


@pytest.mark.parametrize("phi", PHIS)
def test_own_history_alone_on_36_monthly_figures(phi):
    # about 9 per 1,000 children a month: a notification-like monthly count
    quiet = called_real(phi, rate=9.0, periods=36, true_change=False, reps=8, seed=13, with_panel=False)
    assert quiet["own"] <= 0.06, quiet
    real = called_real(phi, rate=9.0, periods=36, true_change=True, reps=15, seed=14, with_panel=False)
    assert real["own"] >= 0.80, real


def test_the_panel_estimate_finds_phi_and_shrugs_off_a_few_odd_municipalities():
    rng = np.random.default_rng(15)
    for phi in PHIS:
        x, n = simulate(rng, phi, rate=30.0, periods=10)
        clean = compare.panel_dispersion(panel_frame(x, n), "pr_1000")
        assert clean.phi == pytest.approx(phi, rel=0.12) and clean.source == "panel"
        x[:3, 5] *= 3  # three municipalities triple one year (a new registration practice, an error)
        odd = compare.panel_dispersion(panel_frame(x, n), "pr_1000")
        plain = float(np.mean(np.square([compare.standardised_change("pr_1000", (x[i, t - 1], n[i, t - 1]), (x[i, t], n[i, t]))
                                          for i in range(len(x)) for t in range(1, 10)])))
        assert odd.phi < 1.25 * clean.phi < plain  # the plain mean square is dragged far up; the estimate is not


def test_a_national_trend_is_not_noise():
    rng = np.random.default_rng(16)
    x, n = simulate(rng, 1.0, rate=30.0, periods=10)
    trend = 1.06 ** np.arange(10)  # every municipality rises 6 % a year
    x = rng.poisson(np.repeat(CHILDREN[:, None], 10, axis=1) * 0.03 * trend).astype(float)
    assert compare.panel_dispersion(panel_frame(x, n), "pr_1000").phi < 1.15


def test_few_own_figures_fall_back_to_the_prior_and_never_go_below_one():
    steady = [(100.0, 10000.0)] * 6  # no swing at all
    assert compare.own_dispersion(steady, "pr_1000").phi == 1.0
    panel = compare.Dispersion(phi=2.5, df=800, source="panel", weight=6.0)
    assert compare.own_dispersion(steady[:1], "pr_1000", panel) == panel  # one figure: no change of its own
    pooled = compare.own_dispersion(steady[:3], "pr_1000", panel)  # two own changes of 0, pooled with 6 of 2.5
    assert pooled.phi == pytest.approx(6 * 2.5 / 8) and pooled.df == 8 and pooled.source == "own+panel"
    swinging = [(100.0, 10000.0), (130.0, 10000.0)]  # one change of 2.0 standard errors
    alone = compare.own_dispersion(swinging, "pr_1000")
    assert alone.df == 2 and alone.factor > 4 * alone.phi  # one own change: t with 2 degrees of freedom, wide
    assert not compare.changed("pr_1000", (100, 10000), (140, 10000), alone)  # 2.5 SE: real under Poisson, not here
    assert compare.changed("pr_1000", (100, 10000), (140, 10000)) is True
