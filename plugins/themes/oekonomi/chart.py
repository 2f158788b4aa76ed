"""The economy theme's own charts: the spend percentage against an even spend, and unit prices as bars.

Each falls back to lisite's standard chart when there is nothing to draw (no figures at all, e.g. an
export with a header and no rows), so an empty dataset gives the engine's "no figures" text, not a crash.
"""

from __future__ import annotations

import pandas as pd

from lisite import charts, fmt


def month_names(t) -> list[str]:
    """Short month names, January first (``oekonomi.months``: twelve words separated by spaces)."""
    return t("oekonomi.months").split()


def standard(frame, indicator, target, by, ctx):
    """lisite's standard chart; a monthly total with figures is drawn as a process chart (``ctx.process``)."""
    process = ctx.process(indicator.id) if not by and frame["value"].notna().any() else None
    return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=ctx.config.language,
                               process=process)


def spend_percentage_chart(frame, indicator, target, by, ctx):
    """This year against last year, month by month, beside the pace of an even spend (1/12 a month).

    A budget spent evenly gives three lines close together (this year, last year, the even pace), so
    each has its own colour, dash and marker, named in a legend under the chart: they stay apart
    where they cross or lie on top of each other.
    """
    t, lang = ctx.t, ctx.config.language
    if frame["value"].notna().sum() == 0:
        return standard(frame, indicator, target, by, ctx)
    if by:
        return spend_percentage_bars(frame, indicator, by, ctx)
    months = month_names(t)
    data = frame[frame["value"].notna()].copy()
    data["aar"] = data["period"].str[:4]
    data["maaned"] = data["period"].str[5:7].astype(int).map(lambda m: months[m - 1])
    even = t("oekonomi.even_pace")
    pace = pd.DataFrame({"maaned": months, "value": [m / 12 * 100 for m in range(1, 13)], "aar": even})
    years = sorted(data["aar"].unique(), reverse=True)  # this year first
    series = [*years, even]
    styles = series_styles(years, even)
    x = {"field": "maaned", "type": "ordinal", "sort": months, "title": None, "axis": {"labelAngle": 0}, "scale": {"domain": months}}
    top = max(110.0, float(data["value"].max()) * 1.05)
    value = {"field": "value", "type": "quantitative"}
    y = {**value, "title": t("oekonomi.axis_share"), "axis": charts.number_axis(",.0f"), "scale": {"domain": [0, top]}}
    tooltip = [{"field": "aar", "type": "nominal", "title": t("oekonomi.year")},
               {"field": "maaned", "type": "ordinal", "title": t("oekonomi.month")},
               {**value, "title": indicator.title, "format": ",.1f"}]
    legend = {"title": None, "orient": "bottom", "direction": "horizontal", "symbolType": "stroke", "symbolSize": 400,
              "symbolStrokeWidth": 2.5}
    colors = {"domain": series, "range": [styles[s]["color"] for s in series]}
    color = {"field": "aar", "type": "nominal", "sort": series, "scale": colors, "legend": legend}
    dash = {**color, "scale": {"domain": series, "range": [styles[s]["dash"] for s in series]}}
    shape = {"field": "marker", "type": "nominal", "scale": {"domain": years, "range": [styles[s]["shape"] for s in years]}, "legend": None}
    both = pd.concat([pace, data[["maaned", "value", "aar"]]], ignore_index=True)
    lines = {"data": both, "mark": {"type": "line", "strokeWidth": 2.5},
             "encoding": {"x": x, "y": y, "color": color, "strokeDash": dash, "tooltip": tooltip}}
    # the markers on their own field, so the legend shows each line's dash rather than a marker
    points = {"data": data.assign(marker=data["aar"]), "mark": {"type": "point", "filled": True, "size": 60, "opacity": 1},
              "encoding": {"x": x, "y": value, "color": {"field": "marker", "type": "nominal", "scale": colors, "legend": None},
                           "shape": shape, "tooltip": tooltip}}
    layers = [lines, points]
    if target is not None:
        rule = pd.DataFrame({"target": [target], "label": [f"{t('target')}: {fmt.value(target, 'pct', lang)}"]})
        at = {"y": {"field": "target", "type": "quantitative"}}
        layers.append({"data": rule, "mark": {"type": "rule", "color": charts.TARGET, "strokeDash": [6, 4], "strokeWidth": 2},
                       "encoding": at})
        layers.append({"data": rule, "mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -3,
                                              "color": charts.TARGET, "fontSize": 11, "x": 0},
                       "encoding": {**at, "text": {"field": "label", "type": "nominal"}}})
    return charts.with_datasets({"layer": layers, "width": "container", "height": 280,
                                 "title": {"text": indicator.title, "anchor": "start", "fontSize": 14}})


def series_styles(years: list[str], even: str) -> dict[str, dict]:
    """Colour, dash and marker of each line: this year blue and solid with dots, earlier years grey and
    dashed with squares (then diamonds), the even pace dark and dotted without markers."""
    earlier = [("square", [6, 4]), ("diamond", [10, 3, 2, 3])]
    styles = {even: {"color": "#333333", "dash": [2, 3], "shape": "stroke"}}
    for index, year in enumerate(years):
        if index == 0:
            styles[year] = {"color": charts.OWN, "dash": [1, 0], "shape": "circle"}
        else:
            shape, dash = earlier[min(index - 1, len(earlier) - 1)]
            styles[year] = {"color": charts.GREY, "dash": dash, "shape": shape}
    return styles


def spend_percentage_bars(frame, indicator, by, ctx):
    """The latest month's spend percentage per area (or group), beside the pace of an even spend."""
    t, lang = ctx.t, ctx.config.language
    data = frame[frame["period"] == frame["period"].max()].copy()
    data["label"] = [fmt.value(v, "pct", lang) for v in data["value"]]
    period = str(data["period"].iloc[0])
    pace = pd.DataFrame({"value": [int(period[5:7]) / 12 * 100]})
    pace["label"] = t("oekonomi.even_pace_value", value=fmt.value(pace["value"][0], "pct", lang))
    y = {"field": by, "type": "nominal", "title": None, "axis": {"labelLimit": 200}}
    top = max(110.0, float(data["value"].max()) * 1.1) if data["value"].notna().any() else 110.0
    value = {"field": "value", "type": "quantitative"}
    label = {"field": "label", "type": "nominal"}
    layers = [
        {"data": data, "mark": {"type": "bar", "color": charts.OWN},
         "encoding": {"x": {**value, "title": t("oekonomi.axis_share"), "scale": {"domain": [0, top]}}, "y": y}},
        {"data": data, "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11}, "encoding": {"x": value, "y": y, "text": label}},
        {"data": pace, "mark": {"type": "rule", "color": charts.TARGET, "strokeDash": [4, 3], "strokeWidth": 2.5}, "encoding": {"x": value}},
        {"data": pace, "mark": {"type": "text", "align": "right", "baseline": "bottom", "dx": -4, "y": -2, "fontSize": 11,
                                "color": charts.TARGET}, "encoding": {"x": value, "text": label}},
    ]
    split = t.get(f"column.{by}", by).lower()
    title = t("oekonomi.per_title", title=indicator.title, by=split, period=fmt.period(period, lang))
    return charts.with_datasets({"layer": layers, "width": "container", "height": 40 * len(data) + 20,
                                 "title": {"text": title, "anchor": "start", "fontSize": 14}})


def unit_price_chart(frame, indicator, target, by, ctx):
    """Prices by type of measure in one month as horizontal bars, so the long names stay readable."""
    t, lang = ctx.t, ctx.config.language
    if not by or frame["period"].nunique() != 1:
        return standard(frame, indicator, target, by, ctx)
    small = frame["small"] if "small" in frame else frame["suppressed"]
    labels = [((t("oekonomi.hidden") if own else fmt.suppressed(0, lang, small=False)) if hidden else fmt.value(v, indicator.unit, lang))
              for v, hidden, own in zip(frame["value"], frame["suppressed"], small)]
    data = frame.assign(label=labels, at=frame["value"].fillna(0))
    order = data.sort_values("value", ascending=False, na_position="last")[by].tolist()
    y = {"field": by, "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 200}}
    top = data["value"].max() if data["value"].notna().any() else 1.0
    x = {"field": "value", "type": "quantitative", "title": t("oekonomi.axis_price"), "axis": charts.number_axis(",.0f"),
         "scale": {"domain": [0, top * 1.2]}}  # room for the label after the longest bar
    tooltip = [{"field": by, "type": "nominal", "title": t("oekonomi.measure")},
               {"field": "value", "type": "quantitative", "title": t("oekonomi.price"), "format": ",.0f"}]
    bars = {"mark": {"type": "bar", "color": charts.OWN}, "encoding": {"x": x, "y": y, "tooltip": tooltip}}
    text = {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11, "color": "#222"},
            "encoding": {"x": {"field": "at", "type": "quantitative"}, "y": y, "text": {"field": "label", "type": "nominal"}}}
    when = fmt.period(str(data["period"].iloc[0]), lang)
    return charts.with_datasets({"data": data, "layer": [bars, text], "width": "container", "height": 28 * len(data),
                                 "title": {"text": f"{indicator.title}, {when}", "anchor": "start", "fontSize": 14}})
