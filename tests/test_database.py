"""Database sources without a server: an SQLite file read through SQLAlchemy, typed exactly as a CSV export.

The same measurements are written once as a semicolon CSV (decimal comma, Danish dates, empty fields)
and once as an SQLite table with real column types (INTEGER, NUMERIC, DATE, TIMESTAMP, BOOLEAN, NULL)
under other column names, mapped with ``[sources.x.columns]``. Both must give the same typed frame.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from lisite.config import load_config
from lisite.data import load_all
from lisite.errors import ConfigError
from lisite.plugins import make_plugin_manager
from conftest import tiny_config

SPECS = '''
import lisite

COLUMNS = (
    lisite.Column("maaling_id", "str", person_level=True, unique=True),
    lisite.Column("antal", "int", required=False),
    lisite.Column("beloeb", "float", required=False),
    lisite.Column("dato", "date", required=False),
    lisite.Column("tidspunkt", "datetime", required=False),
    lisite.Column("aktiv", "bool", required=False),
    lisite.Column("team", "str", required=False),
)

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec(name, name, COLUMNS, required=False) for name in ("fra_fil", "fra_db", "fra_sql")]
'''

CSV = """maaling_id;antal;beloeb;dato;tidspunkt;aktiv;team
M-1;3;1.234,50;03-01-2026;03-01-2026 08:15;Ja;Team Syd
M-2;;;;;;
M-3;-7;0,1;29-02-2024;29-02-2024 23:59;Nej;Team Nord
M-4;120000;99999999,99;31-12-2025;31-12-2025 00:00;Ja;
"""

ROWS = [  # the same rows, as a database holds them
    ("M-1", 3, "1234.50", "2026-01-03", "2026-01-03 08:15:00", 1, "Team Syd"),
    ("M-2", None, None, None, None, None, None),
    ("M-3", -7, "0.10", "2024-02-29", "2024-02-29 23:59:00", 0, "Team Nord"),
    ("M-4", 120000, "99999999.99", "2025-12-31", "2025-12-31 00:00:00", 1, None),
]

SOURCES = """
[sources.fra_fil]
path = "data/maalinger.csv"

[sources.fra_db]
path = "data/fagsystem.sqlite"
table = "maalinger"
row_number = "nr"

[sources.fra_db.columns]
maaling_id = "MaalingID"
beloeb = "Beløb"
tidspunkt = "Registreret"

[sources.fra_sql]
path = "data/fagsystem.sqlite"
query = "SELECT MaalingID AS maaling_id, antal, \\"Beløb\\" AS beloeb, dato, Registreret AS tidspunkt, aktiv, team FROM maalinger ORDER BY nr"
"""


def write_db(path: Path, rows=ROWS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute('CREATE TABLE maalinger (nr INTEGER, MaalingID TEXT, antal INTEGER, "Beløb" NUMERIC(12, 2), '
                     "dato DATE, Registreret TIMESTAMP, aktiv BOOLEAN, team TEXT)")
        # stored out of order: the rows are read in the order of nr, numbered as the file's lines (header = line 1)
        conn.executemany("INSERT INTO maalinger VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [(i + 2, *row) for i, row in reversed(list(enumerate(rows)))])


def load(site: Path):
    config = load_config(site)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    specs = [spec for found in pm.hook.lisite_datasets(config=config) for spec in found]
    return load_all(config, specs, pm.hook.lisite_load_source)


@pytest.fixture
def db_site(make_site):
    site = make_site({"plugins/maalinger.py": SPECS, "data/maalinger.csv": CSV}, config=tiny_config(SOURCES))
    write_db(site / "data" / "fagsystem.sqlite")
    return site


def test_a_table_and_a_query_are_typed_as_the_csv_export(db_site):
    loaded = load(db_site)
    assert [str(p) for p in loaded.problems if p.dataset.startswith("fra_")] == []
    csv = loaded.datasets["fra_fil"].frame
    assert csv["beloeb"].tolist()[0] == 1234.5 and pd.isna(csv["antal"][1])  # the CSV path itself, for reference
    for name in ("fra_db", "fra_sql"):
        frame = loaded.datasets[name].frame
        pd.testing.assert_frame_equal(frame, csv)  # values, NULLs and dtypes (Int64, float64, datetime64, boolean)
    assert tuple(loaded.datasets["fra_db"].frame.attrs["lines"]) == tuple(csv.attrs["lines"]) == (2, 3, 4, 5)
    assert tuple(loaded.datasets["fra_sql"].frame.attrs["lines"]) == (1, 2, 3, 4)  # a query's rows as it orders them
    assert str(csv["tidspunkt"].dtype).startswith("datetime64") and str(csv["antal"].dtype) == "Int64"
    assert str(csv["aktiv"].dtype) == "boolean" and csv["aktiv"].isna().tolist() == [False, True, False, False]


def test_a_bad_value_in_the_database_is_reported_with_its_row_number(make_site):
    rows = [*ROWS[:2], ("M-3", 5, "mange", "2024-02-30", None, None, None)]  # SQLite keeps text in any column
    site = make_site({"plugins/maalinger.py": SPECS, "data/maalinger.csv": CSV}, config=tiny_config(SOURCES))
    write_db(site / "data" / "fagsystem.sqlite", rows)
    problems = [p for p in load(site).problems if p.dataset == "fra_db"]
    said = {(p.row, p.column): p.message for p in problems}
    assert set(said) == {(4, "beloeb"), (4, "dato")}  # nr 4: the third row, numbered by the row_number column
    assert "'mange'" in said[(4, "beloeb")] and "'2024-02-30'" in said[(4, "dato")]
    assert all(p.file == "data/fagsystem.sqlite" and p.header in ("Beløb", "") for p in problems)


def test_a_label_names_the_source_on_pages_and_in_messages(make_site):
    sources = SOURCES.replace('table = "maalinger"', 'table = "maalinger"\nlabel = "Fagsystemet, tabel maalinger"')
    site = make_site({"plugins/maalinger.py": SPECS, "data/maalinger.csv": CSV}, config=tiny_config(sources))
    write_db(site / "data" / "fagsystem.sqlite")
    loaded = load(site)
    assert loaded.datasets["fra_db"].path == "Fagsystemet, tabel maalinger"
    assert loaded.datasets["fra_sql"].path == "data/fagsystem.sqlite"


def test_a_whole_table_without_row_numbers_is_read_in_the_order_of_its_values(make_site):
    sources = SOURCES.replace('row_number = "nr"\n', "")
    site = make_site({"plugins/maalinger.py": SPECS, "data/maalinger.csv": CSV}, config=tiny_config(sources))
    write_db(site / "data" / "fagsystem.sqlite")  # inserted last row first
    frame = load(site).datasets["fra_db"].frame
    assert frame["maaling_id"].tolist() == ["M-1", "M-2", "M-3", "M-4"]
    assert tuple(frame.attrs["lines"]) == (1, 2, 3, 4)


@pytest.mark.parametrize("change, expected", [
    (('table = "maalinger"', 'table = "maalingerne"'),
     ["sources.fra_db", "ingen tabel maalingerne", "Forventede en af: maalinger"]),
    (('query = "SELECT MaalingID', 'query = "SELEKT MaalingID'),
     ["sources.fra_sql", "kunne ikke køre forespørgslen «SELEKT MaalingID", "syntax error"]),
    (('FROM maalinger ORDER BY nr', 'FROM maalinger WHERE nr < 0'),
     ["sources.fra_sql", "forespørgslen «SELECT MaalingID", "WHERE nr < 0» gav ingen rækker"]),
    (('row_number = "nr"', 'row_number = "linje"'),
     ["sources.fra_db", "tabellen maalinger har ingen kolonne linje (row_number)", "Kolonnerne er: nr, MaalingID"]),
])
def test_errors_name_the_source_and_the_table_or_query(make_site, change, expected):
    site = make_site({"plugins/maalinger.py": SPECS, "data/maalinger.csv": CSV}, config=tiny_config(SOURCES.replace(*change)))
    write_db(site / "data" / "fagsystem.sqlite")
    loaded = load(site)
    errors = [str(p) for p in loaded.problems if p.severity == "error"]
    assert len(errors) == 1, errors
    for words in expected:
        assert words in errors[0]


def test_a_database_error_is_worded_in_the_sites_language(make_site):
    config = tiny_config(SOURCES.replace('table = "maalinger"', 'table = "nope"')).replace('name = "Svendborg"', 'name = "Svendborg"\n[site]\nlanguage = "en"', 1)
    config = config.replace('[site]\ntitle = "Testsite"\n', '', 1)
    site = make_site({"plugins/maalinger.py": SPECS, "data/maalinger.csv": CSV}, config=config)
    write_db(site / "data" / "fagsystem.sqlite")
    errors = [str(p) for p in load(site).problems if p.severity == "error"]
    assert len(errors) == 1 and "sources.fra_db: the database data/fagsystem.sqlite has no table nope. Expected one of: maalinger." in errors[0]


def test_the_sqlite_file_is_opened_read_only(db_site):
    path = db_site / "data" / "fagsystem.sqlite"
    before = path.read_bytes()
    sources = SOURCES.replace('query = "SELECT', 'query = "DELETE FROM maalinger; SELECT')
    (db_site / "lisite.toml").write_text(tiny_config(sources), encoding="utf-8")
    problems = [str(p) for p in load(db_site).problems if p.dataset == "fra_sql"]
    assert problems and "sources.fra_sql" in problems[0]
    assert path.read_bytes() == before


def test_a_live_database_may_be_dated_the_day_it_is_read(make_site, monkeypatch, tmp_path):
    import datetime

    write_db(tmp_path / "fagsystem.sqlite")
    monkeypatch.setenv("LISITE_TEST_FAGSYSTEM", str(tmp_path / "fagsystem.sqlite"))
    sources = 'url = "sqlite:///${LISITE_TEST_FAGSYSTEM}"\ntable = "maalinger"\nrow_number = "nr"\nextracted = "today"\n'
    config = tiny_config(f"\n[sources.fra_db]\n{sources}\n[sources.fra_db.columns]\nmaaling_id = \"MaalingID\"\n"
                         'beloeb = "Beløb"\ntidspunkt = "Registreret"\n')
    site = make_site({"plugins/maalinger.py": SPECS}, config=config)
    dataset = load(site).datasets["fra_db"]
    assert dataset.extracted == datetime.date.today().isoformat()
    assert dataset.path == "maalinger" and len(dataset.frame) == 4  # named by its table; no file in the site
    (site / "lisite.toml").write_text(config.replace('url = "sqlite:///${LISITE_TEST_FAGSYSTEM}"\n', 'path = "x.sqlite"\n'),
                                      encoding="utf-8")
    with pytest.raises(ConfigError, match="gælder kun for en database-kilde"):
        load_config(site)
