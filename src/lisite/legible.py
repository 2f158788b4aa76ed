"""Chart text a reader can read: no text under 11 px, no title so long that it widens the chart.

Charts are drawn at their own size on the page, never scaled down by it (``lisite.css``), so the
sizes in a spec are the sizes a reader sees. :func:`legible` is applied to every spec by
:func:`lisite.charts.to_spec`, whatever a plugin's chart sets.
"""

from __future__ import annotations

from typing import Any

#: The smallest text a chart may have, in pixels
MIN_FONT = 11
#: The spec properties that are a text size
FONT_KEYS = {"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize", "symbolFontSize"}
#: A chart title longer than this many characters goes on more lines, so it does not widen the chart
TITLE_CHARACTERS = 64


def legible(node: Any) -> Any:
    """``node`` with every text size below :data:`MIN_FONT` raised to it (a size given as an expression is left;
    the chart's data is not looked through) and long chart titles on more lines (:func:`title_lines`)."""
    if isinstance(node, dict):
        out = {key: (value if key in ("data", "datasets", "values") else
                     max(value, MIN_FONT) if key in FONT_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool)
                     else legible(value)) for key, value in node.items()}
        title = out.get("title")
        if isinstance(title, dict) and isinstance(title.get("text"), str):
            out["title"] = {**title, "text": title_lines(title["text"])}
        return out
    if isinstance(node, list):
        return [legible(item) for item in node]
    return node


def title_lines(text: str) -> str | list[str]:
    """A chart title as it is, or as lines of at most :data:`TITLE_CHARACTERS` characters split between words.

    Vega draws a title on one line however long it is, and the chart grows to hold it: a long title
    made a chart wider than the page column, which then scaled the whole chart, text and all, down.
    """
    if len(text) <= TITLE_CHARACTERS:
        return text
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= TITLE_CHARACTERS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
