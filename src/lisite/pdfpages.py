"""An audience's built pages, made ready to be printed one after another in the PDF meeting pack.

The pack is made from the pages the site itself shows (its own templates and plugins' blocks), not
from a second rendering: what the committee reads on paper is what it reads on screen. This module
reads a built audience folder: the menu's order (:func:`menu`), each page's main content
(:func:`main_content`), and rewrites that content for paper (:func:`for_print`): every ``<details>``
open, the page's own contents list and links to itself left out, links between pages turned into
links inside the PDF (a link to a page the pack leaves out keeps only its text), and every chart drawn
again from its Vega-Lite spec as vector SVG, so the pack does not depend on the static SVG a page may
or may not carry.
"""

from __future__ import annotations

import base64
import fnmatch
import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from lisite import chartfiles

NAV = re.compile(r'<nav id="nav"[^>]*>(.*?)</nav>', re.S)
NAV_ITEM = re.compile(r'<h2>(.*?)</h2>|<a href="([^"]+)"[^>]*>(.*?)</a>', re.S)
MAIN = re.compile(r'<main id="indhold">(.*?)</main>', re.S)
#: A chart as a page holds it: its id, its other attributes (``data-chart`` names its spec's file, see
#: :mod:`lisite.chartfiles`) and the note shown without JavaScript.
CHART = re.compile(r'<div class="chart" id="([^"]*)"([^>]*)>\s*(?:<div class="chart-static">.*?</div>\s*)?</div>', re.S)
KEY = re.compile(r'\sdata-chart="([0-9a-f]+)"')
ARIA = re.compile(r'aria-label="([^"]*)"')
ATTR = re.compile(r'\b(href|src)="([^"]*)"')
LINK = re.compile(r'<a\b([^>]*)>(.*?)</a>', re.S)
HREF = re.compile(r'\bhref="([^"]*)"')
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
ID = re.compile(r'\bid="([^"]*)"')
#: A small picture drawn in the page itself (a tile's trend line), with its text in ``aria-label``.
CLASS = re.compile(r'\bclass="([^"]*)"')
INLINE_SVG = re.compile(r'<svg\b[^>]*\baria-label="([^"]*)"[^>]*>.*?</svg>', re.S)
#: What a page shows only on screen: its own contents (the pack has one), links to its own headings
#: and the list of the site's pages on the front page (the pack's contents replace it).
SCREEN_ONLY = [
    re.compile(r'<nav class="toc".*?</nav>', re.S),
    re.compile(r'<a class="self"[^>]*>.*?</a>', re.S),
    re.compile(r'<div class="section-head"[^>]*><h2 class="contents-head">.*?</div>', re.S),
    re.compile(r'(?:<h3>[^<]*</h3>\s*)?<ul class="contents">.*?</ul>', re.S),
    re.compile(r'<p class="to-top".*?</p>', re.S),
]
TAG = re.compile(r"<[^>]+>")
TABLE = re.compile(r"<table\b.*?</table>", re.S)
#: A long, narrow table (a figure's months: period and value) flows in columns on paper instead of
#: filling a page with one thin column: (most header cells, fewest rows) → columns.
FLOW = ((2, 13, 3), (3, 13, 2))


@dataclass
class PackPage:
    """One page of the site as it goes into the pack."""

    path: str  # e.g. "temaer/administration.html"
    title: str  # its title in the menu
    section: str  # the menu heading it stands under ("" for the front page)
    anchor: str  # its id in the PDF ("side-3")
    specs: dict[str, Any] = field(default_factory=dict)  # its charts' specs by key, read from the site's chart files


def text(fragment: str) -> str:
    """An HTML fragment's text, entities decoded."""
    return html.unescape(TAG.sub("", fragment)).strip()


def menu(index_html: str) -> list[PackPage]:
    """The audience's pages in the order of the site's menu, read from its front page."""
    found = NAV.search(index_html)
    if found is None:
        return []
    pages, section = [], ""
    for heading, href, title in NAV_ITEM.findall(found.group(1)):
        if heading:
            section = text(heading)
        elif href not in {p.path for p in pages}:
            pages.append(PackPage(href, text(title), section, f"side-{len(pages) + 1}"))
    return pages


def main_content(page_html: str) -> str:
    """The page's ``<main>`` content (without the header, menu, search and scripts around it)."""
    found = MAIN.search(page_html)
    return found.group(1) if found else ""


def for_print(content: str, page: PackPage, anchors: dict[str, str], draw: Callable[[dict], str]) -> str:
    """``content`` of ``page`` rewritten for paper (see the module's text).

    ``anchors``: page path → its anchor in the pack. ``draw``: a Vega-Lite spec → SVG text.
    Ids get the page's anchor in front, so two pages' "indhold-2" stay apart.
    """
    for pattern in SCREEN_ONLY:
        content = pattern.sub("", content)
    content = content.replace("<details", "<details open")
    charts: list[str] = []

    def chart(found: re.Match) -> str:
        label = ARIA.search(found.group(2))
        key = KEY.search(found.group(2))
        spec = page.specs.get(key.group(1)) if key else None
        if spec is None:
            return found.group(0)  # no spec to draw: the note and the table stay, as on screen
        data = base64.b64encode(draw(spec).encode("utf-8")).decode("ascii")
        alt = label.group(1) if label else ""
        charts.append(f'<div class="chart pdf-chart"><img src="data:image/svg+xml;base64,{data}" alt="{alt}"></div>')
        return f"\x00chart{len(charts) - 1}\x00"  # kept out of the id and link rewriting below

    content = CHART.sub(chart, content)
    content = INLINE_SVG.sub(picture, content)
    content = TABLE.sub(flowing, content)
    content = ID.sub(lambda m: f'id="{page.anchor}-{m.group(1)}"', content)
    content = LINK.sub(lambda m: m.group(2) if left_out(m.group(1), page, anchors) else m.group(0), content)
    content = ATTR.sub(lambda m: f'{m.group(1)}="{link(m.group(2), page, anchors)}"', content)
    for index, made in enumerate(charts):
        content = content.replace(f"\x00chart{index}\x00", made)
    return content


def picture(found: re.Match) -> str:
    """An inline SVG with its text (``aria-label``) as a picture whose ``alt`` is that text: the tagged PDF gives a
    figure its alternative text from ``alt``, not from ``aria-label``."""
    data = base64.b64encode(found.group(0).encode("utf-8")).decode("ascii")
    kind = CLASS.search(found.group(0).split(">", 1)[0])  # its class, so it keeps its place (a tile's .spark)
    return f'<img class="{kind.group(1) if kind else ""}" src="data:image/svg+xml;base64,{data}" alt="{found.group(1)}">'


def flowing(found: re.Match) -> str:
    """A long table of two or three columns wrapped to flow in columns (``.pdf-flow-N`` in pdf.css)."""
    table = found.group(0)
    head = table.split("</tr>", 1)[0]
    heads, rows = head.count("<th"), table.count("<tr") - 1
    for most, fewest, columns in FLOW:
        if heads <= most and rows >= fewest:
            return f'<div class="pdf-flow pdf-flow-{columns}">{table}</div>'
    return table


def link(target: str, page: PackPage, anchors: dict[str, str]) -> str:
    """A link or source as seen from the pack: another page of the pack → its anchor; a heading on this
    page → its prefixed id; a file of the site → its path from the audience folder; anything else as it is."""
    if target.startswith("#"):
        return f"#{page.anchor}-{target[1:]}"
    if SCHEME.match(target):
        return target  # data:, mailto:, http: (the PDF engine fetches none of the latter)
    path, _, fragment = target.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), path)) if path else page.path
    if resolved in anchors:
        return f"#{anchors[resolved]}-{fragment}" if fragment else f"#{anchors[resolved]}"
    return resolved


def left_out(attributes: str, page: PackPage, anchors: dict[str, str]) -> bool:
    """A link (its tag's ``attributes``) to a page of the site that the pack does not hold: on paper it would lead
    nowhere, so only its text is kept."""
    href = HREF.search(attributes)
    if href is None:
        return False
    target = link(href.group(1), page, anchors)
    return not target.startswith("#") and not SCHEME.match(target) and target.endswith(".html")


def site_menu(folder: Path) -> list[PackPage]:
    """The pages of the built audience ``folder`` in menu order (read from its front page)."""
    index = folder / "index.html"
    return menu(index.read_text(encoding="utf-8")) if index.is_file() else []


def matches(page: PackPage, pattern: str) -> bool:
    """``pattern`` fits ``page``'s path, as an audience's ``pages`` do (``rapporter/*``); ``.html`` may be left out
    (``rapporter/aarsrapport``, ``index``)."""
    return fnmatch.fnmatch(page.path, pattern) or fnmatch.fnmatch(page.path.removesuffix(".html"), pattern)


def chosen(page: PackPage, patterns: Sequence[str]) -> bool:
    """``page`` belongs in a pack chosen by ``patterns``: every page when there are none."""
    return not patterns or any(matches(page, pattern) for pattern in patterns)


def read_pages(folder: Path, pages: list[PackPage]) -> list[tuple[PackPage, str]]:
    """``pages`` of the built audience ``folder`` (see :func:`site_menu`), each with its main content; each page's
    charts' specs are read from the chart files it loads (:func:`lisite.chartfiles.page_specs`)."""
    found = []
    for page in pages:
        path = folder / page.path
        if path.is_file():
            html_text = path.read_text(encoding="utf-8")
            page.specs = dict(zip(chartfiles.page_chart_keys(html_text), chartfiles.page_specs(path)))
            found.append((page, main_content(html_text)))
    return found
