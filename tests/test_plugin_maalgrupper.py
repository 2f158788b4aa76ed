"""The maalgrupper plugin: its figures on a small hand-made case export, and its page on the demo site."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lisite import testing
from lisite.config import parse_config
from lisite.context import IndicatorContext
from lisite.count import compute_count
from lisite.i18n import Translator

PLUGIN = testing.builtin_plugin("maalgrupper")


def load(path: Path):
    return testing.load_plugin(path)


plugin = load(PLUGIN)
D, NONE = pd.Timestamp, pd.NaT
# case, born, gender, target group, disability, area, team, opened, closed
ROWS = [
    ("S1", 2020, "Dreng", "Socialt udsat", None, "A", "T1", D("2025-01-01"), NONE),
    ("S2", 2008, "Pige", "Handicap", "Autisme", "B", "T2", D("2024-05-01"), NONE),
    ("S3", 2012, "Pige", "Handicap", None, "B", "T2", D("2026-02-01"), NONE),  # no disability type registered
    ("S4", 2010, "Dreng", "Socialt udsat", None, "A", "T1", D("2023-01-01"), D("2026-01-20")),
    ("S5", 2026, "Pige", "Socialt udsat", None, "A", "T1", D("2026-03-10"), NONE),
    ("S6", 2005, "Dreng", "Socialt udsat", None, "A", "T1", D("2020-01-01"), NONE),  # 18+: continued support
]


@pytest.fixture
def ctx(tmp_path):
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-03", "first": "2026-01"}}, tmp_path)
    cases = pd.DataFrame(ROWS, columns=["sags_id", "foedselsaar", "koen", "maalgruppe", "handicaptype", "omraade", "team", "oprettet", "afsluttet"])
    cases["foedselsaar"] = cases["foedselsaar"].astype("Int64")
    bench = pd.DataFrame({"kommunekode": 479, "aar": range(2019, 2026), "boern_0_17": 1000})
    return IndicatorContext(config=config, data={"sager": cases, "benchmark": bench})


def count(ctx, indicator: str, column: str, period: str = "2026-03") -> dict:
    found = next(i for i in plugin.INDICATORS if i.id == f"maalgrupper.{indicator}")
    frame = found.compute(ctx) if found.compute else compute_count(found.count, found, ctx)
    month = frame[frame["period"] == period]
    return month.groupby(column)["numerator"].sum().to_dict()


def test_age_groups(ctx):
    assert count(ctx, "boern_efter_alder", "aldersgruppe") == {"0-5 år": 1, "6-11 år": 1, "12-14 år": 1, "18+ år": 2}
    assert count(ctx, "boern_efter_alder", "aldersgruppe", "2026-01") == {"6-11 år": 1, "18+ år": 2}  # S4 closed 20 Jan
    assert list(plugin.age_group(pd.Series([-1, 5, 6, 11, 12, 14, 15, 17, 18]), plugin.age_labels(Translator("da")))) == [
        "0-5 år", "0-5 år", "6-11 år", "6-11 år", "12-14 år", "12-14 år", "15-17 år", "15-17 år", "18+ år",
    ]


def test_gender_target_group_and_disability(ctx):
    assert count(ctx, "boern_efter_koen", "koen") == {"Dreng": 2, "Pige": 3}
    assert count(ctx, "boern_efter_maalgruppe", "maalgruppe") == {"Handicap": 2, "Socialt udsat": 3}
    assert count(ctx, "handicaptype", "handicaptype") == {"Autisme": 1, "Ikke oplyst": 1}
    assert count(ctx, "boern_efter_maalgruppe", "team") == {"T1": 3, "T2": 2}


def test_per_1000_counts_children_0_17_on_31_december(ctx):
    frame = plugin.per_1000(ctx).set_index("period")
    assert list(frame.index) == [str(y) for y in range(2020, 2026)]  # 2019 is before the first case (2020): missing, not 0
    assert frame["numerator"].to_dict() == {"2020": 1, "2021": 1, "2022": 1, "2023": 1, "2024": 2, "2025": 3}
    assert (frame["denominator"] == 1000).all()  # S6 counts until 17, not from 18


def test_age_chart_keeps_age_order(ctx):
    from types import SimpleNamespace

    indicator = next(i for i in plugin.INDICATORS if i.id == "maalgrupper.boern_efter_alder")
    frame = pd.DataFrame({"period": "2026-03", "aldersgruppe": ["18+ år", "0-5 år", "12-14 år"], "value": [9.0, 5.0, 7.0]})
    chart = indicator.chart(frame=frame, indicator=indicator, target=None, by="aldersgruppe",
                            ctx=SimpleNamespace(config=ctx.config, t=Translator("da")))
    x = chart["layer"][0]["encoding"]["x"]
    assert x["sort"] == ["0-5 år", "6-11 år", "12-14 år", "15-17 år", "18+ år"]


def test_page_on_demo_site(demo_build):
    out = demo_build / "_site"
    for audience in ("udvalg", "direktion", "ledere"):
        html = (out / audience / "temaer" / "maalgrupper.html").read_text(encoding="utf-8")
        for heading in ("Målgrupper", "Børn og unge med en sag", "Børn med handicap", "Børn med en sag pr. 1.000 børn"):
            assert heading in html
    assert not (out / "sagsbehandlere" / "temaer" / "maalgrupper.html").exists()


def test_header_only_cases_give_no_figures(ctx):
    """An export with a header and no rows: no figures at all (not zeros), and no crash."""
    ctx.data["sager"] = ctx.data["sager"].iloc[0:0]
    for indicator in plugin.INDICATORS:
        frame = indicator.compute(ctx) if indicator.compute else compute_count(indicator.count, indicator, ctx)
        assert frame.empty, indicator.id


def random_cases(seed: int, rows: int = 400) -> pd.DataFrame:
    """Cases over four years, some without an area, a team or a disability, some never open at a month's end."""
    import numpy as np

    rng = np.random.default_rng(seed)
    opened = pd.Timestamp("2022-06-01") + pd.to_timedelta(rng.integers(0, 1300, rows), unit="D")
    closed = pd.Series(opened + pd.to_timedelta(rng.integers(-20, 700, rows), unit="D")).where(rng.random(rows) < 0.6)
    return pd.DataFrame({
        "sags_id": [f"S{i}" for i in range(rows)], "foedselsaar": pd.array(rng.integers(2000, 2026, rows), dtype="Int64"),
        "maalgruppe": rng.choice(["Handicap", "Socialt udsat"], rows),
        "handicaptype": rng.choice(["Autisme", "Fysisk", None], rows), "omraade": rng.choice(["A", "B", None], rows),
        "team": rng.choice(["T1", "T2", "T3", None], rows), "oprettet": opened, "afsluttet": closed.to_numpy()},
        index=rng.permutation(rows) + 3)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("column, handicap_only", [("aldersgruppe", False), ("handicaptype", True)])
def test_counted_a_year_at_a_time_as_the_rows_of_every_month_count(seed, column, handicap_only):
    """count_by counts without making the rows of every month; the same frame as counting those rows (the
    definition), over months of several years, with missing areas, teams and disabilities, and a missing birth year."""
    words = (plugin.age_labels(Translator("da")), "Ikke oplyst")
    months = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)] + ["2026-01", "2026-02"]
    cases = random_cases(seed)
    unborn = cases.copy()  # a birth year missing on a case never open at a month's end
    unborn.loc[unborn.index[0], ["foedselsaar", "oprettet", "afsluttet"]] = [pd.NA, D("2024-03-05"), D("2024-03-10")]
    for data in (cases, unborn, cases.iloc[0:0]):
        rows = plugin.open_each_month(data, months, words)
        rows = rows[rows["maalgruppe"] == plugin.HANDICAP] if handicap_only else rows
        expected = rows.groupby(["period", column, "omraade", "team"]).size().rename("numerator").reset_index()
        found = plugin.count_by(data, months, words, column, handicap_only)
        pd.testing.assert_frame_equal(found, expected, check_exact=True)
    whole = plugin.count_by(cases, months, words, column, handicap_only)
    assert len(found) == 0 and len(whole) > 100 and whole["period"].nunique() == len(months)
