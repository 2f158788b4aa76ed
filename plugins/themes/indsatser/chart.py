"""The chart of one month's figures by type of measure: lying bars, since long measure names do not fit under standing ones."""

from __future__ import annotations

from lisite import charts, fmt


def type_chart(frame, indicator, target, by, ctx):
    """Lying bars for one month by measure type; any other view the default chart."""
    lang = ctx.config.language
    if by != "indsatstype" or frame["period"].nunique() != 1:
        return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=lang,
                                   process=None if by else ctx.process(indicator.id))
    title = f"{indicator.title}, {fmt.period(frame['period'].iloc[0], lang)}"
    number = charts.NUMBER_FORMAT[indicator.unit]
    kind = {"field": "indsatstype", "type": "nominal"}
    value = {"field": "value", "type": "quantitative"}
    y = {**kind, "sort": "-x", "title": None, "axis": {"labelLimit": 220}}
    x = {**value, "title": fmt.unit_label(indicator.unit, lang), "axis": charts.number_axis(number)}
    tooltip = [{**kind, "title": ctx.t("column.indsatstype")}, {**value, "title": ctx.t("value")}]
    bars = {"mark": {"type": "bar", "color": charts.OWN}, "encoding": {"x": x, "y": y, "tooltip": tooltip}}
    text = {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11, "color": "#222"},
            "encoding": {"x": value, "y": y, "text": {**value, "format": number}}}
    return charts.with_datasets({"data": frame[["indsatstype", "value"]], "layer": [bars, text], "width": "container",
                                 "height": 28 * len(frame) + 20, "title": {"text": title, "anchor": "start", "fontSize": 14}})
