"""Every hook lisite calls, in build order.

Hooks are called with keyword arguments only; an implementation may accept
any subset of the arguments, so new arguments never break old plugins.
Order between plugins comes from the build stages, never from registration
order: do not rely on another plugin's hook having run before yours within
the same stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import pandas as pd

    from lisite.config import Config, SourceConfig
    from lisite.context import BuildContext
    from lisite.i18n import Translator
    from lisite.model import Audience, DatasetSpec, Indicator, Page, Problem

hookspec = pluggy.HookspecMarker("lisite")


@hookspec
def lisite_build_start(config: Config, site_dir: Path) -> None:
    """Called once when a build starts, after the configuration is read.

    :param config: the validated site configuration.
    :param site_dir: the site's root folder (where ``lisite.toml`` is).
    :return: nothing.
    """


@hookspec
def lisite_datasets(config: Config) -> list[DatasetSpec]:
    """Declare datasets: their names, columns, types and allowed values.

    Called once per build before any data is loaded. The engine loads each
    declared dataset from the source of the same name in ``lisite.toml`` and
    checks every row against the spec.

    :return: a list of :class:`lisite.model.DatasetSpec`.
    """


@hookspec(firstresult=True)
def lisite_load_source(source: SourceConfig, path: Path, spec: DatasetSpec) -> pd.DataFrame | None:
    """Read one data source into a frame of strings, one column per file column.

    Called once per configured source; the first plugin that returns a frame
    wins. Return ``None`` when the source's format is not yours. Values are
    returned as text exactly as in the file (empty cells as ``""``); the
    engine converts and checks types. Add the attribute
    ``frame.attrs["lines"]`` (list of file line numbers per row) and
    ``frame.attrs["extracted"]`` (extraction date, if the file says) when known, and
    ``frame.attrs["unused"]``: the settings of the source your format does not read that it sets
    (``("sheet",)`` for a CSV file): each is named in a warning instead of silently doing nothing.

    :param source: the ``[sources.<name>]`` table from the configuration.
    :param path: the resolved file path (or ``None``-like for non-file sources).
    :param spec: the dataset spec the source must meet.
    :return: a :class:`pandas.DataFrame` of strings, or ``None``.
    """


@hookspec
def lisite_prepare(data: dict[str, pd.DataFrame], config: Config) -> dict[str, pd.DataFrame] | None:
    """Derive data from the loaded datasets, before they are checked and used.

    Called once after every dataset is loaded and typed without an error, before
    :func:`lisite_validate`, while the engine checks the datasets against each
    other (references, units, dates after the period): should those checks find an
    error, the build stops with it, and what this hook made is not used (nor is an
    exception it raised then). Return a dict of dataset name → frame: a frame
    for a loaded dataset replaces it (e.g. the same rows with derived
    columns added), a frame under a new name adds a dataset. Do not change
    the frames you are given (they may be cached between builds); return
    new ones, keeping ``attrs["lines"]`` so problems can name file rows.
    Two plugins may not return the same dataset. The built-in ``measures``
    plugin classifies measures here (``indsatsgruppe``, ``anbringelsessted``,
    ``familiepleje`` on ``ydelser``).

    :param data: dataset name → typed frame, as loaded.
    :param config: the site configuration.
    :return: dataset name → frame to replace or add, or ``None`` for nothing.
    """


@hookspec
def lisite_validate(data: dict[str, pd.DataFrame], config: Config, t: Translator) -> list[Problem]:
    """Check loaded data for rule violations beyond types (dates out of order, ...).

    Called once after all datasets are loaded and typed. Problems with
    severity ``"error"`` stop the build; warnings are shown on the
    data-quality page and fail the build only with ``--strict``. Rows found
    wrong are not dropped by the engine: the plugin that computes from them
    decides, and says so in its indicator definition.

    :param data: dataset name → typed frame. Each frame has ``attrs["lines"]``.
    :param config: the site configuration.
    :param t: the catalogue bound to the site's language, for messages the
        data-quality page shows (``t("<plugin>.<key>", ...)``).
    :return: a list of :class:`lisite.model.Problem`.
    """


@hookspec
def lisite_indicators(config: Config) -> list[Indicator]:
    """Register indicators (nøgletal).

    Called once per build. The engine calls each indicator's ``compute`` with an
    :class:`lisite.context.IndicatorContext`, then aggregates and suppresses
    the result per audience.

    :return: a list of :class:`lisite.model.Indicator`.
    """


@hookspec
def lisite_pages(audience: Audience, ctx: BuildContext) -> list[Page]:
    """Compose the pages of one audience's site.

    Called once per audience. ``ctx.indicators`` holds the indicators this
    audience may see; refer to them by id in :class:`lisite.model.IndicatorView`
    blocks and the engine fills in chart, table and text from the data staged
    for the audience. Pages listed in the audience's ``pages`` setting are kept,
    others dropped.

    :param audience: the audience being built.
    :param ctx: the build context (config, indicators, content, data access).
    :return: a list of :class:`lisite.model.Page`.
    """


@hookspec
def lisite_indicator_view(indicator: Indicator, staged: Any, block: Any, audience: Audience, ctx: BuildContext) -> list[dict[str, Any]]:
    """Add parts to an indicator's section on a page (comparisons, notes, extra charts).

    Called for every :class:`lisite.model.IndicatorView` the engine renders,
    after it has made the chart, text and table from the staged figures.
    Each part is a dict with ``kind`` (the template ``blocks/part_<kind>.html``
    renders it, from the plugin's own ``templates/`` folder), any values the
    template needs, and optionally ``chart`` (an Altair chart, embedded and
    rendered to SVG like the engine's own) and ``description`` (its text).
    Use only figures the audience may see: ``staged`` and ``ctx.staged()``
    are suppressed for it; ``ctx.data`` is not.

    :param indicator: the indicator shown.
    :param staged: its :class:`lisite.staging.Staged` figures for this audience.
    :param block: the :class:`lisite.model.IndicatorView` being rendered.
    :return: a list of part dicts (may be empty).
    """


@hookspec
def lisite_tile_lines(indicator: Indicator, staged: Any, audience: Audience, ctx: BuildContext) -> list[str]:
    """Add short lines to an indicator's tile on the front page (``KeyFigures(front=True)``).

    A tile has room for a line or two: say one thing, e.g. where the municipality stands against
    other municipalities, in words from the catalogue, and say it as the page that shows the
    indicator says it (use the same computation, never a second one). Use only figures the
    audience may see.

    :param indicator: the indicator of the tile.
    :param staged: its :class:`lisite.staging.Staged` figures for this audience.
    :return: a list of short texts (may be empty).
    """


@hookspec
def lisite_front_tiles(audience: Audience, ctx: BuildContext) -> list[Any]:
    """Tiles for figures that are not indicators, shown after the key figures on the front page.

    Called when the front page's :class:`lisite.model.KeyFigures` (``front=True``) is rendered, after
    every plugin's pages for the audience exist (``ctx.pages``). Return :class:`lisite.model.Tile`
    objects; return none for an audience that may not see the figure.

    :return: a list of :class:`lisite.model.Tile`.
    """


@hookspec
def lisite_template_context(page: Page, audience: Audience, ctx: BuildContext) -> dict[str, Any]:
    """Add variables to the template context of a page.

    Called once per rendered page. Later keys do not override the engine's
    own (``page``, ``audience``, ``site``, ``nav``, ``t``).

    :return: a dict of extra template variables.
    """


@hookspec
def lisite_check_ahead(audience: Audience, files: dict[str, bytes], ctx: BuildContext) -> None:
    """Look ahead at an audience's files that are known before its pages are made: the earlier reports it carries
    (``arkiv/<period>/…``).

    Called in a build's worker that has made its own audiences (before it checks them) while another worker makes
    this one, so that a check may do there, and keep for :func:`lisite_check_output`, work it would otherwise do after
    the audience is made (the leak check records the files that pass). It decides nothing: ``lisite_check_output`` is
    still called with every file of the audience, and what it finds is what counts. It may not be called at all
    (in one process), or while ``lisite_check_output`` of the same audience runs in another process.

    :param files: path relative to the audience folder → file content.
    :return: nothing (what is returned is not read).
    """


@hookspec
def lisite_check_output(audience: Audience, files: dict[str, bytes], ctx: BuildContext) -> list[Problem]:
    """Inspect one audience's finished output before it is published.

    Called once per audience after rendering, before anything is moved into
    place. Any problem with severity ``"error"`` fails the build and leaves
    the previous site untouched (the leak check works this way).

    :param files: path relative to the audience folder → file content.
    :return: a list of :class:`lisite.model.Problem`.
    """


@hookspec
def lisite_build_finish(config: Config, output_dir: Path, ctx: BuildContext) -> None:
    """Called once after the site is written and moved into place.

    :param output_dir: the published output folder (``_site``).
    :return: nothing.
    """
