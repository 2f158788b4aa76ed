"""The pages in a real Chromium: no layout shift from the menu, Escape closes it, a favicon and no console error
over HTTP, chart text of at least 11 px, contents that lead to their headings and a way back up."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin

import pytest

from test_browser import open_page

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
LAPTOP = {"width": 1280, "height": 900}
#: Sums the layout shifts a reader did not cause, as Chromium reports them (Cumulative Layout Shift)
LAYOUT_SHIFT = """window.__cls = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) { if (!e.hadRecentInput) { window.__cls += e.value; } } })
  .observe({type: "layout-shift", buffered: true});"""
ALL_CHARTS_LIVE = "document.querySelectorAll('.chart.is-live').length === document.querySelectorAll('.chart').length"
AFTER_TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(window.__cls))))"


def settled(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function(ALL_CHARTS_LIVE, timeout=30000)


@pytest.fixture(scope="module")
def tab(browser):
    """One tab that tests open their pages in, one after another, as a reader does: each page is a new document
    (nothing of the page before is left in it), while the tab keeps its renderer and the scripts it compiled,
    which makes a page open in a third of the time a new tab takes."""
    page = browser.new_page()
    yield page
    page.close()


@pytest.fixture(scope="module")
def measured_tab(browser):
    """A tablet-wide tab that sums each page's layout shifts from its first paint on."""
    page = browser.new_page(viewport=TABLET)
    page.add_init_script(LAYOUT_SHIFT)
    yield page
    page.close()


@pytest.mark.parametrize("path", ["udvalg/index.html", "udvalg/temaer/oekonomi.html", "direktion/temaer/indsatser.html"])
def test_no_layout_shift_at_tablet_width(measured_tab, demo_build, path):
    page = measured_tab
    page.goto((demo_build / "_site" / path).as_uri())
    settled(page)
    assert page.evaluate(AFTER_TWO_FRAMES) < 0.1
    assert not page.locator("#nav").is_visible()  # collapsed from the first paint


def test_menu_opens_and_escape_closes_it(browser, demo_build):
    page = browser.new_page(viewport=TABLET)
    page.goto((demo_build / "_site" / "udvalg" / "temaer" / "oekonomi.html").as_uri())
    button = page.locator(".navtoggle")
    button.click()
    assert page.locator("#nav").is_visible() and button.get_attribute("aria-expanded") == "true"
    page.locator("#nav a").first.focus()
    page.keyboard.press("Escape")
    assert not page.locator("#nav").is_visible() and button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('navtoggle')")
    page.close()


def test_without_javascript_the_menu_is_shown(browser, demo_build):
    context = browser.new_context(java_script_enabled=False, viewport=TABLET)
    page = context.new_page()
    page.goto((demo_build / "_site" / "udvalg" / "temaer" / "oekonomi.html").as_uri())
    assert page.locator("#nav").is_visible() and not page.locator(".navtoggle").is_visible()
    context.close()


@pytest.fixture(scope="module")
def served(demo_build):
    """The demo's output folder over HTTP, as a web server would give it (a browser asks it for a favicon)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(demo_build / "_site"))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["", "udvalg/index.html", "udvalg/om/noegletal.html", "ledere/temaer/oekonomi.html"])
def test_favicon_and_no_console_error_over_http(browser, served, path):
    page = browser.new_page()
    errors, failed, icons = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("response", lambda r: icons.append((r.status, r.headers.get("content-type"))) if "favicon" in r.url else None)
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href.endswith("favicon.svg")
    icon = page.request.get(urljoin(page.url, href))
    assert icon.status == 200 and icon.text().startswith("<svg")
    assert errors == [] and failed == []
    assert all(status == 200 and "svg" in (kind or "") for status, kind in icons)
    page.close()


@pytest.mark.parametrize("viewport", [TABLET, LAPTOP], ids=["820", "1280"])
@pytest.mark.parametrize("path", ["udvalg/rapporter/sammenligning/indsatser-anbragte_pr_1000.html", "udvalg/temaer/oekonomi.html", "udvalg/temaer/resultater.html"])
def test_chart_text_is_at_least_11_px_and_charts_fit_their_column(tab, demo_build, viewport, path):
    """The size a reader sees: the font size times the scale the chart is drawn at."""
    page = tab
    page.set_viewport_size(viewport)
    page.goto((demo_build / "_site" / path).as_uri())
    settled(page)
    found = page.evaluate("""() => {
        const small = [], wide = []; let texts = 0;
        for (const svg of document.querySelectorAll('.chart-live svg')) {
            const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
            const column = svg.closest('.chart-live').clientWidth;
            if (svg.getBoundingClientRect().width > column + 1) { wide.push([svg.width.baseVal.value, column]); }
            for (const t of svg.querySelectorAll('text')) {
                if (!t.textContent.trim()) { continue; }
                texts += 1;
                const px = parseFloat(getComputedStyle(t).fontSize) * scale;
                if (px < 10.95) { small.push([t.textContent.slice(0, 30), px]); }
            }
        }
        return {small, wide, texts};
    }""")
    assert found["texts"] > 50
    assert found["small"] == []
    assert found["wide"] == []


def test_contents_lead_to_the_headings_and_the_way_up_leads_to_the_top(browser, demo_build):
    page = browser.new_page(viewport=TABLET)
    page.goto((demo_build / "_site" / "udvalg" / "temaer" / "indsatser.html").as_uri())
    settled(page)
    to_top = page.locator(".to-top a")
    assert not to_top.is_visible()  # at the top there is nowhere to go up to
    entries = page.locator("nav.toc li a")
    assert entries.count() >= 4
    middle = entries.nth(entries.count() // 2)
    target = middle.get_attribute("href")
    middle.click()
    page.wait_for_function("() => window.scrollY > window.innerHeight")
    box = page.locator(f'[id="{target[1:]}"]').bounding_box()
    assert box is not None and -1 <= box["y"] < TABLET["height"] / 2
    assert to_top.is_visible()
    to_top.click()
    page.wait_for_function("() => window.scrollY === 0")
    page.close()
