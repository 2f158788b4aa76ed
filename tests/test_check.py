"""``lisite check`` finds every problem in one run: types, declared rules, across datasets, plugin settings."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import lisite
from lisite.build import build
from lisite.check import check
from lisite.cli import main
from lisite.errors import DataError
from lisite.testing import builtin_plugin, load_plugin

from conftest import tiny_config

PLUGIN = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [
        lisite.DatasetSpec("sager", "Sager", (
            lisite.Column("sags_id", "str", person_level=True, unique=True),
            lisite.Column("team", "str"),
            lisite.Column("oprettet", "date"),
            lisite.Column("afsluttet", "date", required=False),
        ), order=(("oprettet", "afsluttet"),)),
        lisite.DatasetSpec("ydelser", "Ydelser", (
            lisite.Column("ydelse_id", "str", unique=True),
            lisite.Column("sags_id", "str", person_level=True, references="sager.sags_id"),
            lisite.Column("pris", "float", min=0),
            lisite.Column("startdato", "date"),
            lisite.Column("slutdato", "date", required=False, planned=True),
        ), order=(("startdato", "slutdato"),)),
        lisite.DatasetSpec("tilsyn", "Tilsyn", (
            lisite.Column("tilsyn_id", "str", unique=True),
            lisite.Column("team", "str", references="sager.team"),
        )),
    ]

@lisite.hookimpl
def lisite_validate(data):
    found = data["ydelser"]
    lines = found.attrs["lines"]
    problems = [lisite.Problem("usædvanlig høj pris", file=found.attrs["file"], row=lines[i], column="pris",
                               severity="warning", dataset="ydelser") for i in found.index[found["pris"] > 1500]]
    problems.append(lisite.Problem("kontrollen så " + ",".join(found["ydelse_id"]), severity="warning"))
    return problems
'''

SAGER = """sags_id;team;oprettet;afsluttet
S-1;Team Syd;01-01-2026;
S-2;Team Nord;05-02-2026;01-01-2026
S-2;Team Nord;10-02-2026;
S-4;Team Ungee;15-10-2026;
"""

YDELSER = """ydelse_id;sags_id;pris;startdato;slutdato
Y-1;S-1;1000;01-02-2026;01-12-2026
Y-2;S-9;-50;01-03-2026;
Y-3;S-1;x;01-03-2026;
Y-4;S-8;2000;01-04-2026;
"""

TILSYN = """tilsyn_id;team
T-1;Team Syd
T-2;Team Vest
"""

SOURCES = """
[sources.sager]
path = "data/sager.csv"
[sources.ydelser]
path = "data/ydelser.csv"
[sources.tilsyn]
path = "data/tilsyn.csv"
"""

FILES = {"plugins/regler.py": PLUGIN, "data/sager.csv": SAGER, "data/ydelser.csv": YDELSER, "data/tilsyn.csv": TILSYN}


@pytest.fixture
def site(make_site):
    return make_site(FILES, config=tiny_config(SOURCES))


@pytest.fixture
def runner():
    return CliRunner()


def find(problems, file, column, severity=None):
    return [p for p in problems if p.file == file and p.column == column and (severity is None or p.severity == severity)]


def test_type_errors_and_rule_problems_in_one_run(site):
    problems = check(site)
    assert [str(p) for p in find(problems, "data/ydelser.csv", "pris", "error")] == [
        "data/ydelser.csv, række 3, kolonne 'pris': forventede et tal på mindst 0 (fik '-50')",
        "data/ydelser.csv, række 4, kolonne 'pris': forventede et tal (fx 1234,5) (fik 'x')",
    ]
    # the plugin's own rule ran although the data had errors ...
    assert [p.row for p in problems if p.message == "usædvanlig høj pris"] == [5]
    # ... on the rows that could be used: not the one with a bad price, not the negative one
    assert "kontrollen så Y-1,Y-4" in [p.message for p in problems]
    assert [p.severity for p in problems] == sorted((p.severity for p in problems), key=["error", "warning"].index)


def test_duplicated_id(site):
    found = find(check(site), "data/sager.csv", "sags_id")
    assert len(found) == 1 and found[0].severity == "warning" and found[0].row == 3
    assert found[0].message.startswith("1 værdi står i mere end én række: 'S-2' (rækkerne 3 og 4)")


def test_end_before_start(site):
    found = find(check(site), "data/sager.csv", "afsluttet")
    assert [str(p) for p in found] == [
        "data/sager.csv, række 3, kolonne 'afsluttet': afsluttet ligger før oprettet; forventede afsluttet samme dag eller "
        "senere (afsluttet 01-01-2026, oprettet 05-02-2026)"
    ]
    assert found[0].severity == "warning"


def test_date_after_the_reporting_period_but_not_a_planned_date(site):
    problems = check(site)
    found = find(problems, "data/sager.csv", "oprettet")
    assert len(found) == 1 and found[0].row == 5 and found[0].severity == "warning"
    assert "ligger efter rapportperiodens slutning 30-09-2026" in found[0].message and "(fik '15-10-2026')" in found[0].message
    assert find(problems, "data/ydelser.csv", "slutdato") == []  # planned: an agreed end date may lie ahead


@pytest.mark.parametrize("extracted, warned", [("2026-09-15", True), ("2026-09-30", False), ("2026-10-02", False), ("", False)])
def test_an_export_taken_before_the_reporting_month_ended_is_named(make_site, extracted, warned):
    """An export of 15 September counts half of September's new cases: the committee would read a fall. The month's
    last day counts as the whole month (the demo's exports are of 30 September)."""
    said = f'extracted = "{extracted}"\n' if extracted else ""
    sources = SOURCES.replace('path = "data/sager.csv"\n', f'path = "data/sager.csv"\n{said}')
    sources = sources.replace('path = "data/tilsyn.csv"\n', f'path = "data/tilsyn.csv"\n{said}')  # no dates: a list
    problems = [p for p in check(make_site(FILES, config=tiny_config(sources))) if "udtrukket" in p.message]
    if not warned:
        assert problems == []
        return
    assert [str(p) for p in problems] == [
        "data/sager.csv: er udtrukket 15-09-2026, før rapportperioden 2026-09 var slut, så tallene for den sidste måned "
        "dækker kun en del af den; forventede et udtræk fra 30-09-2026 eller senere (eller [period] current = \"2026-08\" "
        "i lisite.toml)"]
    assert problems[0].severity == "warning"


@pytest.mark.parametrize("extracted, covered", [("2026-06-30", "2026-06"), ("2026-08-14", "2026-07")])
def test_an_export_taken_before_the_reporting_month_began_stops_the_build(make_site, extracted, covered):
    """A site for September from an export of June would show June's open cases as September's (and October's, with
    a later month set): figures no row can tell. The build stops, names the last month the export covers, and the
    site built before stays; set to that month, the site builds."""
    from conftest import TINY_DATA, TINY_PLUGIN

    dated = TINY_PLUGIN.replace('person_level=True),\n', 'person_level=True),\n        lisite.Column("registreret", "date"),\n')
    rows = TINY_DATA.strip().splitlines()
    data = "\n".join([rows[0] + ";registreret", *(f"{row};15-{row[5:7]}-{row[:4]}" for row in rows[1:])]) + "\n"
    site = make_site({"plugins/tiny.py": dated, "data/tal.csv": data}, config=tiny_config().replace(
        'path = "data/tal.csv"\n', 'path = "data/tal.csv"\nextracted = "2026-09-30"\n'))
    built = build(site).output_dir.joinpath("manifest.json").read_bytes()
    toml = site / "lisite.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("2026-09-30", extracted), encoding="utf-8")
    when = f"{extracted[8:]}-{extracted[5:7]}-{extracted[:4]}"
    with pytest.raises(DataError) as refused:
        build(site)
    said = (f"data/tal.csv: er udtrukket {when}, før rapportperioden 2026-09 begyndte, så den siger intet om 2026-09: "
            "sitet ville vise tal for måneder, udtrækket ikke når; forventede et udtræk fra 30-09-2026 eller senere (eller "
            f'[period] current = "{covered}" i lisite.toml: den sidste måned, udtrækket dækker)')
    assert [(str(p), p.severity) for p in refused.value.problems] == [(said, "error")]
    assert (site / "_site" / "manifest.json").read_bytes() == built
    toml.write_text(toml.read_text(encoding="utf-8").replace('current = "2026-09"', f'current = "{covered}"'), encoding="utf-8")
    assert json.loads(build(site).output_dir.joinpath("manifest.json").read_text(encoding="utf-8"))["period"] == covered


def test_current_auto_is_the_month_before_the_build_and_waits_for_exports_that_reach_its_end(make_site, monkeypatch):
    """A nightly build with [period] current = "auto" moves on to a new month by itself; until every export reaches
    that month's end it stops, and the site built before stays: no page says "data to October" over September's data."""
    import datetime

    from lisite import config as config_module
    from lisite.config import load_config

    from conftest import TINY_DATA, TINY_PLUGIN

    monkeypatch.setattr(config_module, "today", lambda: datetime.date(2026, 10, 3))
    auto = tiny_config().replace('current = "2026-09"', 'current = "auto"')
    dated = TINY_PLUGIN.replace('person_level=True),\n', 'person_level=True),\n        lisite.Column("registreret", "date"),\n')
    rows = TINY_DATA.strip().splitlines()  # each row registered on the 15th of its month: an export of what happened when
    data = "\n".join([rows[0] + ";registreret", *(f"{row};15-{row[5:7]}-{row[:4]}" for row in rows[1:])]) + "\n"
    site = make_site({"plugins/tiny.py": dated, "data/tal.csv": data},
                     config=auto.replace('path = "data/tal.csv"\n', 'path = "data/tal.csv"\nextracted = "2026-09-30"\n'))
    config = load_config(site)
    assert (config.period, config.period_auto) == ("2026-09", True)  # 3 October: September
    built = build(site).output_dir.joinpath("manifest.json").read_bytes()
    assert json.loads(built)["period"] == "2026-09"
    assert CliRunner().invoke(main, ["build", "--site", str(site)]).exit_code == 0  # found unchanged: nothing written
    # a month later: October, and tal.csv is still September's export (the files are the same: not "unchanged")
    monkeypatch.setattr(config_module, "today", lambda: datetime.date(2026, 11, 2))
    stale = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert stale.exit_code == 1 and "er udtrukket 30-09-2026, før 2026-10 var slut" in stale.output, stale.output
    with pytest.raises(DataError) as refused:
        build(site)
    assert [str(p) for p in refused.value.problems] == [
        "data/tal.csv: er udtrukket 30-09-2026, før 2026-10 var slut; med [period] current = \"auto\" i lisite.toml viser "
        "sitet 2026-10, så det venter på et udtræk fra 31-10-2026 eller senere (det site, der er bygget, står urørt)"]
    assert (site / "_site" / "manifest.json").read_bytes() == built
    checked = CliRunner().invoke(main, ["check", "--site", str(site)])  # which month lisite chose, said first
    assert checked.exit_code == 1 and checked.output.startswith(
        'Rapportperioden er oktober 2026 ([period] current = "auto": måneden før den, lisite køres i).\nfejl: data/tal.csv: ')
    # the new export comes: October is built, and September's site goes into the archive
    toml = site / "lisite.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("2026-09-30", "2026-10-31"), encoding="utf-8")
    assert json.loads(build(site).output_dir.joinpath("manifest.json").read_text(encoding="utf-8"))["period"] == "2026-10"
    assert (site / "_site" / "udvalg" / "arkiv" / "2026-09" / "index.html").is_file()
    # an export that does not say when it was taken is named, as a warning: lisite cannot tell whether it reaches the end
    toml.write_text(toml.read_text(encoding="utf-8").replace('extracted = "2026-10-31"\n', ""), encoding="utf-8")
    [undated] = [p for p in check(site) if "siger ikke, hvornår" in p.message]
    assert undated.file == "data/tal.csv" and undated.severity == "warning"
    assert 'extracted = "ÅÅÅÅ-MM-DD" under [sources.tal]' in undated.message


def test_current_auto_misspelt_is_named_with_what_is_allowed(make_site):
    from lisite.config import load_config
    from lisite.errors import ConfigError

    site = make_site(FILES, config=tiny_config(SOURCES).replace('current = "2026-09"', 'current = "Auto"'))
    with pytest.raises(ConfigError, match=r'period.current skal være en måned skrevet ÅÅÅÅ-MM \(fx "2026-09"\) eller "auto"'):
        load_config(site)


GOALS_PLUGIN = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("maal", "Mål", (lisite.Column("indikator", "str", indicator=True), lisite.Column("maal", "float")))]

@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id="t.rettidige", theme="administration", element="organisering", unit="pct", compute=lambda ctx: None)]
'''


def test_a_goal_for_an_indicator_that_does_not_exist_is_named_not_dropped(make_site):
    """A goal whose indicator id is misspelt would silently never be shown: a warning names the rows and the id meant."""
    site = make_site({"plugins/maal.py": GOALS_PLUGIN, "data/maal.csv": "indikator;maal\nt.rettidige;95\nt.retidige;90\nt.retidige;91\n"},
                     config=tiny_config('\n[sources.maal]\npath = "data/maal.csv"\n'))
    found = [p for p in check(site) if p.column == "indikator"]
    assert [(p.severity, p.row) for p in found] == [("warning", 3)]
    assert "'t.retidige'" in found[0].message and "rækkerne 3 og 4" in found[0].message and "'t.rettidige'" in found[0].message


def test_a_goal_a_share_can_never_reach_is_named(make_site):
    """A goal of 250 for a share of children (25,0 was meant) would draw a target line no figure can reach: a warning
    names the value, the indicator and the row. A spending percentage (not counting children) may lie above 100."""
    plugin = GOALS_PLUGIN.replace('lisite.Column("maal", "float")', 'lisite.Column("maal", "float", indicator_value=True)').replace(
        'compute=lambda ctx: None)]', 'compute=lambda ctx: None), lisite.Indicator(id="t.forbrug", theme="oekonomi", '
        'element="oekonomisk_styring", unit="pct", counts=False, compute=lambda ctx: None)]')
    assert "indicator_value=True" in plugin and "t.forbrug" in plugin
    data = "indikator;maal\nt.rettidige;95\nt.rettidige;250\nt.forbrug;105\nt.rettidige;-2,5\n"
    site = make_site({"plugins/maal.py": plugin, "data/maal.csv": data}, config=tiny_config('\n[sources.maal]\npath = "data/maal.csv"\n'))
    found = [p for p in check(site) if p.column == "maal"]
    assert [(p.severity, p.row) for p in found] == [("warning", 3)]
    assert "maal 250, -2,5 for 't.rettidige' (rækkerne 3 og 5)" in found[0].message and "mellem 0 og 100 %" in found[0].message


def test_a_combination_that_names_a_row_twice_is_one_warning(make_site):
    """DatasetSpec(unique=(("aar", "indikator"),)): two goals for one indicator and year would leave it to chance which
    one the committee sees; one warning lists each repeated combination with its rows."""
    plugin = GOALS_PLUGIN.replace('lisite.DatasetSpec("maal", "Mål", (lisite.Column("indikator", "str", indicator=True), lisite.Column("maal", "float")))',
                                  'lisite.DatasetSpec("maal", "Mål", (lisite.Column("aar", "int"), lisite.Column("indikator", "str", indicator=True), '
                                  'lisite.Column("maal", "float")), unique=(("aar", "indikator"),))')
    assert "unique=" in plugin
    data = "aar;indikator;maal\n2025;t.rettidige;95\n2026;t.rettidige;96\n2026;t.rettidige;90\n2026;;80\n2026;;81\n"
    site = make_site({"plugins/maal.py": plugin, "data/maal.csv": data}, config=tiny_config('\n[sources.maal]\npath = "data/maal.csv"\n'))
    found = [p for p in check(site) if "kombination" in p.message]
    assert [(p.severity, p.row, p.column) for p in found] == [("warning", 3, "indikator")]
    assert "'2026 / t.rettidige' (rækkerne 3 og 4)" in found[0].message and "1 kombination af aar / indikator" in found[0].message


def test_unique_names_columns_of_the_dataset():
    with pytest.raises(ValueError, match="unique needs tuples of its own columns"):
        lisite.DatasetSpec("t", "T", (lisite.Column("a"),), unique=(("a", "b"),))


def test_an_indicator_text_whose_name_is_no_indicator_is_named(make_site):
    """content/indikatorer/<id>.md with a misspelt id would silently not be used: a warning names it and the id meant."""
    site = make_site({"plugins/maal.py": GOALS_PLUGIN, "content/indikatorer/t.retidige.md": "+++\ntitle = \"Rettidige\"\n+++\nTekst.",
                      "content/en/indikatorer/t.rettidige.md": "+++\ntitle = \"On time\"\n+++\nText."}, config=tiny_config())
    found = [p for p in check(site) if p.file.startswith("content/")]
    assert [(p.severity, p.file) for p in found] == [("warning", "content/indikatorer/t.retidige.md")]
    assert "'t.retidige' findes ikke" in found[0].message and "'t.rettidige'" in found[0].message


def test_a_content_text_not_saved_as_utf8_is_named_and_one_with_a_byte_order_mark_is_read(tmp_path):
    from lisite.context import Content
    from lisite.errors import BuildError

    (tmp_path / "a.md").write_bytes("Børn".encode("cp1252"))
    (tmp_path / "b.md").write_bytes("\ufeff+++\ntitle = \"Notepad\"\n+++\nTekst".encode("utf-8"))
    content = Content([tmp_path], "da")
    with pytest.raises(BuildError, match=r"content/a.md: filen er ikke gemt som UTF-8 \(tegnet 0xF8 i linje 1\)"):
        content.get("a.md")
    assert content.front("b.md") == {"title": "Notepad"} and content.body("b.md") == "Tekst"


def test_a_pdf_audience_that_is_no_audience_is_a_warning(make_site):
    """The build does not need [pdf]: a site that dropped the audience still builds, and check says what lisite pdf would."""
    site = make_site(config=tiny_config() + '\n[pdf]\naudience = "udvalgt"\n')
    found = [p for p in check(site) if "[pdf]" in p.message]
    assert [(p.severity, p.file) for p in found] == [("warning", "lisite.toml")] and "'udvalgt'" not in found[0].message
    assert '"udvalgt" er ikke en modtagergruppe' in found[0].message


def test_unknown_references_give_one_warning_per_column(site):
    problems = check(site)
    cases = find(problems, "data/ydelser.csv", "sags_id")
    assert len(cases) == 1 and cases[0].severity == "warning" and cases[0].row == 3
    assert cases[0].message.startswith(
        "2 værdier findes ikke i kolonnen sags_id i sager (data/sager.csv): 'S-9' (række 3), 'S-8' (række 5).")
    teams = find(problems, "data/tilsyn.csv", "team")
    assert len(teams) == 1 and "'Team Vest' (række 3)" in teams[0].message


def test_units_not_in_the_organisation_list(make_site):
    config = tiny_config(SOURCES + '\n[organisation]\nteam = ["Team Syd", "Team Nord", "Team Unge", "A", "B", "C"]\n')
    problems = check(make_site(FILES, config=config))
    found = find(problems, "data/sager.csv", "team")
    assert [p.message for p in found] == [
        "'Team Ungee' står ikke på listen over teams i lisite.toml [organisation]; måske 'Team Unge'? (række 5)"
    ]
    assert found[0].severity == "warning"
    assert "'Team Vest' står ikke på listen over teams" in " ".join(p.message for p in problems)


def test_no_organisation_list_means_anything_goes(site):
    assert not [p for p in check(site) if "[organisation]" in p.message]


def test_unknown_plugin_section_is_an_error_with_a_suggestion(make_site):
    config = tiny_config(SOURCES).replace('"frontpage", ', "") + "\n[plugin.fronpage]\nudvalg = []\n"
    problems = [p for p in check(make_site(FILES, config=config)) if p.file == "lisite.toml"]
    assert [(p.severity, p.message) for p in problems] == [
        ("error", "[plugin.fronpage] passer ikke til noget aktivt plugin, så indstillingerne bruges ikke. Måske [plugin.frontpage]?")
    ]


def test_settings_of_a_disabled_plugin_are_a_warning(make_site):
    config = tiny_config(SOURCES) + "\n[plugin.frontpage]\nudvalg = []\n"
    problems = [p for p in check(make_site(FILES, config=config)) if p.file == "lisite.toml"]
    assert [p.severity for p in problems] == ["warning"] and "er slået fra" in problems[0].message


def test_unknown_indicator_id_in_frontpage_is_an_error(make_site):
    config = tiny_config(SOURCES).replace('"frontpage", ', "")
    config += '\n[plugin.frontpage]\nudvalg = ["tiny.antal", "tiny.antall"]\nledere = ["data/x.csv"]\n'
    problems = [p for p in check(make_site(FILES, config=config)) if p.file == "lisite.toml"]
    assert [(p.severity, p.message) for p in problems] == [
        ("error", "[plugin.frontpage] udvalg nævner indikatoren 'tiny.antall', som ikke findes, så den bliver ikke vist; "
                  "måske 'tiny.antal'?")
    ]


def test_build_stops_on_an_unknown_indicator_id(make_site):
    config = tiny_config().replace('"frontpage", ', "") + '\n[plugin.frontpage]\nudvalg = ["tiny.antall"]\n'
    with pytest.raises(DataError, match="tiny.antall"):
        build(make_site(config=config))


def test_cli_prints_problems_then_a_summary_per_file(runner, site):
    result = runner.invoke(main, ["check", "--site", str(site)])
    assert result.exit_code == 1
    out = result.output
    assert "fejl: data/ydelser.csv, række 4, kolonne 'pris': forventede et tal" in out
    assert "advarsel: data/sager.csv, række 3, kolonne 'sags_id': 1 værdi står i mere end én række" in out
    summary = out[out.index("Oversigt:"):]
    assert "  data/sager.csv: 3 advarsler" in summary
    assert "  data/ydelser.csv: 2 fejl, 2 advarsler" in summary
    assert "  data/tilsyn.csv: 1 advarsel" in summary
    assert not (site / "_site").exists()


def test_cli_json_parses_and_has_the_summary(runner, site):
    result = runner.invoke(main, ["check", "--site", str(site), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    files = {row["file"]: row for row in report["summary"]["files"]}
    assert files["data/ydelser.csv"] == {"file": "data/ydelser.csv", "errors": 2, "warnings": 2}
    assert report["summary"]["errors"] == 2
    assert report["summary"]["warnings"] == len(report["problems"]) - 2
    first = report["problems"][0]
    assert {k: first[k] for k in ("severity", "file", "row", "column", "dataset")} == {
        "severity": "error", "file": "data/ydelser.csv", "row": 3, "column": "pris", "dataset": "ydelser"}
    assert first["text"].startswith("data/ydelser.csv, række 3")


def test_cli_json_exit_code_0_without_errors(runner, make_site):
    result = runner.invoke(main, ["check", "--site", str(make_site()), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"problems": [], "summary": {"errors": 0, "warnings": 0, "files": []}}


def test_cli_json_reports_a_config_error_as_a_problem(runner, make_site):
    result = runner.invoke(main, ["check", "--site", str(make_site(config="[site]\ntitel = 'x'\n")), "--format", "json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert len(problems) == 1 and "ukendt nøgle 'site.titel'" in problems[0]["message"]


def test_standard_model_names_no_team_or_area_and_declares_its_rules():
    datasets = load_plugin(builtin_plugin("datasets"))
    specs = {spec.name: spec for spec in datasets.SPECS}
    for spec in specs.values():
        for name in ("team", "omraade"):
            if name in [c.name for c in spec.columns]:
                assert spec.column(name).choices == (), f"{spec.name}.{name}"
    ids = {(s, c) for s, spec in specs.items() for c in (col.name for col in spec.columns if col.unique)}
    assert ids == {("sager", "sags_id"), ("underretninger", "underretning_id"), ("undersoegelser", "undersoegelse_id"),
                   ("ydelser", "ydelse_id"), ("ledelsestilsyn", "tilsyn_id"), ("medarbejdere", "medarbejder_id")}
    assert specs["ydelser"].column("takst").min == 0 and specs["ydelser"].column("pris_pr_maaned").min == 0
    assert specs["budget"].column("forbrug").min is None  # refunds make a month's spending negative
    assert ("startdato", "slutdato") in specs["ydelser"].order and ("oprettet", "afsluttet") in specs["sager"].order
    assert specs["ydelser"].column("sags_id").references == "sager.sags_id"
    assert specs["ledelsestilsyn"].column("team").references == "sager.team"


def test_audience_limited_to_a_unit_the_data_lacks_is_an_error(make_site):
    config = tiny_config(SOURCES).replace('[audiences.ledere]', '[audiences.chef]\ntitle = "Chef"\nlevel = "team"\n'
                                          'filter = { team = "Team Nrd" }\n[audiences.ledere]')
    problems = [p for p in check(make_site(FILES, config=config)) if p.file == "lisite.toml"]
    assert [(p.severity, p.message) for p in problems] == [
        ("error", '[audiences.chef] filter team = "Team Nrd" findes ikke i data (data/sager.csv, data/tal.csv, '
                  "data/tilsyn.csv); måske 'Team Nord'? Gruppen ville få et site uden tal.")
    ]


# --- an English site: every problem lisite words is English ----------------------------------------------

#: Words of lisite's Danish problem messages; none may be in an English site's problems.
DANISH_MESSAGE_WORDS = {"række", "rækkerne", "kolonne", "kolonnen", "forventede", "fik", "findes", "værdi", "værdier",
                        "måske", "står", "ligger", "mangler", "fejl", "advarsel", "advarsler", "listen", "over"}
ORGANISATION = '\n[organisation]\nteam = ["Team Syd", "Team Nord", "Team Unge", "A", "B", "C"]\n'


def english(config: str) -> str:
    return config.replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"', 1)


@pytest.fixture
def english_site(make_site):
    from conftest import TINY_DATA

    files = {**FILES, "data/tal.csv": TINY_DATA.replace("2026-07;B;2;", "2026-07;B;ti;")}  # "ti" is not a whole number
    return make_site(files, config=english(tiny_config(SOURCES + ORGANISATION)))


def test_an_english_sites_problems_are_english(english_site):
    problems = check(english_site)
    assert [str(p) for p in find(problems, "data/tal.csv", "antal")] == [
        "data/tal.csv, row 3, column 'antal': expected a whole number (e.g. 2024) (got 'ti')"]
    assert [str(p) for p in find(problems, "data/ydelser.csv", "pris", "error")] == [
        "data/ydelser.csv, row 3, column 'pris': expected a number of at least 0 (got '-50')",
        "data/ydelser.csv, row 4, column 'pris': expected a number (e.g. 1234.5) (got 'x')",
    ]
    assert find(problems, "data/sager.csv", "sags_id")[0].message.startswith(
        "1 value is in more than one row: 'S-2' (rows 3 and 4). Expected each value only once")
    assert find(problems, "data/ydelser.csv", "sags_id")[0].message.startswith(
        "2 values are not in the column sags_id of sager (data/sager.csv): 'S-9' (row 3), 'S-8' (row 5).")
    assert [p.message for p in find(problems, "data/sager.csv", "team")] == [
        "'Team Ungee' is not on the list of teams in lisite.toml [organisation]; did you mean 'Team Unge'? (row 5)"]
    [late] = find(problems, "data/sager.csv", "oprettet")
    assert late.message.startswith("is after the end of the reporting period 30-09-2026")
    assert str(find(problems, "data/sager.csv", "afsluttet")[0]).startswith(
        "data/sager.csv, row 3, column 'afsluttet': afsluttet is before oprettet; expected afsluttet on the same day or later")
    own = [p for p in problems if p.message != "usædvanlig høj pris" and not p.message.startswith("kontrollen så")]
    danish = {str(p): sorted(set(re.findall(r"\w+", str(p).lower())) & DANISH_MESSAGE_WORDS) for p in own}
    assert {text: found for text, found in danish.items() if found} == {}
    assert len(own) == 10


def test_an_english_sites_settings_and_mapping_problems_are_english(make_site):
    config = english(tiny_config('[sources.tal.columns]\nteam = "Hold"\n[sources.bogus]\npath = "x.csv"\n'))
    config = config.replace('"frontpage", ', "") + '\n[plugin.frontpage]\nudvalg = ["tiny.antall"]\n[plugin.fronpage]\nx = 1\n'
    problems = check(make_site(config=config))
    assert sorted(p.message for p in problems) == [
        "[plugin.fronpage] matches no active plugin, so its settings are not used. Did you mean [plugin.frontpage]?",
        "[plugin.frontpage] udvalg names the indicator 'tiny.antall', which does not exist, so it is not shown; "
        "did you mean 'tiny.antal'?",
        "[sources.bogus] matches no dataset. Known datasets: tal.",
        "missing column(s) team. Found: maaned, team, antal, sags_id. [sources.tal.columns] team = \"Hold\" is not in "
        "the file (did you mean 'team'?).",
    ]


def test_cli_check_of_an_english_site_is_english(runner, english_site):
    result = runner.invoke(main, ["check", "--site", str(english_site)])
    assert result.exit_code == 1
    out = result.output
    assert "error: data/tal.csv, row 3, column 'antal': expected a whole number (e.g. 2024) (got 'ti')" in out
    assert "warning: data/sager.csv, row 3, column 'sags_id': 1 value is in more than one row" in out
    summary = out[out.index("Summary:"):]
    assert "  data/ydelser.csv: 2 errors, 2 warnings" in summary
    assert "  data/tilsyn.csv: 2 warnings" in summary and "  data/tal.csv: 1 error\n" in summary
    assert out.strip().splitlines()[-1] == "Error: 3 errors, 9 warnings found."
    report = json.loads(runner.invoke(main, ["check", "--site", str(english_site), "--format", "json"]).stdout)
    assert report["problems"][0]["text"] == "data/tal.csv, row 3, column 'antal': expected a whole number (e.g. 2024) (got 'ti')"


def test_build_of_an_english_site_stops_with_english_problems(make_site):
    from conftest import TINY_DATA

    site = make_site({"data/tal.csv": TINY_DATA.replace("2026-07;B;2;", "2026-07;B;ti;")}, config=english(tiny_config()))
    with pytest.raises(DataError) as stopped:
        build(site)
    assert str(stopped.value.message) == (
        "A problem in the data:\n  data/tal.csv, row 3, column 'antal': expected a whole number (e.g. 2024) (got 'ti')")
