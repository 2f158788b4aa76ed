"""The Vega bundle ships with the theme: it is the file scripts/make_vega_bundle.py writes for the installed
vl-convert, it reads the Vega-Lite the charts are written in, and a build copies it as it is."""

from __future__ import annotations

import importlib.util
from pathlib import Path


from lisite.build import build

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "themes" / "default" / "static" / "vega.js"


def make_vega_bundle():
    spec = importlib.util.spec_from_file_location("make_vega_bundle", REPO / "scripts" / "make_vega_bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_bundle_is_the_one_the_script_writes_for_the_installed_vl_convert():
    script = make_vega_bundle()
    assert script.OUT == SHIPPED
    shipped = SHIPPED.read_text(encoding="utf-8")
    assert shipped == script.bundle(), "run: python scripts/make_vega_bundle.py"
    assert "window.vegaEmbed=" in shipped and "import " not in shipped[:200]  # a classic script, no module


def test_the_bundles_vega_lite_reads_the_schema_the_charts_are_written_in():
    found = make_vega_bundle().recorded(SHIPPED.read_text(encoding="utf-8"))
    assert set(found) == {"vega", "vega-lite", "vega-embed"}
    bundled = tuple(int(part) for part in found["vega-lite"].split(".")[:2])
    import altair as alt  # here: every test process collects this module

    written = tuple(int(part) for part in alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])  # Altair's $schema, dropped by to_spec
    assert bundled[0] == written[0] and bundled >= written, (found, alt.SCHEMA_VERSION)


def test_a_build_copies_the_shipped_bundle(make_site):
    site = make_site()
    build(site)
    for audience in ("udvalg", "ledere"):
        assert (site / "_site" / audience / "assets" / "vega.js").read_bytes() == SHIPPED.read_bytes()
