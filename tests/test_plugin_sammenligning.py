"""The sammenligning plugin: figures and sentences on a hand-made benchmark, and its parts on the demo site."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lisite
from lisite import compare, fmt
from lisite.build import collect_indicators
from lisite.config import load_config, parse_config
from lisite.i18n import Translator
from lisite import testing
from lisite.plugins import make_plugin_manager

PACKAGE = testing.builtin_plugin("sammenligning")


plugin = testing.load_plugin(PACKAGE)
figures, text = plugin.figures, plugin.text
DA = Translator("da")

# code: (name, socio index, children); 101 and 102 are the obvious neighbours of 479, equally far
TOWNS = {479: ("Svendborg", 1.0, 10000), 101: ("Aby", 1.01, 10100), 102: ("Bby", 0.99, 9900),
         103: ("Cby", 1.5, 20000), 104: ("Dby", 0.5, 3000), 105: ("Eby", 1.3, 15000)}
# placed children per year: the others have the same figure every year
PLACED = {101: 202, 102: 198, 103: 200, 104: 30, 105: 150}
OWN = {2020: 60, 2024: 95, 2025: 100}  # Svendborg: 6.0, 9.5 and 10.0 per 1,000


def benchmark() -> pd.DataFrame:
    rows = []
    for year in (2020, 2024, 2025):
        for code, (name, index, kids) in TOWNS.items():
            placed = OWN[year] if code == 479 else PLACED[code]
            rows.append({"kommunekode": code, "kommune": name, "region": "R", "aar": year, "boern_0_17": kids,
                         "anbragte": placed, "forebyggende": 0, "underretninger": 0,
                         "udgift_1000kr": kids * 12.0 + (500.0 if code == 479 else 0.0), "socio_indeks": index})
    return pd.DataFrame(rows)


def own_total(numbers: dict[int, float], denominator: float = 10000, scale: float = 1000) -> pd.DataFrame:
    return pd.DataFrame({"period": [str(y) for y in numbers], "numerator": [float(v) for v in numbers.values()],
                         "denominator": denominator, "value": [v / denominator * scale for v in numbers.values()]})


def config(tmp_path, **comparison):
    raw = {"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"},
           "comparison": {"k": 2, **comparison}}
    return parse_config(raw, tmp_path)


def indicator(unit="pr_1000", bench="anbragte", better="neither"):
    return lisite.Indicator(id="indsatser.anbragte_pr_1000", title="Anbragte børn pr. 1.000 børn", theme="indsatser",
                            element="politisk_styring", unit=unit, compute=lambda ctx: None, benchmark=bench, better=better)


def test_group_is_the_nearest_and_figures_are_exact(tmp_path):
    c = figures.build(indicator(), own_total(OWN), benchmark(), config(tmp_path), target=8.0, t=DA)
    assert c.group.codes == [101, 102]  # tie on distance, lower code first
    assert c.group.chosen_by == "nearest" and c.group.year == 2025
    assert c.years == [2020, 2024, 2025] and c.latest == 2025
    assert c.own_value == {2020: 6.0, 2024: 9.5, 2025: 10.0}
    assert c.group_value[2025] == 20.0  # (202 + 198) / (10100 + 9900) * 1000
    assert c.national_value[2025] == pytest.approx(880 / 68000 * 1000) and c.r(c.national_value[2025]) == 12.9  # unrounded
    assert c.rank_group == (3, 3) and c.rank_nation == (3, 6) and c.quartile == 1
    assert c.notes == []


def test_the_country_line_runs_under_the_bars_labels_each_on_a_white_edge(tmp_path):
    """Læsø's "116,9" stood next to the country's dotted line, which ran through it: the line is drawn before the
    labels, and under them a white copy of each label (its halo) keeps the line off the digits."""
    c = figures.build(indicator(), own_total(OWN), benchmark(), config(tmp_path), target=8.0, t=DA)
    layers = plugin.chart.latest_bars(c)["layer"]
    kinds = [(layer["mark"]["type"], layer["mark"].get("color")) for layer in layers]
    rule = kinds.index(("rule", plugin.chart.DARK_GREY))
    halo = next(i for i, layer in enumerate(layers) if layer["mark"]["type"] == "text" and layer["mark"].get("stroke") == "white")
    labels = [i for i, layer in enumerate(layers) if layer["mark"]["type"] == "text"
              and layer["encoding"]["text"]["field"] == "label" and i != halo and "y" in layer["encoding"]]
    assert len(labels) == 2 and rule < halo < min(labels)
    assert layers[halo]["mark"]["color"] == "white" and layers[halo]["mark"]["strokeWidth"] >= 3
    assert layers[halo]["transform"] == []  # every bar's label, the own one's (bold) as the others'


def test_sentences_tell_real_change_from_noise(tmp_path):
    c = figures.build(indicator(), own_total(OWN), benchmark(), config(tmp_path), target=8.0, t=DA)
    assert text.sentences(c, indicator()) == [
        "Svendborg havde 10,0 anbragte børn pr. 1.000 børn i 2025.",
        "I 2024 var tallet 9,5. Ændringen er inden for de normale tilfældige udsving, så det er ikke en reel stigning.",
        "For fem år siden, i 2020, var tallet 6,0. Siden da er tallet steget med 4,0, og ændringen er større end de "
        "normale tilfældige udsving.",
        "Målet er 8,0. Svendborg ligger 2,0 over målet.",
        "Svendborg ligger 10,0 lavere end sammenligningskommunerne under ét (20,0), og forskellen er større end de "
        "normale tilfældige udsving.",
        # the country's verdict is the funnel's: six towns at 10 and 20 per 1,000 differ far more than chance,
        # so 2.9 below the country is within their normal variation (the limits for 10,000 children)
        "Landsgennemsnittet, vægtet efter antal børn, er 12,9. Svendborg ligger 2,9 lavere, men det er inden for den "
        "normale variation mellem kommuner af samme størrelse (0,9 til 25,0).",
        "Regnet fra det højeste tal ligger Svendborg nr. 3 af 3 i gruppen og nr. 3 af 6 i landet, altså i den "
        "laveste fjerdedel af landets kommuner.",
        "Svendborg deler pladsen med Cby, Dby og Eby, der har præcis det samme tal.",  # all four have 10.0 exactly
        "For dette tal er hverken højt eller lavt i sig selv godt eller skidt: læs forbeholdene ved siden af.",
    ]


def test_sentences_in_english_come_from_the_catalogue(tmp_path):
    en = Translator("en")
    c = figures.build(indicator(), own_total(OWN), benchmark(), config(tmp_path), target=8.0, t=en)
    said = text.sentences(c, indicator())
    assert said[0] == "Svendborg had 10.0 children in care per 1,000 children in 2025."
    assert said[1] == "In 2024 the figure was 9.5. The change is within normal random variation, so it is not a real rise."
    assert said[3] == "The target is 8.0. Svendborg is 2.0 above the target."
    assert said[4] == ("Svendborg is 10.0 lower than the comparison municipalities taken together (20.0), and the difference "
                       "is larger than normal random variation.")
    assert text.group_sentence(c).startswith("The comparison municipalities are Aby and Bby: ")
    assert text.table(c, indicator())["heads"][3] == "Whole country"
    money = indicator(unit="kr_gns", bench="udgift_1000kr")
    c = figures.build(money, own_total({2024: 125_000_000, 2025: 130_000_000}, scale=1), benchmark(), config(tmp_path), None, t=en)
    assert text.sentences(c, money)[0] == (
        "Svendborg had spending of DKK\u00a013,000 per child in 2025 by the municipality's own figures, but DKK\u00a012,050 by the "
        "national statistics. The comparison uses the municipality's own figures, so part of the difference from the other "
        "municipalities may come from the figures being counted differently.")
    assert "DKK\u00a013,000 against DKK\u00a012,050 in 2025" in c.notes[0]


def test_a_difference_within_chance_is_given_with_its_size_and_direction(tmp_path):
    """Within chance is not "level with": 19.0 against 20.0 is said to be 1.0 lower, and then that the difference is
    within the normal random variation; the front page's tile says the same in short. Under 2 % apart (19.7), it is
    "level with"."""
    own = {2020: 60, 2024: 95, 2025: 190}  # 19.0 against the group's 20.0: expected 200, normal range 173-228
    ind = indicator(better="lower")
    c = figures.build(ind, own_total(own), benchmark(), config(tmp_path), target=15.0, t=DA)
    said = text.sentences(c, ind)
    assert "Svendborg ligger 1,0 lavere end sammenligningskommunerne under ét (20,0), men forskellen er inden for de " \
           "normale tilfældige udsving." in said
    assert not any("på niveau" in sentence for sentence in said)
    assert "Lavere end sammenligningskommunerne (20,0), men inden for de normale tilfældige udsving" in text.tile_line(c)
    c_en = figures.build(ind, own_total(own), benchmark(), config(tmp_path), target=15.0, t=Translator("en"))
    assert "Svendborg is 1.0 lower than the comparison municipalities taken together (20.0), but the difference is within " \
           "normal random variation." in text.sentences(c_en, ind)
    assert "Lower than the comparison municipalities (20.0), but within normal random variation" in text.tile_line(c_en)
    level = figures.build(ind, own_total({**own, 2025: 197}), benchmark(), config(tmp_path), target=15.0, t=DA)
    assert "Svendborg ligger på niveau med sammenligningskommunerne under ét (20,0): forskellen er inden for de " \
           "normale tilfældige udsving." in text.sentences(level, ind)
    assert "På niveau med sammenligningskommunerne (20,0)." in text.tile_line(level)
    # against the country without a funnel (the test against chance alone): the same words
    close = figures.build(ind, own_total({**own, 2025: 150}), benchmark(), config(tmp_path), target=15.0, t=DA)
    close = dataclasses.replace(close, funnel=None)
    assert "Svendborg ligger 1,3 højere, men forskellen er inden for de normale tilfældige udsving." in \
        " ".join(text.sentences(close, ind))
    assert text.tile_line(close).endswith("Højere end landet (13,7), men inden for de normale tilfældige udsving.")
    # a gap the test found real says so on the tile as in the sentence; one it cannot test (money) does not
    far = figures.build(ind, own_total({**own, 2025: 100}), benchmark(), config(tmp_path), target=15.0, t=DA)
    far_said = " ".join(text.sentences(far, ind))
    assert "Svendborg ligger 10,0 lavere end sammenligningskommunerne under ét (20,0), og forskellen er større end de " \
           "normale tilfældige udsving." in far_said
    assert "Lavere end sammenligningskommunerne (20,0), mere end de normale tilfældige udsving." in text.tile_line(far)
    assert text.tile_key("lower", None, far, 10.0, 20.0) == "lower" == text.tile_key("lower", False, far, 10.0, 20.0)
    assert "Målet er 15,0. Der mangler 4,0, før det er nået." in said
    assert "Det er en udvikling i den forkerte retning." in said[1]  # 9.5 -> 19.0 is a real rise, and lower is better
    assert said[-1] == "For dette tal er et lavt tal bedst."


@pytest.mark.parametrize("method, words, value", [
    ("mean", "Gennemsnittet af kommunerne, hvor hver kommune tæller lige meget, er 13,3", 13.3),
    ("median", "Medianen for landets kommuner (halvdelen ligger over, halvdelen under) er 10,0", 10.0),
])
def test_national_figure_says_how_it_is_computed(tmp_path, method, words, value):
    c = figures.build(indicator(), own_total(OWN), benchmark(), config(tmp_path, national=method), target=None, t=DA)
    assert c.r(c.national_value[2025]) == value  # unrounded; shown rounded
    assert any(s.startswith(words) for s in text.sentences(c, indicator()))


def test_group_chosen_by_the_committee(tmp_path):
    c = figures.build(indicator(), own_total(OWN), benchmark(), config(tmp_path, municipalities=[105, 479, 103]), None, t=DA)
    assert c.group.codes == [105, 103] and c.group.chosen_by == "config"
    assert text.group_sentence(c) == "Sammenligningskommunerne er Eby og Cby. De er valgt af udvalget."
    assert c.group_value[2025] == 10.0  # (150 + 200) / (15000 + 20000)


def near_ties() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Svendborg's own 100.06 (shown 100.1) in 2024 and 108.72 (shown 108.7) in 2025; Eby has 108.733 and
    Aby 108.713 every year: all three are shown as 108.7 in 2025, Eby a little above Svendborg, Aby a little below."""
    own = pd.DataFrame({"period": ["2024", "2025"], "numerator": [10006.0, 10872.0], "denominator": [100000.0, 100000.0]})
    own["value"] = own["numerator"] / own["denominator"] * 1000
    bench = benchmark()
    bench.loc[bench["kommunekode"] == 101, "anbragte"] = 1098  # 1,098 / 10,100 = 108.713
    bench.loc[bench["kommunekode"] == 105, "anbragte"] = 1631  # 1,631 / 15,000 = 108.733
    return own, bench


def test_changes_differences_and_places_come_from_unrounded_figures(tmp_path):
    own, bench = near_ties()
    c = figures.build(indicator(), own, bench, config(tmp_path), target=None, t=DA)
    said = text.sentences(c, indicator())
    # the change is 8.66: rounded once it is 8,7, although the shown figures 100,1 and 108,7 differ by 8,6
    assert said[1] == ("I 2024 var tallet 100,1. Siden da er tallet steget med 8,7, og ændringen er større end de "
                       "normale tilfældige udsving.")
    assert "8,6" not in " ".join(said)
    rows = dict(map(tuple, text.summary(c)["rows"]))
    assert rows["Ændring fra 2024 til 2025"] == "+8,7"
    table = text.table(c, indicator())["rows"]
    group = c.group_value[2025]  # (1,098 + 198) / 20,000 * 1000 = 64.8
    assert table[-1][4] == "+" + fmt.value(round(108.72 - group, 1), "pr_1000")  # the rounded unrounded difference
    assert any(f"{fmt.value(108.72 - group, 'pr_1000')} højere end sammenligningskommunerne" in s for s in said)


def test_places_count_the_unrounded_figures_and_a_shown_tie_is_named(tmp_path):
    own, bench = near_ties()
    c = figures.build(indicator(), own, bench, config(tmp_path), target=None, t=DA)
    # rounded, Eby, Svendborg and Aby would all share place 1; unrounded only Eby is higher
    assert c.rank_group == (1, 3) and c.rank_nation == (2, 6)
    assert [name for name, _, _ in c.ties] == ["Aby", "Eby"]  # the group's member first
    said = text.sentences(c, indicator())
    assert "nr. 1 af 3 i gruppen og nr. 2 af 6 i landet" in said[-3]
    assert said[-2] == ("Svendborg har samme tal som Aby og Eby, når tallene vises afrundet (108,7). Placeringen er "
                        "regnet på de uafrundede tal.")
    rows = dict(map(tuple, text.summary(c)["rows"]))
    assert rows["Placering i gruppen (nr. 1 har det højeste tal)"] == "1 af 3 (samme tal som Aby)"
    assert rows["Placering i landet (nr. 1 har det højeste tal)"] == "2 af 6 (samme tal som Aby og Eby)"
    english = text.sentences(figures.build(indicator(), own, bench, config(tmp_path), target=None, t=Translator("en")),
                             indicator())
    assert "Svendborg has the same figure as Aby and Eby when the figures are rounded as shown (108.7)." in english[-2]


def test_the_change_test_allows_for_the_variation_the_panel_shows(tmp_path):
    """Every other municipality swings by ±15 % from year to year: a 10 % rise of Svendborg's is then
    ordinary, though it is far outside what chance alone (Poisson) allows."""
    rng = np.random.default_rng(3)
    rows = []
    for year in range(2016, 2026):
        for code in range(200, 260):
            kids = 10000
            rows.append({"kommunekode": code, "kommune": f"K{code}", "region": "R", "aar": year, "boern_0_17": kids,
                         "anbragte": round(kids * 0.05 * rng.uniform(0.85, 1.15)), "forebyggende": 0, "underretninger": 0,
                         "udgift_1000kr": 1.0, "socio_indeks": 1.0 + code / 1000})
        rows.append({"kommunekode": 479, "kommune": "Svendborg", "region": "R", "aar": year, "boern_0_17": 100000,
                     "anbragte": 1000, "forebyggende": 0, "underretninger": 0, "udgift_1000kr": 1.0, "socio_indeks": 1.2})
    bench = pd.DataFrame(rows)
    own = own_total({2024: 1000, 2025: 1100}, denominator=100000)  # 10.0 -> 11.0 per 1,000: 2.2 SE of chance
    assert compare.changed("pr_1000", (1000, 100000), (1100, 100000)) is True
    c = figures.build(indicator(), own, bench, config(tmp_path), target=None, t=DA)
    assert c.panel.phi > 1.5 and c.dispersion.phi > 1.5
    assert "inden for de normale tilfældige udsving" in text.sentences(c, indicator())[1]


def test_money_is_converted_from_thousands_and_differences_of_own_figures_are_noted(tmp_path):
    ind = indicator(unit="kr_gns", bench="udgift_1000kr")
    own = own_total({2024: 125_000_000, 2025: 130_000_000}, scale=1)  # 12,500 and 13,000 kr. per child
    c = figures.build(ind, own, benchmark(), config(tmp_path), target=None, t=DA)
    assert c.group_value[2025] == 12000.0  # 12 (1,000 kr.) per child
    assert c.own_value[2025] == 13000.0
    said = text.sentences(c, ind)
    # the own figure differs from the national statistics' figure for Svendborg: the first sentence says so
    assert said[0] == ("Svendborg havde en udgift på 13.000\u00a0kr. pr. barn i 2025 efter kommunens egne tal, men 12.050\u00a0kr. "
                       "efter landsopgørelsen. Sammenligningen bruger kommunens egne tal, så en del af forskellen til de "
                       "andre kommuner kan skyldes, at tallene er opgjort forskelligt.")
    assert "Svendborg ligger 1.000\u00a0kr. højere end sammenligningskommunerne under ét (12.000\u00a0kr.)." in said
    assert "Kommunens egne tal går kun tilbage til 2024, så udviklingen over fem år kan ikke vises." in said
    assert not any("kr.." in s for s in said)
    # the benchmark has 12,050 kr. for Svendborg (12.0 + 0.5 in 1,000 kr. per 10,000 children): the note says so
    assert c.notes and "13.000\u00a0kr. mod 12.050\u00a0kr. i 2025" in c.notes[0]


def without(bench: pd.DataFrame, code: int, year: int) -> pd.DataFrame:
    return bench[~((bench["kommunekode"] == code) & (bench["aar"] == year))]


def test_municipality_missing_from_the_latest_year_is_compared_in_its_own_latest_year(tmp_path):
    bench = without(benchmark(), 479, 2025)  # the national statistics lack Svendborg in 2025 (was a KeyError)
    c = figures.build(indicator(), own_total(OWN), bench, config(tmp_path), target=None, t=DA)
    assert c.latest == 2024 and c.group.year == 2024 and c.years == [2020, 2024]
    assert c.group.codes == [101, 102] and c.rank_group == (3, 3) and c.rank_nation == (6, 6)
    said = text.sentences(c, indicator())
    assert said[:2] == ["Svendborg havde 9,5 anbragte børn pr. 1.000 børn i 2024.",
                        "Seneste år med tal for Svendborg er 2024, så sammenligningen gælder 2024, selv om der er tal for "
                        "andre kommuner til og med 2025."]
    assert "2025" not in " ".join(said[2:])  # no figure of 2025 is described as Svendborg's
    assert text.table(c, indicator())["rows"][-1][0] == "2024"
    assert figures.build(indicator(), own_total(OWN), benchmark()[benchmark()["kommunekode"] != 479], config(tmp_path),
                         target=None, t=DA) is None  # not in the benchmark at all: no comparison, no crash


def test_group_member_missing_a_year_is_left_out_and_named(tmp_path):
    bench = without(benchmark(), 103, 2024)
    c = figures.build(indicator(), own_total(OWN), bench, config(tmp_path, municipalities=[101, 103]), None, t=DA)
    assert c.group_value[2024] == 20.0  # Aby alone (202 / 10,100); with Cby it would be 13.4
    assert c.group_value[2025] == pytest.approx(402 / 30100 * 1000)  # (202 + 200) / (10,100 + 20,000): 13.4 shown
    assert c.notes == ["Ikke alle sammenligningskommuner har tal for alle år. En kommune, der mangler tal for et år, "
                       "er ikke med i gruppens tal det år: Cby (2024)."]
    # a listed member without the group's own year is still named, without values
    c = figures.build(indicator(), own_total(OWN), without(bench, 103, 2025), config(tmp_path, municipalities=[101, 103]),
                      None, t=DA)
    assert text.group_sentence(c) == "Sammenligningskommunerne er Aby og Cby. De er valgt af udvalget."
    table = plugin.group_table(c)
    assert table.iloc[-1].tolist() == ["Cby", "–", "–"] and table.iloc[0, 2] == "10.000"
    assert c.notes[0].endswith("Cby (2024 og 2025).")
    assert c.rank_group == (2, 2)  # Svendborg and Aby


def test_validate_names_unknown_codes_and_variables(tmp_path):
    cfg = config(tmp_path, municipalities=[999], variables=["socio_indeks", "ledighed"])
    problems = plugin.lisite_validate(data={"benchmark": benchmark()}, config=cfg)
    messages = " ".join(p.message for p in problems)
    assert "999" in messages and "ledighed" in messages


# --- the demo site -------------------------------------------------------------------------

NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def sections(page: str) -> dict[str, str]:
    """Indicator section id → its HTML (up to the next indicator), for sections that hold a comparison part."""
    found = {}
    for chunk in page.split('<section class="indicator" id="')[1:]:
        ident, body = chunk.split('"', 1)
        if 'class="comparison"' in body:
            found[ident] = body
    return found


def strip(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def benchmark_indicators(site: Path) -> dict[str, lisite.Indicator]:
    cfg = load_config(site)
    pm = make_plugin_manager(cfg.site_dir, cfg.disabled_plugins, cfg.plugin_paths)
    return {i.id: i for i in collect_indicators(pm, cfg).values() if i.benchmark}


def report_pages(out: Path) -> str:
    """The comparison's own pages of one audience (one per compared figure), as one text."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted((out / "rapporter" / "sammenligning").glob("*.html")))


def test_report_page_exists_for_the_right_audiences(demo_build):
    out = demo_build / "_site"
    for audience in ("udvalg", "direktion"):
        page = (out / audience / "rapporter" / "sammenligning.html").read_text(encoding="utf-8")
        assert "<h1>Sammenligning med andre kommuner</h1>" in page
        assert "Sådan er sammenligningskommunerne valgt" in page
        assert "Svendborg (egen kommune)" in page and "Afstand" in page
        links = set(re.findall(r'<a href="(sammenligning/[^"]+\.html)"', page))  # the list and the menu
        assert len(links) == 8 and all((out / audience / "rapporter" / link).is_file() for link in links)
        figures = report_pages(out / audience)
        assert figures.count("Sammenlignet med andre kommuner") == 8 and "Læs sammenligningen med forbehold" in figures
    for audience in ("ledere", "sagsbehandlere"):
        assert not (out / audience / "rapporter" / "sammenligning.html").exists()
        for path in (out / audience).rglob("*.html"):
            assert 'class="comparison"' not in path.read_text(encoding="utf-8")


def test_every_number_in_the_text_is_in_the_table_and_the_chart(demo_build):
    """For every benchmark indicator: the numbers in the sentences are in the table, the chart holds the table's values,
    and the municipality's own latest figure is the engine's own staged figure."""
    wanted = benchmark_indicators(demo_build)
    assert len(wanted) >= 4
    page = report_pages(demo_build / "_site" / "udvalg")
    found = sections(page)
    for ind_id, ind in wanted.items():
        section = found[ind_id.replace(".", "-")]
        part = section[section.index('class="comparison"'):]
        sentences = [strip(s) for s in re.findall(r'<div class="explain"[^>]*>(.*?)</div>', part, re.S)[0].split("</p>")]
        tables = re.search(r'<details class="numbers">(.*?)</details>', part, re.S).group(1)
        table_numbers = set(NUMBER.findall(strip(tables)))
        for sentence in sentences:
            for number in NUMBER.findall(sentence):
                if re.fullmatch(r"20\d\d", number) and number not in table_numbers:  # a year named, not a figure:
                    assert re.search(rf"til og med {number}\b", sentence), (ind_id, sentence)  # only "data up to"
                    continue
                assert number in table_numbers, f"{ind_id}: {number} in '{sentence.strip()}' is not in the table"
        # the first table: year, own, group, country
        first = re.search(r"<table>(.*?)</table>", tables, re.S).group(1)
        rows = [[strip(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
                for r in re.findall(r"<tr>(.*?)</tr>", first, re.S)]
        heads, body = rows[0], {r[0]: r for r in rows[1:]}
        spec = lisite.charts.specs_in(part, demo_build / "_site" / "udvalg")[0]  # the comparison's chart comes first
        points = [row for rows_ in spec["datasets"].values() for row in rows_ if "serie" in row]
        assert points
        columns = {"own": 1, "group": 2, "national": 3}  # År, own, group, country, ...
        assert heads[1] == "Svendborg" and heads[3] == "Hele landet"
        for point in points:
            cell = body[str(point["aar"])][columns[point["role"]]]
            assert fmt.value(point["value"], ind.unit) == cell, (ind_id, point)
        # the engine's own table (the indicator's) ends with the same latest figure
        engine = section[: section.index('class="comparison"')]
        own_latest = body[max(body)][1]
        tables_after = [[[strip(c).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
                         for r in re.findall(r"<tr>(.*?)</tr>", found_.group(1), re.S)]
                        for found_ in re.finditer(r'<details class="numbers">.*?<tbody>(.*?)</tbody>',
                                                  section[section.index("</section>"):], re.S)]
        period = max(body) if ind.frequency == "år" else fmt.period(f"{max(body)}-12")
        # the indicator's own table is the one by period (the map's table of municipalities comes before it)
        engine_rows = next(rows_ for rows_ in tables_after if any(r and r[0] == period for r in rows_))
        if ind.frequency == "år":
            cells = next(r for r in engine_rows if r and r[0] == max(body))
            assert cells[1] == own_latest, (ind_id, cells, own_latest)
            if engine_rows[-1] is cells:  # not when the own figure has a later (part) year the benchmark lacks
                assert own_latest in strip(engine)  # the engine's sentence above says the same number
        else:  # a monthly figure is compared by its December figure (a status on 31 December)
            december = fmt.period(f"{max(body)}-12")
            cells = next(r for r in engine_rows if r and r[0] == december)
            assert cells[1] == own_latest, (ind_id, cells, own_latest)


def test_theme_pages_carry_the_comparison_only_on_whole_municipality_views(demo_build):
    page = (demo_build / "_site" / "udvalg" / "temaer" / "indsatser.html").read_text(encoding="utf-8")
    assert "indsatser-anbragte_pr_1000" in sections(page)
    assert page.count('class="comparison"') == len(sections(page))
    # the funnel plot and the map are on the figure's own comparison page, linked from the theme page
    assert '<section class="funnel"' not in page and '<section class="map"' not in page
    assert page.count('<p class="note more-comparison"><a href="../rapporter/sammenligning/') == len(sections(page))


def test_the_comparison_is_light_on_every_page(demo_build):
    """The comparison's pages stay under 150 KB (without inline SVG), and a comparison on a theme page adds little:
    the funnel plot and the map of 98 municipalities are on the figure's own page only."""
    out = demo_build / "_site" / "udvalg"
    svg = re.compile(r"<svg.*?</svg>", re.S)
    for path in [out / "rapporter" / "sammenligning.html", *(out / "rapporter" / "sammenligning").glob("*.html")]:
        page = svg.sub("", path.read_text(encoding="utf-8"))
        assert len(page.encode()) <= 150_000, path
        for chunk in page.split('<section class="funnel"')[1:]:
            [spec] = lisite.charts.specs_in(chunk.split("</section>")[0], out)
            assert len(lisite.charts.spec_json(spec).encode()) < 20_000  # 98 points and four limits of 60 points, not 480 rows of floats
    theme = svg.sub("", (out / "temaer" / "indsatser.html").read_text(encoding="utf-8"))
    parts = re.findall(r'<section class="comparison".*?</section>', theme, re.S)
    assert parts and all(len(part.encode()) < 20_000 for part in parts)


class KeptContext:
    """Just what the comparison reads from a build context, with ``ctx.memo`` as a dict shared between audiences."""

    def __init__(self, tmp_path, kept: dict, own: dict[int, float], caveat: str | None, audience: str = "udvalg"):
        self.data, self.config, self.t, self.inputs, self.kept = {"benchmark": benchmark()}, config(tmp_path), DA, "inputs", kept
        self.audience = self.config.audiences[audience]
        self.content = self
        self.files = {"sammenligninger/indsatser.anbragte_pr_1000.md": caveat}
        self.own = own

    def get(self, name):  # ctx.content.get
        return self.files.get(name)

    def staged(self, indicator_id):
        return type("Staged", (), {"total": lambda _: own_total(self.own)})()

    def target(self, indicator_id):
        return 8.0

    def memo(self, key, make):
        if key not in self.kept:
            self.kept[key] = make()
        return self.kept[key]


def test_parts_are_made_once_for_audiences_with_the_same_figures_and_again_after_an_edit(tmp_path):
    kept: dict = {}
    block = plugin.FullComparison("indsatser.anbragte_pr_1000")
    first = KeptContext(tmp_path, kept, OWN, "Husk *dette*.")
    views = plugin.lisite_indicator_view(indicator(), None, block, first.audience, first)
    other = KeptContext(tmp_path, kept, OWN, "Husk *dette*.", audience="direktion")
    again = plugin.lisite_indicator_view(indicator(), None, block, other.audience, other)
    assert [v["kind"] for v in views] == ["comparison", "funnel", "map"]
    assert all(a["chart"] is b["chart"] for a, b in zip(views, again))  # made once, shown to both
    short = plugin.lisite_indicator_view(indicator(), None, lisite.IndicatorView(block.indicator), other.audience, other)
    assert short[0]["chart"] is views[0]["chart"] and short[0]["more"]["path"].endswith("indsatser-anbragte_pr_1000.html")
    assert views[0]["more"] is None and "<em>dette</em>" in views[0]["caveat_html"]
    edited = KeptContext(tmp_path, kept, OWN, "Husk *andet*.")  # an edited caveat: the same figures, new words
    part = plugin.lisite_indicator_view(indicator(), None, block, edited.audience, edited)[0]
    assert "<em>andet</em>" in part["caveat_html"] and part["sentences"] == views[0]["sentences"]
    moved = KeptContext(tmp_path, kept, {**OWN, 2025: 120}, "Husk *dette*.")  # other own figures: compared again
    changed = plugin.lisite_indicator_view(indicator(), None, block, moved.audience, moved)[0]
    assert changed["chart"] is not views[0]["chart"] and changed["sentences"] != views[0]["sentences"]
