"""A one-value edit of the demo's cases under ``lisite serve``: the figures and pages that read the edited value are made
again, the rest kept (:func:`lisite.calc.remembered`, :func:`lisite.calc.content_key`), and the served site is, file by
file, what a fresh build of the edited site writes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import lisite
import lisite.unchanged
from lisite import calc, remember
from lisite.count import compute_count, read_columns
from lisite.build import Session, build
from lisite.testing import demo_site

AUDIENCES = ["ledere", "sagsbehandlere"]  # a manager's figures by team and caseworker, and the caseworkers' own pages


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh_build(site: Path, folder: Path, monkeypatch) -> dict[str, bytes]:
    """What a fresh ``lisite build`` of the site writes: nothing remembered in this process, and a cache folder of the
    fresh builds' own (the live session's values never reach them)."""
    remember.forget()
    with monkeypatch.context() as patch:
        patch.setenv("LISITE_CACHE", str(folder.parent / "fresh-cache"))
        build(site, output_dir=folder / "out")
    found = files(folder / "out")
    found.pop(lisite.unchanged.RECORD)  # what a later lisite build compares with; a session's build is not recorded
    return found


def same_as_fresh(site: Path, live: Path, folder: Path, monkeypatch) -> dict[str, bytes]:
    made, expected = files(live), fresh_build(site, folder, monkeypatch)
    assert sorted(made) == sorted(expected)
    assert [path for path in expected if made[path] != expected[path]] == []
    return made


def cases(site: Path) -> tuple[Path, list[str]]:
    path = site / "sample_data" / "sager.csv"
    return path, path.read_text(encoding="utf-8").splitlines()


def caseworker_page(caseworker: str) -> str:
    return f"sagsbehandlere/sager/{caseworker}.html"


def test_a_live_session_after_data_edits_writes_what_a_fresh_build_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    site, live = demo_site(tmp_path / "site", AUDIENCES), tmp_path / "live"
    session = Session(live=True)
    build(site, output_dir=live, session=session)  # a session's first build is a fresh one (test_live_edits checks it)
    before = files(live)

    # the benchmark's edit: the last case's gender. The figures by gender change; no caseworker's page shows it
    path, lines = cases(site)
    swapped = lines[-1].replace(";Dreng;", ";Pige;") if ";Dreng;" in lines[-1] else lines[-1].replace(";Pige;", ";Dreng;")
    assert swapped != lines[-1]
    path.write_text("\n".join([*lines[:-1], swapped]) + "\n", encoding="utf-8")
    build(site, output_dir=live, session=session)
    after = same_as_fresh(site, live, tmp_path / "fresh1", monkeypatch)
    assert after["ledere/temaer/maalgrupper.html"] != before["ledere/temaer/maalgrupper.html"]
    assert [p for p in after if p.startswith("sagsbehandlere/sager/") and after[p] != before[p]] == []

    # one open case moved to another caseworker: both their pages and the index change, no other caseworker's page
    header = lines[1].split(";")
    column, closed = header.index("sagsbehandler_id"), header.index("afsluttet")
    number = next(i for i in range(len(lines) - 1, 1, -1) if lines[i].split(";")[closed] == "")
    row = lines[number].split(";")
    old = row[column]
    new = next(line.split(";")[column] for line in lines[2:] if line.split(";")[column] not in ("", old))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number] = ";".join([*row[:column], new, *row[column + 1:]])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build(site, output_dir=live, session=session)
    moved = same_as_fresh(site, live, tmp_path / "fresh2", monkeypatch)
    changed = sorted(p for p in moved if p.startswith("sagsbehandlere/sager/") and moved[p] != after.get(p))
    assert changed == sorted([caseworker_page(old), caseworker_page(new), "sagsbehandlere/sager/index.html"])
    assert row[0].encode() in moved[caseworker_page(new)] and row[0].encode() not in moved[caseworker_page(old)]


@pytest.fixture(autouse=True)
def nothing_remembered():
    remember.forget()
    yield
    remember.forget()


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_a_computation_is_kept_while_the_columns_it_reads_are_the_same_and_made_again_when_one_changed():
    made = []

    def count_open(cases, words):
        made.append(len(cases))
        return cases.groupby("team").size().rename(words).reset_index()

    ctx = SimpleNamespace(data={"sager": frame(team=["A", "A", "B"], koen=["Pige", "Dreng", "Pige"])})
    first = calc.remembered(ctx, count_open, {"sager": ["team"]}, "antal")
    first.loc[0, "antal"] = 99  # the caller's copy: nothing kept changes
    ctx.data = {"sager": frame(team=["A", "A", "B"], koen=["Dreng", "Dreng", "Pige"])}  # a column it does not read
    kept = calc.remembered(ctx, count_open, {"sager": ["team"]}, "antal")
    assert made == [3] and kept["antal"].tolist() == [2, 1]
    ctx.data = {"sager": frame(team=["A", "B", "B"], koen=["Dreng", "Dreng", "Pige"])}  # a column it reads
    assert calc.remembered(ctx, count_open, {"sager": ["team"]}, "antal")["antal"].tolist() == [1, 2]
    assert calc.remembered(ctx, count_open, {"sager": ["team"]}, "sager")["sager"].tolist() == [1, 2]  # other words
    assert made == [3, 3, 3]


def test_a_derived_frame_is_made_once_for_the_figures_made_from_it_and_kept_by_what_it_read():
    made = []

    def joined(cases, teams, unknown):  # what several figures are made from
        made.append("joined")
        return cases.merge(teams, on="team", how="left").fillna({"omraade": unknown})

    def by_area(rows, words):
        made.append("by_area")
        return rows.groupby("omraade").size().rename(words).reset_index()

    def girls(rows):
        made.append("girls")
        return int((rows["koen"] == "Pige").sum())

    def figures(ctx):
        rows = calc.Derived(joined, {"sager": ["team", "koen"], "teams": None}, "ukendt")
        return calc.remembered(ctx, by_area, {rows: None}, "antal"), calc.remembered(ctx, girls, {rows: None})

    teams = frame(team=["A", "B"], omraade=["Nord", "Syd"])
    ctx = SimpleNamespace(data={"sager": frame(team=["A", "A", "C"], koen=["Pige", "Dreng", "Pige"], alder=[3, 4, 5]),
                                "teams": teams})
    areas, count = figures(ctx)
    assert areas.to_dict("list") == {"omraade": ["Nord", "ukendt"], "antal": [2, 1]} and count == 2
    assert made == ["joined", "by_area", "girls"]  # the derived frame once for both figures
    ctx.data = {**ctx.data, "sager": frame(team=["A", "A", "C"], koen=["Pige", "Dreng", "Pige"], alder=[9, 9, 9])}
    assert figures(ctx)[1] == 2 and made == ["joined", "by_area", "girls"]  # a column nothing read: all kept
    ctx.data = {**ctx.data, "sager": frame(team=["A", "B", "C"], koen=["Pige", "Pige", "Pige"], alder=[9, 9, 9])}
    areas, count = figures(ctx)
    assert areas.to_dict("list") == {"omraade": ["Nord", "Syd", "ukendt"], "antal": [1, 1, 1]} and count == 3
    assert made == ["joined", "by_area", "girls"] * 2  # a column it read: made again, once, and both figures with it
    assert figures(SimpleNamespace(data={**ctx.data, "teams": frame(team=["B"], omraade=["Vest"])}))[0]["omraade"].tolist() == [
        "Vest", "ukendt"]  # the other dataset it reads counts too
    made.clear()
    remember.forget_derived()  # as a build does once its figures are made: the figures are kept, the frame is not
    assert figures(ctx)[1] == 3 and made == []
    assert calc.remembered(ctx, by_area, {calc.Derived(joined, {"sager": ["team", "koen"], "teams": None}, "ukendt"): None},
                           "n")["n"].tolist() == [1, 1, 1] and made == ["joined", "by_area"]  # made again when needed


def test_a_computation_sees_only_the_columns_it_reads():
    ctx = SimpleNamespace(data={"sager": frame(team=["A"], koen=["Pige"])})
    with pytest.raises(KeyError):
        calc.remembered(ctx, lambda cases: cases["koen"], {"sager": ["team", "no_such_column"]})


def test_a_content_key_is_of_the_cells_not_of_the_object():
    one, same = frame(a=[1, 2], b=["x", "y"]), frame(a=[1, 2], b=["x", "y"])
    same.attrs["file"] = "sager.csv"
    assert calc.content_key(one, "2026-09") == calc.content_key(same, "2026-09")
    assert calc.content_key(one) != calc.content_key(frame(a=[1, 2], b=["x", "z"]))
    assert calc.content_key(one) != calc.content_key(frame(a=[1.0, 2.0], b=["x", "y"]))  # other types show otherwise
    assert calc.content_key(one) != calc.content_key(one.set_axis([5, 6]))
    assert calc.content_key(object()) is None  # known by its address only: never a key


def test_a_count_reads_the_columns_its_queries_name():
    count = lisite.Count(dataset="ydelser", active=("startdato", "slutdato"), distinct="sags_id",
                         where="indsatsgruppe == 'Anbringelse' and not (slutdato < startdato)", numerator="familiepleje")
    assert read_columns(count, ["team"], []) == ["team", "sags_id", "startdato", "slutdato", "indsatsgruppe", "familiepleje"]
    assert read_columns(lisite.Count(dataset="sager", date="oprettet"), ["omraade"], ["omraade"]) == ["omraade", "oprettet", "sags_id"]
    assert read_columns(lisite.Count(dataset="sager", date="oprettet", where="koen == @wanted"), [], []) is None
    assert read_columns(lisite.Count(dataset="sager", date="oprettet", where="`mit felt` > 1"), [], []) is None


def test_a_count_is_counted_again_after_an_edit_of_a_column_only_its_where_names():
    count = lisite.Count(dataset="sager", date="oprettet", where="koen == 'Pige'")
    indicator = SimpleNamespace(dimensions=(), levels=(), unit="antal")
    days = pd.to_datetime(["2026-08-03", "2026-09-01", "2026-09-20"])
    ctx = SimpleNamespace(months=lambda: ["2026-08", "2026-09"], t=lambda key: "Ukendt",
                          data={"sager": frame(oprettet=days, koen=["Pige", "Pige", "Dreng"], team=["A", "A", "B"])})
    assert compute_count(count, indicator, ctx)["numerator"].tolist() == [1.0, 1.0]
    ctx.data = {"sager": frame(oprettet=days, koen=["Pige", "Pige", "Pige"], team=["A", "A", "B"])}
    assert compute_count(count, indicator, ctx)["numerator"].tolist() == [1.0, 2.0]


def test_a_column_key_changes_with_its_column_alone():
    before = frame(team=["A", "B"], koen=["Pige", "Dreng"], antal=[1, 2])
    after = frame(team=["A", "B"], koen=["Dreng", "Dreng"], antal=[1, 2])
    assert calc.column_key(before, "team") == calc.column_key(after, "team")  # another column was edited
    assert calc.column_key(before, "koen") != calc.column_key(after, "koen")
    assert calc.column_key(before, "team") != calc.column_key(frame(team=["A", "C"]), "team")
    assert calc.column_key(before, "antal") != calc.column_key(frame(antal=["1", "2"]), "antal")  # the type counts
    assert calc.column_key(before, "antal") != calc.column_key(frame(antal=[1.0, 2.0]), "antal")
