"""The reports "Årsrapport til udvalget" and "Elementer og indhold"."""

import re
from pathlib import Path, PurePosixPath

import pandas as pd

import lisite
from lisite import testing

REPO = Path(__file__).resolve().parents[1]


def load_plugin(name):
    return testing.load_plugin(testing.builtin_plugin(name))


def context(indicators, results, audience):
    return testing.page_context(indicators, results, audience, REPO)


plugin = load_plugin("aarsrapport")
MONTHS = [str(p) for p in pd.period_range("2024-01", "2026-09", freq="M")]
INDICATORS = [
    lisite.Indicator(id="administration.aktive_sager", title="Aktive sager", theme="administration",
                     element="administrativ_styring", unit="antal", compute=None, key_figure=True),
    lisite.Indicator(id="administration.nye_sager", title="Nye sager", theme="administration",
                     element="administrativ_styring", unit="antal", compute=None),
    lisite.Indicator(id="indsatser.varighed", title="Varighed", theme="indsatser", element="administrativ_styring",
                     unit="dage", compute=None, frequency="år"),
    lisite.Indicator(id="oekonomi.udgift_pr_barn", title="Udgift pr. barn", theme="oekonomi", element="politisk_styring",
                     unit="kr_gns", compute=None, frequency="år", shown_to=("municipality", "area")),
]
RESULTS = {
    "administration.aktive_sager": pd.DataFrame({"period": MONTHS, "numerator": 100.0}),
    "administration.nye_sager": pd.DataFrame({"period": MONTHS, "numerator": 10.0}),
    "indsatser.varighed": pd.DataFrame({"period": ["2024", "2025"], "numerator": [3000.0, 2750.0], "denominator": [10.0, 10.0]}),
    "oekonomi.udgift_pr_barn": pd.DataFrame({"period": ["2025"], "numerator": [13_424_000.0], "denominator": [1000.0], "n": [50.0]}),
}


def test_year_table_has_the_last_whole_year_and_the_one_before():
    table = plugin.year_table(context(INDICATORS, RESULTS, "udvalg"), 2025)
    assert table.to_dict("records") == [
        {"Nøgletal": "Varighed", "2024": "300 dage", "2025": "275 dage"},
        {"Nøgletal": "Udgift pr. barn", "2024": "–", "2025": "13.424\u00a0kr."},
    ]


def test_year_table_hides_small_counts_as_the_engine_does():
    few = lisite.Indicator(id="resultater.sigtet", title="Sigtet", theme="resultater", element="opfoelgning", unit="antal",
                           compute=None, frequency="år")
    ctx = context([few], {"resultater.sigtet": pd.DataFrame({"period": ["2024", "2025"], "numerator": [12.0, 2.0]})}, "udvalg")
    assert plugin.year_table(ctx, 2025).to_dict("records") == [{"Nøgletal": "Sigtet", "2024": "12", "2025": "under 5"}]


def test_annual_report_sections():
    ctx = context(INDICATORS, RESULTS, "udvalg")
    pages = {p.path: p for p in plugin.lisite_pages(audience=ctx.audience, ctx=ctx)}
    assert set(pages) == {"rapporter/aarsrapport.html", "rapporter/elementer.html"}
    report = pages["rapporter/aarsrapport.html"]
    assert report.title == "Årsrapport til udvalget" and report.section == "Rapporter"
    texts = [b.text.splitlines()[0] for b in report.blocks if isinstance(b, lisite.Markdown) and b.text]
    assert texts == ["Rapporten handler om hele 2025 og om 2026 til og med september 2026. Tal, der opgøres "
                     "for et helt år ad gangen, vises over flere år, så udviklingen kan ses.", "## Nøgletallene i september 2026",
                     "## 2025 i tal", "## Tema: Administration", "## Tema: Indsatser", "## Tema: Økonomi"]
    [tiles] = [b for b in report.blocks if isinstance(b, lisite.KeyFigures)]
    assert tiles.indicators == ("administration.aktive_sager",)
    views = [(b.indicator, b.last) for b in report.blocks if isinstance(b, lisite.IndicatorView)]
    # monthly key figures: 2025 and 2026 to date (12 + 9 months); yearly figures whole; other monthly ones left out
    assert views == [("administration.aktive_sager", 21), ("indsatser.varighed", None), ("oekonomi.udgift_pr_barn", None)]


def test_elements_report_lists_every_element_and_links_only_to_pages_that_exist():
    ctx = context(INDICATORS, RESULTS, "ledere")
    [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
    # the engine resolves deferred blocks once every plugin's pages exist; here one element page exists
    ctx.pages = {"elementer/administrativ_styring.html": lisite.Page("elementer/administrativ_styring.html", "x")}
    page.blocks = [made for b in page.blocks for made in (b.make(ctx) if isinstance(b, lisite.Deferred) else [b])]
    headings = [b.text.splitlines()[0] for b in page.blocks if isinstance(b, lisite.Markdown) and b.text.startswith("## ")]
    assert headings[0] == "## 1. Politisk styringsgrundlag" and headings[-1] == "## 8. Økonomisk styring og afrapportering"
    assert len(headings) == 8
    text = "\n".join(b.text for b in page.blocks if isinstance(b, lisite.Markdown))
    assert "(../elementer/administrativ_styring.html)" in text
    assert "(../elementer/politisk_styring.html)" not in text  # no plugin made that page for this audience
    [table] = [b for b in page.blocks if isinstance(b, lisite.Table)]  # ledere see three indicators of element 7
    assert table.frame.to_dict("records") == [
        {"Nøgletal": "Aktive sager", "Tema": "Administration", "Opgøres": "Hver måned"},
        {"Nøgletal": "Nye sager", "Tema": "Administration", "Opgøres": "Hver måned"},
        {"Nøgletal": "Varighed", "Tema": "Indsatser", "Opgøres": "Hvert år"},
    ]
    ctx = context(INDICATORS, RESULTS, "sagsbehandlere")
    assert plugin.lisite_pages(audience=ctx.audience, ctx=ctx) == []


def test_demo_reports(demo_build):
    out = demo_build / "_site"
    html = (out / "udvalg" / "rapporter" / "aarsrapport.html").read_text(encoding="utf-8")
    assert "<h1>Årsrapport til udvalget</h1>" in html
    for heading in ("Tema: Administration", "Tema: Indsatser", "Tema: Økonomi"):
        assert f"<h2>{heading}</h2>" in html
    assert 'class="tiles"' in html
    for audience in ("direktion", "ledere", "sagsbehandlere"):
        assert not (out / audience / "rapporter" / "aarsrapport.html").exists()
    for audience in ("udvalg", "direktion", "ledere"):
        page = out / audience / "rapporter" / "elementer.html"
        html = page.read_text(encoding="utf-8")
        assert "<h2>6. Politisk prioritering og styring</h2>" in html
        for link in re.findall(r'href="(\.\./elementer/[^"]+)"', html):
            assert (page.parent / PurePosixPath(link)).resolve().is_file(), f"{audience}: {link} does not exist"
    assert not (out / "sagsbehandlere" / "rapporter" / "elementer.html").exists()


def english_context(indicators, results, audience):
    from lisite.config import parse_config
    from lisite.context import BuildContext, Content
    from lisite.i18n import Translator

    raw = {"site": {"language": "en"}, "municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"}}
    config = parse_config(raw, REPO)
    ctx = BuildContext(config, Translator("en"), {}, [], {i.id: i for i in indicators}, results, Content([REPO / "content"], "en"))
    return ctx.for_audience(config.audiences[audience])


def test_english_words_from_the_catalogue():
    ctx = english_context(INDICATORS, RESULTS, "udvalg")
    assert plugin.year_table(ctx, 2025).to_dict("records")[0] == {"Key figure": "Varighed", "2024": "300 days", "2025": "275 days"}
    pages = {p.path: p for p in plugin.lisite_pages(audience=ctx.audience, ctx=ctx)}
    report = pages["rapporter/aarsrapport.html"]
    assert report.title == "Annual report to the committee" and report.section == "Reports"
    texts = [b.text.splitlines()[0] for b in report.blocks if isinstance(b, lisite.Markdown) and b.text]
    assert texts[1:] == ["## The key figures in September 2026", "## 2025 in figures", "## Theme: Administration",
                         "## Theme: Measures", "## Theme: Finances"]
    assert ctx.content.get("rapporter/aarsrapport.md").startswith("The annual report")
    elements = pages["rapporter/elementer.html"]
    assert elements.title == "Elements and contents"
    ctx.pages = {"elementer/opfoelgning.html": lisite.Page("elementer/opfoelgning.html", "x")}
    blocks = [made for b in elements.blocks for made in (b.make(ctx) if isinstance(b, lisite.Deferred) else [b])]
    text = "\n".join(b.text for b in blocks if isinstance(b, lisite.Markdown))
    assert "## 5. Follow-up" in text and "[See the page on follow-up](../elementer/opfoelgning.html)" in text
    table = [b for b in blocks if isinstance(b, lisite.Table)][-1]  # element 7
    assert table.frame.to_dict("records")[0] == {"Key figure": "Aktive sager", "Theme": "Administration", "Counted": "Every month"}


YEARLY_PLUGIN = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("aar", "År", (lisite.Column("aar", "str"), lisite.Column("antal", "int")))]

def compute(ctx):
    return ctx.data["aar"].rename(columns={"aar": "period", "antal": "numerator"})

@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id="aar.antal", title="Sigtet om året", theme="administration", element="administrativ_styring",
                             unit="antal", compute=compute, frequency="år")]
'''


def test_a_yearly_figure_edited_under_serve_is_the_one_the_report_shows_and_the_other_rows_are_kept(make_site, tmp_path, monkeypatch):
    """The year table's rows are kept while each figure is the same: after an edit of one yearly figure only its row is
    made again, and the report is what a fresh build writes."""
    import sys

    from conftest import tiny_config
    from lisite.build import Session, build

    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    config = tiny_config().replace("[plugins]", '[sources.aar]\npath = "data/aar.csv"\n[plugins]').replace('"aarsrapport", ', "")
    assert '"aarsrapport"' not in config
    site = make_site({"plugins/aar.py": YEARLY_PLUGIN, "data/aar.csv": "aar;antal\n2024;40\n2025;12\n"}, config=config)
    session, live = Session(live=True), tmp_path / "live"
    build(site, output_dir=live, session=session)
    report = live / "udvalg" / "rapporter" / "aarsrapport.html"
    assert re.search(r"Sigtet om året</td>\s*<td[^>]*>40</td>\s*<td[^>]*>12</td>", report.read_text(encoding="utf-8"))
    module = sys.modules["lisite_builtin.aarsrapport"]
    made = []
    real = module.is_yearly
    monkeypatch.setattr(module, "is_yearly", lambda staged: made.append(staged.indicator.id) or real(staged))
    (site / "data" / "aar.csv").write_text("aar;antal\n2024;40\n2025;30\n", encoding="utf-8")
    build(site, output_dir=live, session=session)
    assert made == ["aar.antal"]  # the monthly figure's row (none) is kept
    assert re.search(r"Sigtet om året</td>\s*<td[^>]*>40</td>\s*<td[^>]*>30</td>", report.read_text(encoding="utf-8"))
    build(site, output_dir=tmp_path / "fresh")
    assert (tmp_path / "fresh" / "udvalg" / "rapporter" / "aarsrapport.html").read_bytes() == report.read_bytes()
