"""Every table on a page, and the numbers under every chart, as a CSV and an Excel file to download.

A committee member or manager who wants to work on the figures gets them as the
page shows them: the files are written from the table's own cells (see
:mod:`lisite.spreadsheet`), so a cell hidden on the page is the same label in the
file and the files can hold nothing the page does not. They are written once per
table into the audience's own site, ``data/<page path>-<table>.csv`` and ``.xlsx``
(``data/temaer/administration-administration-aktive_sager.csv``), before the
leak check reads every file of the site, and the page links to them with a
relative address, so they work from ``file://`` and offline.

A table is any ``{"heads": ..., "rows": ...}`` in a block's view: an indicator's
table, a :class:`lisite.Table`, a chart's table (``ChartBlock(table=...)``), the
tables of the parts plugins add to an indicator (the comparison) and the tables
written in Markdown (:func:`markdown_tables`). Block views are
shared between pages (cached), so each page gets its own copies with the links.
"""

from __future__ import annotations

import functools
import posixpath
import time
from dataclasses import dataclass
from typing import Any

from lisite import links, sharing, spreadsheet
from lisite.spreadsheet import Grid

FOLDER = "data"


@dataclass(frozen=True)
class Download:
    """One table to write: its path in the audience site without the suffix, and its cells."""

    path: str
    grid: Grid


def is_table(value: Any) -> bool:
    return isinstance(value, dict) and "heads" in value and "rows" in value


class Namer:
    """Names a page's tables: ``<page>-<indicator id>`` for an indicator's, ``<page>-tabel-2`` for others."""

    def __init__(self, page_path: str, page_title: str, t: Any) -> None:
        self.stem = f"{FOLDER}/{page_path.removesuffix('.html')}"
        self.page_path = page_path
        self.page_title = page_title
        self.t = t
        self.used: set[str] = set()
        self.counts: dict[str, int] = {}

    def numbered(self, word_key: str) -> str:
        word = self.t(word_key)
        self.counts[word] = self.counts.get(word, 0) + 1
        return f"{word}-{self.counts[word]}"

    def link(self, name: str, title: str, table: dict[str, Any], found: list[Download]) -> dict[str, Any]:
        """The link for one table (a second table of the same name gets ``-2``), remembering the file to write."""
        title = title or self.page_title  # a table without a caption is named by its page
        path, n = f"{self.stem}-{name}", 1
        while path in self.used:
            n += 1
            path = f"{self.stem}-{name}-{n}"
        self.used.add(path)
        grid = Grid(title=title, heads=tuple(map(str, table["heads"])), rows=tuple(tuple(map(str, row)) for row in table["rows"]))
        found.append(Download(path, grid))
        name_only = posixpath.basename(path)
        return {"title": title, "csv": links.url(self.page_path, f"{path}.csv"), "xlsx": links.url(self.page_path, f"{path}.xlsx"),
                "csv_name": f"{name_only}.csv", "xlsx_name": f"{name_only}.xlsx"}


def attach(blocks: list[dict[str, Any]], page: Any, t: Any) -> tuple[list[dict[str, Any]], list[Download]]:
    """The page's block views with ``downloads`` (a list of links) on each block and part that has tables,
    and the files those links point to."""
    namer = Namer(page.path, page.title, t)
    found: list[Download] = []
    out = []
    for block in blocks:
        kind = block.get("kind")
        if kind == "indicator":
            name = block["indicator"].id.replace(".", "-") + (f"-{block['by']}" if block.get("by") else "")
            parts = [{**part, "downloads": [namer.link(f"{name}-{part.get('kind', 'part')}" + ("" if key == "table" else f"-{key}"),
                                                       value.get("caption") or block["heading"], value, found)
                                            for key, value in part.items() if is_table(value)]}
                     for part in block["parts"]]
            block = {**block, "parts": parts, "downloads": [namer.link(name, block["heading"], block["table"], found)]}
        elif kind == "table":
            block = {**block, "downloads": [namer.link(namer.numbered("download_file_table"), block["caption"], block, found)]}
        elif kind == "markdown" and block.get("tables"):
            block = {**block, "downloads": [namer.link(namer.numbered("download_file_table"), table["caption"], table, found)
                                            for table in block["tables"]]}
        elif kind == "chart" and is_table(block.get("table")):
            title = block["title"] or block["table"].get("caption") or block["description"]
            block = {**block, "downloads": [namer.link(namer.numbered("download_file_chart"), title, block["table"], found)]}
        out.append(block)
    return out, found


def markdown_tables(tokens: list[Any]) -> list[dict[str, Any]]:
    """The tables in parsed Markdown (markdown-it tokens) as headings and rows of text, each captioned by the
    heading above it."""
    tables: list[dict[str, Any]] = []
    heading, section, cells = "", "", None
    for token in tokens:
        if token.type in ("heading_open", "thead_open", "tbody_open"):
            section = token.type.removesuffix("_open")
        elif token.type == "table_open":
            tables.append({"caption": heading, "heads": [], "rows": []})
        elif token.type == "tr_open":
            cells = []
        elif token.type == "tr_close" and tables and cells is not None:
            if section == "thead":
                tables[-1]["heads"] = cells
            else:
                tables[-1]["rows"].append(cells)
            cells = None
        elif token.type == "inline":
            text = "".join(" " if c.type == "softbreak" else c.content for c in token.children or []
                           if c.type in ("text", "code_inline", "softbreak"))
            if section == "heading":
                heading, section = text, ""
            elif cells is not None:
                cells.append(text)
    return tables


def files(downloads: list[Download], t: Any) -> dict[str, bytes]:
    """The CSV and XLSX file of every table (paths inside the audience site)."""
    read = spreadsheet.reader(t)
    sheet = t("download_sheet")
    written: dict[str, bytes] = {}
    for download in downloads:
        csv_bytes, xlsx_bytes = _both(download.grid, read, sheet_name(download.grid.title, sheet))
        written[f"{download.path}.csv"] = csv_bytes
        written[f"{download.path}.xlsx"] = xlsx_bytes
    return written


@functools.lru_cache(maxsize=2048)
def _both(grid: Grid, read: spreadsheet.Reader, sheet: str) -> tuple[bytes, bytes]:
    """Both files of one table; ``lisite serve`` rebuilds often, and a table that did not change is not written again.
    In a build's workers, a table another worker wrote (the committee's and the directors' sites share most of theirs)
    is read from it (:mod:`lisite.sharing`)."""
    key = ("downloads", grid, read.key, sheet)
    found = sharing.found(key)
    if found is not None:
        return found
    started = time.perf_counter()
    made = spreadsheet.to_csv(grid, read), spreadsheet.to_xlsx(grid, read, sheet)
    sharing.offer(key, made, time.perf_counter() - started, worth=WORTH)
    return made


#: A table's files are offered to the other workers when they took this long (seconds) to write: the bytes pickle at
#: once, so reading them costs less than a table of a few rows takes to write (:data:`lisite.sharing.WORTH` is for
#: values that take long to pickle).
WORTH = 0.0002


def sheet_name(title: str, fallback: str) -> str:
    """An Excel sheet's name from the table's title: at most 31 characters as Excel counts them (an emoji counts two),
    none of ``[]:*?/\\``, no apostrophe first or last (Excel refuses such a name, and the build stopped on it)."""
    name = " ".join("".join(" " if c in spreadsheet.SHEET_REFUSED else c for c in spreadsheet.clean(title)).split())
    name = name[:spreadsheet.SHEET_LONGEST]
    while spreadsheet.excel_length(name) > spreadsheet.SHEET_LONGEST:
        name = name[:-1]
    return name.strip(" '") or fallback
