"""lisite.funnel: control limits against hand-computed values, the over-dispersion estimate, and calibration.

Hand computations (normal quantiles 1.959964 for 95 % and 3.090232 for 99.8 %):

- 10 per 1,000 among 1,000 children, no over-dispersion: sd = sqrt(0.01 / 1000) * 1000 = 3.16228, so the
  95 % limits are 10 ± 6.19795 and the 99.8 % limits 10 ± 9.77208.
- 60 % among 50, no over-dispersion: sd = sqrt(0.6 * 0.4 / 50) * 100 = 6.92820; 99.8 %: 60 ± 21.41.
- the same rate with tau = 2 per 1,000 between municipalities (tau2 = 4e-6 per child): sd = sqrt(1e-5 + 4e-6)
  * 1000 = 3.74166; 95 %: 10 ± 7.33352. For a very large municipality the limits tend to 10 ± 1.96 * 2.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lisite
from lisite import funnel

BENCHMARK = Path(__file__).resolve().parents[1] / "sample_data" / "benchmark.csv"


def sizes() -> np.ndarray:
    """The 98 municipalities' children aged 0-17 in 2025 (327-136,000: Læsø to København in real life)."""
    bench = pd.read_csv(BENCHMARK, sep=";", decimal=",")
    return bench.loc[bench["aar"] == 2025, "boern_0_17"].to_numpy(dtype=float)


def test_funnel_is_a_public_module():
    assert "lisite.funnel" in lisite.PUBLIC_MODULES


def test_plain_limits_match_hand_computed_values():
    rate = funnel.Funnel(unit="pr_1000", target=10.0, phi=1.0, tau2=0.0, count=98)
    assert rate.limits(1000, 0.95) == pytest.approx((3.80205, 16.19795), abs=1e-4)
    assert rate.limits(1000, 0.998) == pytest.approx((0.22792, 19.77208), abs=1e-4)
    share = funnel.Funnel(unit="pct", target=60.0, phi=1.0, tau2=0.0, count=98)
    assert share.limits(50, 0.998) == pytest.approx((38.5898, 81.4102), abs=1e-3)
    assert share.limits(2, 0.95) == (0.0, 100.0)  # cut at 0 and 100 %
    assert funnel.z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert funnel.z_value(0.998) == pytest.approx(3.090232, abs=1e-6)


def test_random_effect_widens_the_limits_and_sets_a_floor_for_large_municipalities():
    rate = funnel.Funnel(unit="pr_1000", target=10.0, phi=3.0, tau2=4e-6, count=98)
    assert rate.limits(1000, 0.95) == pytest.approx((2.66648, 17.33352), abs=1e-4)
    low, high = rate.limits(1e9, 0.95)
    assert (low, high) == pytest.approx((10 - 1.959964 * 2, 10 + 1.959964 * 2), abs=1e-3)
    assert funnel.spread_of(rate) == pytest.approx(2.0)
    grid = np.array([300.0, 3000.0, 30000.0, 300000.0])
    lower, upper = rate.limits(grid, 0.95)
    assert list(upper) == sorted(upper, reverse=True) and list(lower) == sorted(lower)  # a funnel: narrower to the right


def test_verdicts():
    rate = funnel.Funnel(unit="pr_1000", target=10.0, phi=1.0, tau2=0.0, count=98)
    assert [rate.verdict(v, 1000) for v in (10.0, 16.0, 17.0, 20.0, 3.0, 0.1)] == [
        "inside", "inside", "above", "far_above", "below", "far_below"]


def test_phi_and_tau2_by_hand():
    # 10, 20, 30, 40 per 1,000 among 1,000 children each: p = 0.025, sd = 0.005, z = -3, -1, 1, 3
    nums, dens = [10, 20, 30, 40], [1000] * 4
    plain = funnel.fit(nums, dens, "pr_1000", winsor=0)
    assert plain.target == pytest.approx(25.0)
    assert plain.phi == pytest.approx(5.0)  # (9 + 1 + 1 + 9) / 4
    # w = 40,000 each: tau2 = (4 * 5 - 3) / (160,000 - 40,000)
    assert plain.tau2 == pytest.approx(17 / 120000)
    # 10 % winsorised: the 10th and 90th percentiles of (-3, -1, 1, 3) are -2.4 and 2.4 (linear interpolation);
    # the mean square 3.38 is divided by the winsorised normal's 0.678655 = 0.8 - 2 q pdf(q) + 0.2 q^2, q = 1.281552
    assert funnel.winsor_factor(0.10) == pytest.approx(0.678655, abs=1e-6)
    robust = funnel.fit(nums, dens, "pr_1000")
    assert robust.phi == pytest.approx(3.38 / 0.678655, rel=1e-5)
    # a given national figure is the centre
    assert funnel.fit(nums, dens, "pr_1000", target=20.0).target == pytest.approx(20.0)


def test_no_funnel_without_a_model_of_random_variation():
    assert funnel.fit([1e6, 2e6, 3e6], [100, 200, 300], "kr_gns") is None
    assert funnel.fit([1, 2], [100, 100], "pr_1000") is None  # too few municipalities
    assert funnel.fit([0, 0, 0], [100, 100, 100], "pr_1000") is None
    assert funnel.fit([10, 10, 10], [10, 10, 10], "pct") is None  # everyone at 100 %


def simulate(rng: np.random.Generator, n: np.ndarray, spread: float, reps: int) -> list[tuple[funnel.Funnel, np.ndarray]]:
    """Poisson counts at 10 per 1,000, each municipality's true rate off by a log-normal factor with sd ``spread``."""
    out = []
    for _ in range(reps):
        rate = 0.01 * np.exp(rng.normal(0, spread, len(n)) - spread**2 / 2)
        x = rng.poisson(rate * n)
        out.append((funnel.fit(x, n, "pr_1000"), x / n * 1000))
    return out


def outside(fitted: funnel.Funnel, values: np.ndarray, n: np.ndarray, level: float = 0.95) -> np.ndarray:
    low, high = fitted.limits(n, level)
    return (values < low) | (values > high)


def test_no_over_dispersion_gives_phi_near_1_and_plain_limits():
    n = sizes()
    runs = simulate(np.random.default_rng(11), n, 0.0, 200)
    phis = np.array([f.phi for f, _ in runs])
    assert 0.9 <= phis.mean() <= 1.1
    middle = float(np.median(n))
    widths = [np.subtract(*f.limits(middle, 0.95)[::-1]) / np.subtract(*funnel.plain(f).limits(middle, 0.95)[::-1])
              for f, _ in runs]
    assert np.median(widths) == pytest.approx(1.0, abs=0.02)  # mostly tau2 = 0: the plain limits
    assert np.mean([outside(f, y, n).mean() for f, y in runs]) == pytest.approx(0.05, abs=0.02)


def test_strong_over_dispersion_widens_the_limits_and_keeps_5_percent_outside():
    n = sizes()
    runs = simulate(np.random.default_rng(12), n, 0.3, 200)
    assert min(f.phi for f, _ in runs) > 3
    assert all(f.tau2 > 0 for f, _ in runs)
    first, _ = runs[0]
    assert all(np.greater(first.limits(n, 0.95)[1], funnel.plain(first).limits(n, 0.95)[1]))  # wider everywhere
    adjusted = np.mean([outside(f, y, n).mean() for f, y in runs])
    plain = np.mean([outside(funnel.plain(f), y, n).mean() for f, y in runs])
    assert 0.03 <= adjusted <= 0.09  # about the promised 5 %
    assert plain > 0.4  # chance-only limits would call most municipalities different from the country


def test_small_and_large_municipalities_are_judged_alike():
    """With over-dispersion, a large municipality is not flagged more often than a small one (it would be with
    limits that only allow for chance, and still with limits multiplied by sqrt(phi))."""
    n = sizes()
    order = np.argsort(n)
    small, large = order[: len(n) // 4], order[-len(n) // 4:]
    runs = simulate(np.random.default_rng(13), n, 0.25, 300)
    flagged = np.array([outside(f, y, n) for f, y in runs])
    assert flagged[:, large].mean() < 0.1 and flagged[:, small].mean() < 0.1
    assert abs(flagged[:, large].mean() - flagged[:, small].mean()) < 0.03
    def multiplied(f: funnel.Funnel, y: np.ndarray) -> np.ndarray:
        """The multiplicative version, by hand: the chance-only sd times sqrt(phi)."""
        half = 1.959964 * np.sqrt(f.phi) * np.sqrt(f.target / 1000 / n) * 1000
        return (y < f.target - half) | (y > f.target + half)

    times = np.array([multiplied(f, y) for f, y in runs])
    assert times[:, large].mean() > 5 * times[:, small].mean()  # multiplied limits: the large flagged far more often
    assert times[:, large].mean() > 2 * flagged[:, large].mean()
