"""The organisering plugin: caseworkers per team and who sends notifications."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import lisite
from lisite import testing
from lisite.config import parse_config
from lisite.context import BuildContext, IndicatorContext
from lisite.count import compute_count
from lisite.i18n import Translator
from lisite.model import Audience
from lisite.staging import stage

PLUGIN_FILE = testing.builtin_plugin("organisering")
plugin = testing.load_plugin(PLUGIN_FILE)

CONFIG = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                       "period": {"current": "2026-09", "first": "2026-08"}}, Path("."))
T = pd.Timestamp


def test_caseworkers_employed_at_month_end_by_team():
    staff = pd.DataFrame(
        [
            ("A", "Sagsbehandler", T("2020-01-01"), pd.NaT),
            ("A", "Sagsbehandler", T("2020-01-01"), T("2026-09-15")),  # gone by the end of September
            ("A", "Leder", T("2020-01-01"), pd.NaT),  # not a caseworker
            ("B", "Sagsbehandler", T("2026-09-01"), pd.NaT),  # hired in September
        ],
        columns=["team", "rolle", "ansat", "fratraadt"],
    )
    ctx = IndicatorContext(config=CONFIG, data={"medarbejdere": staff})
    indicator = plugin.INDICATORS[0]  # a declared count
    frame = stage(indicator, compute_count(indicator.count, indicator, ctx),
                  Audience("ledere", "Ledere", level="team", min_count=1)).frame
    totals = frame[frame["_by"] == ""].set_index("period")["value"].to_dict()
    teams = frame[frame["_by"] == "team"].set_index(["period", "team"])["value"].to_dict()
    assert totals == {"2026-08": 2.0, "2026-09": 2.0}
    assert teams == {("2026-08", "A"): 2.0, ("2026-08", "B"): 0.0, ("2026-09", "A"): 1.0, ("2026-09", "B"): 1.0}


def notification_context(min_count: int) -> BuildContext:
    months = [str(p) for p in pd.period_range("2025-08", "2026-09", freq="M")]
    counts = {"Skole": 5, "Dagtilbud": 2, "Sundhedsvæsen": 1, "Politi": 2, "Anonym": 0}
    frame = pd.DataFrame([(m, k, float(v)) for m in months for k, v in counts.items()],
                         columns=["period", "kilde", "numerator"])
    frame.loc[(frame["period"] == "2026-09") & (frame["kilde"] == "Anonym"), "numerator"] = 2.0
    indicator = lisite.Indicator(id=plugin.NOTIFICATIONS, title="Underretninger", theme="administration",
                                 element="organisering", unit="antal", dimensions=("kilde",), compute=lambda ctx: frame)
    return BuildContext(config=CONFIG, t=Translator("da"), datasets={}, problems=[],
                        all_indicators={indicator.id: indicator}, results={indicator.id: frame},
                        audience=Audience("udvalg", "Udvalget", min_count=min_count))


def test_source_table_sums_the_last_twelve_months_and_hides_small_counts():
    table, sentence = plugin.source_table(notification_context(min_count=5))
    rows = table.frame.set_index("Hvem underrettede").to_dict("index")
    # 12 months: Skole 60, Dagtilbud 24, Politi 24, Sundhedsvæsen 12, Anonym 2 -> 122 in all
    assert rows["Skole"] == {"Antal underretninger": "60", "Andel": "49,2\u00a0%"}
    assert rows["Anonym"] == {"Antal underretninger": "under 5", "Andel": "under 5"}
    # Sundhedsvæsen is 1 every month (hidden on the monthly chart): a 12-month sum of 12 would say each month was
    # exactly 1, so it is hidden too, labelled for what it is (12 is not under 5). Anonym is then the total minus
    # the visible rows minus Sundhedsvæsen, and Sundhedsvæsen is at least 12 (twelve hidden months of at least 1):
    # with only the two hidden, Sundhedsvæsen would be 12 or 13. Dagtilbud (the smallest other) is hidden too.
    assert rows["Sundhedsvæsen"] == rows["Dagtilbud"] == {"Antal underretninger": "skjult", "Andel": "skjult"}
    assert rows["Politi"] == {"Antal underretninger": "24", "Andel": "19,7\u00a0%"}
    assert rows["I alt"] == {"Antal underretninger": "122", "Andel": "100,0\u00a0%"}
    assert list(table.frame["Hvem underrettede"])[:2] == ["Skole", "Politi"]
    assert sentence.startswith("I de seneste 12 måneder (oktober 2025 – september 2026) modtog kommunen 122 underretninger.")
    assert "Flest kom fra skole (49,2\u00a0%) og politi (19,7\u00a0%)." in sentence
    assert "Fagfolk" not in sentence  # a professional source is hidden, so no sum of them


def test_source_table_for_an_audience_that_may_see_every_count():
    table, sentence = plugin.source_table(notification_context(min_count=1))
    assert "under" not in " ".join(table.frame["Antal underretninger"])
    assert "Fagfolk i skole, dagtilbud, sundhedsvæsen og politi stod tilsammen for 98,4\u00a0% af underretningerne." in sentence


def test_page_for_the_right_audiences(demo_build):
    out = demo_build / "_site"
    for audience in ("udvalg", "direktion", "ledere"):
        html = (out / audience / "elementer" / "organisering.html").read_text(encoding="utf-8")
        assert "<h1>Organisering og tværfagligt samarbejde</h1>" in html and "Hvem underretter kommunen?" in html
    assert "Ansatte sagsbehandlere" not in (out / "udvalg" / "elementer" / "organisering.html").read_text(encoding="utf-8")
    assert "Ansatte sagsbehandlere" in (out / "ledere" / "elementer" / "organisering.html").read_text(encoding="utf-8")
    assert not (out / "sagsbehandlere" / "elementer" / "organisering.html").exists()
