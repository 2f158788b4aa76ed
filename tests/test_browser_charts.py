"""In a real Chromium: a page's charts are drawn one at a time, those the reader sees first first, and the page answers
between two of them; a page opened at a #part keeps that part in view while the charts above it are drawn."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: the order in which the charts become live, and how many were live when a task posted after the first one ran
RECORD = """
window.lisiteTest = {live: [], answered: null};
new MutationObserver(function (records) {
  records.forEach(function (record) {
    var el = record.target;
    if (!el.classList || !el.classList.contains('is-live') || window.lisiteTest.live.indexOf(el.id) >= 0) { return; }
    window.lisiteTest.live.push(el.id);
    if (window.lisiteTest.live.length === 1) {
      setTimeout(function () { window.lisiteTest.answered = document.querySelectorAll('.chart.is-live').length; }, 0);
    }
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['class']});
"""


@pytest.fixture
def report(demo_build):
    """The page of the demo with the most charts: the committee's annual report (26)."""
    return demo_build / "_site" / "udvalg" / "rapporter" / "aarsrapport.html"


def opened(browser, url):
    """A tab that opened ``url`` and drew every chart: (tab, the charts' ids in page order, the order they were drawn)."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(RECORD)
    page.goto(url)
    ids = ids_on(page, ".chart[data-chart]")
    page.wait_for_function(f"window.lisiteTest.live.length === {len(ids)} && window.lisiteTest.answered !== null", timeout=30000)
    assert errors == []
    return page, ids, page.evaluate("window.lisiteTest.live")


def top_of(page, element_id):
    return page.evaluate(f"document.getElementById({element_id!r}).getBoundingClientRect().top")


def test_charts_are_drawn_from_the_top_one_at_a_time(browser, report):
    page, ids, live = opened(browser, report.as_uri())
    assert len(ids) >= 20
    assert live == ids  # opened at its top: the first screen's charts first, then down the page, each once
    # between two charts the browser runs other work (shows what is drawn, answers a tap): drawn all in one go, every
    # chart would have been live before anything else ran
    assert page.evaluate("window.lisiteTest.answered") < len(ids)
    assert page.locator(".chart .chart-live svg").count() == len(ids)
    page.close()


def test_a_page_opened_at_a_chart_draws_it_first_and_keeps_it_in_view(browser, report):
    ids = element_ids(browser, report, ".chart[data-chart]")
    target = ids[18]
    page, _, live = opened(browser, f"{report.as_uri()}#{target}")
    assert live[0] == target  # the chart the address names before the 18 above it
    # the 18 charts drawn above it afterwards pushed it down by their height: the page scrolled as far with them
    assert abs(top_of(page, target)) <= 2
    assert page.evaluate("window.scrollY") > 10000
    page.close()


def test_a_page_opened_at_a_section_keeps_it_in_view(browser, report):
    headings = element_ids(browser, report, "main [id]:is(h2, h3, section, article)")
    heading = headings[len(headings) * 2 // 3]  # a section far down the page, with many charts above it
    page, ids, live = opened(browser, f"{report.as_uri()}#{heading}")
    assert live[0] != ids[0]  # what the reader sees there is drawn first, not the top of the page
    assert abs(top_of(page, heading)) <= 2
    page.close()


def element_ids(browser, report, selector):
    """The ids of the page's elements that ``selector`` finds, in page order."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(report.as_uri())
    ids = ids_on(page, selector)
    page.close()
    return ids


def ids_on(page, selector):
    """The ids of the elements of the tab's page that ``selector`` finds, in page order."""
    return page.evaluate(f"Array.prototype.map.call(document.querySelectorAll({selector!r}), function (e) {{ return e.id; }})")


def test_an_address_with_a_broken_escape_draws_from_the_top(browser, report):
    """``#%E0%A4%A`` is no part of the page (and no %-escape): every chart is drawn, from the top, with no error."""
    page, ids, live = opened(browser, f"{report.as_uri()}#%E0%A4%A")
    assert live == ids
    page.close()


def test_charts_above_drawn_after_the_reader_scrolled_past_them_do_not_move_the_view(browser, report):
    """The reader scrolls far down while the first charts are drawn (the processor slowed, as a tablet's): the charts
    where the reader is now are drawn next, and those passed on the way, drawn last, do not push the view."""
    ids = element_ids(browser, report, ".chart[data-chart]")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    devtools = page.context.new_cdp_session(page)
    devtools.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.add_init_script(RECORD)
    page.goto(report.as_uri(), wait_until="commit")
    page.wait_for_function("window.lisiteTest && window.lisiteTest.live.length >= 1", timeout=30000)
    target = ids[18]
    drawn_before = page.evaluate(f"document.getElementById({target!r}).scrollIntoView(); window.lisiteTest.live.length")
    devtools.send("Emulation.setCPUThrottlingRate", {"rate": 1})  # the order is settled by now: the rest at full speed
    page.wait_for_function(f"window.lisiteTest.live.length === {len(ids)}", timeout=60000)
    live = page.evaluate("window.lisiteTest.live")
    assert drawn_before < 18 and live.index(target) <= drawn_before + 1  # where the reader is, next
    assert any(live.index(chart) > live.index(target) for chart in ids[drawn_before:18])  # some passed charts drawn after
    assert abs(top_of(page, target)) <= 2
    page.close()


@pytest.mark.parametrize("again", ["reload", "back"])
def test_a_page_opened_again_is_back_where_the_reader_was(browser, report, again):
    """Reloaded (as lisite serve reloads it after an edit) or reached with the back button, the browser puts the view
    back by its distance from the top once the page has loaded: the charts above it have their height by then."""
    page, ids, _ = opened(browser, report.as_uri())
    target = ids[18]
    page.evaluate(f"document.getElementById({target!r}).scrollIntoView()")
    page.wait_for_function(f"Math.abs(document.getElementById({target!r}).getBoundingClientRect().top) < 1")
    if again == "reload":
        page.reload()
    else:
        page.goto((report.parent.parent / "index.html").as_uri())
        page.go_back()
    page.wait_for_function(f"document.querySelectorAll('.chart.is-live').length === {len(ids)}", timeout=30000)
    page.wait_for_timeout(300)  # (the browser puts the view back after the load event)
    assert abs(top_of(page, target)) <= 2
    page.close()
