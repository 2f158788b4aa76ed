"""lisite.compare: nearest neighbours, national figures, position and noise, on hand-made and real public data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import shared_data
from lisite import compare
from lisite.explain import significant


# --- comparison group ---------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def test_standardise_logs_size_columns_and_scales_by_median_and_mad():
    frame = pd.DataFrame({"index": [0.8, 0.9, 1.0, 1.1, 1.2], "children": [400, 1000, 2000, 4000, 100000]})
    z = compare.standardise(frame, ["index", "children"])
    # index: median 1.0, absolute deviations 0.2 0.1 0 0.1 0.2, so MAD = 0.1
    assert z["index"].tolist() == pytest.approx([d / (1.4826 * 0.1) for d in (-0.2, -0.1, 0, 0.1, 0.2)])
    # children are logged: median log(2000), deviations log 5, log 2, 0, log 2, log 50, so MAD = log 2;
    # København-like 100,000 sits far out but does not change anyone else's value
    expected = [math.log(v / 2000) / (1.4826 * math.log(2)) for v in (400, 1000, 2000, 4000, 100000)]
    assert z["children"].tolist() == pytest.approx(expected)


def test_standardise_falls_back_when_most_values_are_equal_and_zeroes_a_constant():
    frame = pd.DataFrame({"a": [5.0, 5.0, 5.0, 6.0, 9.0], "b": [5.0, 5.0, 5.0, 5.0, 5.0]})
    z = compare.standardise(frame, ["a", "b"], size=[])
    # MAD is 0 (three of five equal): the mean absolute deviation from the median (1.0) times sqrt(pi / 2) is used
    assert z["a"].tolist() == pytest.approx([0, 0, 0, 1 / 1.2533, 4 / 1.2533])
    assert z["b"].tolist() == [0.0, 0.0, 0.0, 0.0, 0.0]  # no spread: cannot decide anything


def test_size_columns_are_positive_and_strongly_right_skewed():
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({
        "children": np.exp(rng.normal(9, 0.6, 98)).round() * np.r_[12, np.ones(97)],  # one København
        "index": rng.normal(1.0, 0.2, 98),
        "change": np.r_[-5.0, np.exp(rng.normal(2, 1.5, 97))],  # skewed, but not all above zero
    })
    assert compare.size_columns(frame, ["children", "index", "change"]) == ["children"]


def test_nearest_uses_the_common_scale_reports_parts_and_breaks_ties_by_code():
    # x spreads 0..40 and y 0..4000 (both hold a 0, so neither is a size column): unscaled, y would decide everything
    frame = pd.DataFrame({
        "kommunekode": [1, 2, 3, 4, 5],
        "x": [0.0, 10.0, 10.0, 20.0, 40.0],
        "y": [2000.0, 1000.0, 3000.0, 2000.0, 0.0],
    })
    near = compare.nearest(frame, 1, ["x", "y"], k=3)
    # 2 and 3 are equally far from 1 (mirror images in y): the lower code comes first
    assert near["kommunekode"].tolist() == [2, 3, 4]
    # MAD of x is 10 and of y 1000: 2 is one MAD away on each, 4 two MADs away on x only
    unit = 1 / 1.4826
    assert near["part.x"].tolist() == pytest.approx([unit, unit, 2 * unit])
    assert near["part.y"].tolist() == pytest.approx([unit, unit, 0])
    assert near["distance"].tolist() == pytest.approx(np.hypot(near["part.x"], near["part.y"]).tolist())
    assert 1 not in near["kommunekode"].tolist()


def test_nearest_skips_rows_with_missing_values_and_refuses_unknown_code():
    frame = pd.DataFrame({"kommunekode": [1, 2, 3], "x": [1.0, None, 3.0]})
    assert compare.nearest(frame, 1, ["x"], k=5)["kommunekode"].tolist() == [3]
    with pytest.raises(KeyError):
        compare.nearest(frame, 2, ["x"], k=1)


def test_an_outlier_cannot_dominate_the_scaling():
    rng = np.random.default_rng(2026)
    frame = pd.DataFrame({"kommunekode": range(1, 61), "index": rng.normal(1.0, 0.2, 60),
                          "children": np.exp(rng.normal(9, 0.5, 60)).round()})
    largest = int(frame["children"].idxmax())
    extreme = frame.copy()
    extreme.loc[largest, "children"] *= 30  # one municipality becomes a København
    others = frame.index != largest
    before, after = (compare.standardise(f, ["index", "children"], size=["children"]) for f in (frame, extreme))
    assert after[others].to_numpy() == pytest.approx(before[others].to_numpy())  # nobody else moves
    for code in frame["kommunekode"][others]:
        kept = [c for c in compare.nearest(frame, code, ["index", "children"], 7)["kommunekode"] if c != largest + 1]
        found = [c for c in compare.nearest(extreme, code, ["index", "children"], 7)["kommunekode"] if c != largest + 1]
        assert found[: len(kept) - 1] == kept[: len(kept) - 1]
    # with mean and standard deviation the same outlier squeezes everyone else together
    z = [(f["children"] - f["children"].mean()) / f["children"].std(ddof=0) for f in (frame, extreme)]
    assert (z[1][others].std() / z[0][others].std()) < 0.5


def test_far_limit_is_the_upper_fence_of_kth_nearest_distances():
    rng = np.random.default_rng(11)
    x = np.r_[rng.normal(0, 1, 40), 9.0]  # 40 municipalities close together, one far away
    frame = pd.DataFrame({"kommunekode": range(1, 42), "x": x})
    limit = compare.far_limit(frame, ["x"], k=2)
    z = compare.standardise(frame, ["x"]).to_numpy()[:, 0]
    second = np.sort(np.abs(z[:, None] - z[None, :]), axis=1)[:, 2]  # column 0 is the row itself
    q1, q3 = np.percentile(second, [25, 75])
    assert limit == pytest.approx(q3 + 1.5 * (q3 - q1))
    assert second[-1] > limit and second[-1] == second.max()  # the far one is beyond the limit
    near = compare.nearest(frame, 41, ["x"], k=5, limit=limit, least=3)  # the far one keeps only the 3 nearest
    assert len(near) == 3 and (near["distance"] > limit).all()
    typical = int(np.argmin(np.abs(x - np.median(x)))) + 1
    assert len(compare.nearest(frame, typical, ["x"], k=5, limit=limit)) == 5  # a typical one keeps all 5


def demo_benchmark(year: int = 2025) -> pd.DataFrame:
    bench = pd.read_csv(REPO / "sample_data" / "benchmark.csv", sep=";", decimal=",")
    return bench[bench["aar"] == year].reset_index(drop=True)


def group_of(frame: pd.DataFrame, code: int, columns: list[str], k: int = 7) -> tuple[pd.DataFrame, float]:
    """The comparison plugin's rule: the k nearest, none beyond the far limit unless fewer than 3 are within it."""
    limit = compare.far_limit(frame, columns, k)
    return compare.nearest(frame, code, columns, k, limit=limit, least=3), limit


def test_demo_benchmark_groups_are_near_or_flagged():
    frame = demo_benchmark()
    columns = ["socio_indeks", "boern_0_17"]
    assert compare.size_columns(frame, columns) == ["boern_0_17"]
    children = frame.set_index("kommunekode")["boern_0_17"]
    for code in (101, 825):  # København (135,736 children) and Læsø (416)
        group, limit = group_of(frame, code, columns)
        ratio = np.maximum(group["boern_0_17"] / children[code], children[code] / group["boern_0_17"])
        assert len(group) == 3 and ratio.max() < 4, (code, group[["kommune", "boern_0_17"]])  # z-scores: up to 11 times
        assert (group["distance"] > limit).any()  # even the nearest are far: the text must warn
    group, limit = group_of(frame, 479, columns)  # Svendborg: a typical municipality
    assert len(group) == 7 and (group["distance"] <= limit).all()
    assert set(group_of(frame, 825, columns)[0]["kommune"]) == {"Fanø", "Samsø", "Ærø"}


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


def independent_neighbours(frame: pd.DataFrame, columns: list[str], logged: list[str], k: int) -> dict[int, list[int]]:
    """Plain numpy: log the size columns, scale by median and 1.4826 * MAD, full distance matrix, sort by (distance, code)."""
    x = frame[columns].to_numpy(dtype=float, copy=True)
    for i, column in enumerate(columns):
        if column in logged:
            x[:, i] = np.log(x[:, i])
    median = np.median(x, axis=0)
    z = (x - median) / (1.4826 * np.median(np.abs(x - median), axis=0))
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
    assert compare.size_columns(frame, columns) == ["indbyggertal_1_januar"]  # inhabitants are a size, the index is not
    expected = independent_neighbours(frame, columns, ["indbyggertal_1_januar"], k)
    for code in frame["kommunekode"]:
        found = compare.nearest(frame, int(code), columns, k)["kommunekode"].tolist()
        assert found == expected[int(code)], f"municipality {code}"


def test_real_data_small_and_large_municipalities_get_near_groups_and_a_warning():
    """On the real 2024 inhabitants and index: København's and Læsø's groups hold no municipality of a far-off size
    (with z-scores both groups reached municipalities of more than 6 times or a sixth of their size), and both are flagged; Svendborg is not."""
    frame = real_frame()
    columns = ["socio_oekonomisk_indeks", "indbyggertal_1_januar"]
    people = frame.set_index("kommunekode")["indbyggertal_1_januar"]
    for code in (101, 825):
        group, limit = group_of(frame, code, columns)
        ratio = np.maximum(group["indbyggertal_1_januar"] / people[code], people[code] / group["indbyggertal_1_januar"])
        assert ratio.max() < 4 and (group["distance"] > limit).any(), code
        old = independent_z_neighbours(frame, columns, code, 7)
        assert (np.maximum(people[old] / people[code], people[code] / people[old])).max() > 6  # what z-scores gave
    group, limit = group_of(frame, 479, columns)
    assert len(group) == 7 and (group["distance"] <= limit).all()


def independent_z_neighbours(frame: pd.DataFrame, columns: list[str], code: int, k: int) -> list[int]:
    """The former rule, for contrast: z-scores with mean and standard deviation over all municipalities."""
    x = frame[columns].to_numpy(dtype=float)
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    own = z[frame.index[frame["kommunekode"] == code][0]]
    dist = np.sqrt(((z - own) ** 2).sum(axis=1))
    order = [int(frame["kommunekode"][i]) for i in np.argsort(dist, kind="stable")]
    return [c for c in order if c != code][:k]
