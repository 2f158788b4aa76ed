"""Write rows as Danish-style CSV exports and as a reproducible Excel workbook.

CSV: UTF-8, ';' separator, decimal comma without thousands separator,
Ja/Nej, dd-mm-yyyy, dd-mm-yyyy HH:MM, empty for missing, '\\n' line ends.
Excel: the zip archive is stored uncompressed with fixed timestamps, so equal
data give equal bytes whatever zlib the machine has.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = datetime(2026, 10, 1, 8, 0, 0)


def cell(value) -> str:
    """One CSV field."""
    kind = type(value)
    if kind is str or kind is int:  # (most fields: looked at first)
        text = str(value)
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


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict], title: str | None = None) -> Path:
    """Write rows; a title line (as in case-system exports) goes above the header when given."""
    lines = [title] if title else []
    lines.append(";".join(columns))
    lines += [";".join(cell(row[name]) for name in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return path


def write_xlsx(path: Path, sheet: str, title: str, columns: tuple[str, ...], rows: list[dict]) -> Path:
    """One sheet: the title in row 1, the header in row 2, data (real numbers) from row 3."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append(list(columns))
    for row in rows:
        ws.append([row[name] for name in columns])
    for letter, width in zip("ABCDEFGH", (8, 8, 20, 15, 15, 14, 18, 14)):
        ws.column_dimensions[letter].width = width
    book.properties.creator = "lisite.sampledata"
    book.properties.created = book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
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
