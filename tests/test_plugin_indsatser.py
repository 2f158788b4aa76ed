"""The indsatser plugin: its figures on a small hand-made export, and its page on the demo site."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lisite import testing
from lisite.config import parse_config
from lisite.context import IndicatorContext
from lisite.count import compute_count
from lisite.i18n import Translator

PLUGIN = testing.builtin_plugin("indsatser")


def load(path: Path):
    return testing.load_plugin(path)


plugin = load(PLUGIN)

CASES = pd.DataFrame(
    {
        "sags_id": ["S1", "S2", "S3", "S4"],
        "omraade": ["A", "A", "B", "B"],
        "team": ["T1", "T1", "T2", "T2"],
        "sagsbehandler_id": ["SB1", "SB1", "SB2", "SB2"],
    }
)
D = pd.Timestamp
NONE = pd.NaT
# id, case, type, group, start, end, forced
ROWS = [
    ("Y1", "S1", "Familiebehandling", "Forebyggende", D("2025-06-01"), NONE, False),
    ("Y2", "S1", "Plejefamilie", "Anbringelse", D("2026-02-10"), NONE, False),  # S1 is placed from February
    ("Y3", "S2", "Kontaktperson", "Forebyggende", D("2025-01-01"), D("2026-02-15"), False),
    ("Y4", "S3", "Døgninstitution", "Anbringelse", D("2024-03-01"), NONE, True),
    ("Y5", "S4", "Aflastning", "Forebyggende", D("2026-03-05"), D("2026-12-31"), False),  # a planned end
    ("Y6", "S4", "Kontaktperson", "Forebyggende", D("2026-02-01"), D("2026-01-01"), False),  # ends before it starts
    ("Y7", "S9", "Konsulentbistand", "Forebyggende", D("2026-01-10"), NONE, False),  # case not in sager
    ("Y8", "S2", "Aflastning", "Forebyggende", D("2025-03-01"), D("2025-03-31"), False),  # 30 days
]


def measures_frame() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=["ydelse_id", "sags_id", "indsatstype", "indsatsgruppe", "startdato", "slutdato", "tvang"])
    frame["tvang"] = frame["tvang"].astype("boolean")
    frame["familiepleje"] = frame["indsatstype"] == "Plejefamilie"  # derived by the measures plugin from its catalogue
    frame.attrs.update(lines=list(range(2, len(frame) + 2)), file="ydelser.csv")
    return frame


@pytest.fixture
def ctx(tmp_path):
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-03", "first": "2026-01"}}, tmp_path)
    bench = pd.DataFrame({"kommunekode": 479, "aar": range(2019, 2026), "boern_0_17": 1000})
    return IndicatorContext(config=config, data={"ydelser": measures_frame(), "sager": CASES, "benchmark": bench})


def figure(ctx, name: str) -> pd.DataFrame:
    """An indicator's frame, whether it is computed or a declared count."""
    found = next(i for i in plugin.INDICATORS if i.id == f"indsatser.{name}")
    return found.compute(ctx) if found.compute else compute_count(found.count, found, ctx)


def totals(frame: pd.DataFrame, by: list[str] = ()) -> dict:
    """Sum of numerator (and denominator) per period and breakdown, as plain tuples."""
    cols = [c for c in ("numerator", "denominator") if c in frame.columns]
    summed = frame.groupby(["period", *by])[cols].sum()
    return {k: tuple(v) if len(v) > 1 else v.iloc[0] for k, v in summed.iterrows()}


def test_children_with_measure_counts_placed_children_once(ctx):
    frame = plugin.children_with_measure(ctx)
    assert totals(frame, ["indsatsgruppe"]) == {
        ("2026-01", "Anbringelse"): 1, ("2026-01", "Forebyggende"): 3,
        ("2026-02", "Anbringelse"): 2, ("2026-02", "Forebyggende"): 1,
        ("2026-03", "Anbringelse"): 2, ("2026-03", "Forebyggende"): 2,
    }
    march = frame[frame["period"] == "2026-03"]
    assert set(march["team"]) == {"T1", "T2", "Ukendt"}  # the measure without a case is kept


def test_measures_in_neither_group_are_not_counted(ctx):
    """A measure the catalogue puts in 'Øvrige' (or does not know) counts neither as preventive nor as a placement."""
    before = {name: totals(getattr(plugin, name)(ctx)) for name in ("children_with_measure", "preventive_share", "new_measures")}
    other = pd.DataFrame([("Y9", "S4", "Merudgifter", "Øvrige", D("2025-01-01"), NONE, False, False),
                          ("Y10", "S2", "Hestepasning", "Øvrige", D("2026-02-20"), NONE, False, False)],
                         columns=[*ctx.data["ydelser"].columns])
    ctx.data["ydelser"] = pd.concat([ctx.data["ydelser"], other], ignore_index=True)
    assert {name: totals(getattr(plugin, name)(ctx)) for name in before} == before


def test_preventive_share(ctx):
    assert totals(plugin.preventive_share(ctx)) == {"2026-01": (3, 4), "2026-02": (1, 3), "2026-03": (2, 4)}


def test_measures_by_type_and_new_measures(ctx):
    by_type = totals(plugin.measures_by_type(ctx), ["indsatstype"])
    assert {k[1]: v for k, v in by_type.items() if k[0] == "2026-03"} == {
        "Aflastning": 1, "Døgninstitution": 1, "Familiebehandling": 1, "Konsulentbistand": 1, "Plejefamilie": 1,
    }
    new = totals(plugin.new_measures(ctx), ["indsatsgruppe"])
    assert {k: v for k, v in new.items() if v} == {
        ("2026-01", "Forebyggende"): 1, ("2026-02", "Anbringelse"): 1, ("2026-03", "Forebyggende"): 1,
    }


def test_placements(ctx):
    forms = totals(plugin.placement_forms(ctx), ["indsatstype"])
    assert {k[1]: v for k, v in forms.items() if k[0] == "2026-03"} == {"Døgninstitution": 1, "Plejefamilie": 1}
    assert totals(figure(ctx, "andel_familiepleje")) == {"2026-01": (0, 1), "2026-02": (1, 2), "2026-03": (1, 2)}
    assert totals(figure(ctx, "uden_samtykke")) == {"2026-01": (1, 1), "2026-02": (1, 2), "2026-03": (1, 2)}


def test_per_1000_on_31_december(ctx):
    placed = plugin.per_1000("Anbringelse")(ctx).set_index("period")
    preventive = plugin.per_1000("Forebyggende")(ctx).set_index("period")
    # whole years only, and none before the extract's first measure (March 2024): missing there, not 0
    assert list(placed.index) == ["2024", "2025"]
    assert placed.loc["2025", "numerator"] == 1 and placed.loc["2025", "denominator"] == 1000
    assert preventive.loc["2025", "numerator"] == 2  # S1 and S2; S3 is placed
    assert placed.loc["2024", "numerator"] == 1 and preventive.loc["2024", "numerator"] == 0  # covered: a real 0


def test_per_1000_has_no_year_before_the_extract_begins(ctx):
    """Years before the first measure in the export are missing (no row), never 0 per 1,000."""
    late = ctx.data["ydelser"]
    late = late[late["startdato"] >= pd.Timestamp("2025-01-01")]
    later = IndicatorContext(config=ctx.config, data={**ctx.data, "ydelser": late})
    frame = plugin.per_1000("Anbringelse")(later)
    assert list(frame["period"]) == ["2025"] and frame["numerator"].tolist() == [0.0]
    nothing = IndicatorContext(config=ctx.config, data={**ctx.data, "ydelser": late.iloc[0:0]})
    assert plugin.per_1000("Forebyggende")(nothing).empty  # no measures at all: no year covered, no crash


def test_duration_of_measures_ended_in_whole_years(ctx):
    # Y8 lasted 30 days in 2025; Y3 ended in 2026, which is not a whole year yet
    assert totals(plugin.duration(ctx), ["indsatsgruppe"]) == {("2025", "Forebyggende"): (30, 1)}


def test_type_chart_lies_bars_down_for_one_month(ctx):
    from types import SimpleNamespace

    from lisite.i18n import Translator

    from lisite.build import with_texts
    from lisite.context import Content

    declared = next(i for i in plugin.INDICATORS if i.id == "indsatser.indsatser_efter_type")
    content = Content([Path(__file__).resolve().parents[1] / "content"], "da")
    indicator = with_texts({declared.id: declared}, content)[declared.id]  # its title from its text file, as in a build
    frame = pd.DataFrame({"period": "2026-03", "indsatstype": ["Aflastning", "Plejefamilie"], "value": [4.0, 7.0]})
    chart = indicator.chart(frame=frame, indicator=indicator, target=None, by="indsatstype",
                            ctx=SimpleNamespace(config=ctx.config, t=Translator("da")))
    spec = chart
    assert spec["layer"][0]["encoding"]["y"]["field"] == "indsatstype"
    assert spec["title"]["text"] == "Aktive indsatser, marts 2026"


def test_every_dropped_row_is_reported_once(tmp_path):
    """The engine reports a measure that ends before it starts and one whose case is missing (declared on ydelser):
    one warning each, with file, row and column; the plugin repeats neither, and leaves the broken measure out."""
    from lisite.check import check

    site = testing.demo_site(tmp_path / "site")
    ydelser = site / "sample_data" / "ydelser.csv"
    text = ydelser.read_text(encoding="utf-8")
    rows = len(text.splitlines())
    extra = ("Y-299991;S-173986;Aktiv;Kontaktperson;;BL § 32, stk. 1, nr. 3;5.28.21;;;01-09-2026;01-08-2026;;5000;Nej\n"
             "Y-299992;S-999999;Aktiv;Kontaktperson;;BL § 32, stk. 1, nr. 3;5.28.21;;;02-09-2026;;;5000;Nej\n")
    ydelser.write_text(text + ("" if text.endswith("\n") else "\n") + extra, encoding="utf-8")
    found = [(p.row, p.column, p.severity) for p in check(site) if p.file.endswith("ydelser.csv") and p.column in ("slutdato", "sags_id")]
    assert found.count((rows + 1, "slutdato", "warning")) == 1
    assert found.count((rows + 2, "sags_id", "warning")) == 1
    assert not hasattr(plugin, "lisite_validate")


def test_a_measure_ending_before_it_starts_is_left_out(ctx):
    assert "Y6" in set(ctx.data["ydelser"]["ydelse_id"])
    assert "Y6" not in set(plugin.measures.measures(ctx)["ydelse_id"])
    placed_late = pd.DataFrame([("Y9", "S3", "Plejefamilie", "Anbringelse", D("2026-02-01"), D("2026-01-01"), True, True)],
                               columns=[*ctx.data["ydelser"].columns])
    before = totals(figure(ctx, "uden_samtykke"))
    ctx.data["ydelser"] = pd.concat([ctx.data["ydelser"], placed_late], ignore_index=True)
    assert totals(figure(ctx, "uden_samtykke")) == before  # the declared counts leave it out too


def test_derived_words_in_english(ctx):
    """The groups and the unknown team are lisite's words: in an English build they come from the catalogue."""
    english = IndicatorContext(config=ctx.config, data=dict(ctx.data), t=Translator("en"))
    frame = plugin.children_with_measure(english)
    assert set(frame["indsatsgruppe"]) == {"Placement", "Preventive"}
    assert "Unknown" in set(frame["team"]) and "Ukendt" not in set(frame["team"])
    assert set(plugin.duration(english)["indsatsgruppe"]) == {"Preventive"}
    assert set(plugin.new_measures(english)["indsatsgruppe"]) <= {"Placement", "Preventive"}
    caseless = pd.DataFrame([("Y9", "S8", "Plejefamilie", "Anbringelse", D("2026-01-05"), NONE, False, True)],
                            columns=[*ctx.data["ydelser"].columns])
    english.data["ydelser"] = pd.concat([ctx.data["ydelser"], caseless], ignore_index=True)
    assert "Unknown" in set(figure(english, "uden_samtykke")["team"])  # the declared count's case join, too


def test_page_on_demo_site(demo_build):
    out = demo_build / "_site"
    udvalg = (out / "udvalg" / "temaer" / "indsatser.html").read_text(encoding="utf-8")
    for heading in ("Børn med en indsats", "Anbragte børn i familiepleje", "Anbragte børn pr. 1.000 børn"):
        assert heading in udvalg
    assert 'id="indsatser-boern_med_indsats-team"' not in udvalg
    ledere = (out / "ledere" / "temaer" / "indsatser.html").read_text(encoding="utf-8")
    assert 'id="indsatser-boern_med_indsats-team"' in ledere
    assert not (out / "sagsbehandlere" / "temaer" / "indsatser.html").exists()


@pytest.mark.parametrize("pick", ["active_on", "children_on", "placed_on"])
def test_months_in_one_pass_are_the_months_one_by_one(ctx, pick):
    """Measures starting or ending on a month's last day, without a start, without an end: every month's rows
    are the same, in the same order, as picking them on each month's last day."""
    measures = plugin.measures
    ctx.config = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                               "period": {"current": "2026-03", "first": "2024-12"}}, ctx.config.site_dir)
    extra = pd.DataFrame([("Y9", "S3", "Aflastning", "Forebyggende", D("2025-01-31"), D("2025-02-28"), False),
                          ("Y10", "S3", "Plejefamilie", "Anbringelse", NONE, NONE, False),
                          ("Y11", "S1", "Plejefamilie", "Anbringelse", D("2024-12-31"), D("2026-01-31"), False)],
                         columns=list(measures_frame().columns[:7]))
    frame = pd.concat([measures_frame(), extra.assign(familiepleje=extra["indsatstype"] == "Plejefamilie")], ignore_index=True)
    ctx.data = {**ctx.data, "ydelser": frame}
    select = getattr(measures, pick)
    data = measures.measures(ctx)
    expected = pd.concat([select(data, measures.calc.month_end(p)).assign(period=p) for p in ctx.months()], ignore_index=True)
    found = measures.monthly(data, ctx.months(), select)
    assert len(found) > len(ctx.months())
    pd.testing.assert_frame_equal(found, expected)


def test_the_figures_are_their_definitions_counted_without_the_rows_of_every_month():
    """Each monthly figure is ``tally(monthly(...))`` (the rows of every month, picked and counted), counted without
    those rows; the same frames, on measures with repeated children, both groups and cases without an area."""
    import numpy as np

    rng = np.random.default_rng(11)
    rows = 600
    start = pd.Timestamp("2023-03-01") + pd.to_timedelta(rng.integers(0, 1100, rows), unit="D")
    data = pd.DataFrame({
        "sags_id": [f"S{i}" for i in rng.integers(0, 160, rows)], "indsatstype": rng.choice(["Aflastning", "Plejefamilie", "Opholdssted"], rows),
        "indsatsgruppe": rng.choice(["Forebyggende", "Anbringelse"], rows), "startdato": start,
        "slutdato": pd.Series(start + pd.to_timedelta(rng.integers(0, 600, rows), unit="D")).where(rng.random(rows) < 0.7).to_numpy(),
        "omraade": rng.choice(["Nord", "Syd", None], rows), "team": rng.choice(["T1", "T2"], rows),
        "sagsbehandler_id": rng.choice(["M1", "M2", "M3"], rows)})
    data["placed"] = data["indsatsgruppe"] == "Anbringelse"
    measures = plugin.measures
    data = data.sort_values(["placed", "startdato"], kind="stable")
    periods = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
    words = {"Forebyggende": "Forebyggende", "Anbringelse": "Anbringelse"}
    children, every = measures.monthly(data, periods, measures.children_on), measures.monthly(data, periods, measures.active_on)
    expected = {
        "children": measures.group_labels(measures.tally(children, ["period", "indsatsgruppe", *measures.CASE_COLUMNS]), words),
        "by_type": every.groupby(["period", "indsatstype", *measures.CASE_COLUMNS])["sags_id"].agg(numerator="size", n="nunique").reset_index(),
        "preventive": measures.tally(children, ["period", *measures.CASE_COLUMNS], ~children["placed"]),
        "placements": measures.tally(measures.monthly(data, periods, measures.placed_on), ["period", "indsatstype", "omraade", "team"]),
    }
    found = {"children": measures.children_with_measure_of(data, periods, words), "by_type": measures.measures_by_type_of(data, periods),
             "preventive": measures.preventive_share_of(data, periods), "placements": measures.placement_forms_of(data, periods)}
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(found[name], frame, check_exact=True, obj=name)
        assert len(frame) > 50
    assert (expected["by_type"]["n"] < expected["by_type"]["numerator"]).any()  # children with two measures of a type
