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

import pluggy

from lisite import calc, charts, fmt, history, spc
from lisite.context import BuildContext, IndicatorContext
from lisite.count import Count
from lisite.errors import SourceError
from lisite.fmt import Formatter
from lisite.model import (
    ELEMENTS,
    LEVEL_COLUMNS,
    LEVELS,
    MANAGERS,
    READERS,
    THEMES,
    UNITS,
    Audience,
    ChartBlock,
    Column,
    DatasetSpec,
    Deferred,
    Indicator,
    IndicatorView,
    KeyFigures,
    Lines,
    Markdown,
    Page,
    Problem,
    Table,
    Tile,
)
from lisite.render import markdown
from lisite.staging import Staged

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
