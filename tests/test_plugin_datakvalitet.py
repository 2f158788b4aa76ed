"""The data-quality page: datasets, empty fields and the problems found, without person ids."""

import sys
from pathlib import Path

import pandas as pd

import lisite
from lisite import testing
from lisite.config import parse_config
from lisite.context import BuildContext, Content
from lisite.i18n import Translator
from lisite.model import Dataset

REPO = Path(__file__).resolve().parents[1]


def load_plugin(name):
    return testing.load_plugin(testing.builtin_plugin(name))


plugin = load_plugin("datakvalitet")
NOTES = lisite.DatasetSpec("underretninger", "Underretninger", (
    lisite.Column("underretning_id", "str", person_level=True),
    lisite.Column("sags_id", "str", required=False, person_level=True),
    lisite.Column("modtaget", "datetime"),
    lisite.Column("vurderet", "datetime", required=False),
))
GOALS = lisite.DatasetSpec("maal", "Politiske mål", (lisite.Column("aar", "int"), lisite.Column("maal", "float")))
DATASETS = {
    "underretninger": Dataset(NOTES, pd.DataFrame({
        "underretning_id": ["U-1", "U-2", "U-3", "U-4"],
        "sags_id": ["S-1", None, None, "S-4"],
        "modtaget": pd.to_datetime(["2024-01-05 10:00", "2025-03-01 08:00", "2026-09-30 12:00", "2026-02-01 09:00"]),
        "vurderet": pd.to_datetime(["2024-01-05 12:00", None, "2026-09-30 13:00", "2026-02-01 10:00"]),
    }), "data/underretninger.csv", extracted="2026-09-30"),
    "maal": Dataset(GOALS, pd.DataFrame({"aar": pd.array([2025, 2026], dtype="Int64"), "maal": [1.0, 2.0]}), "data/maal.csv"),
}
PROBLEMS = [
    lisite.Problem("vurderet før modtaget", file="data/underretninger.csv", row=3, column="vurderet", severity="warning",
                   dataset="underretninger"),
    lisite.Problem("findes ikke i sager (fik 'S-999')", file="data/underretninger.csv", row=5, column="sags_id",
                   severity="warning", dataset="underretninger"),
]


def context(audience, problems=PROBLEMS):
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"}}, REPO)
    ctx = BuildContext(config, Translator("da"), DATASETS, list(problems), {}, {}, Content([REPO / "content"], "da"))
    return ctx.for_audience(config.audiences[audience])


def test_overview_counts_rows_period_and_problems():
    assert plugin.overview(DATASETS, PROBLEMS, context("ledere")).to_dict("records") == [
        {"Datasæt (fil)": "Politiske mål (maal.csv)", "Rækker": "2", "Periode": "2025–2026", "Udtrukket": "Ikke oplyst",
         "Problemer": "Ingen"},
        {"Datasæt (fil)": "Underretninger (underretninger.csv)", "Rækker": "4", "Periode": "jan.\u00a02024\u00a0– sep.\u00a02026",
         "Udtrukket": "30.\u00a0sep.\u00a02026", "Problemer": "2 advarsler"},
    ]


def test_empty_fields_only_for_columns_that_may_be_empty():
    assert plugin.empty_fields(DATASETS, context("ledere")).to_dict("records") == [
        {"Datasæt": "Underretninger", "Felt": "sags_id", "Tomme": "2", "Andel": "50,0\u00a0%",
         "Et tomt felt betyder": "Underretningen er ikke knyttet til en sag, fx fordi den ikke førte til en."},
        {"Datasæt": "Underretninger", "Felt": "vurderet", "Tomme": "1", "Andel": "25,0\u00a0%",
         "Et tomt felt betyder": "Vurderingen er ikke registreret. Underretningen tæller som ikke vurderet inden for 24 timer."},
    ]


def test_problem_table_never_shows_a_person_id():
    table = plugin.problem_table(PROBLEMS, DATASETS, context("ledere"))
    assert table.to_dict("records") == [
        {"Problem": "vurderet før modtaget", "Fil": "underretninger.csv", "Række": 3, "Kolonne": "vurderet", "Alvor": "Advarsel"},
        {"Problem": "findes ikke i sager", "Fil": "underretninger.csv", "Række": 5, "Kolonne": "sags_id", "Alvor": "Advarsel"},
    ]
    many = [lisite.Problem(f"fejl {i}", file="f.csv", row=i, severity="error") for i in range(30)]
    assert len(plugin.problem_table(many, DATASETS, context("ledere"))) == 20


def test_page_for_direktion_and_ledere_only():
    for audience in ("direktion", "ledere"):
        ctx = context(audience)
        [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
        assert page.path == "om/datakvalitet.html" and page.section == "Om data"
        text = "\n".join(b.text for b in page.blocks if isinstance(b, lisite.Markdown))
        assert "Kontrollen af data fandt 2 problemer." in text
        assert "S-999" not in text and "S-1" not in text and "U-1" not in text
    for audience in ("udvalg", "sagsbehandlere"):
        ctx = context(audience)
        assert plugin.lisite_pages(audience=ctx.audience, ctx=ctx) == []
    ctx = context("ledere", problems=[])
    [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
    assert "Kontrollen fandt ingen problemer i data." in page.blocks[-1].text


def test_demo_page(demo_build):
    out = demo_build / "_site"
    for audience in ("direktion", "ledere"):
        html = (out / audience / "om" / "datakvalitet.html").read_text(encoding="utf-8")
        assert "<h1>Datakvalitet</h1>" in html
        for heading in ("Datasæt", "Tomme felter", "Fundne problemer"):
            assert f"<h2>{heading}</h2>" in html
        assert "sager.csv" in html
    for audience in ("udvalg", "sagsbehandlere"):
        assert not (out / audience / "om" / "datakvalitet.html").exists()


def test_english_words_from_the_catalogue():
    raw = {"site": {"language": "en"}, "municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"}}
    config = parse_config(raw, REPO)
    ctx = BuildContext(config, Translator("en"), DATASETS, list(PROBLEMS), {}, {}, Content([REPO / "content"], "en"))
    ctx = ctx.for_audience(config.audiences["ledere"])
    assert plugin.overview(DATASETS, PROBLEMS, ctx).to_dict("records")[1] == {
        "Dataset (file)": "Underretninger (underretninger.csv)", "Rows": "4", "Period": "Jan\u00a02024\u00a0– Sept\u00a02026",
        "Extracted": "30\u00a0Sept\u00a02026", "Problems": "2 warnings"}
    empty = plugin.empty_fields(DATASETS, ctx).to_dict("records")
    assert empty[0]["Share"] == "50.0%" and empty[0]["An empty field means"].startswith("The notification is not linked")
    [page] = plugin.lisite_pages(audience=ctx.audience, ctx=ctx)
    assert page.title == "Data quality" and page.section == "About the data"
    text = "\n".join(b.text for b in page.blocks if isinstance(b, lisite.Markdown))
    assert "The check of the data found 2 problems." in text and "| Row |" in text


def test_an_english_sites_page_lists_its_problems_in_english(make_site):
    """The problems lisite found while loading are worded in the site's language on the page."""
    from conftest import tiny_config

    from lisite.build import build

    config = tiny_config('\n[organisation]\nteam = ["A", "B"]\n').replace('"datakvalitet", ', "")
    site = make_site(config=config.replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"', 1))
    build(site)
    html = (site / "_site" / "ledere" / "om" / "datakvalitet.html").read_text(encoding="utf-8")
    assert "'C' is not on the list of teams in lisite.toml [organisation] (rows 4, 7 and 10)" in html
    assert "står ikke på listen" not in html and "rækkerne" not in html


def test_after_an_edit_of_one_data_file_only_its_period_and_empty_fields_are_worked_out_again(make_site, tmp_path, monkeypatch):
    """Under ``lisite serve`` the page is made again after any data edit (its problems may change), but the period and the
    empty fields of a dataset that was not edited are kept: each is a pass over every cell of its columns."""
    from conftest import tiny_config

    from lisite.build import Session, build

    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    config = tiny_config('[sources.mere]\npath = "data/mere.csv"\n').replace('"datakvalitet", ', "")
    more = ("import lisite\n\n@lisite.hookimpl\ndef lisite_datasets():\n    return [lisite.DatasetSpec(\"mere\", \"Mere\", (\n"
            "        lisite.Column(\"dato\", \"date\"), lisite.Column(\"antal\", \"int\", required=False)))]\n")
    site = make_site({"data/mere.csv": "dato;antal\n01-09-2026;4\n02-09-2026;\n", "plugins/mere.py": more}, config=config)
    made = []
    session = Session(live=True)
    build(site, output_dir=tmp_path / "live", session=session)
    loaded = [m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == plugin.__file__ and m is not plugin]
    assert loaded  # the module the session's builds use
    for module in loaded:
        monkeypatch.setattr(module, "covered", lambda ds, ctx, real=module.covered: made.append(ds.spec.name) or real(ds, ctx))
    build(site, output_dir=tmp_path / "live", session=session)
    assert made == []  # nothing changed: the page is kept whole
    path = site / "data" / "mere.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(";4", ";5"), encoding="utf-8")
    build(site, output_dir=tmp_path / "live", session=session)
    assert made == ["mere"]
    html = (tmp_path / "live" / "ledere" / "om" / "datakvalitet.html").read_text(encoding="utf-8")
    assert "sep.\u00a02026" in html and "50,0\u00a0%" in html  # the edited dataset's period, its empty field
