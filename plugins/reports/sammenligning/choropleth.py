"""A map of the 98 municipalities, each coloured by its latest figure, the own municipality and its group outlined.

The boundaries are the simplified DAGI file this plugin ships (``static/kommuner.js``, see ``MAP_DATA.md``
and ``scripts/make_map.py``): a static file written once into each audience's site under
``assets/sammenligning/`` and loaded only by pages with a map. The chart names it as browser data
(:func:`lisite.charts.browser_data`), so the boundaries are not repeated in every page: the spec carries
only the 98 figures, and the page shows the same figures as a table for readers without JavaScript.

The colours are five classes of ColorBrewer's YlGnBu (safe for colour-blind readers and in grey print),
cut at the quintiles of the figures as shown (rounded), so a legend's ``4,5–6,0`` holds exactly the shown
values from 4,5 to 6,0. A municipality without a published figure is grey, with its own legend entry. Every
label (classes, values, names) is written here in the site's language: Vega only draws it.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pandas as pd

from lisite import charts, fmt

FILE = Path(__file__).resolve().parent / "static" / "kommuner.js"
ASSET = "sammenligning/kommuner.js"  # where the engine publishes the file: assets/<plugin>/<file>
DATASET = "kommuner"
COLOURS = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
MISSING = "#bdbdbd"
OWN_STROKE, GROUP_STROKE = "#000000", "#d95f02"
WIDTH, HEIGHT = 600, 470
K = "sammenligning.map."


def read_topology(path: Path = FILE) -> dict:
    """The TopoJSON in the shipped script (``window.lisiteData.kommuner = {...};``)."""
    return charts.browser_dataset(path.read_text(encoding="utf-8"), DATASET)


@functools.lru_cache(maxsize=1)
def municipalities() -> dict[int, str]:
    """kommunekode -> name of every municipality on the map."""
    return {int(g["id"]): g["properties"]["navn"] for g in read_topology()["objects"][DATASET]["geometries"]}


def classes(values: list[float]) -> list[tuple[float, float]]:
    """At most five (lowest, highest) classes of the (rounded) ``values``, cut at their quintiles; equal values
    always fall in the same class."""
    shown = sorted(values)
    if not shown:
        return []
    cuts = sorted({shown[min(len(shown) - 1, math.ceil(k * len(shown) / len(COLOURS)))] for k in range(1, len(COLOURS))})
    bounds = [shown[0] - 1, *(c for c in cuts if c > shown[0]), math.inf]
    found = []
    for low, high in zip(bounds, bounds[1:]):
        inside = [v for v in shown if low <= v < high]
        if inside:
            found.append((inside[0], inside[-1]))
    return found


def rows(c) -> pd.DataFrame:
    """Every municipality on the map with its latest figure (rounded as shown), class label and role, highest first."""
    t = c.t
    digits = fmt.digits(c.unit)
    known = {int(k): (n, c.r(v)) for k, n, v in zip(c.everyone["kommunekode"], c.everyone["kommune"], c.everyone["value"]) if pd.notna(v)}
    found = classes([v for _, v in known.values()])
    label = {span: _span(span, digits, c.lang) for span in found}
    members = set(c.group.codes)
    out = []
    for code, map_name in municipalities().items():
        name, value = known.get(code, (map_name, None))
        span = next((s for s in found if value is not None and s[0] <= value <= s[1]), None)
        role = "own" if code == c.code else "group" if code in members else "other"
        out.append({"kode": code, "kommune": name, "value": value, "rolle": role,
                    "klasse": label[span] if span else t(K + "missing"),
                    "tekst": c.show(value) if value is not None else t(K + "missing")})
    frame = pd.DataFrame(out)
    frame["sort"] = frame["value"].fillna(-math.inf)
    return frame.sort_values(["sort", "kommune"], ascending=[False, True]).drop(columns="sort").reset_index(drop=True)


def _span(span: tuple[float, float], digits: int, lang: str) -> str:
    low, high = (fmt.number(v, digits, lang) for v in span)
    return low if low == high else f"{low}–{high}"


def spec(c, title: str, data: pd.DataFrame) -> dict:
    """The choropleth as a Vega-Lite spec whose boundaries come from the browser (``usermeta``)."""
    t = c.t
    labels = list(dict.fromkeys(data.loc[data["value"].notna()].sort_values("value")["klasse"]))
    missing = [t(K + "missing")] if data["value"].isna().any() else []  # grey, named in the legend only when used
    colours = COLOURS[: len(labels)]
    if len(labels) < len(COLOURS):  # fewer classes: spread them over the whole scale
        colours = [COLOURS[round(i * (len(COLOURS) - 1) / max(1, len(labels) - 1))] for i in range(len(labels))]
    domain, colours = labels + missing, colours + [MISSING] * len(missing)
    own_label, group_label = t(K + "own", name=c.name), t(K + "group")
    roles = {"own": {"rolle": own_label}, "group": {"rolle": group_label}}  # the others have none (no outline)
    values = [{"kode": int(r.kode), "kommune": r.kommune, "klasse": r.klasse, "tekst": r.tekst, **roles.get(r.rolle, {})}
              for r in data.itertuples()]
    tooltip = [{"field": "kommune", "type": "nominal", "title": t("sammenligning.municipality")},
               {"field": "tekst", "type": "nominal", "title": t("value")}]
    outline = {"field": "rolle", "type": "nominal",
               "scale": {"domain": [own_label, group_label], "range": [OWN_STROKE, GROUP_STROKE]},
               "legend": {"title": t(K + "outline_title"), "orient": "top-right", "symbolType": "square",
                          "symbolFillColor": "#ffffff", "symbolStrokeWidth": 2.5, "labelLimit": 220}}
    width = {"field": "rolle", "type": "nominal", "scale": {"domain": [own_label, group_label], "range": [3.2, 2]}, "legend": None}
    layers = [{"mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.6},
               "encoding": {"fill": {"field": "klasse", "type": "nominal", "scale": {"domain": domain, "range": colours},
                                     "legend": {"title": fmt.unit_label(c.unit, c.lang).capitalize(), "orient": "top-right",
                                                "symbolType": "square", "labelLimit": 220}},
                            "tooltip": tooltip}}]
    for role in (group_label, own_label):  # the own outline drawn last, on top
        layers.append({"transform": [{"filter": {"field": "rolle", "equal": role}}],
                       "mark": {"type": "geoshape", "filled": False},
                       "encoding": {"stroke": outline, "strokeWidth": width, "tooltip": tooltip}})
    return {
        "usermeta": {"lisite": {"datasets": {DATASET: ASSET}}},
        "data": {"name": DATASET, "format": {"type": "topojson", "feature": DATASET}},
        "transform": [{"lookup": "id", "from": {"data": {"values": values}, "key": "kode",
                                                "fields": ["kommune", "klasse", "tekst", "rolle"]}}],
        "projection": {"type": "transverseMercator", "rotate": [-10.5, -56.0]},
        "width": WIDTH, "height": HEIGHT,
        "title": {"text": title, "anchor": "start", "fontSize": 14, "subtitle": headline(c)},
        "layer": layers,
    }


def headline(c) -> str:
    """Own, group and country in the latest year, as the comparison text says them."""
    year = c.latest
    return c.t(K + "headline", name=c.name, own=c.show(c.own_value[year]), group=c.show(c.group_value[year]),
               national=c.show(c.national_value[year]))


def table(c, data: pd.DataFrame, caption: str) -> dict:
    """The map's figures as a table: every municipality, highest first, the own and the group marked in words
    (and in bold), the country last."""
    t = c.t
    roles = {"own": t(K + "role_own"), "group": t(K + "role_group"), "other": ""}
    heads = [t("sammenligning.municipality"), t("value"), t(K + "role")]
    body = [[r.kommune, r.tekst, roles[r.rolle]] for r in data.itertuples()]
    body.append([t("sammenligning.national_label"), c.show(c.national_value[c.latest]), ""])
    return {"caption": caption, "heads": heads, "rows": body, "marked": [r != "other" for r in data["rolle"]] + [True]}


def part(c, indicator) -> dict | None:
    """The map part below the funnel plot (or the comparison, for an amount), or ``None`` without figures."""
    if c.everyone is None or c.everyone.empty:
        return None
    t = c.t
    data = rows(c)
    title = t(K + "title", title=indicator.title, year=c.latest)
    shown = int(data["value"].notna().sum())
    return {
        "kind": "map",
        "heading": t(K + "heading", year=c.latest),
        "chart": spec(c, title, data),
        "description": t(K + "description", title=indicator.title.lower(), year=c.latest, count=len(data),
                         shown=shown, headline=headline(c)),
        "no_script": t(K + "no_script"),
        "credit": t(K + "credit"),
        "table": table(c, data, title),
    }
