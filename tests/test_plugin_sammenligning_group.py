"""The comparison plugin's group and first sentences: near neighbours or a warning, every gap named, what is counted.

On the demo benchmark (sample_data/benchmark.csv, 98 municipalities) and on small hand-made benchmarks.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import lisite
from lisite import testing
from lisite.config import parse_config
from lisite.i18n import Translator

plugin = testing.load_plugin(testing.builtin_plugin("sammenligning"))
figures, text = plugin.figures, plugin.text
DA, EN = Translator("da"), Translator("en")
REPO = Path(__file__).resolve().parents[1]


def demo_benchmark() -> pd.DataFrame:
    return pd.read_csv(REPO / "sample_data" / "benchmark.csv", sep=";", decimal=",")


def config(tmp_path, code: int, name: str, **comparison):
    raw = {"municipality": {"code": code, "name": name}, "period": {"current": "2026-09"}, "comparison": comparison}
    return parse_config(raw, tmp_path)


def indicator(bench="anbragte", ident="indsatser.anbragte_pr_1000", title="Anbragte børn pr. 1.000 børn"):
    return lisite.Indicator(id=ident, title=title, theme="indsatser", element="politisk_styring", unit="pr_1000",
                            compute=lambda ctx: None, benchmark=bench)


def own_from(bench: pd.DataFrame, code: int, column: str = "anbragte", years=None) -> pd.DataFrame:
    """The municipality's own series as the engine stages it, taken from its benchmark rows."""
    rows = bench[bench["kommunekode"] == code].sort_values("aar")
    if years is not None:
        rows = rows[rows["aar"].isin(years)]
    return pd.DataFrame({"period": rows["aar"].astype(str), "numerator": rows[column].astype(float),
                         "denominator": rows["boern_0_17"].astype(float),
                         "value": rows[column] / rows["boern_0_17"] * 1000})


def compared(tmp_path, code, name, bench=None, t=DA, ind=None, own=None, **comparison):
    bench = demo_benchmark() if bench is None else bench
    ind = ind or indicator()
    own = own_from(bench, code, ind.benchmark) if own is None else own
    return figures.build(ind, own, bench, config(tmp_path, code, name, **comparison), None, t=t)


# --- point 4: near neighbours, or a warning ----------------------------------------------------


@pytest.mark.parametrize("code, name", [(101, "København"), (825, "Læsø")])
def test_the_largest_and_the_smallest_get_near_groups_and_a_warning(tmp_path, code, name):
    c = compared(tmp_path, code, name)
    table = c.group.table.set_index("kommunekode")
    own = table.loc[code, "boern_0_17"]
    members = table.loc[c.group.codes, "boern_0_17"]
    assert (members / own).between(1 / 4, 4).all(), members  # no member with a size far off (z-scores: up to 11 times)
    assert c.group.far and len(c.group.codes) == figures.LEAST
    said = text.sentences(c, indicator())
    warning = f"Ingen kommuner ligner {name} ret meget, så sammenlign med gruppen med forsigtighed"
    assert any(s.startswith(warning) for s in said)
    # the warning comes before the comparison with the group
    assert [i for i, s in enumerate(said) if s.startswith(warning)][0] < [i for i, s in enumerate(said) if "sammenligningskommunerne under ét" in s][0]
    how = plugin.how_chosen(c)
    assert f"**Ingen kommuner ligner {name} ret meget.**" in how and "Sammenlign derfor med forsigtighed" in how


def test_a_typical_municipality_gets_its_k_nearest_and_no_warning(tmp_path):
    c = compared(tmp_path, 479, "Svendborg")
    assert len(c.group.codes) == 7 and not c.group.far
    assert (c.group.table["distance"] <= c.group.limit).all()
    assert not any("ret meget" in s for s in text.sentences(c, indicator()))
    how = plugin.how_chosen(c)
    assert "ret meget" not in how
    assert "For antal børn på 0-17 år er det forholdet, der tæller" in how  # the size variable is compared by ratio
    assert f"kun kommuner med en afstand på højst {c.group.limit:.2f}".replace(".", ",") in how


def test_group_table_shows_each_members_distance_and_what_it_is_made_of(tmp_path):
    c = compared(tmp_path, 825, "Læsø")
    table = plugin.group_table(c)
    assert list(table.columns) == ["Kommune", "Socioøkonomisk indeks", "Antal børn på 0-17 år", "Afstand",
                                   "Forskel: indeks", "Forskel: børn"]
    assert table.iloc[0].tolist()[0] == "Læsø (egen kommune)" and table.iloc[0, 3:].tolist() == ["0,00", "0,00", "0,00"]
    number = lambda cell: float(cell.replace(".", "").replace(",", "."))  # noqa: E731
    for _, row in table.iloc[1:].iterrows():
        distance, index, size = number(row.iloc[3]), number(row.iloc[4]), number(row.iloc[5])
        assert distance == pytest.approx(math.hypot(index, size), abs=0.01)  # the parts make up the distance
    assert list(table["Kommune"][1:]) == ["Fanø", "Samsø", "Ærø"]


def test_group_page_in_english(tmp_path):
    c = compared(tmp_path, 101, "København", t=EN)
    assert list(plugin.group_table(c).columns)[3:] == ["Distance", "Difference: index",
                                                      "Difference: children"]
    assert "**No municipality is much like København.**" in plugin.how_chosen(c)
    assert any(s.startswith("No municipality is much like København") for s in text.sentences(c, indicator()))


# --- point 5: nothing changes silently -----------------------------------------------------------

# code: (name, socio index, children); 101 and 102 are Svendborg's obvious neighbours
TOWNS = {479: ("Svendborg", 1.0, 10000), 101: ("Aby", 1.01, 10100), 102: ("Bby", 0.99, 9900),
         103: ("Cby", 1.5, 20000), 104: ("Dby", 0.5, 3000), 105: ("Eby", 1.3, 15000)}


def towns(years=(2019, 2020, 2023, 2024, 2025)) -> pd.DataFrame:
    rows = [{"kommunekode": code, "kommune": name, "region": "R", "aar": year, "boern_0_17": kids,
             "anbragte": 100 + code % 100, "forebyggende": 0, "underretninger": 1000 + code % 100,
             "udgift_1000kr": kids * 12.0, "socio_indeks": index}
            for year in years for code, (name, index, kids) in TOWNS.items()]
    return pd.DataFrame(rows)


def without(bench, code, year):
    return bench[~((bench["kommunekode"] == code) & (bench["aar"] == year))]


def test_a_near_municipality_without_the_year_is_named_not_silently_replaced(tmp_path):
    bench = without(towns(), 101, 2025)  # Aby would be nearest, but lacks 2025
    c = compared(tmp_path, 479, "Svendborg", bench=bench, k=2)
    assert 101 not in c.group.codes and c.group.left_out == {101: "Aby"}
    assert text.group_sentence(c).endswith("Aby ville også have været blandt de nærmeste, men mangler tal for 2025 og er "
                                           "derfor ikke med.")
    assert "Aby ville også have været blandt de nærmeste" in plugin.how_chosen(c)
    assert compared(tmp_path, 479, "Svendborg", bench=towns(), k=2).group.left_out == {}


def test_a_group_member_without_a_figure_for_the_year_is_named_in_the_text(tmp_path):
    bench = towns()
    bench.loc[(bench["kommunekode"] == 102) & (bench["aar"] == 2025), "anbragte"] = math.nan  # Bby: no figure in 2025
    c = compared(tmp_path, 479, "Svendborg", bench=bench, k=2)
    assert c.group.codes == [101, 102] and c.missing_group == ["Bby"]
    said = text.sentences(c, indicator())
    assert "Bby mangler tal for 2025 og er ikke med i gruppens tal eller i placeringen i gruppen." in said
    assert c.rank_group[1] == 2  # Svendborg and Aby
    # a committee's listed member without the year is named too
    c = compared(tmp_path, 479, "Svendborg", bench=without(towns(), 103, 2025), municipalities=[101, 103])
    assert "Cby mangler tal for 2025 og er ikke med i gruppens tal eller i placeringen i gruppen." in text.sentences(c, indicator())


def test_a_smaller_national_count_is_explained(tmp_path):
    c = compared(tmp_path, 479, "Svendborg", bench=without(towns(), 104, 2025), k=2)
    said = text.sentences(c, indicator())
    position = next(i for i, s in enumerate(said) if s.startswith("Regnet fra det højeste tal"))
    assert " af 5 i landet" in said[position]  # six municipalities in the benchmark, five with 2025
    assert said[position + 1] == "Dby mangler tal for 2025 og er hverken med i landstallet eller i placeringen i landet."
    bench = towns()
    for code in (101, 102, 103, 104):
        bench = without(bench, code, 2025)
    c = compared(tmp_path, 479, "Svendborg", bench=bench, k=2)
    assert "4 kommuner mangler tal for 2025 og er hverken med i landstallet eller i placeringen i landet." in \
        text.sentences(c, indicator())
    assert not any("mangler tal" in s for s in text.sentences(compared(tmp_path, 479, "Svendborg", bench=towns(), k=2),
                                                               indicator()))


def test_a_missing_year_in_the_series_is_named(tmp_path):
    own = own_from(towns(), 479, years=[2019, 2023, 2025])  # no 2024 and no 2020
    c = compared(tmp_path, 479, "Svendborg", bench=towns(), own=own, k=2)
    said = text.sentences(c, indicator())
    assert "Der er ikke tal at sammenligne for 2024, så ændringen fra året før kan ikke vises." in said
    # the series goes back to 2019, so it is 2020 that is missing, not "only back to 2019"
    assert "Der er ikke tal at sammenligne for 2020, så ændringen over fem år kan ikke vises." in said
    assert not any("går kun tilbage" in s for s in said)


def test_own_figures_later_than_the_benchmark_are_named(tmp_path):
    bench = towns()
    own = pd.concat([own_from(bench, 479), own_from(bench.assign(aar=bench["aar"] + 1), 479, years=[2026])])
    c = compared(tmp_path, 479, "Svendborg", bench=bench, own=own, k=2)
    assert c.latest == 2025
    assert text.sentences(c, indicator())[1] == ("Kommunens egne tal går til og med 2026, men tallene for de andre "
                                                 "kommuner kun til og med 2025, så sammenligningen gælder 2025.")


# --- point 6: what is counted, and own figures against the national source ---------------------------


def test_an_own_figure_that_counts_something_else_says_so_in_the_first_sentence(tmp_path):
    """A site whose benchmark column counts children with a notification (DST UND2, as its catalogue entry says)
    while its own indicator counts notifications: the first sentence says both, in the catalogue's words."""
    from dataclasses import replace

    bench = towns()
    notes = indicator(bench="underretninger", ident="administration.underretninger_pr_1000", title="Underretninger pr. 1.000 børn")
    shipped = plugin.catalogue.shipped("da")
    children = replace(shipped["underretninger"], counts="børn med en underretning (et barn med flere underretninger tæller én gang)",
                       source="Danmarks Statistik, UND2")
    words = tmp_path / "locales" / "da"
    words.mkdir(parents=True)
    (words / "site.toml").write_text('[sammenligning.phrase]\nunderretninger = "{v} børn med en underretning pr. 1.000 børn"\n'
                                     '[sammenligning.own_phrase.administration]\n'
                                     'underretninger_pr_1000 = "{v} underretninger pr. 1.000 børn"\n', encoding="utf-8")
    c = figures.build(notes, own_from(bench, 479, "underretninger"), bench, config(tmp_path, 479, "Svendborg", k=2), None,
                      t=Translator("da", [tmp_path / "locales"]), entries={**shipped, "underretninger": children})
    assert text.sentences(c, notes)[0] == (
        "Svendborg havde 107,9 underretninger pr. 1.000 børn i 2025. Tallene for de andre kommuner og hele landet tæller "
        "børn med en underretning (et barn med flere underretninger tæller én gang), så de er ikke helt det "
        "samme som kommunens tal.")
    # lisite's own catalogue: the column counts notifications (UND1), as the own figure does, so no caveat
    c = compared(tmp_path, 479, "Svendborg", bench=bench, ind=notes, k=2)
    assert text.sentences(c, notes)[0] == "Svendborg havde 107,9 underretninger pr. 1.000 børn i 2025."
    c = compared(tmp_path, 479, "Svendborg", bench=bench, ind=notes, k=2, t=EN)
    assert text.sentences(c, notes)[0] == "Svendborg had 107.9 notifications of concern per 1,000 children in 2025."


def test_own_figure_unlike_the_national_source_is_said_in_the_first_sentence(tmp_path):
    bench = towns()
    own = own_from(bench, 479)
    own.loc[own["period"] == "2025", ["numerator", "value"]] = [120.0, 12.0]  # the source has 17.9 for 2025
    c = compared(tmp_path, 479, "Svendborg", bench=bench, own=own, k=2)
    first = text.sentences(c, indicator())[0]
    assert first.startswith("Svendborg havde 12,0 anbragte børn pr. 1.000 børn i 2025 efter kommunens egne tal, men 17,9 "
                            "efter landsopgørelsen.")
    assert c.notes and "12,0 mod 17,9 i 2025" in c.notes[0]  # the note under the chart keeps the detail
    own = own_from(bench, 479)
    own.loc[own["period"] == "2023", ["numerator", "value"]] = [120.0, 12.0]  # only an earlier year differs
    c = compared(tmp_path, 479, "Svendborg", bench=bench, own=own, k=2)
    assert text.sentences(c, indicator())[0].startswith("Svendborg havde 17,9 anbragte børn pr. 1.000 børn i 2025. For "
                                                        "2023 er kommunens egne tal ikke de samme som landsopgørelsens")
