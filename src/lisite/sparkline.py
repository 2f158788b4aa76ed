"""A small trend line for a key-figure tile: inline SVG written here, with no Vega and no script.

A tile has room for a line a few centimetres wide, and the front page must show its tiles before
any script runs (and print them). So the line is plain SVG text made in Python, from the figures
the audience may see: a month that is hidden or has no figure is a gap in the line, and the
vertical scale is set by the visible values only, so nothing about a hidden value can be read
from the drawing. A visible point with no visible neighbour is drawn as a dot; the latest visible
point is marked. In a narrow tile the line may be drawn narrower; its height stays. The words for
screen readers (``label``) come from the caller, in the site's language. Use it as
``lisite.charts.sparkline``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

WIDTH, HEIGHT, PAD = 120, 36, 4
COLOUR = "#0b5394"  # the municipality's own line, as in the charts (lisite.charts.OWN)


def runs(values: Sequence[float | None]) -> list[list[int]]:
    """The positions of the visible values, split where a value is missing: one list per unbroken stretch."""
    found: list[list[int]] = []
    for i, v in enumerate(values):
        if v is None:
            continue
        if found and found[-1][-1] == i - 1:
            found[-1].append(i)
        else:
            found.append([i])
    return found


def sparkline(values: Sequence[float | None], label: str, width: int = WIDTH, height: int = HEIGHT, colour: str = COLOUR) -> str:
    """An ``<svg>`` of ``values`` (oldest first, ``None`` for a gap) with ``label`` as its text alternative.

    Returns ``""`` when fewer than two values are visible: one point shows no course.
    """
    shown = [float(v) for v in values if v is not None]
    if len(shown) < 2:
        return ""
    low, high = min(shown), max(shown)
    step = (width - 2 * PAD) / max(len(values) - 1, 1)

    def x(i: int) -> float:
        return round(PAD + i * step, 1)

    def y(v: float) -> float:
        if high == low:  # a flat line, in the middle
            return round(height / 2, 1)
        return round(height - PAD - (float(v) - low) / (high - low) * (height - 2 * PAD), 1)

    marks = []
    for run in runs(values):
        if len(run) == 1:
            marks.append(f'<circle cx="{x(run[0])}" cy="{y(values[run[0]])}" r="1.6" fill="{colour}"/>')
        else:
            points = " ".join(f"{x(i)},{y(values[i])}" for i in run)
            marks.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.8" '
                         'stroke-linejoin="round" stroke-linecap="round" vector-effect="non-scaling-stroke"/>')
    last = max(i for i, v in enumerate(values) if v is not None)
    marks.append(f'<circle cx="{x(last)}" cy="{y(values[last])}" r="2.8" fill="{colour}"/>')
    return (f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img" aria-label="{html.escape(label, quote=True)}">'
            + "".join(marks) + "</svg>")
