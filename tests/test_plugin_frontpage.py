"""The front page: a foreword for every audience by its level (or its own id), then the key figures."""

from pathlib import Path

import lisite
from lisite import testing
from lisite.config import parse_config
from lisite.context import BuildContext, Content
from lisite.i18n import Translator

REPO = Path(__file__).resolve().parents[1]
plugin = testing.load_plugin(testing.builtin_plugin("frontpage"))
INDICATORS = [
    lisite.Indicator(id="administration.aktive_sager", title="Aktive sager", theme="administration",
                     element="administrativ_styring", unit="antal", key_figure=True),
    lisite.Indicator(id="administration.sagsantal", title="Sager pr. sagsbehandler", theme="administration",
                     element="tilrettelaeggelse", unit="gns", key_figure=True, shown_to=("team", "caseworker")),
]
AUDIENCES = {
    "boerneudvalg": {"title": "Børne- og Skoleudvalget", "level": "municipality"},
    "chef_handicap": {"title": "Chef for Handicap", "level": "area", "filter": {"omraade": "Handicap"}},
    "teamledere": {"title": "Teamledere", "level": "team"},
    "afdelingsledere": {"title": "Afdelingsledere", "level": "caseworker"},
    "raadgivere": {"title": "Rådgivere", "level": "case", "min_count": 1},
}


def context(audience, content, lang="da"):
    raw = {"site": {"language": lang}, "municipality": {"code": 479, "name": "Svendborg"},
           "period": {"current": "2026-09"}, "audiences": AUDIENCES}
    config = parse_config(raw, REPO)
    ctx = BuildContext(config, Translator(lang), {}, [], {i.id: i for i in INDICATORS}, {}, Content(content, lang))
    return ctx.for_audience(config.audiences[audience])


def front(audience, content=(REPO / "content",), lang="da"):
    ctx = context(audience, list(content), lang)
    [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
    assert page.path == "index.html" and page.template == "front.html"
    return page, ctx


def test_every_audience_gets_the_foreword_of_its_level_whatever_its_id():
    for audience, level in (("boerneudvalg", "municipality"), ("chef_handicap", "area"), ("teamledere", "team"),
                            ("afdelingsledere", "caseworker"), ("raadgivere", "case")):
        page, ctx = front(audience)
        [foreword] = [b for b in page.blocks if isinstance(b, lisite.Markdown)]
        assert foreword.source == f"forside/{level}.md"
        assert ctx.content.get(foreword.source).strip()
    page, _ = front("boerneudvalg")
    assert page.title == "Børne- og Skoleudvalget"


def test_the_foreword_text_of_the_demo_is_kept():
    page, ctx = front("boerneudvalg")
    assert ctx.content.get(page.blocks[0].source).startswith("Velkommen til udvalgets ledelsesinformation")
    page, ctx = front("boerneudvalg", lang="en")
    assert ctx.content.get(page.blocks[0].source).startswith("Welcome to the committee's management information")


def test_a_site_may_write_a_foreword_for_one_audience(tmp_path):
    own = tmp_path / "content"
    (own / "forside").mkdir(parents=True)
    (own / "forside" / "teamledere.md").write_text("Kun for teamlederne.", encoding="utf-8")
    page, ctx = front("teamledere", content=(own, REPO / "content"))
    assert page.blocks[0].source == "forside/teamledere.md"
    page, ctx = front("afdelingsledere", content=(own, REPO / "content"))
    assert page.blocks[0].source == "forside/caseworker.md"


def test_key_figures_are_the_front_pages_selection():
    page, _ = front("boerneudvalg")
    [tiles] = [b for b in page.blocks if isinstance(b, lisite.KeyFigures)]
    assert tiles.indicators == ("administration.aktive_sager",)
    page, _ = front("teamledere")
    [tiles] = [b for b in page.blocks if isinstance(b, lisite.KeyFigures)]
    assert tiles.indicators == ("administration.aktive_sager", "administration.sagsantal")
    page, _ = front("raadgivere")
    assert not [b for b in page.blocks if isinstance(b, lisite.KeyFigures)]  # no key figure is shown to caseworkers
