"""The measures plugin: legal bases and names in the measure catalogue decide group, placement kind and family care."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from lisite import testing
from lisite.config import parse_config
from lisite.i18n import Translator

REPO = Path(__file__).resolve().parents[1]
plugin = testing.load_plugin(REPO / "plugins" / "model" / "measures.py")
DANISH = Translator("da")  # the warnings' words, as a Danish build gives them


def config(site: Path, catalogue: str = ""):
    raw = {"municipality": {"code": 615, "name": "Horsens"}, "period": {"current": "2026-09"}}
    if catalogue:
        raw["measures"] = {"catalogue": catalogue}
    return parse_config(raw, site)


def shipped():
    laws, names, problems = plugin.catalogue(config(REPO))
    assert problems == []
    return laws, names


def classify(basis: str, name: str = "") -> tuple[str, str, bool]:
    return plugin.classify(basis, name, *shipped())


def measures(rows: list[tuple[str, str]], **columns) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["lovhjemmel", "indsatstype"]).assign(**columns)
    frame.attrs.update(lines=list(range(3, len(frame) + 3)), file="data/ydelser.csv")
    return frame


# ---- how exports write a legal basis ----------------------------------------------------------------------------


@pytest.mark.parametrize("written, expected", [
    ("BL § 32, stk. 1, nr. 3", [("BL", "32", "1", "3")]),
    ("bl §32 stk.1 nr.3", [("BL", "32", "1", "3")]),
    ("BL  §  32 ,  stk. 1 ,  nr. 3", [("BL", "32", "1", "3")]),
    ("BL §32.1.3", [("BL", "32", "1", "3")]),
    ("Barnets lov § 46", [("BL", "46", "", "")]),
    ("BARNETS LOVS §47", [("BL", "47", "", "")]),
    ("Servicelovens § 52, stk. 3, nr. 7", [("SEL", "52", "3", "7")]),
    ("SEL §§ 52, stk.3, nr.7", [("SEL", "52", "3", "7")]),
    ("Lov om social service § 58", [("SEL", "58", "", "")]),
    ("SEL § 52 a", [("SEL", "52a", "", "")]),
    ("SEL § 52, stk. 3, nr. 7, jf. § 66, stk. 1, nr. 2", [("SEL", "52", "3", "7"), ("SEL", "66", "1", "2")]),
    ("§ 52, stk. 3, nr. 7", []),  # which law? not guessed
    ("", []),
])
def test_paragraphs_are_normalised(written, expected):
    assert plugin.references(written) == expected


# ---- the shipped catalogue --------------------------------------------------------------------------------------


@pytest.mark.parametrize("basis, expected", [
    ("BL § 32, stk. 1, nr. 3", ("Forebyggende", "", True)),
    ("BL § 32, stk. 1, nr. 6", ("Forebyggende", "", True)),  # familieanbringelse: the whole family, not a placement
    ("BL § 32, stk. 1, nr. 12", ("Forebyggende", "", True)),  # an unknown nr. falls back to the paragraph
    ("BL § 30, stk. 1, nr. 1", ("Forebyggende", "", True)),
    ("BL § 46", ("Anbringelse", "", True)),
    ("BL § 47", ("Anbringelse", "", True)),
    ("BL § 62", ("Anbringelse", "doegninstitution", True)),
    ("BL § 90, stk. 2", ("Øvrige", "", True)),
    ("SEL § 11, stk. 3", ("Forebyggende", "", True)),
    ("SEL § 52, stk. 3, nr. 5", ("Forebyggende", "", True)),
    ("SEL § 52, stk. 3, nr. 7", ("Anbringelse", "", True)),
    ("SEL § 58", ("Anbringelse", "", True)),
    ("SEL § 66, stk. 1, nr. 2", ("Anbringelse", "netvaerkspleje", True)),
    ("SEL § 66, stk. 1, nr. 6", ("Anbringelse", "doegninstitution", True)),
    ("Servicelovens § 52, stk. 3, nr. 7, jf. § 66, stk. 1, nr. 1", ("Anbringelse", "plejefamilie", True)),
    ("SEL § 52", ("Øvrige", "", False)),  # § 52 without stk. is not in the catalogue
])
def test_legal_bases_of_both_laws(basis, expected):
    assert classify(basis) == expected


def test_the_law_decides_the_group_and_the_name_the_place():
    assert classify("BL § 46", "Netværksplejefamilie") == ("Anbringelse", "netvaerkspleje", True)
    assert classify("SEL § 52, stk. 3, nr. 7", "Eget værelse") == ("Anbringelse", "eget_vaerelse", True)
    # a respite stay in a foster family is support, not a placement: no placement kind
    assert classify("BL § 32, stk. 1, nr. 7", "Plejefamilie") == ("Forebyggende", "", True)
    # the name's place wins over the paragraph's
    assert classify("SEL § 52, stk. 3, nr. 7, jf. § 66, stk. 1, nr. 1", "Opholdssted") == ("Anbringelse", "opholdssted", True)


def test_name_when_the_legal_basis_is_unknown():
    assert classify("", "Familiebehandling") == ("Forebyggende", "", True)
    assert classify("Ukendt § 1", "  almen  PLEJEFAMILIE ") == ("Anbringelse", "plejefamilie", True)
    assert classify("BL § 999", "Børne- og ungehjem") == ("Anbringelse", "", True)
    assert classify("BL § 999", "Hestepasning") == ("Øvrige", "", False)


def test_every_shipped_row_is_valid_and_unique():
    with (REPO / "plugins" / "model" / "foranstaltninger.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert list(rows[0]) == list(plugin.COLUMNS)
    laws, names = shipped()
    assert len(laws) + len(names) == len(rows)  # no key written twice
    assert {"BL § 32", "BL § 46", "BL § 47", "SEL § 52, stk. 3, nr. 7", "SEL § 58", "SEL § 11, stk. 3"} <= {
        r["noegle"] for r in rows if r["slags"] == "lovhjemmel"}


def test_the_demo_measures_classify_as_their_own_indsatsgruppe():
    """Every figure of the demo stays the same: its own indsatsgruppe column equals the catalogue's answer."""
    lines = (REPO / "sample_data" / "ydelser.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(lines[1:], delimiter=";"))
    assert len(rows) > 5000
    frame = measures([(r["lovhjemmel"], r["indsatstype"]) for r in rows], indsatsgruppe=[r["indsatsgruppe"] for r in rows])
    out = plugin.lisite_prepare(data={"ydelser": frame}, config=config(REPO))["ydelser"]
    assert list(out["indsatsgruppe"]) == [r["indsatsgruppe"] for r in rows]
    assert list(out["familiepleje"]) == [r["indsatstype"] in ("Plejefamilie", "Netværkspleje") for r in rows]
    placed = out[out["indsatsgruppe"] == "Anbringelse"]
    assert dict(zip(placed["indsatstype"], placed["anbringelsessted"])) == {
        "Plejefamilie": "plejefamilie", "Netværkspleje": "netvaerkspleje", "Opholdssted": "opholdssted",
        "Døgninstitution": "doegninstitution", "Eget værelse": "eget_vaerelse"}
    assert out.attrs["measures"] == {"unknown": [], "disagree": []}
    assert out.attrs["lines"] == frame.attrs["lines"]
    assert "anbringelsessted" not in frame.columns  # the frame it was given is left alone
    assert plugin.lisite_validate(data={"ydelser": out}, config=config(REPO), t=DANISH) == []


# ---- a site's own catalogue -------------------------------------------------------------------------------------


OWN = """noegle;slags;indsatsgruppe;anbringelsessted;forklaring
BL § 32, stk. 1, nr. 7;lovhjemmel;Anbringelse;plejefamilie;Her regnes støtteophold som anbringelse
Hestepasning;navn;Forebyggende;;Kommunens eget tilbud
SEL § 52, stk. 3, nr. 7;lovhjemmel;Forebyggende;;
"""


def test_a_site_overrides_and_extends_the_catalogue(tmp_path):
    (tmp_path / "katalog.csv").write_text(OWN, encoding="utf-8")
    laws, names, problems = plugin.catalogue(config(tmp_path, "katalog.csv"))
    assert problems == []
    assert plugin.classify("BL § 32, stk. 1, nr. 7", "", laws, names) == ("Anbringelse", "plejefamilie", True)
    assert plugin.classify("BL § 999", "Hestepasning", laws, names) == ("Forebyggende", "", True)
    assert plugin.classify("SEL § 52, stk. 3, nr. 7", "Plejefamilie", laws, names) == ("Forebyggende", "", True)
    assert plugin.classify("BL § 32, stk. 1, nr. 3", "", laws, names) == ("Forebyggende", "", True)  # the rest stays


def test_bad_rows_in_a_site_catalogue_are_errors_with_file_and_line(tmp_path):
    text = OWN + "BL § 46;lovhjemmel;Anbragt;;\nBL § 47;slags;Anbringelse;;\nBL;lovhjemmel;Anbringelse;;\nX;navn;Anbringelse;hule;\n"
    (tmp_path / "katalog.csv").write_text(text, encoding="utf-8")
    problems = plugin.lisite_validate(data={}, config=config(tmp_path, "katalog.csv"), t=DANISH)
    assert [(p.file, p.row, p.column, p.severity) for p in problems] == [
        ("katalog.csv", 5, "indsatsgruppe", "error"), ("katalog.csv", 6, "slags", "error"),
        ("katalog.csv", 7, "noegle", "error"), ("katalog.csv", 8, "anbringelsessted", "error")]
    assert "Forebyggende, Anbringelse, Øvrige" in problems[0].message
    missing = plugin.lisite_validate(data={}, config=config(tmp_path, "findes_ikke.csv"), t=DANISH)
    assert [(p.file, p.severity) for p in missing] == [("findes_ikke.csv", "error")]


def test_a_catalogue_problem_is_in_the_sites_language_and_a_key_written_twice_is_named(tmp_path):
    """The catalogue's own problems come from the words catalogue (an English site reads them in English), and a key
    written twice in one file (the later row silently won) is a warning naming both rows."""
    text = OWN + "BL § 46;lovhjemmel;Anbragt;;\nHestepasning;navn;Anbringelse;plejefamilie;\n"
    (tmp_path / "katalog.csv").write_text(text, encoding="utf-8")
    english = plugin.lisite_validate(data={}, config=config(tmp_path, "katalog.csv"), t=Translator("en"))
    assert [(p.row, p.column, p.severity) for p in english] == [(5, "indsatsgruppe", "error"), (6, "noegle", "warning")]
    assert english[0].message == "indsatsgruppe must be one of Forebyggende, Anbringelse, Øvrige, not 'Anbragt'"
    danish = plugin.lisite_validate(data={}, config=config(tmp_path, "katalog.csv"), t=DANISH)
    assert danish[1].message == "'Hestepasning' står også i række 3; den sidste række gælder. Forventede hver nøgle én gang"


# ---- unknown measures and disagreements: one warning each --------------------------------------------------------


def test_unknown_measures_give_one_warning_with_counts(tmp_path):
    rows = [("BL § 32, stk. 1, nr. 3", "Kontaktperson")] * 4 + [("BL § 999", "Hestepasning")] * 3 + [("", "Ridning")] * 2
    frame = measures(rows)
    out = plugin.lisite_prepare(data={"ydelser": frame}, config=config(tmp_path))["ydelser"]
    assert list(out["indsatsgruppe"]) == ["Forebyggende"] * 4 + ["Øvrige"] * 5
    assert not out["familiepleje"].any()
    problems = plugin.lisite_validate(data={"ydelser": out}, config=config(tmp_path), t=DANISH)
    assert len(problems) == 1
    warning = problems[0]
    assert (warning.severity, warning.file, warning.column, warning.dataset) == ("warning", "data/ydelser.csv", "lovhjemmel", "ydelser")
    assert warning.message.startswith("2 slags indsatser (5 rækker)")
    assert "'BL § 999' / 'Hestepasning' (3 rækker)" in warning.message
    assert "'(ingen lovhjemmel)' / 'Ridning' (2 rækker)" in warning.message
    assert "[measures] catalogue" in warning.message
    own = plugin.lisite_validate(data={"ydelser": out}, config=config(tmp_path, "katalog.csv"), t=DANISH)
    assert "Klassificér dem i katalog.csv" in own[-1].message


def test_the_warnings_are_in_the_sites_language(tmp_path):
    """The data-quality page shows the warnings: an English site gets them in English, the export's words as written."""
    rows = [("BL § 999", f"Hestepasning {i}") for i in range(12)] + [("", "Ridning")] * 2
    out = plugin.lisite_prepare(data={"ydelser": measures(rows)}, config=config(tmp_path))["ydelser"]
    [warning] = plugin.lisite_validate(data={"ydelser": out}, config=config(tmp_path), t=Translator("en"))
    assert warning.message.startswith("13 kinds of measures (14 rows) are found neither by legal basis nor by name")
    assert "'(no legal basis)' / 'Ridning' (2 rows)" in warning.message and "'BL § 999' / 'Hestepasning 0' (1 row)" in warning.message
    assert " and 3 others. Classify them in a file with the columns" in warning.message
    frame = measures([("BL § 46", "Plejefamilie")], indsatsgruppe=["Forebyggende"])
    out = plugin.lisite_prepare(data={"ydelser": frame}, config=config(tmp_path))["ydelser"]
    [warning] = plugin.lisite_validate(data={"ydelser": out}, config=config(tmp_path), t=Translator("en"))
    assert "in 1 row: 'Forebyggende' in the extract, 'Anbringelse' in the catalogue (1 row)" in warning.message


def test_the_catalogue_overrules_the_exports_own_group_with_a_warning(tmp_path):
    frame = measures([("BL § 46", "Plejefamilie"), ("BL § 32, stk. 1, nr. 3", "Kontaktperson"), ("BL § 46", "Opholdssted")],
                     indsatsgruppe=["Forebyggende", "Forebyggende", None])
    out = plugin.lisite_prepare(data={"ydelser": frame}, config=config(tmp_path))["ydelser"]
    assert list(out["indsatsgruppe"]) == ["Anbringelse", "Forebyggende", "Anbringelse"]
    assert list(out["familiepleje"]) == [True, False, False]
    [warning] = plugin.lisite_validate(data={"ydelser": out}, config=config(tmp_path), t=DANISH)
    assert warning.severity == "warning" and warning.column == "indsatsgruppe"
    assert "i 1 række: 'Forebyggende' i udtrækket, 'Anbringelse' i kataloget (1 række)" in warning.message


def test_nothing_to_do_without_measures(tmp_path):
    assert plugin.lisite_prepare(data={"sager": pd.DataFrame({"sags_id": ["S1"]})}, config=config(tmp_path)) is None


def test_check_on_the_demo_names_unknown_measures_once(tmp_path):
    """Through the engine: lisite_prepare runs before lisite_validate, and two unknown rows give one warning."""
    from lisite.check import check

    site = testing.demo_site(tmp_path / "site")
    extra = ("Y-299991;S-173986;Aktiv;Hestepasning;;BL § 999;5.28.21;Rideskolen;Roskilde;01-09-2026;;500;5000;Nej\n"
             "Y-299992;S-173986;Aktiv;Hestepasning;;BL § 999;5.28.21;Rideskolen;Roskilde;02-09-2026;;500;5000;Nej\n")
    with (site / "sample_data" / "ydelser.csv").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    found = [p for p in check(site) if "kataloget over indsatser" in p.message]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "1 slags indsatser (2 rækker)" in found[0].message and "'BL § 999' / 'Hestepasning'" in found[0].message
