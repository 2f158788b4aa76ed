"""`lisite build` of a site where nothing changed: found before any data is read, and nothing written;
any change to what the site is made from, to the output folder or to the options builds it for real."""

from __future__ import annotations

import datetime
import json
import os
import sqlite3

import pytest
from click.testing import CliRunner

from lisite import build as build_module
from lisite import data, unchanged
from lisite.build import build
from lisite.cli import main

from conftest import TINY_DATA, TINY_PLUGIN, tiny_config

UNCHANGED = {"da": "Intet er ændret siden sidste bygning", "en": "Nothing has changed since the last build"}


@pytest.fixture
def builds(monkeypatch):
    """Every call of lisite.build.build the CLI makes, in order (each one is a real build)."""
    calls: list[tuple] = []
    real = build_module.build

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "build", counted)
    return calls


def cli(site, *more):
    result = CliRunner().invoke(main, ["build", "--site", str(site), *map(str, more)])
    assert result.exit_code == 0, result.output
    return result


def files(folder):
    """Every file of the output folder but status.json: its bytes, inode and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "status.json"}


def after(line: str, site) -> str:
    """The last line from the output folder on: its page counts."""
    return line[line.index(str(site / "_site")):]


def status(site):
    return json.loads((site / "_site" / "status.json").read_text(encoding="utf-8"))


def test_nothing_changed_reads_no_data_and_writes_nothing(make_site, builds, monkeypatch):
    site = make_site()
    first = cli(site)
    record = site / "_site" / unchanged.RECORD
    assert len(builds) == 1 and record.is_file()
    an_hour_ago = record.stat().st_mtime - 3600
    os.utime(record, (an_hour_ago, an_hour_ago))  # as if written an hour ago
    before = files(site / "_site")

    def refused(*args, **kwargs):
        raise AssertionError("a dataset was read")

    monkeypatch.setattr(data, "load_all", refused)
    monkeypatch.setattr(build_module, "load_all", refused)
    second = cli(site)
    assert len(builds) == 1  # no build: the check found nothing changed
    assert files(site / "_site") == before  # not a file written, replaced or touched
    assert UNCHANGED["da"] in second.stderr and UNCHANGED["da"] not in first.stderr
    assert after(second.stdout, site) == after(first.stdout, site)  # the same pages, counted alike
    now = status(site)
    assert now["built"] == datetime.datetime.fromtimestamp(an_hour_ago).astimezone().isoformat(timespec="seconds")  # not now
    assert now["last_attempt"]["unchanged"] is True and now["last_attempt"]["failed"] is False
    assert now["pages"] == sum(1 for p in (site / "_site").rglob("*.html") if p.parent != site / "_site")


def test_the_report_is_the_last_builds(make_site):
    site = make_site()
    report = build(site)
    kept = unchanged.kept(site, None, False, None)
    assert kept is not None
    assert kept.pages == report.pages and kept.files == report.files and kept.output_dir == report.output_dir
    assert kept.files == sum(1 for p in (site / "_site").rglob("*") if p.is_file())


def test_warnings_are_printed_again_as_the_build_printed_them(make_site, builds):
    noisy = TINY_DATA.replace("maaned;team;antal;sags_id", "maaned;team;antal;sags_id;note").replace("\n", ";x\n")
    noisy = noisy.replace("maaned;team;antal;sags_id;note;x", "maaned;team;antal;sags_id;note")
    site = make_site({"data/tal.csv": noisy})
    first = cli(site)
    warned = [line for line in first.stderr.splitlines() if line.startswith("advarsel:")]
    assert warned  # the unknown column
    second = cli(site)
    assert len(builds) == 1
    assert [line for line in second.stderr.splitlines() if line.startswith("advarsel:")] == warned
    assert after(second.stdout, site) == after(first.stdout, site)
    published = (site / "_site" / unchanged.RECORD).read_text(encoding="utf-8")  # a warning may quote the data
    assert "note" not in published and str(site) not in published and set(json.loads(published)) == {
        "key", "options", "pages", "files", "output"}
    unchanged._private((site / "_site").resolve()).unlink()  # the warnings, kept in the private cache, are gone
    third = cli(site)
    assert len(builds) == 2 and [line for line in third.stderr.splitlines() if line.startswith("advarsel:")] == warned


def test_the_message_is_in_the_sites_language(make_site, builds):
    site = make_site(config=tiny_config().replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"', 1))
    first = cli(site)
    second = cli(site)
    assert UNCHANGED["en"] in second.stderr and len(builds) == 1
    assert first.stdout.startswith("Built ") and second.stdout.startswith("Unchanged: ") and " pages)" in second.stdout


def test_the_last_line_says_built_or_unchanged(make_site, builds):
    """A site that was not written again is not reported as built."""
    site = make_site()
    first, second = cli(site), cli(site)
    assert first.stdout.startswith("Bygget ") and second.stdout.startswith("Uændret: ") and len(builds) == 1
    assert first.stdout.startswith("Bygget rapporten for september 2026 i ")  # the month: [period] current may be "auto"
    assert after(first.stdout, site) == after(second.stdout, site)  # the same folder and page counts


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES = {
    "source": lambda site: edit(site / "data" / "tal.csv", "2026-09;C;20", "2026-09;C;21"),
    "content": lambda site: (site / "content" / "tal.md").write_text("Anden tekst.", encoding="utf-8"),
    "config": lambda site: edit(site / "lisite.toml", 'title = "Ledere"', 'title = "Lederne"'),
    "plugin": lambda site: edit(site / "plugins" / "tiny.py", "Hej *verden*", "Hej *alle*"),
    "new file": lambda site: (site / "noter.txt").write_text("en ny fil i sitets mappe", encoding="utf-8"),
    "output edited": lambda site: edit(site / "_site" / "udvalg" / "index.html", "</html>", "<!-- rettet --></html>"),
    "output deleted": lambda site: (site / "_site" / "ledere" / "index.html").unlink(),
    "output added": lambda site: (site / "_site" / "udvalg" / "ekstra.html").write_text("<p>x</p>", encoding="utf-8"),
    "output hidden": lambda site: (site / "_site" / ".skjult").mkdir() or (site / "_site" / ".skjult" / "x").write_text("x"),
    "record edited": lambda site: edit(site / "_site" / unchanged.RECORD, '"strict": false', '"strict": true'),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_builds_for_real(make_site, builds, change):
    site = make_site({"content/tal.md": "Første tekst."})
    cli(site)
    made = files(site / "_site")
    CHANGES[change](site)
    second = cli(site)
    assert len(builds) == 2, change
    assert UNCHANGED["da"] not in second.stderr and "unchanged" not in status(site)["last_attempt"]
    if change.startswith("output") or change == "record edited":  # the output folder is the site again
        assert {path: data for path, (data, _, _) in files(site / "_site").items() if path != unchanged.RECORD} \
            == {path: data for path, (data, _, _) in made.items() if path != unchanged.RECORD}
    cli(site)
    assert len(builds) == 2  # and found unchanged after that


@pytest.mark.parametrize("options", [("--audience", "udvalg"), ("--strict",), ("--output", "{tmp}/andet")])
def test_other_options_build_for_real(make_site, builds, tmp_path, options):
    site = make_site()
    cli(site)
    cli(site, *(option.format(tmp=tmp_path) for option in options))
    assert len(builds) == 2


def test_a_new_code_version_builds_for_real(make_site, builds, monkeypatch):
    site = make_site()
    cli(site)
    real = unchanged._environment
    monkeypatch.setattr(unchanged, "_environment", lambda: real() + "\0pandas-99.0.dist-info")  # a library upgraded
    cli(site)
    assert len(builds) == 2


def test_a_source_outside_the_site_folder_is_part_of_it(make_site, builds, tmp_path):
    export = tmp_path / "udtraek" / "tal.csv"
    export.parent.mkdir()
    export.write_text(TINY_DATA, encoding="utf-8")
    site = make_site(config=tiny_config().replace('path = "data/tal.csv"', f'path = "{export.as_posix()}"\noutside = true', 1))
    cli(site)
    cli(site)
    assert len(builds) == 1
    edit(export, "2026-09;C;20", "2026-09;C;21")
    cli(site)
    assert len(builds) == 2


def test_a_database_source_always_builds(make_site, builds):
    config = tiny_config().replace('path = "data/tal.csv"', 'path = "data/tal.sqlite"\ntable = "tal"', 1)
    site = make_site(config=config)
    with sqlite3.connect(site / "data" / "tal.sqlite") as conn:
        conn.execute("CREATE TABLE tal (maaned TEXT, team TEXT, antal INTEGER, sags_id TEXT)")
        rows = [line.split(";") for line in TINY_DATA.splitlines()[1:]]
        conn.executemany("INSERT INTO tal VALUES (?, ?, ?, ?)", rows)
    cli(site)
    assert not (site / "_site" / unchanged.RECORD).exists()  # nothing says whether the rows changed
    cli(site)
    assert len(builds) == 2


LIFECYCLE = TINY_PLUGIN + '''
@lisite.hookimpl
def lisite_build_finish(config, output_dir, ctx):
    (config.site_dir.parent / "finished.log").open("a").write("x")
'''


def test_a_plugin_with_a_build_hook_always_builds(make_site, builds):
    site = make_site({"plugins/tiny.py": LIFECYCLE})
    cli(site)
    cli(site)
    assert len(builds) == 2 and (site.parent / "finished.log").read_text() == "xx"  # its side effect is never skipped
    assert not (site / "_site" / unchanged.RECORD).exists()


def test_plugins_given_as_objects_and_serve_sessions_are_not_recorded(make_site):
    site = make_site()

    class Given:
        pass

    build(site, extra_plugins=[("given", Given())])
    assert not (site / "_site" / unchanged.RECORD).exists()
    build(site, session=build_module.Session(live=True), reload_script="<script></script>")
    assert not (site / "_site" / unchanged.RECORD).exists()
    assert unchanged.kept(site, None, False, None) is None


def test_a_trace_always_builds(make_site, builds, monkeypatch):
    site = make_site()
    cli(site)
    monkeypatch.setenv("LISITE_TRACE", "1")
    CliRunner().invoke(main, ["build", "--site", str(site), "--quiet"])
    assert len(builds) == 2


def test_a_plugin_folder_outside_the_site_folder_is_part_of_it(make_site, builds, tmp_path):
    shared = tmp_path / "delte_plugins"
    shared.mkdir()
    (shared / "tiny.py").write_text(TINY_PLUGIN, encoding="utf-8")
    config = tiny_config().replace("[plugins]\n", '[plugins]\npaths = ["../delte_plugins"]\n', 1)
    site = make_site(config=config)
    (site / "plugins" / "tiny.py").unlink()
    cli(site)
    cli(site)
    assert len(builds) == 1
    edit(shared / "tiny.py", "Hej *verden*", "Hej *alle*")
    cli(site)
    assert len(builds) == 2 and "Hej <em>alle</em>" in (site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")


def test_a_build_written_elsewhere_is_unchanged_when_only_the_sites_own_output_changed(make_site, builds, tmp_path):
    """``lisite build --output DIR`` (a web server's folder): the site's own ``_site`` holds an earlier build, no input,
    and is not hashed; a change to an input still builds."""
    site = make_site()
    cli(site)
    other = tmp_path / "web"
    cli(site, "--output", other)
    assert len(builds) == 2
    (site / "_site" / "udvalg" / "index.html").write_text("en ældre bygning", encoding="utf-8")
    (site / "_site" / "ny.txt").write_text("ny", encoding="utf-8")
    cli(site, "--output", other)
    assert len(builds) == 2  # nothing changed that the site is made from
    (site / "content").mkdir(exist_ok=True)
    (site / "content" / "ny.md").write_text("Ny tekst.", encoding="utf-8")
    cli(site, "--output", other)
    assert len(builds) == 3
