"""The downloads' workbooks are written directly (lisite.workbook), in the bytes XlsxWriter writes for them.

If a new XlsxWriter writes otherwise, the comparison fails: look at what changed, and write it the same way.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib

import openpyxl
import pytest

from lisite import spreadsheet, workbook
from lisite.i18n import Translator
from lisite.spreadsheet import Grid, to_xlsx

TEXTS = ["Team Øst", "S-116474", " lead", "trail ", "a & b", "<x>", 'q"uote', "it's", "line\nbreak", "cr\rhere", "tab\there",
         "_x0041_", "æøå ÆØÅ", "emoji 😀", "under 5", "skjult", "ingen data", "2025", "5 af 8", "=SUM(A1)", "-", "", "", "",
         "\u00ad", "x" * 70, "ctrl\x01char", "no\u00a0break"]
SHEETS = ["Tal", "Ark 'x' y", "Åbne sager", "A1", "R1C1", "1 tal", "TRUE", "x y", "Sheet.1", "Tabel (mio. kr.)", "a&b", "æ"]


def shown_number(draw: random.Random) -> str:
    """A number as a page shows it, in Danish: decimals, a sign, a unit, sometimes thousands."""
    value = draw.choice([0, 1, 12, 999, 1234, 1234567, 2.5, 0.125, 12.34, 100.0])
    digits = draw.choice([0, 0, 1, 2])
    text = f"{value:,.{digits}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return draw.choice(["", "", "-", "−"]) + text + draw.choice(["", "", " %", " kr.", " mio. kr.", " pct.", " år", " dage"])


def table(draw: random.Random) -> Grid:
    width = draw.randint(0, 7)
    heads = tuple(draw.choice([*TEXTS, "Periode", "Værdi"]) for _ in range(width)) if draw.random() < 0.8 else ()
    rows = tuple(tuple(shown_number(draw) if draw.random() < 0.5 else draw.choice(TEXTS) for _ in range(draw.randint(0, width + 1)))
                 for _ in range(draw.choice([0, 1, 2, 5, 15, 16, 17, 33, 60])))  # rows in blocks of 16 carry their columns
    return Grid(title=draw.choice(["", "Tabel", "Åbne sager & <mere>", " x "]), heads=heads, rows=rows)


def by_xlsxwriter(grid: Grid, read, sheet: str, monkeypatch) -> bytes:
    with monkeypatch.context() as patch:
        patch.setattr(workbook, "fits", lambda *args: False)
        return to_xlsx(grid, read, sheet)


def parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_workbook_is_the_bytes_xlsxwriter_writes_for_it(lang, monkeypatch):
    read = spreadsheet.reader(Translator(lang))
    draw = random.Random(2026)
    written = 0
    for _ in range(250):
        grid, sheet = table(draw), draw.choice(SHEETS)
        texts = [spreadsheet.clean(text) for text in (grid.title, *grid.heads, *(cell for row in grid.rows for cell in row))]
        assert workbook.fits(sheet, texts)
        made, expected = to_xlsx(grid, read, sheet), by_xlsxwriter(grid, read, sheet, monkeypatch)
        if made != expected:  # the part that differs, for whoever reads the failure
            assert parts(made) == parts(expected), (grid, sheet)
            assert made == expected, (grid, sheet)
        written += bool(grid.rows)
    assert written > 200


def test_a_workbook_outside_what_lisite_writes_itself_is_written_by_xlsxwriter(monkeypatch):
    read = spreadsheet.reader(Translator("da"))
    made = []
    monkeypatch.setattr(workbook, "Book", lambda out: made.append(out) or pytest.fail("written by lisite.workbook"))
    long = Grid("Lang", ("Tekst",), (("x" * (workbook.LONGEST + 1),),))
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(long, read, "Tal"))).active
    assert sheet["A3"].value == long.rows[0][0]
    with pytest.raises(Exception, match="31"):
        to_xlsx(Grid("x", ("a",), (("1",),)), read, "x" * 30 + "😀")  # Excel's limit, in UTF-16 units: XlsxWriter says so
    assert made == []


def test_the_sheet_names_and_texts_lisite_writes_itself():
    assert workbook.fits("Åbne sager", ["Team Øst", "x" * workbook.LONGEST])
    assert not workbook.fits("Åbne sager", ["x" * (workbook.LONGEST + 1)])
    assert workbook.fits("Tal", ["<r>x</r>"])


def test_a_text_that_looks_like_the_xml_of_rich_text_stays_text(monkeypatch):
    """XlsxWriter writes such a text into the workbook's XML as it stands (the cell is lost, or worse); here it is text."""
    read = spreadsheet.reader(Translator("da"))
    grid = Grid("Rig", ("Tekst",), (("<r>fed</r>",), ("<r><t>x</t></r>",)))
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(grid, read, "Tal"))).active
    assert [sheet["A3"].value, sheet["A4"].value] == ["<r>fed</r>", "<r><t>x</t></r>"]
    assert openpyxl.load_workbook(io.BytesIO(by_xlsxwriter(grid, read, "Tal", monkeypatch))).active["A3"].value != "<r>fed</r>"
    for refused in ("", "'Tal", "Tal'", "a/b", "a[1]", "x" * 32, "x" * 30 + "😀"):
        assert not workbook.fits(refused, [])


def test_the_zip_is_the_one_zipfile_writes_and_its_parts_read_back():
    parts = [("xl/theme/theme1.xml", workbook.THEME), ("a.xml", "<a>æøå</a>"), ("b.xml", ""), ("_rels/.rels", workbook.ROOT_RELATIONS),
             ("c.xml", "x" * 100_000)]
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    made = workbook.zipped(parts)
    assert made == workbook.zipped(parts) == expected.getvalue()  # the second time the shared parts come deflated
    archive = zipfile.ZipFile(io.BytesIO(made))
    assert archive.testzip() is None  # every part's CRC
    assert [(name, archive.read(name).decode("utf-8")) for name in archive.namelist()] == parts


@pytest.mark.parametrize("title, name", [
    ("Antal børn 😀😀😀 i aflastning pr. 1.000", "Antal børn 😀😀😀 i aflastning"),  # 31 as Excel counts: an emoji is two
    ("Børn i 'særlige' tilbud, fordelt efter alder", "Børn i 'særlige' tilbud, fordel"),
    ("Anbringelser fordelt på årsag 'Omsorgssvigt'", "Anbringelser fordelt på årsag"),  # cut just after an apostrophe
    ("'Citeret'", "Citeret"), ("  [a]:b*?/c\\\\ ", "a b c"), ("''", "Tal"),
])
def test_a_sheet_is_named_after_its_table_as_excel_allows(title, name):
    from lisite.downloads import sheet_name

    assert sheet_name(title, "Tal") == name
    assert workbook.fits(name, [])  # a name Excel takes, so the build does not stop on it
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(Grid(title, ("a",), (("1",),)), spreadsheet.reader(Translator("da")), name))).active
    assert sheet.title == name


def test_a_part_deflates_in_a_smaller_window_to_the_bytes_of_the_largest():
    draw = random.Random(9)
    sizes = [0, 1, 249, 250, 251, 762, 763, 1786, 1787, 3834, 3835, 7930, 7931, 16122, 16123, 32505, 32506, 32507, 70_000]
    for size in sizes:
        assert (1 << workbook.window_bits(size)) - 262 >= size or workbook.window_bits(size) == 15
        assert workbook.window_bits(size) == 9 or (1 << (workbook.window_bits(size) - 1)) - 262 < size  # the smallest
        for alphabet in ["ab", '<c r="A1" t="s"><v>0123456789</v></c>', "".join(map(chr, range(32, 1200)))]:
            text = "".join(draw.choice(alphabet) for _ in range(size)) if draw.random() < 0.5 else (alphabet * (size // len(alphabet) + 1))[:size]
            data = text.encode("utf-8")
            largest = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            crc, length, made = workbook.deflate(text)
            assert (crc, length, made) == (zlib.crc32(data), len(data), largest.compress(data) + largest.flush())
