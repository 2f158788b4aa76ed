"""The pages as web pages: favicon, heading links, contents and a way up on long pages, Vega only where a chart is,
chart text of a legible size. (What needs a browser, layout shift and the menu's keys, is in test_browser_web.py.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lisite import charts
from lisite.headings import LONG, sections, slug
from lisite.i18n import Translator

H2 = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<inner>.*?)</h2>", re.S)
TILES = re.compile(r'<ul class="tiles[^"]*">.*?</ul>', re.S)
#: A heading and its link: (the pair's id, the heading's own id, the link's target)
HEAD = re.compile(r'<div class="section-head"(?: id="([^"]+)")?><h2(?:[^>]*?id="([^"]+)")?[^>]*>.*?</h2><a class="self" href="#([^"]+)"', re.S)


def main_of(html: str) -> str:
    return html[html.index('<main id="indhold">'):html.index("</main>")]


def section_headings(html: str) -> list[re.Match]:
    main = TILES.sub("", main_of(html))
    return list(H2.finditer(main))


# --- heading links and contents ---------------------------------------------------------------------------


def test_headings_get_ids_and_self_links_and_a_long_page_gets_contents_and_a_way_up():
    t = Translator("da")
    body = "<h1>Indsatser</h1>\n" + "".join(f"<section><h2>Børn {i} · æøå</h2></section>" for i in range(LONG))
    body += '<h2 id="own">Eget id</h2><h2>Børn 0 · æøå</h2><h2>Se <a href="x.html">her</a></h2>'
    body += '<ul class="tiles"><li><h2>Flise</h2></li></ul><h2>Indhold</h2>'
    out = str(sections(body, t, taken=("indhold",)))
    assert ('<div class="section-head" id="boern-0-aeoeaa"><h2>Børn 0 · æøå</h2>'
            '<a class="self" href="#boern-0-aeoeaa" aria-label="Link til afsnittet Børn 0 · æøå">#</a></div>') in out
    assert '<div class="section-head" id="boern-0-aeoeaa-2"><h2>Børn 0 · æøå</h2>' in out  # the same words twice: two ids
    assert '<div class="section-head"><h2 id="own">Eget id</h2><a class="self" href="#own"' in out
    assert '<h2>Se <a href="x.html">her</a></h2><a class="self" href="#se-her"' in out  # the heading is left as it was
    assert '<div class="section-head" id="indhold-2">' in out  # the page's own ids are not taken again
    assert "<li><h2>Flise</h2></li>" in out  # a tile's title is not a section
    toc = out[out.index('<nav class="toc"'):out.index("</nav>")]
    assert out.index("</h1>") < out.index('<nav class="toc"') < out.index("<section>")
    assert "På denne side" in toc and toc.count("<li>") == LONG + 4 and "Flise" not in toc
    assert out.rstrip().endswith('<p class="to-top"><a href="#top">Til toppen</a></p>')


def test_a_short_page_has_heading_links_but_no_contents():
    out = str(sections("<h1>Kort</h1>" + "<h2>Et</h2>" * (LONG - 1), Translator("da")))
    assert out.count('class="self"') == LONG - 1 and "toc" not in out and "to-top" not in out
    assert slug("Børn 0-17 år (pr. 1.000)") == "boern-0-17-aar-pr-1-000"


def audience_pages(site):
    """(path, HTML) of every page of the built site with page content: not the root page, which lists the
    audiences' sites."""
    for page in sorted((site / "_site").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if '<main id="indhold">' in html:
            yield page, html


@pytest.mark.slow
def test_every_section_heading_on_the_demo_has_a_link_to_itself(demo_build):
    checked = 0
    for page, html in audience_pages(demo_build):
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), f"{page}: an id is used twice"
        main = TILES.sub("", main_of(html))
        headings = list(H2.finditer(main))
        pairs = HEAD.findall(main)
        assert len(pairs) == len(headings), page
        for wrapper, own, link in pairs:
            assert (wrapper or own) == link and (wrapper == "") != (own == ""), f"{page}: {link}"
            checked += 1
    assert checked > 300


@pytest.mark.slow
def test_long_demo_pages_have_contents_of_their_headings_and_a_way_up(demo_build):
    with_contents = 0
    for page, html in audience_pages(demo_build):
        headings = section_headings(html)
        has_toc = '<nav class="toc"' in html
        assert has_toc == (len(headings) >= LONG), page
        assert ('<p class="to-top"><a href="#top">' in html) == has_toc, page
        if has_toc:
            toc = html[html.index('<nav class="toc"'):]
            toc = toc[:toc.index("</nav>")]
            targets = re.findall(r'<li><a href="#([^"]+)">', toc)
            assert targets == [wrapper or own for wrapper, own, _ in HEAD.findall(TILES.sub("", main_of(html)))], page
            with_contents += 1
    assert with_contents >= 10
    theme = (demo_build / "_site" / "udvalg" / "temaer" / "indsatser.html").read_text(encoding="utf-8")
    assert '<li><a href="#boern-med-en-indsats">Børn med en indsats</a></li>' in theme


# --- favicon and Vega -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_page_links_the_one_favicon_of_its_site(demo_build):
    out = demo_build / "_site"
    icons = sorted(p.relative_to(out).as_posix() for p in out.rglob("favicon*"))
    assert icons == ["direktion/assets/favicon.svg", "favicon.svg", "ledere/assets/favicon.svg",
                     "sagsbehandlere/assets/favicon.svg", "udvalg/assets/favicon.svg"]
    for page in sorted(out.rglob("*.html")):
        found = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.read_text(encoding="utf-8"))
        assert len(found) == 1, page
        assert (page.parent / found[0]).resolve().is_file(), f"{page}: {found[0]}"
        assert (page.parent / found[0]).read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.slow
def test_vega_loads_only_on_pages_with_a_chart(demo_build):
    with_charts = without = 0
    for page in sorted((demo_build / "_site").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        has_chart = 'class="chart"' in html
        assert ("assets/vega.js" in html) == has_chart, page
        if '<main id="indhold">' in html:
            assert "assets/lisite.js" in html, page  # the menu and the way up work on every page
        with_charts += has_chart
        without += not has_chart
    assert with_charts > 30 and without > 10


# --- chart text -------------------------------------------------------------------------------------------


class ChartBlocks(HTMLParser):
    """Each chart's innermost enclosing ``section`` or ``div.chart-block`` (its block), as a span of the page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = [0]
        for line in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.open: list[tuple[str, int, bool, list]] = []  # tag, start offset, is a block, charts inside
        self.charts: list[tuple[str, int, int]] = []  # chart id, block start, block end

    def at(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag not in ("section", "div", "figure"):
            return
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        self.open.append((tag, self.at(), tag == "section" or "chart-block" in classes, []))
        if "chart" in classes:
            next(entry for entry in reversed(self.open) if entry[2])[3].append(found["id"])

    def handle_endtag(self, tag):
        if tag not in ("section", "div", "figure"):
            return
        opened, start, _, inside = self.open.pop()
        assert opened == tag, (opened, tag, self.getpos())
        self.charts += [(chart, start, self.at()) for chart in inside]


@pytest.mark.slow
def test_every_chart_has_a_note_and_its_numbers_for_readers_without_javascript(demo_build):
    """A page carries no drawing of a chart: without JavaScript a note stands in its place, and the chart's
    block has its numbers, as a table (behind "Vis tallene som tabel") or as files to download."""
    t = Translator("da")
    notes = {t("chart_no_script"), t("sammenligning.funnel.no_script"), t("sammenligning.map.no_script")}
    counted = 0
    for page in sorted((demo_build / "_site").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for static in re.findall(r'<div class="chart"[^>]*>\s*<div class="chart-static">(.*?)</div>\s*<script', text, re.S):
            assert "<svg" not in static and any(note in static for note in notes), (page, static)
        parser = ChartBlocks(text)
        parser.feed(text)
        assert len(parser.charts) == text.count('<div class="chart"'), page
        for chart, start, end in parser.charts:
            block = text[start:end]
            assert "<table" in block or '.csv"' in block, (page, chart)
        counted += len(parser.charts)
    assert counted > 200


def test_no_chart_text_is_smaller_than_11_px_whatever_a_chart_sets():
    spec = {"mark": {"type": "text", "fontSize": 9}, "title": {"text": "Et " * 40, "fontSize": 10},
            "encoding": {"x": {"field": "a", "axis": {"labelFontSize": 8, "titleFontSize": 20}}},
            "data": {"values": [{"fontSize": 3}]}, "config": {"axis": {"labelColor": "#000"}, "legend": {"labelFontSize": 9}}}
    out = charts.to_spec(spec)
    assert out["mark"]["fontSize"] == 11 and out["title"]["fontSize"] == 11
    assert out["encoding"]["x"]["axis"] == {"labelFontSize": 11, "titleFontSize": 20}
    assert out["data"]["values"] == [{"fontSize": 3}]  # data are data
    assert out["config"]["axis"]["labelFontSize"] == 12 and out["config"]["axis"]["labelColor"] == "#000"  # merged, not replaced
    assert out["config"]["legend"]["labelFontSize"] == 11 and out["config"]["header"]["labelFontSize"] >= 11
    assert isinstance(out["title"]["text"], list) and all(len(line) <= charts.TITLE_CHARACTERS for line in out["title"]["text"])
    assert " ".join(out["title"]["text"]) == ("Et " * 40).strip()
