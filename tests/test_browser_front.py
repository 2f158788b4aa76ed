"""The front page in a real Chromium: every key-figure tile inside the first screen of a tablet (820×1180),
each tile's link leading to a page and section that exist, and no tile split when the page is printed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest


pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
LAPTOP = {"width": 1280, "height": 900}
BOTTOMS = "els => els.map(e => e.getBoundingClientRect().bottom)"


def front(browser, demo_build, audience: str, viewport: dict):
    page = browser.new_page(viewport=viewport)
    page.goto((demo_build / "_site" / audience / "index.html").as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("audience", ["udvalg", "direktion", "ledere"])
def test_every_key_figure_tile_is_in_the_first_screen_of_a_tablet(browser, demo_build, audience):
    page = front(browser, demo_build, audience, TABLET)
    bottoms = page.eval_on_selector_all(".front-tiles .tile", BOTTOMS)
    assert len(bottoms) >= 8  # the demo's seven key figures and the year's expected result
    assert max(bottoms) <= TABLET["height"], bottoms
    # the tiles come before the foreword: the first paragraph of the foreword is below the last tile
    foreword = page.eval_on_selector("main .prose", "e => e.getBoundingClientRect().top")
    assert foreword > max(bottoms)
    page.close()


def test_each_tile_links_to_an_existing_page_and_section(browser, demo_build):
    page = front(browser, demo_build, "udvalg", TABLET)
    tiles = page.eval_on_selector_all(".front-tiles .tile", "els => els.map(e => (e.querySelector('h2 a') || {}).href || '')")
    links = [link for link in tiles if link]
    assert len(links) == len(tiles) >= 8  # every demo key figure and the economy have a page for the committee
    shown = browser.new_page(viewport=TABLET)  # one tab follows every link, as a reader does (a link to another
    for link in links:                         # section of the page already open moves within it)
        url = urlparse(link)
        target = Path(unquote(url.path))
        assert target.is_file(), link
        if url.fragment:
            assert f'id="{url.fragment}"' in target.read_text(encoding="utf-8"), link
        shown.goto(link)
        assert shown.url == link and shown.title()
        if url.fragment:
            assert shown.locator(f"#{url.fragment}").count() == 1
    shown.close()
    page.close()


FITS = """els => els.map(tile => {
  const box = tile.getBoundingClientRect(), big = tile.querySelector('.big').getBoundingClientRect();
  const spark = tile.querySelector('svg.spark');
  const line = spark ? spark.getBoundingClientRect() : null;
  return big.left >= box.left && big.right <= box.right && (!line || (big.right <= line.left && line.right <= box.right));
})"""


@pytest.mark.parametrize("viewport", [TABLET, LAPTOP], ids=["tablet", "laptop"])
def test_value_and_trend_line_fit_side_by_side_and_print_never_splits_a_tile(browser, demo_build, viewport):
    page = front(browser, demo_build, "udvalg", viewport)
    fits = page.eval_on_selector_all(".front-tiles .tile", FITS)
    assert fits and all(fits), fits
    assert page.locator(".front-tiles svg.spark").count() >= 7  # every key figure of the demo has a course to draw
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(".tile", "els => els.map(e => getComputedStyle(e).breakInside)")
    assert breaks and set(breaks) == {"avoid"}
    page.close()
