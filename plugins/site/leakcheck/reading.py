"""How a file of a site becomes the text the leak check scans.

A page is scanned as written and as a reader sees it (tags away, entities undone), a script or JSON
file also with its string escapes undone, and a workbook (a zip of XML parts) by the text, values and
attributes of its parts. Images are not scanned; nor is the Vega library the engine writes itself.

A download (a page's table as CSV and XLSX, ``data/…`` in an audience's site or its archive) is read
as a table: its cells are scanned for forbidden values like any text, but for CPR numbers only the
cells that are text. A cell that is a number there is a number the page shows with its thousands
separators ("1.905.661.042 kr."), and the page is scanned as it shows it; written back as a plain
number (``1905661042``) a spending of ten digits would read like a CPR number with no dash. The CSV
writer quotes a text cell that looks like a number, so the file itself tells the two apart, as JSON
does; a workbook types its cells. A file that does not read as lisite writes downloads keeps every rule.
"""

from __future__ import annotations

import functools
import html
import io
import re
import struct
import zipfile
import zlib
from urllib.parse import unquote
from xml.etree import ElementTree

TEXT_SUFFIXES = (".html", ".json", ".js", ".css", ".csv", ".txt", ".svg", ".xml", ".md")
WORKBOOKS = (".xlsx", ".xlsm", ".docx", ".pptx", ".ods", ".odt")  # zips of XML: their text is scanned
SKIP = ("assets/vega.js",)  # the Vega library itself, written by the engine (also in each archived report's assets/)
DOWNLOAD = re.compile(r"(?:arkiv/[^/]+/)?data/[^/].*\.(?:csv|xlsx)")  # lisite's downloads (lisite.downloads.FOLDER)
NUMBER_CELL = re.compile(r"-?\d+(?:,\d+)?%?")  # a number as the CSV writer writes it (lisite.spreadsheet.LOOKS_LIKE_NUMBER)


ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")  # a %-escape in an address


def readings(path: str, data: bytes) -> list[tuple[str, str | None, tuple[str, ...] | None]]:
    """Each text a file is scanned as, with the part of it to look for CPR numbers in (``None``: all of it) and its
    lines as parts (a workbook's; ``None``: not in parts), see :func:`.text.scan_text`: a download once, as a table; any
    other file as written, as a reader or a script sees it where that differs, and with its %-escapes undone where it
    has one (an address: ``%C3%85se%20N%C3%B8rgaard.png``)."""
    how = reading(path)
    if how == "download":  # a table: a number cell is not a CPR number
        return [download_texts(path, data)]
    text = file_text(path, data) or ""
    found: list[tuple[str, str | None, tuple[str, ...] | None]] = [(text, None, None)]
    plain = unescaped(text) if how == "script" else read_as_text(text) if how == "markup" else text
    if plain != text:
        found.append((plain, None, None))
    if ENCODED.search(text):
        found.append((unquote(text), None, None))
    return found


@functools.lru_cache(maxsize=8192)
def reading(path: str) -> str | None:
    """How a file is read for the scan (its text differs with it), or ``None`` for a file not scanned. (Known by
    its path alone: an audience's site has the same few hundred paths at every build.)"""
    if any(path == skip or path.endswith("/" + skip) for skip in SKIP) or not path.endswith(TEXT_SUFFIXES + WORKBOOKS):
        return None
    if DOWNLOAD.fullmatch(path):
        return "download"
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
    return workbook_texts(data)[0]


def workbook_texts(data: bytes) -> tuple[str, str]:
    """A workbook's text (:func:`workbook_text`), and the same without the values of the cells typed as
    numbers (``<c>`` with no type or ``t="n"``), from one reading of its parts."""
    return workbook_reading(data)[:2]


def workbook_reading(data: bytes) -> tuple[str, str, tuple[str, ...] | None]:
    """:func:`workbook_texts`, and the text of each part that has any: the workbook's text is these, one a line
    (``None`` for a file that is not a zip). A part every workbook shares is then the same text each time, and
    the scan keeps what it found in it (:func:`.text.scan_text`'s ``parts``)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        text = data.decode("utf-8", errors="replace")  # not a zip after all: scan what it holds
        return text, text, None
    texts, without, parts = [], [], []
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        for name in sorted(archive.namelist()):
            packed = raw_part(data, infos[name])
            found = packed_texts(*packed) if packed else None
            here, here_without = found if found is not None else part_texts(archive.read(name))
            texts += here
            without += here_without
            if here:
                parts.append(joined(here))
    return "\n".join(texts), "\n".join(without), tuple(parts)


@functools.lru_cache(maxsize=4096)
def joined(texts: tuple[str, ...]) -> str:
    """A part's texts, one a line: one string for the same part (its hash is worked out once)."""
    return "\n".join(texts)


LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def raw_part(data: bytes, info: zipfile.ZipInfo) -> tuple[int, bytes] | None:
    """(how it is packed, its bytes as they stand in the zip) of a part that is stored or deflated and not encrypted; else
    ``None`` (the zip module reads it). A part every workbook shares (its theme, its relations) is then known by its
    packed bytes without being unpacked (:func:`packed_texts`)."""
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    header = data[info.header_offset:info.header_offset + LOCAL_HEADER.size]
    if len(header) < LOCAL_HEADER.size:
        return None
    fields = LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        return None
    start = info.header_offset + LOCAL_HEADER.size + fields[-2] + fields[-1]  # after the name and the extra field
    packed = data[start:start + info.compress_size]
    return (info.compress_type, packed) if len(packed) == info.compress_size else None


@functools.lru_cache(maxsize=1024)
def packed_texts(method: int, packed: bytes) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """:func:`part_texts` of a part as it stands in the zip (stored or deflated); ``None`` for one that does not unpack
    (the zip module then reads it, and says what is wrong)."""
    if method == zipfile.ZIP_STORED:
        return part_texts(packed)
    try:
        return part_texts(zlib.decompress(packed, -15))
    except zlib.error:
        return None


@functools.lru_cache(maxsize=1024)
def part_texts(raw: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The non-blank texts, values and attributes of one XML part (with and without the number cells' values),
    or the part as it is when it is not XML. Known by its bytes: the parts every workbook shares (its theme,
    styles and relations) are read once."""
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        text = raw.decode("utf-8", errors="replace")
        return ((text,), (text,)) if text.strip() else ((), ())
    texts, without = [], []
    numbers: set[int] = set()  # the value elements (``<v>``) of the cells that are numbers: a cell comes before its value
    for element in root.iter():
        text, tail = element.text, element.tail
        if text and not text.isspace():  # (not blank, as ``text.strip()`` says)
            texts.append(text)
            if id(element) not in numbers:
                without.append(text)
        if tail and not tail.isspace():
            texts.append(tail)
            without.append(tail)
        for value in element.attrib.values():
            if value and not value.isspace():
                texts.append(value)
                without.append(value)
        if element.tag.rpartition("}")[2] == "c" and element.get("t", "n") == "n":  # a cell without a type is a number
            numbers.update(id(child) for child in element if child.tag.rpartition("}")[2] == "v")
    return tuple(texts), tuple(without)


def download_texts(path: str, data: bytes) -> tuple[str, str, tuple[str, ...] | None]:
    """A download's text, its text cells alone (what is scanned for CPR numbers, see the module's doc), and for
    a workbook the text of each of its parts (:func:`workbook_reading`; ``None`` for a CSV file).

    A CSV file is split into cells by its quotes (a quoted cell is text, whatever it holds); one that
    does not split cleanly is scanned whole. Known by its bytes: the same table in several audiences' sites is
    read once.
    """
    return _download_texts(path.endswith(WORKBOOKS), data)


@functools.lru_cache(maxsize=2048)
def _download_texts(workbook: bool, data: bytes) -> tuple[str, str, tuple[str, ...] | None]:
    if workbook:
        return workbook_reading(data)
    text = data.decode("utf-8-sig", errors="replace")
    kept, at = [], 0
    while at < len(text):
        found = CSV_CELL.match(text, at)
        if found is None or (not found.group("end") and found.end() < len(text)):
            return text, text, None  # a quote inside a cell: not as lisite writes CSV
        cell, end = found.group("cell"), found.group("end")
        kept.append(("" if NUMBER_CELL.fullmatch(cell) else cell) + end)
        at = found.end()
    return text, "".join(kept), None


CSV_CELL = re.compile(r'(?P<cell>"(?:[^"]|"")*"|[^;"\r\n]*)(?P<end>;|\r?\n|\Z)')


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
