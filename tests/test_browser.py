"""What a person sees, in a real Chromium: charts draw, nothing is fetched from outside, payloads stay inert."""

from __future__ import annotations

import pytest

from lisite.build import build

from conftest import chromium_path

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
]


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url, width=1100):
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"requests": [], "errors": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(url)
    return page, seen


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
