"""Hostile values in names and data (issue 10, point 8): quotes, backslashes and ``</script>``.

A value that reaches a chart goes in as data (a field of the rows or a ``oneOf``
predicate), never spliced into a Vega expression string, and a spec (in the chart's
own script file, or embedded in a page) can never close its ``<script>`` element.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from lisite import charts
from conftest import HOSTILE
from conftest import HOSTILE_TEAM as TEAM

SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script", re.S | re.I)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_spec_json_cannot_close_its_script():
    spec = {"title": "</script><script>alert(1)</script>", "x": "</SCRIPT >", "y": "<!-- <script>", "z": "a\\'b\""}
    text = charts.spec_json(spec)
    assert "<" not in text
    assert json.loads(text) == spec


@pytest.fixture(scope="module")
def hostile_site(planted_build):
    """The demo with the municipality named ``HOSTILE`` (in lisite.toml and its benchmark row) and the cases of
    "Team Handicap" moved to a team named ``TEAM`` (conftest's planted_build, which test_demo reads too)."""
    return planted_build


def test_hostile_names_build_and_stay_inside_their_script(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert pages
    seen_name = seen_team = False
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for body in SCRIPT.findall(text):
            if not body.strip():
                continue
            # each embedded JSON ends exactly at its own </script>: it parses whole
            if "application/json" in text and body.lstrip().startswith(("{", "[")):
                spec = json.loads(body)
                strings = set(_strings(spec))
                seen_name |= any(HOSTILE in s for s in strings)
                seen_team |= any(TEAM in s for s in strings)
            assert "<!--" not in body
        assert "<b>'" not in text.replace(html.escape(HOSTILE), "")  # the raw name never reaches the HTML
    files = sorted(hostile_site.rglob("charts/*.js"))
    assert files
    for path in files:  # the charts' specs: each file one statement whose JSON parses whole
        text = path.read_text(encoding="utf-8")
        assert text.count("\n") == 1 and text.endswith("};\n") and "<" not in text
        strings = set(_strings(charts.script_spec(text)))
        seen_name |= any(HOSTILE in s for s in strings)
        seen_team |= any(TEAM in s for s in strings)
    assert seen_name and seen_team


def test_own_municipality_is_bold_in_the_bars(hostile_site):
    report = hostile_site / "udvalg" / "rapporter"
    page = "".join(p.read_text(encoding="utf-8") for p in [report / "sammenligning.html", *sorted((report / "sammenligning").glob("*.html"))])
    specs = charts.specs_in(page, hostile_site / "udvalg")
    specs = [spec for spec in specs if not charts.browser_data(spec)]  # the map's boundaries are not in the page
    assert specs
    svgs = [charts.SvgRenderer(None, "da").render(spec) for spec in specs]  # drawn as the PDF pack draws them
    escaped = html.escape(HOSTILE, quote=False)
    labels = [(weight, label) for svg in svgs
              for weight, label in re.findall(r'<text text-anchor="end"[^>]*font-weight="(\w+)"[^>]*>([^<]*)</text>', svg)]
    # the bar chart's y-axis labels (right-aligned): the municipality's own is bold, the others' are not
    assert ("bold", escaped) in labels
    others = {line.split(";")[1] for line in (hostile_site.parent / "sample_data" / "benchmark.csv").read_text(encoding="utf-8").splitlines()[1:]}
    others.discard(HOSTILE)
    assert any(("normal", html.escape(name, quote=False)) in labels for name in others)
    assert not any(("bold", html.escape(name, quote=False)) in labels for name in others)
