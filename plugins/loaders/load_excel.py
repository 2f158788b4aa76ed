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
"""

from __future__ import annotations

import datetime

import pandas as pd
from openpyxl.utils import get_column_letter

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
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)  # a formula's last computed value
    if source.sheet and source.sheet not in book.sheetnames:
        raise lisite.SourceError("sheet_missing", sheet=source.sheet, sheets=", ".join(book.sheetnames))
    sheet = book[source.sheet] if source.sheet else book.worksheets[0]
    grid, across = unmerged(sheet)
    texts = [[_text(v) for v in row] for row in grid]
    if source.header_row:
        header = source.header_row - 1
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
    title = next((row[0] for row in texts[:header] if row and row[0]), "")
    if title:
        frame.attrs["title"] = title
    return frame


def unmerged(sheet) -> tuple[list[list], dict[int, list[tuple[int, int]]]]:
    """The sheet's values from A1, each merged range's value in every cell it covers; and per row (0-based)
    the column spans (0-based, inclusive) merged across columns in that row only."""
    rows = [list(row) for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, min_col=1,
                                                 max_col=sheet.max_column, values_only=True)]
    across: dict[int, list[tuple[int, int]]] = {}
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        value = rows[top][left]
        for r in range(top, merged.max_row):
            for c in range(left, merged.max_col):
                rows[r][c] = value
        if merged.max_col > merged.min_col and merged.min_row == merged.max_row:
            across.setdefault(top, []).append((left, merged.max_col - 1))
    return rows, across


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
