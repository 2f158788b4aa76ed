"""Charts for a comparison, readable without colour: line styles and direct labels carry the meaning.

- :func:`comparison_chart`: the municipality over time (thick line, its own
  colour) against the group and the country (grey, dashed and dotted), the
  target as a labelled rule; below it the group members' latest values as
  bars with the municipality highlighted and every bar labelled.
- :func:`small_multiples`: one small panel per group member over time, the
  country as a dotted reference line, the municipality's own panel first;
  :func:`multiples_table` gives its numbers as the table under it.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import charts, fmt

WIDTH = 300  # with the axis and the labels beside the lines ("Sammenligningskommunerne: 33,4") the chart stays within
#             the page column, unscaled, on a tablet too (684 px beside the menu at 1024 px, iPad landscape)
BARS_WIDTH = 290  # the group's bars: their names and values beside them fit the column too
DARK_GREY = "#4d4d4d"
LIGHT = "#c4c4c4"


def _series(c) -> list[dict]:
    rows = []
    group, national = c.t("sammenligning.group_label"), c.t("sammenligning.national_label")
    for year in c.years:
        for name, value, role in ((c.name, c.own_value[year], "own"), (group, c.group_value[year], "group"),
                                  (national, c.national_value[year], "national")):
            rows.append({"aar": year, "dato": f"{year}-01-01", "serie": name, "role": role, "value": c.r(value)})
    return rows


def _label_positions(last: list[dict], span: float) -> list[dict]:
    """Push direct labels apart vertically so they never overlap (at least 7 % of the y range)."""
    last = sorted(last, key=lambda row: row["value"])
    gap = span * 0.07 if span > 0 else 1.0
    placed: list[float] = []
    for row in last:
        placed.append(max(row["value"], placed[-1] + gap) if placed else row["value"])
    return [{**row, "label_y": round(y, 3)} for row, y in zip(last, placed)]


def _known(value: float) -> float | None:
    """A figure for the spec: a missing one (NaN, which JSON cannot hold) as ``null``."""
    return None if value != value else value


def _field(name: str, kind: str, **more) -> dict:
    return {"field": name, "type": kind, **more}


def _is(field: str, *values) -> dict:
    """A filter keeping the rows whose ``field`` is one of ``values`` (passed as data, never as an expression)."""
    return {"filter": {"field": field, "oneOf": list(values)}}


def over_time(c, title: str) -> dict:
    """Own, group and country over the years, each line labelled at its end; the target as a labelled rule."""
    data = _series(c)
    unit_format = charts.NUMBER_FORMAT[c.unit]
    values = [row["value"] for row in data] + ([c.target] if c.target is not None else [])
    span = max(values) - min(0, min(values))  # the y axis starts at zero
    x = _field("dato", "temporal", title=None, axis={"format": "%Y", "labelAngle": 0, "tickCount": {"interval": "year", "step": 1}})
    y = _field("value", "quantitative", title=fmt.unit_label(c.unit, c.lang), axis={"format": unit_format}, scale={"zero": True})
    roles = ["own", "group", "national"]
    colour = _field("role", "nominal", scale={"domain": roles, "range": [charts.OWN, DARK_GREY, DARK_GREY]}, legend=None)
    dash = _field("role", "nominal", scale={"domain": roles, "range": [[1, 0], [7, 4], [2, 3]]}, legend=None)
    tooltip = [_field("serie", "nominal", title=c.t("sammenligning.who")), _field("aar", "ordinal", title=c.t("sammenligning.year")),
               _field("value", "quantitative", title=c.t("value"), format=unit_format)]
    line = {"x": x, "y": y, "color": colour, "strokeDash": dash, "detail": _field("serie", "nominal"), "tooltip": tooltip}
    layers = [{"data": {"name": "series"}, "transform": [_is("role", *roles_)], "mark": {"type": "line", "point": True, "strokeWidth": width},
               "encoding": line} for roles_, width in ((("group", "national"), 2), (("own",), 4))]
    last = _label_positions([row for row in data if row["aar"] == c.latest], span)
    labels = [{"role": row["role"], "dato": row["dato"], "label_y": row["label_y"],
               "label": f"{row['serie']}: {fmt.value(row['value'], c.unit, c.lang)}"} for row in last]
    for roles_, weight in ((("own",), "bold"), (("group", "national"), "normal")):
        layers.append({"data": {"name": "labels"}, "transform": [_is("role", *roles_)],
                       "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 12, "fontWeight": weight},
                       "encoding": {"x": _field("dato", "temporal"), "y": _field("label_y", "quantitative"),
                                    "text": _field("label", "nominal"), "color": colour}})
    if c.target is not None:
        target = round(c.target, fmt.digits(c.unit))
        rule = {"values": [{"target": target, "label": f"{c.t('target')}: {fmt.value(target, c.unit, c.lang)}"}]}
        layers.append({"data": rule, "mark": {"type": "rule", "color": charts.TARGET, "strokeDash": [6, 4], "strokeWidth": 2},
                       "encoding": {"y": _field("target", "quantitative")}})
        layers.append({"data": rule, "mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -3, "x": 2,
                                              "color": charts.TARGET, "fontSize": 11},
                       "encoding": {"y": _field("target", "quantitative"), "text": _field("label", "nominal")}})
    return {"layer": layers, "width": WIDTH, "height": 240, "title": {"text": title, "anchor": "start", "fontSize": 14},
            "datasets": {"series": data, "labels": labels}}


def latest_bars(c) -> dict:
    """The group's latest figures as labelled bars, highest first, the municipality's own bar and name in bold."""
    latest = c.members[c.members["aar"] == c.latest].sort_values(["value", "kommune"], ascending=[False, True])
    # ordered by the unrounded figures, shown rounded
    data = [{"kommune": name, "value": _known(c.r(v)), "own": bool(code == c.code), "label": fmt.value(c.r(v), c.unit, c.lang)}
            for name, v, code in zip(latest["kommune"], latest["value"], latest["kommunekode"])]
    order = [row["kommune"] for row in data]
    unit_format = charts.NUMBER_FORMAT[c.unit]
    # the own name is passed as data (a oneOf predicate), never spliced into an expression string
    own_label = {"field": "value", "oneOf": sorted({row["kommune"] for row in data if row["own"]})}
    y = _field("kommune", "nominal", sort=order, title=None, axis={
        "labelFontWeight": {"condition": {"test": own_label, "value": "bold"}, "value": "normal"}, "labelFontSize": 12})
    x = _field("value", "quantitative", title=fmt.unit_label(c.unit, c.lang), axis={"format": unit_format})
    bars = {"data": {"name": "bars"}, "mark": {"type": "bar", "height": 14}, "encoding": {
        "x": x, "y": y, "color": {"condition": {"test": "datum.own", "value": charts.OWN}, "value": LIGHT},
        "tooltip": [_field("kommune", "nominal", title=c.t("sammenligning.municipality")),
                    _field("value", "quantitative", title=c.t("value"), format=unit_format)]}}
    text = [{"data": {"name": "bars"}, "transform": [_is("own", own)],
             "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11, "fontWeight": weight},
             "encoding": {"x": _field("value", "quantitative"), "y": _field("kommune", "nominal", sort=order),
                          "text": _field("label", "nominal")}}
            for own, weight in ((True, "bold"), (False, "normal"))]
    national = c.r(c.national_value[c.latest])
    rule_data = {"values": [{"value": national, "label": f"{c.t('sammenligning.national_label')}: {fmt.value(national, c.unit, c.lang)}"}]}
    rule = {"data": rule_data, "mark": {"type": "rule", "color": DARK_GREY, "strokeDash": [2, 3], "strokeWidth": 2},
            "encoding": {"x": _field("value", "quantitative")}}
    rule_text = {"data": rule_data, "mark": {"type": "text", "align": "left", "dx": 4, "baseline": "top", "y": -14, "fontSize": 11,
                                              "color": DARK_GREY},
                 "encoding": {"x": _field("value", "quantitative"), "text": _field("label", "nominal")}}
    # the country's dotted line is drawn under the bars' labels, and each label on a white edge (its halo): a label next
    # to the line stays readable ("17,0" with the line through it read as "1|7,0")
    halo = {**text[0], "transform": [], "mark": {**text[0]["mark"], "color": "white", "stroke": "white", "strokeWidth": 6,
                                                 "strokeJoin": "round"}}
    return {"layer": [bars, rule, halo, *text, rule_text], "width": BARS_WIDTH, "height": {"step": 20},
            "title": {"text": c.t("sammenligning.bars_title", year=c.latest), "anchor": "start", "fontSize": 14},
            "datasets": {"bars": data}}


def comparison_chart(c, title: str) -> dict:
    """The course over time above the group's latest figures, as one Vega-Lite spec (datasets named once, at the top)."""
    top, bottom = over_time(c, title), latest_bars(c)
    datasets = {**top.pop("datasets"), **bottom.pop("datasets")}
    return {"vconcat": [top, bottom], "spacing": 28, "datasets": datasets}


def small_multiples(c, title: str) -> dict:
    """One panel per municipality in the group, own first, each with the country as a dotted line."""
    order = [c.name] + [n for code, n in zip(c.group.table["kommunekode"], c.group.table["kommune"]) if code != c.code]
    members = c.members[c.members["aar"].isin(c.years)]
    rows = [{"kommune": k, "dato": f"{y}-01-01", "value": c.r(v), "role": "own" if code == c.code else "member"}
            for k, y, v, code in zip(members["kommune"], members["aar"], members["value"], members["kommunekode"])]
    rows += [{"kommune": k, "dato": f"{y}-01-01", "value": c.r(c.national_value[y]), "role": "national"}
             for k in order for y in c.years]
    rows = [{**row, "value": _known(row["value"])} for row in rows]
    roles = ["own", "member", "national"]
    unit_format = charts.NUMBER_FORMAT[c.unit]
    line = {"mark": {"type": "line", "point": {"size": 14}}, "encoding": {
        "x": _field("dato", "temporal", title=None, axis={"format": "%y", "labelAngle": 0, "tickCount": {"interval": "year", "step": 2}}),
        "y": _field("value", "quantitative", title=None, axis={"format": unit_format, "tickCount": 4}, scale={"zero": True}),
        "color": _field("role", "nominal", scale={"domain": roles, "range": [charts.OWN, DARK_GREY, "#9a9a9a"]}, legend=None),
        "strokeDash": _field("role", "nominal", scale={"domain": roles, "range": [[1, 0], [1, 0], [2, 3]]}, legend=None),
        "detail": _field("role", "nominal"),
        "tooltip": [_field("kommune", "nominal", title=c.t("sammenligning.municipality")),
                    _field("dato", "temporal", title=c.t("sammenligning.year"), format="%Y"),
                    _field("value", "quantitative", title=c.t("value"), format=unit_format)]}}
    return {
        "data": {"name": "panels"}, "datasets": {"panels": rows},
        "facet": _field("kommune", "nominal", sort=order, title=None, header={"labelFontSize": 12, "labelFontWeight": "bold"}),
        "columns": 3, "spec": {"layer": [line], "width": 150, "height": 90},  # three across fit a tablet's column
        "title": {"text": title, "anchor": "start", "fontSize": 14, "subtitle": c.t("sammenligning.multiples_subtitle", name=c.name)},
    }


def multiples_table(c, caption: str):
    """The small multiples' numbers as a table: each municipality in the group per year, own first, then the country."""
    order = [c.name] + [n for code, n in zip(c.group.table["kommunekode"], c.group.table["kommune"]) if code != c.code]
    members = c.members[c.members["aar"].isin(c.years)]
    shown = {(k, int(y)): c.show(v) for k, y, v in zip(members["kommune"], members["aar"], members["value"]) if pd.notna(v)}
    first = c.t("sammenligning.municipality")
    rows = [{first: k, **{str(y): shown.get((k, y), "") for y in c.years}} for k in order]
    rows.append({first: c.t("sammenligning.table_country"), **{str(y): c.show(c.national_value[y]) for y in c.years}})
    return lisite.Table(pd.DataFrame(rows), caption=caption)
