"""What a person sees, in a real Chromium: charts draw, nothing is fetched from outside, payloads stay inert."""

from __future__ import annotations

import pytest

from lisite.build import build

pytestmark = pytest.mark.browser


def watched_tab(browser, width=1100):
    """A new tab, and what it requests, what goes wrong in it and the dialogs it opens (see :func:`visit`)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"requests": [], "errors": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    return page, seen


def visit(page, seen, url):
    """Open ``url`` in the tab; ``seen`` then holds what this page did (and anything the page before did late)."""
    for found in seen.values():
        found.clear()
    page.goto(url)


def open_page(browser, url, width=1100):
    page, seen = watched_tab(browser, width)
    page.goto(url)
    return page, seen


def draws_every_chart(page) -> None:
    page.wait_for_load_state("load")
    total = page.locator(".chart").count()
    if total:
        page.wait_for_function(f"document.querySelectorAll('.chart.is-live').length === {total}", timeout=20000)


def test_charts_draw_from_file_url_without_network(browser, make_site):
    site = make_site()
    build(site)
    page, seen = open_page(browser, (site / "_site" / "ledere" / "tal" / "antal.html").as_uri())
    page.wait_for_selector(".chart.is-live", timeout=15000)
    page.wait_for_function("document.querySelectorAll('.chart.is-live').length === document.querySelectorAll('.chart').length", timeout=15000)
    assert page.locator(".chart").count() == 2
    assert page.locator(".chart-live svg").count() == 2
    # Danish month names on the live axis, drawn by Vega with the Danish locale
    assert "sep 2026" in page.locator(".chart-live").first.inner_text() or "sep 2026" in page.inner_html(".chart-live")
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith("file://")] == []
    page.close()


def test_print_shows_the_charts_vega_drew_and_not_the_note(browser, make_site):
    """Ctrl+P prints what Vega drew (vector SVG, the page has no other drawing), with the table opened under it."""
    site = make_site()
    build(site)
    page, seen = open_page(browser, (site / "_site" / "ledere" / "tal" / "antal.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.chart.is-live').length === 2", timeout=15000)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    drawn = page.locator(".chart .chart-live svg")
    assert drawn.count() == 2 and all(drawn.nth(i).is_visible() for i in range(2))
    assert drawn.first.locator("text").count() > 5 and drawn.first.bounding_box()["width"] > 300
    assert not page.locator(".chart-static").first.is_visible()
    assert page.locator("details.numbers td").first.is_visible()  # opened for paper
    assert len(page.pdf()) > 10_000
    assert seen["errors"] == []
    page.close()


def test_without_javascript_a_chart_is_a_note_and_its_table(browser, make_site):
    site = make_site()
    build(site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "_site" / "udvalg" / "tal" / "antal.html").as_uri())
    assert page.locator(".chart svg").count() == 0
    note = page.locator(".chart .chart-static").first
    assert note.is_visible() and note.inner_text() == "Diagrammet tegnes i browseren og kræver JavaScript. Tallene står i tabellen nedenfor."
    page.click("details.numbers summary")  # <details> opens without JavaScript
    assert "september 2026" in page.locator("details.numbers td").all_inner_texts()
    context.close()


def test_a_chart_whose_file_is_missing_shows_its_note_and_the_others_draw(browser, make_site):
    """Each chart's spec is a file of the site (charts/<key>.js): without it that chart keeps its note and
    its table, the page's other charts draw, and nothing breaks."""
    import re

    site = make_site()
    build(site)
    path = site / "_site" / "ledere" / "tal" / "antal.html"
    keys = re.findall(r'data-chart="([0-9a-f]+)"', path.read_text(encoding="utf-8"))
    assert len(set(keys)) == 2
    (site / "_site" / "ledere" / "charts" / f"{keys[0]}.js").unlink()
    page, seen = open_page(browser, path.as_uri())
    page.wait_for_function("document.querySelectorAll('.chart.is-live').length === 1", timeout=15000)
    missing, drawn = page.locator(f'.chart[data-chart="{keys[0]}"]'), page.locator(f'.chart[data-chart="{keys[1]}"]')
    assert missing.locator("svg").count() == 0 and missing.locator(".chart-static").is_visible()
    assert "JavaScript" in missing.locator(".chart-static").inner_text()
    assert drawn.locator(".chart-live svg").count() == 1 and not drawn.locator(".chart-static").is_visible()
    assert [e for e in seen["errors"] if keys[0] not in e and "ERR_FILE_NOT_FOUND" not in e] == []
    assert [u for u in seen["requests"] if not u.startswith("file://")] == []
    page.close()


def test_table_opens_with_the_numbers(browser, make_site):
    site = make_site()
    build(site)
    page, _ = open_page(browser, (site / "_site" / "udvalg" / "tal" / "antal.html").as_uri())
    page.click("details.numbers summary")
    cells = page.locator("details.numbers td").all_inner_texts()
    assert "september 2026" in cells and "35" in cells
    page.close()


def test_xss_payload_in_data_stays_text(browser, make_site):
    payload = '<img src=x onerror="alert(1)">'
    data = f"maaned;team;antal;sags_id\n2026-08;{payload};11;S-1\n2026-09;{payload};12;S-2\n2026-09;B;12;S-3\n"
    site = make_site({"data/tal.csv": data})
    build(site)
    page, seen = open_page(browser, (site / "_site" / "ledere" / "tal" / "antal.html").as_uri())
    page.wait_for_selector(".chart.is-live", timeout=15000)
    page.click("details.numbers >> nth=1")
    assert seen["dialogs"] == []
    assert page.locator("img[src=x]").count() == 0
    page.close()


def test_front_page_on_a_tablet(browser, demo_build):
    page, seen = open_page(browser, (demo_build / "_site" / "udvalg" / "index.html").as_uri(), width=800)
    assert "fiktive" in page.inner_text(".synthetic")
    assert page.locator(".tile").count() >= 3
    assert page.locator(".navtoggle").is_visible()
    assert [u for u in seen["requests"] if not u.startswith("file://")] == []
    page.close()


def test_payload_in_content_file_stays_text(browser, make_site):
    plugin = ("import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
              "    return [lisite.Page('forord.html', 'Forord', [lisite.Markdown(source='forord.md')])]\n")
    content = 'Forord <script>alert("x")</script> [klik](javascript:alert(1)) <img src=x onerror=alert(2)>'
    site = make_site({"plugins/forord.py": plugin, "content/forord.md": content})
    build(site)
    page, seen = open_page(browser, (site / "_site" / "udvalg" / "forord.html").as_uri())
    page.wait_for_load_state("load")
    links = page.locator("main a")
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        assert not href.startswith("javascript:")
        links.nth(i).click()  # nothing may run
    assert seen["dialogs"] == []
    assert page.locator("main img").count() == 0
    assert "alert" in page.inner_text("main")  # shown as text, not run
    page.close()


def test_served_page_reloads_after_an_edit(browser, make_site):
    """Mette's path: `lisite serve` runs, she saves a text, the open page shows it without her doing anything."""
    from lisite.serve import Server

    plugin = ("import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
              "    return [lisite.Page('forord.html', 'Forord', [lisite.Markdown(source='forord.md')])]\n")
    site = make_site({"plugins/forord.py": plugin, "content/forord.md": "Første udgave."})
    server = Server(site, port=0, echo=lambda message: None)
    server.start()
    try:
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        # the page first asks for the current version, then waits on ?since=N: edit only once it waits
        with page.expect_request(lambda r: "since=" in r.url, timeout=10000):
            page.goto(server.url + "udvalg/forord.html")
        assert "Første udgave." in page.inner_text("main")
        with page.expect_navigation(timeout=20000):
            (site / "content" / "forord.md").write_text("Anden udgave.", encoding="utf-8")
        page.wait_for_selector("text=Anden udgave.", timeout=5000)
        outside = [u for u in requests if not u.startswith(server.url)]
        assert outside == []
        page.close()
    finally:
        server.stop()


def test_a_current_site_served_at_once_reloads_onto_the_session_build_and_after_an_edit(browser, make_site, held_serve_build):
    """Mette's path the morning after the nightly build: `lisite serve` shows `_site/` at once; the open page reloads by
    itself onto serve's own build when that is done, and again after she saves a text."""
    from lisite.build import build
    from lisite.serve import Server

    plugin = ("import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
              "    return [lisite.Page('forord.html', 'Forord', [lisite.Markdown(source='forord.md')])]\n")
    site = make_site({"plugins/forord.py": plugin, "content/forord.md": "Første udgave."})
    build(site)
    release = held_serve_build  # serve's builds wait until it is set
    server = Server(site, port=0, echo=lambda message: None)
    server.start()
    try:
        page = browser.new_page()
        with page.expect_request(lambda r: "since=0" in r.url, timeout=10000):  # the added script waits for a new version
            page.goto(server.url + "udvalg/forord.html")
        assert "Første udgave." in page.inner_text("main") and server.state.version == 0
        # serve's own build is done: the page reloads onto it, and then waits for the next version (edit only then)
        with page.expect_request(lambda r: "since=1" in r.url, timeout=20000), page.expect_navigation(timeout=20000):
            release.set()
        assert server.root == server.output and "Første udgave." in page.inner_text("main")
        with page.expect_navigation(timeout=20000):
            (site / "content" / "forord.md").write_text("Anden udgave.", encoding="utf-8")
        page.wait_for_selector("text=Anden udgave.", timeout=5000)
        page.close()
    finally:
        release.set()
        server.stop()


def test_no_chart_is_wider_than_the_column_on_a_tablet(browser, demo_build):
    """A committee member on a tablet sees every chart of the committee's theme and comparison pages whole, without
    scrolling it sideways: in portrait (768 px, the menu folded away) and in landscape (1024 px, beside the menu)."""
    folder = demo_build / "_site" / "udvalg"
    pages = [*sorted((folder / "temaer").glob("*.html")), folder / "rapporter" / "sammenligning.html",
             *sorted((folder / "rapporter" / "sammenligning").glob("*.html"))[:6]]
    assert len(pages) >= 10
    for width in (768, 1024):
        page, _ = watched_tab(browser, width)
        wide, drawn = [], 0
        for path in pages:
            page.goto(path.as_uri())
            draws_every_chart(page)
            sizes = page.evaluate("() => [...document.querySelectorAll('.chart-live')].map(e => [e.clientWidth, e.scrollWidth])")
            drawn += len(sizes)
            wide += [(path.name, size) for size in sizes if size[1] > size[0] + 1]
        assert drawn >= 20 and wide == [], (width, drawn, wide)
        page.close()


def test_demo_pages_request_nothing_outside_and_draw_every_chart(browser, demo_build):
    """Every audience's pages, opened from the file system: only their own files are requested."""
    out = demo_build / "_site"
    tabs = {out: [out / "index.html"]}
    for audience in ("udvalg", "direktion", "ledere", "sagsbehandlere"):
        found = sorted((out / audience).rglob("*.html"))
        tabs[out / audience] = found[:: max(1, len(found) // 4)][:5]
    # a tab per audience, which opens its pages one after the other as a reader does: whatever a page asks for
    # is first asked for in that tab, so also checked against that audience's folder
    for audience_root, pages in tabs.items():
        page, seen = watched_tab(browser)
        for path in pages:
            visit(page, seen, path.as_uri())
            draws_every_chart(page)
            for url in seen["requests"]:
                assert url.startswith(audience_root.as_uri()), f"{path.name} requested {url}"
            assert seen["errors"] == [], (path, seen["errors"])
        page.close()


def test_second_municipality_pages_request_nothing_outside_and_draw_every_chart(browser, second_build):
    """The second municipality's sites work in a browser as the demo's do: from file://, no outside request."""
    out = second_build / "_site"
    for audience in sorted(p for p in out.iterdir() if p.is_dir()):
        found = sorted(audience.rglob("*.html"))
        page, seen = watched_tab(browser)  # a tab per audience, as for the demo
        for path in found[:: max(1, len(found) // 2)][:3]:
            visit(page, seen, path.as_uri())
            draws_every_chart(page)
            for url in seen["requests"]:
                assert url.startswith(audience.as_uri()), f"{path} requested {url}"
            assert seen["errors"] == [], (path, seen["errors"])
        page.close()
