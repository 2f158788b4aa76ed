"""The funnel plot: the municipality against every municipality in the country, and its verdict in words.

Each municipality is a point: x = the size of its denominator (children aged
0-17, children in care, ...) on a log scale, y = its figure. Around the
national figure run the 95 % and 99.8 % limits of :mod:`lisite.funnel`, wide
for small municipalities and narrow for large ones, widened for the real
differences between municipalities (over-dispersion, Spiegelhalter's method).
The municipality and its comparison group are marked by shape as well as
colour, so the chart reads without colour; the alt text says what it shows.

:func:`national_sentence` gives the comparison text's sentence on the country
from the funnel's verdict: within normal variation, or beyond the inner or
the outer limit, said plainly with the limits for the municipality's size.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

import lisite.funnel as funnel
from lisite import charts, fmt

WIDTH = 560
DARK_GREY = "#4d4d4d"
LIGHT = "#b8b8b8"
K = "sammenligning.funnel."


def verdict(c) -> tuple[str, tuple[float, float], tuple[float, float]] | None:
    """(verdict, 95 % limits, 99.8 % limits) for the municipality's latest figure (unrounded, at its own
    denominator), or ``None`` without a funnel."""
    if c.funnel is None or c.everyone is None:
        return None
    own = c.everyone[c.everyone["kommunekode"] == c.code]
    if own.empty or not own["denominator"].iloc[0] > 0:
        return None
    value, n = float(own["value"].iloc[0]), float(own["denominator"].iloc[0])
    inner, outer = (c.funnel.limits(n, level) for level in funnel.LEVELS)
    return c.funnel.verdict(value, n), inner, outer


def national_key(c) -> str:
    """The catalogue key of the sentence naming the national figure: "weighted by the number of children" only
    where the figure is divided by the children aged 0-17; a share of something else is all municipalities together."""
    if c.method == "weighted" and c.entry is not None and c.entry.denominator not in ("", "boern_0_17"):
        return "catalogue.national_together"
    return f"national_is.{c.method}"


def national_sentence(c, gap: float) -> str | None:
    """The sentence on the country from the funnel's verdict (``gap`` = own - national, as shown), or ``None``."""
    found = verdict(c)
    if found is None:
        return None
    said, (low, high), (far_low, far_high) = found
    side = "higher" if gap > 0 else "lower"
    if said == "inside":
        key = f"inside_{side}"
    else:
        key = said  # above, below, far_above, far_below: the direction is in the verdict
    return c.t(K + key, name=c.name, gap=fmt.difference(abs(gap), c.unit, c.lang), low=c.show(low), high=c.show(high),
               far_low=c.show(far_low), far_high=c.show(far_high))


def summary_rows(c) -> list[list[str]]:
    """The limits for the municipality's size, for the comparison's summary table."""
    found = verdict(c)
    if found is None:
        return []
    _, (low, high), (far_low, far_high) = found
    return [[c.t(K + "summary_inner"), c.t(K + "range", low=c.show(low), high=c.show(high))],
            [c.t(K + "summary_outer"), c.t(K + "range", low=c.show(far_low), high=c.show(far_high))]]


def _points(c, others: str, group: str) -> pd.DataFrame:
    data = c.everyone.copy()
    members = set(c.group.codes)
    data["role"] = [c.name if k == c.code else group if k in members else others for k in data["kommunekode"]]
    data["n"] = data["denominator"]
    data["label"] = [c.show(v) for v in data["value"]]
    order = {others: 0, group: 1, c.name: 2}  # the own point drawn last, on top
    return data.sort_values("role", key=lambda s: s.map(order)).reset_index(drop=True)


def chart(c, title: str, size_words: str) -> alt.LayerChart:
    """The funnel plot for the latest year; ``size_words`` names the x axis (e.g. "children aged 0-17")."""
    t = c.t
    others, group = t(K + "others"), t(K + "group")
    data = _points(c, others, group)
    low, high = float(data["n"].min()) * 0.8, float(data["n"].max()) * 1.25
    curve = pd.DataFrame(funnel.curve(c.funnel, low, high))
    lines = pd.concat([curve.assign(side="low", y=curve["low"]), curve.assign(side="high", y=curve["high"])])
    lines["limit"] = [t(K + ("limit_inner" if level == funnel.LEVELS[0] else "limit_outer")) for level in lines["level"]]
    unit_format = charts.NUMBER_FORMAT[c.unit]
    x = alt.X("n:Q", title=t(K + "x_title", what=size_words), scale=alt.Scale(type="log", domain=[low, high], nice=False),
              axis=alt.Axis(format=",.0f", tickCount=6))
    y = alt.Y("y:Q", title=fmt.unit_label(c.unit, c.lang), axis=alt.Axis(format=unit_format), scale=alt.Scale(zero=True))
    limits = [t(K + "limit_inner"), t(K + "limit_outer")]
    drawn = alt.Chart(lines).mark_line(color=DARK_GREY, strokeWidth=1.3).encode(
        x=x, y=y, detail="side:N",
        strokeDash=alt.StrokeDash("limit:N", scale=alt.Scale(domain=limits, range=[[6, 3], [2, 2]]),
                                  legend=alt.Legend(title=None, orient="bottom", direction="vertical", labelLimit=260)))
    national = pd.DataFrame({"y": [c.funnel.target], "label": [t(K + "national", value=c.show(c.funnel.target))]})
    rule = alt.Chart(national).mark_rule(color=DARK_GREY, strokeWidth=1.5).encode(y="y:Q")
    rule_text = alt.Chart(national).mark_text(align="right", baseline="bottom", dy=-3, x=WIDTH, fontSize=11,
                                              color=DARK_GREY).encode(y="y:Q", text="label:N")
    roles = [c.name, group, others]
    points = alt.Chart(data).mark_point(filled=True, opacity=0.9).encode(
        x="n:Q", y=alt.Y("value:Q"),
        color=alt.Color("role:N", scale=alt.Scale(domain=roles, range=[charts.OWN, DARK_GREY, LIGHT]),
                        legend=alt.Legend(title=None, orient="bottom", direction="vertical", labelLimit=260)),
        shape=alt.Shape("role:N", scale=alt.Scale(domain=roles, range=["diamond", "square", "circle"]), legend=None),
        size=alt.Size("role:N", scale=alt.Scale(domain=roles, range=[180, 60, 30]), legend=None),
        tooltip=[alt.Tooltip("kommune:N", title=t("sammenligning.municipality")),
                 alt.Tooltip("n:Q", title=t(K + "x_short", what=size_words), format=",.0f"),
                 alt.Tooltip("value:Q", title=t("value"), format=unit_format)])
    own = data[data["role"] == c.name].assign(text=lambda f: f["kommune"] + ": " + f["label"])
    own_text = alt.Chart(own).mark_text(align="left", dx=9, dy=-9, fontSize=12, fontWeight="bold", color=charts.OWN).encode(
        x="n:Q", y="value:Q", text="text:N")
    return alt.layer(drawn, rule, rule_text, points, own_text).properties(
        width=WIDTH, height=300, title=alt.Title(title, anchor="start", fontSize=14))


def part(c, indicator, size_words: str) -> dict | None:
    """The funnel part below the comparison, or ``None`` when the figure has no model of random variation."""
    found = verdict(c)
    if found is None:
        return None
    t = c.t
    said = national_sentence(c, c.r(c.own_value[c.latest] - c.national_value[c.latest])) or ""
    # phi compares variances; the typical difference (a standard deviation) is sqrt(phi) times as large
    adjusted = t(K + "adjusted", ratio=fmt.number(c.funnel.phi ** 0.5, 1, c.lang)) if c.funnel.tau2 > 0 else t(K + "plain")
    return {
        "kind": "funnel",
        "heading": t(K + "heading", year=c.latest),
        "chart": chart(c, t(K + "title", title=indicator.title, year=c.latest), size_words),
        "description": t(K + "description", title=indicator.title.lower(), count=len(c.everyone), year=c.latest,
                         what=size_words, national=c.show(c.funnel.target), name=c.name, verdict=said),
        "how": t(K + "how", what=size_words),
        "adjusted": adjusted,
        "no_script": t(K + "no_script"),  # its numbers are the download below (98 rows would lengthen the page)
        "table": table(c, t(K + "title", title=indicator.title, year=c.latest), size_words),
    }


def table(c, caption: str, size_words: str) -> dict:
    """The funnel's points as a table: every municipality's figure and size, and whether it is the own or in the group.

    It is the chart's numbers to download (98 rows would make the page and its print much longer)."""
    t = c.t
    data = c.everyone.sort_values("kommunekode", kind="stable")
    members = set(c.group.codes)
    roles = {c.code: c.name}
    heads = [t("sammenligning.municipality"), t(K + "x_short", what=size_words), t("value"), t(K + "role")]
    rows = [[name, fmt.number(n, 0, c.lang), c.show(value) if pd.notna(value) else "",
             roles.get(code) or (t(K + "group") if code in members else t(K + "others"))]
            for code, name, n, value in zip(data["kommunekode"], data["kommune"], data["denominator"], data["value"])]
    return {"caption": caption, "heads": heads, "rows": rows}
