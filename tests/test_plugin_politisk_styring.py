"""The page for core element 6, Politisk prioritering og styring."""

from pathlib import Path

import pandas as pd

import lisite
from lisite import testing

REPO = Path(__file__).resolve().parents[1]


def load_plugin(name):
    return testing.load_plugin(testing.builtin_plugin(name))


def context(indicators, results, audience):
    return testing.page_context(indicators, results, audience, REPO)


plugin = load_plugin("politisk_styring")
YEARS = pd.DataFrame({"period": ["2024", "2025"], "numerator": [90.0, 100.0], "denominator": [10.0, 10.0]})
AGES = pd.DataFrame({"period": ["2025"] * 2, "aldersgruppe": ["0-5 år", "6-11 år"], "numerator": [40.0, 60.0]})
INDICATORS = [
    lisite.Indicator(id="oekonomi.udgift_pr_barn", title="Udgift pr. barn", theme="oekonomi", element="politisk_styring",
                     unit="kr_gns", compute=None, shown_to=("municipality", "area")),
    lisite.Indicator(id="maalgrupper.boern_efter_alder", title="Børn efter alder", theme="maalgrupper", element="politisk_styring",
                     unit="antal", compute=None, dimensions=("aldersgruppe",)),
    lisite.Indicator(id="administration.underretninger_24t", title="Underretninger", theme="administration",
                     element="administrativ_styring", unit="pct", compute=None),
]
RESULTS = {"oekonomi.udgift_pr_barn": YEARS, "maalgrupper.boern_efter_alder": AGES, "administration.underretninger_24t": YEARS}


def test_headings_and_views_follow_the_available_indicators():
    ctx = context(INDICATORS, RESULTS, "udvalg")
    [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
    assert page.path == "elementer/politisk_styring.html"
    assert page.title == "Politisk prioritering og styring"
    assert page.section == "Kerneelementer"
    shown = [(type(b).__name__, b.source or b.text.splitlines()[0]) if isinstance(b, lisite.Markdown) else (b.indicator, b.by)
             for b in page.blocks]
    assert shown == [
        ("Markdown", "elementer/politisk_styring.md"),
        ("Markdown", "## Økonomi"),
        ("oekonomi.udgift_pr_barn", ""),
        ("Markdown", "## Målgrupper"),
        ("maalgrupper.boern_efter_alder", "aldersgruppe"),  # split by its age bands
        ("Markdown", "## Lovmedholdelighed"),
        ("administration.underretninger_24t", ""),
    ]  # no "Indsatser" heading: none of its indicators exists


def test_only_for_the_committee_and_the_directors():
    for audience in ("ledere", "sagsbehandlere"):
        ctx = context(INDICATORS, RESULTS, audience)
        assert plugin.lisite_pages(audience=ctx.audience, ctx=ctx) == []
    ctx = context([], {}, "udvalg")
    assert plugin.lisite_pages(audience=ctx.audience, ctx=ctx) == []  # no figures, no page


def test_demo_page(demo_build):
    out = demo_build / "_site"
    for audience in ("udvalg", "direktion"):
        html = (out / audience / "elementer" / "politisk_styring.html").read_text(encoding="utf-8")
        assert "<h1>Politisk prioritering og styring</h1>" in html
        for heading in ("Økonomi", "Målgrupper", "Indsatser", "Lovmedholdelighed"):
            assert f"<h2>{heading}</h2>" in html
    for audience in ("ledere", "sagsbehandlere"):
        assert not (out / audience / "elementer" / "politisk_styring.html").exists()
