"""The page for core element 7, Administrativ og faglig styring, and its risk signals."""

from pathlib import Path

import pandas as pd

import lisite
from lisite import testing

REPO = Path(__file__).resolve().parents[1]


def load_plugin(name):
    return testing.load_plugin(testing.builtin_plugin(name))


def context(indicators, results, audience):
    return testing.page_context(indicators, results, audience, REPO)


plugin = load_plugin("administrativ_styring")
MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09"]


def caseload():
    """Two teams of five caseworkers; team A's caseload rises from 20 to 30 in September, team B's stays at 20."""
    rows = []
    for period, a in zip(MONTHS, (20, 20, 20, 30)):
        rows.append({"period": period, "team": "Team A", "numerator": 5.0 * a, "denominator": 5.0, "n": 5.0})
        rows.append({"period": period, "team": "Team B", "numerator": 100.0, "denominator": 5.0, "n": 5.0})
    return pd.DataFrame(rows)


INDICATORS = [
    lisite.Indicator(id="administration.sagsantal", title="Sager pr. sagsbehandler", theme="administration",
                     element="tilrettelaeggelse", unit="gns", compute=None, levels=("team",), shown_to=("area", "team", "caseworker")),
    lisite.Indicator(id="administration.underretninger_24t", title="Underretninger vurderet inden for 24 timer",
                     theme="administration", element="administrativ_styring", unit="pct", compute=None,
                     shown_to=("area", "team", "caseworker")),
]
RESULTS = {
    "administration.sagsantal": caseload(),
    # 90 % every month: no change, so no signal
    "administration.underretninger_24t": pd.DataFrame({"period": MONTHS, "numerator": [90.0] * 4, "denominator": [100.0] * 4}),
}


def test_trend_compares_the_last_month_with_the_three_before():
    total = pd.DataFrame({"period": MONTHS, "value": [20.0, 21.0, 22.0, 30.0]})
    assert plugin.trend(total) == ("2026-09", 30.0, 21.0)
    assert plugin.trend(total.iloc[1:]) is None  # too short
    assert plugin.trend(pd.DataFrame({"period": ["2023", "2024", "2025", "2026"], "value": [1.0] * 4})) is None  # not monthly


def test_risk_sentences_name_the_rising_caseload_and_the_busy_team():
    ctx = context(INDICATORS, RESULTS, "ledere")
    sentences = plugin.risk_sentences(ctx)
    # total: (100 + 100) / 10 = 20 in June-August, (150 + 100) / 10 = 25 in September
    assert sentences[0].startswith("**Sager pr. sagsbehandler** er steget til 25,0 i september 2026 fra 20,0 i gennemsnit")
    assert sentences[1] == "**Sager pr. sagsbehandler** ligger mere end 10\u00a0% over kommunens gennemsnit på 25,0 i Team A (30,0)."
    assert len(sentences) == 2  # the 24-hour share did not move


def test_more_new_than_closed_cases_is_a_signal():
    flows = [
        lisite.Indicator(id=f"administration.{name}", title=name, theme="administration", element="administrativ_styring",
                         unit="antal", compute=None, shown_to=("area",))
        for name in ("nye_sager", "afsluttede_sager")
    ]
    results = {
        "administration.nye_sager": pd.DataFrame({"period": MONTHS, "numerator": [99.0, 30.0, 40.0, 50.0]}),
        "administration.afsluttede_sager": pd.DataFrame({"period": MONTHS, "numerator": [99.0, 30.0, 30.0, 30.0]}),
    }
    ctx = context(flows, results, "direktion")
    assert plugin.flow_sentences(ctx) == [
        "**Flere nye sager end afsluttede:** I de seneste 3 måneder blev der oprettet 120 sager og afsluttet 90. "
        "Så vokser antallet af åbne sager."
    ]
    results["administration.afsluttede_sager"]["numerator"] = [0.0, 40.0, 40.0, 40.0]  # 120 new, 120 closed
    ctx = context(flows, results, "direktion")
    assert plugin.flow_sentences(ctx) == []


def test_managers_see_teams_directors_the_total_where_there_are_no_areas():
    ctx = context(INDICATORS, RESULTS, "ledere")
    [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
    assert page.path == "elementer/administrativ_styring.html"
    views = [(b.indicator, b.by) for b in page.blocks if isinstance(b, lisite.IndicatorView)]
    assert views == [("administration.underretninger_24t", ""), ("administration.sagsantal", ""), ("administration.sagsantal", "team")]
    texts = [b.text for b in page.blocks if isinstance(b, lisite.Markdown)]
    assert texts[1].startswith("## Hold øje med")
    ctx = context(INDICATORS, RESULTS, "direktion")
    [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
    assert [(b.indicator, b.by) for b in page.blocks if isinstance(b, lisite.IndicatorView)][1:] == [("administration.sagsantal", "")]
    assert plugin.risk_sentences(ctx)[1:] == []  # directors do not see teams


def test_not_for_the_committee_or_caseworkers():
    for audience in ("udvalg", "sagsbehandlere"):
        ctx = context(INDICATORS, RESULTS, audience)
        assert plugin.lisite_pages(audience=ctx.audience, ctx=ctx) == []


def test_demo_page(demo_build):
    out = demo_build / "_site"
    for audience in ("direktion", "ledere"):
        html = (out / audience / "elementer" / "administrativ_styring.html").read_text(encoding="utf-8")
        assert "<h1>Administrativ og faglig styring</h1>" in html
        for heading in ("Hold øje med", "Frister", "Tilgang og afgang", "Aktive sager og sagsbelastning"):
            assert f"<h2>{heading}</h2>" in html
    assert 'id="administration-sagsantal-team"' in (out / "ledere" / "elementer" / "administrativ_styring.html").read_text(encoding="utf-8")
    for audience in ("udvalg", "sagsbehandlere"):
        assert not (out / audience / "elementer" / "administrativ_styring.html").exists()
