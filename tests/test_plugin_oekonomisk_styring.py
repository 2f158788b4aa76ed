"""Core element 8: budget follow-up, prognosis and its text on hand-made figures; pages on the demo site."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from lisite import testing

REPO = Path(__file__).resolve().parents[1]
styring = testing.load_plugin(testing.builtin_plugin("oekonomisk_styring"))

A, B = "Familieafdelingen", "Handicap og Unge"
SEP_2026 = [10e6] * 7 + [20e6, 30e6]  # January to September 2026


def budget_frame() -> pd.DataFrame:
    """2025: twelve months of 15 mio. in area A; 2026: January-September, split over two areas."""
    rows = [(2025, m, A, "5.28.20", "Anbringelse", 12e6, 12e6, 15e6) for m in range(1, 13)]
    for month, spent in enumerate(SEP_2026, start=1):
        corrected = 12e6 + (1e6 if month >= 7 else 0)  # the budget is raised by 1 mio. a month from July
        rows.append((2026, month, A, "5.28.20", "Anbringelse", 12e6, corrected, spent - 1e6))
        rows.append((2026, month, B, "5.28.25", "Øvrige", 0.5e6, 0.5e6, 1e6))
    columns = ["aar", "maaned", "omraade", "budgetfunktion", "indsatsgruppe", "budget", "korrigeret_budget", "forbrug"]
    return pd.DataFrame(rows, columns=columns)


def page_ctx():
    """A page context in Danish: the prognosis takes its words from ctx.t and its numbers from ctx.fmt."""
    return testing.page_context([], {}, "direktion", REPO)


def test_forecast_average_of_last_six_months():
    monthly = pd.Series(SEP_2026, index=[f"2026-{m:02d}" for m in range(1, 10)])
    fc = styring.forecast(monthly, 2026, 9)
    assert fc.spent == 120e6
    assert fc.per_month == 15e6  # (10 + 10 + 10 + 10 + 20 + 30) / 6
    assert fc.expected == 120e6 + 3 * 15e6
    assert fc.sd == pytest.approx(math.sqrt(70) * 1e6)  # squared deviations 4*25 + 25 + 225 = 350, / 5
    assert fc.half_width(3) == pytest.approx(1.96 * math.sqrt(70) * 1e6 * math.sqrt(3 + 9 / 6))
    assert fc.half_width(0) == 0


def test_forecast_reaches_back_into_last_year_in_january():
    monthly = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 9.0], index=[f"2025-{m:02d}" for m in range(7, 13)] + ["2026-01"])
    fc = styring.forecast(monthly, 2026, 1)
    assert fc.spent == 9.0
    assert fc.per_month == (2 + 3 + 4 + 5 + 6 + 9) / 6
    assert fc.remaining == 11


def test_follow_up_table_columns_and_totals():
    table = styring.follow_up_table(budget_frame(), 2026, 9, "indsatsgruppe", "Indsatsgruppe", "I alt")
    assert list(table["Indsatsgruppe"]) == ["Anbringelse", "Øvrige", "I alt"]
    total = table.iloc[-1]
    # columns by identifier (budget, corrected, spent, spent_pct, expected, deviation, last_year); headings come
    # from the catalogue when the table is shown
    assert total["budget"] == 12 * 12.5e6
    assert total["corrected"] == 12 * 12.5e6 + 6 * 1e6  # October-December counted as September
    assert total["spent"] == 120e6
    assert total["spent_pct"] == pytest.approx(120 / 156 * 100)
    assert total["expected"] == 165e6
    assert total["deviation"] == 9e6
    assert total["last_year"] == 12 * 15e6
    placed = table.iloc[0]
    assert placed["spent"] == 120e6 - 9e6
    assert placed["expected"] + table.iloc[1]["expected"] == pytest.approx(165e6)
    areas = styring.follow_up_table(budget_frame(), 2026, 9, "omraade", "Område", "Hele kommunen")
    assert list(areas["Område"]) == [A, B, "Hele kommunen"]


def test_prognosis_text_in_danish_numbers():
    monthly = pd.Series(SEP_2026, index=[f"2026-{m:02d}" for m in range(1, 10)])
    fc = styring.forecast(monthly, 2026, 9)
    description, sentences = styring.prognosis_text(page_ctx(), fc, 156e6, 2026, 9)
    assert sentences[0] == "**Vi forventer et forbrug på 165,0\u00a0mio.\u00a0kr. i 2026**, sandsynligvis mellem 130,2 og 199,8\u00a0mio.\u00a0kr."
    assert sentences[1] == "Det er et merforbrug på 9,0\u00a0mio.\u00a0kr. i forhold til det korrigerede budget på 156,0\u00a0mio.\u00a0kr."
    assert "endnu ikke afgjort" in sentences[2]
    assert "september 2026: 120,0\u00a0mio.\u00a0kr." in description and "ender på 165,0\u00a0mio.\u00a0kr." in description
    assert "mellem 130,2 og 199,8\u00a0mio.\u00a0kr." in description and "merforbrug på 9,0\u00a0mio.\u00a0kr." in description


def test_prognosis_chart_builds():
    monthly = pd.Series(SEP_2026, index=[f"2026-{m:02d}" for m in range(1, 10)])
    fc = styring.forecast(monthly, 2026, 9)
    spec = json.dumps(styring.prognosis_chart(page_ctx(), budget_frame(), fc, 156e6, 2026, 9), ensure_ascii=False)
    assert "Korrigeret budget: 156,0\u00a0mio.\u00a0kr." in spec and "Prognose: 165,0\u00a0mio.\u00a0kr." in spec


@pytest.mark.parametrize("audience", ["udvalg", "direktion", "ledere"])
def test_element_page_on_demo(demo_build, audience):
    html = (demo_build / "_site" / audience / "elementer" / "oekonomisk_styring.html").read_text(encoding="utf-8")
    assert "<h1>Økonomisk styring og afrapportering</h1>" in html
    assert "Budgetopfølgning for" in html and "Prognose for hele" in html
    assert "Vi forventer et forbrug på" in html


def test_report_only_for_direktion_and_ledere(demo_build):
    site = demo_build / "_site"
    for audience in ("direktion", "ledere"):
        html = (site / audience / "rapporter" / "oekonomi_maaned.html").read_text(encoding="utf-8")
        assert "<h1>Månedlig økonomiopfølgning</h1>" in html
        for heading in ("Korrigeret budget", "Forbrug til dato", "Forventet årsresultat", "Afvigelse", "Sidste års regnskab",
                        "pr. område", "Familieafdelingen"):
            assert heading in html
    for audience in ("udvalg", "sagsbehandlere"):
        assert not (site / audience / "rapporter" / "oekonomi_maaned.html").exists()
    assert not (site / "sagsbehandlere" / "elementer" / "oekonomisk_styring.html").exists()
    assert "pr. område" not in (site / "udvalg" / "elementer" / "oekonomisk_styring.html").read_text(encoding="utf-8")


def test_outlook_chart_draws_the_interval_its_text_describes():
    """The shaded area the text speaks of is drawn, zoomed in on the interval and the budget so it can be seen."""
    monthly = pd.Series(SEP_2026, index=[f"2026-{m:02d}" for m in range(1, 10)])
    fc = styring.forecast(monthly, 2026, 9)
    text = styring.outlook_text(page_ctx(), fc, 156e6, 2026)
    assert "Det skraverede felt" in text and "mellem 130,2 og 199,8\u00a0mio.\u00a0kr." in text and "156,0\u00a0mio.\u00a0kr." in text
    spec = styring.outlook_chart(page_ctx(), fc, 156e6, 2026)
    band = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rect")
    low, high = band["encoding"]["x"]["scale"]["domain"]
    assert band["encoding"]["x"]["field"] == "low" and band["encoding"]["x2"]["field"] == "high"
    assert (fc.high() - fc.low()) / 1e6 / (high - low) >= 0.5
    assert low < 156 < high
    description, _ = styring.prognosis_text(page_ctx(), fc, 156e6, 2026, 9)
    assert "skravere" not in description  # the cumulative chart's band is too narrow to point at



def test_follow_up_table_rows_are_the_slices_follow_up_rows_exactly():
    """The table is made in one pass over the data; every row is what follow_up_row gives for its slice, to the
    last digit, also for an area without spend to date and amounts that do not add up evenly."""
    frame = budget_frame()
    frame.loc[frame["omraade"] == B, "forbrug"] *= 1.0 / 3.0
    extra = pd.DataFrame([(2026, 11, "Tredje", "5.28.21", "Forebyggende", 1e6 / 7, 1e6 / 7, 0.1)], columns=frame.columns)
    frame = pd.concat([frame, extra], ignore_index=True)
    for by, values in (("omraade", [A, B, "Tredje"]), ("indsatsgruppe", ["Forebyggende", "Anbringelse", "Øvrige"])):
        table = styring.follow_up_table(frame, 2026, 9, by, "x", "I alt")
        assert list(table["x"]) == [*values, "I alt"]
        for row in table.iloc[:-1].to_dict("records"):
            expected = styring.follow_up_row(frame[frame[by] == row["x"]], 2026, 9)
            assert {k: row[k] for k in expected} == pytest.approx(expected, rel=0, abs=0, nan_ok=True)
        assert table.iloc[-1].drop("x").to_dict() == styring.follow_up_row(frame, 2026, 9)


def budget_context(audience: str, frame: pd.DataFrame, sha: str):
    """A page context with the budget dataset and build inputs naming its hash (what ctx.memo keys by)."""
    from dataclasses import replace

    from lisite.cache import BuildInputs
    from lisite.context import data_key
    from lisite.model import Dataset, DatasetSpec

    ctx = testing.page_context([], {}, audience, REPO)
    ctx.datasets = {"budget": Dataset(DatasetSpec("budget", "Budget", ()), frame, "budget.csv", sha256=sha)}
    ctx.inputs = BuildInputs(data=data_key(ctx.datasets), config="c", code="p", views="v", texts="t")
    return ctx, replace


def test_budget_blocks_made_once_per_build_for_audiences_with_the_same_data():
    ctx, replace = budget_context("direktion", budget_frame(), "a")
    first = styring.budget_blocks(ctx, per_area=True)
    other = ctx.for_audience(replace(ctx.audience, id="ledere", level="caseworker"))
    again = styring.budget_blocks(other, per_area=True)
    assert all(a is b for a, b in zip(first, again)) and len(first) == len(again)
    assert styring.budget_blocks(ctx, per_area=False)[1] is not first[1]  # another set of blocks
    # an audience limited to one area reads other data: its own figures, never the whole municipality's
    limited = ctx.for_audience(replace(ctx.audience, id="a", filter=(("omraade", B),)))
    limited.datasets = {"budget": replace(ctx.datasets["budget"], frame=budget_frame()[lambda f: f["omraade"] == B])}
    mine = styring.budget_blocks(limited, per_area=False)
    assert mine[1] is not first[1] and "Anbringelse" not in set(mine[1].frame.iloc[:, 0])
    # a data edit (a new hash) makes them again
    edited, _ = budget_context("direktion", budget_frame().assign(forbrug=lambda f: f["forbrug"] * 2), "b")
    edited.cache = ctx.cache
    twice = styring.budget_blocks(edited, per_area=True)
    assert twice[1] is not first[1] and twice[1].frame.iloc[-1, 3] == 2 * first[1].frame.iloc[-1, 3]
