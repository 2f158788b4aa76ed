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
    import altair as alt  # (a build that reuses every page draws no chart)
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
    x = alt.X("maaned:O", sort=months, title=None, axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=months))
    top = max(110.0, float(data["value"].max()) * 1.05)
    y = alt.Y("value:Q", title=t("oekonomi.axis_share"), axis=alt.Axis(format=",.0f"), scale=alt.Scale(domain=[0, top]))
    tooltip = [alt.Tooltip("aar:N", title=t("oekonomi.year")), alt.Tooltip("maaned:O", title=t("oekonomi.month")),
               alt.Tooltip("value:Q", title=indicator.title, format=",.1f")]
    legend = alt.Legend(title=None, orient="bottom", direction="horizontal", symbolType="stroke", symbolSize=400, symbolStrokeWidth=2.5)
    colors = alt.Scale(domain=series, range=[styles[s]["color"] for s in series])
    color = alt.Color("aar:N", sort=series, scale=colors, legend=legend)
    dash = alt.StrokeDash("aar:N", sort=series, scale=alt.Scale(domain=series, range=[styles[s]["dash"] for s in series]), legend=legend)
    shape = alt.Shape("marker:N", scale=alt.Scale(domain=years, range=[styles[s]["shape"] for s in years]), legend=None)
    both = pd.concat([pace, data[["maaned", "value", "aar"]]], ignore_index=True)
    lines = alt.Chart(both).mark_line(strokeWidth=2.5).encode(x=x, y=y, color=color, strokeDash=dash, tooltip=tooltip)
    # the markers on their own field, so the legend shows each line's dash rather than a marker
    points = alt.Chart(data.assign(marker=data["aar"])).mark_point(filled=True, size=60, opacity=1).encode(
        x=x, y="value:Q", color=alt.Color("marker:N", scale=colors, legend=None), shape=shape, tooltip=tooltip)
    layers = [lines, points]
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [f"{t('target')}: {fmt.value(target, 'pct', lang)}"]}))
        layers.append(rule.mark_rule(color=charts.TARGET, strokeDash=[6, 4], strokeWidth=2).encode(y="target:Q"))
        layers.append(rule.mark_text(align="left", baseline="bottom", dy=-3, color=charts.TARGET, fontSize=11, x=0)
                      .encode(y="target:Q", text="label:N"))
    return alt.layer(*layers).properties(width="container", height=280,
                                         title=alt.Title(indicator.title, anchor="start", fontSize=14))


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
    import altair as alt  # (a build that reuses every page draws no chart)
    t, lang = ctx.t, ctx.config.language
    data = frame[frame["period"] == frame["period"].max()].copy()
    data["label"] = [fmt.value(v, "pct", lang) for v in data["value"]]
    period = str(data["period"].iloc[0])
    pace = pd.DataFrame({"value": [int(period[5:7]) / 12 * 100]})
    pace["label"] = t("oekonomi.even_pace_value", value=fmt.value(pace["value"][0], "pct", lang))
    y = alt.Y(f"{by}:N", title=None, axis=alt.Axis(labelLimit=200))
    top = max(110.0, float(data["value"].max()) * 1.1) if data["value"].notna().any() else 110.0
    x = alt.X("value:Q", title=t("oekonomi.axis_share"), scale=alt.Scale(domain=[0, top]))
    layers = [
        alt.Chart(data).mark_bar(color=charts.OWN).encode(x=x, y=y),
        alt.Chart(data).mark_text(align="left", dx=4, fontSize=11).encode(x="value:Q", y=y, text="label:N"),
        alt.Chart(pace).mark_rule(color=charts.TARGET, strokeDash=[4, 3], strokeWidth=2.5).encode(x="value:Q"),
        alt.Chart(pace).mark_text(align="right", baseline="bottom", dx=-4, y=-2, fontSize=11, color=charts.TARGET)
        .encode(x="value:Q", text="label:N"),
    ]
    split = t.get(f"column.{by}", by).lower()
    title = t("oekonomi.per_title", title=indicator.title, by=split, period=fmt.period(period, lang))
    return alt.layer(*layers).properties(width="container", height=40 * len(data) + 20,
                                         title=alt.Title(title, anchor="start", fontSize=14))


def unit_price_chart(frame, indicator, target, by, ctx):
    """Prices by type of measure in one month as horizontal bars, so the long names stay readable."""
    import altair as alt  # (a build that reuses every page draws no chart)
    t, lang = ctx.t, ctx.config.language
    if not by or frame["period"].nunique() != 1:
        return standard(frame, indicator, target, by, ctx)
    small = frame["small"] if "small" in frame else frame["suppressed"]
    labels = [((t("oekonomi.hidden") if own else fmt.suppressed(0, lang, small=False)) if hidden else fmt.value(v, indicator.unit, lang))
              for v, hidden, own in zip(frame["value"], frame["suppressed"], small)]
    data = frame.assign(label=labels, at=frame["value"].fillna(0))
    order = data.sort_values("value", ascending=False, na_position="last")[by].tolist()
    y = alt.Y(f"{by}:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    top = data["value"].max() if data["value"].notna().any() else 1.0
    x = alt.X("value:Q", title=t("oekonomi.axis_price"), axis=alt.Axis(format=",.0f"),
              scale=alt.Scale(domain=[0, top * 1.2]))  # room for the label after the longest bar
    bars = alt.Chart(data).mark_bar(color=charts.OWN).encode(x=x, y=y, tooltip=[
        alt.Tooltip(f"{by}:N", title=t("oekonomi.measure")), alt.Tooltip("value:Q", title=t("oekonomi.price"), format=",.0f")])
    text = alt.Chart(data).mark_text(align="left", dx=4, fontSize=11, color="#222").encode(x="at:Q", y=y, text="label:N")
    when = fmt.period(str(data["period"].iloc[0]), lang)
    return alt.layer(bars, text).properties(width="container", height=28 * len(data),
                                            title=alt.Title(f"{indicator.title}, {when}", anchor="start", fontSize=14))
