"""The comparison's benchmark catalogue, shares with their own denominator, and the funnel plot with its verdict."""

from __future__ import annotations

import html
import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lisite
from lisite import testing
from lisite.build import collect_indicators
from lisite.config import load_config, parse_config
from lisite.i18n import Translator
from lisite.plugins import make_plugin_manager

REPO = Path(__file__).resolve().parents[1]
plugin = testing.load_plugin(testing.builtin_plugin("sammenligning"))
figures, text, catalogue = plugin.figures, plugin.text, plugin.catalogue
DA, EN = Translator("da"), Translator("en")
STRUCTURE = ("column", "denominator", "scale", "counted", "kind")


def shipped(lang: str) -> dict:
    path = REPO / "content" / ("en/" if lang == "en" else "") / catalogue.FILE
    return tomllib.loads(path.read_text(encoding="utf-8"))


def config(tmp_path, **comparison):
    raw = {"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"},
           "comparison": {"k": 2, **comparison}}
    return parse_config(raw, tmp_path)


def indicator(unit="pr_1000", bench="anbragte", better="neither"):
    return lisite.Indicator(id="indsatser.x", title="Tallet", theme="indsatser", element="politisk_styring", unit=unit,
                            compute=lambda ctx: None, benchmark=bench, better=better)


def own_total(numbers: dict[int, tuple[float, float]], scale: float) -> pd.DataFrame:
    return pd.DataFrame({"period": [str(y) for y in numbers], "numerator": [float(n) for n, _ in numbers.values()],
                         "denominator": [float(d) for _, d in numbers.values()],
                         "value": [n / d * scale for n, d in numbers.values()]})


def panel(seed: int = 7, count: int = 40) -> pd.DataFrame:
    """``count`` municipalities (codes 101...) with 1,000-60,000 children, about 10 per 1,000 in care (a real
    spread of about 15 % between them), 60 % of them in family care; Svendborg (479) is the first, 10,000 children."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(count):
        code = 479 if i == 0 else 100 + i
        kids = 10000 if code == 479 else int(rng.uniform(1000, 60000))
        placed = int(rng.poisson(kids * 0.01 * np.exp(rng.normal(0, 0.15))))
        for year in (2024, 2025):
            rows.append({"kommunekode": code, "kommune": "Svendborg" if code == 479 else f"By {i}", "region": "R",
                         "aar": year, "boern_0_17": kids, "anbragte": placed, "forebyggende": 0, "underretninger": 0,
                         "udgift_1000kr": kids * 12.0, "socio_indeks": 1 + i / 100,
                         "anbragte_familiepleje": int(round(placed * 0.6)),
                         "udgift_forebyggende_1000kr": placed * 175.0, "udgift_indsatser_1000kr": placed * 875.0})
    return pd.DataFrame(rows)


# --- the catalogue ----------------------------------------------------------------------------------------


def test_catalogue_has_the_same_figures_and_numbers_in_both_languages():
    da, en = shipped("da"), shipped("en")
    assert list(da) == list(en)
    for name in da:
        assert {k: da[name].get(k) for k in STRUCTURE} == {k: en[name].get(k) for k in STRUCTURE}, name
        for lang, entries in (("da", da), ("en", en)):
            assert all(entries[name].get(k) for k in catalogue.WORDS), (lang, name)  # definition, counts, source, unit
    for lang in ("da", "en"):
        path = REPO / "content" / ("en/" if lang == "en" else "") / catalogue.FILE
        assert catalogue.problems(path.read_text(encoding="utf-8")) == []


def test_every_benchmark_figure_of_the_demo_is_in_the_catalogue_with_its_columns():
    entries = catalogue.shipped()
    header = (REPO / "sample_data" / "benchmark.csv").read_text(encoding="utf-8").splitlines()[0].split(";")
    for entry in entries.values():
        assert set(entry.columns) <= set(header), entry.name
    cfg = load_config(REPO)
    pm = make_plugin_manager(cfg.site_dir, cfg.disabled_plugins, cfg.plugin_paths)
    wanted = {i.id: i.benchmark for i in collect_indicators(pm, cfg).values() if i.benchmark}
    assert len(wanted) == 8
    assert set(wanted.values()) <= set(entries)
    # what is counted is said: the demo's column counts notifications (UND1), as its own indicator does
    assert "flere gange" in entries["underretninger"].definition and entries["underretninger"].source.endswith("UND1")
    assert entries["underretninger"].counts == "underretninger" and "underretninger pr." in DA("sammenligning.phrase.underretninger")
    assert entries["anbragte_familiepleje"].denominator == "anbragte"


def test_catalogue_problems_are_named():
    assert catalogue.problems('[a]\ncounted = "monthly"\nscale = "x"\nfoo = 1\n') == [("a", "foo"), ("a", "counted"), ("a", "scale")]
    assert catalogue.problems("[a\n")[0][0] == ""


def test_validate_reports_a_broken_site_catalogue(tmp_path):
    cfg = config(tmp_path)
    site_file = Path(cfg.content_dir) / catalogue.FILE
    site_file.parent.mkdir(parents=True)
    site_file.write_text('[anbragte]\ncounted = "hver måned"\n', encoding="utf-8")
    problems = plugin.lisite_validate(data={"benchmark": panel()}, config=cfg)
    assert any("[anbragte]" in p.message and "counted" in p.message for p in problems)


def test_a_monthly_status_is_compared_by_its_december_figure():
    months = pd.DataFrame({"period": ["2024-11", "2024-12", "2025-06", "2025-12"], "numerator": [1.0, 2, 3, 4],
                           "denominator": 10.0, "value": [10.0, 20, 30, 40]})
    status = catalogue.Entry(name="x", counted="status")
    assert catalogue.yearly(months, status)[["period", "value"]].values.tolist() == [["2024", 20.0], ["2025", 40.0]]
    assert catalogue.yearly(months, catalogue.Entry(name="x")) is months  # a count over the year: no yearly figure
    years = months.assign(period=["2022", "2023", "2024", "2025"])
    assert catalogue.yearly(years, status) is years


# --- shares and amounts -----------------------------------------------------------------------------------


def test_a_share_is_divided_by_its_own_denominator(tmp_path):
    bench = panel()
    ind = indicator(unit="pct", bench="anbragte_familiepleje", better="higher")
    placed = int(bench.loc[bench["kommunekode"] == 479, "anbragte"].iloc[0])
    own = own_total({2024: (round(placed * 0.7), placed), 2025: (round(placed * 0.7), placed)}, 100)  # 70 % own
    c = figures.build(ind, own, bench, config(tmp_path), None, t=DA)
    latest = bench[bench["aar"] == 2025]
    others = latest[latest["kommunekode"] != 479]
    national = (others["anbragte_familiepleje"].sum() + round(placed * 0.7)) / latest["anbragte"].sum() * 100
    assert c.national_value[2025] == pytest.approx(national)
    assert c.everyone["denominator"].tolist() == latest["anbragte"].astype(float).tolist()  # children in care, not 0-17
    said = text.sentences(c, ind)
    country = next(s for s in said if s.startswith("Landstallet for alle kommuner under ét er "))
    gap = c.r(c.own_value[2025] - c.national_value[2025])
    assert f"{c.show(abs(gap))[:-2]}\u00a0procentpoint højere" in country  # a gap between shares is in percentage points


def test_a_share_of_kroner_has_no_funnel_and_no_test_of_chance(tmp_path):
    bench = panel()
    ind = indicator(unit="pct", bench="udgift_forebyggende_1000kr", better="higher")
    own = {2024: (1_000_000.0, 4_000_000.0), 2025: (1_100_000.0, 4_000_000.0)}
    c = figures.build(ind, own_total(own, 100), bench, config(tmp_path), None, t=DA)
    assert c.funnel is None and all(d is None for _, d in c.own.values())
    assert c.own_value == pytest.approx({2024: 25.0, 2025: 27.5})
    said = " ".join(text.sentences(c, ind))
    assert "tilfældige" not in said and "normale variation" not in said
    assert plugin.funnel.part(c, ind, "kroner") is None


# --- the funnel's verdict ---------------------------------------------------------------------------------


def with_own(bench: pd.DataFrame, placed: int) -> pd.DataFrame:
    return own_total({2024: (placed, 10000), 2025: (placed, 10000)}, 1000)


def test_the_country_sentence_is_the_funnels_verdict(tmp_path):
    bench = panel()
    ind = indicator()
    inside = figures.build(ind, with_own(bench, 105), bench, config(tmp_path), None, t=DA)
    assert inside.funnel is not None and inside.funnel.tau2 > 0  # the panel varies more than chance
    verdict, (low, high), (far_low, far_high) = plugin.funnel.verdict(inside)
    assert verdict == "inside" and low < 10.5 < high and far_low < low and far_high > high
    national = text._national(inside, inside.own_value[2025], inside.national_value[2025])
    assert "inden for den normale variation mellem kommuner af samme størrelse" in national
    assert f"({inside.show(low)} til {inside.show(high)})" in national
    rows = dict(map(tuple, text.summary(inside)["rows"]))
    assert rows["Normal variation for en kommune af samme størrelse (95\u00a0%)"] == f"{inside.show(low)} til {inside.show(high)}"

    above = figures.build(ind, with_own(bench, round(high * 10) + 8), bench, config(tmp_path), None, t=DA)
    assert plugin.funnel.verdict(above)[0] == "above"
    assert "mere end den normale variation" in text._national(above, above.own_value[2025], above.national_value[2025])

    far = figures.build(ind, with_own(bench, 400), bench, config(tmp_path), None, t=EN)
    assert plugin.funnel.verdict(far)[0] == "far_above"
    sentence = text._national(far, far.own_value[2025], far.national_value[2025])
    assert "far more than the normal variation" in sentence and "outer limit of the funnel plot" in sentence

    low_own = figures.build(ind, with_own(bench, 5), bench, config(tmp_path), None, t=DA)
    assert plugin.funnel.verdict(low_own)[0] == "far_below"
    assert "under tragtdiagrammets yderste grænse" in text._national(low_own, low_own.own_value[2025], low_own.national_value[2025])


def test_the_funnel_part_names_axes_and_describes_itself(tmp_path):
    bench = panel()
    ind = indicator()
    c = figures.build(ind, with_own(bench, 105), bench, config(tmp_path), None, t=DA)
    part = plugin.funnel.part(c, ind, "børn på 0-17 år")
    assert part["kind"] == "funnel" and part["description"].startswith("Tragtdiagram over tallet i alle 40 kommuner i 2025.")
    assert "inden for den normale variation" in part["description"]
    spec = part["chart"]
    titles = json.dumps(spec, ensure_ascii=False)
    assert "Antal børn på 0-17 år i kommunen (logaritmisk skala)" in titles and "pr. 1.000 børn" in titles
    points = max((rows for rows in spec["datasets"].values() if rows and "role" in rows[0]), key=len)
    assert len(points) == 40
    roles = {p["kommune"]: p["role"] for p in points}
    assert roles["Svendborg"] == "Svendborg" and sum(r == "Sammenligningskommunerne" for r in roles.values()) == 2


def test_an_audience_seeing_one_area_gets_no_comparison():
    """An area's share is not the municipality's: an audience limited to one area is not compared with the country."""
    limited = lisite.Audience(id="chef", title="Chef", level="area", filter=(("omraade", "Handicap"),))
    whole = lisite.Audience(id="direktion", title="Direktion", level="area")
    block = lisite.IndicatorView("indsatser.x")
    assert plugin.lisite_indicator_view(indicator(), None, block, limited, ctx=None) == []
    assert plugin.lisite_pages(limited, ctx=None) == []
    assert plugin.whole_municipality(whole) and not plugin.whole_municipality(limited)


# --- the demo site ----------------------------------------------------------------------------------------


def test_the_committees_pages_show_the_funnel_and_what_is_counted(demo_build):
    out = demo_build / "_site" / "udvalg"
    report = "".join(p.read_text(encoding="utf-8") for p in sorted((out / "rapporter" / "sammenligning").glob("*.html")))
    assert report.count('class="comparison"') == 8  # every indicator with a national counterpart
    assert report.count('<section class="funnel"') == 6  # all but the two figures in kroner
    for chunk in report.split('<section class="funnel"')[1:]:
        chunk = chunk.split("</section>")[0]
        label = html.unescape(re.search(r'role="img" aria-label="([^"]+)"', chunk).group(1))
        assert label.startswith("Tragtdiagram over ") and "alle 98 kommuner i 2025" in label and "Svendborg" in label
        [spec] = lisite.charts.specs_in(chunk, out)
        points = max((rows for rows in spec["datasets"].values() if rows and "role" in rows[0]), key=len)
        assert len(points) == 98 and [p["kommune"] for p in points if p["role"] == "Svendborg"] == ["Svendborg"]
        assert "<svg" not in chunk and DA("sammenligning.funnel.no_script") in chunk  # drawn by the browser
        assert '.csv"' in chunk  # without JavaScript its numbers are a download
    abouts = re.findall(r'<p class="note about-figures">(.*?)</p>', report, re.S)
    assert len(abouts) == 8 and all("Kilde: Danmarks Statistik" in html.unescape(a) for a in abouts)
    themes = "".join((out / "temaer" / f"{t}.html").read_text(encoding="utf-8") for t in ("administration", "indsatser", "oekonomi"))
    assert themes.count('class="comparison"') == 8
    assert themes.count('<section class="funnel"') == 0  # on the figure's own comparison page, linked from here
