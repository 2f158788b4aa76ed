"""The styringsgrundlag plugin: the goal chain, goal status in words and the focus-area report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import lisite
from lisite import testing
from lisite.config import parse_config
from lisite.context import BuildContext
from lisite.i18n import Translator
from lisite.model import Audience, Dataset, DatasetSpec

PLUGIN_FILE = testing.builtin_plugin("styringsgrundlag")
plugin = testing.load_plugin(PLUGIN_FILE)

DA = Translator("da")
CONFIG = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                       "period": {"current": "2026-09", "first": "2026-07"}}, Path("."))


@pytest.mark.parametrize(
    ("current", "baseline", "target", "better", "status"),
    [
        (96.0, 80.0, 95.0, "higher", "Nået"),
        (95.0, 80.0, 95.0, "higher", "Nået"),
        (85.0, 80.0, 95.0, "higher", "På vej"),
        (80.0, 80.0, 95.0, "higher", "Ikke på vej"),
        (75.0, 80.0, 95.0, "higher", "Ikke på vej"),
        (9.0, 12.0, 10.0, "lower", "Nået"),
        (11.0, 12.0, 10.0, "lower", "På vej"),
        (13.0, 12.0, 10.0, "lower", "Ikke på vej"),
        (70.0, 60.0, 75.0, "neither", "På vej"),  # the goal gives the direction
        (55.0, 60.0, 50.0, "neither", "På vej"),
        (None, 60.0, 75.0, "higher", "Ingen tal"),
        (float("nan"), 60.0, 75.0, "lower", "Ingen tal"),
    ],
)
def test_goal_status(current, baseline, target, better, status):
    assert DA(f"styringsgrundlag.status.{plugin.goal_status(current, baseline, target, better)}") == status


GOALS = pd.DataFrame(
    [
        (2025, "Gammelt", "Gammelt mål", "t.andel", 50.0, 2023, 60.0, 2025),
        (2026, "Rettidighed", "Flere sager til tiden", "t.andel", 60.0, 2024, 80.0, 2027),
        (2026, "Rettidighed", "Færre ventende", "t.antal", 30.0, 2024, 20.0, 2027),
        (2026, "Skjult", "Et mål udvalget ikke ser tal for", "t.skjult", 1.0, 2024, 2.0, 2027),
    ],
    columns=["aar", "fokusomraade", "politisk_maal", "indikator", "baseline", "baseline_aar", "maal", "frist"],
)


def test_goals_for_year_takes_the_reporting_year_else_the_latest_before():
    assert list(plugin.goals_for_year(GOALS, 2026)["politisk_maal"])[:2] == ["Flere sager til tiden", "Færre ventende"]
    assert list(plugin.goals_for_year(GOALS, 2025)["politisk_maal"]) == ["Gammelt mål"]
    assert plugin.goals_for_year(GOALS, 2024).empty
    assert plugin.goals_for_year(None, 2026).empty


def _indicator(id, unit, better, frame, shown_to=("municipality",)):
    return lisite.Indicator(id=id, title=f"Titel {id}", theme="administration", element="styringsgrundlag", unit=unit,
                            better=better, compute=lambda ctx: frame, shown_to=shown_to)


def goal_context() -> BuildContext:
    share = pd.DataFrame({"period": ["2026-07", "2026-08", "2026-09"], "numerator": [12.0, 14.0, 2.0],
                          "denominator": [20.0, 20.0, 2.0]})  # September: too few cases, suppressed
    count = pd.DataFrame({"period": ["2026-09"], "numerator": [31.0]})
    indicators = [_indicator("t.andel", "pct", "higher", share), _indicator("t.antal", "antal", "lower", count),
                  _indicator("t.skjult", "antal", "higher", count, shown_to=("caseworker",))]
    return BuildContext(
        config=CONFIG, t=Translator("da"), problems=[],
        datasets={"maal": Dataset(DatasetSpec("maal", "Mål", ()), GOALS, "maal.csv")},
        all_indicators={i.id: i for i in indicators},
        results={i.id: i.compute(None) for i in indicators},
        audience=Audience("udvalg", "Udvalget", min_count=5),
    )


def test_goal_rows_use_the_latest_value_the_audience_may_see():
    rows = plugin.goal_rows(goal_context())
    assert [r["status"] for r in rows] == ["På vej", "Ikke på vej", "Ingen tal"]
    first = rows[0]
    assert first["current_text"] == "70,0\u00a0% (august 2026)"  # September is suppressed
    assert first["baseline_text"] == "60,0\u00a0% (2024)"
    assert plugin.status_sentence(first, DA) == (
        "Udgangspunktet var 60,0\u00a0% (2024), og målet er 80,0\u00a0% senest i 2027. Seneste tal er 70,0\u00a0% (august 2026). "
        "Tallet har flyttet sig i den ønskede retning siden udgangspunktet, men målet er ikke nået endnu. "
        "Der mangler 10,0\u00a0%."
    )
    assert plugin.status_sentence(rows[2], DA).endswith("Tallet vises ikke for denne modtagergruppe.")


def test_goal_table_formats_each_row_in_its_own_unit_and_shows_the_year_as_is():
    frame = plugin.goal_table(plugin.goal_rows(goal_context()), DA).frame
    assert list(frame["Mål"]) == ["80,0\u00a0%", "20", "2"]  # a non-breaking space keeps number and unit together
    assert list(frame["Frist"]) == ["2027", "2027", "2027"]
    assert list(frame["Seneste tal"]) == ["70,0\u00a0% (august 2026)", "31 (september 2026)", "–"]
    assert list(frame["Status"]) == ["På\u00a0vej", "Ikke\u00a0på\u00a0vej", "Ingen\u00a0tal"]


def test_report_has_one_section_per_focus_area_and_views_only_visible_indicators():
    ctx = goal_context()
    page = plugin.report_page(plugin.goal_rows(ctx), 2026, DA)
    headings = [b.text for b in page.blocks if isinstance(b, lisite.Markdown) and b.text.startswith("## ")]
    assert headings == ["## 1. Rettidighed", "## 2. Skjult"]
    assert [b.indicator for b in page.blocks if isinstance(b, lisite.IndicatorView)] == ["t.andel", "t.antal"]


def test_pages_for_the_right_audiences(demo_build):
    out = demo_build / "_site"
    for audience in ("udvalg", "direktion", "ledere"):
        html = (out / audience / "elementer" / "styringsgrundlag.html").read_text(encoding="utf-8")
        assert "<h1>Politisk styringsgrundlag</h1>" in html and "Fokusområder og mål for" in html
        assert "Fokusområde og politisk mål" in html and "Status" in html
    for audience in ("udvalg", "direktion"):
        html = (out / audience / "rapporter" / "fokusomraader.html").read_text(encoding="utf-8")
        assert "<h1>Politiske fokusområder</h1>" in html and "<h2>1. " in html
    assert not (out / "ledere" / "rapporter" / "fokusomraader.html").exists()
    assert not (out / "sagsbehandlere" / "elementer" / "styringsgrundlag.html").exists()
