"""Charts as Vega-Lite specs: the engine's default views, specs for embedding, and SVG for the PDF pack.

A page names each chart's Vega-Lite spec, which lives in a script file of the audience site shared
between pages (``charts/<key>.js``, :mod:`lisite.chartfiles`; a script so pages work from ``file://``);
the browser draws it with the Vega bundle the default theme ships (``vega.js``, written by
``scripts/make_vega_bundle.py``), and its print shows what Vega drew. A page carries no static
drawing: readers without JavaScript get a short note and the chart's table. The PDF meeting pack
draws each chart as SVG on demand (:class:`SvgRenderer`, cached on disk by the hash of the spec).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import math
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lisite import fmt
from lisite.chartfiles import chart_key, chart_path, chart_script, page_specs, script_spec, specs_in  # noqa: F401  (lisite.charts.page_specs …)
from lisite.legible import MIN_FONT, TITLE_CHARACTERS, legible, title_lines  # noqa: F401  (lisite.charts.MIN_FONT …)
from lisite.model import SHOWN_UNITS
from lisite.sparkline import sparkline  # noqa: F401  (lisite.charts.sparkline: a tile's trend line as inline SVG)

OWN = "#0b5394"  # the municipality's own line
GREY = "#8a8a8a"
TARGET = "#b45f06"
#: Marks of special-cause months on a process chart (the colours of NHS England's "Making Data Count":
#: blue for an improvement, orange for a concern, purple where neither direction is better)
SPECIAL = {"improving": "#2c7fb8", "worrying": "#e66101", "neutral": "#7b3294"}
BAND = "#9e9e9e"
#: Altair's default view size, written in every spec it makes (a chart with a width and a height never uses it)
ALTAIR_VIEW = {"continuousWidth": 300, "continuousHeight": 300}
PALETTE = ["#0b5394", "#b45f06", "#38761d", "#741b47", "#5b5b5b", "#a61c00", "#134f5c", "#7f6000", "#351c75", "#4c1130"]

FORMAT_LOCALE = {
    "da": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["DKK ", ""]},
}
TIME_LOCALE = {
    "da": {
        "dateTime": "%A den %d. %B %Y %X",
        "date": "%d-%m-%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": fmt.MONTHS["da"],
        "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    },
    "en": {
        "dateTime": "%a %e %b %X %Y",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": fmt.MONTHS["en"],
        "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    },
}


def vega_locale(lang: str) -> str:
    """The number and time locale for Vega in ``lang``, as JSON for the page (read by lisite.js)."""
    return spec_json({"format": FORMAT_LOCALE[lang], "time": TIME_LOCALE[lang]})


#: d3 number formats by unit, from the one definition of units
NUMBER_FORMAT = {name: unit.chart_format for name, unit in SHOWN_UNITS.items()}


def narrow_axis(y: dict[str, Any], heights: list[float], most: int = 5) -> dict[str, Any]:
    """``y`` (an encoding with :func:`number_axis`) for a chart whose ``heights`` lie within a few steps of the axis'
    last decimal (Samsø's 9 or 10 caseworkers, limits 9,5–10,2): those steps as the ticks, and the axis from the
    first to the last of them. Left to itself the axis puts ticks half a step apart however few there are, and
    writes them alike ("9, 10, 10"); wider charts are as before."""
    step = y["axis"].get("tickMinStep")
    heights = [float(h) for h in heights if h is not None and math.isfinite(float(h))]
    if not step or not heights:
        return y
    low, high = math.floor(min(heights) / step + 1e-9), math.ceil(max(heights) / step - 1e-9)
    if high == low:  # one height: a step either side
        low, high = low - 1, high + 1
    if high - low + 1 > most:
        return y
    ticks = [round(i * step, 10) for i in range(low, high + 1)]
    return {**y, "scale": {**y.get("scale", {}), "domain": [ticks[0], ticks[-1]], "nice": False},
            "axis": {**y["axis"], "values": ticks}}


def number_axis(number: str, **more: Any) -> dict[str, Any]:
    """A quantitative axis whose labels are written with the d3 format ``number`` (``",.1f"``): its ticks are never
    closer than the format's last decimal, so no two labels read the same ("9, 9, 9, 10" of a count from 9 to 10)."""
    decimals = re.fullmatch(r",?\.(\d+)f", number)
    return {"format": number, **({"tickMinStep": 10.0 ** -int(decimals[1])} if decimals else {}), **more}


CONFIG = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#333", "titleColor": "#333", "gridColor": "#e6e6e6"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    "header": {"labelFontSize": 12, "titleFontSize": 12},
    "title": {"fontSize": 14, "subtitleFontSize": 12},
    "text": {"fontSize": MIN_FONT},
    "view": {"stroke": None},
    "range": {"category": PALETTE},
}


def period_date(period: str) -> str:
    """A period as the ISO date of its first day, for a temporal axis."""
    if len(period) == 7 and period[4] == "-":
        return f"{period}-01"
    if len(period) == 4:
        return f"{period}-01-01"
    if len(period) == 6 and period[4] in "KQ":
        return f"{period[:4]}-{(int(period[5]) - 1) * 3 + 1:02d}-01"
    return period


def time_axis(periods: pd.Series) -> dict[str, Any]:
    """An axis with one tick per month or year, thinned to at most eight labels."""
    first = str(periods.iloc[0]) if len(periods) else ""
    count = periods.nunique()
    step = max(1, -(-count // 8))
    if len(first) == 4:
        return {"format": "%Y", "labelAngle": 0, "tickCount": {"interval": "year", "step": step}}
    if count > 8:
        step = max(3, -(-step // 3) * 3)
    return {"format": "%b %Y", "labelAngle": 0, "tickCount": {"interval": "month", "step": step}}


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts; missing values become null."""
    return [dict(zip(columns, row)) for row in zip(*(_plain(frame[c]) for c in columns))]


def _plain(column: pd.Series) -> list[Any]:
    """A column's values as Python values (``numpy.int64(3)`` as ``3``), a missing float as None: a column of
    numbers or booleans converted whole, any other value by value."""
    if column.dtype.kind in "biuf":
        values = column.tolist()
        return [None if v != v else v for v in values] if column.dtype.kind == "f" else values
    return [None if isinstance(v, float) and math.isnan(v) else (v.item() if hasattr(v, "item") else v) for v in column.tolist()]


def with_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` as Altair writes a chart, for a chart written as a dict: the same spec, byte for byte.

    The data of the chart and of each of its layers (a frame, or ``{"values": rows}``) move to the
    top-level ``"datasets"`` under a name made from their content (``data-`` and 32 hex digits of the
    SHA-256 of their JSON), and Altair's default view size is set (no chart with a width and height uses
    it). A frame's rows are written by :func:`frame_values`. Without Altair a build need not import it.
    """
    datasets: dict[str, Any] = dict(spec.get("datasets") or {})

    def named(data: Any) -> Any:
        if isinstance(data, pd.DataFrame):
            data = {"values": frame_values(data)}
        if not isinstance(data, dict) or "values" not in data or "name" in data:
            return data
        values = data["values"]
        text = json.dumps(values, sort_keys=True, default=str)
        name = "empty" if values == [{}] else "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]
        datasets[name] = values
        return {"name": name, **{key: value for key, value in data.items() if key != "values"}}

    config = dict(spec.get("config") or {})
    config["view"] = {**ALTAIR_VIEW, **(config.get("view") or {})}
    out = {**spec, "config": config}
    if "data" in out:
        out["data"] = named(out["data"])
    if "layer" in out:
        out["layer"] = [{**layer, "data": named(layer["data"])} if "data" in layer else layer for layer in out["layer"]]
    if datasets:
        out["datasets"] = datasets
    return out


def category_bars(frame: pd.DataFrame, field: str, order: list[str], title: str, y_title: str, y_format: str,
                  value_title: str) -> dict[str, Any]:
    """One value per category (``field``) as bars in ``order``, each with its value above it: the age groups of a
    month, a year's goal attainment. ``frame`` holds ``field`` and ``value``; ``value_title`` names the value in the
    tooltip. A spec as :func:`with_datasets` writes it."""
    x = {"field": field, "type": "nominal", "sort": order, "title": None, "axis": {"labelAngle": 0}}
    value = {"field": "value", "type": "quantitative"}
    y = {**value, "title": y_title, "axis": number_axis(y_format)}
    bars = {"mark": {"type": "bar", "color": OWN},
            "encoding": {"x": x, "y": y, "tooltip": [{"field": field, "type": "nominal"}, {**value, "title": value_title}]}}
    text = {"mark": {"type": "text", "dy": -6, "fontSize": 11, "color": "#222"},
            "encoding": {"x": x, "y": value, "text": {**value, "format": ",.0f"}}}
    return with_datasets({"data": frame[[field, "value"]], "layer": [bars, text], "width": "container", "height": 260,
                          "title": {"text": title, "anchor": "start", "fontSize": 14}})


def frame_values(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as Altair writes a frame inline: every column in column order, the index left out,
    numbers as Python numbers, a missing value (and an infinite number) as None, a time as ISO text (a
    missing time as "")."""
    columns = {name: _altair_column(frame[name]) for name in frame.columns}
    return [dict(zip(columns, row)) for row in zip(*columns.values())]


def _altair_column(column: pd.Series) -> list[Any]:
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        values = column.tolist()
        return [v if math.isfinite(v) else None for v in values] if dtype.kind == "f" else values
    if dtype.kind == "M":
        return ["" if v is pd.NaT else v.isoformat() for v in column]
    missing = column.isna().tolist()
    return [None if gone else (v.item() if isinstance(v, np.generic) else v) for v, gone in zip(column.astype(object).tolist(), missing)]


def spread_labels(values: list[float], top: float, height: float = 260, line: float = 13) -> list[float]:
    """Heights for direct labels at the ends of lines, moved apart so no two overlap.

    The y axis runs from 0 to about ``top``; labels need ``line`` pixels of ``height``.
    Labels keep their order and move as little as possible (the highest value's label stays highest;
    of two equal values, the first).
    """
    if not values or not top or top != top:
        return list(values)
    gap = top * line / height
    order = sorted(range(len(values)), key=values.__getitem__, reverse=True)  # (a stable sort: equal values keep their order)
    placed: list[float] = []
    for i in order:
        placed.append(values[i] if not placed else min(values[i], placed[-1] - gap))
    # if the lowest fell below zero, push the stack up again
    shortfall = -min(placed) if min(placed) < 0 else 0.0
    placed = [p + shortfall for p in placed]
    for i in range(len(placed) - 2, -1, -1):
        placed[i] = max(placed[i], placed[i + 1] + gap)
    heights = [0.0] * len(values)
    for i, height_of in zip(order, placed):
        heights[i] = float(height_of)
    return heights


def series_order(column: pd.Series, color: str) -> Callable[[dict[str, Any]], Any]:
    """How rows are sorted by their series (``sort_values(color)``): by value, or a category's by its place among the categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        place = {value: i for i, value in enumerate(column.cat.categories.tolist())}
        return lambda row: place[row[color]]
    return lambda row: row[color]


def last_points(rows: list[dict[str, Any]], color: str) -> list[dict[str, Any]]:
    """Each series' last row with a value (the latest ``dato``; of two rows of the same date the one the rows'
    sort by date puts last, as ``sort_values("dato")`` and ``groupby(color).tail(1)`` find it), in the order of
    that sort; a row without a series (``None``) is left out."""
    shown = [row for row in rows if row["value"] is not None]
    dates = np.empty(len(shown), dtype=object)
    dates[:] = [row["dato"] for row in shown]
    by_date = dates.argsort(kind="quicksort")  # (pandas' own sort of a column of texts: ties fall as there)
    last: dict[Any, int] = {}
    for at, i in enumerate(by_date.tolist()):
        if shown[i][color] is not None:
            last[shown[i][color]] = at
    return [shown[by_date[at]] for at in sorted(last.values())]


def series_chart(
    frame: pd.DataFrame,
    unit: str,
    title: str,
    color: str = "",
    target: float | None = None,
    kind: str = "line",
    labels: dict[str, str] | None = None,
    lang: str = "da",
    colors: dict[str, str] | None = None,
    dashes: dict[str, list[int]] | None = None,
    y_title: str = "",
    process: Any = None,
    y_domain: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """A time series as a Vega-Lite spec: one line (or bar) per ``color`` value, direct labels.

    Built as a plain dict, not through Altair, because it is drawn for every
    indicator on every page and must be fast. Hand it to a page like any chart.
    ``colors`` and ``dashes`` fix the colour and dash pattern of named series
    (e.g. the municipality in :data:`OWN`, a reference in :data:`GREY`, dashed).
    ``process``: a :class:`lisite.spc.Process` (``ctx.process(id)``) drawn on a single line over
    time as a process chart (:func:`process_layers`): its normal range, mean and special-cause months.
    ``y_domain``: the y axis' fixed range for a figure on a bounded scale, e.g. ``(1, 5)`` for a score
    from 1 to 5, so the axis neither starts at a 0 the scale does not have nor stops short of its ends.
    """
    words = fmt.words(lang)
    labels = {"period": words("period_col"), "value": words("value"), "target": words("target"), **(labels or {})}
    values = [{"dato": period_date(row["period"]), **row} for row in records(frame, ["period", "value", *([color] if color else [])])]
    number = NUMBER_FORMAT[unit]
    y = {"field": "value", "type": "quantitative", "title": y_title or fmt.unit_label(unit, lang), "axis": number_axis(number)}
    if y_domain is not None:
        y["scale"] = {"domain": [float(y_domain[0]), float(y_domain[1])], "zero": False, "nice": False}
    tooltip = [
        {"field": "period", "type": "nominal", "title": labels["period"]},
        {"field": "value", "type": "quantitative", "title": labels["value"], "format": number},
    ]
    if color:
        tooltip.insert(0, {"field": color, "type": "nominal", "title": labels.get(color, color)})
    layers: list[dict[str, Any]] = []
    if kind == "bar" or len({row["period"] for row in values}) == 1:
        if color:
            x = {"field": color, "type": "nominal", "title": None, "sort": "-y", "axis": {"labelAngle": 0, "labelLimit": 140}}
        else:
            x = {"field": "period", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}}
        layers.append({"mark": {"type": "bar", "color": OWN}, "encoding": {"x": x, "y": y, "tooltip": tooltip}})
        layers.append({
            "mark": {"type": "text", "dy": -6, "fontSize": 11, "color": "#222"},
            "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"}, "text": {"field": "value", "type": "quantitative", "format": number}},
        })
    else:
        x = {"field": "dato", "type": "temporal", "title": None, "axis": time_axis(frame["period"])}
        if color:
            scale: dict[str, Any] = {"field": color, "type": "nominal", "legend": None}
            dash: dict[str, Any] = dict(scale)
            if colors:
                scale["scale"] = {"domain": list(colors), "range": list(colors.values())}
            if dashes:
                dash["scale"] = {"domain": list(dashes), "range": list(dashes.values())}
            layers.append({
                "mark": {"type": "line", "point": True, "strokeWidth": 2},
                "encoding": {"x": x, "y": y, "color": scale, "strokeDash": dash, "tooltip": tooltip},
            })
            last = last_points(values, color)
            numbers = [row["value"] for row in values if row["value"] is not None]
            heights = spread_labels([row["value"] for row in last], max(numbers) if numbers else math.nan)
            labelled = sorted(({**row, "label_y": height} for row, height in zip(last, heights)), key=series_order(frame[color], color))
            layers.append({
                "data": {"values": labelled},
                "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11},
                "encoding": {"x": {"field": "dato", "type": "temporal"}, "y": {"field": "label_y", "type": "quantitative"},
                             "text": {"field": color, "type": "nominal"}, "color": scale},
            })
        else:
            behind, front = process_layers(process, values, x, unit, lang) if process is not None else ([], [])
            if process is not None and y_domain is None:  # the band shows what is normal, so the axis may start near it, not at 0
                y = {**y, "scale": {"zero": False}}
                shown = [row["value"] for row in values if row["value"] is not None]
                y = narrow_axis(y, [*shown, process.lower, process.upper, process.mean, *([target] if target is not None else [])])
            layers += behind
            layers.append({"mark": {"type": "line", "point": True, "strokeWidth": 2.5, "color": OWN}, "encoding": {"x": x, "y": y, "tooltip": tooltip}})
            layers += front
    if target is not None:
        label = f"{labels['target']}: {fmt.value(target, unit, lang)}"
        rule_data = {"values": [{"target": target, "label": label}]}
        layers.append({"data": rule_data, "mark": {"type": "rule", "color": TARGET, "strokeDash": [6, 4], "strokeWidth": 2},
                       "encoding": {"y": {"field": "target", "type": "quantitative"}}})
        layers.append({"data": rule_data, "mark": {"type": "text", "align": "right", "baseline": "bottom", "dy": -3, "color": TARGET, "fontSize": 11, "x": "width"},
                       "encoding": {"y": {"field": "target", "type": "quantitative"}, "text": {"field": "label", "type": "nominal"}}})
    return {
        "data": {"values": values},
        "layer": layers,
        "width": "container",
        "height": 260,
        "title": {"text": title, "anchor": "start", "fontSize": 14},
    }


def process_layers(process: Any, rows: list[dict[str, Any]], x: dict[str, Any], unit: str, lang: str = "da") -> tuple[list, list]:
    """The layers that make a line chart a process chart, as (behind the line, on top of it).

    Behind: the normal range (between the process limits) as a shaded band with dashed edges, and
    the mean as a thin line. On top: the months that are part of a special-cause pattern, marked in
    :data:`SPECIAL` colours. One legend under the chart names them all, with the mean and the limits
    as figures. Only months of ``data`` (the chart's rows) are drawn and only visible figures marked:
    a hidden month has no value in ``data`` and no part in ``process``.
    """
    from lisite.spc import judge

    words = fmt.words(lang)
    value = functools.partial(fmt.value, unit=unit, lang=lang)
    band_name = f"{words('spc.chart_band')}: {'–'.join(fmt.apart(process.lower, process.upper, unit, lang))}"
    mean_name = f"{words('spc.chart_mean')}: {value(process.mean)}"
    marks = process.flagged()
    names = {kind: words(f"spc.chart_{kind}") for kind in SPECIAL}
    special = [{"dato": r["dato"], "period": r["period"], "value": r["value"], "kind": names[judge(marks[str(r["period"])], process.better)]}
               for r in rows if str(r["period"]) in marks and r["value"] is not None]
    present = [kind for kind in SPECIAL if names[kind] in {s["kind"] for s in special}]
    domain = [band_name, mean_name, *(names[k] for k in present)]
    colors = {"field": "legend", "type": "nominal", "title": None,
              "scale": {"domain": domain, "range": [BAND, "#555555", *(SPECIAL[k] for k in present)]},
              "legend": {"orient": "bottom", "columns": 2, "columnPadding": 24, "labelLimit": 0, "symbolOpacity": 1, "symbolType": "circle"}}
    band = [{"dato": d, "lower": process.lower, "upper": process.upper, "legend": band_name} for d in sorted({r["dato"] for r in rows})]
    level = [{"mean": process.mean, "lower": process.lower, "upper": process.upper, "legend": mean_name}]
    y = {"type": "quantitative"}
    behind = [
        {"data": {"values": band}, "mark": {"type": "area", "opacity": 0.22},
         "encoding": {"x": {**x, "field": "dato"}, "y": {**y, "field": "lower"}, "y2": {"field": "upper"}, "color": colors}},
        *({"data": {"values": level}, "mark": {"type": "rule", "color": BAND, "strokeDash": [4, 3], "strokeWidth": 1},
           "encoding": {"y": {**y, "field": edge}}} for edge in ("lower", "upper")),
        {"data": {"values": level}, "mark": {"type": "rule", "strokeWidth": 1.2},
         "encoding": {"y": {**y, "field": "mean"}, "color": colors}},
    ]
    front = [{"data": {"values": special}, "mark": {"type": "point", "filled": True, "size": 110, "opacity": 1},
              "encoding": {"x": {**x, "field": "dato"}, "y": {**y, "field": "value"}, "color": {**colors, "field": "kind"},
                           "tooltip": [{"field": "period", "type": "nominal", "title": words("period_col")},
                                       {"field": "value", "type": "quantitative", "title": words("value"), "format": NUMBER_FORMAT[unit]},
                                       {"field": "kind", "type": "nominal", "title": words("spc.chart_pattern")}]}}] if special else []
    return behind, front


def to_spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite spec of an Altair chart (or a spec dict), with lisite's config and legible text.

    The chart's own config is merged into lisite's part by part (a chart setting its axis colour keeps
    lisite's axis font sizes), and no text is smaller than :data:`MIN_FONT` pixels.
    """
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    spec = dict(spec)
    own = spec.get("config") or {}
    config = {**CONFIG, **own}
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(CONFIG.get(key), dict):
            config[key] = {**CONFIG[key], **value}
    spec["config"] = config
    spec.pop("$schema", None)
    if isinstance(spec.get("title"), str):
        spec["title"] = {"text": spec["title"]}
    return legible(spec)


def browser_data(spec: dict[str, Any]) -> dict[str, str]:
    """The named datasets a spec leaves to the browser: dataset name -> script under the site's ``assets/``.

    A chart whose data are large and the same on every page (the boundaries of the 98 municipalities)
    names them in ``usermeta = {"lisite": {"datasets": {name: "plugin/file.js"}}}`` and reads them as
    ``data = {"name": name, ...}``. The script, a static file written once per site, sets
    ``window.lisiteData[name]``; the page loads it only where such a chart is (``PageView.data_scripts``)
    and ``lisite.js`` puts it in the spec's ``datasets`` before drawing, so it works from ``file://``,
    where Vega cannot fetch. Without JavaScript, like every chart, it shows its note and its table.
    """
    meta = (spec.get("usermeta") or {}).get("lisite") or {}
    return {str(name): str(path) for name, path in (meta.get("datasets") or {}).items()}


def browser_dataset(script: str, name: str) -> Any:
    """The data a browser-data script (see :func:`browser_data`) sets: ``window.lisiteData.<name> = {...};``,
    read from the script's text, for drawing such a chart outside the browser (the PDF pack) or for tests."""
    start = script.index("=", script.index(f"lisiteData.{name}")) + 1
    return json.loads(script[start:].strip().rstrip(";"))


def spec_json(spec: dict[str, Any]) -> str:
    """Deterministic JSON for a spec, safe inside a ``<script>`` element.

    Every ``<`` (which JSON has only inside strings) is written ``\\u003c``, so no
    value can close the element (``</script``) or open a comment (``<!--``), and
    the text stays valid JSON (``<\\!--`` would not be).
    """
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c")


_STARTED = threading.Event()


def renderer_started() -> bool:
    """Has this process converted a chart with vl-convert (whose runtime must not be forked)?"""
    return _STARTED.is_set()


class SvgRenderer:
    """Renders specs to SVG with vl-convert, cached on disk by content hash.

    Only the PDF meeting pack (:mod:`lisite.pdf`) draws charts outside the browser: a site's pages carry
    no static drawing (readers without JavaScript get each chart's table, print shows what Vega drew)."""

    def __init__(self, cache_dir: Path | None, lang: str = "da") -> None:
        self.cache_dir = cache_dir
        self.lang = lang
        self.memory: dict[str, str] = {}
        self.lock = threading.Lock()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)

    def key(self, spec: dict[str, Any]) -> str:
        import vl_convert

        blob = json.dumps([spec, self.lang, vl_convert.__version__], sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    def render(self, spec: dict[str, Any]) -> str:
        key = self.key(spec)
        known = self.memory.get(key)
        if known is not None:
            return known
        path = self.cache_dir / f"{key}.svg" if self.cache_dir else None
        if path is not None and path.is_file():
            svg = path.read_text(encoding="utf-8")
        else:
            svg = self._convert(spec)
            if path is not None:
                tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")  # forked workers share thread ids
                tmp.write_text(svg, encoding="utf-8")
                tmp.replace(path)
        with self.lock:
            self.memory[key] = svg
        return svg

    def _convert(self, spec: dict[str, Any]) -> str:
        import vl_convert

        _STARTED.set()
        static = json.loads(json.dumps(spec, default=str))
        if static.get("width") == "container":
            static["width"] = 640
        for layer in static.get("layer", []):
            if layer.get("width") == "container":
                layer["width"] = 640
        svg = vl_convert.vegalite_to_svg(
            static, format_locale=FORMAT_LOCALE[self.lang], time_format_locale=TIME_LOCALE[self.lang]
        )
        return strip_svg(svg)


def strip_svg(svg: str) -> str:
    """Drop the XML prologue so the SVG can sit inline in HTML."""
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :].lstrip()
    return svg
