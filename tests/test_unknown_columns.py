"""Columns of a source that are not in the data model: named in one problem per source, refused when they name a person."""

from __future__ import annotations

import pandas as pd
import pytest

from lisite.build import build
from lisite.check import check
from lisite.data import convert, identifies_person
from lisite.errors import DataError
from lisite.fmt import words
from lisite.model import Column, DatasetSpec

from conftest import TINY_DATA, tiny_config

SPEC = DatasetSpec("tal", "Tal", (Column("team", "str"), Column("antal", "int")))


def frame(**extra: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"team": ["A", "B"], "antal": ["1", "2"], **extra})


def with_columns(text: str, **columns: str) -> str:
    """TINY_DATA with extra columns, each with one value on every row."""
    lines = text.strip().splitlines()
    head = ";".join([lines[0], *columns])
    return "\n".join([head, *(";".join([line, *columns.values()]) for line in lines[1:])]) + "\n"


def test_unknown_columns_are_listed_in_one_warning_and_still_go_along():
    out, problems = convert(frame(note=["x", "y"], kilde=["a", "b"]), SPEC, "data/tal.csv")
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "kolonnerne note, kilde er ikke i datamodellen og bruges ikke.")]
    assert problems[0].file == "data/tal.csv" and problems[0].dataset == "tal"
    assert list(out.columns) == ["team", "antal", "note", "kilde"]


def test_columns_that_identify_a_person_are_refused_and_not_loaded():
    out, problems = convert(frame(barnets_navn=["Emma", "Ib"], cpr=["010203-4521", "020304-1234"], note=["x", "y"]),
                            SPEC, "data/tal.csv")
    assert len(problems) == 1
    problem = problems[0]
    assert problem.severity == "error"
    assert problem.message.startswith("kolonnerne barnets_navn, cpr, note er ikke i datamodellen og bruges ikke. "
                                      "barnets_navn, cpr ligner oplysninger, der identificerer en person")
    assert "barnets_navn" not in out.columns and "cpr" not in out.columns
    assert "note" in out.columns


def test_the_problem_is_in_the_sites_language():
    _, problems = convert(frame(Email=["a@b.dk", "c@d.dk"]), SPEC, "data/tal.csv", t=words("en"))
    assert problems[0].message.startswith("the columns Email are not in the data model and are not used. "
                                          "Email look like information that identifies a person")


@pytest.mark.parametrize("header", ["navn", "Barnets navn", "barnets_navn", "Fornavn", "Name", "First name", "CPR",
                                    "CPR-nr.", "cprnummer", "Personnummer", "Adresse", "address", "Telefon",
                                    "Tlf.", "E-mail", "email", "Mobilnummer"])
def test_headers_that_identify_a_person(header):
    assert identifies_person(header)


@pytest.mark.parametrize("header", ["kommunenavn", "teamnavn", "indsatstype", "note", "kilde", "Anbringelsessted",
                                    "sags_id", "leverandoer", "beløb"])
def test_headers_that_do_not(header):
    assert not identifies_person(header)


def test_a_declared_identifying_column_is_allowed():
    spec = DatasetSpec("medarbejdere", "Medarbejdere", (
        Column("medarbejder_id", "str", person_level=True, level="caseworker"),
        Column("navn", "str", person_level=True, level="caseworker")))
    out, problems = convert(pd.DataFrame({"medarbejder_id": ["M-1"], "navn": ["Bo Berg"]}), spec, "data/m.csv")
    assert problems == []
    assert list(out["navn"]) == ["Bo Berg"]


def test_build_stops_on_a_cpr_column_naming_the_file(make_site):
    site = make_site({"data/tal.csv": with_columns(TINY_DATA, cpr="010203-4521")})
    with pytest.raises(DataError, match=r"data/tal.csv: kolonnerne cpr er ikke i datamodellen .* cpr ligner oplysninger"):
        build(site)


def test_check_warns_once_about_an_unknown_column_and_the_build_goes_on(make_site):
    site = make_site({"data/tal.csv": with_columns(TINY_DATA, bemaerkning="x", kilde="y")}, config=tiny_config())
    found = [str(p) for p in check(site) if "datamodellen" in p.message]
    assert found == ["data/tal.csv: kolonnerne bemaerkning, kilde er ikke i datamodellen og bruges ikke."]
    build(site)
    assert (site / "_site" / "udvalg" / "tal" / "antal.html").is_file()
