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


POINTS = 60  # per limit: a smooth curve at the chart's width; more only adds bytes
DIGITS = 4  # significant digits of the drawn curves and points: finer than a pixel


def _round(value: float) -> float:
    """``value`` to :data:`DIGITS` significant digits (a position on the chart, never a figure read as text)."""
    return float(f"{value:.{DIGITS}g}")


def _points(c, others: str, group: str) -> list[dict]:
    """Every municipality: name, size, figure (rounded for drawing) and the figure as the site shows it, own last."""
    members = set(c.group.codes)
    rows = [{"kommune": name, "n": round(float(n)), "value": _round(v), "label": c.show(v),
             "role": c.name if code == c.code else group if code in members else others}
            for code, name, n, v in zip(c.everyone["kommunekode"], c.everyone["kommune"], c.everyone["denominator"], c.everyone["value"])]
    order = {others: 0, group: 1, c.name: 2}  # the own point drawn last, on top
    return sorted(rows, key=lambda row: order[row["role"]])


def _limits(c, low: float, high: float) -> list[dict]:
    """The four limit curves on one log-spaced grid: one row per size, a column per curve (folded in the spec)."""
    grid = funnel.curve(c.funnel, low, high, POINTS)
    inner, outer = grid[:POINTS], grid[POINTS:]
    return [{"n": _round(a["n"]), "inner_low": _round(a["low"]), "inner_high": _round(a["high"]),
             "outer_low": _round(b["low"]), "outer_high": _round(b["high"])} for a, b in zip(inner, outer)]


def chart(c, title: str, size_words: str) -> dict:
    """The funnel plot for the latest year; ``size_words`` names the x axis (e.g. "children aged 0-17")."""
    t = c.t
    others, group = t(K + "others"), t(K + "group")
    data = _points(c, others, group)
    low, high = float(min(c.everyone["denominator"])) * 0.8, float(max(c.everyone["denominator"])) * 1.25
    unit_format = charts.NUMBER_FORMAT[c.unit]
    x = {"field": "n", "type": "quantitative", "title": t(K + "x_title", what=size_words),
         "scale": {"type": "log", "domain": [_round(low), _round(high)], "nice": False}, "axis": {"format": ",.0f", "tickCount": 6}}
    y = {"field": "y", "type": "quantitative", "title": fmt.unit_label(c.unit, c.lang), "axis": charts.number_axis(unit_format),
         "scale": {"zero": True}}
    limits = [t(K + "limit_inner"), t(K + "limit_outer")]
    curves = ["inner_low", "inner_high", "outer_low", "outer_high"]
    named = [{"curve": curve, "limit": limits[0] if curve.startswith("inner") else limits[1]} for curve in curves]
    legend = {"title": None, "orient": "bottom", "direction": "vertical", "labelLimit": 260}
    drawn = {"data": {"name": "limits"},
             "transform": [{"fold": curves, "as": ["curve", "y"]},
                           {"lookup": "curve", "from": {"data": {"values": named}, "key": "curve", "fields": ["limit"]}}],
             "mark": {"type": "line", "color": DARK_GREY, "strokeWidth": 1.3},
             "encoding": {"x": x, "y": y, "detail": {"field": "curve", "type": "nominal"},
                          "strokeDash": {"field": "limit", "type": "nominal", "scale": {"domain": limits, "range": [[6, 3], [2, 2]]},
                                         "legend": legend}}}
    national = {"values": [{"y": _round(c.funnel.target), "label": t(K + "national", value=c.show(c.funnel.target))}]}
    rule = {"data": national, "mark": {"type": "rule", "color": DARK_GREY, "strokeWidth": 1.5},
            "encoding": {"y": {"field": "y", "type": "quantitative"}}}
    rule_text = {"data": national, "mark": {"type": "text", "align": "right", "baseline": "bottom", "dy": -3, "x": WIDTH, "fontSize": 11,
                                            "color": DARK_GREY},
                 "encoding": {"y": {"field": "y", "type": "quantitative"}, "text": {"field": "label", "type": "nominal"}}}
    roles = [c.name, group, others]
    points = {"data": {"name": "points"}, "mark": {"type": "point", "filled": True, "opacity": 0.9}, "encoding": {
        "x": {"field": "n", "type": "quantitative"}, "y": {"field": "value", "type": "quantitative"},
        "color": {"field": "role", "type": "nominal", "scale": {"domain": roles, "range": [charts.OWN, DARK_GREY, LIGHT]}, "legend": legend},
        "shape": {"field": "role", "type": "nominal", "scale": {"domain": roles, "range": ["diamond", "square", "circle"]}, "legend": None},
        "size": {"field": "role", "type": "nominal", "scale": {"domain": roles, "range": [180, 60, 30]}, "legend": None},
        "tooltip": [{"field": "kommune", "type": "nominal", "title": t("sammenligning.municipality")},
                    {"field": "n", "type": "quantitative", "title": t(K + "x_short", what=size_words), "format": ",.0f"},
                    {"field": "label", "type": "nominal", "title": t("value")}]}}
    own = [{**row, "text": f"{row['kommune']}: {row['label']}"} for row in data if row["role"] == c.name]
    own_text = {"data": {"values": own}, "mark": {"type": "text", "align": "left", "dx": 9, "dy": -9, "fontSize": 12, "fontWeight": "bold",
                                                   "color": charts.OWN},
                "encoding": {"x": {"field": "n", "type": "quantitative"}, "y": {"field": "value", "type": "quantitative"},
                             "text": {"field": "text", "type": "nominal"}}}
    return {"layer": [drawn, rule, rule_text, points, own_text], "width": WIDTH, "height": 300,
            "title": {"text": title, "anchor": "start", "fontSize": 14},
            "datasets": {"limits": _limits(c, low, high), "points": data}}


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
