"""The chart of one month's figures by type of measure: lying bars, since long measure names do not fit under standing ones."""

from __future__ import annotations

from lisite import charts, fmt


def type_chart(frame, indicator, target, by, ctx):
    """Lying bars for one month by measure type; any other view the default chart."""
    import altair as alt  # (a build that reuses every page draws no chart)
    lang = ctx.config.language
    if by != "indsatstype" or frame["period"].nunique() != 1:
        return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=lang,
                                   process=None if by else ctx.process(indicator.id))
    title = f"{indicator.title}, {fmt.period(frame['period'].iloc[0], lang)}"
    number = charts.NUMBER_FORMAT[indicator.unit]
    y = alt.Y("indsatstype:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("value:Q", title=fmt.unit_label(indicator.unit, lang), axis=alt.Axis(format=number))
    base = alt.Chart(frame[["indsatstype", "value"]])
    tooltip = [alt.Tooltip("indsatstype:N", title=ctx.t("column.indsatstype")), alt.Tooltip("value:Q", title=ctx.t("value"))]
    bars = base.mark_bar(color=charts.OWN).encode(x=x, y=y, tooltip=tooltip)
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#222").encode(x="value:Q", y=y, text=alt.Text("value:Q", format=number))
    return alt.layer(bars, text).properties(width="container", height=28 * len(frame) + 20,
                                            title=alt.Title(title, anchor="start", fontSize=14))
