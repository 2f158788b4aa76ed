"""Checks kept between the builds of ``lisite serve``: each cross check's problems are kept under what it read
(:func:`lisite.crosschecks.cross_checks`), so an edit must bring back every problem a fresh build reports, with the same words,
file, row and column, and take away the ones it fixed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import TINY_DATA, TINY_PLUGIN, tiny_config, write_site
from lisite import crosschecks, data, remember
from lisite.build import Session, build
from lisite.model import Dataset

# the tiny site's figures, with a register of cases its rows refer to (``tal.sags_id`` → ``sager.sags_id``)
PLUGIN = TINY_PLUGIN.replace(
    'lisite.Column("sags_id", "str", person_level=True),\n    ))]',
    'lisite.Column("sags_id", "str", person_level=True, references="sager.sags_id"),\n    )),\n'
    '    lisite.DatasetSpec("sager", "Sager", (lisite.Column("sags_id", "str", person_level=True, unique=True),))]')
CASES = "sags_id\n" + "".join(f"S-{n}\n" for n in range(1, 10))
SOURCES = '[sources.sager]\npath = "data/sager.csv"\n'
ORGANISATION = '[organisation]\nteam = ["A", "B", "C"]\n'


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    assert PLUGIN != TINY_PLUGIN  # the reference is declared
    return write_site(tmp_path / "site", {"plugins/tiny.py": PLUGIN, "data/sager.csv": CASES},
                      tiny_config(SOURCES + ORGANISATION))


@pytest.fixture
def counted(monkeypatch):
    """The datasets each cross check ran for, in order."""
    calls: dict[str, list[str]] = {"_references": [], "_organisation": [], "_after_period": []}
    for name in calls:
        check = getattr(crosschecks, name)

        def counting(*args, _check=check, _name=name, **kwargs):
            calls[_name].append(next(arg for arg in args if isinstance(arg, Dataset)).spec.name)
            return _check(*args, **kwargs)

        monkeypatch.setattr(crosschecks, name, counting)
    return calls


def said(report) -> list[tuple]:
    """Every warning as the reader gets it: words, file, row, column and the file's header."""
    return sorted((p.message, p.file, p.row, p.column, p.header, str(p)) for p in report.warnings)


def fresh(site: Path, folder: Path) -> list[tuple]:
    remember.forget()
    return said(build(site, output_dir=folder))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_reference_problem_appears_and_goes_with_an_edit_of_the_value_referred_to(site, tmp_path, counted):
    session, live = Session(live=True), tmp_path / "live"
    first = said(build(site, output_dir=live, session=session))
    assert not [w for w in first if "S-3" in w[0]]
    assert sorted(counted["_references"]) == ["sager", "tal"]

    edit(site / "data" / "tal.csv", "2026-08;A;11;", "2026-08;A;12;")  # a figure, not a reference: the check is kept
    assert said(build(site, output_dir=live, session=session)) == first
    assert sorted(counted["_references"]) == ["sager", "tal"]

    edit(site / "data" / "sager.csv", "S-3\n", "S-33\n")  # the case row 4 of tal.csv refers to is gone
    found = said(build(site, output_dir=live, session=session))
    assert sorted(counted["_references"]) == ["sager", "tal", "tal"]  # tal refers to sager; sager refers to nothing
    assert found == fresh(site, tmp_path / "fresh1")
    unknown = [w for w in found if "'S-3'" in w[0]]
    assert [(w[1], w[2], w[3]) for w in unknown] == [("data/tal.csv", 4, "sags_id")]
    assert "data/sager.csv" in unknown[0][0]  # where the value was looked for

    edit(site / "data" / "sager.csv", "S-33\n", "S-3\n")  # put back: the warning goes
    back = said(build(site, output_dir=live, session=session))
    assert back == first == fresh(site, tmp_path / "fresh2")


def test_a_unit_not_in_the_organisation_is_reported_after_an_edit_of_the_data_or_the_list(site, tmp_path, counted):
    session, live = Session(live=True), tmp_path / "live"
    first = said(build(site, output_dir=live, session=session))
    assert not [w for w in first if "'D'" in w[0]]
    assert sorted(counted["_organisation"]) == ["sager", "tal"]

    edit(site / "data" / "sager.csv", "S-9\n", "S-9\nS-10\n")  # another dataset: tal's units are not checked again
    assert said(build(site, output_dir=live, session=session)) == first
    assert sorted(counted["_organisation"]) == ["sager", "sager", "tal"]

    edit(site / "data" / "tal.csv", "2026-09;C;20;", "2026-09;D;20;")  # a team the organisation does not list
    found = said(build(site, output_dir=live, session=session))
    assert counted["_organisation"][-1] == "tal"
    assert found == fresh(site, tmp_path / "fresh1")
    unknown = [w for w in found if "'D'" in w[0]]
    assert [(w[1], w[2], w[3]) for w in unknown] == [("data/tal.csv", 10, "team")]

    config = site / "lisite.toml"
    edit(config, 'team = ["A", "B", "C"]', 'team = ["A", "B", "C", "D"]')  # the list now has it: the warning goes
    listed = said(build(site, output_dir=live, session=session))
    assert not [w for w in listed if "'D'" in w[0]]
    assert listed == fresh(site, tmp_path / "fresh2")

    edit(config, 'team = ["A", "B", "C", "D"]', 'team = ["A", "B", "D"]')  # C is the one missing now
    missing = said(build(site, output_dir=live, session=session))
    assert [(w[1], w[2], w[3]) for w in missing if "'C'" in w[0]] == [("data/tal.csv", 4, "team")]
    assert missing == fresh(site, tmp_path / "fresh3")


def test_kept_problems_are_copies(site, tmp_path):
    """A build names headers and sets the language on the problems it collects: the kept ones stay as found."""
    edit(site / "data" / "tal.csv", "2026-09;C;20;", "2026-09;D;20;")
    session, live = Session(live=True), tmp_path / "live"
    one = build(site, output_dir=live, session=session)
    for problem in one.warnings:
        problem.message += " (changed by the reader)"
    edit(site / "data" / "tal.csv", "2026-08;A;11;", "2026-08;A;12;")
    two = build(site, output_dir=live, session=session)
    assert [w for w in two.warnings if "'D'" in w.message]
    assert not [w for w in two.warnings if "changed by the reader" in w.message]


# ---- the measures' classification (plugins/model/measures.py), kept while the columns it reads are the same ----------


def test_the_measures_classification_is_kept_for_the_same_columns_and_catalogue_and_made_again_after_an_edit(
        tmp_path, monkeypatch):
    from lisite import testing
    from lisite.config import parse_config

    plugin = testing.load_plugin(Path(__file__).resolve().parents[1] / "plugins" / "model" / "measures.py")
    made = []
    classified = plugin.classified
    monkeypatch.setattr(plugin, "classified", lambda frame, *args: made.append(len(frame)) or classified(frame, *args))
    raw = {"municipality": {"code": 615, "name": "Horsens"}, "period": {"current": "2026-09"},
           "measures": {"catalogue": "egne.csv"}}
    own = tmp_path / "egne.csv"
    own.write_text("noegle;slags;indsatsgruppe\n", encoding="utf-8")
    config = parse_config(raw, tmp_path)

    def prepared(rows, amounts):
        frame = pd.DataFrame(rows, columns=["lovhjemmel", "indsatstype"]).assign(beloeb=amounts)
        frame.attrs.update(lines=list(range(2, len(frame) + 2)), file="data/ydelser.csv")
        return plugin.lisite_prepare(data={"ydelser": frame}, config=config)["ydelser"]

    rows = [("BL § 46", "Anbringelse"), ("", "Ukendt tilbud"), ("BL § 32, stk. 1, nr. 3", "Familiebehandling")]
    first = prepared(rows, [1, 2, 3])
    assert list(first["indsatsgruppe"]) == ["Anbringelse", "Øvrige", "Forebyggende"]
    assert first.attrs["measures"]["unknown"] == [(("", "Ukendt tilbud"), 1)]
    assert made == [3]

    again = prepared(rows, [10, 20, 30])  # another column: the classification is kept, the new amounts come along
    assert made == [3]
    assert list(again["beloeb"]) == [10, 20, 30]
    assert list(again["indsatsgruppe"]) == list(first["indsatsgruppe"])
    assert again.attrs["measures"] == first.attrs["measures"]

    rows[1] = ("SEL § 58", "Ukendt tilbud")  # an edited legal basis: classified again
    edited = prepared(rows, [10, 20, 30])
    assert made == [3, 3]
    assert list(edited["indsatsgruppe"]) == ["Anbringelse", "Anbringelse", "Forebyggende"]
    assert edited.attrs["measures"]["unknown"] == []

    own.write_text("noegle;slags;indsatsgruppe\nBL § 32, stk. 1, nr. 3;lovhjemmel;Øvrige\n", encoding="utf-8")
    recatalogued = prepared(rows, [10, 20, 30])  # the site's catalogue changed: classified again
    assert made == [3, 3, 3]
    assert list(recatalogued["indsatsgruppe"]) == ["Anbringelse", "Anbringelse", "Øvrige"]


# ---- typed columns, kept by the content of their cells --------------------------------------------------------------


def test_an_edit_types_only_the_edited_column_again_and_its_bad_value_is_reported_as_a_fresh_build_reports_it(
        site, tmp_path, monkeypatch):
    from lisite.errors import DataError

    typed = []
    original = data._typed
    monkeypatch.setattr(data, "_typed", lambda cells, *args: typed.append(list(cells)) or original(cells, *args))
    session, live = Session(live=True), tmp_path / "live"
    build(site, output_dir=live, session=session)
    assert len(typed) == 4  # tal's four columns; sager's sags_id has the same cells as tal's: typed once

    path = site / "data" / "tal.csv"
    edit(path, "2026-08;A;11;", "2026-08;A;12;")
    del typed[:]
    build(site, output_dir=live, session=session)
    assert typed == [["10", "2", "12", "12", "9", "14", "12", "3", "20"]]  # antal, and nothing else
    assert said(build(site, output_dir=live, session=session)) == fresh(site, tmp_path / "fresh1")

    edit(path, "2026-08;A;12;", "2026-08;A;1x;")  # a value that is not a whole number: an error at its row and column
    with pytest.raises(DataError) as live_error:
        build(site, output_dir=live, session=session)
    with pytest.raises(DataError) as fresh_error:
        remember.forget()
        build(site, output_dir=tmp_path / "fresh2")
    found = [(str(p), p.file, p.row, p.column) for p in live_error.value.problems]
    assert found == [(str(p), p.file, p.row, p.column) for p in fresh_error.value.problems]
    assert [(file, row, column) for _, file, row, column in found] == [("data/tal.csv", 5, "antal")]


def test_an_edit_after_a_build_that_reused_the_data_types_and_checks_only_what_it_changed(site, tmp_path, monkeypatch, counted):
    """A build that finds every source file unchanged (a text edit under ``lisite serve``) reuses the data whole; the
    cache entries they were made from (each dataset, its typed columns, its checks) are used again with them, so that
    build does not sweep them. Swept, the next edit of one value typed every column of the edited file again and ran
    every check of every dataset again."""
    typed = []
    original = data._typed
    monkeypatch.setattr(data, "_typed", lambda cells, *args: typed.append(list(cells)) or original(cells, *args))
    session, live = Session(live=True), tmp_path / "live"
    build(site, output_dir=live, session=session)
    assert counted["_references"] and typed  # (made in the first build)
    build(site, output_dir=live, session=session)  # nothing changed: the data reused whole
    del typed[:]
    for calls in counted.values():
        del calls[:]
    edit(site / "data" / "tal.csv", "2026-08;A;11;", "2026-08;A;12;")
    build(site, output_dir=live, session=session)
    assert typed == [["10", "2", "12", "12", "9", "14", "12", "3", "20"]]  # antal, and nothing else
    assert counted == {"_references": [], "_organisation": [], "_after_period": []}  # none reads antal
    assert said(build(site, output_dir=live, session=session)) == fresh(site, tmp_path / "fresh")


def test_a_kept_typed_column_is_one_of_the_same_cells_type_and_decimal_mark():
    from lisite.cache import BuildCache

    cache = BuildCache()
    cells = pd.Series(["1.500", "2", None], dtype=object)
    as_float = data._typed_kept(cells, "float", ",", cache)[1]
    assert list(as_float[:2]) == [1500.0, 2.0]
    assert list(data._typed_kept(cells, "str", ",", cache)[1][:2]) == ["1.500", "2"]  # the same cells, another type
    assert list(data._typed_kept(cells, "float", ".", cache)[1][:2]) == [1.5, 2.0]  # another decimal mark
    assert list(data._typed_kept(pd.Series(["1.500", "3", None], dtype=object), "float", ",", cache)[1][:2]) == [1500.0, 3.0]
    assert data._typed_kept(cells.copy(), "float", ",", cache)[1].equals(as_float)
    assert len(cache) == 4  # the last: kept


# ---- under serve the values kept for the next process are written after the browser is told ---------------------------


def test_a_disk_cache_that_waits_notes_values_hands_them_out_and_writes_them_when_told(tmp_path):
    from lisite.disk import DiskCache

    cache = DiskCache(tmp_path)
    cache.put(("before", 1), "written at once")
    cache.wait()
    value = {"rows": [1, 2, 3]}
    cache.put(("after", 1), value)
    assert cache.get(("after", 1)) is value  # noted, not pickled
    assert cache.get(("after", 2)) is None
    assert len(list(tmp_path.glob("*.pickle"))) == 1 and cache.writes == 1
    assert DiskCache(tmp_path).get(("after", 1)) is None  # another process does not see it yet
    assert cache.write() == 1
    assert DiskCache(tmp_path).get(("after", 1)) == value
    cache.put(("later", 1), "written at once again")
    assert DiskCache(tmp_path).get(("later", 1)) == "written at once again"
    assert cache.writes == 3


def test_under_serve_the_values_for_the_next_process_are_written_after_the_browser_is_told(site, tmp_path):
    results = tmp_path / "cache" / "results"  # the site fixture's LISITE_CACHE
    pickles = lambda: sorted(path.name for path in results.glob("*.pickle"))  # noqa: E731
    told = []
    session, live = Session(live=True), tmp_path / "live"
    build(site, output_dir=live, session=session, written=lambda: told.append(pickles()))
    assert told == [[]]  # the browser was told before anything was pickled
    first = pickles()
    assert len(first) == session.disk.writes > 0  # the datasets and the figure, after

    edit(site / "data" / "tal.csv", "2026-08;A;11;", "2026-08;A;12;")
    built = said(build(site, output_dir=live, session=session, written=lambda: told.append(pickles())))
    assert told[1] == first
    assert set(pickles()) > set(first)  # the edited dataset and the figure made again, written after the browser was told

    remember.forget()  # the next process reads back what this session wrote
    again = Session(live=True)
    assert said(build(site, output_dir=tmp_path / "again", session=again)) == built
    assert again.disk.reads > 0
