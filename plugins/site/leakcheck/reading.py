"""How a file of a site becomes the text the leak check scans.

A page is scanned as written and as a reader sees it (tags away, entities undone), a script or JSON
file also with its string escapes undone, and a workbook (a zip of XML parts) by the text, values and
attributes of its parts. Images are not scanned; nor is the Vega library the engine writes itself.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from xml.etree import ElementTree

TEXT_SUFFIXES = (".html", ".json", ".js", ".css", ".csv", ".txt", ".svg", ".xml", ".md")
WORKBOOKS = (".xlsx", ".xlsm", ".docx", ".pptx", ".ods", ".odt")  # zips of XML: their text is scanned
SKIP = ("assets/vega.js",)  # the Vega library itself, written by the engine (also in each archived report's assets/)


def reading(path: str) -> str | None:
    """How a file is read for the scan (its text differs with it), or ``None`` for a file not scanned."""
    if any(path == skip or path.endswith("/" + skip) for skip in SKIP) or not path.endswith(TEXT_SUFFIXES + WORKBOOKS):
        return None
    if path.endswith(WORKBOOKS):
        return "workbook"
    if path.endswith((".js", ".json")):
        return "script"
    return "markup" if path.endswith((".html", ".svg", ".xml")) else "text"


def file_text(path: str, data: bytes) -> str | None:
    """The text of a file to scan: a text file decoded, a workbook's text, or ``None`` for other files (images)."""
    if path.endswith(WORKBOOKS):
        return workbook_text(data)
    if path.endswith(TEXT_SUFFIXES):
        return data.decode("utf-8-sig", errors="replace")
    return None


def workbook_text(data: bytes) -> str:
    """Every text, value and attribute in a workbook's XML parts, one a line; a part that is not XML as it is."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return data.decode("utf-8", errors="replace")  # not a zip after all: scan what it holds
    texts = []
    with archive:
        for name in sorted(archive.namelist()):
            raw = archive.read(name)
            try:
                root = ElementTree.fromstring(raw)
            except ElementTree.ParseError:
                texts.append(raw.decode("utf-8", errors="replace"))
                continue
            for element in root.iter():
                texts += [element.text or "", element.tail or "", *element.attrib.values()]
    return "\n".join(text for text in texts if text.strip())


JSON_ESCAPE = re.compile(r'\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))')
JSON_CHARS = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def unescaped(text: str) -> str:
    """A script's or JSON file's text with its string escapes undone (``\\"`` → ``"``, ``\\u00e6`` → ``æ``).

    The search index (``assets/search-index.js``) holds the pages' text as JSON strings: a free
    text with a quote in it is written ``\\"`` there and must still be found.
    """
    return JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else JSON_CHARS.get(m.group(2), m.group(2)), text)


INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|em|i|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>", re.I)
ANY_TAG = re.compile(r"<[^>]*>")


def read_as_text(markup: str) -> str:
    """A page's text as a reader sees it: inline tags joined (``Emma <em>Canarysen</em>``), other tags a
    space, entities undone (``&#39;``, ``&quot;``, ``&amp;``), so a free text cannot hide behind markup."""
    return html.unescape(ANY_TAG.sub(" ", INLINE_TAG.sub("", markup)))
