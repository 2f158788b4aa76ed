"""The leak check: no audience's site may hold an identifier it must not see.

After each audience is rendered, and before anything is published, every
text file of its site, and the text of every Excel workbook in it (the
downloads: an XLSX file is a zip of XML parts), is scanned for the values of the person-level columns
of the input (case ids, caseworker ids, names: see ``Column.person_level``
and ``Column.level``) and of its free-text columns (``Column.free_text``:
case level only, matched with any capitals and whitespace) that the
audience's level does not allow, and for
anything shaped like a CPR number, which no audience may ever see. A hit fails
the build, so the previous site stays in place.

The archived reports of earlier periods (``arkiv/<period>/``, see ``lisite.history``) are part of
the audience's files and are scanned again in every build, against the current data: they were
checked when first built, and a value that only the new data marks as person-level is still caught.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from xml.etree import ElementTree

import lisite

DATE6 = r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}"  # ddmmyy with a real day and month
DOTTED = r"(?:0[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2])\.\d{2}"  # dd.mm.yy
DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen, non-breaking hyphen, en and em dash, minus sign
SEP = f"[{DASHES}/ \u00a0]"  # between date and serial number: any dash, a slash or a space
CPR = re.compile(
    # ddmmyy-xxxx (any dash, slash or space) anywhere but inside a longer run of digits
    rf"(?<![\d{DASHES}]){DATE6}{SEP}\d{{4}}(?![\d{DASHES}])"
    # dd.mm.yy-xxxx, dd.mm.yyxxxx
    rf"|(?<![\d.]){DOTTED}[{DASHES}/]?\d{{4}}(?![\d{DASHES}])"
    # "cpr: 0102034521", "CPR-nr. 010203-4521": a prefix names it whatever the spelling
    rf"|(?<![A-Za-z])(?i:cpr)(?:[{DASHES}. ]*(?i:nr))?\.?\s*[:.]?\s*(?:{DATE6}|{DOTTED}){SEP}?\d{{4}}(?!\d)"
    # ddmmyyxxxx only as a word of its own in text (not a number in JSON or SVG data)
    rf"|(?<![\w.,:\[{DASHES}]){DATE6}\d{{4}}(?![\w.,\]}}{DASHES}])"
)
TOKEN = re.compile(r"[0-9A-Za-zÆØÅæøåÄÖÜäöüé][0-9A-Za-zÆØÅæøåÄÖÜäöüé_\-]*")
TEXT_SUFFIXES = (".html", ".json", ".js", ".css", ".csv", ".txt", ".svg", ".xml", ".md")
WORKBOOKS = (".xlsx", ".xlsm", ".docx", ".pptx", ".ods", ".odt")  # zips of XML: their text is scanned
SKIP = ("assets/vega.js",)  # the Vega library itself, written by the engine (also in each archived report's assets/)
MIN_LENGTH = 3


def forbidden_values(audience, ctx) -> dict[str, str]:
    """Identifier → a description of where it comes from, for everything this audience may not see."""
    rank = lisite.LEVELS.index(audience.level)
    found: dict[str, str] = {}
    for name, dataset in sorted(ctx.datasets.items()):
        for column in dataset.spec.columns:
            if not column.person_level or lisite.LEVELS.index(column.level) <= rank:
                continue
            if column.name not in dataset.frame.columns:
                continue
            for value in dataset.frame[column.name].dropna().astype(str).unique():
                value = value.strip()
                if len(value) < MIN_LENGTH:
                    continue
                if column.free_text:  # searched for with any capitals and line breaks (see scan_text)
                    found.setdefault(" ".join(value.split()).casefold(), f"{name}.{column.name} (fritekst)")
                else:
                    found.setdefault(value, f"{name}.{column.name}")
    if audience.filter:
        found.update(outside_values(audience, ctx))
    return found


def outside_values(audience, ctx) -> dict[str, str]:
    """For an audience limited to part of the organisation: every identifier that occurs only outside it."""
    inside: set[str] = set()
    outside: dict[str, str] = {}
    limited = ctx.data  # the engine's limited view of the data for this audience
    for name, dataset in sorted(ctx.datasets.items()):
        for column in dataset.spec.columns:
            if not column.person_level or column.name not in dataset.frame.columns:
                continue
            shown = limited.get(name)
            if shown is not None and column.name in shown.columns:
                inside |= set(shown[column.name].dropna().astype(str).str.strip())
            for value in dataset.frame[column.name].dropna().astype(str).str.strip().unique():
                if len(value) >= MIN_LENGTH:
                    outside.setdefault(value, f"{name}.{column.name}, uden for {dict(audience.filter)}")
    return {value: origin for value, origin in outside.items() if value not in inside}


def scan_text(text: str, forbidden: dict[str, str]) -> list[tuple[str, str]]:
    """(value, origin) for each forbidden value or CPR-like number in one text."""
    hits = []
    for token in sorted(set(TOKEN.findall(text))):
        if token in forbidden:
            hits.append((token, forbidden[token]))
        elif token.casefold() in forbidden:  # a one-word free text, with other capitals
            hits.append((token, forbidden[token.casefold()]))
    folded = " ".join(text.split()).casefold()  # free text may be quoted with other capitals or line breaks
    for phrase, origin in forbidden.items():
        if " " in phrase and " ".join(phrase.split()).casefold() in folded:
            hits.append((phrase, origin))
    for match in CPR.finditer(text):
        hits.append((match.group(0), "et CPR-lignende nummer"))
    return hits


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


def scan(files: dict[str, bytes], forbidden: dict[str, str], memo=None, scope=None) -> list[tuple[str, str, str]]:
    """(file, value, origin) for each forbidden value or CPR-like number found.

    With ``memo`` (``ctx.memo``), a file scanned before for the same ``scope`` (what the audience may
    see) and data is not scanned again.
    """
    hits = []
    for path in sorted(files):
        if any(path == skip or path.endswith("/" + skip) for skip in SKIP) or not path.endswith(TEXT_SUFFIXES + WORKBOOKS):
            continue
        script = path.endswith((".js", ".json"))

        def scan_one(path: str = path, data: bytes = files[path], script: bool = script) -> list[tuple[str, str]]:
            text = file_text(path, data) or ""
            found = scan_text(text, forbidden)
            plain = unescaped(text) if script else read_as_text(text) if path.endswith((".html", ".svg", ".xml")) else text
            return found + [hit for hit in scan_text(plain, forbidden) if hit not in found] if plain != text else found

        found = memo(("leakcheck.scan", scope, script, hashlib.sha256(files[path]).digest()), scan_one) if memo else scan_one()
        hits += [(path, value, origin) for value, origin in found]
    return hits


@lisite.hookimpl
def lisite_check_output(audience, files, ctx):
    scope = (audience.level, audience.filter)
    forbidden = ctx.memo(("leakcheck.forbidden", scope), lambda: forbidden_values(audience, ctx))
    hits = scan(files, forbidden, ctx.memo, scope)
    return [
        lisite.Problem(
            f"'{value}' ({origin}) må ikke stå i sitet for '{audience.id}' (detaljeniveau {audience.level}).",
            file=f"{audience.id}/{path}",
        )
        for path, value, origin in hits
    ]
