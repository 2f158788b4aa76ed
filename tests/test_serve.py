"""``lisite serve``: serves the site, rebuilds on change, keeps the last good site on failure."""

from __future__ import annotations

import json
import urllib.request

import pytest

from conftest import tiny_config, write_site
from lisite.serve import RELOAD_PATH, VERSION_PATH, Server

PAGE_PLUGIN = (
    "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
    "    return [lisite.Page('forord.html', 'Forord', [lisite.Markdown(source='forord.md')])]\n"
)


def get(url: str, timeout: float = 30) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def wait_for_version_after(server: Server, version: int) -> int:
    """Long-poll the server exactly as the browser does; returns the new version."""
    return json.loads(get(f"{server.url}{VERSION_PATH.lstrip('/')}?since={version}"))["version"]


def started(site):
    server = Server(site, port=0, echo=lambda message: None)
    server.start()
    return server


@pytest.fixture
def server(make_site):
    """A server of its own, for a test that edits the site or stops the server."""
    server = started(make_site({"plugins/forord.py": PAGE_PLUGIN, "content/forord.md": "Første udgave af forordet."}))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def asked_server(tmp_path_factory):
    """One server for the tests that only ask it things (no test edits its site or stops it): each asks it as
    it was first built, and a request that harmed it would show in every test after."""
    site = write_site(tmp_path_factory.mktemp("serve") / "site",
                      {"plugins/forord.py": PAGE_PLUGIN, "content/forord.md": "Første udgave af forordet."})
    server = started(site)
    yield server
    server.stop()


def test_serves_built_site_with_reload_script(asked_server):
    page = get(asked_server.url + "udvalg/forord.html")
    assert "Første udgave af forordet." in page
    assert f'<script src="{RELOAD_PATH}"></script>' in page
    assert "fetch(" in get(asked_server.url + RELOAD_PATH.lstrip("/"))


def test_output_is_outside_every_watched_folder(asked_server):
    from lisite.serve import watched_folders

    for folder in watched_folders(asked_server.config):
        assert not asked_server.output.is_relative_to(folder)
    assert not (asked_server.site_dir / "_site").exists()


def test_edit_triggers_rebuild_and_version_bump(server):
    version = server.state.version
    (server.site_dir / "content" / "forord.md").write_text("Anden udgave af forordet.", encoding="utf-8")
    assert wait_for_version_after(server, version) == version + 1
    assert "Anden udgave af forordet." in get(server.url + "udvalg/forord.html")


def test_a_file_being_saved_is_built_once_the_save_is_done(server, monkeypatch):
    import lisite.serve

    forord = server.site_dir / "content" / "forord.md"
    seen, real = [], lisite.serve.build

    def reading_build(*args, **kwargs):
        seen.append(forord.read_text(encoding="utf-8"))  # what this build found on disk
        return real(*args, **kwargs)

    monkeypatch.setattr(lisite.serve, "build", reading_build)
    version, builds = server.state.version, server.builds
    with forord.open("w", encoding="utf-8") as fh:
        fh.write("Tredje udgave, ")
        fh.flush()  # half the text on disk ...
        time.sleep(0.3)  # ... while the editor is still writing, for longer than any quiet period before a build
        fh.write("skrevet færdig.")
    assert wait_for_version_after(server, version) == version + 1
    assert seen == ["Tredje udgave, skrevet færdig."] and server.builds == builds + 1
    assert "Tredje udgave, skrevet færdig." in get(server.url + "udvalg/forord.html")


def test_an_edit_saved_while_a_build_runs_is_built_after_it(server, monkeypatch):
    import lisite.serve

    forord = server.site_dir / "content" / "forord.md"
    real = lisite.serve.build

    def build_then_edit(*args, **kwargs):
        report = real(*args, **kwargs)
        if "Fjerde" not in forord.read_text(encoding="utf-8"):
            forord.write_text("Fjerde udgave af forordet.", encoding="utf-8")  # saved before this build is done
        return report

    monkeypatch.setattr(lisite.serve, "build", build_then_edit)
    version = server.state.version
    forord.write_text("Tredje udgave af forordet.", encoding="utf-8")
    assert wait_for_version_after(server, version) == version + 1
    assert wait_for_version_after(server, version + 1) == version + 2
    assert "Fjerde udgave af forordet." in get(server.url + "udvalg/forord.html")


def test_a_build_waits_for_a_save_to_end_and_no_longer(tmp_path):
    import threading

    from lisite.watch import HOLD, QUICK, SETTLE, Changes

    page, backup = tmp_path / "side.md", tmp_path / "side.md.orig"
    changes = Changes(threading.Event(), closing_reported=True)
    changes.note("modified", page)
    assert changes.writing() and changes.dirty.is_set() and changes.quiet() == HOLD  # written to, not closed yet
    changes.note("closed", page)
    assert not changes.writing() and changes.quiet() == QUICK  # saved
    changes.note("moved", page, None)  # renamed away (a backup not among the inputs): the new file is still to come
    assert changes.quiet() == SETTLE
    changes.note("created", page)
    changes.note("modified", page)
    assert changes.quiet() == HOLD
    changes.note("closed", page)
    assert changes.quiet() == QUICK
    changes.note("deleted", page)
    assert changes.quiet() == SETTLE
    changes.note("modified", backup)
    changes.note("closed", backup)
    changes.note("moved", backup, page)  # a whole file moved into its place: saved
    assert changes.quiet() == QUICK and not changes.writing()
    elsewhere = Changes(threading.Event(), closing_reported=False)  # no close will come: never wait for one
    elsewhere.note("modified", page)
    assert not elsewhere.writing() and elsewhere.dirty.is_set() and elsewhere.quiet() == SETTLE


def test_failed_build_keeps_last_good_site(server):
    version = server.state.version
    (server.site_dir / "data" / "tal.csv").write_text("maaned;team;antal;sags_id\n2026-09;A;x;S-1\n", encoding="utf-8")
    server.state.dirty.set()
    # The failed rebuild does not bump the version; fix the file and wait for the good one.
    assert not server.rebuild()
    assert "kolonne 'antal'" in server.last_error
    assert "Første udgave af forordet." in get(server.url + "udvalg/forord.html")
    (server.site_dir / "data" / "tal.csv").write_text("maaned;team;antal;sags_id\n2026-09;A;7;S-1\n2026-08;A;6;S-2\n", encoding="utf-8")
    assert wait_for_version_after(server, version) > version
    assert server.last_error == ""


def test_edited_local_plugin_shows_its_new_figure_after_the_rebuild(make_site):
    from test_cache import FACTOR_PLUGIN

    site = make_site({"plugins/tiny.py": FACTOR_PLUGIN})
    server = Server(site, port=0, echo=lambda message: None)
    server.start()
    try:
        assert "Antal i alt var 35 i september 2026." in get(server.url + "udvalg/tal/antal.html")
        version = server.state.version
        (site / "plugins" / "tiny.py").write_text(FACTOR_PLUGIN.replace("FACTOR = 1", "FACTOR = 3"), encoding="utf-8")
        assert wait_for_version_after(server, version) > version
        assert "Antal i alt var 105 i september 2026." in get(server.url + "udvalg/tal/antal.html")
        assert not (site / "plugins" / "__pycache__").exists()  # no bytecode that could outlive an edit
    finally:
        server.stop()


@pytest.mark.parametrize("language, built, failed", [
    ("da", r"Bygget på \d+,\d\d s \(version 1\)", "Bygningen fejlede; det sidste gode site vises stadig."),
    ("en", r"Built in \d+\.\d\d s \(version 1\)", "The build failed; the last good site is still shown."),
])
def test_what_serve_prints_is_in_the_sites_language(make_site, language, built, failed):
    import re

    config = tiny_config().replace('title = "Testsite"', f'title = "Testsite"\nlanguage = "{language}"', 1)
    said = []
    server = Server(make_site(config=config), port=0, echo=said.append)
    try:
        assert server.rebuild() and re.fullmatch(built, said[-1]), said
        (server.site_dir / "data" / "tal.csv").write_text("maaned;team;antal\n2026-09;A;mange\n", encoding="utf-8")
        assert not server.rebuild() and said[-1].startswith(failed + "\n"), said
    finally:
        server.stop()


# --- issue 10, point 6: the dev server is for this machine's browser only -------------------------

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def raw_get(server: Server, target: str, host: str | None = "default") -> tuple[int, bytes]:
    """One GET to 127.0.0.1 with exactly this request target and Host header (None: no Host at all)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        if host == "default":
            host = f"127.0.0.1:{server.port}"
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example:{port}", "10.0.0.1:{port}", "", None])
def test_other_host_headers_get_no_content(asked_server, host):
    status, body = raw_get(asked_server, "/udvalg/forord.html", None if host is None else host.format(port=asked_server.port))
    assert status in (400, 421)
    assert body == b""


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}", "127.0.0.1"])
def test_loopback_host_headers_are_served(asked_server, host):
    status, body = raw_get(asked_server, "/udvalg/forord.html", host.format(port=asked_server.port))
    assert status == 200
    assert "Første udgave af forordet." in body.decode("utf-8")


def test_no_directory_listings(asked_server):
    folders = [p for p in asked_server.output.rglob("*") if p.is_dir() and not (p / "index.html").exists()]
    assert folders, "the test needs a folder without index.html"
    for folder in folders[:3]:
        rel = folder.relative_to(asked_server.output).as_posix()
        for target in (f"/{rel}/", f"/{rel}"):
            status, body = raw_get(asked_server, target)
            assert status == 404, target
            assert b"Directory listing" not in body and b"<li>" not in body


@pytest.mark.parametrize("target", [
    "/__lisite/version?since=abc", "/__lisite/version?since=", "/%00/udvalg/forord.html", "/udvalg/%00",
    "/../../etc/passwd", "/udvalg/../../etc/passwd", "/udvalg/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e%2f%2e%2e%2fetc/passwd",
    "/udvalg%5c..%5c..%5cetc", "*",
])
def test_malformed_requests_get_400_or_404_without_traceback(asked_server, target, capfd):
    status, body = raw_get(asked_server, target)
    assert status in (400, 404), target
    assert b"root:" not in body and b"Traceback" not in body
    assert "Traceback" not in capfd.readouterr().err
    assert raw_get(asked_server, "/udvalg/forord.html")[0] == 200  # still serving


def test_files_written_beside_the_inputs_do_not_trigger_a_rebuild(server):
    builds, version = server.builds, server.state.version
    site = server.site_dir
    for _ in range(5):  # a log file that keeps growing, as `lisite serve > serve.log` in the site folder
        with (site / "serve.log").open("a", encoding="utf-8") as log:
            log.write("Bygget på 0.1 s\n")
        time.sleep(0.1)
    (site / "notes.txt").write_text("noter", encoding="utf-8")
    (site / "data" / "tal.csv.bak").write_text("kopi", encoding="utf-8")  # beside a source, not a source
    (site / "output-kopi").mkdir()
    (site / "output-kopi" / "side.html").write_text("x", encoding="utf-8")
    time.sleep(1.5)  # the loop wakes at least every 0.5 s and settles in 0.05 s
    assert (server.builds, server.state.version) == (builds, version)
    # An input still does: the watcher is alive.
    (site / "content" / "forord.md").write_text("Anden udgave af forordet.", encoding="utf-8")
    assert wait_for_version_after(server, version) == version + 1
    assert server.builds == builds + 1


def test_every_input_is_watched(asked_server):
    from lisite.serve import site_inputs

    inputs = site_inputs(asked_server.config)
    site = asked_server.site_dir
    for path in (site / "lisite.toml", site / "data" / "tal.csv", site / "content" / "forord.md",
                 site / "plugins" / "forord.py", site / "theme" / "templates" / "base.html", site / "locales" / "da" / "site.toml"):
        assert inputs.contains(path), path
    for path in (site / "serve.log", site / "data" / "tal.csv.bak", site / "notes.txt"):
        assert not inputs.contains(path), path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_removes_the_temporary_site(make_site, tmp_path, signum):
    site = make_site({"plugins/forord.py": PAGE_PLUGIN, "content/forord.md": "Forord."})
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "lisite", "serve", "--site", str(site), "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                if "Forord." in get(f"http://127.0.0.1:{port}/udvalg/forord.html", timeout=2):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "lisite serve never answered"
            time.sleep(0.2)
        assert list(tmp.glob("lisite-serve-*/_site/udvalg"))  # the site being served is there ...
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert list(tmp.glob("lisite-serve-*")) == []  # ... and gone with the server
    assert b"Traceback" not in err
    assert proc.returncode == 0


def test_normal_stop_removes_the_temporary_site(server):
    tmp = server.tmp
    assert tmp.is_dir()
    server.stop()
    assert not tmp.exists()


def test_server_that_cannot_bind_leaves_no_temporary_folder(make_site, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    site = make_site()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            Server(site, port=taken.getsockname()[1], echo=lambda message: None)
    assert list(tmp_path.glob("lisite-serve-*")) == []


def test_input_folder_created_while_serving_is_watched(server):
    site = server.site_dir
    assert not (site / "locales").exists()
    version = server.state.version
    (site / "locales").mkdir()
    assert wait_for_version_after(server, version) == version + 1
    (site / "locales" / "da").mkdir()
    (site / "locales" / "da" / "site.toml").write_text('[site]\ntitle = "Ny titel"\n', encoding="utf-8")
    assert wait_for_version_after(server, version + 1) >= version + 2


def test_source_moved_in_lisite_toml_is_watched_at_its_new_place(server):
    site = server.site_dir
    (site / "andet").mkdir()
    (site / "andet" / "tal.csv").write_text((site / "data" / "tal.csv").read_text(encoding="utf-8"), encoding="utf-8")
    version = server.state.version
    config = site / "lisite.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("data/tal.csv", "andet/tal.csv"), encoding="utf-8")
    assert wait_for_version_after(server, version) == version + 1
    builds = server.builds
    (site / "data" / "tal.csv").write_text("gammel", encoding="utf-8")  # no longer an input
    time.sleep(1.2)
    assert server.builds == builds
    (site / "andet" / "tal.csv").write_text("maaned;team;antal;sags_id\n2026-09;A;7;S-1\n2026-08;A;6;S-2\n", encoding="utf-8")
    assert wait_for_version_after(server, version + 1) == version + 2


# --- a site whose last build is what a build would write now is shown at once ------------------------------------------

def test_a_current_site_is_served_at_once_while_the_first_build_is_made(make_site, held_serve_build):
    """With ``_site`` as ``lisite build`` would write it now, serve shows it before its own first build is done (the
    reload script added to each page, where that build puts it), then the browser reloads onto its own build: the
    same page, byte for byte."""
    import threading

    from lisite.build import build
    from lisite.unchanged import kept

    site = make_site({"plugins/forord.py": PAGE_PLUGIN, "content/forord.md": "Første udgave af forordet."})
    build(site)
    assert kept(site, None, False, None) is not None  # what `lisite build` would find unchanged
    last = (site / "_site" / "udvalg" / "forord.html").read_bytes()
    release = held_serve_build  # serve's builds wait until it is set
    said, built = [], threading.Event()

    def echo(line: str) -> None:
        said.append(line)
        if line.startswith("Bygget på"):
            built.set()

    server = Server(site, port=0, echo=echo)
    try:
        server.start()
        assert server.state.version == 0 and server.root == site / "_site"
        assert said == ["Viser den seneste bygning (_site/) med det samme; sitet bygges imens til redigering"]
        shown = get(server.url + "udvalg/forord.html").encode()
        assert shown.count(RELOAD_PATH.encode()) == 1 and last.count(RELOAD_PATH.encode()) == 0
        assert shown == last.replace(b"</body>", f'<script src="{RELOAD_PATH}"></script></body>'.encode())
        assert get(server.url) == get(server.url + "index.html") and RELOAD_PATH in get(server.url)  # the folder's page too
        style = next((site / "_site").rglob("*.css"))
        assert get(server.url + str(style.relative_to(site / "_site"))).encode() == style.read_bytes()  # not a page: as it is
        release.set()
        assert wait_for_version_after(server, 0) == 1
        assert server.root == server.output != site / "_site"
        assert get(server.url + "udvalg/forord.html").encode() == shown  # its own build: the same page
        assert built.wait(30) and said[1].startswith("Bygget på")  # (said once the build is back, after the browser is told)
        (site / "content" / "forord.md").write_text("Anden udgave af forordet.", encoding="utf-8")
        assert wait_for_version_after(server, 1) == 2
        assert "Anden udgave af forordet." in get(server.url + "udvalg/forord.html")
    finally:
        release.set()
        server.stop()
    assert (site / "_site" / "udvalg" / "forord.html").read_bytes() == last  # the last build is only read


def test_a_site_changed_since_its_last_build_is_built_before_it_is_served(make_site):
    from lisite.build import build

    site = make_site({"plugins/forord.py": PAGE_PLUGIN, "content/forord.md": "Første udgave af forordet."})
    build(site)
    (site / "content" / "forord.md").write_text("Anden udgave af forordet.", encoding="utf-8")
    said = []
    server = Server(site, port=0, echo=said.append)
    server.start()
    try:
        assert server.builds == 1 and server.root == server.output  # built first, as without a last build
        assert said[0] == "Bygger sitet, før det vises …" and said[1].startswith("Bygget på")
        assert "Anden udgave af forordet." in get(server.url + "udvalg/forord.html")
    finally:
        server.stop()


def test_the_reload_script_goes_where_a_build_puts_it():
    from lisite.serve import with_reload

    tag = f'<script src="{RELOAD_PATH}"></script>'.encode()
    assert with_reload(b"<html><body><p>x</p></body></html>") == b"<html><body><p>x</p>" + tag + b"</body></html>"
    assert with_reload(b"<p>no end</p>") == b"<p>no end</p>" + tag
    assert with_reload(b"<body></body><!-- </body> --></body>").endswith(tag + b"</body>")  # the last one


def test_an_edit_saved_while_the_first_build_is_made_is_built_after_it(make_site, held_serve_build):
    """A current _site is shown at once; a text saved before serve's own first build is done is in the page once the
    build after it is done (the loop's builds wait for the first on the same lock)."""
    from lisite.build import build

    site = make_site({"plugins/forord.py": PAGE_PLUGIN, "content/forord.md": "Første udgave af forordet."})
    build(site)
    release = held_serve_build  # serve's builds wait until it is set
    server = started(site)
    try:
        assert server.state.version == 0 and "Første udgave" in get(server.url + "udvalg/forord.html")
        (site / "content" / "forord.md").write_text("Anden udgave af forordet.", encoding="utf-8")  # the first build held
        release.set()
        assert wait_for_version_after(server, 0) == 1
        assert wait_for_version_after(server, 1) == 2
        assert "Anden udgave af forordet." in get(server.url + "udvalg/forord.html")
    finally:
        release.set()
        server.stop()
