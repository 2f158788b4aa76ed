"""The output folder never holds the site's own files, and sources stay inside the site (issue #10, points 3, 5, 7)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from lisite.build import build
from lisite.check import check
from lisite.cli import main
from lisite.config import load_config
from lisite.errors import ConfigError, DataError
from lisite.output import check_output_dir, remove_leftovers

from conftest import tiny_config

PASSWD = "kanarie:x:0:0:Hemmelig Canarysen:/home/kanarie:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
CANARIES = ("kanarie", "Canarysen", "daemon", "/bin/bash", "nologin")


def tree(folder):
    """Every file below ``folder`` with its content's hash."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def with_output(output: str) -> str:
    return tiny_config().replace('title = "Testsite"', f'title = "Testsite"\noutput = "{output}"', 1)


def with_source(lines: str) -> str:
    return tiny_config().replace('path = "data/tal.csv"', lines, 1)


# --- Point 3: the output folder -------------------------------------------------------------


@pytest.mark.parametrize("output", [".", "./", "data/.."])
def test_output_that_is_the_site_folder_is_refused_and_the_site_is_intact(make_site, output):
    site = make_site(config=with_output(output))
    before = tree(site)
    with pytest.raises(ConfigError) as raised:
        build(site)
    message = raised.value.format_message()
    assert "site.output" in message and "selve sitets mappe" in message and str(site) in message
    assert tree(site) == before
    assert (site / "lisite.toml").is_file() and (site / "data" / "tal.csv").is_file() and (site / "plugins" / "tiny.py").is_file()


def test_output_that_contains_the_site_folder_is_refused_and_the_parent_is_intact(make_site, tmp_path):
    site = make_site(config=with_output(".."))
    (tmp_path / "sibling.txt").write_text("en anden fil", encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(ConfigError, match="indeholder sitets mappe") as raised:
        build(site)
    assert str(tmp_path) in raised.value.format_message()
    assert tree(tmp_path) == before
    assert (tmp_path / "sibling.txt").read_text(encoding="utf-8") == "en anden fil"


def test_output_root_is_refused(make_site):
    site = make_site()
    with pytest.raises(ConfigError, match="indeholder sitets mappe"):
        build(site, output_dir=Path(site.anchor))


@pytest.mark.parametrize("output, what", [("data", "kilden sources.tal.path"), ("plugins", "plugins.paths"),
                                          ("data/tal.csv/x", "ligger i kilden")])
def test_output_that_would_swallow_a_source_or_the_plugins_is_refused(make_site, output, what):
    site = make_site(config=with_output(output))
    before = tree(site)
    with pytest.raises(ConfigError, match="Output-mappen") as raised:
        build(site)
    assert what in raised.value.format_message()
    assert tree(site) == before


def test_output_folder_with_foreign_files_is_refused(make_site, tmp_path):
    site = make_site()
    target = tmp_path / "dokumenter"
    target.mkdir()
    (target / "budget.xlsx").write_bytes(b"not lisite's")
    (target / "manifest.json").write_text('{"something": "else"}', encoding="utf-8")  # not a lisite manifest
    before = tree(target)
    with pytest.raises(ConfigError) as raised:
        build(site, output_dir=target)
    message = raised.value.format_message()
    assert str(target) in message and "--output" in message and "ikke har skrevet" in message and "budget.xlsx" in message
    assert tree(target) == before


def test_output_that_is_a_file_is_refused(make_site, tmp_path):
    site = make_site()
    target = tmp_path / "fil.txt"
    target.write_text("behold mig", encoding="utf-8")
    with pytest.raises(ConfigError, match="ikke en mappe"):
        build(site, output_dir=target)
    assert target.read_text(encoding="utf-8") == "behold mig"


def test_empty_folder_and_an_earlier_lisite_site_are_accepted(make_site, tmp_path):
    site = make_site()
    empty = tmp_path / "tom"
    empty.mkdir()
    build(site, output_dir=empty)
    assert (empty / "manifest.json").is_file() and (empty / "udvalg" / "index.html").is_file()
    build(site, output_dir=empty)  # now it holds lisite's own manifest: replaced again
    build(site)
    build(site)
    assert (site / "_site" / "index.html").is_file()


def test_cli_refuses_output_dot_with_one_line_and_exit_3(make_site):
    site = make_site()
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--output", str(site)])
    assert result.exit_code == 3  # a bad configuration (see lisite.nightly)
    assert "Traceback" not in result.output and "--output" in result.output and "selve sitets mappe" in result.output
    assert (site / "lisite.toml").is_file() and (site / "data" / "tal.csv").is_file()


def test_leftovers_of_an_interrupted_build_are_removed_by_the_next(make_site):
    site = make_site()
    build(site)
    old = site / "._site.old-ab12_x9z"  # as tempfile.mkdtemp names them
    new = site / "._site.new-q7w8e9r0"
    for folder in (old, new):
        (folder / "sagsbehandlere").mkdir(parents=True)
        (folder / "sagsbehandlere" / "index.html").write_text("BU-123456", encoding="utf-8")
    others = [site / "._site.older", site / ".andet.old-abcdefgh", site / "._site.old-abcdefgh.txt"]
    others[0].mkdir()
    others[1].mkdir()
    others[2].write_text("en fil, ikke en mappe", encoding="utf-8")
    build(site)
    assert not old.exists() and not new.exists()
    assert all(p.exists() for p in others)  # only the names lisite gives its own temporary folders
    assert (site / "_site" / "index.html").is_file()


def test_leftovers_are_removed_even_when_the_build_then_fails(make_site):
    site = make_site()
    build(site)
    old = site / "._site.old-zzzzzzzz"
    old.mkdir()
    (site / "data" / "tal.csv").write_text("maaned;team;antal;sags_id\n2026-09;A;mange;S-1\n", encoding="utf-8")
    with pytest.raises(DataError):
        build(site)
    assert not old.exists()
    assert (site / "_site" / "index.html").is_file()


def test_remove_leftovers_only_beside_its_own_output(tmp_path):
    (tmp_path / "._site.new-abcdefgh").mkdir()
    (tmp_path / "._out.new-abcdefgh").mkdir()
    assert [p.name for p in remove_leftovers(tmp_path / "_site")] == ["._site.new-abcdefgh"]
    assert (tmp_path / "._out.new-abcdefgh").is_dir()


def test_check_output_dir_accepts_a_fresh_subfolder(tmp_path):
    check_output_dir(tmp_path / "_site", tmp_path)
    check_output_dir(tmp_path / "ud" / "site", tmp_path)


# --- Point 5: sources stay inside the site -----------------------------------------------------


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../etc/passwd", "data/../../udenfor.csv"])
def test_source_outside_the_site_is_refused_naming_the_key(make_site, path):
    site = make_site(config=with_source(f'path = "{path}"'))
    for action in (lambda: load_config(site), lambda: build(site)):
        with pytest.raises(ConfigError) as raised:
            action()
        message = raised.value.format_message()
        assert "sources.tal.path" in message and "uden for sitets mappe" in message and "outside = true" in message
        assert "root:x" not in message
    assert not (site / "_site").exists()


def test_symlink_out_of_the_site_is_refused(make_site, tmp_path):
    outside = tmp_path / "udenfor.csv"
    outside.write_text(PASSWD, encoding="utf-8")
    site = make_site(config=with_source('path = "data/link.csv"'))
    (site / "data" / "link.csv").symlink_to(outside)
    with pytest.raises(ConfigError, match="sources.tal.path"):
        load_config(site)


def test_source_outside_is_allowed_when_the_config_says_so(make_site, tmp_path):
    export = tmp_path / "udtraek" / "tal.csv"
    export.parent.mkdir()
    export.write_text((make_site() / "data" / "tal.csv").read_text(encoding="utf-8"), encoding="utf-8")
    site = make_site(config=with_source(f'path = "{export.as_posix()}"\noutside = true'), name="site2")
    assert load_config(site).sources["tal"].outside is True
    report = build(site)
    assert report.pages["udvalg"] == 2


def test_outside_must_be_true_or_false(make_site):
    site = make_site(config=with_source('path = "data/tal.csv"\noutside = "ja"'))
    with pytest.raises(ConfigError, match="sources.tal.outside skal være sand/falsk"):
        load_config(site)


def test_error_never_prints_the_contents_of_a_file_that_is_not_a_source(make_site, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text(PASSWD, encoding="utf-8")
    site = make_site(config=with_source(f'path = "{secret.as_posix()}"\nformat = "csv"\noutside = true'))
    with pytest.raises(DataError) as raised:
        build(site)
    message = raised.value.format_message()
    assert "mangler kolonne(r) maaned, team, antal, sags_id" in message
    assert not [c for c in CANARIES if c in message]
    texts = " ".join(p.message for p in check(site))
    assert "sources.tal" in texts and not [c for c in CANARIES if c in texts]


def test_headers_of_a_real_export_are_still_quoted(make_site):
    site = make_site({"data/tal.csv": "maaned;hold;antal;sags_id\n2026-09;A;3;S-1\n"})
    with pytest.raises(DataError, match="Fundet: maaned, hold, antal, sags_id"):
        build(site)


@pytest.mark.parametrize("relative", ["a.html", "a/b/c.html", "a/./b.html", "a/../b.html", "a//b.html", "a/b/",
                                      "../x.html", "a/../../x.html", "..", ".", "a/..", "/etc/x", "\\x", "c:x", "a\\b", ""])
def test_a_new_site_folder_takes_the_paths_safe_join_takes(tmp_path, relative):
    """The files of a build are written into a new folder by their path alone (no link can be in it): each
    path lands where safe_join, which follows links, puts it, and what it refuses is refused."""
    from lisite.errors import BuildError
    from lisite.output import inside, safe_join

    try:
        expected = safe_join(tmp_path, relative)
    except BuildError as exc:
        with pytest.raises(BuildError) as refused:
            inside(relative)
        assert ("uden for sitet" in str(refused.value)) == ("uden for sitet" in str(exc))
        return
    if expected == tmp_path.resolve():  # the folder itself: no file can be written there
        with pytest.raises(BuildError):
            inside(relative)
        return
    assert tmp_path.resolve() / inside(relative) == expected


def test_an_english_site_is_told_about_its_output_folder_in_english(make_site, tmp_path):
    english = tiny_config().replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\nlanguage = "en"')
    site = make_site(config=english.replace('title = "Testsite"', 'title = "Testsite"\noutput = "."', 1))
    with pytest.raises(ConfigError, match=r"The output folder .* \(site.output\) is the site's folder itself"):
        build(site)
    other = tmp_path / "andet"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"holds files lisite did not write \(no lisite manifest.json\): notes.txt"):
        build(make_site(config=english, name="site2"), output_dir=other)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_new_site_written_in_parts_is_put_in_place_whole_and_each_file_is_written_once(tmp_path, monkeypatch):
    from lisite.output import NewSite

    out = tmp_path / "_site"
    first = {"a/index.html": b"a", "a/data/t.csv": b"1;2\n"}
    writes = []
    real = Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", lambda self, data: (writes.append(self.name), real(self, data))[1])
    with NewSite(out) as new:
        new.add(first)
        assert not out.exists()  # nothing in place before the end
        new.put_in_place({**first, "index.html": b"root"})
    assert tree(out) == tree_of({"a/index.html": b"a", "a/data/t.csv": b"1;2\n", "index.html": b"root"})
    assert sorted(writes) == ["index.html", "index.html", "t.csv"]  # a/index.html and root index.html once each
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]
    with NewSite(out) as new:
        new.add({"b.html": b"b"})
        with pytest.raises(ValueError, match="b.html"):
            new.put_in_place({"c.html": b"c"})
    assert [p.name for p in tmp_path.iterdir()] == ["_site"] and tree(out) == tree_of({"a/index.html": b"a", "a/data/t.csv": b"1;2\n", "index.html": b"root"})


def test_files_with_the_same_bytes_are_one_file_and_writing_a_path_again_leaves_its_twins(tmp_path):
    """A download several audiences have is written once and linked; a path written again is a new file, so the
    paths that were links to it keep their bytes."""
    from lisite.output import NewSite

    out = tmp_path / "_site"
    table = b"periode;antal\n2026-01;7\n"
    with NewSite(out) as new:
        new.add({"udvalg/data/t.csv": table, "udvalg/index.html": b"u"})
        new.add({"direktion/data/t.csv": bytes(table), "direktion/index.html": b"d"})  # equal bytes, another object
        new.add({"udvalg/data/t.csv": b"periode;antal\n2026-01;8\n", "ledere/data/t.csv": table})
        new.put_in_place({**new.written})
    ino = lambda relative: (out / relative).stat().st_ino
    assert ino("direktion/data/t.csv") == ino("ledere/data/t.csv") != ino("udvalg/data/t.csv")
    assert ino("udvalg/index.html") != ino("direktion/index.html")
    assert tree(out) == tree_of({"udvalg/data/t.csv": b"periode;antal\n2026-01;8\n", "udvalg/index.html": b"u",
                                 "direktion/data/t.csv": table, "direktion/index.html": b"d", "ledere/data/t.csv": table})


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_a_forked_process_writes_into_the_shared_new_folder_and_equal_files_stay_one(tmp_path):
    """``NewSite.share``: a process forked from the build writes the audiences it made into the same new folder, and the
    build takes them as written (``adopt``): a file with the same bytes as one the other process wrote is a link to it,
    whichever came first, also when both wrote the same bytes at once; the folder of links is not put in place, and a
    new folder not put in place goes with everything in it."""
    import multiprocessing

    from lisite.output import SAME, NewSite, shared_as

    out = tmp_path / "_site"
    table, vega = b"periode;antal\n2026-01;7\n", b"vega" * 100
    theirs = {"sagsbehandlere/data/t.csv": table, "sagsbehandlere/assets/vega.js": vega, "sagsbehandlere/i.html": b"s"}
    with NewSite(out) as new:
        new.share()
        new.add({"ledere/assets/vega.js": vega, "ledere/i.html": b"l"})  # before the other process writes
        child = multiprocessing.get_context("fork").Process(target=new.add, args=(theirs,))
        child.start()
        child.join()
        assert child.exitcode == 0
        new.adopt(theirs)
        new.add({"udvalg/data/t.csv": bytes(table), "udvalg/assets/vega.js": bytes(vega)})  # after: links to theirs
        assert sorted(p.name for p in (new.folder / SAME).iterdir()) == sorted(
            hashlib.sha256(data).hexdigest() for data in (table, vega, b"s", b"l"))
        new.put_in_place({**new.written, "index.html": b"i"})
    ino = lambda relative: (out / relative).stat().st_ino
    assert ino("ledere/assets/vega.js") == ino("sagsbehandlere/assets/vega.js") == ino("udvalg/assets/vega.js")
    assert ino("sagsbehandlere/data/t.csv") == ino("udvalg/data/t.csv")
    assert not (out / SAME).exists() and sorted(p.name for p in tmp_path.iterdir()) == ["_site"]
    assert (out / "udvalg/data/t.csv").read_bytes() == table and (out / "sagsbehandlere/i.html").read_bytes() == b"s"

    first, second, same = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "same"
    first.write_bytes(table)
    second.write_bytes(table)  # the same bytes, written by another process before either was shared
    shared_as(same, first)
    shared_as(same, second)
    assert first.stat().st_ino == second.stat().st_ino == same.stat().st_ino and second.read_bytes() == table
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "a.csv", "b.csv", "same"]  # nothing left beside

    with NewSite(tmp_path / "failed") as new:
        new.share()
        new.add({"a/i.html": b"a"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "a.csv", "b.csv", "same"]  # gone, its links with it


def test_serve_writing_one_of_two_linked_files_leaves_the_other(tmp_path):
    """``lisite serve`` writes a changed file beside it and renames it over the old one: its twin keeps its bytes."""
    from lisite.update import write_changed

    out, written = tmp_path / "_site", {}
    files = {"udvalg/data/t.csv": b"1;2\n", "direktion/data/t.csv": b"1;2\n"}
    write_changed(files, out, written)
    assert (out / "udvalg/data/t.csv").stat().st_ino == (out / "direktion/data/t.csv").stat().st_ino
    write_changed({**files, "udvalg/data/t.csv": b"1;3\n"}, out, written)
    assert (out / "udvalg/data/t.csv").read_bytes() == b"1;3\n" and (out / "direktion/data/t.csv").read_bytes() == b"1;2\n"


def test_bytes_of_another_kind_are_written_each_time(tmp_path):
    from lisite.output import NewSite, write_site

    files = {"a.csv": bytearray(b"1"), "b.csv": bytearray(b"1"), "c.csv": memoryview(b"2"), "d.csv": b"2"}
    write_site(files, tmp_path / "_site")
    assert tree(tmp_path / "_site") == tree_of({name: bytes(data) for name, data in files.items()})
    assert {(tmp_path / "_site" / name).stat().st_nlink for name in files} == {1}
    with NewSite(tmp_path / "again") as new:  # a bytearray written again
        new.add({"a.csv": bytearray(b"1")})
        new.add({"a.csv": b"2"})
        new.put_in_place({"a.csv": new.written["a.csv"]})
    assert (tmp_path / "again" / "a.csv").read_bytes() == b"2"


def test_without_hard_links_every_file_is_written(tmp_path, monkeypatch):
    from lisite import output

    def refused(*args):
        raise PermissionError("no hard links here")

    monkeypatch.setattr(output.os, "link", refused)
    files = {"a/x.csv": b"1", "b/x.csv": b"1", "c/x.csv": b"1", "index.html": b"i", "manifest.json": MANIFEST}
    output.write_site(files, tmp_path / "_site")
    assert tree(tmp_path / "_site") == tree_of(files)
    assert len({(tmp_path / "_site" / relative).stat().st_ino for relative in files}) == 5
    earlier = {(tmp_path / "_site" / relative).stat().st_ino for relative in files}
    output.write_site(files, tmp_path / "_site")  # again, over the earlier site: written anew too
    assert tree(tmp_path / "_site") == tree_of(files)
    again = {(tmp_path / "_site" / relative).stat().st_ino for relative in files}
    assert len(again) == 5 and not again & earlier


MANIFEST = b'{"audiences": {}, "inputs": {}}'


def test_a_rebuild_links_the_files_it_would_write_again_and_writes_only_what_changed(tmp_path):
    """A file with the same bytes at the same path in the folder being replaced is a link to that file: the rebuild
    makes new files only for what changed, and removing the old folder frees only what is gone."""
    from lisite.output import write_site

    out = tmp_path / "_site"
    files = {"manifest.json": MANIFEST, "udvalg/index.html": b"<p>1</p>", "udvalg/data/t.csv": b"1;2\n",
             "ledere/data/t.csv": b"1;2\n", "ledere/gone.html": b"x"}
    write_site(files, out)
    before = {relative: (out / relative).stat() for relative in files}
    again = {**files, "udvalg/index.html": b"<p>2</p>", "direktion/new.html": b"<p>1</p>"}
    del again["ledere/gone.html"]
    write_site(again, out)
    assert tree(out) == tree_of(again) and [p.name for p in tmp_path.iterdir()] == ["_site"]
    ino = lambda relative: (out / relative).stat().st_ino
    for relative in ("manifest.json", "udvalg/data/t.csv", "ledere/data/t.csv"):  # the same inode: kept, with its time
        assert ino(relative) == before[relative].st_ino
        assert (out / relative).stat().st_mtime_ns == before[relative].st_mtime_ns
    assert ino("udvalg/index.html") != before["udvalg/index.html"].st_ino  # changed: a new file
    assert ino("direktion/new.html") != before["udvalg/index.html"].st_ino  # same bytes, another path: not linked to the old
    assert (out / "udvalg/data/t.csv").stat().st_nlink == 2  # its twin and it; the old folder's links are gone


def test_a_rebuild_writes_anew_what_is_not_plainly_an_earlier_file_of_its_own(tmp_path):
    """Other bytes of the same length, a link (to a file or a folder), other permissions: written, not linked, and
    what a link points to is left as it was."""
    import stat

    from lisite.output import write_site

    out, elsewhere = tmp_path / "_site", tmp_path / "elsewhere"
    files = {"manifest.json": MANIFEST, "a.csv": b"1;1\n", "b.csv": b"1;2\n", "c.csv": b"1;3\n", "d/t.csv": b"1;4\n"}
    (elsewhere / "d").mkdir(parents=True)
    (elsewhere / "b.csv").write_bytes(files["b.csv"])
    (elsewhere / "d" / "t.csv").write_bytes(files["d/t.csv"])
    write_site(files, out)
    mode = stat.S_IMODE((out / "manifest.json").stat().st_mode)
    (out / "a.csv").write_bytes(b"1;9\n")  # edited by hand since: same length, other bytes
    (out / "b.csv").unlink()
    (out / "b.csv").symlink_to(elsewhere / "b.csv")
    os.chmod(out / "c.csv", mode | 0o022)  # others may write it
    os.rename(out / "d", tmp_path / "d-was")
    (out / "d").symlink_to(elsewhere / "d")
    earlier = {relative: (out / relative).stat().st_ino for relative in files}
    outside = {p: (p.stat().st_ino, p.read_bytes()) for p in (elsewhere / "b.csv", elsewhere / "d" / "t.csv")}
    write_site(files, out)
    assert tree(out) == tree_of(files)
    assert (out / "manifest.json").stat().st_ino == earlier["manifest.json"]  # the one plain earlier file: linked
    for relative in ("a.csv", "b.csv", "c.csv", "d/t.csv"):
        path = out / relative
        assert not path.is_symlink() and not path.parent.is_symlink()
        assert path.stat().st_ino != earlier[relative] and path.stat().st_nlink == 1
        assert stat.S_IMODE(path.stat().st_mode) == mode
    assert {p: (p.stat().st_ino, p.read_bytes()) for p in outside} == outside
    assert {p.stat().st_nlink for p in outside} == {1}


def test_a_rebuild_without_its_probe_writes_every_file(tmp_path, monkeypatch):
    """The permissions a new file gets are found with a probe file; where it cannot be made, nothing is linked."""
    from lisite import output

    out = tmp_path / "_site"
    files = {"manifest.json": MANIFEST, "t.csv": b"1;2\n"}
    output.write_site(files, out)
    earlier = (out / "t.csv").stat().st_ino
    real = os.open
    monkeypatch.setattr(output.os, "open", lambda path, flags, *a: (_ for _ in ()).throw(PermissionError(path))
                        if ".lisite-mode-probe" in str(path) else real(path, flags, *a))
    output.write_site(files, out)
    assert tree(out) == tree_of(files) and (out / "t.csv").stat().st_ino != earlier


def test_a_rebuild_does_not_link_a_file_put_in_place_of_the_one_it_read(tmp_path, monkeypatch):
    """Between reading an earlier file and linking it, another file may take its place: the link is undone and the
    file written."""
    from lisite import output

    out = tmp_path / "_site"
    files = {"manifest.json": MANIFEST, "t.csv": b"1;2\n"}
    output.write_site(files, out)
    real = os.link

    def swapped(source, target, **kwargs):
        if str(source).startswith(str(out)) and source.endswith("t.csv"):
            (tmp_path / "other.csv").write_bytes(b"9;9\n")
            os.replace(tmp_path / "other.csv", source)
        return real(source, target, **kwargs)

    monkeypatch.setattr(output.os, "link", swapped)
    output.write_site(files, out)
    assert (out / "t.csv").read_bytes() == b"1;2\n" and (out / "t.csv").stat().st_nlink == 1


def tree_of(files):
    return {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())}


@pytest.fixture
def linked_tree(tmp_path):
    """A folder (reached through a link) with a file, a folder, links inside and out, a dangling link and a loop."""
    real = tmp_path / "real"
    (real / "tekster" / "forside").mkdir(parents=True)
    (real / "tekster" / "forside" / "udvalg.md").write_text("x", encoding="utf-8")
    (tmp_path / "udenfor").mkdir()
    (tmp_path / "udenfor" / "hemmelig.md").write_text("y", encoding="utf-8")
    os.symlink(tmp_path / "udenfor", real / "ud")  # a link out of the folder
    os.symlink(real / "tekster" / "forside", real / "genvej")  # a link within it
    os.symlink(tmp_path / "intet", real / "død")  # a link to nothing
    os.symlink(real / "løkke", real / "løkke")  # a link to itself
    os.symlink(real, tmp_path / "via")
    return tmp_path / "via"


@pytest.mark.parametrize("relative", ["tekster/forside/udvalg.md", "tekster/mangler.md", "mangler/../tekster", "tekster/../..",
                                      "ud/hemmelig.md", "genvej/udvalg.md", "tekster/../genvej/../ud", "død/x.md", "død",
                                      "../real/tekster", "../udenfor/hemmelig.md", "a/b/../../tekster/./forside//udvalg.md",
                                      "løkke", "løkke/x"])
def test_a_path_below_a_real_folder_resolves_as_resolve_does(linked_tree, relative):
    """``resolved_below`` (the texts' lookup, safe_join) looks only at the parts below a real folder, and lands where
    ``Path.resolve`` lands, or fails as it fails (a loop of links)."""
    from lisite.output import resolved_below

    folder = linked_tree.resolve()
    try:
        expected = (folder / relative).resolve()
    except RuntimeError:
        with pytest.raises(RuntimeError):
            resolved_below(folder, folder / relative)
        return
    assert resolved_below(folder, folder / relative) == expected
    assert resolved_below(folder, linked_tree.parent / "andet" / relative) == (linked_tree.parent / "andet" / relative).resolve()


def test_a_text_through_a_link_out_of_the_content_folder_is_refused(make_site, tmp_path):
    from lisite.context import Content
    from lisite.errors import BuildError

    site = make_site({"content/forside.md": "Forside."})
    (tmp_path / "udenfor").mkdir()
    (tmp_path / "udenfor" / "hemmelig.md").write_text("Hemmelig.", encoding="utf-8")
    os.symlink(tmp_path / "udenfor", site / "content" / "ud")
    content = Content([site / "content"], "da")
    assert content.get("forside.md") == "Forside."
    with pytest.raises(BuildError):
        content.get("ud/hemmelig.md")
    with pytest.raises(BuildError):
        content.get("../lisite.toml")
