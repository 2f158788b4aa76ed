"""The overview of key figures, made from indicator metadata."""

from pathlib import Path

import pandas as pd

import lisite
from lisite import testing
from lisite.config import parse_config
from lisite.context import BuildContext, Content
from lisite.i18n import Translator

REPO = Path(__file__).resolve().parents[1]


def load_plugin(name):
    return testing.load_plugin(testing.builtin_plugin(name))


def context(indicators, audience, settings=None):
    raw = {"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"}, "plugin": settings or {}}
    config = parse_config(raw, REPO)
    ctx = BuildContext(config, Translator("da"), {}, [], {i.id: i for i in indicators}, {}, Content([REPO / "content"], "da"))
    return ctx.for_audience(config.audiences[audience])


plugin = load_plugin("noegletal")
INDICATORS = [
    lisite.Indicator(id="administration.aktive_sager", title="Aktive sager", theme="administration",
                     element="administrativ_styring", unit="antal", compute=None, key_figure=True, source="Sagssystemet"),
    lisite.Indicator(id="oekonomi.udgift_pr_barn", title="Udgift pr. barn", theme="oekonomi", element="politisk_styring",
                     unit="kr_gns", compute=None, frequency="år", shown_to=("municipality",), source="Økonomisystemet",
                     collection="Udtræk fra økonomisystemet"),
    lisite.Indicator(id="administration.sagsantal", title="Sager pr. sagsbehandler", theme="administration",
                     element="tilrettelaeggelse", unit="gns", compute=None, shown_to=("caseworker",), source="Sagssystemet"),
]


def test_indicator_table_reads_the_metadata():
    table = plugin.indicator_table(INDICATORS, context(INDICATORS, "udvalg"))
    assert table.to_dict("records") == [
        {"Nøgletal": "Aktive sager", "Kerneelement": "Administrativ og faglig styring", "Modtagere": "Udvalget, Direktionen, Ledere",
         "Opgøres": "Hver måned. Kilde: Sagssystemet. Indsamling: udtræk fra sagssystemet."},
        {"Nøgletal": "Sager pr. sagsbehandler", "Kerneelement": "Tilrettelæggelse af arbejdet", "Modtagere": "Ledere",
         "Opgøres": "Hver måned. Kilde: Sagssystemet. Indsamling: udtræk fra sagssystemet."},
        {"Nøgletal": "Udgift pr. barn", "Kerneelement": "Politisk prioritering og styring", "Modtagere": "Udvalget",
         "Opgøres": "Hvert år. Kilde: Økonomisystemet. Indsamling: udtræk fra økonomisystemet."},
    ]


def test_audience_table_marks_the_front_page_figures():
    ctx = context(INDICATORS, "udvalg")
    audiences = ctx.config.audiences
    table = plugin.audience_table(audiences["udvalg"], ctx)
    assert table.to_dict("records") == [{"Tema": "Administration", "Nøgletal": "Aktive sager (forside)"},
                                        {"Tema": "Økonomi", "Nøgletal": "Udgift pr. barn"}]
    ctx = context(INDICATORS, "udvalg", {"frontpage": {"ledere": ["administration.sagsantal"]}})  # [plugin.frontpage] ledere = [...]
    table = plugin.audience_table(audiences["ledere"], ctx)
    assert table.to_dict("records") == [{"Tema": "Administration", "Nøgletal": "Aktive sager, Sager pr. sagsbehandler (forside)"}]
    assert plugin.audience_table(audiences["sagsbehandlere"], ctx).empty


def test_markdown_table_escapes_pipes():
    frame = pd.DataFrame({"a": ["x | y"], "b": [1]})
    assert plugin.markdown_table(frame) == "| a | b |\n|:--|:--|\n| x \\| y | 1 |"


def test_page_for_udvalg_direktion_ledere_only():
    for audience in ("udvalg", "direktion", "ledere"):
        ctx = context(INDICATORS, audience)
        [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
        assert page.path == "om/noegletal.html" and page.section == "Om data"
        text = "\n".join(b.text for b in page.blocks if isinstance(b, lisite.Markdown))
        assert "Udgift pr. barn" in text  # the full list, also for audiences that do not get the figure
        assert "Sagsbehandlere får ingen nøgletal på dette site." in text
    ctx = context(INDICATORS, "sagsbehandlere")
    assert plugin.lisite_pages(audience=ctx.audience, ctx=ctx) == []


def test_demo_page(demo_build):
    out = demo_build / "_site"
    for audience in ("udvalg", "direktion", "ledere"):
        html = (out / audience / "om" / "noegletal.html").read_text(encoding="utf-8")
        assert "<h1>Oversigt over nøgletal</h1>" in html
        assert "<h2>Alle nøgletal efter tema</h2>" in html and "<h2>Nøgletal for hver modtagergruppe</h2>" in html
        assert "Underretninger vurderet inden for 24 timer" in html
    assert not (out / "sagsbehandlere" / "om" / "noegletal.html").exists()


def test_markdown_table_right_aligns_the_named_columns():
    frame = pd.DataFrame({"Tekst": ["a"], "Antal": ["1.234"]})
    assert lisite.fmt.markdown_table(frame, right=("Antal",)) == "| Tekst | Antal |\n|:--|--:|\n| a | 1.234 |"


def test_english_words_from_the_catalogue():
    raw = {"site": {"language": "en"}, "municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"}}
    config = parse_config(raw, REPO)
    ctx = BuildContext(config, Translator("en"), {}, [], {i.id: i for i in INDICATORS}, {}, Content([REPO / "content"], "en"))
    ctx = ctx.for_audience(config.audiences["udvalg"])
    row = plugin.indicator_table(INDICATORS[:1], ctx).to_dict("records")[0]
    assert row["Core element"] == "Administrative and professional management"
    assert row["Counted"].startswith("Every month. Source: Sagssystemet. Collection: ")
    assert plugin.audience_table(ctx.audience, ctx).to_dict("records")[0] == {"Theme": "Administration",
                                                                                "Key figure": "Aktive sager (front page)"}
    [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
    assert page.title == "Overview of key figures" and page.section == "About the data"
    text = "\n".join(b.text for b in page.blocks if isinstance(b, lisite.Markdown))
    assert "## All key figures by theme" in text and "### Finances" in text
