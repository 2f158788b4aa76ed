"""Altair charts: the engine's default views, specs for embedding and cached SVG.

Pages embed a chart as its Vega-Lite spec inline in the page (so pages work
from ``file://``) plus a static SVG rendering for print and for readers
without JavaScript. SVGs are cached on disk by the hash of the spec.
"""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from lisite import fmt

OWN = "#0b5394"  # the municipality's own line
GREY = "#8a8a8a"
TARGET = "#b45f06"
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
NUMBER_FORMAT = {"antal": ",.0f", "pct": ",.1f", "pr_1000": ",.1f", "kr": ",.0f", "kr_gns": ",.0f", "gns": ",.1f", "dage": ",.0f"}
CONFIG = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#333", "titleColor": "#333", "gridColor": "#e6e6e6"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
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


def time_axis(periods: pd.Series) -> alt.Axis:
    """An axis with one tick per month or year, thinned to at most eight labels."""
    first = str(periods.iloc[0]) if len(periods) else ""
    count = periods.nunique()
    step = max(1, -(-count // 8))
    if len(first) == 4:
        return alt.Axis(format="%Y", labelAngle=0, tickCount={"interval": "year", "step": step})
    if count > 8:
        step = max(3, -(-step // 3) * 3)
    return alt.Axis(format="%b %Y", labelAngle=0, tickCount={"interval": "month", "step": step})


def series_chart(
    frame: pd.DataFrame,
    unit: str,
    title: str,
    color: str = "",
    target: float | None = None,
    kind: str = "line",
    labels: dict[str, str] | None = None,
    lang: str = "da",
) -> alt.Chart:
    """A time series: one line (or bar) per ``color`` value, direct labels at the last point."""
    labels = labels or {}
    data = frame.copy()
    data["dato"] = data["period"].map(period_date)
    data = data[["dato", "period", "value", *([color] if color else [])]]
    y_title = fmt.unit_label(unit, lang)
    x = alt.X("dato:T", title=None, axis=time_axis(data["period"]))
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(format=NUMBER_FORMAT[unit]))
    tooltip = [alt.Tooltip("period:N", title=labels.get("period", "Periode")), alt.Tooltip("value:Q", title=labels.get("value", "Værdi"), format=NUMBER_FORMAT[unit])]
    base = alt.Chart(data)
    if kind == "bar" or len(data["period"].unique()) == 1:
        encoding: dict[str, Any] = {"y": y, "tooltip": tooltip}
        if color:
            encoding.update(x=alt.X(f"{color}:N", title=None, sort="-y", axis=alt.Axis(labelAngle=0, labelLimit=140)), color=alt.value(OWN))
            tooltip.insert(0, alt.Tooltip(f"{color}:N", title=labels.get(color, color)))
        else:
            encoding.update(x=alt.X("period:O", title=None, axis=alt.Axis(labelAngle=0)), color=alt.value(OWN))
        bars = base.mark_bar().encode(**encoding)
        text = base.mark_text(dy=-6, fontSize=11, color="#222").encode(
            x=encoding["x"], y="value:Q", text=alt.Text("value:Q", format=NUMBER_FORMAT[unit])
        )
        layers: list[Any] = [bars, text]
    else:
        if color:
            tooltip.insert(0, alt.Tooltip(f"{color}:N", title=labels.get(color, color)))
            line = base.mark_line(point=True, strokeWidth=2).encode(
                x=x, y=y, color=alt.Color(f"{color}:N", legend=None), strokeDash=alt.StrokeDash(f"{color}:N", legend=None), tooltip=tooltip
            )
            last = data[data["value"].notna()].sort_values("dato").groupby(color, sort=True).tail(1)
            label = alt.Chart(last).mark_text(align="left", dx=6, fontSize=11).encode(
                x="dato:T", y="value:Q", text=f"{color}:N", color=alt.Color(f"{color}:N", legend=None)
            )
            layers = [line, label]
        else:
            line = base.mark_line(point=True, strokeWidth=2.5, color=OWN).encode(x=x, y=y, tooltip=tooltip)
            layers = [line]
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [f"{labels.get('target', 'Mål')}: {fmt.value(target, unit, lang)}"]}))
        layers.append(rule.mark_rule(color=TARGET, strokeDash=[6, 4], strokeWidth=2).encode(y="target:Q"))
        layers.append(rule.mark_text(align="right", baseline="bottom", dy=-3, color=TARGET, fontSize=11, x="width").encode(y="target:Q", text="label:N"))
    return alt.layer(*layers).properties(width="container", height=260, title=alt.Title(title, anchor="start", fontSize=14))


def to_spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite spec of an Altair chart (or a spec dict), with lisite's config."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    spec = dict(spec)
    spec.setdefault("config", {})
    spec["config"] = {**CONFIG, **spec["config"]}
    spec.pop("$schema", None)
    return spec


def spec_json(spec: dict[str, Any]) -> str:
    """Deterministic JSON for a spec, safe inside a ``<script>`` element."""
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


class SvgRenderer:
    """Renders specs to SVG with vl-convert, cached on disk by content hash."""

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
        if key in self.memory:
            return self.memory[key]
        path = self.cache_dir / f"{key}.svg" if self.cache_dir else None
        if path is not None and path.is_file():
            svg = path.read_text(encoding="utf-8")
        else:
            svg = self._convert(spec)
            if path is not None:
                tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
                tmp.write_text(svg, encoding="utf-8")
                tmp.replace(path)
        with self.lock:
            self.memory[key] = svg
        return svg

    def render_all(self, specs: list[dict[str, Any]], workers: int = 2) -> list[str]:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(self.render, specs))

    def _convert(self, spec: dict[str, Any]) -> str:
        import vl_convert

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


def vega_bundle(cache_dir: Path | None) -> str:
    """The Vega + Vega-Lite + Vega-Embed JavaScript, as one classic script (cached)."""
    import vl_convert

    path = cache_dir / f"vega-bundle-{vl_convert.__version__}.js" if cache_dir else None
    if path is not None and path.is_file():
        return path.read_text(encoding="utf-8")
    text = vl_convert.javascript_bundle()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return text
