"""An audience whose inputs did not change is read back from the last build, byte for byte; any
change to what it is made from, or to its files in the output folder, builds it again."""

from __future__ import annotations

import json

import pytest

from lisite import reuse
from lisite.build import build
from lisite.errors import LisiteError

from conftest import TINY_PLUGIN

# The tiny plugin, logging every page it makes to a file outside the site folder (named by an env var), with a text
# both audiences read (content/tal.md), one of each audience's own (content/tekster/<audience id>.md) and one it
# looks for and shows when there is one (content/tillaeg/<audience id>.md).
LOGGED = TINY_PLUGIN.replace('''def lisite_pages(audience, ctx):
''', '''def lisite_pages(audience, ctx):
    import os
    with open(os.environ["LISITE_TEST_PAGES_LOG"], "a", encoding="utf-8") as fh:
        fh.write(audience.id + "\\n")
''').replace('''    blocks = [lisite.Markdown(text="Hej *verden*"), ''', '''    extra = ctx.content.get(f"tillaeg/{audience.id}.md")
    blocks = [lisite.Markdown(text="Hej *verden*"), lisite.Markdown(source="tal.md"),
              lisite.Markdown(source=f"tekster/{audience.id}.md"), *([lisite.Markdown(text=extra)] if extra else []), ''')


@pytest.fixture
def site(make_site, tmp_path, monkeypatch):
    log = tmp_path / "pages.log"
    monkeypatch.setenv("LISITE_TEST_PAGES_LOG", str(log))
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    return make_site({"plugins/tiny.py": LOGGED, "content/tal.md": "Første tekst.",
                      "content/tekster/udvalg.md": "Til udvalget.", "content/tekster/ledere.md": "Til lederne."})


def made(site) -> list[str]:
    """The audiences whose pages were made since the last call."""
    log = site.parent / "pages.log"
    found = sorted(log.read_text(encoding="utf-8").split()) if log.exists() else []
    log.unlink(missing_ok=True)
    return found


def snapshot(site) -> dict[str, bytes]:
    out = site / "_site"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_an_unchanged_build_reads_every_audience_back_byte_for_byte(site):
    before = build(site)
    assert made(site) == ["ledere", "udvalg"]
    first = snapshot(site)
    report = build(site)
    assert made(site) == []  # no page was made again
    assert snapshot(site) == first
    assert report.pages == before.pages and report.files == before.files
    record = json.loads((site / "_site" / "udvalg" / reuse.RECORD).read_text(encoding="utf-8"))
    assert set(record["files"]) == {p.split("/", 1)[1] for p in first if p.startswith("udvalg/") and not p.endswith(reuse.RECORD)}


@pytest.mark.parametrize("change", ["data", "content", "config", "plugin", "locale"])
def test_any_change_to_what_it_is_made_from_builds_it_again(site, change):
    build(site)
    made(site)
    if change == "data":
        path = site / "data" / "tal.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("2026-09;C;20", "2026-09;C;21"), encoding="utf-8")
    elif change == "content":
        (site / "content" / "tal.md").write_text("Anden tekst.", encoding="utf-8")
    elif change == "config":
        path = site / "lisite.toml"
        path.write_text(path.read_text(encoding="utf-8").replace('title = "Ledere"', 'title = "Lederne"'), encoding="utf-8")
    elif change == "plugin":
        path = site / "plugins" / "tiny.py"
        path.write_text(path.read_text(encoding="utf-8").replace("Hej *verden*", "Hej *alle*"), encoding="utf-8")
    else:
        (site / "locales" / "da").mkdir(parents=True)
        (site / "locales" / "da" / "extra.toml").write_text('"test.word" = "ord"\n', encoding="utf-8")
    build(site)
    assert made(site) == ["ledere", "udvalg"]


def test_a_text_edit_makes_again_only_the_audiences_that_read_the_text(site, tmp_path):
    build(site)
    made(site)
    (site / "content" / "tekster" / "ledere.md").write_text("Til lederne, anden udgave.", encoding="utf-8")
    build(site)
    assert made(site) == ["ledere"]
    assert "anden udgave" in (site / "_site" / "ledere" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert snapshot(site) == fresh_build(site, tmp_path / "fresh")  # byte for byte, the records too
    build(site)
    assert made(site) == []  # the record of the committee's site names the new key: read back by it

    (site / "content" / "tillaeg").mkdir()
    (site / "content" / "tillaeg" / "udvalg.md").write_text("Et tillæg til udvalget.", encoding="utf-8")
    build(site)
    assert made(site) == ["udvalg"]  # it looked for the text before and found none; the leaders looked for their own
    assert "Et tillæg" in (site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert snapshot(site) == fresh_build(site, tmp_path / "fresh2")

    (site / "content" / "ubrugt.md").write_text("Ingen læser mig.", encoding="utf-8")
    build(site)
    assert made(site) == []  # a text no audience reads


def test_lisite_build_says_which_audiences_it_read_back(site):
    from click.testing import CliRunner

    from lisite.cli import main

    first = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert first.exit_code == 0 and "læst tilbage" not in first.output
    (site / "content" / "tekster" / "ledere.md").write_text("Til lederne, anden udgave.", encoding="utf-8")
    second = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert second.exit_code == 0, second.output
    assert "(udvalg: 2, ledere: 2 sider)" in second.output  # every audience's pages are in the site
    assert second.output.rstrip().endswith("Uændret siden sidste bygning og læst tilbage derfra: udvalg.")
    (site / "lisite.toml").write_text((site / "lisite.toml").read_text(encoding="utf-8").replace("[site]", '[site]\nlanguage = "en"', 1),
                                      encoding="utf-8")
    (site / "content" / "tekster" / "ledere.md").write_text("Til lederne, tredje udgave.", encoding="utf-8")
    third = CliRunner().invoke(main, ["build", "--site", str(site)])  # the config changed: both made
    assert third.exit_code == 0 and "read back" not in third.output and "Built the report" in third.output
    (site / "content" / "tekster" / "ledere.md").write_text("To the leaders.", encoding="utf-8")
    fourth = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert fourth.output.rstrip().endswith("Unchanged since the last build and read back from it: udvalg.")


def test_an_english_site_is_made_again_only_for_the_english_text_it_read(site):
    """A text is looked up by its name as the pages look it up: an English site reads ``content/en/…`` where there is one,
    so an edit of the Danish text beside it makes nothing again, and an edit of the English one makes its reader."""
    config = site / "lisite.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]", '[site]\nlanguage = "en"', 1), encoding="utf-8")
    for name in ("tal.md", "tekster/udvalg.md", "tekster/ledere.md"):
        (site / "content" / "en" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / "en" / name).write_text(f"English {name}.", encoding="utf-8")
    build(site)
    made(site)
    (site / "content" / "tekster" / "ledere.md").write_text("Til lederne, ny dansk udgave.", encoding="utf-8")
    build(site)
    assert made(site) == []
    (site / "content" / "en" / "tekster" / "ledere.md").write_text("To the leaders, a new version.", encoding="utf-8")
    build(site)
    assert made(site) == ["ledere"]
    assert "a new version" in (site / "_site" / "ledere" / "tal" / "antal.html").read_text(encoding="utf-8")
    (site / "content" / "en" / "tekster" / "ledere.md").unlink()  # now the Danish text is the one found
    build(site)
    assert made(site) == ["ledere"]
    assert "ny dansk udgave" in (site / "_site" / "ledere" / "tal" / "antal.html").read_text(encoding="utf-8")


def test_an_unreadable_text_an_audience_read_makes_it_again_and_is_named(site):
    build(site)
    made(site)
    (site / "content" / "tekster" / "ledere.md").write_bytes(b"Til lederne \xff")  # no UTF-8
    with pytest.raises(LisiteError, match="tekster/ledere.md"):
        build(site)


def test_a_build_elsewhere_reads_back_the_audiences_whose_texts_are_unchanged(site, tmp_path):
    build(site)
    made(site)
    (site / "content" / "tekster" / "udvalg.md").write_text("Til udvalget, anden udgave.", encoding="utf-8")
    build(site, output_dir=tmp_path / "pakke")  # the meeting pack's folder: the site's own has the history
    assert made(site) == ["udvalg"]
    assert "anden udgave" in (tmp_path / "pakke" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")


def fresh_build(site, folder) -> dict[str, bytes]:
    """What a build of the site writes with an empty cache and no earlier output (the built site is put back after)."""
    import os
    import shutil

    (site / "_site").rename(folder)
    cache = os.environ["LISITE_CACHE"]
    os.environ["LISITE_CACHE"] = str(folder.with_name(folder.name + "-cache"))
    try:
        build(site)
        made(site)
        return snapshot(site)
    finally:
        os.environ["LISITE_CACHE"] = cache
        shutil.rmtree(site / "_site")
        folder.rename(site / "_site")


def test_the_new_figure_is_shown_after_a_data_edit(site):
    build(site)
    path = site / "data" / "tal.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-09;C;20", "2026-09;C;2000"), encoding="utf-8")
    build(site)
    assert "2.015" in (site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")  # 12 + 3 + 2000


@pytest.mark.parametrize("tamper", ["edit", "delete", "record"])
def test_a_touched_output_file_makes_the_audience_again(site, tamper):
    build(site)
    made(site)
    first = snapshot(site)
    page = site / "_site" / "ledere" / "tal" / "antal.html"
    if tamper == "edit":
        page.write_text(page.read_text(encoding="utf-8") + "<!-- S-7 -->", encoding="utf-8")
    elif tamper == "delete":
        page.unlink()
    else:
        (site / "_site" / "ledere" / reuse.RECORD).write_text("{not json", encoding="utf-8")
    build(site)
    assert made(site) == ["ledere"]  # the untouched audience is read back
    assert snapshot(site) == first


def test_a_partial_build_reuses_only_what_it_builds(site):
    build(site)
    made(site)
    build(site, audiences=["ledere"])
    assert made(site) == []
    build(site)
    assert made(site) == []  # the partial build kept udvalg's site as it was: reused too


def test_plugins_given_as_objects_are_never_reused(site):
    class Extra:
        pass

    build(site, extra_plugins=[("extra", Extra())])
    made(site)
    build(site, extra_plugins=[("extra", Extra())])
    assert made(site) == ["ledere", "udvalg"]


def test_a_failed_build_leaves_the_record_of_the_site_it_kept(site):
    build(site)
    before = snapshot(site)
    path = site / "data" / "tal.csv"
    path.write_text(path.read_text(encoding="utf-8") + "2026-09;A;ikke-et-tal;S-10\n", encoding="utf-8")
    with pytest.raises(LisiteError):
        build(site)
    assert snapshot(site) == before


def test_the_sites_own_output_folder_is_no_input_of_a_build_written_elsewhere(site, tmp_path):
    """``lisite serve`` and ``--output`` write elsewhere: the site's ``_site`` holds an earlier build, whose files are
    neither walked nor part of the key (a change there makes nothing again), while a change to an input still does."""
    build(site)
    other = tmp_path / "elsewhere"
    build(site, output_dir=other)
    made(site)
    (site / "_site" / "udvalg" / "index.html").write_text("en anden bygning", encoding="utf-8")
    (site / "_site" / "ny.txt").write_text("ny", encoding="utf-8")
    build(site, output_dir=other)
    assert made(site) == []
    (site / "content" / "tal.md").write_text("Anden tekst.", encoding="utf-8")
    build(site, output_dir=other)
    assert made(site) == ["ledere", "udvalg"]


def test_an_output_folder_that_holds_an_input_is_walked(site):
    from lisite.config import load_config

    config = load_config(site)
    assert reuse.earlier_output(config, site / "elsewhere") == {(site / "_site").resolve()}
    assert reuse.earlier_output(config, site / "_site") == set()  # the build writes there: skipped as its output
    path = site / "lisite.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[site]", '[site]\noutput = "plugins"', 1), encoding="utf-8")
    config = load_config(site)
    assert config.output_dir.resolve() == (site / "plugins").resolve()
    assert reuse.earlier_output(config, site / "elsewhere") == set()  # the local plugins are in it: they stay part of the key
