"""What an audience was shown, kept with its site, and the earlier reports it can be compared with.

Each audience's site holds ``historik.json`` (:data:`SUMMARY`): for every indicator the audience
sees, the figure for the reporting period exactly as its pages show it (rounded as shown) and its
status (target met or not, the process verdict of the latest month). A hidden cell is written as
``"hidden": true`` with no value and no status, since a status derived from a hidden value would
give it away. When a later build is for another period, the engine keeps the earlier site with
this summary under ``<audience>/arkiv/<period>/`` (see :mod:`lisite.archive`), and a page plugin
reads the summaries back with :func:`reports` to say what changed, in words, without reading old
HTML.

Public for plugins: :func:`figures`, :func:`reports`, :class:`Report`, :func:`changed`,
:data:`ARCHIVE`. The engine writes the summary with :func:`summary_json`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from lisite import fmt

SUMMARY = "historik.json"  # beside each audience's index.html, and inside each archived copy
ARCHIVE = "arkiv"  # <audience>/arkiv/<period>/: the audience's earlier reports
VERSION = 1


@dataclass(frozen=True)
class Report:
    """One earlier report of the current audience: its period, its front page (relative to the audience's
    folder, e.g. ``arkiv/2026-06/index.html``) and the figures it showed (indicator id → figure)."""

    period: str
    path: str
    figures: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)


def figures(ctx, only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """Indicator id → the figure the current audience is shown for the reporting period (``only``: these ids).

    A figure: ``title``, ``unit``, ``period`` (its own latest period: a month, or a year for yearly
    figures), ``value`` (rounded as the pages show it; ``None`` for no data or a hidden cell),
    ``hidden``, ``target``, ``target_met`` (``True``/``False``/``None``) and ``verdict`` (``common``,
    ``special_improving``, ``special_worrying``, ``special_neutral`` or ``None``); under a hidden month, ``window``
    when the pages name the last 12 months added up instead (``value`` as shown, ``first`` and ``period``, its first
    and last month; see ``BuildContext.last_12_months``).
    """
    found = {}
    for key, indicator in ctx.indicators.items():
        if only is not None and key not in only:
            continue
        ctx.staged(key)  # as making the figure does (the audience's manifest lists what was staged)
        # kept while the figures, periods and target it is read from are the same (an edit remakes the changed ones)
        figure = ctx.kept(("history.figure", ctx.audience, key), lambda: _figure(ctx, key, indicator))
        if figure is not None:
            found[key] = figure
    return found


def _figure(ctx, key: str, indicator) -> dict[str, Any] | None:
    """One indicator's figure (see :func:`figures`); ``None`` when it is shown over no period."""
    periods = ctx.shown_periods(key)
    if not periods:
        return None
    row = ctx.staged(key).total_in(periods[-1])
    hidden = bool(row is not None and row["suppressed"])
    value = None if row is None or hidden else _shown(row["value"], indicator.unit)
    target = ctx.target(key)
    found = {
        "title": indicator.title,
        "unit": indicator.unit,
        "period": periods[-1],
        "value": value,
        "hidden": hidden,
        "target": target,
        "target_met": None if _year_open(indicator, periods[-1]) else _met(indicator.better, value, target),
        "verdict": None if value is None else _verdict(ctx, key),
    }
    window = ctx.last_12_months(key) if hidden else None  # what the pages say instead of the hidden month
    if window is not None and not window["suppressed"].iloc[0] and str(window["period"].iloc[0]) == periods[-1]:
        summed = _shown(window["value"].iloc[0], indicator.unit)
        if summed is not None:
            found["window"] = {"value": summed, "first": str(window["first"].iloc[0]), "period": periods[-1]}
    return found


def _shown(value: Any, unit: str) -> float | None:
    """The value as the pages write it: rounded to the unit's digits (a share's full precision could tell its counts)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), fmt.digits(unit))


def _year_open(indicator, period: str) -> bool:
    """A year-to-date figure before December is not held against a yearly target (as the pages do)."""
    return bool(getattr(indicator, "cumulative", False)) and len(period) == 7 and not period.endswith("-12")


def _met(better: str, value: float | None, target: float | None) -> bool | None:
    if value is None or target is None or better not in ("higher", "lower"):
        return None
    return value >= target if better == "higher" else value <= target


def _verdict(ctx, key: str) -> str | None:
    process = ctx.process(key)
    verdict = process.verdict() if process is not None else None
    if verdict is None:
        return None
    return "common" if verdict.kind == "common" else f"special_{verdict.judgement or 'neutral'}"


def summary_json(ctx, shown: set[str]) -> bytes:
    """The current audience's ``historik.json``: the figures of the indicators its pages ``shown``."""
    data = {"version": VERSION, "audience": ctx.audience.id, "period": ctx.config.period, "figures": figures(ctx, shown)}
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def read_summary(data: bytes) -> dict[str, Any] | None:
    """A ``historik.json`` read back; ``None`` when it is not one."""
    try:
        found = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(found, dict) or not isinstance(found.get("figures"), dict) or not isinstance(found.get("period"), str):
        return None
    return found


def reports(ctx) -> list[Report]:
    """The current audience's earlier reports, newest period first (empty on a first build)."""
    archive = getattr(ctx, "archive", None)
    if archive is None or ctx.audience is None:
        return []
    return archive.reports(ctx.audience.id)


def changed(before: dict[str, Any], now: dict[str, Any]) -> bool:
    """True when a figure's shown value or status differs between two summaries, or either is hidden
    (the page then says that the change is not shown)."""
    if before.get("hidden") or now.get("hidden"):
        return True
    return any(before.get(k) != now.get(k) for k in ("value", "target_met", "verdict"))
