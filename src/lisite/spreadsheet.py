"""A table from a page as files a spreadsheet opens: CSV for Danish Excel, and XLSX.

The files are made from the page's own cells, the text a reader sees: a hidden
cell is its label ("under 5", "skjult") and nothing the page does not show can
get into a file. A cell whose whole text is a number as lisite writes it
(``1.234,5``, ``12,3 %``, ``1.234 kr.``; ``1,234.5``, ``12.3%``, ``DKK 1,234`` in
English) becomes that number again, with the decimals it is shown with, so Excel
can add it up; any other text (periods, names, "5 af 8", "2025") stays text.

Both files begin with the table's title (an indicator's name, a table's caption:
it may hold the unit, "mio. kr."), then the headings, then the rows.

CSV: UTF-8 with a byte order mark, ``;`` between cells and a decimal comma, which
Danish Excel opens as columns of numbers. A text cell that looks like a number ("2025", a
code) is quoted, so the file tells text and numbers apart as JSON does (the leak check reads a
number cell as the number the page shows, and a text cell as text). Percentages are written ``12,3%``, which
Excel reads as a percentage; an amount's unit moves into the column heading when
every number in the column has it ("Værdi (kr.)"), else the cell keeps its text.
The English site writes the same format; only the words differ.

XLSX: numbers are numbers, formatted to look as on the page (``12,3 %``,
``1.234 kr.``). The files are byte-identical for the same table: the workbook's
date is fixed, and so is the time of its zip entries (:mod:`lisite.workbook`, as XlsxWriter does).
"""

from __future__ import annotations

import datetime
import functools
import io
import re
from dataclasses import dataclass
from typing import Any

from babel.numbers import get_decimal_symbol, get_group_symbol

from lisite.fmt import LOCALES

SOFT_HYPHEN = "\u00ad"
MINUS = "-\u2212"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # text Excel would run as a formula in a CSV file
FIXED_TIME = datetime.datetime(2000, 1, 1)  # the workbook's created/modified: same input, same bytes
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XLSX cannot hold
DIGIT = re.compile(r"\d")
SHEET_REFUSED = "[]:*?/\\"  # what Excel refuses in a sheet's name
SHEET_LONGEST = 31  # a sheet name's length, as Excel counts it (excel_length)
KNOWN = 50_000  # cells a reader remembers (see Reader.number) before it starts again
MISSING = object()


@dataclass(frozen=True)
class Number:
    """A cell's number as shown: its value, its decimals and its unit key ("" for a bare number)."""

    value: float
    digits: int
    unit: str


@dataclass(frozen=True)
class Grid:
    """A table as text: headings and rows, exactly the page's cells."""

    title: str
    heads: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class Reader:
    """Reads the numbers lisite writes in one language back from their text (see :func:`reader`)."""

    def __init__(self, lang: str, templates: tuple[tuple[str, str], ...], labels: tuple[tuple[str, str], ...]) -> None:
        self.key = (lang, templates, labels)  # what it is made from: two readers with the same key read alike
        locale = LOCALES[lang]
        templates = tuple((unit, clean(template)) for unit, template in templates)  # "12,3 %" in a file, as its cells
        group, decimal = re.escape(get_group_symbol(locale)), re.escape(get_decimal_symbol(locale))
        number = rf"(?P<sign>[{MINUS}+]?)(?P<whole>0|[1-9]\d{{0,2}}(?:{group}\d{{3}})*)(?:{decimal}(?P<part>\d+))?"
        self.group = get_group_symbol(locale)
        self.labels = dict(labels)
        self.templates = dict(templates)
        self.forms: list[tuple[str, re.Pattern[str]]] = [("", re.compile(number))]
        self.known: dict[str, Number | None] = {}
        for unit, template in templates:
            before, _, after = template.partition("{v}")
            around = [re.sub(r"\\ ", r"[\\s\\u00a0\\u202f]?", re.escape(side)) for side in (before, after)]
            self.forms.append((unit, re.compile(around[0] + number + around[1])))

    def number(self, text: str) -> Number | None:
        """The number a cell's text shows, or ``None`` for text. Known by the text: a table repeats its cells (a
        team, an age group), and each is read for the CSV file and the workbook alike."""
        found = self.known.get(text, MISSING)
        if found is MISSING:
            if len(self.known) >= KNOWN:
                self.known.clear()
            found = self.known[text] = self._number(text.strip()) if DIGIT.search(text) else None  # no digit: no number
        return found

    def _number(self, text: str) -> Number | None:
        for unit, form in self.forms:
            found = form.fullmatch(text)
            if found:
                value = float(found["whole"].replace(self.group, "") + "." + (found["part"] or "0"))
                return Number(-value if found["sign"] and found["sign"] in MINUS else value, len(found["part"] or ""), unit)
        return None


@functools.lru_cache(maxsize=8)
def _reader(lang: str, templates: tuple[tuple[str, str], ...], labels: tuple[tuple[str, str], ...]) -> Reader:
    return Reader(lang, templates, labels)


def reader(t: Any) -> Reader:
    """The reader for the translator's language and its catalogue's units (``unit_value.*``, ``unit.*``)."""
    strings = t.strings
    seen: dict[str, str] = {}
    for key, template in strings.items():
        if key.startswith("unit_value.") and template != "{v}" and "{v}" in template:
            seen.setdefault(template, key.removeprefix("unit_value."))  # kr and kr_gns read the same: the first names it
    labels = tuple((unit, strings.get(f"unit.{unit}", unit)) for unit in seen.values())
    return _reader(t.lang, tuple((unit, template) for template, unit in seen.items()), labels)


def excel_length(text: str) -> int:
    """A text's length as Excel counts it: in UTF-16 units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def clean(text: str) -> str:
    """A cell's text for a file: without the soft hyphens that break long words on the page, and with plain
    spaces for the no-break spaces that keep words together there (a spreadsheet's search and filter want those)."""
    return str(text).replace(SOFT_HYPHEN, "").replace("\u00a0", " ").replace("\u202f", " ")


def decimal_comma(number: Number) -> str:
    text = f"{abs(number.value):.{number.digits}f}".replace(".", ",")
    return ("-" if number.value < 0 and float(text.replace(",", ".")) else "") + text


def to_csv(grid: Grid, read: Reader) -> bytes:
    """The table as CSV for Danish Excel: BOM, ``;``, decimal comma; hidden cells as their label."""
    texts = [[clean(cell) for cell in row] for row in grid.rows]
    numbers = [[read.number(text) for text in row] for row in texts]
    moved: dict[int, str] = {}  # column → the unit whose words move into its heading
    for column, head in enumerate(grid.heads):
        units = {n.unit for row in numbers for n in row[column:column + 1] if n is not None}
        if clean(head) and len(units) == 1 and (unit := units.pop()) not in ("", "pct"):
            moved[column] = unit
    heads = [clean(h) + (f" ({read.labels[moved[i]]})" if i in moved else "") for i, h in enumerate(grid.heads)]
    lines = [csv_line([safe(clean(grid.title))])] if grid.title else []
    if any(heads):
        lines.append(csv_line(heads))
    for row, found in zip(texts, numbers):
        cells: list[str | NumberCell] = []
        for column, (text, number) in enumerate(zip(row, found)):
            if number is not None and (number.unit in ("", "pct") or column in moved):
                cells.append(NumberCell(decimal_comma(number) + ("%" if number.unit == "pct" else "")))
            else:
                cells.append(safe(text))
        lines.append(csv_line(cells))
    return ("\ufeff" + "".join(lines)).encode("utf-8")


class NumberCell(str):
    """A CSV cell that is a number (written bare); any other cell is text."""


NEEDS_QUOTES = re.compile(r'[;"\r\n]')
LOOKS_LIKE_NUMBER = re.compile(r"-?\d+(?:,\d+)?%?")  # as a number cell is written: such text is quoted


def csv_line(cells: list[str]) -> str:
    """One row: cells joined by ``;``, a text cell quoted where it holds ``;``, a quote or a line break
    (as Python's csv module does) and where it looks like a number."""
    written = []
    for cell in cells:
        if not isinstance(cell, NumberCell) and (NEEDS_QUOTES.search(cell) or LOOKS_LIKE_NUMBER.fullmatch(cell)
                                             or (cell == "" and len(cells) == 1)):
            cell = '"' + cell.replace('"', '""') + '"'
        written.append(str(cell))
    return ";".join(written) + "\r\n"


def safe(text: str) -> str:
    """Text that Excel shows as text: one that begins like a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def excel_format(number: Number, read: Reader) -> str:
    """The number format that shows a cell as the page does: ``#,##0.0" "%``, ``#,##0" kr."``, ``"DKK "#,##0``."""
    digits = "#,##0" + ("." + "0" * number.digits if number.digits else "")
    if not number.unit:
        return digits
    before, _, after = read.templates[number.unit].partition("{v}")

    def literal(text: str) -> str:
        return "".join(f'"{part}"' if part and part != "%" else part for part in re.split(r"(%)", text))

    return literal(before) + digits + literal(after)


def to_xlsx(grid: Grid, read: Reader, sheet: str) -> bytes:
    """The table as an Excel workbook: one sheet, numbers as numbers, hidden cells as their label.

    Written as XlsxWriter writes it, by :class:`lisite.workbook.Book` (three times faster: see there), or by
    XlsxWriter itself for a workbook outside what that knows; openpyxl still reads the municipality's own workbooks.
    """
    # with XlsxWriter, imported by the first workbook a build writes
    from lisite import workbook

    title, heads, texts = clean(grid.title), [clean(head) for head in grid.heads], [[clean(cell) for cell in row] for row in grid.rows]
    out = io.BytesIO()
    if workbook.fits(sheet, [title, *heads, *(text for row in texts for text in row)]):
        book: Any = workbook.Book(out)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    book.set_properties({"title": title, "author": "lisite", "created": FIXED_TIME})
    ws = book.add_worksheet(sheet)
    formats: dict[Any, Any] = {}

    def style(key: Any, **props: Any) -> Any:
        if key not in formats:
            formats[key] = book.add_format(props)
        return formats[key]

    columns = max([len(heads), *(len(row) for row in texts)])
    widths = [0] * columns
    top = 1 if title else 0  # the title's row (1-based, as Excel counts)
    if top:
        ws.write_string(0, 0, CONTROL.sub("", title), style("title", bold=True, font_size=12))
    if any(heads):
        top += 1
        for column, head in enumerate(heads):
            ws.write_string(top - 1, column, CONTROL.sub("", head), style("head", bold=True))
            widths[column] = len(head)
    codes: dict[tuple[int, str], Any] = {}  # (decimals, unit) → the cell format that shows them
    for r, row in enumerate(texts, start=top):
        for column, text in enumerate(row):
            number = read.number(text)
            if number is None:
                if text:  # an empty cell stays empty
                    ws.write_string(r, column, CONTROL.sub("", text))
            else:
                value = number.value / 100 if number.unit == "pct" else number.value
                value = int(value) if number.digits == 0 and number.unit != "pct" else round(value, number.digits + 4)
                shape = (number.digits, number.unit)
                if shape not in codes:
                    code = excel_format(number, read)
                    codes[shape] = style(("num", code), num_format=code)
                ws.write_number(r, column, value, codes[shape])
            widths[column] = max(widths[column], len(text))
    for column, width in enumerate(widths):
        ws.set_column(column, column, min(60, width + 2))
    if grid.rows:
        ws.freeze_panes(top, 0)
        if any(map(clean, grid.heads)):
            ws.autofilter(top - 1, 0, top - 1 + len(grid.rows), columns - 1)
    book.close()
    return out.getvalue()
