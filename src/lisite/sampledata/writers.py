"""Write rows as Danish-style CSV exports and as a reproducible Excel workbook.

CSV: UTF-8, ';' separator, decimal comma without thousands separator,
Ja/Nej, dd-mm-yyyy, dd-mm-yyyy HH:MM, empty for missing, '\\n' line ends.
Excel: the zip archive is stored uncompressed with fixed timestamps, so equal
data give equal bytes whatever zlib the machine has.
"""

from __future__ import annotations

import io
import operator
import zipfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

FIXED_TIME = datetime(2026, 10, 1, 8, 0, 0)
CLOCK = tuple(f" {hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))  # by minute of the day


def cell(value) -> str:
    """One CSV field."""
    kind = type(value)
    if kind is int:  # (most fields: looked at first)
        return str(value)
    if kind is str:
        text = value
    elif value is None:
        return ""
    elif isinstance(value, bool):
        return "Ja" if value else "Nej"
    elif isinstance(value, datetime):
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d} {value.hour:02d}:{value.minute:02d}"
    elif isinstance(value, date):
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
    elif isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return ("0" if text == "-0" else text).replace(".", ",")
    else:
        text = str(value)
    if ";" in text or "\n" in text or '"' in text:
        raise ValueError(f"value {text!r} cannot be written to a ';'-separated export")
    return text


def column_texts(values: list) -> list[str] | None:
    """cell() of each value of one column, or None when one of them cannot be written (cell() raises).

    Faster than cell() value by value: strings are checked all at once, and a column of one type
    (besides empty values) formats each distinct value once."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds == {str}:  # ids, names, categories: written as they are
        texts = ["" if value is None else value for value in values]
        joined = "".join(texts)
        return None if ";" in joined or "\n" in joined or '"' in joined else texts
    if kinds == {datetime}:  # times of day are nearly all different: the date's text made once, the time looked up
        day_texts = {day: cell(day) for day in {value.date() for value in values if value is not None}}
        return ["" if value is None else day_texts[value.date()] + CLOCK[value.hour * 60 + value.minute]
                for value in values]
    try:
        if len(kinds) == 1:  # (one type only, as True == 1 == 1.0 must not share a text)
            known = {value: cell(value) for value in dict.fromkeys(values)}
            return list(map(known.__getitem__, values))
    except TypeError:  # unhashable values: one by one below
        pass
    except ValueError:
        return None
    try:
        return [cell(value) for value in values]
    except ValueError:
        return None


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict], title: str | None = None) -> Path:
    """Write rows; a title line (as in case-system exports) goes above the header when given."""
    lines = [title] if title else []
    lines.append(";".join(columns))
    texts = [column_texts(list(map(operator.itemgetter(name), rows))) for name in columns]
    if any(column is None for column in texts):
        for row in rows:  # raise cell()'s error for the first bad value, row by row
            for name in columns:
                cell(row[name])
    lines += map(";".join, zip(*texts))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return path


def write_xlsx(path: Path, sheet: str, title: str, columns: tuple[str, ...], rows: list[dict]) -> Path:
    """One sheet: the title in row 1, the header in row 2, data (real numbers, dates as dates) from row 3."""
    raw = io.BytesIO()
    book = xlsxwriter.Workbook(raw, {"in_memory": True})
    book.set_properties({"author": "lisite.sampledata", "created": FIXED_TIME})
    ws = book.add_worksheet(sheet)
    formats = {date: book.add_format({"num_format": "yyyy-mm-dd"}), datetime: book.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
    ws.write_string(0, 0, title, book.add_format({"bold": True}))
    for c, name in enumerate(columns):
        ws.write_string(1, c, name)
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(columns):
            value = row[name]
            if value is None or value == "":
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)  # as written: never read as a formula, number or link
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, date):
                ws.write_datetime(r, c, value, formats[datetime if isinstance(value, datetime) else date])
            else:
                ws.write_number(r, c, value)
    for c, width in enumerate((8, 8, 20, 15, 15, 14, 18, 14)):
        ws.set_column(c, c, width)
    book.close()
    path.write_bytes(restamp(raw.getvalue()))
    return path


def restamp(archive: bytes) -> bytes:
    """The same zip, uncompressed, with every entry dated FIXED_TIME."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_STORED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
