"""The caseworkers' overview of own cases and deadlines."""

from pathlib import Path

import pandas as pd

import lisite
from lisite import testing
from lisite.config import parse_config
from lisite.context import BuildContext, Content
from lisite.i18n import Translator
from lisite.model import Dataset, DatasetSpec

REPO = Path(__file__).resolve().parents[1]


def load_plugin(name):
    return testing.load_plugin(testing.builtin_plugin(name))


plugin = load_plugin("sagsoverblik")
DA = Translator("da")
DAY = pd.Timestamp("2026-09-30")
T = pd.to_datetime
CASES = pd.DataFrame({
    "sags_id": ["S-1", "S-2", "S-3", "S-4"],
    "foedselsaar": [2020, 2012, 2009, 2010],
    "team": ["Team Unge", "Team Unge", "Team Unge", "Team 0-6 år"],
    "sagsbehandler_id": ["SB-1", "SB-1", "SB-1", "SB-2"],
    "oprettet": T(["2026-01-10", "2025-06-01", "2024-01-01", "2026-03-01"]),
    "afsluttet": T([None, None, "2026-08-31", None]),
})
DATA = {
    "sager": CASES,
    "undersoegelser": pd.DataFrame({
        "sags_id": ["S-1", "S-2", "S-4", "S-2"],
        "startet": T(["2026-05-15", "2026-07-10", "2026-06-01", "2026-01-01"]),
        "afsluttet": T([None, None, None, "2026-04-01"]),  # the last one is finished
    }),
    "opfoelgninger": pd.DataFrame({
        "sags_id": ["S-1", "S-2", "S-2", "S-1"],
        "frist": T(["2026-09-30", "2026-12-15", "2026-08-01", "2026-10-01"]),
        "udfoert": T([None, None, "2026-10-05", "2026-09-20"]),  # done after the day counts as not done
    }),
}


def test_deadlines_overdue_first_then_the_next_60_days():
    due = plugin.deadlines(DATA, ["S-1", "S-2"], DAY, DA)
    assert due.to_dict("records") == [
        {"Status": "Overskredet med 60 dage", "Frist": T("2026-08-01"), "sags_id": "S-2", "Opgave": "Opfølgning på indsats"},
        {"Status": "Overskredet med 15 dage", "Frist": T("2026-09-15"), "sags_id": "S-1", "Opgave": "Børnefaglig undersøgelse"},
        {"Status": "Fristen er i dag", "Frist": T("2026-09-30"), "sags_id": "S-1", "Opgave": "Opfølgning på indsats"},
        {"Status": "Om 41 dage", "Frist": T("2026-11-10"), "sags_id": "S-2", "Opgave": "Børnefaglig undersøgelse"},
    ]  # S-2's follow-up on 15 December is more than 60 days away; S-4 is another caseworker's


def test_status_words_and_age_bands():
    assert [plugin.status(d, DA) for d in (-1, -2, 0, 1, 5)] == [
        "Overskredet med 1 dag", "Overskredet med 2 dage", "Fristen er i dag", "Om 1 dag", "Om 5 dage"]
    assert plugin.plural(1, "overskredet frist", "overskredne frister") == "1 overskredet frist"
    assert [plugin.age_band(y, 2026, DA) for y in (2026, 2020, 2014, 2011, 2009, 2008)] == [
        "0-5 år", "6-11 år", "12-14 år", "15-17 år", "15-17 år", "18+ år"]


def test_open_cases_at_the_end_of_the_period():
    assert list(plugin.open_cases(CASES, DAY)["sags_id"]) == ["S-1", "S-2", "S-4"]


def context(audience, audiences=None, lang="da", data=None):
    spec = DatasetSpec("sager", "Sager", ())
    raw = {"site": {"language": lang}, "municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"}}
    if audiences:
        raw["audiences"] = audiences
    config = parse_config(raw, REPO)
    datasets = {name: Dataset(spec, frame, f"{name}.csv") for name, frame in (data or DATA).items()}
    ctx = BuildContext(config, Translator(lang), datasets, [], {}, {}, Content([REPO / "content"], lang))
    return ctx.for_audience(config.audiences[audience])


def test_one_page_per_caseworker_and_an_index():
    ctx = context("sagsbehandlere")
    pages = {p.path: p for p in plugin.lisite_pages(audience=ctx.audience, ctx=ctx)}
    assert set(pages) == {"sager/index.html", "sager/SB-1.html", "sager/SB-2.html"}
    index = pages["sager/index.html"].blocks[0].text
    assert index.index("## Team 0-6 år") < index.index("## Team Unge")
    assert "- [SB-1](SB-1.html): 2 åbne sager, 2 overskredne frister" in index
    assert "- [SB-2](SB-2.html): 1 åben sag, 0 overskredne frister" in index
    page = pages["sager/SB-1.html"]
    assert page.section == "Mine sager"
    assert "Du har 2 åbne sager og 2 overskredne frister." in page.intro
    tables = [b for b in page.blocks if isinstance(b, lisite.Table)]
    assert all(t.person_level for t in tables)
    assert tables[1].frame.to_dict("records") == [
        {"sags_id": "S-2", "Barnets alder": "12-14 år", "team": "Team Unge", "Oprettet": T("2025-06-01")},
        {"sags_id": "S-1", "Barnets alder": "6-11 år", "team": "Team Unge", "Oprettet": T("2026-01-10")},
    ]
    for audience in ("udvalg", "direktion", "ledere"):
        ctx = context(audience)
        assert plugin.lisite_pages(audience=ctx.audience, ctx=ctx) == []


def test_an_audience_limited_to_one_team_sees_only_that_teams_caseworkers():
    # any audience id: what counts is the level ("case") and the filter (part of the organisation)
    audiences = {"raadgivere_unge": {"title": "Rådgivere i Team Unge", "level": "case", "filter": {"team": "Team Unge"}}}
    ctx = context("raadgivere_unge", audiences)
    pages = {p.path: p for p in plugin.lisite_pages(audience=ctx.audience, ctx=ctx)}
    assert set(pages) == {"sager/index.html", "sager/SB-1.html"}  # SB-2 works in Team 0-6 år
    index = pages["sager/index.html"].blocks[0].text
    assert "Team 0-6 år" not in index and "SB-2" not in index
    tables = [b.frame for b in pages["sager/SB-1.html"].blocks if isinstance(b, lisite.Table)]
    assert set(tables[0]["sags_id"]) | set(tables[1]["sags_id"]) == {"S-1", "S-2"}


def test_english_words_from_the_catalogue():
    ctx = context("sagsbehandlere", lang="en")
    pages = {p.path: p for p in plugin.lisite_pages(audience=ctx.audience, ctx=ctx)}
    assert pages["sager/index.html"].title == "Find your cases"
    assert "- [SB-1](SB-1.html): 2 open cases, 2 overdue deadlines" in pages["sager/index.html"].blocks[0].text
    page = pages["sager/SB-1.html"]
    assert page.section == "My cases" and "You have 2 open cases and 2 overdue deadlines." in page.intro
    assert "30 September 2026" in page.intro
    due = [b.frame for b in page.blocks if isinstance(b, lisite.Table)][0]
    assert list(due.columns) == ["Status", "Deadline", "sags_id", "Task"]
    assert list(due["Status"]) == ["Overdue by 60 days", "Overdue by 15 days", "Due today", "In 41 days"]
    assert [plugin.age_band(y, 2026, ctx.t) for y in (2020, 2008)] == ["6-11 years", "18+ years"]


def test_demo_pages(demo_build):
    out = demo_build / "_site"
    folder = out / "sagsbehandlere" / "sager"
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "<h1>Find dine sager</h1>" in index
    pages = sorted(p for p in folder.glob("SB-*.html"))
    assert pages, "no caseworker pages"
    html = pages[0].read_text(encoding="utf-8")
    assert "<h2>Frister de næste 60 dage</h2>" in html and "<h2>Mine åbne sager</h2>" in html
    assert f'href="{pages[0].name}"' in index
    for audience in ("udvalg", "direktion", "ledere"):
        assert not (out / audience / "sager").exists()


def test_a_caseworkers_tasks_are_the_rows_a_filter_on_their_cases_selects():
    """Each caseworker's tasks are looked up by case (found once for all caseworkers), not by reading every task
    again: the same rows, in the same order, as ``tasks[tasks.sags_id.isin(cases)]``, also for a case named twice
    and one without tasks."""
    import random

    import numpy as np

    rng = random.Random(3)
    tasks = pd.DataFrame({"sags_id": [f"S-{rng.randint(1, 40)}" for _ in range(300)], "due": range(300)})
    rows = tasks.groupby("sags_id", sort=False).indices
    for _ in range(50):
        cases = pd.Series([f"S-{rng.randint(1, 50)}" for _ in range(rng.randint(0, 8))], dtype=object)
        expected = np.flatnonzero(tasks["sags_id"].isin(set(cases)).to_numpy())
        assert plugin.own_rows(rows, cases).tolist() == expected.tolist()


def test_a_one_off_build_works_out_no_key_from_a_caseworkers_rows_and_a_session_makes_again_only_the_changed_pages(
        tmp_path, monkeypatch):
    """The pages are kept by the content of the rows they show, for ``lisite serve``; a one-off build's cache goes with
    it, so hashing those rows there would be work for nothing (``ctx.kept`` with a key function)."""
    import sys

    from lisite import calc
    from lisite.build import Session, build
    from lisite.testing import demo_site

    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    site = demo_site(tmp_path / "site", ["sagsbehandlere"])
    hashed, real = [], calc.content_key
    monkeypatch.setattr(calc, "content_key", lambda *values: hashed.append(values) or real(*values))
    keys = lambda: [values for values in hashed if values and str(values[0]).startswith("sagsoverblik.")]  # the pages' keys
    build(site, output_dir=tmp_path / "once")
    assert keys() == []
    pages = sorted(p.name for p in (tmp_path / "once" / "sagsbehandlere" / "sager").glob("SB-*.html"))
    assert len(pages) > 10

    session = Session(live=True)
    build(site, output_dir=tmp_path / "live", session=session)
    assert len(keys()) == len(pages) + 1  # each caseworker's page, and all of them together
    made = []
    module = sys.modules["lisite_builtin.sagsoverblik"]
    real_page = module.caseworker_page
    monkeypatch.setattr(module, "caseworker_page", lambda caseworker, *rest: made.append(caseworker) or real_page(caseworker, *rest))
    path = site / "sample_data" / "sager.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[1].split(";")
    column, closed = header.index("sagsbehandler_id"), header.index("afsluttet")
    number = next(i for i in range(len(lines) - 1, 1, -1) if lines[i].split(";")[closed] == "")  # an open case
    row = lines[number].split(";")
    new = next(line.split(";")[column] for line in lines[2:] if line.split(";")[column] not in ("", row[column]))
    lines[number] = ";".join([*row[:column], new, *row[column + 1:]])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build(site, output_dir=tmp_path / "live", session=session)
    assert sorted(made) == sorted([row[column], new])  # the two caseworkers whose cases changed, no other
    assert row[0] in (tmp_path / "live" / "sagsbehandlere" / "sager" / f"{new}.html").read_text(encoding="utf-8")


def test_the_tables_taken_from_every_caseworkers_rows_are_the_ones_made_caseworker_by_caseworker():
    """The rows of every caseworker's tables are made once and each page takes its own: random cases and tasks (fixed
    seed) with days opened alike, a case id twice, one missing, a caseworker missing, give each page the tables
    ``case_table`` and ``deadline_table`` make from that caseworker's rows alone."""
    import random

    import numpy as np

    rng = random.Random(29)
    for round_ in range(12):
        size = rng.randint(1, 60)
        ids = [f"S-{rng.randint(1, 45)}" for _ in range(size)]
        if round_ % 3 == 0:
            ids[0] = None  # a case without an id: its caseworker's tasks are found by the filter
        cases = pd.DataFrame({
            "sags_id": ids, "foedselsaar": [rng.randint(2005, 2026) for _ in range(size)],
            "team": [rng.choice(["Team Unge", "Team Øst"]) for _ in range(size)],
            "sagsbehandler_id": [rng.choice(["SB-1", "SB-2", "SB-3", None]) for _ in range(size)],
            "oprettet": T([f"2026-0{rng.randint(1, 3)}-0{rng.randint(1, 3)}" for _ in range(size)]),
            "afsluttet": T([None] * size),
        })
        data = dict(DATA, sager=cases, opfoelgninger=pd.DataFrame({
            "sags_id": [rng.choice(ids) for _ in range(2 * size)],
            "frist": T([f"2026-{rng.randint(7, 11):02d}-{rng.randint(1, 28):02d}" for _ in range(2 * size)]),
            "udfoert": T([None] * (2 * size))}))
        ctx = context("sagsbehandlere", data=data)
        pages = {p.path: p for p in plugin.lisite_pages(audience=ctx.audience, ctx=ctx)}
        open_ = plugin.open_cases(cases, DAY)
        every = plugin.open_tasks(data, DAY).sort_values(["due", "sags_id"], kind="stable")
        for caseworker_id, own in open_.groupby("sagsbehandler_id"):
            tables = [b.frame for b in pages[f"sager/{caseworker_id}.html"].blocks if isinstance(b, lisite.Table)]
            tasks = every[every["sags_id"].isin(set(own["sags_id"]))].reset_index(drop=True)
            expected = [plugin.case_table(own, DAY.year, DA)]
            if len(tasks):
                expected.insert(0, plugin.deadline_table(tasks, DAY, DA))
            assert len(tables) == len(expected)
            for made, wanted in zip(tables, expected):
                pd.testing.assert_frame_equal(made, wanted)
            late = int((tasks["due"] < DAY).sum())
            assert f"{late} overskred" in pages[f"sager/{caseworker_id}.html"].intro
        assert np.isin(sorted(p for p in pages if p != "sager/index.html"),
                       [f"sager/{c}.html" for c in open_["sagsbehandler_id"].dropna().unique()]).all()
