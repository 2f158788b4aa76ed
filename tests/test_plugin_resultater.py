"""The resultater plugin: averages, shares and goal attainment on small frames, the comparison chart, the page."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from lisite import testing
from lisite import charts
from lisite.config import parse_config
from lisite.context import IndicatorContext
from lisite.i18n import Translator

PLUGIN = testing.builtin_plugin("resultater")


def load(path: Path):
    return testing.load_plugin(path)


plugin = load(PLUGIN)
D, NONE = pd.Timestamp, pd.NaT
RESULTS = pd.DataFrame(
    [
        ("S1", 2024, 10.0, 3.0, None, None),
        ("S2", 2024, 20.0, None, True, False),
        ("S3", 2025, 5.0, 4.0, False, True),
        ("S4", 2025, None, 2.0, True, False),
        ("S5", 2018, 50.0, 1.0, False, True),  # older than the eight years shown
    ],
    columns=["sags_id", "aar", "skolefravaer_pct", "trivsel", "ungdomsuddannelse", "sigtet"],
).astype({"aar": "Int64", "ungdomsuddannelse": "boolean", "sigtet": "boolean"})
EVERYONE = pd.DataFrame(
    {"aar": [2024, 2025], "skolefravaer_pct": [6.7, 6.4], "trivsel": [3.9, 3.9], "ungdomsuddannelse_pct": [88.0, 88.3], "sigtet_pct": [1.7, 1.6]}
)
FOLLOWUPS = pd.DataFrame(
    [
        ("Y1", "S1", D("2025-02-01"), D("2025-02-10"), "Helt"),
        ("Y2", "S1", D("2025-05-01"), D("2025-06-01"), "Delvist"),
        ("Y3", "S2", D("2025-07-01"), D("2025-07-01"), None),  # done, but no assessment registered
        ("Y4", "S2", D("2026-01-01"), D("2026-02-01"), "Ikke"),
        ("Y5", "S3", D("2026-03-01"), NONE, None),  # not done yet
        ("Y6", "S3", D("2026-04-01"), D("2026-04-02"), "Helt"),  # after the reporting period
    ],
    columns=["ydelse_id", "sags_id", "frist", "udfoert", "maalopfyldelse"],
)


@pytest.fixture
def ctx(tmp_path):
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-03"}}, tmp_path)
    return IndicatorContext(config=config, data={"resultater": RESULTS, "resultater_alle": EVERYONE, "opfoelgninger": FOLLOWUPS})


def figures(frame: pd.DataFrame, by: str = "") -> dict:
    keys = ["period", by] if by else "period"
    cols = [c for c in ("numerator", "denominator") if c in frame.columns]
    return {k: tuple(float(x) for x in v) if len(v) > 1 else float(v.iloc[0]) for k, v in frame.set_index(keys)[cols].iterrows()}


def test_averages_and_shares_of_children_with_a_value(ctx):
    assert figures(plugin.average("skolefravaer_pct")(ctx)) == {"2024": (30, 2), "2025": (5, 1)}
    assert figures(plugin.average("trivsel")(ctx)) == {"2024": (3, 1), "2025": (6, 2)}
    assert figures(plugin.average("ungdomsuddannelse")(ctx)) == {"2024": (1, 1), "2025": (1, 2)}
    assert figures(plugin.average("sigtet")(ctx)) == {"2024": (0, 1), "2025": (1, 2)}


def test_goal_attainment(ctx):
    assert figures(plugin.goal_met(ctx)) == {"2025": (1, 2), "2026": (0, 1)}
    assert figures(plugin.goal_distribution(ctx), "maalopfyldelse") == {
        ("2025", "Delvist nået"): 1, ("2025", "Helt nået"): 1, ("2025", "Ikke vurderet"): 1, ("2026", "Ikke nået"): 1,
    }


def test_comparison_chart_draws_all_children_in_grey_with_a_label(ctx):
    indicator = next(i for i in plugin.INDICATORS if i.id == "resultater.skolefravaer")
    staged = pd.DataFrame({"period": ["2024", "2025"], "value": [15.0, 5.0], "numerator": [30.0, 5.0],
                           "denominator": [2.0, 1.0], "n": [2.0, 1.0], "suppressed": [False, False]})
    build_ctx = SimpleNamespace(data=ctx.data, t=Translator("da"), config=ctx.config)
    chart = indicator.chart(frame=staged, indicator=indicator, target=10.0, by="", ctx=build_ctx)
    spec = json.dumps(charts.to_spec(chart), ensure_ascii=False)
    assert charts.GREY in spec and charts.OWN in spec
    assert "Alle børn i kommunen" in spec and "Børn med indsatser" in spec
    assert '"strokeDash"' in spec  # the two lines differ by more than colour


def test_page_on_demo_site(demo_build):
    out = demo_build / "_site"
    for audience in ("udvalg", "direktion", "ledere"):
        html = (out / audience / "temaer" / "resultater.html").read_text(encoding="utf-8")
        assert "alle børn i kommunen" in html.lower()
        for heading in ("Skolefravær i procent", "Trivsel (1-5)", "Opfølgninger, hvor målet blev nået"):
            assert heading in html
    assert not (out / "sagsbehandlere" / "temaer" / "resultater.html").exists()
