"""lisite: management information about children and young people with special needs, as static sites.

Plugin authors need only this module::

    import lisite

    @lisite.hookimpl
    def lisite_indicators(config):
        return [lisite.Indicator(...)]

Everything a plugin may use is named in ``__all__`` below, plus the public
modules ``lisite.calc`` (counting helpers), ``lisite.charts`` (Altair chart
helpers), ``lisite.database`` (reading a table or a query from a database, for
loader plugins), ``lisite.compare`` (comparison groups, positions and tests against
random variation), ``lisite.funnel`` (funnel plots: limits around the national
figure, adjusted for over-dispersion), ``lisite.fmt`` (numbers and dates in the
site's language), ``lisite.history`` (what each audience was shown in earlier periods) and ``lisite.spc`` (monthly figures as a process: XmR charts),
and ``lisite.testing`` for tests. Anything else is internal and may change.
"""

from __future__ import annotations

import importlib
from typing import Any

import pluggy

#: Where each exported name is defined. They are imported when first used, so that a command that needs
#: none of them (``lisite build`` finding nothing changed, see :mod:`lisite.unchanged`) starts without
#: pandas, Altair and the rest.
_DEFINED_IN = {
    **dict.fromkeys(("BuildContext", "IndicatorContext"), "lisite.context"),
    "Count": "lisite.count",
    "SourceError": "lisite.errors",
    "Formatter": "lisite.fmt",
    **dict.fromkeys(("ELEMENTS", "LEVEL_COLUMNS", "LEVELS", "MANAGERS", "READERS", "THEMES", "UNITS", "Audience", "ChartBlock",
                     "Column", "DatasetSpec", "Deferred", "Indicator", "IndicatorView", "KeyFigures", "Lines", "Markdown",
                     "Page", "Problem", "Table", "Tile"), "lisite.model"),
    "markdown": "lisite.render",
    "Staged": "lisite.staging",
}
_MODULES = ("calc", "charts", "fmt", "history", "spc")

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("lisite")

#: The modules a plugin may import besides ``lisite`` itself.
PUBLIC_MODULES = ("lisite", "lisite.calc", "lisite.charts", "lisite.compare", "lisite.database", "lisite.dst", "lisite.fmt",
                  "lisite.funnel", "lisite.history", "lisite.spc", "lisite.testing")

__all__ = [
    "Audience",
    "BuildContext",
    "ChartBlock",
    "Column",
    "Count",
    "DatasetSpec",
    "Deferred",
    "ELEMENTS",
    "Formatter",
    "Indicator",
    "IndicatorContext",
    "IndicatorView",
    "KeyFigures",
    "LEVELS",
    "LEVEL_COLUMNS",
    "Lines",
    "MANAGERS",
    "Markdown",
    "PUBLIC_MODULES",
    "Page",
    "Problem",
    "READERS",
    "SourceError",
    "Staged",
    "THEMES",
    "Table",
    "Tile",
    "UNITS",
    "calc",
    "charts",
    "fmt",
    "history",
    "hookimpl",
    "markdown",
    "spc",
]


def __getattr__(name: str) -> Any:
    """An exported name, imported from its module when first asked for (PEP 562)."""
    if name in _MODULES:
        return importlib.import_module(f"lisite.{name}")
    if name in _DEFINED_IN:
        value = getattr(importlib.import_module(_DEFINED_IN[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lisite' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
