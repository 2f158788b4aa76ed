"""Exports as they come (issue 13, point 3): files shaped like what case and economy systems export.

The fixtures in tests/fixtures/exports/ are written by make_exports.py there and committed as bytes: a
Windows-1252 case-system export with a title, quoted line breaks, empty right-hand columns and an
"I alt" row; a UTF-8 (BOM) comma file with English number formats; a Latin-1 tab file; a pipe file; a
workbook with a cover sheet, merged cells, serial dates and numbers stored as text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import lisite
from lisite.config import load_config
from lisite.data import load_all
from lisite.i18n import Translator
from lisite.numbers import read_numbers
from lisite.plugins import builtin_plugin_paths, make_plugin_manager

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
C = lisite.Column
YDELSER = lisite.DatasetSpec("ydelser", "Ydelser", (
    C("sags_id", person_level=True), C("team"), C("ydelse"), C("lovhjemmel", required=False),
    C("leverandør", required=False), C("startdato", "date"), C("takst", "float", required=False),
    C("beloeb", "float"), C("note", required=False, free_text=True),
))
SAGER = lisite.DatasetSpec("sager", "Sager", (
    C("sags_id", person_level=True), C("team"), C("maalgruppe"), C("start", "date"), C("slut", "date", required=False),
))
#: The figures every ydelser fixture holds (BU-1003 only in some): the truth the loaders must give back.
RATES = {"BU-1001": 1234.5, "BU-1002": 850.0, "BU-1003": 2100.75}
AMOUNTS = {"BU-1001": 12345.0, "BU-1002": 196350.0, "BU-1003": 8403.0}
STARTS = {"BU-1001": "2026-01-03", "BU-1002": "2026-02-15", "BU-1003": "2026-06-01"}


def load(tmp_path, file: str, extra: str = "", spec=YDELSER, data: bytes | None = None):
    """Load one fixture as the source of ``spec`` with the built-in loaders; (frame, problems)."""
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True, exist_ok=True)
    target = site / "data" / file
    if data is None:
        shutil.copy(EXPORTS / file, target)
    else:
        target.write_bytes(data)
    disabled = sorted(name for name in builtin_plugin_paths() if name not in ("load_csv", "load_excel", "leakcheck"))
    columns = f'\n[sources.{spec.name}.columns]\nsags_id = "Sags-ID"\n' + (
        'beloeb = "Beløb i alt"\n' if spec is YDELSER else 'maalgruppe = "Målgruppe"\n')
    (site / "lisite.toml").write_text(
        f'[site]\ntitle = "T"\n[municipality]\ncode = 479\nname = "Svendborg"\n[period]\ncurrent = "2026-09"\n'
        f'[audiences.udvalg]\ntitle = "Udvalget"\nlevel = "municipality"\n'
        f'[plugins]\ndisabled = {disabled!r}\n'.replace("'", '"')
        + f'[sources.{spec.name}]\npath = "data/{file}"\n{extra}\n{columns}', encoding="utf-8")
    config = load_config(site)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    loaded = load_all(config, [spec], pm.hook.lisite_load_source, t=Translator("da"))
    dataset = loaded.datasets.get(spec.name)
    if dataset is not None:
        dataset.frame.attrs["extracted"] = dataset.extracted  # the date the engine read from the title line
    return (dataset.frame if dataset is not None else None), loaded.problems


def figures(frame: pd.DataFrame, column: str) -> dict[str, object]:
    return dict(zip(frame["sags_id"], frame[column]))


def assert_measures(frame: pd.DataFrame, problems, ids=("BU-1001", "BU-1002", "BU-1003")) -> None:
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    assert list(frame["sags_id"]) == list(ids)
    assert figures(frame, "beloeb") == {i: AMOUNTS[i] for i in ids}
    assert {i: f"{d:%Y-%m-%d}" for i, d in figures(frame, "startdato").items()} == {i: STARTS[i] for i in ids}
    assert frame["team"].iloc[0] == "Børneteam Øst"
    assert "Plejefamilie på Ærø" in set(frame["leverandør"]) or frame["leverandør"].isna().all()  # not in the workbook


# --- CSV ----------------------------------------------------------------------------------------------


def test_a_windows_1252_case_system_export_reads_as_written(tmp_path):
    frame, problems = load(tmp_path, "ydelser_dubu_cp1252.csv")
    assert_measures(frame, problems)
    assert figures(frame, "takst") == RATES  # "1.234,50": thousands point, decimal comma
    assert frame["note"].iloc[0] == "Møde hver anden uge,\r\nogså i ferier"  # the quoted line break is kept
    assert frame["note"].iloc[1] == "Gebyr 50 € pr. måned"  # € is a byte only Windows-1252 has
    assert frame.attrs["lines"] == (4, 6, 7)  # BU-1002 stands on line 6: the note of BU-1001 spans 4-5
    assert not any("kolonne" in p.message or p.message.startswith("kolonnerne") for p in problems)  # no empty columns


def test_a_summary_row_is_left_out_and_reported_with_file_and_line(tmp_path):
    frame, problems = load(tmp_path, "ydelser_dubu_cp1252.csv")
    totals = [p for p in problems if "sumrække" in p.message]
    assert len(totals) == 1 and totals[0].severity == "warning"
    assert str(totals[0]).startswith("data/ydelser_dubu_cp1252.csv, række 8")
    assert "I alt" in totals[0].message
    assert frame["beloeb"].sum() == 217098.0 and len(frame) == 3  # the sum row is not a fourth measure


def test_the_title_line_gives_the_extraction_date(tmp_path):
    frame, _ = load(tmp_path, "ydelser_dubu_cp1252.csv")
    assert frame.attrs["extracted"] == "2026-09-30"


def test_utf8_with_bom_comma_separated_english_numbers(tmp_path):
    frame, problems = load(tmp_path, "ydelser_oekonomi_utf8_bom.csv")
    assert_measures(frame, problems)
    assert figures(frame, "takst") == RATES  # "1,234.50" and "850.00"
    assert frame["lovhjemmel"].iloc[0] == "§ 32, stk. 1, nr. 3"  # the separator inside quotes
    assert any("sumrække" in p.message and "'Total'" in p.message for p in problems)


def test_latin1_tab_separated_without_title(tmp_path):
    frame, problems = load(tmp_path, "ydelser_latin1.txt")
    assert_measures(frame, problems, ids=("BU-1001", "BU-1002"))
    assert figures(frame, "takst") == {"BU-1001": 1234.5, "BU-1002": 850.0}
    assert frame["note"].iloc[1] == "Årlig opfølgning"


def test_pipe_separated_with_a_sum_row(tmp_path):
    frame, problems = load(tmp_path, "ydelser_pipe.csv")
    assert_measures(frame, problems, ids=("BU-1001", "BU-1002"))
    assert [p.row for p in problems if "sumrække" in p.message] == [4]


def test_a_configured_encoding_is_obeyed_and_a_wrong_one_named(tmp_path):
    data = (EXPORTS / "ydelser_dubu_cp1252.csv").read_bytes()
    frame, problems = load(tmp_path, "x.csv", 'encoding = "cp1252"', data=data)
    assert_measures(frame, problems)
    _, problems = load(tmp_path, "y.csv", 'encoding = "utf-8"', data=data)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == [errors[0]] and errors[0].startswith("data/y.csv, række 1: ") and 'encoding = "utf-8"' in errors[0]
    assert "0xE6" in errors[0]  # the æ of "Udtræk" in the title, as Windows-1252 writes it


def test_a_file_that_mixes_utf8_and_windows_1252_is_refused_at_its_line(tmp_path):
    text = (EXPORTS / "ydelser_pipe.csv").read_bytes().replace(b"Sum||", "BU-1004|Børneteam Øst|".encode("cp1252"))
    frame, problems = load(tmp_path, "blandet.csv", data=text)
    assert frame is None
    assert [(p.row, "tegnsæt" in p.message) for p in problems] == [(4, True)]


def test_a_row_with_more_fields_than_the_header_names_line_and_value(tmp_path):
    text = "Sags-ID,Team,Ydelse,Startdato,Beløb i alt\nBU-1,A,Aflastning,2026-01-03,12,5\n"
    _, problems = load(tmp_path, "komma.csv", data=text.encode())
    assert [str(p) for p in problems] == [
        "data/komma.csv, række 2: rækken har 6 felter, men overskriften 5 (første ekstra værdi: '5'). Forventede samme antal "
        "som overskriften: en værdi med skilletegnet i (fx et decimalkomma i en kommasepareret fil) skal stå i anførselstegn."]


def test_a_quote_never_closed_is_named_at_its_line_and_a_stray_one_read_as_written(tmp_path):
    head = "Sags-ID;Team;Ydelse;Startdato;Beløb i alt\n"
    _, problems = load(tmp_path, "a.csv", data=(head + 'BU-1;A;"Aflastning;2026-01-03;12,5\nBU-2;A;X;2026-01-03;1\n').encode())
    assert [(p.row, p.severity, "lukkes aldrig" in p.message) for p in problems] == [(2, "error", True)]
    frame, problems = load(tmp_path, "b.csv", data=(head + 'BU-1;A;"Solsikken" ApS;2026-01-03;12,5\n').encode())
    assert not [p for p in problems if p.severity == "error"] and frame["ydelse"].tolist() == ["Solsikken ApS"]


def test_a_separator_can_be_named(tmp_path):
    text = "Sags-ID;Team;Ydelse;Startdato;Beløb i alt\nBU-1;A;Aflastning;2026-01-03;12,5\n"
    frame, problems = load(tmp_path, "tab.csv", 'sep = "tab"', data=text.replace(";", "\t").encode())
    assert not [p for p in problems if p.severity == "error"] and frame["beloeb"].tolist() == [12.5]


@pytest.mark.parametrize("end", ["\n", "\r\n", "mixed"])
def test_a_long_export_reads_alike_whatever_its_line_ends(tmp_path, end):
    """A long file without quotes has its rows below the header read at once (load_csv.fast_table); a file whose
    line ends are mixed (a lone carriage return among Windows line ends) is read record by record. Either way
    every row, blank rows and an "I alt" row among them, is read at the line an editor shows it on."""
    lines = ["Udtræk: Ydelser (FIKTIVE DATA)", "", "Sags-ID;Team;Ydelse;Startdato;Beløb i alt"]
    lines += [f"BU-{i};Team {i % 3};Aflastning;03-01-2026;{i},5" if i % 50 else "" for i in range(1, 300)] + ["I alt;;;;1,0"]
    if end == "mixed":
        text = lines[0] + "\r\n" + lines[1] + "\r" + "\r\n".join(lines[2:]) + "\r\n"  # the blank line ends in a lone CR
    else:
        text = end.join(lines) + end
    frame, problems = load(tmp_path, "lang.csv", data=text.encode())
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    assert [p.row for p in problems if "I alt" in p.message] == [303]
    expected = [(number + 3, f"BU-{number}") for number in range(1, 300) if number % 50]
    assert list(zip(frame.attrs["lines"], frame["sags_id"])) == expected
    assert frame["beloeb"].tolist()[:2] == [1.5, 2.5]


@pytest.mark.parametrize("quoted", [False, True])
def test_a_cell_longer_than_the_csv_modules_limit_is_read(tmp_path, quoted):
    """A free text of 200,000 characters in one cell (over the csv module's 128 KB limit) is read, not taken for a
    file without rows, with quotes and without."""
    note = ("Lang note " * 20_000).strip()
    text = "Sags-ID;Team;Ydelse;Startdato;Beløb i alt;Note\n" + f"BU-1;A;X;03-01-2026;1;{chr(34) + note + chr(34) if quoted else note}\nBU-2;A;X;03-01-2026;2;kort\n"
    frame, problems = load(tmp_path, "lang_note.csv", data=text.encode())
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    assert frame["note"].tolist() == [note, "kort"] and list(frame.attrs["lines"]) == [2, 3]


def test_a_separator_of_more_than_one_character_and_a_header_row_past_the_end_are_named(tmp_path):
    text = "Sags-ID;Team;Ydelse;Startdato;Beløb i alt\nBU-1;A;X;03-01-2026;1\n"
    _, problems = load(tmp_path, "a.csv", 'sep = "::"', data=text.encode())
    assert [("ikke ét tegn" in p.message, "TypeError" in p.message) for p in problems] == [(True, False)]
    _, problems = load(tmp_path, "b.csv", "header_row = 9999", data=text.encode())
    assert [("header_row = 9999" in p.message and "sidste række er 2" in p.message) for p in problems] == [True]
    book = openpyxl.Workbook()
    for row in (["Sags-ID", "Team", "Ydelse", "Startdato", "Beløb i alt"], ["BU-1", "A", "X", "03-01-2026", 1]):
        book.active.append(row)
    book.save(tmp_path / "c.xlsx")
    _, problems = load(tmp_path, "c.xlsx", "header_row = 9999", data=(tmp_path / "c.xlsx").read_bytes())
    assert [("header_row = 9999" in p.message and "sidste række er 2" in p.message) for p in problems] == [True]


def test_a_setting_the_file_does_not_read_is_named_not_ignored(tmp_path):
    """sheet = "Ydelser" on a CSV file, or sep and encoding on a workbook, would silently make no difference: a
    warning names each, and the rows are read as ever."""
    text = "Sags-ID;Team;Ydelse;Startdato;Beløb i alt\nBU-1;A;X;03-01-2026;1\n"
    frame, problems = load(tmp_path, "a.csv", 'sheet = "Ydelser"', data=text.encode())
    assert [(p.severity, p.file, "[sources.ydelser] sheet = \"Ydelser\" bruges ikke" in p.message) for p in problems] == [
        ("warning", "lisite.toml", True)]
    assert list(frame["sags_id"]) == ["BU-1"]
    book = openpyxl.Workbook()
    for row in (["Sags-ID", "Team", "Ydelse", "Startdato", "Beløb i alt"], ["BU-1", "A", "X", "03-01-2026", 1]):
        book.active.append(row)
    book.save(tmp_path / "c.xlsx")
    _, problems = load(tmp_path, "c.xlsx", 'sep = ","\nencoding = "cp1252"', data=(tmp_path / "c.xlsx").read_bytes())
    assert sorted(p.message.split(" bruges")[0] for p in problems) == [
        '[sources.ydelser] encoding = "cp1252"', '[sources.ydelser] sep = ","']
    _, problems = load(tmp_path, "d.csv", 'sep = ";"', data=text.encode())
    assert problems == []


def test_a_header_named_far_down_is_found_there(tmp_path):
    text = "".join(f"Note {i}\n" for i in range(60)) + "Sags-ID;Team;Ydelse;Startdato;Beløb i alt\nBU-1;A;X;03-01-2026;2\n"
    frame, problems = load(tmp_path, "noter.csv", "header_row = 61", data=text.encode())
    assert not [p for p in problems if p.severity == "error"] and list(frame.attrs["lines"]) == [62]


def test_an_end_date_of_31_12_9999_is_an_open_case_and_a_start_in_year_1_an_error(tmp_path):
    """Many case systems write "no end date" as 31-12-9999 (or 9999-12-31): it reads as no date, with one warning for the
    column naming the rows; in a column that must have a date, a date outside the years lisite counts with is an
    error naming its row."""
    head = "Sags-ID;Team;Målgruppe;Start;Slut\n"
    frame, problems = load(tmp_path, "sager.csv", spec=SAGER, data=(head + "BU-1;A;Udsatte;03-01-2026;31-12-9999\n"
                                                                     "BU-2;A;Udsatte;2026-01-05;9999-12-31\nBU-3;A;Udsatte;03-01-2026;\n").encode())
    assert [(p.severity, p.row, p.column, "læses som ingen dato" in p.message) for p in problems] == [("warning", 2, "slut", True)]
    assert "2 rækker" in str(problems[0]) and "'31-12-9999' (række 2), '9999-12-31' (række 3)" in str(problems[0])  # one warning
    assert frame["slut"].isna().all() and frame["start"].notna().all()
    _, problems = load(tmp_path, "sager2.csv", spec=SAGER, data=(head + "BU-1;A;Udsatte;01-01-0001;\n").encode())
    assert [(p.severity, p.row, p.column) for p in problems] == [("error", 2, "start")]
    assert "mellem 1678 og 2261" in problems[0].message


# --- numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written, decimal, value", [
    ("1.234,50", ",", 1234.5), ("1,234.50", ",", 1234.5), ("1234,5", ".", 1234.5), ("1234.5", ",", 1234.5),
    ("1 234,5", ",", 1234.5), ("1.234.567", ".", 1234567.0), ("−12,5", ",", -12.5), ("0.123", ",", 0.123),
    ("1.234", ",", 1234.0), ("1.234", ".", 1.234), ("1,234", ",", 1.234), ("1,234", ".", 1234.0), ("1.5E+04", ",", 15000.0),
])
def test_numbers_in_every_form_an_export_writes(written, decimal, value):
    values, bad, ambiguous = read_numbers(pd.Series([written]), decimal)
    assert values.tolist() == [value] and not bad.any() and not ambiguous.any()


def test_a_number_that_reads_two_ways_follows_its_column_or_is_reported():
    values, _, _ = read_numbers(pd.Series(["1.234", "12,5"]), ".")
    assert values.tolist() == [1234.0, 12.5]  # the column shows a decimal comma
    values, _, _ = read_numbers(pd.Series(["1,234", "12.5"]), ",")
    assert values.tolist() == [1234.0, 12.5]  # the column shows a decimal point
    values, bad, ambiguous = read_numbers(pd.Series(["1.234", "12,5", "12.5", "x"]), ",")
    assert ambiguous.tolist() == [True, False, False, False] and bad.tolist() == [False, False, False, True]


def test_an_ambiguous_number_is_an_error_at_its_row_and_column(tmp_path):
    text = "Sags-ID;Team;Ydelse;Startdato;Beløb i alt\nBU-1;A;Aflastning;2026-01-03;1.234\nBU-2;A;Aflastning;2026-01-03;12,5\nBU-3;A;Aflastning;2026-01-03;12.5\n"
    _, problems = load(tmp_path, "blandet.csv", data=text.encode())
    errors = [str(p) for p in problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].startswith("data/blandet.csv, række 2, kolonne 'Beløb i alt' (beloeb): tallet kan læses på to måder")


# --- Excel --------------------------------------------------------------------------------------------


def test_a_named_sheet_with_title_rows_merged_cells_serial_dates_and_text_numbers(tmp_path):
    frame, problems = load(tmp_path, "ydelser.xlsx", 'sheet = "Ydelser"')
    assert_measures(frame, problems, ids=("BU-1001", "BU-1003", "BU-1002"))
    assert figures(frame, "takst") == RATES  # stored as text: "1.234,50"
    assert figures(frame, "team")["BU-1003"] == "Børneteam Øst"  # merged down from the row above
    assert frame.attrs["lines"] == (5, 6, 7)  # the sheet's own row numbers
    totals = [p for p in problems if "sumrække" in p.message]
    assert [(p.row, p.file) for p in totals] == [(8, "data/ydelser.xlsx")]
    assert frame.attrs["extracted"] == "2026-09-30"  # from the merged title


def test_a_header_over_two_rows_with_a_group_title(tmp_path):
    frame, problems = load(tmp_path, "ydelser.xlsx", 'sheet = "Sager"', spec=SAGER)
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    assert [f"{d:%Y-%m-%d}" for d in frame["start"]] == ["2026-01-03", "2023-03-15"]
    assert frame["slut"].isna().tolist() == [True, False] and f"{frame['slut'].iloc[1]:%d-%m-%Y}" == "31-12-2025"
    assert frame.attrs["lines"] == (4, 5)


def test_a_file_that_is_not_a_workbook_is_named_as_such(tmp_path):
    """A CSV file (or a damaged download) configured as a workbook: a clear problem, not the zip module's words."""
    _, problems = load(tmp_path, "sager.csv", 'format = "xlsx"', data=b"Sags-ID;Team\nBU-1;A\n")
    assert [(p.severity, "ikke en Excel-projektmappe" in p.message, "BadZipFile" in p.message) for p in problems] == [("error", True, False)]


def test_the_first_sheet_is_read_when_none_is_named(tmp_path):
    _, problems = load(tmp_path, "ydelser.xlsx")
    assert any("mangler kolonne" in p.message for p in problems)  # the cover sheet: no measures on it


def test_a_missing_sheet_is_named_with_the_sheets_there_are(tmp_path):
    frame, problems = load(tmp_path, "ydelser.xlsx", 'sheet = "Ydelsr"')
    assert frame is None
    assert [str(p) for p in problems] == [
        "data/ydelser.xlsx: arket 'Ydelsr' findes ikke i projektmappen. Arkene er: Forside, Ydelser, Sager."]


def excel_loader():
    """The built-in Excel loader's module, as the plugin manager loads it."""
    import importlib.util

    path = Path(builtin_plugin_paths()["load_excel"])
    spec = importlib.util.spec_from_file_location("load_excel_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def every_kind_of_cell(path: Path) -> Path:
    """A workbook starting at C3, with every kind of value a cell holds and a merged range below the last value."""
    import datetime

    import xlsxwriter

    book = xlsxwriter.Workbook(path)
    drawn = book.add_chartsheet("Diagram")  # not a worksheet: neither reader lists it
    ws = book.add_worksheet("Data")
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": "=Data!$E$6:$E$7"})
    drawn.set_chart(chart)
    dates = book.add_format({"num_format": "dd-mm-yyyy"})
    stamps = book.add_format({"num_format": "dd-mm-yyyy hh:mm"})
    times = book.add_format({"num_format": "hh:mm"})
    ws.write("C3", "Udtræk 30-09-2026")
    ws.write_row("C5", ["Sags-ID", "Heltal", "Decimal", "Dato", "Tidspunkt", "Klokken", "Sand", "Tekst", "Formel", "Serie"])
    ws.write_row("C6", ["BU-1", 12, 0.1, None, None, None, True, "  med mellemrum ", None, 45566])
    ws.write_datetime("F6", datetime.datetime(2026, 1, 3), dates)
    ws.write_datetime("G6", datetime.datetime(2026, 1, 3, 13, 45), stamps)
    ws.write_datetime("H6", datetime.datetime(1899, 12, 31, 12, 30), times)
    ws.write_formula("K6", "=D6*2", None, 24)
    ws.write_row("C7", ["BU-2", 10**15, -1e-7, None, None, None, False, "Øst", None, 1.5])
    ws.merge_range("C9:E10", "Flettet over to rækker")
    book.close()
    return path


def test_calamine_and_openpyxl_read_every_kind_of_cell_alike(tmp_path):
    """The fast reader gives the very grid (as text) and merged ranges that openpyxl gives, on every sheet."""
    loader = excel_loader()
    for path in (every_kind_of_cell(tmp_path / "alle.xlsx"), EXPORTS / "ydelser.xlsx"):
        sheets = [ws.title for ws in openpyxl.load_workbook(path).worksheets]
        for sheet in ["", *sheets]:
            fast, exact = (loader.unmerged(*read(path, sheet)) for read in (loader.read_calamine, loader.read_openpyxl))
            assert [[loader._text(v) for v in row] for row in fast[0]] == [[loader._text(v) for v in row] for row in exact[0]]
            assert fast[1] == exact[1]
        assert not loader.holds_errors(path)
    grid, _ = loader.unmerged(*loader.read_calamine(tmp_path / "alle.xlsx", ""))
    assert grid[9][2:5] == ["Flettet over to rækker"] * 3  # row 10: covered by the merge, beyond the last value


def test_an_error_value_in_a_cell_is_named_at_its_row_and_column(tmp_path):
    """Calamine reads ``#DIV/0!`` as an empty cell: a workbook holding one is read so that the error shows."""
    import io

    import xlsxwriter

    raw = io.BytesIO()
    book = xlsxwriter.Workbook(raw, {"in_memory": True})
    ws = book.add_worksheet("Ydelser")
    ws.write_row("A1", ["Sags-ID", "Team", "Ydelse", "Startdato", "Beløb i alt"])
    ws.write_row("A2", ["BU-1", "A", "Aflastning", "2026-01-03", 12.5])
    ws.write_row("A3", ["BU-2", "A", "Aflastning", "2026-01-03"])
    ws.write_formula("E3", "=1/0", None, "#DIV/0!")
    book.close()
    assert excel_loader().holds_errors(io.BytesIO(raw.getvalue()))
    _, problems = load(tmp_path, "fejl.xlsx", data=raw.getvalue())
    errors = [str(p) for p in problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].startswith("data/fejl.xlsx, række 3, kolonne 'Beløb i alt' (beloeb)"), errors
    assert "#DIV/0!" in errors[0]


def test_the_fixtures_are_what_the_generator_writes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_exports", EXPORTS / "make_exports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.write(tmp_path):
        if path.suffix == ".xlsx":  # a workbook carries the time it was saved: compare the cells
            def cells(p):
                return [[c.value for c in row] for ws in openpyxl.load_workbook(p) for row in ws.iter_rows()]
            assert cells(path) == cells(EXPORTS / path.name)
        else:
            assert path.read_bytes() == (EXPORTS / path.name).read_bytes()
