"""lisite: management information about children and young people with special needs, as static sites.

Plugin authors need only this module::

    import lisite

    @lisite.hookimpl
    def lisite_indicators(config):
        return [lisite.Indicator(...)]
"""

from __future__ import annotations

import pluggy

from lisite.model import (
    Audience,
    ChartBlock,
    Column,
    DatasetSpec,
    Indicator,
    IndicatorView,
    KeyFigures,
    Markdown,
    Page,
    Problem,
    Table,
)

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("lisite")

__all__ = [
    "Audience",
    "ChartBlock",
    "Column",
    "DatasetSpec",
    "Indicator",
    "IndicatorView",
    "KeyFigures",
    "Markdown",
    "Page",
    "Problem",
    "Table",
    "hookimpl",
]
