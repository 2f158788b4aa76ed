"""The map of the 98 municipalities: the shipped boundaries, the choropleth's figures, and where the file is written."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lisite
from lisite import charts, testing
from lisite.config import parse_config
from lisite.i18n import Translator
from lisite.sampledata.kommuner import KOMMUNER

from conftest import shared_data

REPO = Path(__file__).resolve().parents[1]
plugin = testing.load_plugin(testing.builtin_plugin("sammenligning"))
choropleth, figures = plugin.choropleth, plugin.figures
DA, EN = Translator("da"), Translator("en")
SHIPPED = REPO / "plugins" / "reports" / "sammenligning" / "static" / "kommuner.js"
CREDIT = "Indeholder data fra Styrelsen for Dataforsyning og Infrastruktur, DAGI"
UNPUBLISHED = (101, 851, 825)  # no figure for 2025: grey on the map


def make_map_script():
    spec = importlib.util.spec_from_file_location("make_map", REPO / "scripts" / "make_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the shipped boundaries -------------------------------------------------------------------------------


def test_the_shipped_boundaries_are_small_and_are_the_98_municipalities():
    size = SHIPPED.stat().st_size
    assert 20_000 < size <= 150_000, size
    topo = choropleth.read_topology(SHIPPED)
    geometries = topo["objects"]["kommuner"]["geometries"]
    codes = [g["id"] for g in geometries]
    assert len(set(codes)) == len(codes) == 98 and all(isinstance(c, int) for c in codes)
    assert set(codes) == {k.code for k in KOMMUNER} and 411 not in codes  # Christiansø is not a municipality
    assert CREDIT in SHIPPED.read_text(encoding="utf-8").splitlines()[0]


def test_neighbours_share_one_border_so_the_map_has_no_gaps():
    """Each arc is drawn by at most two municipalities, in opposite directions: a border is stored once and
    simplified once, so the two sides cannot drift apart."""
    topo = choropleth.read_topology(SHIPPED)
    users: dict[int, list[tuple[int, bool]]] = {}
    for g in topo["objects"]["kommuner"]["geometries"]:
        for polygon in g["arcs"]:
            for ring in polygon:
                for i in ring:
                    users.setdefault(i if i >= 0 else ~i, []).append((g["id"], i >= 0))
    assert set(users) == set(range(len(topo["arcs"])))  # no arc left unused
    shared = [u for u in users.values() if len(u) == 2]
    assert len(shared) > 150 and all(len(u) <= 2 for u in users.values())
    assert all(a[0] != b[0] and a[1] != b[1] for a, b in shared)


def test_the_script_makes_the_shipped_file_and_the_same_bytes_twice(tmp_path):
    source = shared_data("original/neogeografen_dagi_kommuner.topojson").parents[1]
    script = make_map_script()
    first = script.main(source, tmp_path / "a.js").read_bytes()
    second = script.main(source, tmp_path / "b.js").read_bytes()
    assert first == second == SHIPPED.read_bytes()


# --- the choropleth ---------------------------------------------------------------------------------------


def panel(seed: int = 11, unpublished=UNPUBLISHED) -> pd.DataFrame:
    """The 98 municipalities with about 10 per 1,000 children in care; three without a 2025 figure."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, k in enumerate(KOMMUNER):
        kids = 10000 if k.code == 479 else int(rng.uniform(1000, 60000))
        for year in (2024, 2025):
            placed = float(rng.poisson(kids * 0.01 * np.exp(rng.normal(0, 0.2))))
            if year == 2025 and k.code in unpublished:
                placed = float("nan")
            rows.append({"kommunekode": k.code, "kommune": k.name, "region": "R", "aar": year, "boern_0_17": kids,
                         "anbragte": placed, "socio_indeks": 1 + (i % 20) / 50})
    return pd.DataFrame(rows)


def comparison(tmp_path, t=DA, unpublished=UNPUBLISHED):
    bench = panel(unpublished=unpublished)
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"},
                           "comparison": {"k": 3}}, tmp_path)
    ind = lisite.Indicator(id="indsatser.x", title="Anbragte", theme="indsatser", element="politisk_styring", unit="pr_1000",
                           compute=lambda ctx: None, benchmark="anbragte")
    own = bench[bench["kommunekode"] == 479]
    total = pd.DataFrame({"period": own["aar"].astype(str), "numerator": own["anbragte"], "denominator": own["boern_0_17"]})
    total["value"] = total["numerator"] / total["denominator"] * 1000
    return figures.build(ind, total, bench, config, None, t=t), ind


def test_the_map_colours_every_municipality_and_outlines_the_own_and_the_group(tmp_path):
    c, ind = comparison(tmp_path)
    part = choropleth.part(c, ind)
    spec = part["chart"]
    assert charts.browser_data(spec) == {"kommuner": "sammenligning/kommuner.js"}
    assert '"arcs"' not in json.dumps(spec)  # the boundaries come from the site's file, not the spec
    values = {v["kode"]: v for v in spec["transform"][0]["from"]["data"]["values"]}
    assert len(values) == 98
    latest = c.latest
    assert values[479]["tekst"] == c.show(c.own_value[latest])
    assert values[479]["rolle"] == "Svendborg (egen kommune)"
    assert {k for k, v in values.items() if v.get("rolle") == "Sammenligningskommunerne"} == set(c.group.codes)
    for code in UNPUBLISHED:
        assert values[code]["klasse"] == values[code]["tekst"] == "Intet tal (ikke offentliggjort)"
    subtitle = spec["title"]["subtitle"]
    assert subtitle == (f"Svendborg: {c.show(c.own_value[latest])} · Sammenligningskommunerne: {c.show(c.group_value[latest])}"
                        f" · Hele landet: {c.show(c.national_value[latest])}")
    fill = spec["layer"][0]["encoding"]["fill"]["scale"]
    assert fill["domain"][-1] == "Intet tal (ikke offentliggjort)" and fill["range"][-1] == choropleth.MISSING
    assert len(fill["domain"]) == 6 and len(set(fill["range"])) == 6
    shown = {r["kommune"]: float(r["tekst"].replace(".", "").replace(",", ".")) for r in values.values() if r["kode"] not in UNPUBLISHED}
    for name, value in shown.items():  # every figure lies in the class it is coloured by, written the Danish way
        low, _, high = next(r["klasse"] for r in values.values() if r["kommune"] == name).partition("–")
        low, high = (float(x.replace(".", "").replace(",", ".")) for x in (low, high or low))
        assert low <= value <= high, name


def test_grey_is_in_the_legend_only_when_a_municipality_lacks_a_figure(tmp_path):
    c, ind = comparison(tmp_path, unpublished=())
    fill = choropleth.part(c, ind)["chart"]["layer"][0]["encoding"]["fill"]["scale"]
    assert len(fill["domain"]) == 5 and choropleth.MISSING not in fill["range"]
    assert "Intet tal (ikke offentliggjort)" not in fill["domain"]


def test_the_table_lists_every_municipality_with_the_own_and_the_group_marked(tmp_path):
    c, ind = comparison(tmp_path)
    table = choropleth.part(c, ind)["table"]
    assert table["heads"] == ["Kommune", "Værdi", "I sammenligningen"]
    assert len(table["rows"]) == 99 and table["rows"][-1] == ["Hele landet", c.show(c.national_value[c.latest]), ""]
    roles = {row[0]: row[2] for row in table["rows"]}
    assert roles["Svendborg"] == "Egen kommune"
    assert sum(r == "Sammenligningskommune" for r in roles.values()) == len(c.group.codes)
    assert [m for m, row in zip(table["marked"], table["rows"]) if row[2]] == [True] * (1 + len(c.group.codes))
    assert [row[1] for row in table["rows"][-4:-1]] == ["Intet tal (ikke offentliggjort)"] * 3  # the unpublished last


def test_the_english_map_has_english_words_and_numbers(tmp_path):
    c, ind = comparison(tmp_path, t=EN)
    part = choropleth.part(c, ind)
    assert part["credit"].startswith("The map contains data from the Danish Agency for Data Supply and Infrastructure, DAGI")
    assert "Whole country: " in part["chart"]["title"]["subtitle"] and "," not in c.show(c.national_value[c.latest])


def test_classes_hold_equal_values_together():
    assert choropleth.classes([1.0, 1.0, 1.0, 2.0]) == [(1.0, 1.0), (2.0, 2.0)]
    found = choropleth.classes([float(v) for v in range(1, 101)])
    assert len(found) == 5 and found[0][0] == 1 and found[-1][1] == 100
    assert all(a[1] < b[0] for a, b in zip(found, found[1:]))
    assert choropleth.classes([]) == []


# --- the demo site ----------------------------------------------------------------------------------------


def test_the_boundaries_are_written_once_per_site_and_loaded_only_where_a_map_is(demo_build):
    out = demo_build / "_site"
    shipped = SHIPPED.read_bytes()
    maps = 0
    for audience in sorted(p for p in out.iterdir() if p.is_dir()):
        assert (audience / "assets" / "sammenligning" / "kommuner.js").read_bytes() == shipped
        assert len(list(audience.rglob("kommuner*.js"))) == 1
        for page in sorted(audience.rglob("*.html")):
            text = page.read_text(encoding="utf-8")
            has_map = text.count('<section class="map"')
            maps += has_map
            assert '"arcs"' not in text and '"Topology"' not in text, page  # never the boundaries in a page
            assert text.count("assets/sammenligning/kommuner.js\"></script>") == (1 if has_map else 0), page
            if has_map:
                assert text.count(CREDIT) == has_map, page
    assert maps >= 16


def test_the_committees_comparison_page_has_a_map_for_every_compared_figure(demo_build):
    folder = demo_build / "_site" / "udvalg" / "rapporter" / "sammenligning"
    report = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html")))
    sections = [chunk.split("</section>")[0] for chunk in report.split('<section class="map"')[1:]]
    assert len(sections) == report.count('class="comparison"') == 8
    print(f"comparison page: {len(report.encode()):,} bytes, maps {sum(len(s.encode()) for s in sections):,} bytes")
    for chunk in sections:
        [spec] = charts.specs_in(chunk, folder.parent.parent)
        values = spec["transform"][0]["from"]["data"]["values"]
        assert len(values) == 98 and [v["kode"] for v in values if v.get("rolle") == "Svendborg (egen kommune)"] == [479]
        assert spec["title"]["subtitle"].startswith("Svendborg: ")
        assert "<svg" not in chunk and len(chunk.encode()) < 40_000  # no static drawing of 98 boundaries
        assert chunk.count("<tr") == 1 + 99 and "<th scope=\"row\"><strong>Svendborg</strong></th>" in chunk


def test_the_second_municipality_gets_its_own_outline(second_build):
    out = second_build / "_site"
    pages = [p for p in sorted(out.rglob("*.html")) if '<section class="map"' in p.read_text(encoding="utf-8")]
    assert pages
    text = pages[0].read_text(encoding="utf-8")
    chunk = text.split('<section class="map"')[1].split("</section>")[0]
    [spec] = charts.specs_in(chunk, out / pages[0].relative_to(out).parts[0])
    own = [v for v in spec["transform"][0]["from"]["data"]["values"] if v.get("rolle", "").endswith("(egen kommune)")]
    assert len(own) == 1 and own[0]["kode"] != 479 and own[0]["rolle"] == f"{own[0]['kommune']} (egen kommune)"


@pytest.mark.browser
def test_the_map_draws_from_file_url_with_the_own_outline(demo_build, browser):
    path = demo_build / "_site" / "udvalg" / "rapporter" / "sammenligning" / "indsatser-anbragte_pr_1000.html"
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('section.map .chart.is-live').length === 1", timeout=30000)
    first = page.locator("section.map .chart-live svg").first
    shapes = first.locator("path")
    assert shapes.count() >= 98 + 4  # the 98 filled municipalities, the own outline and at least three of the group
    own = first.locator(f'path[stroke="{choropleth.OWN_STROKE}"]')
    assert own.count() >= 1 and float(own.first.get_attribute("stroke-width")) >= 3
    assert first.locator(f'path[stroke="{choropleth.GROUP_STROKE}"]').count() >= 3
    assert [u for u in requests if not u.startswith("file://")] == [] and errors == []
    assert "browser-data" in page.locator("section.map .chart").first.get_attribute("class")
    page.wait_for_function("document.querySelectorAll('.chart.is-live').length === document.querySelectorAll('.chart').length", timeout=30000)
    page.emulate_media(media="print")  # print keeps the drawn map, not the note for readers without JavaScript
    assert page.locator("section.map .chart-live svg").first.is_visible()
    assert page.locator("section.funnel .chart-live svg").first.is_visible()  # every chart prints as Vega drew it
    assert not page.locator("section.map .chart-static").first.is_visible()
    page.close()
