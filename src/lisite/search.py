"""Site search that works offline and from a folder: one index per audience, written as a script.

Why lisite writes its own small index instead of using Pagefind: Pagefind's browser side loads
its index and its WebAssembly with ``fetch()`` and ``import()``, which Chromium refuses for pages
opened from ``file://`` (tried: "Failed to resolve module specifier … CORS-cross-origin script"),
and a site that works opened from a folder is a promise lisite makes. A ``<script src>`` is
allowed there, so the index is a plain script, ``assets/search-index.js``, that sets
``window.lisiteSearchIndex``; the theme's ``search.js`` loads it the first time the search box is
used and searches it with no request to anywhere.

The index is made from the audience's own rendered pages and nothing else: the text of each
page's ``<main>`` (the charts' SVG and specs, the number tables and hidden chart descriptions
left out: they repeat what the sentences say), cut into sections at each heading so a hit links
to its section. It is an ordinary file of the audience's site, so the leak check scans it like
every page. Output is deterministic: pages in path order, JSON with fixed separators.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from html.parser import HTMLParser
from typing import Any, Callable

INDEX_PATH = "assets/search-index.js"
#: Elements whose text is not indexed: code, drawings, and text a chart or table repeats.
SKIP_TAGS = frozenset({"script", "style", "svg", "template", "noscript", "button"})
SKIP_CLASSES = frozenset({"numbers", "visually-hidden", "chart-static",
                          "toc", "to-top", "self"})  # a long page's contents, its way up and its headings' links (lisite.headings)
#: Elements that do not separate words ("<b>Em</b>ma" is one word); every other tag does.
INLINE = frozenset({"a", "abbr", "b", "bdi", "cite", "code", "em", "i", "mark", "q", "s", "small", "span", "strong",
                    "sub", "sup", "time", "u", "var", "wbr"})
HEADINGS = frozenset({"h1", "h2"})  # a section: a smaller heading (a caveat's) stays in its text
BULK = re.compile(r"<(script|svg)\b|<(details) class=\"numbers\"", re.I)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class PageText(HTMLParser):
    """The text of one page's ``<main>``, as sections: ``[anchor, heading, text]``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = []  # (tag, id, skipped) of each open element
        self.in_main = False
        self.heading: list[str] | None = None  # the words of the heading being read
        self.sections: list[list[Any]] = [["", "", []]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "main":
            self.in_main = True
        if tag in VOID:
            self.separate(tag)
            return
        classes = set((values.get("class") or "").split())
        skipped = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES) or (bool(self.stack) and self.stack[-1][2])
        self.stack.append((tag, values.get("id") or "", skipped))
        self.separate(tag)
        if self.in_main and tag in HEADINGS and not skipped:
            anchor = values.get("id") or next((found for _, found, _ in reversed(self.stack) if found), "")
            self.heading = []
            self.sections.append([anchor if anchor != "indhold" else "", "", []])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.separate(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if any(open_tag == tag for open_tag, _, _ in self.stack):  # a stray end tag closes nothing
            while self.stack.pop()[0] != tag:  # close up to the matching tag, forgiving a missing end tag
                pass
        if tag in HEADINGS and self.heading is not None:
            self.sections[-1][1] = " ".join("".join(self.heading).split())
            self.heading = None
        if tag == "main":
            self.in_main = False
        self.separate(tag)

    def handle_data(self, data: str) -> None:
        if not self.in_main or (self.stack and self.stack[-1][2]):
            return
        (self.heading if self.heading is not None else self.sections[-1][2]).append(data)

    def separate(self, tag: str) -> None:
        if tag not in INLINE and self.in_main:
            (self.heading if self.heading is not None else self.sections[-1][2]).append(" ")

    def result(self) -> list[list[str]]:
        found = []
        for anchor, heading, parts in self.sections:
            text = " ".join("".join(parts).split())
            if heading or text:
                found.append([anchor, heading, text])
        return found


def page_sections(html: bytes) -> list[list[str]]:
    """``[[anchor, heading, text], ...]`` for one rendered page (the first without a heading)."""
    text = html.decode("utf-8", errors="replace")
    start, end = text.find("<main"), text.rfind("</main>")
    if start >= 0 and end > start:
        text = text[start:end + len("</main>")]
    text = without_bulk(text)
    parser = PageText()
    if UNUSUAL.search(text):  # markup the plain reading below does not know: the HTML parser reads it
        parser.feed(text)
        parser.close()
    else:
        read_plainly(text, parser)
    return parser.result()


#: What :func:`read_plainly` leaves to the HTML parser: a ``<`` that does not begin a tag, a comment, a declaration or
#: processing instruction, an element whose text is not markup (style, textarea, title), an unclosed tag.
UNUSUAL = re.compile(r"<(?![a-zA-Z/])|</(?![a-zA-Z])|<!|<\?|<(?:style|textarea|title|xmp|plaintext|script)\b|<[^>]*(?:<|$)", re.IGNORECASE)
TAG = re.compile(r"<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
#: A table's body as lisite's templates write it: rows of cells that hold text alone, a number column's class their only
#: attribute. :func:`read_plainly` reads it at once, its tags each a space (every one separates words) and its text
#: unescaped (an entity never spans a tag), not tag by tag: the caseworkers' pages are mostly such rows.
PLAIN_ROWS = re.compile(r'(?:\s*+<tr>(?:\s*+<(t[dh])(?: class="num")?>[^<]*+</\1>)*+\s*+</tr>)*+\s*+(?=</tbody>)')
ANY_TAG = re.compile(r"<[^>]*>")
ATTRIBUTE = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")  # html.parser's own (attrfind_tolerant)


def read_plainly(text: str, parser: PageText) -> None:
    """Read ``text`` into ``parser`` as :class:`html.parser.HTMLParser` would hand it to the parser's handlers, tag by tag,
    for markup as lisite's templates write it (:data:`UNUSUAL` says when it is not). The handlers' work is done here,
    in one loop (the caseworkers' pages of a large municipality have a quarter of a million tags): what :class:`PageText`'s
    handlers do for each tag and text, in about 60 % of the time that calling them took. The tests compare the two on
    every page of the demo and on thousands of pages of random markup."""
    stack, sections = parser.stack, parser.sections
    in_main, heading = parser.in_main, parser.heading
    into = heading if heading is not None else sections[-1][2]  # where the next words go
    at = 0
    while (found := TAG.search(text, at)) is not None:
        start = found.start()
        if start > at and in_main and not (stack and stack[-1][2]):
            into.append(html.unescape(text[at:start]))
        at = found.end()
        closing, tag, rest = found.group(1, 2, 3)
        tag = tag.lower()
        if closing:
            if tag in VOID:
                continue
            if stack and stack[-1][0] == tag:
                stack.pop()
            elif any(open_tag == tag for open_tag, _, _ in stack):  # a stray end tag closes nothing
                while stack.pop()[0] != tag:  # close up to the matching tag, forgiving a missing end tag
                    pass
            if tag in HEADINGS and heading is not None:
                sections[-1][1] = " ".join("".join(heading).split())
                heading, into = None, sections[-1][2]
            if tag == "main":
                in_main = False
            elif in_main and tag not in INLINE:
                into.append(" ")
            continue
        if rest.rstrip().endswith("/"):  # <br/>: no element to open
            if in_main and tag not in INLINE:
                into.append(" ")
            continue
        values = {name.lower(): None if not value else html.unescape(value[1:-1] if value[:1] in "'\"" else value)
                  for name, _, value in ATTRIBUTE.findall(rest)} if rest else {}
        if tag == "main":
            in_main = True
        if tag in VOID:
            if in_main and tag not in INLINE:
                into.append(" ")
            continue
        skipped = (tag in SKIP_TAGS or bool(SKIP_CLASSES.intersection((values.get("class") or "").split()))
                   or bool(stack and stack[-1][2]))
        stack.append((tag, values.get("id") or "", skipped))
        if in_main and tag not in INLINE:
            into.append(" ")
        if in_main and tag in HEADINGS and not skipped:
            anchor = values.get("id") or next((named for _, named, _ in reversed(stack) if named), "")
            heading = into = []
            sections.append([anchor if anchor != "indhold" else "", "", []])
        elif tag == "tbody" and (rows := PLAIN_ROWS.match(text, at)) is not None:  # up to its end tag, read at once
            if in_main and not skipped:
                into.append(html.unescape(ANY_TAG.sub(" ", rows.group())))  # each tag a space, as above
            at = rows.end()
    if at < len(text) and in_main and not (stack and stack[-1][2]):
        into.append(html.unescape(text[at:]))
    parser.in_main, parser.heading = in_main, heading


def without_bulk(text: str) -> str:
    """``text`` without its ``<script>``, ``<svg>`` and number tables: most of a page's bytes are
    charts and tables, which the (slow) HTML parser need not read only to skip them."""
    kept, position = [], 0
    while (found := BULK.search(text, position)) is not None:
        kept.append(text[position:found.start()])
        close = f"</{(found.group(1) or found.group(2)).lower()}>"
        end = text.find(close, found.end())
        if end < 0:  # an element left open: the parser skips the rest as it is
            position = found.start()
            break
        kept.append(" ")
        position = end + len(close)
    kept.append(text[position:])
    return "".join(kept)


def index_script(files: dict[str, bytes], titles: dict[str, str], memo: Callable[[Any, Callable[[], Any]], Any] | None = None) -> bytes:
    """The search index of one audience's site, as the script ``assets/search-index.js``.

    ``files`` are the audience's files (only ``.html`` ones are read), ``titles`` each page's
    title by path. ``memo`` (``ctx.memo``) keeps a page's text between builds of ``lisite serve``.
    """
    pages = []
    for path in sorted(files):
        if not path.endswith(".html"):
            continue
        html = files[path]

        def read(html: bytes = html) -> list[list[str]]:
            return page_sections(html)

        sections = memo(("search.page", hashlib.sha256(html).digest()), read) if memo else read()
        pages.append({"u": path, "t": titles.get(path, path), "s": sections})
    data = json.dumps({"v": 1, "pages": pages}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.lisiteSearchIndex={data};\n".encode("utf-8")
