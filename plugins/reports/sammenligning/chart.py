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

import altair as alt
import pandas as pd

import lisite
from lisite import charts, fmt

WIDTH = 390  # with the axis and the labels beside the lines the chart stays within the page column (46rem), unscaled
DARK_GREY = "#4d4d4d"
LIGHT = "#c4c4c4"


def _series(c) -> pd.DataFrame:
    rows = []
    group, national = c.t("sammenligning.group_label"), c.t("sammenligning.national_label")
    for year in c.years:
        for name, value, role in ((c.name, c.own_value[year], "own"), (group, c.group_value[year], "group"),
                                  (national, c.national_value[year], "national")):
            rows.append({"aar": year, "dato": f"{year}-01-01", "serie": name, "role": role, "value": c.r(value)})
    return pd.DataFrame(rows)


def _label_positions(last: pd.DataFrame, span: float) -> pd.DataFrame:
    """Push direct labels apart vertically so they never overlap (at least 7 % of the y range)."""
    last = last.sort_values("value").copy()
    gap = span * 0.07 if span > 0 else 1.0
    placed: list[float] = []
    for value in last["value"]:
        placed.append(max(value, placed[-1] + gap) if placed else value)
    last["label_y"] = [round(y, 3) for y in placed]
    return last


def over_time(c, title: str) -> alt.LayerChart:
    data = _series(c)
    unit_format = charts.NUMBER_FORMAT[c.unit]
    values = list(data["value"]) + ([c.target] if c.target is not None else [])
    span = max(values) - min(0, min(values))  # the y axis starts at zero
    x = alt.X("dato:T", title=None, axis=alt.Axis(format="%Y", labelAngle=0, tickCount={"interval": "year", "step": 1}))
    y = alt.Y("value:Q", title=fmt.unit_label(c.unit, c.lang), axis=alt.Axis(format=unit_format),
              scale=alt.Scale(zero=True))
    roles = ["own", "group", "national"]
    colour = alt.Color("role:N", scale=alt.Scale(domain=roles, range=[charts.OWN, DARK_GREY, DARK_GREY]), legend=None)
    dash = alt.StrokeDash("role:N", scale=alt.Scale(domain=roles, range=[[1, 0], [7, 4], [2, 3]]), legend=None)
    tooltip = [alt.Tooltip("serie:N", title=c.t("sammenligning.who")), alt.Tooltip("aar:O", title=c.t("sammenligning.year")),
               alt.Tooltip("value:Q", title=c.t("value"), format=unit_format)]
    lines = [alt.Chart(rows).mark_line(point=True, strokeWidth=width).encode(
        x=x, y=y, color=colour, strokeDash=dash, detail="serie:N", tooltip=tooltip)
        for rows, width in ((data[data["role"] != "own"], 2), (data[data["role"] == "own"], 4))]
    last = _label_positions(data[data["aar"] == c.latest], span)
    last["label"] = [f"{s}: {fmt.value(v, c.unit, c.lang)}" for s, v in zip(last["serie"], last["value"])]
    layers = list(lines)
    for rows, weight in ((last[last["role"] == "own"], "bold"), (last[last["role"] != "own"], "normal")):
        layers.append(alt.Chart(rows).mark_text(align="left", dx=8, fontSize=12, fontWeight=weight).encode(
            x="dato:T", y="label_y:Q", text="label:N", color=colour))
    if c.target is not None:
        target = round(c.target, fmt.digits(c.unit))
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [f"{c.t('target')}: {fmt.value(target, c.unit, c.lang)}"]}))
        layers.append(rule.mark_rule(color=charts.TARGET, strokeDash=[6, 4], strokeWidth=2).encode(y="target:Q"))
        layers.append(rule.mark_text(align="left", baseline="bottom", dy=-3, x=2, color=charts.TARGET, fontSize=11)
                      .encode(y="target:Q", text="label:N"))
    return alt.layer(*layers).properties(width=WIDTH, height=240, title=alt.Title(title, anchor="start", fontSize=14))


def latest_bars(c) -> alt.LayerChart:
    data = c.members[c.members["aar"] == c.latest].sort_values(["value", "kommune"], ascending=[False, True]).copy()
    data["value"] = [c.r(v) for v in data["value"]]  # ordered by the unrounded figures, shown rounded
    data["own"] = data["kommunekode"] == c.code
    data["label"] = [fmt.value(v, c.unit, c.lang) for v in data["value"]]
    order = list(data["kommune"])
    unit_format = charts.NUMBER_FORMAT[c.unit]
    # the own name is passed as data (a oneOf predicate), never spliced into an expression string
    own_label = alt.FieldOneOfPredicate(field="value", oneOf=sorted(set(data.loc[data["own"], "kommune"])))
    y = alt.Y("kommune:N", sort=order, title=None, axis=alt.Axis(
        labelFontWeight=alt.condition(own_label, alt.value("bold"), alt.value("normal")), labelFontSize=12))
    x = alt.X("value:Q", title=fmt.unit_label(c.unit, c.lang), axis=alt.Axis(format=unit_format))
    bars = alt.Chart(data).mark_bar(height=14).encode(
        x=x, y=y, color=alt.condition(alt.datum.own, alt.value(charts.OWN), alt.value(LIGHT)),
        tooltip=[alt.Tooltip("kommune:N", title=c.t("sammenligning.municipality")),
                 alt.Tooltip("value:Q", title=c.t("value"), format=unit_format)])
    text = [alt.Chart(rows).mark_text(align="left", dx=4, fontSize=11, fontWeight=weight).encode(
        x="value:Q", y=alt.Y("kommune:N", sort=order), text="label:N")
        for rows, weight in ((data[data["own"]], "bold"), (data[~data["own"]], "normal"))]
    national = c.r(c.national_value[c.latest])
    rule_data = pd.DataFrame({"value": [national], "label": [f"{c.t('sammenligning.national_label')}: {fmt.value(national, c.unit, c.lang)}"]})
    rule = alt.Chart(rule_data).mark_rule(color=DARK_GREY, strokeDash=[2, 3], strokeWidth=2).encode(x="value:Q")
    rule_text = alt.Chart(rule_data).mark_text(align="left", dx=4, baseline="top", y=-14, fontSize=11, color=DARK_GREY).encode(
        x="value:Q", text="label:N")
    return alt.layer(bars, *text, rule, rule_text).properties(
        width=WIDTH - 100, height=alt.Step(20),
        title=alt.Title(c.t("sammenligning.bars_title", year=c.latest), anchor="start", fontSize=14))


def comparison_chart(c, title: str) -> alt.VConcatChart:
    return alt.vconcat(over_time(c, title), latest_bars(c), spacing=28)


def small_multiples(c, title: str) -> alt.FacetChart:
    """One panel per municipality in the group, own first, each with the country as a dotted line."""
    order = [c.name] + [n for code, n in zip(c.group.table["kommunekode"], c.group.table["kommune"]) if code != c.code]
    members = c.members[c.members["aar"].isin(c.years)]
    rows = [{"kommune": k, "dato": f"{y}-01-01", "value": c.r(v), "role": "own" if code == c.code else "member"}
            for k, y, v, code in zip(members["kommune"], members["aar"], members["value"], members["kommunekode"])]
    rows += [{"kommune": k, "dato": f"{y}-01-01", "value": c.r(c.national_value[y]), "role": "national"}
             for k in order for y in c.years]
    data = pd.DataFrame(rows)
    roles = ["own", "member", "national"]
    base = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=14)).encode(
        x=alt.X("dato:T", title=None, axis=alt.Axis(format="%y", labelAngle=0, tickCount={"interval": "year", "step": 2})),
        y=alt.Y("value:Q", title=None, axis=alt.Axis(format=charts.NUMBER_FORMAT[c.unit], tickCount=4),
                scale=alt.Scale(zero=True)),
        color=alt.Color("role:N", scale=alt.Scale(domain=roles, range=[charts.OWN, DARK_GREY, "#9a9a9a"]), legend=None),
        strokeDash=alt.StrokeDash("role:N", scale=alt.Scale(domain=roles, range=[[1, 0], [1, 0], [2, 3]]), legend=None),
        detail="role:N",
        tooltip=[alt.Tooltip("kommune:N", title=c.t("sammenligning.municipality")),
                 alt.Tooltip("dato:T", title=c.t("sammenligning.year"), format="%Y"),
                 alt.Tooltip("value:Q", title=c.t("value"), format=charts.NUMBER_FORMAT[c.unit])],
    ).properties(width=150, height=90)
    return alt.layer(base, data=data).facet(
        facet=alt.Facet("kommune:N", sort=order, title=None, header=alt.Header(labelFontSize=12, labelFontWeight="bold")),
        columns=4,
    ).properties(title=alt.Title(title, anchor="start", fontSize=14,
                                 subtitle=c.t("sammenligning.multiples_subtitle", name=c.name)))


def multiples_table(c, caption: str):
    """The small multiples' numbers as a table: each municipality in the group per year, own first, then the country."""
    order = [c.name] + [n for code, n in zip(c.group.table["kommunekode"], c.group.table["kommune"]) if code != c.code]
    members = c.members[c.members["aar"].isin(c.years)]
    shown = {(k, int(y)): c.show(v) for k, y, v in zip(members["kommune"], members["aar"], members["value"]) if pd.notna(v)}
    first = c.t("sammenligning.municipality")
    rows = [{first: k, **{str(y): shown.get((k, y), "") for y in c.years}} for k in order]
    rows.append({first: c.t("sammenligning.table_country"), **{str(y): c.show(c.national_value[y]) for y in c.years}})
    return lisite.Table(pd.DataFrame(rows), caption=caption)
