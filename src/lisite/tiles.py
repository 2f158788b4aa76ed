"""The front page's key-figure tiles: short, linked, each with a small trend line.

A committee member opens the front page on a tablet (820×1180) and must see every key figure at
once, so the front page's tiles (``KeyFigures(front=True)``) say less than a report's tiles: the
latest value, its course as a small line, the verdict in a few words, the target's status, and
the lines other plugins add (hook ``lisite_tile_lines``: where the municipality stands against
other municipalities). The full sentences are on the indicator's own page, which the title links
to (:meth:`lisite.context.BuildContext.indicator_page`); without such a page there is no link.
After the indicators come the tiles plugins add for figures that are not indicators (hook
``lisite_front_tiles``: the year's expected result against the budget).

The trend line is drawn from the staged figures (what the audience may see): a hidden month is a
gap and takes no part in the scale (:mod:`lisite.sparkline`). Every word is from the catalogue
(``tile.*`` in ``locales/<lang>/engine.toml``).
"""

from __future__ import annotations

from typing import Any

from lisite import fmt, links, spc
from lisite.sparkline import sparkline

#: A monthly figure's line covers the latest month and the year before it: the same month last year is its left end
MONTHS = 13


def link(from_path: str, target: str | None) -> str:
    """``target`` (``path#part`` in the audience's site) relative to the page ``from_path``; ``""`` without a target."""
    if not target:
        return ""
    path, _, part = target.partition("#")
    return links.url(from_path, path) + (f"#{part}" if part else "")


def line_periods(indicator: Any, periods: list[str]) -> list[str]:
    """The periods the trend line covers: the last :data:`MONTHS` months; a year-to-date figure's
    current year only (it starts again in January); every shown year of a yearly figure."""
    if not periods or any(len(p) != 7 for p in periods):
        return list(periods)
    if indicator.cumulative:
        return [p for p in periods if p[:4] == periods[-1][:4]]
    return list(periods[-MONTHS:])


def when(period: str, lang: str) -> str:
    """A period as the line's words name it: ``sep. 2025`` for a month, ``2025`` for a year."""
    return fmt.month_abbr(f"{period}-01", lang) if len(period) == 7 else fmt.period(period, lang)


def trend(indicator: Any, total: Any, periods: list[str], t: Any, lang: str) -> str:
    """The tile's trend line as inline SVG with its words, or ``""`` with fewer than two visible figures."""
    months, values = spc.series(total, line_periods(indicator, periods))
    seen = [i for i, v in enumerate(values) if v is not None]
    if len(seen) < 2:
        return ""
    first, last = seen[0], seen[-1]
    label = t("tile.trend", first=when(months[first], lang), last=when(months[last], lang),
              start=fmt.value(values[first], indicator.unit, lang), end=fmt.value(values[last], indicator.unit, lang))
    gaps = sum(v is None for v in values[first:last])
    if gaps:
        label += " " + t("tile.trend_gaps", count=gaps)
    return sparkline(values, label)


def front_tile(tile: dict[str, Any], staged: Any, ctx: Any, hooks: Any, page_path: str) -> dict[str, Any]:
    """A report tile (``render.Views.key_figures``) made short for the front page."""
    ind = staged.indicator
    lines: list[str] = []
    if hooks is not None:
        for found in hooks.lisite_tile_lines(indicator=ind, staged=staged, audience=ctx.audience, ctx=ctx):
            lines += [str(line) for line in found or [] if line]
    kind = tile["variation_kind"]
    return {
        **tile,
        "title": ind.title,
        "stripe": "ok" if tile["on_track"] else ("off" if tile["on_track"] is False else ""),
        "link": link(page_path, ctx.indicator_page(ind.id)),
        "trend": trend(ind, staged.total(), ctx.shown_periods(ind.id), ctx.t, ctx.config.language),
        # the verdict in a few words; the sentence saying which months form the pattern is on the indicator's page
        "variation": ctx.t(f"tile.variation.{kind}") if kind else "",
        # a monthly process's verdict judges the month: the change since the month before is on the page
        "change_text": "" if kind else tile["change_text"],
        "lines": lines,
        "sentences": [],
    }


def added_tiles(ctx: Any, hooks: Any, page_path: str) -> list[dict[str, Any]]:
    """The tiles plugins add to the front page (``lisite_front_tiles``), linked where the audience has the page."""
    if hooks is None:
        return []
    tiles = []
    for found in hooks.lisite_front_tiles(audience=ctx.audience, ctx=ctx):
        for tile in found or []:
            target = tile.link if tile.link.partition("#")[0] in ctx.pages else None
            tiles.append({"title": tile.title, "value": tile.value, "lines": list(tile.lines), "stripe": tile.kind,
                          "link": link(page_path, target), "trend": "", "when": "", "base": "", "note": "", "variation": "",
                          "variation_kind": "", "status_text": "", "change_text": ""})
    return tiles
