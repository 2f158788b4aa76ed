"""The prognosis in words and as charts: spend so far, the expected year and its uncertainty.

Two charts: the spend added up month by month with the prognosis' path (:func:`prognosis_chart`),
and the expected year against the budget, zoomed in on the 95 % interval (:func:`outlook_chart`),
which is the chart whose text speaks of a shaded area.

Every word comes from the catalogue (``oekonomisk_styring.*``), every amount is written by
``ctx.fmt`` in mio. kr. (``mio_kr``).
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import charts

from .followup import Forecast, monthly_spend


def amount(ctx, value: float) -> str:
    """An amount in kroner, written in millions: ``165,0 mio. kr.``."""
    return ctx.fmt.value(value, "mio_kr")


def kind(ctx, deviation: float) -> str:
    """'et merforbrug' or 'et mindreforbrug'."""
    return ctx.t("oekonomisk_styring.overspend" if deviation > 0 else "oekonomisk_styring.underspend")


def prognosis_text(ctx, fc: Forecast, corrected: float, year: int, month: int) -> tuple[str, list[str]]:
    """The chart's description and the sentences under it, with every amount in mio. kr."""
    t = ctx.t
    deviation = fc.expected - corrected
    words = {"year": year, "spent": amount(ctx, fc.spent), "budget": amount(ctx, corrected),
             "expected": amount(ctx, fc.expected), "interval": interval(ctx, fc), "kind": kind(ctx, deviation),
             "deviation": amount(ctx, abs(deviation)), "until": ctx.fmt.period(f"{year}-{month:02d}")}
    description = [t("oekonomisk_styring.chart_description", **words)]
    if fc.remaining:
        description.append(t("oekonomisk_styring.chart_band", **words))
    description.append(t("oekonomisk_styring.chart_result", **words))
    sentences = [t("oekonomisk_styring.expect_interval" if fc.remaining else "oekonomisk_styring.expect", **words),
                 t("oekonomisk_styring.against_budget", **words)]
    if fc.remaining:
        sentences.append(verdict(ctx, fc, corrected))
    return " ".join(description), sentences


def tile(ctx, fc: Forecast, corrected: float, year: int, link: str):
    """The front page's tile: the expected year result against the corrected budget (the figures and the
    verdict of :func:`prognosis_text`, in a few words)."""
    t = ctx.t
    deviation = fc.expected - corrected
    shown = round(abs(deviation) / 1e6, 1)  # as amount() writes it: an overspend of 0,0 mio. kr. is none
    side = "even" if shown == 0 else ("over" if deviation > 0 else "under")
    lines = [t("oekonomisk_styring.tile.against", expected=amount(ctx, fc.expected), budget=amount(ctx, corrected))]
    if fc.remaining:
        lines.append(t("oekonomisk_styring.tile." + ("surely_over" if fc.low() > corrected else
                                                      "surely_under" if fc.high() < corrected else "undecided")))
    value = t("oekonomisk_styring.tile.value_even") if side == "even" else amount(ctx, abs(deviation))
    return lisite.Tile(t(f"oekonomisk_styring.tile.title_{side}", year=year), value, tuple(lines), link=link)


def verdict(ctx, fc: Forecast, corrected: float) -> str:
    """Whether the budget lies below, above or inside the prognosis' 95 % interval, in words."""
    if fc.low() > corrected:
        return ctx.t("oekonomisk_styring.surely_over")
    if fc.high() < corrected:
        return ctx.t("oekonomisk_styring.surely_under")
    return ctx.t("oekonomisk_styring.undecided")


def interval(ctx, fc: Forecast) -> str:
    """"mellem 176,5 og 178,5 mio. kr.": the prognosis' 95 % interval for the whole year."""
    return ctx.t("oekonomisk_styring.interval", low=ctx.fmt.number(fc.low() / 1e6, 1), high=amount(ctx, fc.high()))


def outlook_text(ctx, fc: Forecast, corrected: float, year: int) -> str:
    """The description of :func:`outlook_chart`: the expected year, its interval and the budget."""
    return ctx.t("oekonomisk_styring.outlook_description", year=year, expected=amount(ctx, fc.expected),
                 interval=interval(ctx, fc), budget=amount(ctx, corrected), verdict=verdict(ctx, fc, corrected))


def outlook_scale(fc: Forecast, corrected: float) -> tuple[float, float]:
    """The x axis of :func:`outlook_chart` in mio. kr.: the interval and the budget with a quarter of their span around them."""
    low, high = min(fc.low(), corrected) / 1e6, max(fc.high(), corrected) / 1e6
    pad = max((high - low) / 4, 0.5)
    return low - pad, high + pad


def outlook_table(ctx, fc: Forecast, corrected: float, year: int):
    """The numbers of :func:`outlook_chart` in mio. kr.: the expected year, the ends of its interval, the budget."""
    t = ctx.t
    values = {t("oekonomisk_styring.table.expected"): fc.expected, t("oekonomisk_styring.table.low"): fc.low(),
              t("oekonomisk_styring.table.high"): fc.high(), t("oekonomisk_styring.column.corrected"): corrected}
    frame = pd.DataFrame([{name: round(value / 1e6, 1) + 0.0 for name, value in values.items()}])
    return lisite.Table(frame, caption=t("oekonomisk_styring.outlook_caption", year=year), formats={name: "gns" for name in values})


def outlook_chart(ctx, fc: Forecast, corrected: float, year: int):
    """The expected year result as a shaded 95 % interval with its point, beside the budget as a line.

    Zoomed in on the interval and the budget: on the cumulative chart from 0 the interval of a
    year that is three quarters gone is a few pixels wide, and a band no one can see explains nothing.
    """
    t = ctx.t
    row = {"low": fc.low() / 1e6, "high": fc.high() / 1e6, "expected": fc.expected / 1e6, "budget": corrected / 1e6,
           "band": t("oekonomisk_styring.outlook_band", interval=interval(ctx, fc)),
           "prognosis": t("oekonomisk_styring.label_expected", amount=amount(ctx, fc.expected)),
           "budget_label": t("oekonomisk_styring.label_budget", amount=amount(ctx, corrected))}
    scale = {"domain": list(outlook_scale(fc, corrected)), "zero": False, "nice": False}
    x = {"field": "low", "type": "quantitative", "scale": scale, "title": t("oekonomisk_styring.outlook_axis", year=year),
         "axis": charts.number_axis(",.1f", tickCount=6)}
    expected, budget = ({"x": {"field": name, "type": "quantitative"}} for name in ("expected", "budget"))
    side = "left" if corrected <= fc.expected else "right"
    layers = [
        {"mark": {"type": "rect", "color": charts.OWN, "opacity": 0.25, "y": 28, "y2": 62}, "encoding": {"x": x, "x2": {"field": "high"}}},
        {"mark": {"type": "point", "filled": True, "size": 140, "color": charts.OWN, "opacity": 1, "y": 45}, "encoding": expected},
        {"mark": {"type": "text", "y": 14, "fontSize": 12, "fontWeight": "bold", "color": charts.OWN},
         "encoding": {**expected, "text": {"field": "prognosis", "type": "nominal"}}},
        {"mark": {"type": "text", "y": 78, "fontSize": 12, "color": "#222"}, "encoding": {**expected, "text": {"field": "band", "type": "nominal"}}},
        {"mark": {"type": "rule", "color": charts.TARGET, "strokeWidth": 2}, "encoding": budget},
        {"mark": {"type": "text", "y": 100, "fontSize": 12, "color": charts.TARGET, "align": side, "dx": 5 if side == "left" else -5},
         "encoding": {**budget, "text": {"field": "budget_label", "type": "nominal"}}},
    ]
    title = t("oekonomisk_styring.outlook_title", year=year)
    # one row, kept in the spec (not in "datasets"), with the view size every Altair spec has: as this chart always was
    return {"data": {"values": [row]}, "layer": layers, "width": "container", "height": 110, "config": {"view": dict(charts.ALTAIR_VIEW)},
            "title": {"text": title, "anchor": "start", "fontSize": 14}}


def prognosis_chart(ctx, budget: pd.DataFrame, fc: Forecast, corrected: float, year: int, month: int):
    """Spend so far (solid), prognosis (dashed, with band) and the corrected budget (rule), in mio. kr."""
    t = ctx.t
    months = t("oekonomisk_styring.month_abbreviations").split()
    spent = monthly_spend(budget, year, month)
    spent = spent[spent.index.str.startswith(str(year))].cumsum() / 1e6
    actual = pd.DataFrame({"maaned": [months[int(p[5:7]) - 1] for p in spent.index], "value": spent.values})
    ahead = range(0, fc.remaining + 1)
    path = pd.DataFrame({
        "maaned": [months[month - 1 + k] for k in ahead],
        "value": [(fc.spent + k * fc.per_month) / 1e6 for k in ahead],
        "low": [(fc.spent + k * fc.per_month - fc.half_width(k)) / 1e6 for k in ahead],
        "high": [(fc.spent + k * fc.per_month + fc.half_width(k)) / 1e6 for k in ahead],
    })
    x = {"field": "maaned", "type": "ordinal", "sort": months, "title": None, "axis": {"labelAngle": 0}, "scale": {"domain": months}}
    y = {"field": "value", "type": "quantitative", "title": t("oekonomisk_styring.chart_axis"), "axis": charts.number_axis(",.0f")}
    tip = [{"field": "value", "type": "quantitative", "title": ctx.fmt.unit_label("mio_kr"), "format": ",.1f"}]
    label = {"field": "label", "type": "nominal"}
    layers = [
        {"data": path, "mark": {"type": "area", "color": charts.OWN, "opacity": 0.15},
         "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"}, "y2": {"field": "high"}}},
        {"data": path, "mark": {"type": "line", "color": charts.OWN, "strokeDash": [6, 4], "strokeWidth": 2},
         "encoding": {"x": x, "y": y, "tooltip": tip}},
        {"data": actual, "mark": {"type": "line", "color": charts.OWN, "strokeWidth": 3, "point": True},
         "encoding": {"x": x, "y": y, "tooltip": tip}},
        {"data": actual.tail(1).assign(label=t("oekonomisk_styring.label_spent", amount=amount(ctx, fc.spent))),
         "mark": {"type": "text", "align": "right", "dx": -8, "dy": -12, "fontSize": 12, "color": charts.OWN},
         "encoding": {"x": x, "y": y, "text": label}},
        {"data": path.tail(1).assign(label=t("oekonomisk_styring.label_expected", amount=amount(ctx, fc.expected))),
         "mark": {"type": "text", "align": "right", "baseline": "bottom", "dy": -10, "fontSize": 12, "fontWeight": "bold", "color": charts.OWN},
         "encoding": {"x": x, "y": {"field": "high", "type": "quantitative"}, "text": label}},
    ]
    rule = pd.DataFrame({"value": [corrected / 1e6], "label": [t("oekonomisk_styring.label_budget", amount=amount(ctx, corrected))]})
    at = {"y": {"field": "value", "type": "quantitative"}}
    layers += [{"data": rule, "mark": {"type": "rule", "color": charts.TARGET, "strokeWidth": 2}, "encoding": at},
               {"data": rule, "mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -4, "x": 4, "fontSize": 12,
                                       "color": charts.TARGET}, "encoding": {**at, "text": label}}]
    title = t("oekonomisk_styring.chart_title", year=year)
    return charts.with_datasets({"layer": layers, "width": "container", "height": 320,
                                 "title": {"text": title, "anchor": "start", "fontSize": 14}})


def prognosis_table(ctx, budget: pd.DataFrame, fc: Forecast, year: int, month: int):
    """The chart's numbers, month by month in mio. kr.: spend so far, and the prognosis with its low and high end."""
    t = ctx.t
    spent = monthly_spend(budget, year, month)
    spent = spent[spent.index.str.startswith(str(year))].cumsum() / 1e6
    rows = {int(p[5:7]): {"spent": v} for p, v in spent.items()}
    for k in range(0, fc.remaining + 1):
        rows.setdefault(month + k, {}).update(
            expected=(fc.spent + k * fc.per_month) / 1e6, low=(fc.spent + k * fc.per_month - fc.half_width(k)) / 1e6,
            high=(fc.spent + k * fc.per_month + fc.half_width(k)) / 1e6)
    columns = {c: t(f"oekonomisk_styring.table.{c}") for c in ("month", "spent", "expected", "low", "high")}
    frame = pd.DataFrame([{columns["month"]: ctx.fmt.period(f"{year}-{m:02d}"),
                           **{columns[c]: round(v, 1) + 0.0 for c, v in values.items()}} for m, values in sorted(rows.items())],
                         columns=list(columns.values()))
    return lisite.Table(frame, caption=t("oekonomisk_styring.table.caption", year=year),
                        formats={columns[c]: "gns" for c in ("spent", "expected", "low", "high")})
