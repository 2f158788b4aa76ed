"""What a build works out once and hands out many times: staged parts, periods, targets, formatted numbers."""

import pandas as pd

import lisite
from lisite import fmt, testing

MONTHS = [str(p) for p in pd.period_range("2025-10", "2026-09", freq="M")]
ACTIVE = lisite.Indicator(id="administration.aktive_sager", title="Aktive sager", theme="administration",
                          element="administrativ_styring", unit="antal", compute=None, dimensions=("kilde",))
RESULTS = {ACTIVE.id: pd.DataFrame({"period": MONTHS * 2, "kilde": ["a"] * 12 + ["b"] * 12, "numerator": [40.0] * 12 + [2.0] * 12})}


def context(tmp_path, audience="udvalg"):
    return testing.page_context([ACTIVE], RESULTS, audience, tmp_path)


def test_a_staged_part_changed_by_its_caller_is_handed_out_unchanged_next_time(tmp_path):
    staged = context(tmp_path).staged(ACTIVE.id)
    total, by = staged.total(), staged.by("kilde")
    expected_total, expected_by = total.copy(), by.copy()
    total["numerator"] = -1.0
    by.loc[by.index[0], "value"] = 999.0
    pd.testing.assert_frame_equal(staged.total(), expected_total)
    pd.testing.assert_frame_equal(staged.by("kilde"), expected_by)
    assert staged.total() is not staged.total()


def test_staged_parts_are_the_rows_of_the_staged_frame(tmp_path):
    staged = context(tmp_path).staged(ACTIVE.id)
    frame = staged.frame
    pd.testing.assert_frame_equal(staged.total(), frame[frame["_by"] == ""].drop(columns="_total"))
    pd.testing.assert_frame_equal(staged.by("kilde"), frame[frame["_by"] == "kilde"].drop(columns="_total"))
    assert staged.by("kilde")["suppressed"].any()  # 2 of 5 hidden: the part is the suppressed one


def test_shown_periods_handed_out_once_cannot_be_changed_by_a_caller(tmp_path):
    ctx = context(tmp_path)
    periods = ctx.shown_periods(ACTIVE.id)
    periods.clear()
    assert ctx.shown_periods(ACTIVE.id) == MONTHS


def test_target_is_worked_out_per_audience(tmp_path):
    ctx = context(tmp_path)
    assert ctx.target(ACTIVE.id) is None
    other = ctx.for_audience(ctx.config.audiences["direktion"])
    other.derived[("target", "direktion", ACTIVE.id)] = 7.0  # what another audience's goals gave
    assert other.target(ACTIVE.id) == 7.0 and ctx.target(ACTIVE.id) is None


def test_formatted_numbers_are_the_same_when_reused():
    assert [fmt.number(v, 1) for v in (1234.56, 1234.56, -0.04, 0.0, -0.0)] == ["1.234,6", "1.234,6", "-0,0", "0,0", "-0,0"]
    assert fmt.number(0.0) == "0" and fmt.number(-0.0) == "-0" and fmt.number(0.0) == "0"
    assert fmt.number(1234.5, 1, "en") == "1,234.5" and fmt.number(1234.5, 1) == "1.234,5"
    assert fmt.number(float("nan")) == "–" and fmt.number(None) == "–"


def test_each_target_is_the_goal_of_the_latest_year_up_to_the_reports_as_a_filter_finds_it(tmp_path):
    """The goals are grouped once for every indicator an audience asks about; each target is what filtering the
    goals by the indicator and year gives: the latest year up to the report's, the last row of a year given twice."""
    import random

    from lisite.model import Dataset, DatasetSpec

    rng = random.Random(7)
    ids = [f"t.ind_{i}" for i in range(12)]
    rows = [{"aar": rng.choice([2023, 2025, 2026, 2027, None]), "indikator": rng.choice([*ids, None]),
             "maal": float(rng.randint(1, 99))} for _ in range(80)]
    goals = pd.DataFrame(rows).astype({"aar": "Int64", "indikator": "string", "maal": "float"})
    indicators = [lisite.Indicator(id=i, title=i, theme="administration", element="administrativ_styring", unit="antal",
                                   compute=None, target=1.5 if n % 2 else None) for n, i in enumerate([*ids, "t.uden", "t.uden_2"])]
    ctx = testing.page_context(indicators, {}, "udvalg", tmp_path)
    ctx.datasets = {"maal": Dataset(DatasetSpec("maal", "Mål", ()), goals, "data/maal.csv")}
    expected = {}
    for indicator in indicators:
        found = goals[(goals["indikator"] == indicator.id) & (goals["aar"] <= ctx.config.year)]
        expected[indicator.id] = float(found.sort_values("aar").iloc[-1]["maal"]) if len(found) else indicator.target
    assert {indicator.id: ctx.target(indicator.id) for indicator in indicators} == expected
    assert len(set(expected.values())) > 5 and 1.5 in expected.values() and None in expected.values()
    assert ctx.reads  # each target read the goals


def test_a_tables_digest_is_worked_out_once_for_each_block_and_goes_with_it(monkeypatch):
    """A page kept from the last build hands back the same table blocks: their digest is not worked out again. An equal
    new block has the same digest, another caption or other cells another; a block's entry goes when the block goes."""
    import gc

    import pandas as pd

    from lisite import render
    from lisite.model import Table

    hashed = []
    real = render.result_digest
    monkeypatch.setattr(render, "result_digest", lambda frame: hashed.append(1) or real(frame))
    block = Table(pd.DataFrame({"team": ["A", "B"], "antal": [3, 4]}), caption="Sager")
    first = render.table_digest(block)
    assert render.table_digest(block) == first and len(hashed) == 1
    equal = Table(pd.DataFrame({"team": ["A", "B"], "antal": [3, 4]}), caption="Sager")
    assert render.table_digest(equal) == first and len(hashed) == 2
    assert render.table_digest(Table(equal.frame, caption="Børn")) != first
    assert render.table_digest(Table(pd.DataFrame({"team": ["A", "B"], "antal": [3, 5]}), caption="Sager")) != first
    key = id(block)
    assert key in render.TABLE_DIGESTS
    del block
    gc.collect()
    assert key not in render.TABLE_DIGESTS or render.TABLE_DIGESTS[key][0]() is not None
