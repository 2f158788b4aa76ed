"""``lisite serve`` makes again only what an edit touches, and writes what a fresh build of the edited site writes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import lisite.build
import lisite.context
import lisite.plugins
import lisite.render
import lisite.unchanged
from lisite.build import Session, build

from conftest import TINY_PLUGIN, tiny_config

# The tiny plugin with a second dataset read by a second indicator, and a page per audience whose text is
# content/tekster/<audience id>.md, so a text edit concerns one audience.
LIVE_PLUGIN = TINY_PLUGIN.replace('''    ))]
''', '''    )), lisite.DatasetSpec("andet", "Andet", (
        lisite.Column("maaned", "str"),
        lisite.Column("team", "str"),
        lisite.Column("antal", "int"),
    ))]

def compute_other(ctx):
    data = ctx.data["andet"]
    out = data.groupby(["maaned", "team"])["antal"].sum().reset_index()
    return out.rename(columns={"maaned": "period", "antal": "numerator"})
''', 1).replace('''        shown_to=("municipality", "team"), key_figure=True)]''', '''        shown_to=("municipality", "team"), key_figure=True),
        lisite.Indicator(id="tiny.andet", title="Andet i alt", theme="administration",
        element="administrativ_styring", unit="antal", compute=compute_other, levels=("team",),
        shown_to=("municipality", "team"))]''').replace('''    return [lisite.Page("tal/antal.html", "Antal", blocks, section="Tal")]''', '''    return [lisite.Page("tal/antal.html", "Antal", blocks, section="Tal"),
            lisite.Page("tal/andet.html", "Andet", [lisite.IndicatorView("tiny.andet")], section="Tal"),
            lisite.Page("om.html", "Om", [lisite.Markdown(source=f"tekster/{audience.id}.md")], section="Om"),
            lisite.Page("problemer.html", "Problemer", [lisite.Markdown(text=" ".join(p.message for p in ctx.problems))])]''')

# A check that reads a text of the site itself, as the comparison's catalogue check does.
CHECK_PLUGIN = """
import lisite

@lisite.hookimpl
def lisite_validate(data, config):
    rule = config.content_dir / "regler.md"
    return [lisite.Problem(rule.read_text(encoding="utf-8").strip(), severity="warning")] if rule.is_file() else []
"""

OTHER_DATA = "maaned;team;antal\n2026-08;A;7\n2026-09;A;8\n2026-09;B;9\n"


@pytest.fixture
def live_site(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    config = tiny_config().replace("[plugins]", '[sources.andet]\npath = "data/andet.csv"\n[plugins]').replace('"frontpage", ', "")
    assert '"frontpage"' not in config  # the front page with its key figures and foreword, as the demo's
    return make_site({"plugins/tiny.py": LIVE_PLUGIN, "plugins/check.py": CHECK_PLUGIN, "content/regler.md": "Første regel.\n", "data/andet.csv": OTHER_DATA,
                      "content/tekster/udvalg.md": "# Til udvalget\n\nFørste udgave.\n",
                      "content/tekster/ledere.md": "# Til lederne\n\nFørste udgave.\n"}, config=config)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def same_as_fresh(site: Path, live: Path, fresh: Path) -> None:
    """The live session's folder holds, file by file, what a fresh build of the site writes."""
    build(site, output_dir=fresh)
    made, expected = files(live), files(fresh)
    expected.pop(lisite.unchanged.RECORD)  # what a later lisite build compares with; a session's build is not recorded
    assert sorted(made) == sorted(expected)
    assert [path for path in expected if made[path] != expected[path]] == []


def test_a_picture_saved_again_under_serve_is_the_one_the_site_shows(live_site, tmp_path):
    """A picture in a text (lisite.pictures) is part of what an audience's kept site read: saved again with the text
    unchanged, the session writes the new picture, as a fresh build would."""
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    picture = live_site / "content" / "tekster" / "kort.svg"
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><title>Første</title></svg>', encoding="utf-8")
    edit(live_site / "content" / "tekster" / "udvalg.md", "Første udgave.", "Første udgave.\n\n![Kortet](kort.svg)")
    session = Session(live=True)
    build(live_site, output_dir=live, session=session)
    assert 'src="assets/indhold/tekster/kort.svg"' in (live / "udvalg" / "om.html").read_text(encoding="utf-8")
    assert b"<title>F\xc3\xb8rste</title>" in (live / "udvalg" / "assets" / "indhold" / "tekster" / "kort.svg").read_bytes()
    edit(picture, "Første", "Anden")
    build(live_site, output_dir=live, session=session)
    assert b"<title>Anden</title>" in (live / "udvalg" / "assets" / "indhold" / "tekster" / "kort.svg").read_bytes()
    same_as_fresh(live_site, live, fresh)
    assert not (live / "ledere" / "assets" / "indhold").exists()  # the leaders' text shows no picture


def test_a_live_session_writes_what_a_fresh_build_writes_after_each_edit(live_site, tmp_path):
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    session = Session(live=True)
    build(live_site, output_dir=live, session=session)
    same_as_fresh(live_site, live, fresh)

    edit(live_site / "content" / "tekster" / "udvalg.md", "Første udgave.", "Anden udgave.")
    build(live_site, output_dir=live, session=session)
    assert "Anden udgave." in (live / "udvalg" / "om.html").read_text(encoding="utf-8")
    same_as_fresh(live_site, live, fresh)

    (live_site / "content" / "forside").mkdir()
    (live_site / "content" / "forside" / "udvalg.md").write_text("Velkommen, udvalg.\n", encoding="utf-8")
    build(live_site, output_dir=live, session=session)  # a foreword of its own in front of lisite's
    assert "Velkommen, udvalg." in (live / "udvalg" / "index.html").read_text(encoding="utf-8")
    same_as_fresh(live_site, live, fresh)

    (live_site / "content" / "indikatorer").mkdir()
    (live_site / "content" / "indikatorer" / "tiny.andet.md").write_text('+++\ntitle = "Andre sager"\n+++\n', encoding="utf-8")
    build(live_site, output_dir=live, session=session)  # a new title: the menu, the pages and the search index
    assert "Andre sager" in (live / "ledere" / "tal" / "andet.html").read_text(encoding="utf-8")
    same_as_fresh(live_site, live, fresh)

    edit(live_site / "content" / "regler.md", "Første regel.", "Anden regel.")
    build(live_site, output_dir=live, session=session)  # a check's finding, listed on a page
    assert "Anden regel." in (live / "ledere" / "problemer.html").read_text(encoding="utf-8")
    same_as_fresh(live_site, live, fresh)

    edit(live_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(live_site, output_dir=live, session=session)
    assert "27" in (live / "udvalg" / "tal" / "andet.html").read_text(encoding="utf-8")  # 8 + 19
    same_as_fresh(live_site, live, fresh)


def test_a_text_edit_makes_again_only_the_audiences_that_read_it(live_site, tmp_path):
    session = Session(live=True)
    build(live_site, output_dir=tmp_path / "live", session=session)
    before = dict(session.audiences.kept)
    edit(live_site / "content" / "tekster" / "ledere.md", "Første udgave.", "Anden udgave.")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert session.audiences.kept["udvalg"] is before["udvalg"]  # handed back as it was
    assert session.audiences.kept["ledere"] is not before["ledere"]
    edit(live_site / "lisite.toml", 'title = "Testsite"', 'title = "Testsitet"')
    build(live_site, output_dir=tmp_path / "live", session=session)  # the config: every audience
    assert all(session.audiences.kept[name] is not before[name] for name in ("udvalg", "ledere"))


def test_a_data_edit_stages_only_the_indicators_that_read_the_dataset(live_site, tmp_path, monkeypatch):
    staged = []
    real = lisite.context.stage_with_window

    def counting(indicator, frame, audience, *rest):
        staged.append((audience.id, indicator.id))
        return real(indicator, frame, audience, *rest)

    monkeypatch.setattr(lisite.context, "stage_with_window", counting)
    session = Session(live=True)
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert sorted(staged) == [("ledere", "tiny.andet"), ("ledere", "tiny.antal"), ("udvalg", "tiny.andet"), ("udvalg", "tiny.antal")]
    staged.clear()
    edit(live_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert sorted(staged) == [("ledere", "tiny.andet"), ("udvalg", "tiny.andet")]  # tiny.antal reads only tal.csv
    staged.clear()
    edit(live_site / "data" / "tal.csv", "2026-09;C;20;S-9", "2026-09;C;30;S-9")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert sorted(staged) == [("ledere", "tiny.antal"), ("udvalg", "tiny.antal")]


def test_a_check_that_reads_a_text_runs_again_when_only_the_text_changed(live_site, tmp_path):
    session = Session(live=True)
    report = build(live_site, output_dir=tmp_path / "live", session=session)
    assert [str(p.message) for p in report.warnings] == ["Første regel."]
    edit(live_site / "content" / "regler.md", "Første regel.", "Anden regel.")
    report = build(live_site, output_dir=tmp_path / "live", session=session)  # the data are kept, the checks run
    assert [str(p.message) for p in report.warnings] == ["Anden regel."]


def test_stamps_read_a_file_again_only_when_it_may_have_changed(tmp_path, monkeypatch):
    import hashlib
    from types import SimpleNamespace

    import lisite.live

    reads = []
    counting = SimpleNamespace(file_digest=lambda fh, name: reads.append(fh.name) or hashlib.file_digest(fh, name))
    monkeypatch.setattr(lisite.live, "hashlib", counting)
    stamps = lisite.live.Stamps()
    path = tmp_path / "sager.csv"
    path.write_text("a;1\n", encoding="utf-8")
    first = stamps.file(path)
    path.write_text("a;2\n", encoding="utf-8")  # the same size, within the same second: read again
    assert stamps.file(path) != first
    assert len(reads) == 2
    later = time.time_ns() + 10**10
    monkeypatch.setattr(lisite.live, "time", SimpleNamespace(time_ns=lambda: later))  # hashed ten seconds after its last change
    stamps.file(path)
    assert stamps.file(path) == stamps.file(path)
    assert len(reads) == 3  # settled: its stat vouches for it
    path.write_text("a;33\n", encoding="utf-8")
    assert stamps.file(path) != first and len(reads) == 4
    path.unlink()
    assert stamps.file(path) == ""


# A second indicator on the same dataset that counts rows (so an edited number leaves its result as it was), and a
# page that reads the raw data itself.
ROWS_PLUGIN = '''
import lisite

def rows(ctx):
    data = ctx.data["tal"]
    out = data.groupby(["maaned", "team"]).size().reset_index(name="numerator")
    return out.rename(columns={"maaned": "period"})

@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id="tiny.raekker", title="Rækker i alt", theme="administration", element="administrativ_styring",
        unit="antal", compute=rows, levels=("team",), shown_to=("municipality", "team"))]

@lisite.hookimpl
def lisite_pages(audience, ctx):
    largest = int(ctx.data["tal"]["antal"].max())
    return [lisite.Page("tal/raekker.html", "Rækker", [lisite.IndicatorView("tiny.raekker")], section="Tal"),
            lisite.Page("tal/stoerst.html", "Størst", [lisite.Markdown(text=f"Største antal: {largest}.")], section="Tal")]
'''


@pytest.fixture
def tracked(live_site, monkeypatch):
    """The live site with the rows plugin, and a record of what each build made again."""
    (live_site / "plugins" / "raekker.py").write_text(ROWS_PLUGIN, encoding="utf-8")
    made = {"computed": [], "staged": [], "views": [], "pages": [], "checked": []}
    compute_one, stage, make_indicator = lisite.build.compute_one, lisite.context.stage_with_window, lisite.render.Views.make_indicator
    call_one, check_output = lisite.plugins.PluginManager.call_one, lisite.build.check_output

    def computing(indicator, *rest):
        made["computed"].append(indicator.id)
        return compute_one(indicator, *rest)

    def staging(indicator, frame, audience, *rest):
        made["staged"].append((audience.id, indicator.id))
        return stage(indicator, frame, audience, *rest)

    def viewing(self, block, view):
        made["views"].append((self.ctx.audience.id, block.indicator, block.by))
        return make_indicator(self, block, view)

    def paging(self, hook, plugin, **kwargs):
        if hook == "lisite_pages":
            made["pages"].append((kwargs["audience"].id, plugin))
        return call_one(self, hook, plugin, **kwargs)

    def checking(pm, audience, files, ctx):
        made["checked"].append(audience.id)
        return check_output(pm, audience, files, ctx)

    monkeypatch.setattr(lisite.build, "compute_one", computing)
    monkeypatch.setattr(lisite.context, "stage_with_window", staging)
    monkeypatch.setattr(lisite.render.Views, "make_indicator", viewing)
    monkeypatch.setattr(lisite.plugins.PluginManager, "call_one", paging)
    monkeypatch.setattr(lisite.build, "check_output", checking)
    return live_site, made


def first_build(site: Path, live: Path, made: dict) -> Session:
    session = Session(live=True)
    build(site, output_dir=live, session=session)
    assert "tiny.raekker" in made["computed"] and ("udvalg", "tiny.raekker", "") in made["views"]
    for found in made.values():
        found.clear()
    return session


def test_an_edit_that_changes_one_result_makes_again_only_what_shows_it(tracked, tmp_path):
    site, made = tracked
    live = tmp_path / "live"
    session = first_build(site, live, made)
    edit(site / "data" / "tal.csv", "2026-09;C;20;S-9", "2026-09;C;30;S-9")
    build(site, output_dir=live, session=session)
    assert sorted(made["computed"]) == ["tiny.antal", "tiny.raekker"]  # both read tal.csv; tiny.andet reads andet.csv
    assert sorted(set(made["staged"])) == [("ledere", "tiny.antal"), ("udvalg", "tiny.antal")]  # tiny.raekker came out the same
    assert {indicator for _, indicator, _ in made["views"]} == {"tiny.antal"}
    assert sorted(made["pages"]) == [("ledere", "raekker"), ("udvalg", "raekker")]  # the page that reads the data itself
    assert sorted(made["checked"]) == ["ledere", "udvalg"]  # each audience whose pages changed is checked as a whole
    assert "Antal i alt var 45 i september 2026." in (live / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert "Største antal: 30." in (live / "udvalg" / "tal" / "stoerst.html").read_text(encoding="utf-8")
    same_as_fresh(site, live, tmp_path / "fresh")


def test_an_edit_that_changes_nothing_shown_writes_the_same_pages(tracked, tmp_path):
    site, made = tracked
    live = tmp_path / "live"
    session = first_build(site, live, made)
    before = files(live)
    edit(site / "data" / "tal.csv", "2026-09;C;20;S-9", "2026-09;C;20;S-99")  # a case number no audience sees
    build(site, output_dir=live, session=session)
    assert sorted(made["computed"]) == ["tiny.antal", "tiny.raekker"]
    assert made["staged"] == [] and made["views"] == []  # their results are the same: figures and views kept
    assert sorted(made["checked"]) == ["ledere", "udvalg"]  # checked again against the new case numbers
    after = files(live)
    assert sorted(after) == sorted(before)
    assert [path for path in after if after[path] != before[path] and not path.endswith(("manifest.json", ".lisite-build.json"))] == []
    same_as_fresh(site, live, tmp_path / "fresh")


def test_a_kept_page_is_checked_again_against_the_edited_data(tracked, tmp_path):
    from lisite.errors import BuildError

    site, made = tracked
    live = tmp_path / "live"
    session = first_build(site, live, made)
    before = files(live)
    edit(site / "data" / "tal.csv", "2026-09;C;20;S-9", "2026-09;C;20;Rækker")  # now a case number, and in every page's menu
    with pytest.raises(BuildError, match="Rækker"):
        build(site, output_dir=live, session=session)
    assert made["views"] == []  # nothing shown was made again: the kept pages themselves failed the check
    assert files(live) == before  # the last good site stays


def test_an_edit_of_a_dataset_an_indicator_reads_makes_it_again(tracked, tmp_path):
    site, made = tracked
    live = tmp_path / "live"
    session = first_build(site, live, made)
    edit(site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(site, output_dir=live, session=session)
    assert made["computed"] == ["tiny.andet"]
    assert {indicator for _, indicator, _ in made["views"]} == {"tiny.andet"}
    assert made["pages"] == []  # no page reads andet.csv itself
    assert "27" in (live / "udvalg" / "tal" / "andet.html").read_text(encoding="utf-8")
    same_as_fresh(site, live, tmp_path / "fresh")


def test_a_part_is_kept_only_while_what_it_read_is_the_same():
    from lisite.tracking import Reads, Recorded

    reads = Reads()
    reads.values.update({("data", "tal"): "a", ("data", "andet"): "b"})
    data = Recorded({"tal": 1, "andet": 2}, reads, "data")
    with reads.recording() as outer:
        with reads.recording() as inner:
            assert "andet" in data and data["tal"] == 1  # asking whether a dataset is there reads nothing
        assert inner == {("data", "tal"): "a"}
    assert outer == inner  # the part around it read it too
    assert reads.same(inner)
    reads.values[("data", "andet")] = "c"
    assert reads.same(inner)  # another dataset changed
    reads.values[("data", "tal")] = "d"
    assert not reads.same(inner)


def test_a_key_given_as_a_function_is_worked_out_only_when_a_later_build_may_ask_for_the_value(tmp_path):
    from lisite import testing
    from lisite.cache import BuildInputs

    ctx = testing.page_context([], {}, "udvalg", tmp_path)
    ctx.inputs = BuildInputs(data=(), config="c", code="p", views="v", texts="t")
    asked, made = [], []
    key = lambda: asked.append(1) or ("side", "a")
    make = lambda: made.append(1) or object()
    ctx.cache.lasting = False  # a one-off build's own cache
    assert ctx.kept(key, make) is not ctx.kept(key, make)
    assert asked == [] and len(made) == 2
    ctx.cache.lasting = True  # lisite serve's
    first = ctx.kept(key, make)
    assert ctx.kept(key, make) is first and len(asked) == 2 and len(made) == 3
    assert ctx.kept(lambda: None, make) is not first and len(made) == 4  # no key: made, not kept
    assert ctx.kept(("side", "a"), make) is first  # the same key given as it is


def test_a_result_hash_tells_apart_what_shows_apart():
    import pandas as pd
    from lisite.tracking import result_digest

    frame = pd.DataFrame({"period": ["2026-09"], "numerator": [1.0]})
    assert result_digest(frame) == result_digest(pd.DataFrame({"period": ["2026-09"], "numerator": [1.0]}))
    assert result_digest(frame) != result_digest(frame.assign(numerator=[-0.0]))
    assert result_digest(frame.assign(numerator=[0.0])) != result_digest(frame.assign(numerator=[-0.0]))
    assert result_digest(frame.assign(team=[1])) != result_digest(frame.assign(team=["1"]))
    assert result_digest(frame) != result_digest(frame.rename(columns={"numerator": "value"}))
    assert result_digest(frame) != result_digest(frame, ("tal",))  # the datasets it read, the periods it asked for


def test_an_audience_limited_to_one_team_is_made_from_the_edited_data(live_site, tmp_path):
    config = live_site / "lisite.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[audiences.team_a]\ntitle = "Team A"\nlevel = "team"\nmin_count = 1\n'
                      'filter = { team = "A" }\n', encoding="utf-8")
    (live_site / "content" / "tekster" / "team_a.md").write_text("# Til team A\n", encoding="utf-8")
    live, session = tmp_path / "live", Session(live=True)
    build(live_site, output_dir=live, session=session)
    for old, new in (("2026-09;B;3;S-8", "2026-09;B;4;S-8"), ("2026-09;A;12;S-7", "2026-09;A;13;S-7")):  # outside the team, then inside
        edit(live_site / "data" / "tal.csv", old, new)
        build(live_site, output_dir=live, session=session)
        same_as_fresh(live_site, live, tmp_path / "fresh")
    assert "13" in (live / "team_a" / "tal" / "antal.html").read_text(encoding="utf-8")


def test_the_leak_check_reads_a_person_level_column_again_only_after_an_edit_of_it(live_site, tmp_path, monkeypatch):
    import sys

    session = Session(live=True)
    build(live_site, output_dir=tmp_path / "live", session=session)  # the leak check's module is loaded now
    check = sys.modules["lisite_builtin.leakcheck"]
    read = []
    real = check.column_values

    def counting(name, dataset, column, t):
        read.append((name, column.name))
        return real(name, dataset, column, t)

    monkeypatch.setattr(check, "column_values", counting)
    edit(live_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")  # no person-level column in it
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert read == []
    edit(live_site / "data" / "tal.csv", "2026-09;C;20;S-9", "2026-09;C;30;S-9")  # another column of its dataset
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert read == []
    edit(live_site / "data" / "tal.csv", "2026-09;C;30;S-9", "2026-09;C;30;S-99")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert read == [("tal", "sags_id")]  # once, for every audience that may not see it
    same_as_fresh(live_site, tmp_path / "live", tmp_path / "fresh")


def test_the_plugin_manager_is_kept_while_the_plugins_are_the_same(live_site, tmp_path):
    live, session = tmp_path / "live", Session(live=True)
    build(live_site, output_dir=live, session=session)
    first = session.plugins.pm
    edit(live_site / "content" / "tekster" / "udvalg.md", "Første udgave.", "Anden udgave.")
    build(live_site, output_dir=live, session=session)
    assert session.plugins.pm is first  # a text edit: the same plugins, the same manager
    edit(live_site / "plugins" / "tiny.py", '"Antal i alt"', '"Antal sager i alt"')  # the site's own plugin
    build(live_site, output_dir=live, session=session)
    assert session.plugins.pm is not first
    assert "Antal sager i alt" in (live / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    same_as_fresh(live_site, live, tmp_path / "fresh")
    second = session.plugins.pm
    (live_site / "plugins" / "ekstra.py").write_text(ROWS_PLUGIN, encoding="utf-8")  # a new plugin beside it
    build(live_site, output_dir=live, session=session)
    assert session.plugins.pm is not second and "ekstra" in session.plugins.pm.infos
    assert (live / "udvalg" / "tal" / "raekker.html").is_file()
    third = session.plugins.pm
    edit(live_site / "lisite.toml", "disabled = [", 'disabled = ["ekstra", ')
    build(live_site, output_dir=live, session=session)
    assert session.plugins.pm is not third and "ekstra" not in session.plugins.pm.infos
    assert not (live / "udvalg" / "tal" / "raekker.html").exists()
    same_as_fresh(live_site, live, tmp_path / "fresh")


def test_a_plugin_manager_key_names_each_source_file_of_a_plugin_package(make_site):
    from lisite.plugins import manager_key

    site = make_site({"plugins/pakke/__init__.py": "from .hjaelp import TAL\n", "plugins/pakke/hjaelp.py": "TAL = 1\n"})
    before = manager_key(site, (), ("plugins",))
    (site / "plugins" / "pakke" / "hjaelp.py").write_text("TAL = 2\n", encoding="utf-8")
    assert manager_key(site, (), ("plugins",)) != before
    assert manager_key(site, (), ("plugins",)) == manager_key(site, (), ("plugins",))


def test_a_text_is_read_once_a_build_and_its_front_matter_parsed_once_a_version(live_site, tmp_path, monkeypatch):
    import lisite.live

    parsed, opened = [], []
    split_front, read_bytes = lisite.live.split_front, Path.read_bytes
    monkeypatch.setattr(lisite.live, "split_front", lambda text, name="", lang="da": parsed.append(name) or split_front(text, name, lang))
    monkeypatch.setattr(lisite.live, "FRONTS", {})  # not what another test parsed
    monkeypatch.setattr(Path, "read_bytes", lambda self, *a, **k: opened.append(self.name) or read_bytes(self, *a, **k))
    (live_site / "content" / "indikatorer").mkdir()
    title = live_site / "content" / "indikatorer" / "tiny.andet.md"
    title.write_text('+++\ntitle = "Andre sager"\n+++\n', encoding="utf-8")
    live, session = tmp_path / "live", Session(live=True)
    build(live_site, output_dir=live, session=session)
    assert opened.count("tiny.andet.md") == 1 and opened.count("udvalg.md") == 1  # asked for again and again, read once
    assert parsed == ["indikatorer/tiny.andet.md"]
    edit(live_site / "content" / "tekster" / "udvalg.md", "Første udgave.", "Anden udgave.")
    build(live_site, output_dir=live, session=session)
    assert parsed == ["indikatorer/tiny.andet.md"]  # the same text: its front matter as it was
    edit(title, "Andre sager", "Andre sager i alt")
    build(live_site, output_dir=live, session=session)
    assert parsed == ["indikatorer/tiny.andet.md"] * 2
    assert "Andre sager i alt" in (live / "ledere" / "tal" / "andet.html").read_text(encoding="utf-8")
    same_as_fresh(live_site, live, tmp_path / "fresh")


def test_an_audience_made_again_hashes_only_its_new_files(live_site, tmp_path, monkeypatch):
    import lisite.live

    hashed, sha256 = [], lisite.live.sha256
    monkeypatch.setattr(lisite.live, "sha256", lambda data: hashed.append(data) or sha256(data))
    live, session = tmp_path / "live", Session(live=True)
    build(live_site, output_dir=live, session=session)
    before = session.audiences.kept["udvalg"]
    hashed.clear()
    edit(live_site / "content" / "tekster" / "udvalg.md", "Første udgave.", "Anden udgave.")
    build(live_site, output_dir=live, session=session)
    made = session.audiences.kept["udvalg"]
    assert made is not before and made.hashes == {path: sha256(data) for path, data in made.site.files.items()}
    assert 0 < len(hashed) < len(made.site.files)  # the files it took over from its last site (same bytes) keep their hash
    assert all(data is not before.site.files.get(path) for path, data in made.site.files.items() if data in hashed)
    assert b"Anden udgave." in (live / "udvalg" / "om.html").read_bytes()
    same_as_fresh(live_site, live, tmp_path / "fresh")


def test_a_plugin_manager_key_changes_with_the_packages_installed_not_with_other_files(make_site, tmp_path, monkeypatch):
    from lisite.plugins import manager_key

    site = make_site()
    folder = tmp_path / "paket"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = manager_key(site, (), ("plugins",))
    (folder / "noter.txt").write_text("en fil, som en editor lægger", encoding="utf-8")  # a folder without packages
    assert manager_key(site, (), ("plugins",)) == before
    (folder / "lisite_ekstra-1.0.dist-info").mkdir()  # a package installed there
    after = manager_key(site, (), ("plugins",))
    assert after != before
    os.utime(folder, ns=(1, 1))  # and again, or removed: the folder's time
    assert manager_key(site, (), ("plugins",)) != after


@pytest.fixture
def counted(monkeypatch):
    """The indicators summed (by id) and the pairs of indicators compared (audience id, indicator id, other) while the
    test builds: what a build works out to tell which indicators count the same (``BuildContext._count_the_same``)."""
    summed, compared = [], []
    real_summed, real_compared = lisite.context.summed, lisite.context.BuildContext._compared

    def counting_summed(indicator, *rest):
        summed.append(indicator.id)
        return real_summed(indicator, *rest)

    def counting_compared(self, indicator_id, other):
        compared.append((self.audience.id, indicator_id, other))
        return real_compared(self, indicator_id, other)

    monkeypatch.setattr(lisite.context, "summed", counting_summed)
    monkeypatch.setattr(lisite.context.BuildContext, "_compared", counting_compared)
    return summed, compared


def test_a_data_edit_compares_again_only_the_pairs_with_an_indicator_it_changed(live_site, tmp_path, counted):
    """Whether two indicators count the same children (``BuildContext._count_the_same``) is kept by their results: after
    an edit of one dataset, the indicators that do not read it are not summed again to be compared with those that do."""
    summed, compared = counted
    session = Session(live=True)
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert {pair[1:] for pair in compared} == {("tiny.andet", "tiny.antal")}  # compared in the first build
    assert "tiny.antal" in summed
    summed.clear()
    compared.clear()
    edit(live_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert {pair[1:] for pair in compared} == {("tiny.andet", "tiny.antal")}  # with the edited one: compared again
    assert set(summed) == {"tiny.andet"}  # tiny.antal reads only tal.csv: its sums' totals are kept
    summed.clear()
    compared.clear()
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert compared == [] and summed == []
    same_as_fresh(live_site, tmp_path / "live", tmp_path / "fresh")


def test_a_text_edit_keeps_the_comparisons_the_next_data_edit_reads(live_site, tmp_path, counted):
    """A text edit makes the committee's pages again, and finds which indicators count the same as each one whole (kept
    by all their results): the comparisons and totals it was made of are kept with it, not swept as unused. A data edit
    after it sums and compares again only what it changed, as after a data edit alone (the benchmark's order: five text
    edits, then a data edit. Swept, the demo's committee compared all its 406 pairs again and summed all 31 indicators)."""
    summed, compared = counted
    session = Session(live=True)
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert "udvalg" in {audience for audience, _, _ in compared} and "tiny.antal" in summed
    edit(live_site / "content" / "tekster" / "udvalg.md", "Første udgave.", "Anden udgave.")
    compared.clear()
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert compared == []  # the committee's pages made again, its comparisons found whole
    summed.clear()
    edit(live_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert set(summed) == {"tiny.andet"}  # tiny.antal reads only tal.csv: its totals were kept through the text edit
    same_as_fresh(live_site, tmp_path / "live", tmp_path / "fresh")


# A second plugin whose page shows a figure of each indicator, each kept by what it read (as the annual report's rows):
# a text edit makes the tiny plugin's pages again, and reuses this one's whole.
FIGURES_PLUGIN = """
import lisite

@lisite.hookimpl
def lisite_pages(audience, ctx):
    def figure(indicator_id):
        return ctx.kept(("figures.total", audience, indicator_id), lambda: str(int(ctx.staged(indicator_id).frame["n"].sum())))

    return [lisite.Page("tal/i-alt.html", "I alt", [lisite.Markdown(text=" og ".join(figure(i) for i in ("tiny.antal", "tiny.andet")))],
                        section="Tal")]
"""


def test_a_text_edit_keeps_what_another_plugins_pages_were_made_of(live_site, tmp_path, monkeypatch):
    """A text edit makes again the pages of the plugin that read the text and reuses the other plugins' pages whole: the
    figures those were made of, each kept by what it read, are kept with them, not swept as unused. A data edit after it
    makes again only the figure it changed (swept, the demo's annual report made the rows of all 34 indicators again)."""
    (live_site / "plugins" / "figures.py").write_text(FIGURES_PLUGIN, encoding="utf-8")
    made = []
    real_kept = lisite.context.BuildContext.kept

    def counting_kept(self, key, make, shared=True):
        if isinstance(key, tuple) and key[0] == "figures.total":
            return real_kept(self, key, lambda: made.append((key[1].id, key[2])) or make(), shared)
        return real_kept(self, key, make, shared)

    monkeypatch.setattr(lisite.context.BuildContext, "kept", counting_kept)
    session = Session(live=True)
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert sorted(made) == [(a, i) for a in ("ledere", "udvalg") for i in ("tiny.andet", "tiny.antal")]
    made.clear()
    edit(live_site / "content" / "tekster" / "udvalg.md", "Første udgave.", "Anden udgave.")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert made == []  # the figures plugin's pages reused whole
    edit(live_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert sorted(made) == [("ledere", "tiny.andet"), ("udvalg", "tiny.andet")]  # tiny.antal's figure kept through the text edit
    same_as_fresh(live_site, tmp_path / "live", tmp_path / "fresh")


def test_a_data_edit_writes_the_record_of_a_report_anew_only_for_the_indicators_it_staged_again(live_site, tmp_path, monkeypatch):
    """The record of each audience's report (what later reports' suppression reads, :mod:`lisite.earlier`) is made of
    each indicator's part, made once for each staging of it: after an edit, the parts of the indicators it did not
    change are read as made, and the record is what a fresh build writes."""
    import lisite.earlier

    made = []
    for name in ("_record_entry", "_figures_entry"):
        real = getattr(lisite.earlier, name)
        monkeypatch.setattr(lisite.earlier, name, lambda periods, window, real=real, name=name:
                            made.append((name, periods.indicator.id)) or real(periods, window))
    session = Session(live=True)
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert sorted(set(made)) == [(name, indicator) for name in ("_figures_entry", "_record_entry") for indicator in ("tiny.andet", "tiny.antal")]
    made.clear()
    edit(live_site / "data" / "andet.csv", "2026-09;B;9", "2026-09;B;19")
    build(live_site, output_dir=tmp_path / "live", session=session)
    assert sorted(made) == sorted([(name, "tiny.andet") for name in ("_figures_entry", "_record_entry")] * 2)  # two audiences
    same_as_fresh(live_site, tmp_path / "live", tmp_path / "fresh")
