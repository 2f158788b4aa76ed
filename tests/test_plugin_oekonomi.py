"""Theme 5, Økonomi: each indicator on small hand-made frames, and the theme page on the demo site."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lisite import charts, testing
from lisite.config import parse_config
from lisite.context import IndicatorContext
from lisite.plugins import builtin_plugin_paths

REPO = Path(__file__).resolve().parents[1]
oekonomi = testing.load_plugin(testing.builtin_plugin("oekonomi"))

A, B = "Familieafdelingen", "Handicap og Unge"


def budget_frame() -> pd.DataFrame:
    """2025: all twelve months; 2026: January to March only (the export stops at the reporting month)."""
    rows = []
    for month in range(1, 13):
        rows.append((2025, month, A, "5.28.21", "Forebyggende", 100.0, 100.0, 90.0))
        rows.append((2025, month, A, "5.28.20", "Anbringelse", 300.0, 300.0, 310.0))
    for month, spent in zip((1, 2, 3), (90.0, 110.0, 100.0)):
        rows.append((2026, month, A, "5.28.21", "Forebyggende", 100.0, 100.0 + 10 * (month == 3), spent))
        rows.append((2026, month, A, "5.28.20", "Anbringelse", 300.0, 300.0, 250.0))
        rows.append((2026, month, B, "5.28.25", "Øvrige", 50.0, 50.0, 60.0))
    columns = ["aar", "maaned", "omraade", "budgetfunktion", "indsatsgruppe", "budget", "korrigeret_budget", "forbrug"]
    return pd.DataFrame(rows, columns=columns)


def measures_frame() -> pd.DataFrame:
    d = pd.Timestamp
    rows = [
        ("Y1", "S1", "Familiebehandling", "Forebyggende", d("2025-06-01"), pd.NaT, 10000.0),
        ("Y2", "S2", "Familiebehandling", "Forebyggende", d("2026-02-10"), pd.NaT, 20000.0),
        ("Y3", "S3", "Plejefamilie", "Anbringelse", d("2024-01-01"), pd.NaT, 40000.0),
        ("Y3", "S3", "Plejefamilie", "Anbringelse", d("2024-01-01"), pd.NaT, 40000.0),  # the same row twice
        ("Y4", "S4", "Plejefamilie", "Anbringelse", d("2024-01-01"), d("2026-01-15"), 60000.0),
        ("Y5", "S5", "Familiebehandling", "Forebyggende", d("2026-01-01"), d("2025-02-01"), 99999.0),  # ends before start
    ]
    return pd.DataFrame(rows, columns=["ydelse_id", "sags_id", "indsatstype", "indsatsgruppe", "startdato", "slutdato",
                                       "pris_pr_maaned"])


def cases_frame() -> pd.DataFrame:
    return pd.DataFrame({"sags_id": ["S1", "S2", "S3", "S4", "S5"], "omraade": [A, A, A, B, A]})


def context(period: str = "2026-03") -> IndicatorContext:
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                           "period": {"current": period, "first": "2026-01"}}, Path("."))
    bench = pd.DataFrame({"kommunekode": [479, 479, 101], "aar": [2024, 2025, 2025], "boern_0_17": [1000, 800, 9000]})
    data = {"budget": budget_frame(), "ydelser": measures_frame(), "sager": cases_frame(), "benchmark": bench}
    return IndicatorContext(config=config, data=data)


def row(frame: pd.DataFrame, **keys) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in keys.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, keys
    return frame[mask].iloc[0]


def test_spend_per_month_with_children_behind_it():
    out = oekonomi.spend(context())
    assert sorted(out["period"].unique()) == ["2026-01", "2026-02", "2026-03"]
    feb = row(out, period="2026-02", omraade=A, indsatsgruppe="Forebyggende")
    assert feb["numerator"] == 110.0
    assert feb["n"] == 2  # S1 and S2 had a preventive measure at the end of February; S5 is left out
    assert row(out, period="2026-01", omraade=A, indsatsgruppe="Anbringelse")["n"] == 1  # S3 counted once
    assert pd.isna(row(out, period="2026-01", omraade=B, indsatsgruppe="Øvrige")["n"])


def test_spend_percentage_is_year_to_date_over_full_year_budget():
    out = oekonomi.spend_percentage(context())
    prev = row(out, period="2026-03", omraade=A, indsatsgruppe="Forebyggende")
    assert prev["numerator"] == 300.0  # 90 + 110 + 100
    assert prev["denominator"] == 100 + 100 + 110 * 10  # Apr-Dec not exported yet: counted as March's 110
    assert row(out, period="2025-12", omraade=A, indsatsgruppe="Anbringelse")["numerator"] == 310.0 * 12
    assert row(out, period="2025-06", omraade=A, indsatsgruppe="Anbringelse")["denominator"] == 3600.0
    assert set(out["period"].str[:4]) == {"2025", "2026"}


def test_spend_per_child_whole_years_only():
    out = oekonomi.spend_per_child(context())
    assert list(out["period"]) == ["2025"]  # 2026 has only three months
    assert out.iloc[0]["numerator"] == 12 * (90.0 + 310.0)
    assert out.iloc[0]["denominator"] == 800


def test_unit_price_average_of_active_measures():
    out = oekonomi.unit_price(context())
    assert len(out["period"].unique()) == 12  # the latest 12 months, whatever period.first says
    mar = out[out["period"] == "2026-03"]
    family = row(mar, indsatstype="Familiebehandling", omraade=A)
    assert (family["numerator"], family["denominator"], family["n"]) == (30000.0, 2, 2)
    foster = mar[mar["indsatstype"] == "Plejefamilie"]
    assert list(foster["numerator"]) == [40000.0] and list(foster["denominator"]) == [1]  # duplicate once, Y4 ended
    jan = out[(out["period"] == "2026-01") & (out["indsatstype"] == "Plejefamilie")]
    assert jan["numerator"].sum() / jan["denominator"].sum() == 40000.0  # Y4 ended 15 January


def test_preventive_share_by_year():
    out = oekonomi.preventive_share(context())
    y2025 = row(out, period="2025", omraade=A)
    assert (y2025["numerator"], y2025["denominator"]) == (12 * 90.0, 12 * 400.0)
    y2026 = row(out, period="2026", omraade=A)
    assert (y2026["numerator"], y2026["denominator"]) == (300.0, 300.0 + 750.0)
    assert B not in set(out["omraade"])  # 'Øvrige' is not spend on measures


def test_spend_percentage_chart_builds():
    ctx = context()
    frame = pd.DataFrame({"period": ["2025-12", "2026-01", "2026-02"], "value": [101.0, 8.0, 16.5]})
    indicator = next(i for i in oekonomi.INDICATORS if i.id == "oekonomi.forbrugsprocent")
    chart = oekonomi.spend_percentage_chart(frame=frame, indicator=indicator, target=100.0, by="", ctx=ctx)
    spec = charts.to_spec(chart)
    assert "Mål: 100,0\u00a0%" in json.dumps(spec, ensure_ascii=False)
    assert "Jævnt forbrug over året" in str(spec)


@pytest.mark.parametrize("audience", ["udvalg", "direktion", "ledere"])
def test_theme_page_on_demo(demo_build, audience):
    page = demo_build / "_site" / audience / "temaer" / "oekonomi.html"
    html = page.read_text(encoding="utf-8")
    assert "<h1>Økonomi</h1>" in html
    for title in ("Forbrugsprocent", "Forbrug pr. måned", "Andel af forbruget til forebyggelse", "Udgift pr. barn i kommunen"):
        assert title in html


def test_theme_page_not_for_caseworkers(demo_build):
    assert not (demo_build / "_site" / "sagsbehandlere" / "temaer" / "oekonomi.html").exists()


def header_only(period: str = "2026-03") -> IndicatorContext:
    """The context with ``sager`` and ``ydelser`` as exports with a header and no rows (typed, as loaded)."""
    ctx = context(period)
    for name in ("sager", "ydelser"):
        ctx.data[name] = ctx.data[name].iloc[0:0]
    return ctx


def test_header_only_cases_and_measures_give_no_unit_prices_and_no_crash():
    ctx = header_only()
    assert oekonomi.unit_price(ctx).empty  # no measures: no figure, not a zero
    spent = oekonomi.spend(ctx)
    assert row(spent, period="2026-02", omraade=A, indsatsgruppe="Forebyggende")["numerator"] == 110.0  # the budget is there
    assert spent["n"].isna().all()  # but no children behind it
    for compute in (oekonomi.spend_percentage, oekonomi.spend_per_child, oekonomi.preventive_share):
        assert not compute(ctx).empty


@pytest.mark.parametrize("name, by", [("enhedspris", "indsatstype"), ("forbrugsprocent", "omraade"), ("forbrugsprocent", "")])
def test_charts_of_an_indicator_without_figures_do_not_crash(name, by):
    """A header-only export stages to no rows: the chart is lisite's standard one (with its 'no figures' text)."""
    indicator = next(i for i in oekonomi.INDICATORS if i.id == f"oekonomi.{name}")
    staged = pd.DataFrame({"period": pd.Series(dtype=str), **({by: pd.Series(dtype=str)} if by else {}),
                           "value": pd.Series(dtype=float), "suppressed": pd.Series(dtype=bool)})
    spec = charts.to_spec(indicator.chart(frame=staged, indicator=indicator, target=100.0, by=by, ctx=context()))
    assert spec["data"]["values"] == []


def test_header_only_cases_and_measures_stop_the_build_naming_both_files(tmp_path):
    """The whole build, with 'sager.csv' and 'ydelser.csv' cut to their title and header lines: never a crash; an
    export without rows is a failed export, so the build stops naming both files and the previous site stays.
    (That the charts show "no figures" for an empty frame is tested on the chart functions above.)"""
    from lisite.errors import DataError

    site = testing.demo_site(tmp_path / "site", audiences=["direktion"])
    for name in ("sager", "ydelser"):
        path = site / "sample_data" / f"{name}.csv"
        path.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), encoding="utf-8")
    with pytest.raises(DataError) as stopped:
        testing.build_site(site)
    message = stopped.value.format_message()
    assert "sample_data/sager.csv" in message and "sample_data/ydelser.csv" in message
    assert "IndexError" not in message


def test_spend_percentage_lines_differ_in_colour_dash_and_marker_and_are_named_in_a_legend():
    """Spent evenly, this year, last year and the even pace lie almost on top of each other: each line has its own
    colour and dash (and the years their own markers), and the legend names all three."""
    ctx = context()
    months = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 10)]
    frame = pd.DataFrame({"period": months, "value": [int(p[5:]) / 12 * 100 + 0.4 for p in months]})
    indicator = next(i for i in oekonomi.INDICATORS if i.id == "oekonomi.forbrugsprocent")
    spec = charts.to_spec(oekonomi.spend_percentage_chart(frame=frame, indicator=indicator, target=100.0, by="", ctx=ctx))
    lines = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    colour, dash = lines["encoding"]["color"], lines["encoding"]["strokeDash"]
    series = colour["scale"]["domain"]
    assert series == ["2026", "2025", "Jævnt forbrug over året"] == dash["scale"]["domain"]
    styles = {tuple(map(str, pair)) for pair in zip(colour["scale"]["range"], dash["scale"]["range"])}
    assert len(styles) == 3 and len({str(d) for d in dash["scale"]["range"]}) == 3
    assert colour.get("legend") is not None and dash.get("legend") is not None
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    shapes = points["encoding"]["shape"]["scale"]
    assert shapes["domain"] == ["2026", "2025"] and len(set(shapes["range"])) == 2
