"""Each source maps its own headers and values to the data model: [sources.<name>.columns] and .values."""

from __future__ import annotations

import pandas as pd
import pytest

from lisite.build import build
from lisite.check import check
from lisite.config import load_config
from lisite.data import load_all
from lisite.errors import ConfigError, DataError
from lisite.plugins import make_plugin_manager
from conftest import tiny_config

CASES = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("sager", "Sager", (
        lisite.Column("sags_id", "str", person_level=True, unique=True),
        lisite.Column("koen", "str", choices=("Dreng", "Pige")),
        lisite.Column("team", "str"),
        lisite.Column("oprettet", "date"),
        lisite.Column("tvang", "bool"),
    ), required=False)]
'''

EXPORT = """Udtræk fra Fagsystem pr. 30-09-2026
Sags-ID;Køn;TEAM ; Oprettet dato;Tvang;Ekstra
S-1;M;Team Syd;03-01-2026;J;a
S-2;K;Team Nord;2026-02-04;N;b
"""

MAPPING = """
[sources.sager]
path = "data/sager.csv"

[sources.sager.columns]
sags_id = "Sags-ID"
koen = "køn"
oprettet = "Oprettet dato"

[sources.sager.values.koen]
M = "Dreng"
K = "Pige"

[sources.sager.values.tvang]
J = "Ja"
N = "Nej"
"""


def load(site):
    config = load_config(site)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    specs = [spec for specs in pm.hook.lisite_datasets(config=config) for spec in specs]
    return load_all(config, specs, pm.hook.lisite_load_source)


def test_mapped_headers_and_values_build_the_model_frame(make_site):
    site = make_site({"plugins/cases.py": CASES, "data/sager.csv": EXPORT}, config=tiny_config(MAPPING))
    loaded = load(site)
    assert [p for p in loaded.problems if p.severity == "error"] == []
    frame = loaded.frames["sager"]
    assert list(frame.columns[:5]) == ["sags_id", "koen", "team", "oprettet", "tvang"]
    assert list(frame["sags_id"]) == ["S-1", "S-2"]
    assert list(frame["koen"]) == ["Dreng", "Pige"]  # values translated before the choices are checked
    assert list(frame["team"]) == ["Team Syd", "Team Nord"]  # "TEAM " matched: case and spaces ignored
    assert list(frame["oprettet"]) == [pd.Timestamp("2026-01-03"), pd.Timestamp("2026-02-04")]
    assert list(frame["tvang"]) == [True, False]
    assert list(frame["Ekstra"]) == ["a", "b"]  # other columns go along
    assert list(frame.attrs["lines"]) == [3, 4]  # the title line above the mapped header was skipped
    assert loaded.datasets["sager"].extracted == "2026-09-30"


def test_problem_names_the_files_own_header(make_site):
    export = EXPORT.replace("03-01-2026", "3. januar")
    site = make_site({"plugins/cases.py": CASES, "data/sager.csv": export}, config=tiny_config(MAPPING))
    with pytest.raises(DataError) as err:
        build(site)
    assert "data/sager.csv, række 3, kolonne 'Oprettet dato' (oprettet): forventede en dato" in err.value.format_message()


def test_unmapped_value_suggests_a_values_table(make_site):
    config = tiny_config(MAPPING.replace('M = "Dreng"\n', ""))
    site = make_site({"plugins/cases.py": CASES, "data/sager.csv": EXPORT}, config=config)
    problems = [str(p) for p in check(site)]
    wrong = [p for p in problems if "forventede en af: Dreng, Pige (fik 'M')" in p]
    assert len(wrong) == 1
    assert "[sources.sager.values.koen]" in wrong[0] and '"M" = "' in wrong[0]


def test_wrong_headers_name_missing_columns_and_suggest_the_closest(make_site):
    config = tiny_config('\n[sources.sager]\npath = "data/sager.csv"\n')
    site = make_site({"plugins/cases.py": CASES, "data/sager.csv": EXPORT}, config=config)
    problems = [p for p in check(site) if p.file == "data/sager.csv"]
    assert len(problems) == 1
    text = problems[0].message
    assert text.startswith("mangler kolonne(r) sags_id, koen, oprettet.")
    assert "Fundet: Sags-ID, Køn, TEAM, Oprettet dato, Tvang, Ekstra" in text
    assert "mangler kolonnen sags_id (måske 'Sags-ID'?)" in text
    assert "mangler kolonnen koen (måske 'Køn'?)" in text
    assert 'Tilføj [sources.sager.columns] sags_id = "Sags-ID", koen = "Køn", oprettet = "Oprettet dato"' in text


def test_header_below_a_title_is_found_when_no_header_matches(make_site):
    export = EXPORT.replace("TEAM ", "Afdeling").replace("Tvang", "Tvang (j/n)")
    config = tiny_config('\n[sources.sager]\npath = "data/sager.csv"\n')
    site = make_site({"plugins/cases.py": CASES, "data/sager.csv": export}, config=config)
    text = " ".join(p.message for p in check(site) if p.file == "data/sager.csv")
    assert "Fundet: Sags-ID, Køn, Afdeling, Oprettet dato, Tvang (j/n), Ekstra" in text
    assert "mangler kolonnen tvang (måske 'Tvang (j/n)'?)" in text


def test_mapping_to_a_header_the_file_lacks_is_named(make_site):
    config = tiny_config(MAPPING.replace('sags_id = "Sags-ID"', 'sags_id = "Sagsnummer"'))
    site = make_site({"plugins/cases.py": CASES, "data/sager.csv": EXPORT}, config=config)
    text = " ".join(p.message for p in check(site))
    assert '[sources.sager.columns] sags_id = "Sagsnummer" findes ikke i filen (måske \'Sags-ID\'?)' in text


def test_mapping_an_unknown_model_column_is_an_error(make_site):
    config = tiny_config(MAPPING.replace('koen = "køn"', 'koen = "køn"\nkoenn = "Køn"'))
    site = make_site({"plugins/cases.py": CASES, "data/sager.csv": EXPORT}, config=config)
    problems = [p for p in check(site) if p.file == "lisite.toml"]
    assert len(problems) == 1 and problems[0].severity == "error"
    assert "[sources.sager.columns] nævner 'koenn', som ikke er en kolonne i datasættet sager (måske 'koen'?)" in problems[0].message


def test_excel_sheet_with_title_row_and_mapped_headers(make_site):
    site = make_site({"plugins/cases.py": CASES}, config=tiny_config(MAPPING.replace("sager.csv", "sager.xlsx")))
    rows = [["Udtræk fra Fagsystem", "", "", "", ""], ["Sags-ID", "Køn", "Team", "Oprettet dato", "Tvang"],
            ["S-1", "K", "Team Syd", pd.Timestamp("2026-03-01"), "N"]]
    pd.DataFrame(rows).to_excel(site / "data" / "sager.xlsx", header=False, index=False)
    loaded = load(site)
    assert [p for p in loaded.problems if p.severity == "error"] == []
    frame = loaded.frames["sager"]
    assert frame.loc[0, "koen"] == "Pige" and frame.loc[0, "oprettet"] == pd.Timestamp("2026-03-01")
    assert list(frame.attrs["lines"]) == [3]


@pytest.mark.parametrize(
    "table, message",
    [
        ('[sources.sager]\npath = "x.csv"\nkolonner = {}\n', "ukendt nøgle 'sources.sager.kolonner'"),
        ('[sources.sager]\npath = "x.csv"\n[sources.sager.columns]\nsags_id = 3\n',
         "sources.sager.columns.sags_id skal være overskriften i filen som tekst"),
        ('[sources.sager]\npath = "x.csv"\n[sources.sager.values]\nkoen = "M"\n', "sources.sager.values.koen skal være en tabel"),
        ('[sources.sager]\npath = "x.csv"\n[sources.sager.values.koen]\nM = 1\n', "sources.sager.values.koen.M skal være en tekst"),
        ('[organisation]\nteam = "Team Syd"\n', "organisation.team skal være liste"),
        ('[organisation]\nteams = ["Team Syd"]\n', "ukendt nøgle 'organisation.teams'"),
    ],
)
def test_mapping_and_organisation_keys_are_checked(make_site, table, message):
    site = make_site(config=tiny_config(table))
    with pytest.raises(ConfigError, match=message):
        load_config(site)
