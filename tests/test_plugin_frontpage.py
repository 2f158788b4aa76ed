"""The front page: the key figures first, as short tiles that link to their indicator's page and draw their
course from the staged figures, with the comparison line and the economy tile; then the foreword of the level."""

from pathlib import Path

import pytest

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
        assert isinstance(page.blocks[0], lisite.KeyFigures) and page.blocks[-1] is foreword  # the figures first
        assert ctx.content.get(foreword.source).strip()
    page, _ = front("boerneudvalg")
    assert page.title == "Børne- og Skoleudvalget"


def test_the_foreword_text_of_the_demo_is_kept():
    page, ctx = front("boerneudvalg")
    foreword = ctx.content.get(page.blocks[-1].source)
    assert foreword.startswith("Velkommen til udvalgets ledelsesinformation") and "Nøgletallene\novenfor" in foreword
    page, ctx = front("boerneudvalg", lang="en")
    foreword = ctx.content.get(page.blocks[-1].source)
    assert foreword.startswith("Welcome to the committee's management information") and "key figures above" in foreword


def test_a_site_may_write_a_foreword_for_one_audience(tmp_path):
    own = tmp_path / "content"
    (own / "forside").mkdir(parents=True)
    (own / "forside" / "teamledere.md").write_text("Kun for teamlederne.", encoding="utf-8")
    page, ctx = front("teamledere", content=(own, REPO / "content"))
    assert page.blocks[-1].source == "forside/teamledere.md"
    page, ctx = front("afdelingsledere", content=(own, REPO / "content"))
    assert page.blocks[-1].source == "forside/caseworker.md"


def test_key_figures_are_the_front_pages_selection():
    page, _ = front("boerneudvalg")
    [tiles] = [b for b in page.blocks if isinstance(b, lisite.KeyFigures)]
    assert tiles.indicators == ("administration.aktive_sager",) and tiles.front
    page, _ = front("teamledere")
    [tiles] = [b for b in page.blocks if isinstance(b, lisite.KeyFigures)]
    assert tiles.indicators == ("administration.aktive_sager", "administration.sagsantal")
    page, _ = front("raadgivere")
    [tiles] = [b for b in page.blocks if isinstance(b, lisite.KeyFigures)]
    assert tiles.indicators == ()  # no key figure is shown to caseworkers (other plugins' tiles may follow)


# --- the tiles as the engine makes them: links, trend lines ---------------------------------------------------

import re  # noqa: E402
from dataclasses import replace  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import pandas as pd  # noqa: E402

from lisite import tiles as front_tiles  # noqa: E402
from lisite.render import Views  # noqa: E402
from lisite.sparkline import sparkline  # noqa: E402

MONTHS = [str(p) for p in pd.period_range("2024-10", "2026-09", freq="M")]
ACTIVE = replace(INDICATORS[0], plugin="administration")
NO_PAGE = lisite.Indicator(id="administration.nye", title="Nye sager", theme="administration",
                           element="administrativ_styring", unit="antal", key_figure=True, plugin="administration")
COUNTS = [40.0 + (i % 5) for i in range(len(MONTHS))]
COUNTS[-4] = 3.0  # June 2026: three cases, hidden from an audience with min_count 5


def counts(hidden_value: float = 3.0) -> pd.DataFrame:
    values = list(COUNTS)
    values[-4] = hidden_value
    return pd.DataFrame({"period": MONTHS, "numerator": values, "n": values})


def rendered(pages: dict, hooks=None, hidden_value: float = 3.0, front_path: str = "index.html"):
    """The front page's tiles as the engine renders them for the committee, with ``pages`` as the site's pages."""
    ctx = testing.page_context([ACTIVE, NO_PAGE], {ACTIVE.id: counts(hidden_value), NO_PAGE.id: counts(hidden_value)},
                               "udvalg", REPO)
    ctx.pages = {front_path: lisite.Page(front_path, "Forside"), **pages}
    page = lisite.Page(front_path, "Forside", [lisite.KeyFigures((ACTIVE.id, NO_PAGE.id), front=True)])
    [block] = Views(ctx, None, hooks).page(page).blocks
    assert block["front"]
    return block["tiles"], ctx


def made_by(plugin_name, path, *blocks, order=100):
    page = lisite.Page(path, path, list(blocks), order=order)
    page.plugin = plugin_name
    return page


def test_each_tile_links_to_its_indicators_own_page_and_none_without_one():
    pages = {
        "rapporter/aarsrapport.html": made_by("aarsrapport", "rapporter/aarsrapport.html", lisite.IndicatorView(ACTIVE.id), order=1),
        "temaer/administration.html": made_by("administration", "temaer/administration.html",
                                              lisite.IndicatorView(ACTIVE.id, by="team"), lisite.IndicatorView(ACTIVE.id), order=50),
    }
    tiles, ctx = rendered(pages)
    # the indicator's own plugin's page first (though the report comes earlier in the menu), its unsplit view
    assert tiles[0]["link"] == "temaer/administration.html#administration-aktive_sager"
    assert tiles[1]["link"] == ""  # no page shows it: no dead link
    assert ctx.indicator_page(NO_PAGE.id) is None
    # without the own page, the first other page that shows it; a link from a page in a folder goes up
    tiles, _ = rendered({k: v for k, v in pages.items() if k.startswith("rapporter")}, front_path="om/forside.html")
    assert tiles[0]["link"] == "../rapporter/aarsrapport.html#administration-aktive_sager"


def test_the_trend_line_is_drawn_from_the_staged_figures_with_hidden_months_as_gaps():
    tiles, ctx = rendered({})
    total = ctx.staged(ACTIVE.id).total().set_index("period")
    last13 = MONTHS[-13:]
    hidden = [p for p in last13 if total.loc[p, "suppressed"]]
    assert "2026-06" in hidden  # the month of three cases, perhaps with one more hidden to protect it
    svg = tiles[0]["trend"]
    shown = [None if p in hidden else float(total.loc[p, "value"]) for p in last13]
    assert svg == sparkline(shown, svg.split('aria-label="')[1].split('"')[0])  # exactly the staged, visible values
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    dots = re.findall(r'<circle cx="([\d.]+)"', svg)
    drawn = sum(len(line.split()) for line in lines) + len(dots) - 1  # the last dot marks the latest point again
    assert drawn == 13 - len(hidden) and len(lines) >= 2  # a gap splits the line
    # the hidden month's value takes no part: any other value there draws the same line with the same words
    assert rendered({}, hidden_value=4.0)[0][0]["trend"] == svg
    label = re.search(r'aria-label="([^"]+)"', svg).group(1)
    first, last = total.loc["2025-09", "value"], total.loc["2026-09", "value"]
    assert label == (f"Udvikling fra sep. 2025 til sep. 2026: fra {first:.0f} til {last:.0f}. "
                     f"Perioder uden tal: {len(hidden)}.")


def hidden_tile(unit="pct", events=False, lang="da", block_front=True, monthly=(5.0, 6.0), **fields):
    """The tile of one indicator whose September 2026 rests on 3 cases (hidden from the committee, min_count 5) and
    every month before on 6 (5 of them counted in the numerator; ``monthly``: numerator and denominator)."""
    shown = lisite.Indicator(id="administration.andel", title="Underretninger vurderet inden for 24 timer",
                             theme="administration", element="administrativ_styring", unit=unit, key_figure=True,
                             plugin="administration", events=events, **fields)
    denominators = [monthly[1]] * len(MONTHS)
    denominators[-1] = 3.0
    numerators = [monthly[0]] * len(MONTHS)
    numerators[-1] = 2.0
    frame = pd.DataFrame({"period": MONTHS, "numerator": numerators, "denominator": denominators})
    ctx = testing.page_context([ACTIVE, shown], {ACTIVE.id: counts(), shown.id: frame}, "udvalg", REPO, lang=lang)
    ctx.pages = {"index.html": lisite.Page("index.html", "Forside")}
    page = lisite.Page("index.html", "Forside", [lisite.KeyFigures((shown.id,), front=block_front)])
    [block] = Views(ctx, None, None).page(page).blocks
    return block["tiles"][0], ctx, shown


def test_a_tile_of_a_share_whose_month_is_hidden_never_reads_under_5():
    """ "under 5" alone, in a tile of a share, reads like the share itself ("under 5 %"): without the last 12 months
    to lead with, the tile says "Vises ikke" and why, and the latest figure it may show."""
    found, _, _ = hidden_tile(monthly=(5.0, 10.0))
    assert found["value"] == "Vises ikke"
    assert found["note"] == ("Tallet for september 2026 bygger på under 5 børn eller sager. "
                             "Seneste tal, der kan vises: 50,0\u00a0% af i alt 10 i august 2026.")  # August: 5 of 10
    # 5 of 6 every month: the 1 not counted would be given away, so no month is shown
    assert hidden_tile()[0]["note"] == "Tallet for september 2026 bygger på under 5 børn eller sager."
    assert found["when"] == "" and found["base"] == ""
    assert "66,7" not in str(found)  # nothing of the hidden share (2 of 3)
    for unit in ("gns", "dage", "kr_gns", "pr_1000"):  # an average or a rate reads "under 5" as itself just as well
        assert hidden_tile(unit=unit)[0]["value"] == "Vises ikke"
    english, _, _ = hidden_tile(lang="en", monthly=(5.0, 10.0))
    assert english["value"] == "Not shown"
    assert english["note"].startswith("The figure for September 2026 rests on fewer than 5 children or cases.")
    report, _, _ = hidden_tile(block_front=False, monthly=(5.0, 10.0))  # a report's tile the same
    assert report["value"] == "Vises ikke" and report["note"] == found["note"]


def test_a_tile_of_a_count_whose_month_is_hidden_says_under_5_which_is_true_of_it():
    tiles, _ = rendered({}, hidden_value=3.0)
    assert all(tile["value"] != "under 5" for tile in tiles)  # June is hidden, September shown
    found, _, _ = hidden_tile(unit="antal")
    assert found["value"] == "under 5"
    assert found["note"].startswith("Vises ikke for september 2026: tallet bygger på under 5 børn eller sager. ")
    events, _, _ = hidden_tile(unit="antal", events=True)  # a count of events too
    assert events["value"] == "under 5" and events["note"].startswith("Vises ikke for september 2026: ")
    english, _, _ = hidden_tile(unit="antal", lang="en")
    assert english["value"] == "below 5" and english["note"].startswith("Not shown for September 2026: ")
    new_cases = lisite.Indicator(id="administration.nye", title="Nye sager", theme="administration", unit="antal",
                                 element="administrativ_styring", key_figure=True, plugin="administration", events=True)
    numbers = [10.0] * len(MONTHS)
    numbers[-1] = 2.0  # September 2026: two new cases
    ctx = testing.page_context([new_cases], {new_cases.id: pd.DataFrame({"period": MONTHS, "numerator": numbers})}, "udvalg", REPO)
    ctx.pages = {"index.html": lisite.Page("index.html", "Forside")}
    page = lisite.Page("index.html", "Forside", [lisite.KeyFigures((new_cases.id,), front=True)])
    [tile] = Views(ctx, None, None).page(page).blocks[0]["tiles"]
    assert tile["value"] == "under 5" and tile["when"] == ""  # the month leads; the 12 months added up in the note
    assert tile["note"] == ("Vises ikke for september 2026: tallet bygger på under 5 børn eller sager. "
                            "De seneste 12 måneder, oktober 2025–september 2026: 112.")  # 11 × 10 + 2


def test_a_hidden_tile_of_events_leads_with_the_last_12_months_added_up():
    """Læsø's tiles: the latest shown month may be long ago; the last 12 months added up are current, and were protected
    together with the months all along, so the tile of a share leads with them, its status judges them, and the note
    says the month alone is hidden."""
    found, ctx, share = hidden_tile(events=True)
    # 11 months of 5 of 6 and September's 2 of 3: 57 of 69, added up here from the rows
    assert f"{57 / 69 * 100:.1f}" == "82.6"
    assert found["value"] == "82,6\u00a0%"
    assert found["when"] == "De seneste 12 måneder, oktober 2025–september 2026"
    assert found["base"] == "af i alt 69"  # fewer than 100 cases: it says how many
    assert found["note"] == "Tallet for september 2026 alene vises ikke: det bygger på under 5 børn eller sager."
    assert "66,7" not in str(found) and "under 5 %" not in str(found)
    assert found["status_text"] == "" and found["stripe"] == ""  # no target
    judged, _, _ = hidden_tile(events=True, better="higher", target=90.0)
    assert judged["status_text"] == "✗ Målet er ikke nået de seneste 12 måneder" and judged["stripe"] == "off"
    assert hidden_tile(events=True, better="higher", target=80.0)[0]["status_text"] == "✓ Målet er nået de seneste 12 måneder"
    assert hidden_tile(events=False, better="higher", target=90.0)[0]["status_text"] == ""  # nothing to judge: the month is hidden
    assert ctx.last_12_months(share.id)["first"].tolist() == ["2025-10"]
    ctx.all_indicators[share.id] = replace(share, unit="pr_1000")
    assert ctx.last_12_months(share.id) is None  # children are not 12 times as many
    english, _, _ = hidden_tile(events=True, lang="en")
    assert (english["value"], english["when"]) == ("82.6%", "The last 12 months, October 2025–September 2026")
    assert english["note"] == "The figure for September 2026 alone is not shown: it rests on fewer than 5 children or cases."


def test_the_last_12_months_are_named_only_when_they_are_12_months_in_a_row():
    gap = [m for m in MONTHS if m != "2026-03"]  # no row at all for March 2026: 12 periods span 13 months
    frame = pd.DataFrame({"period": gap, "numerator": [9.0] * (len(gap) - 1) + [3.0]})
    events = lisite.Indicator(id="administration.nye", title="Nye sager", theme="administration", element="administrativ_styring",
                              unit="antal", events=True, plugin="administration")
    ctx = testing.page_context([events], {events.id: frame}, "udvalg", REPO)
    assert ctx.last_12_months(events.id) is None
    whole = pd.DataFrame({"period": MONTHS, "numerator": [9.0] * (len(MONTHS) - 1) + [3.0]})
    ctx = testing.page_context([events], {events.id: whole}, "udvalg", REPO)
    [row] = ctx.last_12_months(events.id).to_dict("records")
    assert (row["first"], row["period"], row["numerator"]) == ("2025-10", "2026-09", 9.0 * 11 + 3.0)


def test_sparkline_scale_is_the_visible_values_and_too_few_values_draw_nothing():
    svg = sparkline([10.0, None, 30.0, 20.0], "x")
    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    ys = [float(p.split(",")[1]) for p in points]
    assert ys == [4.0, 18.0]  # 30 at the top, 20 halfway down; 10, alone, is a dot at the bottom
    assert re.search(r'<circle cx="4.0" cy="32.0"', svg)
    assert sparkline([None, 5.0, None], "x") == "" and sparkline([], "x") == ""
    assert 'aria-label="a &quot;b&quot; &lt;c&gt;"' in sparkline([1.0, 2.0], 'a "b" <c>')


def test_trend_line_of_a_year_to_date_figure_starts_in_january():
    ytd = replace(ACTIVE, cumulative=True)
    assert front_tiles.line_periods(ytd, MONTHS) == [f"2026-{m:02d}" for m in range(1, 10)]
    assert front_tiles.line_periods(ACTIVE, MONTHS) == MONTHS[-13:]
    assert front_tiles.line_periods(ACTIVE, ["2023", "2024", "2025"]) == ["2023", "2024", "2025"]


class Hooks:
    """What the plugin manager's ``pm.hook`` offers the engine's tiles: one plugin's answers."""

    def __init__(self, lines=(), tiles=()):
        self.lines, self.tiles = list(lines), list(tiles)

    def lisite_tile_lines(self, indicator, staged, audience, ctx):
        return [self.lines] if indicator.id == ACTIVE.id else []

    def lisite_front_tiles(self, audience, ctx):
        return [self.tiles]


def test_other_plugins_lines_and_tiles_follow_and_link_only_to_pages_that_exist():
    economy = lisite.Tile("Forventet merforbrug i 2026", "3,5 mio. kr.", ("Prognose ...",), link="elementer/oekonomi.html")
    elsewhere = lisite.Tile("Andet", "1", link="findes/ikke.html")
    tiles, _ = rendered({"elementer/oekonomi.html": made_by("x", "elementer/oekonomi.html")},
                        hooks=Hooks(["I 2025: ..."], [economy, elsewhere]))
    assert tiles[0]["lines"] == ["I 2025: ..."] and tiles[1]["lines"] == []
    assert [(t["title"], t["value"], t["link"]) for t in tiles[2:]] == [
        ("Forventet merforbrug i 2026", "3,5 mio. kr.", "elementer/oekonomi.html"), ("Andet", "1", "")]


# --- the comparison line: the comparison's own verdicts -------------------------------------------------------

from test_plugin_sammenligning_funnel import config as comparison_config, indicator as compared, panel, with_own  # noqa: E402

sammenligning = testing.load_plugin(testing.builtin_plugin("sammenligning"))
NBSP = "\u00a0"


@pytest.mark.parametrize("placed, country", [(105, "inside"), (None, "above"), (400, "far_above"), (5, "far_below")])
def test_the_comparison_line_says_what_the_comparison_says(tmp_path, placed, country):
    bench = panel()
    figures, text = sammenligning.figures, sammenligning.text
    c = figures.build(compared(), with_own(bench, 105), bench, comparison_config(tmp_path), None, t=Translator("da"))
    if placed is None:  # just beyond the inner limit
        high = sammenligning.funnel.verdict(c)[1][1]
        placed = round(high * 10) + 8
    c = figures.build(compared(), with_own(bench, placed), bench, comparison_config(tmp_path), None, t=Translator("da"))
    year = c.latest
    own, group, national = c.own_value[year], c.group_value[year], c.national_value[year]
    assert sammenligning.funnel.verdict(c)[0] == country
    line = text.tile_line(c)
    show = lambda v: c.show(v).replace(" ", NBSP)  # noqa: E731
    assert line.startswith(f"I {year}: {show(own)}. ")
    # the country: the funnel's verdict, as the comparison's sentence says it
    sentence = text._national(c, own, national)
    words = {"inside": ("inden for den normale variation", "men inden for den normale variation"),
             "above": ("og det er mere end den normale variation", "mere end den normale variation"),
             "far_above": ("langt mere end den normale variation", "langt mere end den normale variation"),
             "far_below": ("langt mere end den normale variation", "langt mere end den normale variation")}[country]
    assert words[0] in sentence and words[1] in line
    side = "Højere" if own > national else "Lavere"
    assert f"{side} end landet ({show(national)}), {words[1]}." in line
    assert ("højere" if own > national else "lavere") in sentence
    # the group: the same test of chance as the sentence
    versus = text._versus(c, own, group, "gruppen")
    side = "Højere" if own > group else "Lavere"
    if "på niveau med" in versus:  # within chance and under 2 % apart
        assert f"På niveau med sammenligningskommunerne ({show(group)})." in line
    elif "inden for de normale tilfældige udsving" in versus:  # within chance, but the gap and its direction said
        assert side.lower() in versus
        assert f"{side} end sammenligningskommunerne ({show(group)}), men inden for de normale tilfældige udsving." in line
    elif "større end de normale tilfældige udsving" in versus:  # found real: the tile says so too
        assert f"{side} end sammenligningskommunerne ({show(group)}), mere end de normale tilfældige udsving." in line
    else:
        assert f"{side} end sammenligningskommunerne ({show(group)})." in line
    assert ("niveau" in line) == ("på niveau med" in versus)
    if "niveau" in line:  # never of figures more than 2 % apart
        assert abs(own - group) < 0.02 * abs(group)


def test_the_comparison_line_is_for_whole_municipality_audiences_only():
    limited = lisite.Audience(id="chef", title="Chef", level="area", filter=(("omraade", "Handicap"),))
    assert sammenligning.lisite_tile_lines(compared(), limited, ctx=None) == []
    assert sammenligning.lisite_tile_lines(compared(bench=""), lisite.Audience(id="u", title="U"), ctx=None) == []


# --- the economy tile: the prognosis' expected year result -----------------------------------------------------

styring = testing.load_plugin(testing.builtin_plugin("oekonomisk_styring"))


def budget(spent_2026: list[float], corrected: float = 12e6) -> pd.DataFrame:
    rows = [(2025, m, "A", "5.28.20", "Anbringelse", 12e6, 12e6, 12e6) for m in range(1, 13)]
    rows += [(2026, m, "A", "5.28.20", "Anbringelse", corrected, corrected, spent) for m, spent in enumerate(spent_2026, start=1)]
    columns = ["aar", "maaned", "omraade", "budgetfunktion", "indsatsgruppe", "budget", "korrigeret_budget", "forbrug"]
    return pd.DataFrame(rows, columns=columns)


def economy_tiles(frame, audience="udvalg", pages=("elementer/oekonomisk_styring.html",), lang="da"):
    real = testing.page_context([], {}, audience, REPO)
    if lang == "en":
        real = replace(real, t=Translator("en"), fmt=lisite.Formatter("en", 5))
    ctx = SimpleNamespace(data={"budget": frame}, pages={p: None for p in pages}, config=real.config, t=real.t, fmt=real.fmt)
    return styring.lisite_front_tiles(audience=real.audience, ctx=ctx)


def test_economy_tile_says_overspend_or_underspend_as_the_prognosis_does():
    over = budget([12e6] * 6 + [13e6, 13e6, 13e6])  # 3 mio. over by September, then 12,5 mio. a month (last 6 months)
    [tile] = economy_tiles(over)
    fc = styring.forecast(styring.monthly_spend(over, 2026, 9), 2026, 9)
    deviation = styring.follow_up_row(over, 2026, 9)["deviation"]
    assert deviation == fc.expected - 144e6 > 0
    assert tile.title == "Forventet merforbrug i 2026" and tile.value == "4,5\u00a0mio.\u00a0kr."  # 3 so far + 3 × 0,5
    assert tile.lines[0] == f"Prognose 148,5{NBSP}mio.{NBSP}kr. mod et korrigeret budget på 144,0{NBSP}mio.{NBSP}kr."
    assert tile.link == "elementer/oekonomisk_styring.html"
    _, sentences = styring.prognosis_text(testing.page_context([], {}, "udvalg", REPO), fc, 144e6, 2026, 9)
    assert "et merforbrug på 4,5\u00a0mio.\u00a0kr." in sentences[1]  # the element page's sentence, the same figure

    [tile] = economy_tiles(budget([11e6] * 9))
    assert tile.title == "Forventet mindreforbrug i 2026" and tile.value == "12,0\u00a0mio.\u00a0kr."
    assert tile.lines[1] == "Selv prognosens højeste ende ligger under budgettet."  # no spread: the interval is the point
    [tile] = economy_tiles(budget([12e6] * 9))
    assert (tile.title, tile.value) == ("Forventet resultat i 2026", "Som budgettet")
    [tile] = economy_tiles(over, lang="en")
    assert (tile.title, tile.value) == ("Expected overspend in 2026", "DKK\u00a04.5\u00a0million")


def test_no_economy_tile_without_the_page_with_the_prognosis_or_without_budget():
    over = budget([13e6] * 9)
    assert economy_tiles(over, pages=()) == []  # the audience's pages leave the economy out
    assert economy_tiles(over, audience="sagsbehandlere") == []
    assert economy_tiles(over.iloc[0:0]) == []


# --- the demo site ----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_demos_comparison_tile_has_the_figures_of_the_comparison_on_its_page(demo_build):
    """The committee's tile for a key figure with a national counterpart: its year, own, group and country
    figures are the last row of the comparison table on the page the tile links to."""
    out = demo_build / "_site" / "udvalg"
    front_page = (out / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<h2><a href="([^"#]+)#([^"]+)">[^<]*</a></h2>(?:(?!</li>).)*?<p class="line">I (\d{4}): ([^<]*)</p>',
                       front_page, re.S)
    assert found, "no tile with a comparison line"
    for path, section, year, rest in found:
        own = rest.split(". ", 1)[0]
        group, country = re.findall(r"\(([^)]+)\)", rest)[:2]
        page = (out / path).read_text(encoding="utf-8")
        part = page[page.index(f'id="{section}"'):]
        part = part[:part.index("</section>")]
        row = re.search(rf"<tr><td>{year}</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>", part)
        assert row, f"{path}: no comparison row for {year}"
        assert [own, group, country] == list(row.groups())


def test_the_front_pages_contents_lead_to_since_the_last_meeting(demo_build):
    """A page outside the menu's sections ("Siden sidste møde") is in the front page's contents too: on a tablet the
    menu is folded away, and the list under the tiles is the way on. The front page does not list itself."""
    html = (demo_build / "_site" / "udvalg" / "index.html").read_text(encoding="utf-8")
    contents = html[html.index('class="contents-head"'):html.index("</main>")]
    assert '<a href="siden-sidste-moede.html">Siden sidste møde</a>' in contents
    assert '<a href="temaer/indsatser.html">Indsatser</a>' in contents and 'href="index.html"' not in contents
