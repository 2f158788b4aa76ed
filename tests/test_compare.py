"""lisite.compare: nearest neighbours, national figures, position and noise, on hand-made and real public data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import shared_data
from lisite import compare
from lisite.explain import significant


# --- comparison group ---------------------------------------------------------------


def test_standardise_gives_z_scores_with_population_sd():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0]})
    z = compare.standardise(frame, ["a", "b"])
    sd = math.sqrt(2 / 3)
    assert z["a"].tolist() == pytest.approx([-1 / sd, 0, 1 / sd])
    assert z["b"].tolist() == [0.0, 0.0, 0.0]  # no spread: cannot decide anything


def test_nearest_uses_standardised_distance_and_breaks_ties_by_code():
    # x spreads 0..40 and y 0..4000: unscaled, y would decide everything
    frame = pd.DataFrame({
        "kommunekode": [1, 2, 3, 4, 5],
        "x": [0.0, 10.0, 10.0, 20.0, 40.0],
        "y": [2000.0, 1000.0, 3000.0, 2000.0, 0.0],
    })
    near = compare.nearest(frame, 1, ["x", "y"], k=3)
    # 2 and 3 are equally far from 1 (mirror images in y): the lower code comes first
    assert near["kommunekode"].tolist() == [2, 3, 4]
    assert near["distance"].iloc[0] == pytest.approx(near["distance"].iloc[1])
    assert 1 not in near["kommunekode"].tolist()


def test_nearest_skips_rows_with_missing_values_and_refuses_unknown_code():
    frame = pd.DataFrame({"kommunekode": [1, 2, 3], "x": [1.0, None, 3.0]})
    assert compare.nearest(frame, 1, ["x"], k=5)["kommunekode"].tolist() == [3]
    with pytest.raises(KeyError):
        compare.nearest(frame, 2, ["x"], k=1)


# --- national figure ------------------------------------------------------------------


def test_aggregate_weighted_mean_and_median():
    nums, dens = [10, 30, 2], [1000, 2000, 500]  # rates 10, 15, 4 per 1,000
    assert compare.aggregate(nums, dens, "pr_1000", "weighted") == pytest.approx(42 / 3500 * 1000)  # 12.0
    assert compare.aggregate(nums, dens, "pr_1000", "mean") == pytest.approx((10 + 15 + 4) / 3)
    assert compare.aggregate(nums, dens, "pr_1000", "median") == pytest.approx(10)
    # spend per child: kr. / children
    assert compare.aggregate([1_000_000, 3_000_000], [100, 200], "kr_gns", "weighted") == pytest.approx(4_000_000 / 300)
    with pytest.raises(ValueError):
        compare.aggregate(nums, dens, "pr_1000", "average")


def test_aggregate_ignores_missing_figures():
    assert compare.aggregate([10, math.nan], [1000, 1000], "pr_1000", "weighted") == pytest.approx(10)
    assert math.isnan(compare.aggregate([], [], "pr_1000", "mean"))


# --- position -------------------------------------------------------------------------------


def test_position_counts_from_the_highest_and_shares_ties():
    values = {1: 5.0, 2: 9.0, 3: 7.0, 4: 7.0, 5: math.nan}
    assert compare.position(values, 2) == (1, 4)
    assert compare.position(values, 3) == (2, 4)
    assert compare.position(values, 4) == (2, 4)
    assert compare.position(values, 1) == (4, 4)


def test_quartile_of_98_municipalities():
    values = {code: float(code) for code in range(1, 99)}  # code 1 lowest, 98 highest
    assert compare.quartile(values, 1) == 1
    assert compare.quartile(values, 25) == 1  # 24 lower: 4*24//98 = 0
    assert compare.quartile(values, 26) == 2
    assert compare.quartile(values, 50) == 3  # 49 lower: exactly half
    assert compare.quartile(values, 98) == 4


# --- noise ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mean, expected", [(0.5, (0, 2)), (10, (4, 17)), (100, (81, 120)), (1500, (1425, 1576))])
def test_poisson_interval_matches_tabulated_quantiles(mean, expected):
    assert compare.poisson_interval(mean) == expected


@pytest.mark.parametrize("n, p, expected", [(100, 0.3, (21, 39)), (20, 0.9, (15, 20)), (5000, 0.02, (81, 120))])
def test_binomial_interval_matches_tabulated_quantiles(n, p, expected):
    assert compare.binomial_interval(n, p) == expected


def test_differs_rate_per_1000_against_reference():
    # 106 placed among 12,330 children = 8.6 per 1,000. At 10.0 we would expect 123.3 (normal range 102-146)
    assert compare.differs("pr_1000", 106, 12330, 10.0) is False
    # at 11.8 we would expect 145.5 (normal range 122-170): 106 is outside
    assert compare.differs("pr_1000", 106, 12330, 11.8) is True
    low, high = compare.expected_interval("pr_1000", 12330, 10.0)
    assert (low, high) == pytest.approx((102 / 12.33, 146 / 12.33))


def test_differs_share_and_money():
    assert compare.differs("pct", 30, 100, 30.0) is False
    assert compare.differs("pct", 45, 100, 30.0) is True  # binomial range 21-39
    assert compare.differs("kr_gns", 1_000_000, 100, 9_000.0) is None  # no model for money


@pytest.mark.parametrize("unit", ["antal", "pr_1000", "pct"])
def test_changed_agrees_with_the_engine_text(unit):
    from lisite.model import Indicator

    ind = Indicator(id="t.x", title="x", theme="administration", element="opfoelgning", unit=unit, compute=lambda ctx: None)
    for x1, n1, x2, n2 in [(10, 100, 18, 100), (100, 1000, 130, 1000), (50, 400, 52, 380), (0, 50, 3, 50), (106, 12330, 111, 12368)]:
        old, new = pd.Series({"numerator": x1, "denominator": n1}), pd.Series({"numerator": x2, "denominator": n2})
        assert compare.changed(unit, (x1, n1), (x2, n2)) == significant(ind, old, new)


# --- over-dispersion ---------------------------------------------------------------------------


@pytest.mark.parametrize("mean, phi, expected", [(100, 4.0, (64, 142)), (10, 2.5, (2, 22)), (1500, 2.0, (1394, 1609))])
def test_over_dispersed_counts_use_the_negative_binomial(mean, phi, expected):
    # the negative binomial with that mean and variance phi * mean (quantiles tabulated with scipy.stats.nbinom)
    assert compare.poisson_interval(mean, dispersion=phi) == expected
    assert compare.poisson_interval(mean, dispersion=1.0) == compare.poisson_interval(mean)


@pytest.mark.parametrize("n, p, phi, expected", [(100, 0.3, 3.0, (16, 46)), (40, 0.9, 2.0, (30, 40))])
def test_over_dispersed_shares_use_the_beta_binomial(n, p, phi, expected):
    # the beta-binomial with variance phi * the binomial's (quantiles tabulated with scipy.stats.betabinom)
    assert compare.binomial_interval(n, p, dispersion=phi) == expected


def test_differs_and_changed_widen_with_the_dispersion():
    # 106 of 12,330 children against 11.8 per 1,000 (expected 145.5): outside chance, inside four times its variance
    assert compare.differs("pr_1000", 106, 12330, 11.8) is True
    assert compare.differs("pr_1000", 106, 12330, 11.8, dispersion=4.0) is False
    # 100 -> 130 is 1.98 standard errors of chance
    assert compare.changed("antal", (100, None), (130, None)) is True
    assert compare.changed("antal", (100, None), (130, None), dispersion=1.1) is False
    assert compare.changed("antal", (100, None), (130, None), dispersion=0.5) is True  # never below chance
    assert compare.changed("pct", (20, 40), (20, 40), dispersion=3.0) is False
    assert compare.changed("kr_gns", (1e6, 100), (2e6, 100), dispersion=2.0) is None


def test_an_estimated_dispersion_widens_by_the_t_distribution():
    known = compare.Dispersion(phi=2.0)
    few = compare.Dispersion(phi=2.0, df=10)
    assert known.factor == 2.0
    assert few.factor == pytest.approx(2.0 * (2.228139 / 1.959964) ** 2, rel=1e-5)  # t(10) and z, 97.5 % points
    assert compare.Dispersion(phi=0.4).factor == 1.0


def test_standardised_change_is_the_pooled_poisson_and_binomial_test():
    assert compare.standardised_change("antal", (100, None), (130, None)) == pytest.approx(30 / math.sqrt(230))
    rate = 230 / 20000
    assert compare.standardised_change("pr_1000", (100, 10000), (130, 10000)) == pytest.approx(
        (0.013 - 0.010) / math.sqrt(rate * 2 / 10000))
    pooled = 45 / 200
    assert compare.standardised_change("pct", (20, 100), (25, 100)) == pytest.approx(
        0.05 / math.sqrt(pooled * (1 - pooled) * 2 / 100))
    assert compare.standardised_change("pr_1000", (0, 100), (0, 100)) is None  # nothing counted: nothing to say
    assert compare.standardised_change("gns", (1, 2), (3, 4)) is None


def test_engine_text_allows_for_the_series_own_swing():
    """A monthly count that usually swings between 80 and 120: a rise from 100 to 135 (2.3 standard errors of
    chance) is its ordinary swing, not a real rise; in a steady series it is real."""
    from lisite.explain import explain
    from lisite.i18n import Translator
    from lisite.model import Indicator

    ind = Indicator(id="t.x", title="Underretninger", theme="administration", element="organisering", unit="antal",
                    compute=lambda ctx: None)

    def total(values):
        periods = [f"2025-{m:02d}" for m in range(1, len(values) + 1)]
        return pd.DataFrame({"period": periods, "numerator": values, "denominator": math.nan, "value": values,
                             "suppressed": False})

    swinging = [80.0, 120.0, 85.0, 118.0, 82.0, 121.0, 79.0, 119.0, 100.0, 135.0]
    steady = [101.0, 99.0, 100.0, 102.0, 98.0, 100.0, 101.0, 99.0, 100.0, 135.0]
    assert explain(ind, total(swinging), Translator("da")).change == "noise"
    assert explain(ind, total(steady), Translator("da")).change == "up"
    assert explain(ind, total([100.0, 135.0]), Translator("da")).change == "up"  # no history: chance alone


# --- real public data -------------------------------------------------------------------------


def real_frame(year: int = 2024) -> pd.DataFrame:
    data = pd.read_csv(shared_data("derived/noegletal_kommuner_long.csv"))
    data = data[(data["aar"] == year) & data["noegletal"].isin(["socio_oekonomisk_indeks", "indbyggertal_1_januar"])]
    wide = data.pivot(index=["kommunekode", "kommunenavn"], columns="noegletal", values="vaerdi").reset_index()
    return wide.sort_values("kommunekode").reset_index(drop=True)


def independent_neighbours(frame: pd.DataFrame, columns: list[str], k: int) -> dict[int, list[int]]:
    """Plain numpy: z-scores, full distance matrix, sort by (distance, code)."""
    x = frame[columns].to_numpy(dtype=float)
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    dist = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))
    codes = frame["kommunekode"].to_numpy()
    out = {}
    for i, code in enumerate(codes):
        order = np.lexsort((codes, np.round(dist[i], 9)))  # equal to 9 decimals is a tie, lower code first
        out[int(code)] = [int(codes[j]) for j in order if j != i][:k]
    return out


def test_real_data_known_facts():
    frame = real_frame()
    assert len(frame) == 98 and frame["kommunekode"].is_unique
    index = frame.set_index("kommunenavn")["socio_oekonomisk_indeks"]
    assert index["København"] == pytest.approx(1.04)
    assert index.idxmin() == "Allerød" and index.min() == pytest.approx(0.51)
    assert index.idxmax() == "Brøndby" and index.max() == pytest.approx(1.66)
    assert frame.set_index("kommunenavn").loc["København", "indbyggertal_1_januar"] == 659350


@pytest.mark.parametrize("k", [7, 10])
def test_real_data_neighbours_match_an_independent_computation(k):
    frame = real_frame()
    columns = ["socio_oekonomisk_indeks", "indbyggertal_1_januar"]
    expected = independent_neighbours(frame, columns, k)
    for code in frame["kommunekode"]:
        found = compare.nearest(frame, int(code), columns, k)["kommunekode"].tolist()
        assert found == expected[int(code)], f"municipality {code}"
