"""Charts' specs as files of the audience site, shared between its pages.

A page does not carry its charts' Vega-Lite specs: each chart's ``<div class="chart">`` names its
spec by a content hash (``data-chart="<key>"``) and the page loads ``charts/<key>.js`` with a
``<script src>``. The file sets ``window.lisiteCharts["<key>"]`` to the spec; a script, because
Vega cannot fetch a JSON file from ``file://`` and a site opened from a folder must work. The same
chart on a theme page, an element page and the annual report is one file, written once per
audience and cached by the browser, so pages stay light (issue #14: ≤ 150 KB of HTML). A chart
whose file is missing is not drawn and shows its note and table, like a page read without
JavaScript. The PDF pack and the tests read the specs back with :func:`page_specs`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

#: The folder of an audience site that holds the charts' files.
FOLDER = "charts"
#: A chart in a page: ``<div class="chart" ... data-chart="<key>" ...>``, in the page's order.
IN_PAGE = re.compile(r'<div class="chart"[^>]*?\sdata-chart="([0-9a-f]+)"')
#: A page's script that loads a chart's file: ``<script src="../charts/<key>.js">``.
LOADED = re.compile(r'<script\b[^>]*?\ssrc="([^"]*?' + FOLDER + r'/([0-9a-f]+)\.js)"')
SETS = "(window.lisiteCharts = window.lisiteCharts || {})"


def chart_key(text: str) -> str:
    """The name of a chart's file: the first 16 hex digits of the SHA-256 of its spec's JSON
    (:func:`lisite.charts.spec_json`), so the same chart anywhere in the site is the same file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def chart_path(key: str) -> str:
    """The chart's file relative to the audience folder: ``charts/<key>.js``."""
    return f"{FOLDER}/{key}.js"


def chart_script(key: str, text: str) -> bytes:
    """The chart file's content: a script that adds the spec (``text``, JSON) to ``window.lisiteCharts``."""
    return f'{SETS}["{key}"] = {text};\n'.encode("utf-8")


def script_spec(script: str) -> dict[str, Any]:
    """The spec a chart file (:func:`chart_script`) sets, read from its text."""
    start = script.index("] = ", len(SETS)) + len("] = ")
    return json.loads(script[start:].rstrip().rstrip(";"))


def page_chart_keys(page_html: str) -> list[str]:
    """The keys of a page's charts in the page's order (a chart shown twice is listed twice)."""
    return IN_PAGE.findall(page_html)


def page_chart_files(page_html: str) -> dict[str, str]:
    """The chart files a page loads: key → the ``src`` it gives (relative to the page)."""
    return {key: src for src, key in LOADED.findall(page_html)}


def page_specs(page: Path | str) -> list[dict[str, Any]]:
    """The Vega-Lite specs of a built page's charts, in the page's order, read from the chart files the
    page loads. A chart the page does not load, or whose file is missing, is an error naming both."""
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    files = page_chart_files(text)
    specs = []
    for key in page_chart_keys(text):
        path = page.parent / files.get(key, chart_path(key))
        if key not in files or not path.is_file():
            raise FileNotFoundError(f"{page}: the chart {key} has no file ({path})")
        specs.append(script_spec(path.read_text(encoding="utf-8")))
    return specs


def specs_in(html: str, audience_dir: Path | str) -> list[dict[str, Any]]:
    """The specs of the charts in ``html`` (a built page of the audience site in ``audience_dir``, a part
    of one, or several pages one after another), in order, read from the site's ``charts/`` folder."""
    folder = Path(audience_dir)
    return [script_spec((folder / chart_path(key)).read_text(encoding="utf-8")) for key in page_chart_keys(html)]
