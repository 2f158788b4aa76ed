"""Read CSV exports as the case and economy systems write them.

A municipality's exports come in many shapes, and each is met here without configuration:

- the encoding is detected, not guessed: a byte order mark (UTF-8, UTF-16 from Excel's "Unicode
  text") is obeyed; else the file is UTF-8 when it decodes as UTF-8, else Windows-1252, which reads
  Latin-1 text identically except that it also has € and the typographic quotes. A file that is
  part UTF-8 and part something else is refused, naming the line, as is a byte neither encoding
  has. ``encoding = "cp1252"`` in ``[sources.<name>]`` says it instead;
- the separator (``;``, tab, ``|`` or ``,``) is the one under which a line names most of the
  dataset's columns (``sep`` says it instead);
- the header is the line among the first 20 that names most of the dataset's columns (as mapped in
  ``[sources.<name>.columns]``), so report titles and blank lines above it are skipped
  (``header_row`` says it instead);
- fields in quotes may hold the separator and line breaks; rows are numbered by the file line they
  begin on, so every problem names the line a user finds in an editor;
- empty columns at the right (Excel's "Save as CSV" of a formatted sheet) are dropped; a row with
  more filled cells than the header has columns is an error naming the line.

The frame is marked as an export (``attrs["export"]``): the engine then leaves out and reports
summary rows ("I alt", "Total"). ``attrs["decimal"]`` is the decimal mark a number such as ``1.234``
is read with when its column does not show it: a comma, unless the file is comma-separated.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import string
import sys
from itertools import compress

import numpy as np
import pandas as pd

import lisite

SEPARATORS = (";", "\t", "|", ",")  # in this order when two fit equally well
SNIFF_LINES = 60
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
UTF8_LETTERS = re.compile(rb"\xc3[\x80-\xbf]")  # æ, ø, å, é ... as UTF-8: in a file that is not UTF-8, a mix
NAMES = {"tab": "\t", "\\t": "\t", "semikolon": ";", "komma": ",", "semicolon": ";", "comma": ",", "pipe": "|"}


@lisite.hookimpl
def lisite_load_source(source, path, spec):
    if source.format not in ("", "csv") or (not source.format and path.suffix.lower() not in (".csv", ".txt")):
        return None
    text, encoding = decode(path.read_bytes(), source.encoding)
    sep = NAMES.get(source.sep.lower(), source.sep) if source.sep else sniff(text, source, spec)
    if len(sep) != 1:
        raise lisite.SourceError("csv_sep", sep=source.sep)
    # one record a line (no quotes), each line ended alike: only the first lines are looked at here, and the rows below
    # the header are read at once (fast_table)
    plain = not ('"' in text or "\0" in text) and ends_alike(text) and source.header_row < HEAD_LINES
    rows = records(head(text) if plain else text, sep)
    if not rows:
        return pd.DataFrame()
    if source.header_row:
        header = next((i for i, (line, _) in enumerate(rows) if line >= source.header_row), None)
        if header is None:  # past the file's last line
            raise lisite.SourceError("header_row_missing", header_row=source.header_row, lines=rows[-1][0])
    else:
        header = source.header_index([cells for _, cells in rows[:20]], spec)
    frame = fast_table(text, sep, rows, header) if plain else None
    if frame is None:
        frame = table(records(text, sep) if plain else rows, header)
    frame.attrs["encoding"] = encoding
    frame.attrs["unused"] = ("sheet",) if source.sheet else ()  # a text file has no sheets
    frame.attrs["export"] = True
    frame.attrs["decimal"] = "." if sep == "," else ","
    title = next((" ".join(c.strip() for c in cells if c.strip()) for _, cells in rows[:header] if any(map(str.strip, cells))), "")
    if title:
        frame.attrs["title"] = title
    return frame


def ends_alike(text: str) -> bool:
    """Every line of ``text`` ends with a line feed alone, or every one with a carriage return and a line feed."""
    returns = text.count("\r")
    return returns == 0 or returns == text.count("\r\n")


def decode(data: bytes, configured: str = "") -> tuple[str, str]:
    """The file's text and the encoding it was read with (see the module's docstring)."""
    if configured:
        try:
            return data.decode(configured), configured
        except LookupError:
            raise lisite.SourceError("encoding_unknown", encoding=configured) from None
        except UnicodeDecodeError as exc:
            raise lisite.SourceError("encoding_wrong", row=_line(data, exc.start), encoding=configured,
                                     byte=f"0x{data[exc.start]:02X}") from None
    for bom, name in BOMS:
        if data.startswith(bom):
            return data.decode(name), name.removesuffix("-sig")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if UTF8_LETTERS.search(data):
            raise lisite.SourceError("encoding_mixed", row=_line(data, exc.start), byte=f"0x{data[exc.start]:02X}") from None
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no letter in any Western encoding
        raise lisite.SourceError("encoding_unknown_byte", row=_line(data, exc.start), byte=f"0x{data[exc.start]:02X}") from None


def _line(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def records(text: str, sep: str, strict: bool = True) -> list[tuple[int, list[str]]]:
    """Each record with the file line it begins on; a quoted field may span lines."""
    if len(text) > csv.field_size_limit():  # a long free text in one cell: the csv module's limit is 128 KB
        csv.field_size_limit(min(len(text), sys.maxsize))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=strict)
    if '"' not in text:  # without quotes each record is one line
        try:
            return list(enumerate(reader, 1))
        except csv.Error:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=strict)
    found: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for cells in reader:
            found.append((last + 1, cells))
            last = reader.line_num
    except csv.Error as exc:
        if not strict:
            return found
        if "end of data" in str(exc):  # a quote never closed: the rest of the file would be one field
            raise lisite.SourceError("csv_quotes", row=last + 1) from None
        return records(text, sep, strict=False)  # a stray quote in a field ('"Solsikken" ApS'): read as written
    return found


def sniff(text: str, source, spec) -> str:
    """The separator under which the header names most columns; then the one that splits most lines alike."""
    head = "\n".join(first_lines(text, SNIFF_LINES))
    wanted = {" ".join(source.header_of(col.name).split()).casefold() for col in spec.columns}
    best, best_score = SEPARATORS[0], (-1, -1.0)
    for sep in SEPARATORS:
        rows = [cells for _, cells in records(head, sep, strict=False) if any(c.strip() for c in cells)]
        if not rows:
            continue
        header = source.header_index(rows[:20], spec)
        named = len(wanted & {" ".join(c.split()).casefold() for c in rows[header]})
        widths = [len(cells) for cells in rows[header:]]
        alike = widths.count(widths[0]) / len(widths) if widths[0] > 1 else 0.0
        if (named, alike) > best_score:
            best, best_score = sep, (named, alike)
    return best


def first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]``, without splitting the whole of a large file: the first ``count`` lines as the csv
    module ends them (:func:`head`) hold them, for each of those line ends is one of ``splitlines`` too."""
    return head(text, count).splitlines()[:count]


def letter(index: int) -> str:
    """A spreadsheet's name for a column (0 → A, 26 → AA): the header of a column that has none."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = string.ascii_uppercase[rest] + name
    return name


def head(text: str, lines: int | None = None) -> str:
    """The first ``lines`` of a text (by default as many as the header is looked for in, and a title above it), each
    with its end."""
    end = 0
    for _ in range(HEAD_LINES if lines is None else lines):
        line = LINE.match(text, end)
        if line is None:
            return text
        end = line.end()
    return text[:end]


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")  # a line and its end, as the csv module ends one
HEAD_LINES = 40  # more than the 20 lines the header is looked for in, blank lines and all


def fast_table(text: str, sep: str, rows: list[tuple[int, list[str]]], header: int) -> pd.DataFrame | None:
    """:func:`table` for a text without quotes, its rows below the header read by pandas' C parser; ``None`` when
    that cannot read them as :func:`records` would (a row with more cells than the first one below the header) or
    a row has a value beyond the header (:func:`table` then names it)."""
    start = rows[header][0]  # the header's line: the rows below it begin on the next
    if header + 1 >= len(rows):
        return None  # the head ends at or just below the header: a short file, read as it is
    try:
        below = pd.read_csv(io.StringIO(text), sep=sep, header=None, skiprows=start, dtype=str, na_filter=False,
                            skip_blank_lines=False, quoting=csv.QUOTE_NONE, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    grid = below.to_numpy(dtype=object)
    names = [cell.strip() for cell in rows[header][1]]
    if grid.shape[1] > len(names):
        return None
    if grid.shape[1] < len(names):  # short rows end in "", as in table()
        grid = np.hstack([grid, np.full((len(grid), len(names) - grid.shape[1]), "", dtype=object)])
    return _frame(names, range(start + 1, start + 1 + len(grid)), grid)


def table(rows: list[tuple[int, list[str]]], header: int) -> pd.DataFrame:
    """The frame of text below the header: blank rows out, empty columns at the right out.

    The cells go into one grid (short rows end in ""), and each cell is looked at once to find the blank rows, the
    empty columns and the filled cells beyond the header's width.
    """
    names = [cell.strip() for cell in rows[header][1]]
    width, below = len(names), rows[header + 1:]
    lines, cells = [line for line, _ in below], [cells for _, cells in below]
    widths = list(map(len, cells))
    full = max([width, *widths])
    grid = np.array([row if size == full else row + [""] * (full - size) for row, size in zip(cells, widths)],
                    dtype=object).reshape(len(cells), full)
    filled = _filled(grid)
    beyond = np.flatnonzero(filled[:, width:].any(axis=1))
    if len(beyond):  # the first row with a value beyond the header's last column
        row = cells[beyond[0]]
        extra = [c for c in row[width:] if c.strip()]
        raise lisite.SourceError("csv_too_many_cells", row=lines[beyond[0]], found=len(row), expected=width, value=extra[0].strip())
    return _frame(names, lines, grid, filled)


def _filled(grid: np.ndarray) -> np.ndarray:
    """Which cells have more than spaces in them (a cell with nothing to strip is itself again: no new text is made)."""
    filled = np.zeros(grid.shape, dtype=bool)
    for i in range(grid.shape[1]):
        filled[:, i] = np.fromiter(map(bool, map(str.strip, grid[:, i])), dtype=bool, count=len(grid))
    return filled


def _frame(names: list[str], lines, grid: np.ndarray, filled: np.ndarray | None = None) -> pd.DataFrame:
    """The frame of the grid's rows with a value, each row's file line kept; a column that has neither a header nor
    a value is left out."""
    width, full = len(names), grid.shape[1]
    filled = _filled(grid) if filled is None else filled
    body = filled.any(axis=1)
    grid = grid[body]
    columns = {}
    for i in range(full):  # a column without a header and without a value is no column
        if (i < width and names[i]) or filled[:, i].any():
            columns[names[i] if i < width and names[i] else letter(i)] = grid[:, i]
    frame = pd.DataFrame(columns, dtype=object) if columns else pd.DataFrame(index=range(len(grid)))
    frame.attrs["lines"] = lisite.Lines(compress(lines, body.tolist()))
    return frame
