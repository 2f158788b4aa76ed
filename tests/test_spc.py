"""lisite.spc: XmR charts of monthly figures, each rule on hand-made series, gaps, verdicts and targets."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import lisite
from lisite import spc


def months(n: int, first: str = "2024-01") -> list[str]:
    return [str(p) for p in pd.period_range(first, periods=n, freq="M")]


def analyse(values, better="neither", **options):
    return spc.analyse(months(len(values)), values, better, **options)


def rules(process, period=None):
    """The rules whose patterns include ``period`` (default: any month)."""
    return {s.rule for s in process.signals if period is None or period in s.periods}


ZIGZAG = [8, 14] * 6  # mean 11, every moving range 6: limits 11 ± 15.96


# --- centre and limits -------------------------------------------------------------------------


def test_mean_and_limits_come_from_the_mean_moving_range():
    process = analyse(ZIGZAG)
    assert process.mean == pytest.approx(11)
    assert process.lower == pytest.approx(11 - 2.66 * 6) and process.upper == pytest.approx(11 + 2.66 * 6)
    assert process.sigma == pytest.approx(6 / 1.128)
    assert process.signals == () and process.verdict() == spc.Verdict("common")


def test_fewer_than_twelve_known_months_give_no_chart():
    assert analyse(ZIGZAG[:11]) is None
    assert analyse(ZIGZAG) is not None
    with_gaps = [*ZIGZAG[:6], None, float("nan"), *ZIGZAG[6:11]]  # 13 months, 11 with a figure
    assert spc.analyse(months(13), with_gaps) is None


def test_limits_are_cut_at_what_the_figure_can_take():
    process = analyse([97, 100] * 6, floor=0.0, ceiling=100.0)
    assert process.upper == 100.0 and process.lower == pytest.approx(98.5 - 2.66 * 3)
    assert analyse([1, 5] * 6, floor=0.0).lower == 0.0


def test_a_constant_series_is_common_cause_with_no_width():
    process = analyse([7.0] * 14, better="higher")
    assert process.lower == process.upper == process.mean == 7.0
    assert process.signals == () and process.verdict().kind == "common"
    assert analyse([0.1] * 30).signals == ()  # float noise in the mean makes no run on one side


# --- the four rules ----------------------------------------------------------------------------


def test_a_month_outside_the_limits():
    process = analyse([*ZIGZAG, 40])
    assert process.upper < 40
    assert process.signals == (spc.Signal("outside", "high", (months(13)[-1],)),)
    low = analyse([*ZIGZAG, -20])
    assert low.signals == (spc.Signal("outside", "low", (months(13)[-1],)),)


def test_seven_months_on_one_side_of_the_mean_is_a_shift_six_is_not():
    seven = [*[14, 6] * 5, *[12] * 7]
    process = analyse(seven)
    assert all(v > process.mean for v in seven[-7:]) and seven[-8] < process.mean
    assert process.signals == (spc.Signal("shift", "high", tuple(months(17)[-7:])),)
    assert analyse([*[14, 6] * 5, *[12] * 6]).signals == ()


def test_a_month_on_the_mean_breaks_a_run():
    # mean exactly 10; 11, 11, 11, 10, 11, 11, 11 is two runs of three around a month on the mean
    values = [4, *[14, 6] * 5, 11, 11, 11, 10, 11, 11, 11]
    process = analyse(values)
    assert process.mean == 10
    assert process.signals == () and process.verdict().kind == "common"
    unbroken = analyse([4, *[14, 6] * 5, *[11] * 7])
    assert rules(unbroken, months(18)[-1]) == {"shift"}


def test_six_months_each_higher_than_the_last_is_a_trend():
    values = [*ZIGZAG, 8, 9, 10, 11, 12, 13]
    process = analyse(values)
    [trend] = [s for s in process.signals if s.rule == "trend"]
    assert trend.side == "high" and trend.periods == tuple(months(18)[-6:])
    assert "trend" not in rules(analyse([*ZIGZAG, 9, 10, 11, 12, 13]))  # five months: four rises
    assert "trend" not in rules(analyse([*ZIGZAG, 8, 9, 10, 10, 11, 12, 13]))  # an equal month breaks it
    falling = analyse([*ZIGZAG, 15, 14, 13, 12, 11, 10])
    assert [s.side for s in falling.signals if s.rule == "trend"] == ["low"]


def test_two_of_three_months_beyond_two_sigma_on_the_same_side():
    values = [10, 12] * 12 + [16, 11, 16]
    process = analyse(values)
    assert all(process.mean + 2 * process.sigma < v < process.upper for v in (16,))
    periods = months(27)
    assert process.signals == (spc.Signal("two_of_three", "high", (periods[24], periods[26])),)
    assert rules(analyse([10, 12] * 12 + [16, 11, 11])) == set()  # one month near the limit is no pattern
    opposite = analyse([10, 12] * 12 + [16, 7])  # one near each limit
    assert "two_of_three" not in rules(opposite)


# --- gaps: hidden months count in nothing ------------------------------------------------------


def test_a_gap_breaks_runs_and_moving_ranges():
    run = [*[14, 6] * 5, 12, 12, 12, None, 12, 12, 12, 12]  # seven high months, but a gap after the third
    process = analyse(run)
    assert process.signals == ()
    assert rules(analyse([*[14, 6] * 5, *[12] * 7])) == {"shift"}
    known = [v for v in run if v is not None]
    assert process.mean == pytest.approx(sum(known) / len(known))
    ranges = [abs(b - a) for a, b in zip(run, run[1:]) if a is not None and b is not None]
    assert len(ranges) == len(run) - 3 and process.upper == pytest.approx(process.mean + 2.66 * sum(ranges) / len(ranges))
    assert "trend" not in rules(analyse([*ZIGZAG, 8, 9, 10, None, 11, 12, 13]))


def test_what_a_hidden_month_held_changes_nothing():
    """Two staged totals that differ only in a hidden month give the same chart and verdict."""
    from lisite.model import Audience
    from lisite.staging import stage

    indicator = lisite.Indicator(id="t.x", theme="administration", element="opfoelgning", unit="antal", better="lower")
    audience = Audience("udvalg", "Udvalget", level="municipality", min_count=5)
    periods = months(15)
    made = []
    for hidden in (1, 4):
        counts = [20, 24] * 7 + [30]
        counts[9] = hidden
        staged = stage(indicator, pd.DataFrame({"period": periods, "numerator": counts}), audience)
        made.append(spc.for_indicator(indicator, staged.total(), periods))
    assert made[0] == made[1]
    assert made[0].values[9] is None and made[0].points == 14


def test_the_latest_month_hidden_gives_no_verdict():
    process = spc.analyse(months(13), [*ZIGZAG, None])
    assert process is not None and process.verdict() is None


# --- verdicts and targets ----------------------------------------------------------------------


@pytest.mark.parametrize("better, judgement", [("higher", "improving"), ("lower", "worrying"), ("neither", "neutral")])
def test_a_pattern_is_judged_by_the_better_direction(better, judgement):
    verdict = analyse([*ZIGZAG, 8, 9, 10, 11, 12, 13], better).verdict()
    assert verdict.kind == "special" and verdict.signal.rule == "trend" and verdict.judgement == judgement
    low = analyse([*ZIGZAG, -20], better).verdict()
    assert low.judgement == {"higher": "worrying", "lower": "improving", "neither": "neutral"}[better]


def test_the_verdict_is_about_the_latest_month():
    earlier = analyse([*ZIGZAG, 8, 9, 10, 11, 12, 13, 8, 14])  # a trend that ended two months ago
    assert rules(earlier) == {"trend"} and earlier.verdict().kind == "common"
    assert earlier.flagged() == {p: "high" for p in months(20)[12:18]}


def test_the_latest_pattern_is_the_one_that_ended_last_with_months_outside_in_a_row_taken_together():
    assert analyse([*ZIGZAG, 8, 14]).latest_pattern() is None  # nothing to name
    earlier = analyse([*ZIGZAG, 8, 9, 10, 11, 12, 13, 8, 14])
    assert earlier.latest_pattern() == spc.Signal("trend", "high", tuple(months(20)[12:18]))
    both = analyse([50, 56] * 10 + [120, 125, 50, 56, 50, 53])  # a long shift low, then two months far above
    assert {s.rule for s in both.signals} == {"outside", "shift", "two_of_three"} and both.verdict().kind == "common"
    assert both.latest_pattern() == spc.Signal("outside", "high", ("2025-09", "2025-10"))  # not October alone
    apart = analyse([50, 56] * 10 + [120, 56, 125, 56, 50, 53])  # a month between: the later one alone
    assert apart.latest_pattern() == spc.Signal("outside", "high", ("2025-11",))


def test_the_verdict_names_the_strongest_rule_first():
    values = [*ZIGZAG, 8, 9, 10, 11, 12, 40]  # a trend ending in a month outside the limits
    verdict = analyse(values, "higher").verdict()
    assert verdict.signal.rule == "outside"


@pytest.mark.parametrize("better, target, expected", [
    ("higher", -10.0, "pass"), ("higher", 30.0, "fail"), ("higher", 11.0, "chance"), ("higher", 26.0, "chance"),
    ("lower", -10.0, "fail"), ("lower", 30.0, "pass"), ("lower", 11.0, "chance"),
    ("neither", -10.0, None), ("higher", None, None),
])
def test_assurance_against_a_target(better, target, expected):
    process = analyse(ZIGZAG, better)  # limits -4.96 and 26.96
    assert process.assurance(target) == expected


def test_assurance_of_a_series_without_variation():
    process = analyse([90.0] * 12, "higher")
    assert process.assurance(90.0) == "pass" and process.assurance(95.0) == "fail"


# --- which figures are a process ---------------------------------------------------------------


def test_only_monthly_figures_that_are_not_year_to_date_are_a_process():
    monthly = lisite.Indicator(id="t.m", theme="administration", element="opfoelgning", unit="antal")
    ytd = lisite.Indicator(id="t.y", theme="oekonomi", element="oekonomisk_styring", unit="pct", cumulative=True)
    assert spc.applies(monthly, months(3)) and not spc.applies(ytd, months(24))
    assert not spc.applies(monthly, ["2021", "2022", "2023"]) and not spc.applies(monthly, [])
    total = pd.DataFrame({"period": months(24), "value": [float(v) for v in [10, 12] * 12], "suppressed": False})
    assert spc.for_indicator(ytd, total, months(24)) is None
    assert spc.for_indicator(monthly, total, months(24)).points == 24


def test_series_reads_hidden_and_missing_months_as_gaps():
    total = pd.DataFrame({"period": ["2026-01", "2026-02", "2026-04"], "value": [5.0, math.nan, 7.0],
                          "suppressed": [False, True, False]})
    assert spc.series(total, months(5, "2026-01")) == (months(5, "2026-01"), [5.0, None, None, 7.0, None])
    assert spc.series(total) == (months(4, "2026-01"), [5.0, None, None, 7.0])


def test_spc_is_public():
    assert "lisite.spc" in lisite.PUBLIC_MODULES and lisite.spc is spc
