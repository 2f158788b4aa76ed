"""Read Excel workbooks (``.xlsx``, ``.xlsm``) as the systems and people write them.

- The first sheet, or the one ``sheet = "Sager"`` in ``[sources.<name>]`` names (a missing one is
  an error listing the sheets there are).
- The header is the row among the first 20 that names most of the dataset's columns, so a report
  title and blank rows above it are skipped (``header_row`` says it instead).
- Merged cells hold their value in every cell they cover: a team name merged down over its cases
  belongs to each case, and a header merged over two rows names its column in both. A group title
  merged across columns above the header ("Periode" over "Start" and "Slut") names the header cells
  under it that are empty, and prefixes a name that would otherwise occur twice.
- A date column whose cells hold numbers (a date formatted as "General") is read as Excel's serial
  day numbers (45566 is 2024-12-03); numbers stored as text ("1.234,50") are read by the engine as
  numbers written any other way (:mod:`lisite.numbers`).

Row numbers are the sheet's own, as Excel shows them. The frame is marked as an export, so the
engine leaves out and reports summary rows ("I alt").

The cells are read with calamine (``python-calamine``): a payments workbook of 10,000 rows reads in a
fraction of a second, against ten with openpyxl. Calamine gives an error value (``#DIV/0!``, ``#N/A``)
as an empty cell, which would hide it; a workbook whose sheets hold one is read with openpyxl instead,
so the error is named at its cell like any other value that is not what the column expects.
"""

from __future__ import annotations

import datetime
import re
import zipfile

import pandas as pd

import lisite

EXCEL_EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (after its leap-year bug)
LAST_SERIAL = 2958465  # 31-12-9999


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.strftime("%Y-%m-%d %H:%M") if getattr(value, "hour", 0) or getattr(value, "minute", 0) else value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return repr(value).replace(".", ",") if not value.is_integer() else str(int(value))
    return str(value).strip()


def _key(text) -> str:
    return " ".join(str(text).split()).casefold()


def serial_date(value) -> str:
    """An Excel serial day number as ``YYYY-MM-DD`` (with ``HH:MM`` when it has a time of day), else ``""``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= LAST_SERIAL:
        return ""
    return _text(EXCEL_EPOCH + datetime.timedelta(days=float(value)))


@lisite.hookimpl
def lisite_load_source(source, path, spec):
    if source.format not in ("", "xlsx", "excel") or (not source.format and path.suffix.lower() not in (".xlsx", ".xlsm")):
        return None
    try:
        grid, across = unmerged(*(read_openpyxl if holds_errors(path) else read_calamine)(path, source.sheet))
    except zipfile.BadZipFile:  # a CSV file, an old .xls or a damaged download named as a workbook
        raise lisite.SourceError("not_a_workbook") from None
    texts = [[_text(v) for v in row] for row in grid]
    if source.header_row:
        header = source.header_row - 1
        if header >= len(grid):  # past the sheet's last row
            raise lisite.SourceError("header_row_missing", header_row=source.header_row, lines=len(grid))
    else:  # the row that names most of the dataset's columns (as mapped), so title rows are skipped
        header = source.header_index(texts[:20], spec)
    if header >= len(grid):
        return pd.DataFrame()
    body = texts[header + 1:]
    filled = [any(row[i] for row in body) for i in range(len(texts[header]))]
    names = header_names(texts, header, across, filled)
    dates = {_key(source.header_of(col.name)) for col in spec.columns if col.type in ("date", "datetime")}
    columns = {}
    for i, name in enumerate(names):
        if not name:
            continue
        if name in columns:  # the same header twice: the second is named by its column letter too
            name = f"{name} {get_column_letter(i + 1)}"
        cells = [row[i] for row in grid[header + 1:]]
        columns[name] = [serial_date(v) or _text(v) for v in cells] if _key(name) in dates else [_text(v) for v in cells]
    frame = pd.DataFrame(columns, dtype=object)
    lines = [header + 2 + i for i in range(len(frame))]
    blank = (frame == "").all(axis=1).to_numpy() if len(frame.columns) else [True] * len(frame)
    frame = frame[~pd.Series(blank, dtype=bool).to_numpy()].reset_index(drop=True)
    frame.attrs["lines"] = lisite.Lines(n for n, b in zip(lines, blank) if not b)
    frame.attrs["export"] = True
    frame.attrs["unused"] = tuple(key for key in ("sep", "encoding") if getattr(source, key))  # a workbook has cells, not text
    title = next((row[0] for row in texts[:header] if row and row[0]), "")
    if title:
        frame.attrs["title"] = title
    return frame


ERROR_CELL = re.compile(rb'<c\b[^>]*\bt="e"')  # a cell whose (cached) value is an error


def holds_errors(path) -> bool:
    """Whether a sheet of the workbook holds an error value (which calamine would read as an empty cell)."""
    with zipfile.ZipFile(path) as book:
        return any(ERROR_CELL.search(book.read(name)) for name in book.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def chosen(names: list[str], wanted: str) -> str:
    """The worksheet to read: the one named (an error listing the worksheets there are when it is not one), else the first."""
    if wanted and wanted not in names:
        raise lisite.SourceError("sheet_missing", sheet=wanted, sheets=", ".join(names))
    return wanted or names[0]


def read_calamine(path, wanted: str) -> tuple[list[list], list[tuple[int, int, int, int]]]:
    """The sheet named ``wanted`` (the first worksheet when none is named): its values from A1 and its merged
    ranges as (first row, first column, last row, last column), 0-based and inclusive."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_name(chosen([m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet], wanted))
    rows = sheet.to_python(skip_empty_area=False)  # from A1; a formula's last computed value
    merged = [(top, left, bottom, right) for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()]
    return rows, merged


def read_openpyxl(path, wanted: str) -> tuple[list[list], list[tuple[int, int, int, int]]]:
    """As :func:`read_calamine`, with openpyxl: an error value is read as Excel shows it (``#N/A``)."""
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)  # a formula's last computed value
    sheet = book[chosen([ws.title for ws in book.worksheets], wanted)]
    rows = [list(row) for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, min_col=1,
                                                 max_col=sheet.max_column, values_only=True)]
    merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
    return rows, merged


def unmerged(rows: list[list], merged: list[tuple[int, int, int, int]]) -> tuple[list[list], dict[int, list[tuple[int, int]]]]:
    """The sheet's values from A1, each merged range's value in every cell it covers; and per row (0-based)
    the column spans (0-based, inclusive) merged across columns in that row only."""
    height = max([1, len(rows), *(bottom + 1 for _, _, bottom, _ in merged)])  # an empty sheet is one empty cell
    width = max([1, *map(len, rows), *(right + 1 for _, _, _, right in merged)])
    rows = [list(row) + [None] * (width - len(row)) for row in rows] + [[None] * width for _ in range(height - len(rows))]
    across: dict[int, list[tuple[int, int]]] = {}
    for top, left, bottom, right in sorted(merged):
        value = rows[top][left]
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                rows[r][c] = value
        if right > left and top == bottom:
            across.setdefault(top, []).append((left, right))
    return rows, across


def get_column_letter(index: int) -> str:
    """Excel's letters of a column (1 → ``A``), from openpyxl, imported only when a header needs them: a build
    that reads no workbook with a repeated header does not pay for importing openpyxl."""
    from openpyxl.utils import get_column_letter as letters

    return letters(index)


def header_names(texts: list[list[str]], header: int, across: dict[int, list[tuple[int, int]]],
                 filled: list[bool]) -> list[str]:
    """The header row's names.

    A header cell merged across columns names the first of them that has values (the others, when
    they have values too, are named by their column letter as well). Under a group title merged
    across columns in the row above, an empty cell takes the group's name and a name that occurs
    twice gets the group's name before it.
    """
    names = list(texts[header])
    for left, right in across.get(header, []):
        name = texts[header][left]
        with_values = [c for c in range(left, right + 1) if filled[c]] or [left]
        for c in range(left, right + 1):
            names[c] = name if c == with_values[0] else f"{name} {get_column_letter(c + 1)}" if filled[c] else ""
    if header == 0:
        return names
    for left, right in across.get(header - 1, []):
        group = texts[header - 1][left]
        for c in range(left, right + 1):
            if not names[c] and filled[c]:
                names[c] = group
            elif names.count(names[c]) > 1 or sum(1 for n in texts[header] if n == texts[header][c]) > 1:
                names[c] = f"{group} {texts[header][c]}"
    return names
