"""``lisite serve``: serves the site, rebuilds on change, keeps the last good site on failure."""

from __future__ import annotations

import json
import urllib.request

import pytest

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


@pytest.fixture
def server(make_site):
    site = make_site({"plugins/forord.py": PAGE_PLUGIN, "content/forord.md": "Første udgave af forordet."})
    server = Server(site, port=0, echo=lambda message: None)
    server.start()
    yield server
    server.stop()


def test_serves_built_site_with_reload_script(server):
    page = get(server.url + "udvalg/forord.html")
    assert "Første udgave af forordet." in page
    assert f'<script src="{RELOAD_PATH}"></script>' in page
    assert "fetch(" in get(server.url + RELOAD_PATH.lstrip("/"))


def test_output_is_outside_every_watched_folder(server):
    from lisite.serve import watched_folders

    for folder in watched_folders(server.config):
        assert not server.output.is_relative_to(folder)
    assert not (server.site_dir / "_site").exists()


def test_edit_triggers_rebuild_and_version_bump(server):
    version = server.state.version
    (server.site_dir / "content" / "forord.md").write_text("Anden udgave af forordet.", encoding="utf-8")
    assert wait_for_version_after(server, version) == version + 1
    assert "Anden udgave af forordet." in get(server.url + "udvalg/forord.html")


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
