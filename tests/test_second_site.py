"""The second synthetic municipality: a whole site shaped differently from the demo (files, headers, config)."""

from __future__ import annotations

import calendar
import functools
import re
import tomllib
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lisite import testing
from lisite.check import check
from lisite.config import load_config, parse_config
from lisite.sampledata import second_site
from lisite.sampledata import second as anden
from lisite.sampledata.measures import BUDGET_FUNCTION, PRICE_RANGES
from lisite.sampledata.staff import TEAM_AREA as DEMO_TEAM_AREA

REPO = Path(__file__).resolve().parents[1]
SPECS = {s.name: s for s in testing.load_plugin(testing.builtin_plugin("datasets")).SPECS}
measures_plugin = testing.load_plugin(REPO / "plugins" / "model" / "measures.py")
AUDIENCES = {"boerneudvalg": "municipality", "skoleudvalg": "municipality", "chef_handicap": "area",
             "teamledere": "caseworker", "raadgivere": "case"}


@pytest.fixture(scope="module")
def site(second_data) -> Path:
    """The site folder the generator wrote (shared with the built second municipality, which builds a copy)."""
    return second_data


@pytest.fixture(scope="module")
def config(site) -> dict:
    return tomllib.loads((site / "lisite.toml").read_text(encoding="utf-8"))


def grid(site: Path, source: dict) -> list[list]:
    """Every row of a source file as written (title row included), cells as text for CSV, values for Excel."""
    return read_grid(site / source["path"])


@functools.cache
def read_grid(path: Path) -> list[list]:
    if path.suffix == ".xlsx":
        return [list(row) for row in openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True)]
    return [line.split(";") for line in path.read_text(encoding="utf-8").splitlines()]


def records(site: Path, source: dict) -> list[dict]:
    rows = grid(site, source)
    start = source.get("header_row", 1)
    return [dict(zip(rows[start - 1], row)) for row in rows[start:]]


def day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return datetime.strptime(value, "%d-%m-%Y").date() if value else None


def test_a_complete_site_folder(site, config):
    assert {p.name for p in site.iterdir()} == {"lisite.toml", "foranstaltninger.csv", "README.md", "data"}
    assert set(config["sources"]) == set(SPECS)
    for name, source in config["sources"].items():
        assert (site / source["path"]).is_file(), name
    assert config["municipality"] == {"code": 657, "name": "Herning"}
    assert config["site"]["synthetic"] is True
    assert "FIKTIVE DATA" in (site / "README.md").read_text(encoding="utf-8")
    loaded = load_config(site)
    assert loaded.measures_catalogue == "foranstaltninger.csv" and loaded.audiences["chef_handicap"].level == "area"


def test_audiences_have_other_ids_and_one_is_limited_to_an_area(site, config):
    audiences = config["audiences"]
    assert {name: a["level"] for name, a in audiences.items()} == AUDIENCES
    areas = {row["Område"] for row in records(site, config["sources"]["sager"])}
    assert audiences["chef_handicap"]["filter"] == {"omraade": "Specialområdet"} and "Specialområdet" in areas
    assert "index.html" in audiences["skoleudvalg"]["pages"] and len(audiences["skoleudvalg"]["pages"]) < 8
    assert not set(audiences) & {"udvalg", "direktion", "ledere", "sagsbehandlere"}


def test_headers_as_a_case_system_writes_them_are_mapped_to_the_model(site, config):
    mapped = {name: s for name, s in config["sources"].items() if "columns" in s}
    assert {"sager", "underretninger", "undersoegelser", "ydelser", "opfoelgninger", "ledelsestilsyn",
            "sagsbehandlerskift", "medarbejdere"} <= set(mapped)
    for name, source in config["sources"].items():
        spec, columns = SPECS[name], source.get("columns", {})
        rows = grid(site, source)
        header = rows[source.get("header_row", 1) - 1]
        if "header_row" in source:
            assert source["header_row"] == 2 and rows[0][0].endswith("(FIKTIVE DATA)"), name  # a title row above
        assert set(columns) <= {c.name for c in spec.columns}, name
        expected = [columns.get(c.name, c.name) for c in spec.columns if columns.get(c.name, c.name) in header]
        assert header == expected, name  # every header in the file is a mapped (or model) column, in model order
        missing = [c.name for c in spec.columns if c.required and columns.get(c.name, c.name) not in header]
        assert missing == [], f"{name}: required model columns without a header: {missing}"
        if columns:
            assert not set(header) & {c.name for c in spec.columns}, f"{name} uses lisite's own column names"
    headers = [h for s in mapped.values() for h in s["columns"].values()]
    assert all(re.search(r"[A-ZÆØÅ]", h) for h in headers)
    assert any(" " in h for h in headers) and any(re.search(r"[æøå]", h) for h in headers)
    assert "indsatsgruppe" not in mapped["ydelser"]["columns"]  # the catalogue classifies the measures


def test_two_sources_are_excel_sheets_with_title_rows(site, config):
    excel = {name for name, s in config["sources"].items() if s["path"].endswith(".xlsx")}
    assert {"ydelser", "medarbejdere"} <= excel
    for name in excel:
        rows = grid(site, config["sources"][name])
        assert rows[0][0] and all(v is None for v in rows[0][1:]), name  # title in A1 only
        assert config["sources"][name]["header_row"] == 2


def test_gender_is_written_m_k_and_mapped(site, config):
    sager = config["sources"]["sager"]
    assert {row["Barnets køn"] for row in records(site, sager)} == {"M", "K"}
    assert sager["values"]["koen"] == {"M": "Dreng", "K": "Pige"}
    assert set(sager["values"]["koen"].values()) == set(SPECS["sager"].column("koen").choices)


def test_ten_teams_in_three_areas_none_of_them_the_demos(site, config):
    cases = records(site, config["sources"]["sager"])
    teams = {(row["Område"], row["Team"]) for row in cases}
    assert len({team for _, team in teams}) >= 10 and len({area for area, _ in teams}) == 3
    assert len({team for _, team in teams}) == len(teams)  # each team in one area
    assert not {t for _, t in teams} & set(DEMO_TEAM_AREA) and not {a for a, _ in teams} & set(DEMO_TEAM_AREA.values())
    staff = {row["Team"] for row in records(site, config["sources"]["medarbejdere"])}
    audits = {row["Team"] for row in records(site, config["sources"]["ledelsestilsyn"])}
    assert {t for _, t in teams} == staff == audits
    open_cases = defaultdict(int)
    for row in cases:
        if not row["Afsluttet"]:
            open_cases[row["Team"]] += 1
    assert min(open_cases.values()) >= 40, open_cases


def test_measures_named_by_barnets_lov_and_classified_by_the_catalogue(site, config):
    measures = records(site, config["sources"]["ydelser"])
    basis, names = {row["Lovhjemmel"] for row in measures}, {row["Indsats"] for row in measures}
    assert {b.split(" §")[0] for b in basis} == {"BL", "Serviceloven"}
    assert sum(row["Lovhjemmel"].startswith("BL §") for row in measures) > 2000
    assert not names & set(PRICE_RANGES)  # none of the demo's measure names
    site_config = parse_config({"municipality": config["municipality"], "period": config["period"],
                                "measures": config["measures"]}, site)
    laws, catalogue_names, problems = measures_plugin.catalogue(site_config)
    assert problems == []
    kind_of = {name: kind for kind, name in anden.STYLE.measure_names.items()}
    for b, n in {(row["Lovhjemmel"], row["Indsats"]) for row in measures}:
        group, place, known = measures_plugin.classify(b, n, laws, catalogue_names)
        assert known, (b, n)
        assert group == ("Anbringelse" if kind_of[n] in BUDGET_FUNCTION and kind_of[n] != "Aflastning" else "Forebyggende"), (b, n)
    assert measures_plugin.classify("BL § 46", "Børne- og ungehjem", laws, catalogue_names)[1] == "doegninstitution"  # site row wins
    assert measures_plugin.classify("BL § 46", "Netværksplejefamilie", laws, catalogue_names)[1] == "netvaerkspleje"


def test_the_budget_spend_equals_the_measures_by_catalogue_group(site, config):
    """The budget and the measures tie together as in the demo, with the group coming from the catalogue."""
    laws, names, _ = measures_plugin.catalogue(parse_config(
        {"municipality": config["municipality"], "period": config["period"], "measures": config["measures"]}, site))
    spend = defaultdict(float)
    seen = set()
    for row in records(site, config["sources"]["ydelser"]):
        if row["Ydelses-ID"] in seen:
            continue
        seen.add(row["Ydelses-ID"])
        group = measures_plugin.classify(row["Lovhjemmel"], row["Indsats"], laws, names)[0]
        start, end = day(row["Startdato"]), day(row["Slutdato"])
        months = sum(1 for m in range(1, 13)  # runs at least one day in the month (the demo's spend rule)
                     if start <= date(2025, m, calendar.monthrange(2025, m)[1]) and (end is None or end >= date(2025, m, 1)))
        spend[group] += row["Pris pr. måned"] * months
    budget = defaultdict(float)
    for row in records(site, config["sources"]["budget"]):
        if row["År"] == 2025:
            budget[row["Indsatsgruppe"]] += row["Forbrug"]
    for group in ("Forebyggende", "Anbringelse"):
        assert budget[group] == pytest.approx(spend[group], rel=1e-9), group


def test_two_runs_are_byte_identical(site, tmp_path):
    second_site(tmp_path / "igen")
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "igen") for p in (tmp_path / "igen").rglob("*") if p.is_file())
    for rel in files:
        assert (site / rel).read_bytes() == (tmp_path / "igen" / rel).read_bytes(), rel


def test_cli_variant_writes_the_second_site(monkeypatch, tmp_path):
    from lisite import sampledata
    from lisite.cli import main

    calls = []
    monkeypatch.setattr(sampledata, "second_site", lambda out, seed, kommune: calls.append((out, seed, kommune)) or [out])
    result = CliRunner().invoke(main, ["sample-data", "--variant", "anden", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert calls == [(tmp_path / "x", 2026, 657)]


def test_check_finds_no_errors_and_classifies_every_measure(site):
    """Mapped headers and values load; the only warnings are the planted data errors."""
    problems = check(site)
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert not [p for p in problems if "kataloget over indsatser" in p.message]
    assert {p.file for p in problems} <= {"data/ydelser.xlsx", "data/underretninger.csv", "data/undersoegelser.csv",
                                          "data/opfoelgninger.csv"}
