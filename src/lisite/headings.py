"""Heading links, a contents list and a way back up, for the main content of a page.

Every ``h2`` of a page's content gets an id and a link to itself beside it (``#``, shown on hover and
focus), so a reader can send a colleague straight to one figure (``…/indsatser.html#aktive-indsatser``).
The heading itself is left as it was: the id and the link go on a ``<div class="section-head">`` around it. A long page, one with at
least :data:`LONG` such headings (the theme pages run to 8,000-11,000 pixels), also gets a short
contents list of them under its ``h1`` and a link back to the top.

It works on the rendered HTML of the content (the default theme's ``base.html`` applies it as the
``sections`` filter), so headings from any block, plugin template or Markdown text are found. The
titles of key-figure tiles (``h2`` inside ``<ul class="tiles">``) are not sections and are left alone.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from typing import Any

from markupsafe import Markup

#: A page with at least this many section headings gets a contents list and a link back to the top
LONG = 4
H2 = re.compile(r"<h2(?P<attrs>\s[^>]*)?>(?P<inner>.*?)</h2>", re.S)
H1_END = re.compile(r"</h1>")
IDS = re.compile(r"""\sid=["']([^"']*)["']""")
TILES = re.compile(r'<ul class="tiles[^"]*">.*?</ul>', re.S)
TAGS = re.compile(r"<[^>]+>")
DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def slug(text: str) -> str:
    """A heading's text as an id: ``Børn med en indsats`` → ``boern-med-en-indsats``."""
    text = unicodedata.normalize("NFKD", text.lower().translate(DANISH))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3`` … when an element of the page already has it."""
    name = name or "afsnit"
    found, n = name, 1
    while found in taken:
        n += 1
        found = f"{name}-{n}"
    taken.add(found)
    return found


def sections(content: str, t: Any, taken: tuple[str, ...] | list[str] = ()) -> Markup:
    """``content`` (HTML) with linked, identified ``h2`` headings; a contents list and a way up when it is long.

    ``t`` is the page's translator: the words are the catalogue's ``on_this_page`` and ``to_top``. ``taken``:
    the ids the rest of the page uses (the template's own, outside ``content``), which a heading may not get.
    The way up links to ``#top``, which a browser takes to the top of the document.
    """
    content = str(content)
    taken = set(IDS.findall(content)) | set(taken) | {"top"}
    tiles = [m.span() for m in TILES.finditer(content)]
    found: list[tuple[str, str]] = []

    def link(match: re.Match) -> str:
        if any(start <= match.start() < end for start, end in tiles):
            return match.group(0)
        attrs, inner = match.group("attrs") or "", match.group("inner")
        text = " ".join(TAGS.sub("", inner).split())  # still HTML-escaped
        if not text:
            return match.group(0)
        own = IDS.search(attrs)
        ident = own.group(1) if own else unique(slug(htmllib.unescape(text)), taken)
        found.append((ident, text))
        label = htmllib.escape(t("heading_link", title=htmllib.unescape(text)))
        link = f'<a class="self" href="#{ident}" aria-label="{label}">#</a>'
        # the heading stays as it was; the id goes on the pair unless the heading has its own
        where = "" if own else f' id="{ident}"'
        return f'<div class="section-head"{where}>{match.group(0)}{link}</div>'

    content = H2.sub(link, content)
    if len(found) >= LONG:
        items = "".join(f'<li><a href="#{ident}">{text}</a></li>' for ident, text in found)
        title = unique("indhold-paa-siden", taken)
        toc = (f'\n<nav class="toc" aria-labelledby="{title}"><p class="toc-title" id="{title}">{htmllib.escape(t("on_this_page"))}</p>'
               f"<ol>{items}</ol></nav>\n")
        end = H1_END.search(content)
        at = end.end() if end else 0
        content = content[:at] + toc + content[at:]
        content += f'\n<p class="to-top"><a href="#top">{htmllib.escape(t("to_top"))}</a></p>\n'
    return Markup(content)
