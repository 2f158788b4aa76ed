"""Every table's numbers as CSV for Danish Excel and as XLSX, exactly as the page shows them (issue #12, point 3)."""

from __future__ import annotations

import csv
import importlib
import html
import io
import re
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lisite.build import build
from lisite.errors import BuildError
from lisite.i18n import Translator
from lisite.spreadsheet import Grid, reader, to_csv, to_xlsx
from lisite.testing import builtin_plugin, load_plugin

from conftest import tiny_config

leak = load_plugin(builtin_plugin("leakcheck"))
DA = reader(Translator("da"))
EN = reader(Translator("en"))

GRID = Grid(
    title="Underretninger vurderet inden for 24 timer",
    heads=("Periode", "Team", "Værdi", "Tæller", "Beløb"),
    rows=(
        ("januar 2026", "Team 0-6 år", "91,8 %", "1.456", "1.234 kr."),
        ("februar 2026", "=HYPERLINK(\"x\")", "under 5", "under 5", "−12 kr."),
        ("marts 2026", "Team\u00a0Øst", "skjult", "skjult", "0 kr."),
        ("april 2026", "2025", "ingen data", "", "12.087 kr."),
    ),
)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def workbook_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# --- The CSV format ------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_semicolons_and_decimal_comma():
    data = to_csv(GRID, DA)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads æøå right
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and ";" in text.splitlines()[1]
    rows = csv_rows(data)
    assert rows[0] == ["Underretninger vurderet inden for 24 timer"]  # the title first: it may name the unit
    assert rows[1] == ["Periode", "Team", "Værdi", "Tæller", "Beløb (kr.)"]  # the unit moves into the heading
    assert rows[2] == ["januar 2026", "Team 0-6 år", "91,8%", "1456", "1234"]  # no thousands dot: Excel reads it as a number
    assert rows[3][3:] == ["under 5", "-12"]  # the minus sign Excel knows
    assert rows[4][1] == "Team Øst"  # a plain space, not a no-break space
    assert rows[5][1] == "2025"  # a year stays as written, not 2.025


def test_hidden_cells_are_their_labels_never_numbers():
    rows = csv_rows(to_csv(GRID, DA))
    assert [row[2] for row in rows[2:]] == ["91,8%", "under 5", "skjult", "ingen data"]
    assert rows[3][3] == "under 5" and rows[4][3] == "skjult"


def test_text_that_looks_like_a_formula_stays_text():
    rows = csv_rows(to_csv(GRID, DA))
    assert rows[3][1] == "'=HYPERLINK(\"x\")"
    cell = openpyxl.load_workbook(io.BytesIO(to_xlsx(GRID, DA, "Tal"))).active["B4"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_a_column_of_mixed_units_keeps_each_cells_unit():
    grid = Grid("Nøgletal", ("Nøgletal", "2025"), (("Pris", "14,4\u00a0mio.\u00a0kr."), ("Antal", "1.234"), ("Andel", "12,0\u00a0%")))
    assert csv_rows(to_csv(grid, DA))[1:] == [["Nøgletal", "2025"], ["Pris", "14,4 mio. kr."], ["Antal", "1234"], ["Andel", "12,0%"]]


def test_english_numbers_are_read_as_english_and_written_in_the_same_format():
    grid = Grid("Notifications", ("Period", "Value", "Amount"), (("January 2026", "91.8%", "DKK\u00a01,234"), ("February 2026", "below 5", "DKK\u00a012")))
    rows = csv_rows(to_csv(grid, EN))
    assert rows[1] == ["Period", "Value", "Amount (DKK)"]
    assert rows[2] == ["January 2026", "91,8%", "1234"] and rows[3][1] == "below 5"


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_has_the_pages_cells_with_numbers_as_numbers():
    rows = workbook_rows(to_xlsx(GRID, DA, "Tal"))
    assert rows[0][0] == GRID.title
    assert rows[1] == list(GRID.heads)
    assert rows[2] == ["januar 2026", "Team 0-6 år", pytest.approx(0.918), 1456, 1234]
    assert rows[3][2:] == ["under 5", "under 5", -12]
    assert rows[4][2:] == ["skjult", "skjult", 0]
    assert rows[5][1:4] == ["2025", "ingen data", None]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(GRID, DA, "Tal"))).active
    assert sheet["C3"].number_format == '#,##0.0" "%'  # shown as 91,8 % in Danish Excel
    assert sheet["E3"].number_format == '#,##0" kr."'


def test_xlsx_is_byte_identical_for_the_same_table():
    first = to_xlsx(GRID, DA, "Tal")
    assert first == to_xlsx(GRID, DA, "Tal")
    props = openpyxl.load_workbook(io.BytesIO(first)).properties
    assert props.created.year == 2000 and props.creator == "lisite"
    entries = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert {info.date_time for info in entries} == {(1980, 1, 1, 0, 0, 0)}  # no entry carries the time it was written
    assert "xl/worksheets/sheet1.xml" in {info.filename for info in entries}
    assert to_xlsx(Grid("x", ("a",), (("1",),)), DA, "Tal") != first


def test_a_cell_is_read_as_its_text_says_however_often_it_is_read(monkeypatch):
    from lisite import spreadsheet
    from lisite.spreadsheet import Reader

    texts = ["91,8\u00a0%", " 1.456 ", "1.234\u00a0kr.", "−12\u00a0kr.", "under 5", "Team 0-6 år", "2025", "12,3", "", "S-116474", "0\u00a0kr.", "1.234,50"]
    fresh = Reader("da", tuple(DA.templates.items()), tuple(DA.labels.items()))
    first = [fresh.number(text) for text in texts]
    assert first == [fresh._number(text.strip()) for text in texts]  # as read before it was remembered
    assert [fresh.number(text) for text in reversed(texts)] == first[::-1]
    assert first[0].unit == "pct" and first[1].value == 1456 and first[4] is None and first[5] is None
    monkeypatch.setattr(spreadsheet, "KNOWN", 5)
    for n in range(12):
        fresh.number(f"{n} kr.")
    assert len(fresh.known) <= 5  # it starts again: a long session reads many tables
    assert [fresh.number(text) for text in texts] == first


# --- A built site --------------------------------------------------------------------------------


def links(page: str) -> list[str]:
    return re.findall(r'<(?:p|div) class="downloads">.*?</(?:p|div)>', page, flags=re.S)


def page_tables(page: str) -> list[list[list[str]]]:
    """The body rows of each table on a page, as its cells' text."""
    tables = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", page, flags=re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        tables.append([[html.unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)] for row in rows])
    return tables


def test_a_suppressed_cell_stays_its_label_in_both_files(make_site):
    site = make_site()
    build(site)
    out = site / "_site"
    page = (out / "ledere" / "tal" / "antal.html").read_text(encoding="utf-8")
    shown = page_tables(page)[1]  # the split by team: B in July is "under 3" (min_count 3), A hidden with it
    assert ["juli 2026", "B", "under 3"] in shown and ["juli 2026", "A", "skjult"] in shown
    base = out / "ledere" / "data" / "tal" / "antal-tiny-antal-team"
    assert csv_rows(base.with_suffix(".csv").read_bytes())[2:] == shown
    from_xlsx = [[str(v) for v in row] for row in workbook_rows(base.with_suffix(".xlsx").read_bytes())[2:]]
    assert from_xlsx == [[c.replace(".", "") for c in row] for row in shown]  # the same cells; numbers as numbers


def test_the_committee_gets_no_finer_level_than_its_pages(make_site):
    site = make_site()
    build(site)
    files = sorted(p.name for p in (site / "_site" / "udvalg" / "data").rglob("*") if p.is_file())
    assert files == ["antal-tiny-antal.csv", "antal-tiny-antal.xlsx"]  # no split by team for the committee
    rows = csv_rows((site / "_site" / "udvalg" / "data" / "tal" / "antal-tiny-antal.csv").read_bytes())
    assert rows[1] == ["Periode", "Værdi"] and [r[0] for r in rows[2:]] == ["juli 2026", "august 2026", "september 2026"]


def test_every_link_points_to_its_file_relative_to_the_page(make_site):
    site = make_site()
    build(site)
    out = site / "_site"
    checked = 0
    for page in sorted(out.rglob("*.html")):
        for row in links(page.read_text(encoding="utf-8")):
            for href in re.findall(r'href="([^"]+)"', row):
                assert not href.startswith(("/", "http")), href
                assert (page.parent / href).resolve().is_file(), f"{page}: {href}"
                checked += 1
    assert checked == 6  # two files for the committee's table, four for the managers' two


def test_files_are_the_same_bytes_build_after_build(make_site, tmp_path):
    site = make_site()
    build(site, output_dir=tmp_path / "a")
    build(site, output_dir=tmp_path / "b")
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("data/**/*.*")}
    assert first and first == {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("data/**/*.*")}


def test_an_english_site_writes_english_headings_in_the_same_format(make_site):
    config = tiny_config().replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"', 1)
    site = make_site(config=config)
    build(site)
    rows = csv_rows((site / "_site" / "ledere" / "data" / "tal" / "antal-tiny-antal-team.csv").read_bytes())
    assert rows[1] == ["Period", "Team", "Value"]
    assert ["July 2026", "B", "below 3"] in rows[2:]


GROUPS = '''
import pandas as pd
import lisite

@lisite.hookimpl
def lisite_pages(audience, ctx):
    frame = pd.DataFrame({"Gruppe": ["a", "b", "c"], "Antal": [12, 2, 7], "Andel": [61.5, 7.7, 30.8]})
    return [lisite.Page("grupper.html", "Grupper", [lisite.Table(frame, "Grupper", counts=("Antal",), formats={"Andel": "pct"})])]
'''


def test_a_plugin_table_with_hidden_counts_downloads_as_shown(make_site):
    site = make_site({"plugins/grupper.py": GROUPS})
    build(site)
    out = site / "_site" / "udvalg"
    assert page_tables((out / "grupper.html").read_text(encoding="utf-8")) == [[["a", "12", "61,5\u00a0%"], ["b", "under 5", "7,7\u00a0%"], ["c", "skjult", "30,8\u00a0%"]]]
    assert csv_rows((out / "data" / "grupper-tabel-1.csv").read_bytes())[2:] == [["a", "12", "61,5%"], ["b", "under 5", "7,7%"], ["c", "skjult", "30,8%"]]
    assert workbook_rows((out / "data" / "grupper-tabel-1.xlsx").read_bytes())[2:] == [
        ["a", 12, pytest.approx(0.615)], ["b", "under 5", pytest.approx(0.077)], ["c", "skjult", pytest.approx(0.308)]]


MARKDOWN = '''
import lisite

@lisite.hookimpl
def lisite_pages(audience, ctx):
    text = "### Sager pr. gruppe\\n\\n| Gruppe | Antal |\\n|:--|--:|\\n| **a** | 1.234 |\\n| b | under 5 |\\n"
    return [lisite.Page("md.html", "Markdown", [lisite.Markdown(text=text)])]
'''


def test_a_table_written_in_markdown_downloads_too(make_site):
    site = make_site({"plugins/md.py": MARKDOWN})
    build(site)
    out = site / "_site" / "udvalg"
    assert len(links((out / "md.html").read_text(encoding="utf-8"))) == 1
    assert csv_rows((out / "data" / "md-tabel-1.csv").read_bytes()) == [["Sager pr. gruppe"], ["Gruppe", "Antal"], ["a", "1234"], ["b", "under 5"]]


def test_every_table_on_every_demo_page_has_its_files(demo_build):
    """The demo's four sites: a CSV link for each table on each page (and each funnel plot), each pointing to a file,
    no file unlinked, and no file with a finer level than its audience's."""
    out = demo_build / "_site"
    linked, pages = set(), 0
    for page in sorted(out.glob("*/**/*.html")):
        text = page.read_text(encoding="utf-8")
        hrefs = re.findall(r'<a href="([^"]+\.(?:csv|xlsx))"', text)
        charts_only = text.count('<section class="funnel"')  # a funnel's 98 municipalities: a file, not a table on the page
        assert len([h for h in hrefs if h.endswith(".csv")]) == text.count("<table") + charts_only, page
        for href in hrefs:
            target = (page.parent / href).resolve()
            assert target.is_file(), (page, href)
            linked.add(target)
        pages += bool(hrefs)
    written = {p.resolve() for p in out.glob("*/data/**/*") if p.is_file()}
    assert pages > 40 and written == linked
    cases = pd.read_csv(demo_build / "sample_data" / "sager.csv", sep=";", skiprows=1)
    teams, areas = set(cases["team"]), set(cases["omraade"])
    for audience, finer in (("udvalg", teams | areas), ("direktion", teams)):  # no finer level than the audience's
        for path in sorted((out / audience / "data").rglob("*.csv")):
            cells = {cell for row in csv_rows(path.read_bytes()) for cell in row}
            assert not cells & finer, path


# --- The leak check reads the files --------------------------------------------------------------


def test_the_leak_check_reads_the_text_inside_a_workbook():
    book = to_xlsx(Grid("Sager", ("Sag", "Fund"), (("S-9", "Barnet Emma bor på Canaryvej 7"),)), DA, "Tal")
    forbidden = {"S-9": "tal.sags_id", "barnet emma bor på canaryvej 7": "tilsyn.fund (fritekst)"}
    hits = leak.scan({"data/x.xlsx": book, "data/x.csv": to_csv(Grid("", ("Sag",), (("S-9",),)), DA)}, forbidden)
    assert ("data/x.xlsx", "S-9", "tal.sags_id") in hits
    assert ("data/x.xlsx", "barnet emma bor på canaryvej 7", "tilsyn.fund (fritekst)") in hits
    assert ("data/x.csv", "S-9", "tal.sags_id") in hits


def zipped_by_zipfile(parts: dict[str, bytes], stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, (2020, 5, 17, 10, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.extra = b"\x0a\x00\x04\x00abcd" if name in stored else b""  # an extra field in its local header
            archive.writestr(info, data)
    return out.getvalue()


def read_by_zip_module(reading, data: bytes) -> tuple[str, str]:
    """A workbook's texts as the leak check read them before it read its parts as they stand in the zip."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    texts, without = [], []
    for name in sorted(archive.namelist()):
        here, here_without = reading.part_texts(archive.read(name))
        texts += here
        without += here_without
    return "\n".join(texts), "\n".join(without)


def test_a_workbook_part_is_read_as_it_stands_in_the_zip_and_a_planted_value_is_found_in_any_part():
    """The parts every workbook shares are known by their packed bytes (leakcheck.reading.packed_texts): a part that
    differs by one byte is read again, however it is packed."""
    reading = importlib.import_module(leak.__name__ + ".reading")
    book = to_xlsx(GRID, DA, "Tal")
    archive = zipfile.ZipFile(io.BytesIO(book))
    parts = {name: archive.read(name) for name in archive.namelist()}
    assert reading.workbook_texts(book) == read_by_zip_module(reading, book)
    planted = dict(parts, **{"xl/theme/theme1.xml": parts["xl/theme/theme1.xml"].replace(b'name="Office Theme"', b'name="S-9"')})
    for stored in ((), ("xl/theme/theme1.xml",), tuple(parts)):
        other = zipped_by_zipfile(planted, stored)
        assert reading.workbook_texts(other) == read_by_zip_module(reading, other)
        assert ("data/x.xlsx", "S-9", "tal.sags_id") in leak.scan({"data/x.xlsx": other}, {"S-9": "tal.sags_id"})
    broken = bytearray(zipped_by_zipfile(parts))
    info = zipfile.ZipFile(io.BytesIO(bytes(broken))).getinfo("xl/styles.xml")
    start = info.header_offset + 30 + len(info.filename)
    broken[start:start + 8] = b"\xff" * 8  # not a deflate stream any more: the zip module reads it, and says what is wrong
    with pytest.raises((zipfile.BadZipFile, zlib.error)):
        reading.workbook_texts(bytes(broken))


# A theme that shows a table's caption and download links but not its cells: what is planted reaches
# only the downloads, so only the leak check's reading of the CSV and XLSX files can stop it.
QUIET_TABLE = '<p>{{ block.caption }}</p>\n{% with downloads = block.downloads %}{% include "blocks/_downloads.html" %}{% endwith %}\n'
PLANTED = '''
import pandas as pd
import lisite

@lisite.hookimpl
def lisite_pages(audience, ctx):
    frame = pd.DataFrame({"Hvad": [VALUE], "Antal": [12]})
    return [lisite.Page("plantet.html", "Plantet", [lisite.Table(frame, "Plantet")])]
'''
FREE_TEXT = "Barnet Emma Canarysen bor på Canaryvej 7"
TILSYN = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("tilsyn", "Tilsyn", (lisite.Column("tilsyn_id", "str"),
                                                     lisite.Column("fund", "str", required=False, free_text=True)))]
'''


@pytest.mark.parametrize("value, origin", [("'S-9'", r"\(tal\.sags_id\)"), (repr(FREE_TEXT), r"\(tilsyn\.fund \(fritekst\)\)")])
def test_a_planted_case_id_or_free_text_in_a_download_fails_the_build(make_site, value, origin):
    site = make_site({
        "plugins/plantet.py": PLANTED.replace("VALUE", value),
        "plugins/tilsyn.py": TILSYN,
        "data/tilsyn.csv": f"tilsyn_id;fund\nT-1;{FREE_TEXT}\n",
        "theme/templates/blocks/table.html": QUIET_TABLE,
    }, config=tiny_config('\n[sources.tilsyn]\npath = "data/tilsyn.csv"\n'))
    with pytest.raises(BuildError) as raised:
        build(site)
    message = raised.value.format_message()
    assert re.search(origin + r" må ikke stå i sitet for 'udvalg'", message)
    assert "udvalg/data/plantet-tabel-1.xlsx" in message and "udvalg/data/plantet-tabel-1.csv" in message
    assert "udvalg/plantet.html" not in message  # the page itself does not show it
    assert not (site / "_site").exists()  # nothing published


# --- In a browser --------------------------------------------------------------------------------

from test_browser import open_page  # noqa: E402


@pytest.mark.browser
def test_the_links_download_the_files_from_a_file_url_page(browser, make_site):
    site = make_site()
    build(site)
    path = site / "_site" / "ledere" / "tal" / "antal.html"
    page, seen = open_page(browser, path.as_uri())
    rows = page.locator("p.downloads")
    assert rows.count() == 2 and rows.first.is_visible()
    assert rows.first.inner_text().split() == ["Hent", "tallene:", "CSV", "·", "Excel"]
    for link, name in (("a[type='text/csv']", "antal-tiny-antal.csv"), ("a[href$='.xlsx']", "antal-tiny-antal.xlsx")):
        with page.expect_download(timeout=10000) as started:
            rows.first.locator(link).click()
        download = started.value
        assert download.suggested_filename == name
        assert Path(download.path()).read_bytes() == (site / "_site" / "ledere" / "data" / "tal" / name).read_bytes()
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith("file://")] == []
    page.close()


# A spending of ten digits is a number, not a CPR number: the page shows "1.905.661.042 kr.", and the
# downloads write it back as 1905661042, which has the shape of a CPR number with no dash (ddmmyyxxxx).
BIG = Grid("Forbrug", ("Periode", "Forbrug"), (("2026", "1.905.661.042 kr."),))
CPR_AS_TEXT = Grid("Sager", ("Periode", "Sag"), (("2026", "1905661042"),))  # shown as text: not a number lisite writes


def download_hits(grid: Grid, folder: str = "data") -> list[tuple[str, str, str]]:
    return leak.scan({f"{folder}/{name}": data for name, data in
                      {"forbrug.csv": to_csv(grid, DA), "forbrug.xlsx": to_xlsx(grid, DA, "Tabel")}.items()}, {})


def test_a_ten_digit_amount_in_a_download_is_not_taken_for_a_cpr_number():
    assert csv_rows(to_csv(BIG, DA))[2] == ["2026", "1905661042"]  # the number the check must let through
    assert openpyxl.load_workbook(io.BytesIO(to_xlsx(BIG, DA, "Tabel"))).active["B3"].value == 1905661042
    assert download_hits(BIG) == []
    assert download_hits(BIG, "arkiv/2026-06/data") == []  # an archived report's downloads too


def test_a_cpr_number_in_a_text_cell_of_a_download_is_still_found():
    hits = download_hits(CPR_AS_TEXT)
    assert [(path, value) for path, value, _ in hits] == [("data/forbrug.csv", "1905661042"), ("data/forbrug.xlsx", "1905661042")]
    assert b'"1905661042"' in to_csv(CPR_AS_TEXT, DA)  # quoted: the file says it is text


def test_only_lisites_own_downloads_are_read_as_tables():
    for path in ("assets/plugin/data/forbrug.csv", "forbrug.csv", "arkiv/data/forbrug.csv"):
        found = leak.scan({path: to_csv(BIG, DA)}, {})
        assert [value for _, value, _ in found] == ["1905661042"], path  # a file lisite did not write keeps every rule
    unquoted = b'\xef\xbb\xbfSag\r\n"x"y;1905661042\r\n'  # a quote inside a cell: not as lisite writes CSV
    assert [value for _, value, _ in leak.scan({"data/x.csv": unquoted}, {})] == ["1905661042"]


def test_a_forbidden_value_in_a_number_cell_is_still_found():
    assert [(path, value) for path, value, _ in leak.scan({"data/x.csv": to_csv(BIG, DA)}, {"1905661042": "sager.sags_id"})] \
        == [("data/x.csv", "1905661042")]


def test_text_that_looks_like_a_number_is_quoted_and_read_back_as_written():
    data = to_csv(Grid("", ("Periode", "Kode", "2026"), (("2025", "12345", "1.234"), ("januar", "0042", "12,5\u00a0%"))), DA)
    assert data.decode("utf-8-sig").splitlines() == ['Periode;Kode;"2026"', '"2025";"12345";1234', 'januar;"0042";12,5%']
    assert csv_rows(data) == [["Periode", "Kode", "2026"], ["2025", "12345", "1234"], ["januar", "0042", "12,5%"]]


def test_the_leak_check_exempts_exactly_the_cells_the_csv_writer_leaves_unquoted():
    import lisite.spreadsheet

    reading = importlib.import_module(f"{leak.__name__}.reading")
    assert reading.NUMBER_CELL.pattern == lisite.spreadsheet.LOOKS_LIKE_NUMBER.pattern
