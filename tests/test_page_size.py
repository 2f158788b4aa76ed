"""Every page of the demo is light enough to load quickly (issue #14: page HTML ≤ 150 KB), whole.

A page carries no drawing of a chart and not its spec either: each chart's spec is a file of the
audience site (``charts/<key>.js``, :mod:`lisite.chartfiles`) that every page showing it shares.
"""

from __future__ import annotations

import re

from lisite import chartfiles, charts

LIMIT = 150_000


def site_pages(out):
    """Every page of the built demo, all audiences, not the archived reports."""
    return [p for p in out.rglob("*.html") if "arkiv" not in p.relative_to(out).parts]


def test_every_page_is_at_most_150_kb(demo_build):
    out = demo_build / "_site"
    pages = site_pages(out)
    assert len(pages) > 90
    heavy = sorted(((p.stat().st_size, str(p.relative_to(out))) for p in pages), reverse=True)
    over = [f"{path}: {size / 1000:.1f} KB" for size, path in heavy if size > LIMIT]
    assert over == [], "pages over 150 KB:\n" + "\n".join(over)


def test_every_chart_file_is_loaded_and_every_loaded_one_exists(demo_build):
    """Each page loads the files of exactly its charts, once each, and each exists; every file in an
    audience's ``charts/`` is loaded by some page of that audience (no orphans)."""
    out = demo_build / "_site"
    charts_seen = 0
    for audience in sorted(p for p in out.iterdir() if p.is_dir()):
        loaded = set()
        for page in site_pages(audience):
            text = page.read_text(encoding="utf-8")
            keys = chartfiles.page_chart_keys(text)
            files = chartfiles.page_chart_files(text)
            assert set(files) == set(keys), page
            assert len(re.findall(r'charts/[0-9a-f]+\.js"', text)) == len(files), page  # each file once
            for key, src in files.items():
                assert (page.parent / src).resolve() == (audience / "charts" / f"{key}.js").resolve(), page
            assert len(charts.page_specs(page)) == len(keys)  # every file there and readable
            loaded |= set(keys)
            charts_seen += len(keys)
        on_disk = {p.stem for p in (audience / "charts").glob("*.js")} if (audience / "charts").is_dir() else set()
        assert on_disk == loaded, (audience.name, sorted(on_disk ^ loaded)[:5])
    assert charts_seen > 200


def test_the_same_chart_on_two_pages_is_one_file(demo_build):
    """The annual report shows the theme pages' charts again: one file serves both, named by its content."""
    audience = demo_build / "_site" / "udvalg"
    keys = {page: set(chartfiles.page_chart_keys(page.read_text(encoding="utf-8"))) for page in site_pages(audience)}
    shared = {key for page, found in keys.items() for key in found
              if any(key in other for other_page, other in keys.items() if other_page != page)}
    assert shared, "no chart is shown on two pages"
    assert len({p.stem for p in (audience / "charts").glob("*.js")}) < sum(len(found) for found in keys.values())
    for key in sorted(shared)[:5]:
        spec = charts.script_spec((audience / "charts" / f"{key}.js").read_text(encoding="utf-8"))
        assert charts.chart_key(charts.spec_json(spec)) == key
