"""Turn pages into HTML: view models for each block, then Jinja templates.

Templates come from, in order: the site's own ``theme/templates``, plugins'
``templates/`` folders, the chosen built-in theme. ``{% extends
"default/base.html" %}`` reaches the default theme's template even when a
site overrides ``base.html`` itself.
"""

from __future__ import annotations

import functools
import hashlib
import math
import posixpath
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from markdown_it import MarkdownIt

from lisite import alttext, calc, charts, downloads, fmt, headings, pictures, sharing, tracking
from lisite.cache import BlockKey, FiguresKey, MemoKey, ViewKey, approx_size, digest, fingerprint
from lisite.context import BuildContext
from lisite.errors import BuildError, ConfigError
from lisite.explain import explain
from lisite.i18n import Translator
from lisite.live import noted, recording
from lisite.staging import hide_small, records
from lisite.model import LEVEL_COLUMNS, ChartBlock, IndicatorView, KeyFigures, Markdown, Page, Table
from lisite.resources import themes_dir
from lisite.tiles import added_tiles, front_tile
from lisite.tracking import result_digest, unrecorded

MD = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def indicator_fingerprint(ctx: BuildContext, indicator_id: str) -> str:
    """The hash of an indicator's declaration, worked out once a build (the same indicator objects all through it)."""
    declared = ctx.derived.get(("fingerprint", indicator_id))
    if declared is None:
        declared = ctx.derived[("fingerprint", indicator_id)] = fingerprint(ctx.all_indicators.get(indicator_id))
    return declared


#: The columns of a total :func:`lisite.explain.explain` reads (and :func:`lisite.spc.for_indicator` in it).
EXPLAINED = ("period", "value", "suppressed", "small", "numerator", "denominator")


def without_empty_levels(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The rows without the organisation columns that are empty in all of them (the totals' area and team columns of an
    audience that also sees figures by area and team): what a view is made from is then the same for every audience
    shown the same figures."""
    empty = [column for column in LEVEL_COLUMNS.values() if column in frame.columns and column != by and frame[column].isna().all()]
    return frame.drop(columns=empty) if empty else frame


def column_label(column: str, t: Any) -> str:
    """A table heading for a data column: the catalogue's ``column.<name>``, else the column name as it is."""
    return t.get(f"column.{column}", column)


def frequency_label(frequency: str, t: Any) -> str:
    """How often an indicator is counted, in words: ``hver måned`` / ``every month`` (never the bare ``måned``)."""
    word = frequency.strip().lower()
    return t.get(f"every.{fmt.FREQUENCIES.get(word, word)}", frequency)


@functools.lru_cache(maxsize=4096)
def markdown(text: str, base: str = "") -> str:
    """Markdown to HTML with raw HTML escaped, never passed through. A picture's address is read from ``base``, the
    folder under ``content/`` of the text (see :mod:`lisite.pictures`: the page it stands on makes it its own); a
    number keeps its unit on its line (:func:`lisite.fmt.glued`)."""
    return rendered(MD.parse(text), base)


def rendered(tokens: list[Any], base: str = "") -> str:
    """:func:`markdown` of the parsed text (markdown-it's tokens, which it changes)."""
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = fmt.glued(child.content)
            elif child.type == "image":
                child.attrSet("src", pictures.address(child.attrGet("src") or "", base))
    return MD.renderer.render(tokens, MD.options, {})


def markdown_view(text: str, base: str) -> dict[str, Any]:
    """A Markdown block's view: its HTML, and its tables for the downloads (read from the text as written, before
    :func:`rendered` keeps numbers with their units), from one parse."""
    tokens = MD.parse(text)
    tables = downloads.markdown_tables(tokens)
    return {"kind": "markdown", "html": rendered(tokens, base), "tables": tables}


def theme_dirs(config: Any) -> tuple[Path | None, Path]:
    """(the site's own theme folder if any, the base theme folder)."""
    own = config.site_dir / "theme"
    base = themes_dir() / config.theme
    if not base.is_dir():
        base = (config.site_dir / config.theme).resolve()
    if not (base / "templates").is_dir():
        raise ConfigError("lisite.toml: " + Translator(config.language)("config.theme_missing", theme=config.theme))
    return (own if own.is_dir() else None), base


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once a process, kept by their file and checked against their source (Jinja does both):
    every build of the process (``lisite serve``, ``lisite build-all``, a test run) uses them instead of compiling
    each template again, which took a quarter of a small site's build. Every environment lisite makes has the same
    settings (:func:`make_env`), so code compiled for one is code for all. At most ``keep`` files."""

    def __init__(self, keep: int = 512) -> None:
        self.keep = keep
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored when the source's checksum is not the one it was compiled from

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code.pop(bucket.key, None)
        while len(self.code) >= self.keep:
            del self.code[next(iter(self.code))]
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def make_env(config: Any, plugin_template_dirs: list[Path]) -> jinja2.Environment:
    own, base = theme_dirs(config)
    default = themes_dir() / "default" / "templates"
    loaders: list[jinja2.BaseLoader] = []
    if own is not None and (own / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(own / "templates"))
    loaders += [jinja2.FileSystemLoader(d) for d in plugin_template_dirs]
    loaders.append(jinja2.FileSystemLoader(base / "templates"))
    loaders.append(jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(default), "base": jinja2.FileSystemLoader(base / "templates")}))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=COMPILED,
        auto_reload=False,  # an environment is kept only while no template file changed (lisite.build.template_env)
    )
    lang = config.language
    env.filters["num"] = lambda v, digits=0: fmt.number(v, digits, lang)
    env.filters["val"] = lambda v, unit: fmt.value(v, unit, lang)
    env.filters["period"] = lambda v: fmt.period(str(v), lang)
    env.filters["markdown"] = lambda text: jinja2.utils.markupsafe.Markup(markdown(text))
    env.filters["sections"] = headings.sections  # heading links, and contents and a way up on long pages
    env.globals["vega_locale"] = jinja2.utils.markupsafe.Markup(charts.vega_locale(lang))
    return env


@dataclass
class PageView:
    """A page ready for its template."""

    page: Page
    blocks: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    downloads: list[downloads.Download] = field(default_factory=list)  # the page's tables as files (see lisite.downloads)
    made_from: tuple[Any, ...] = ()  # the block views before their download links: the same objects while reused

    @property
    def data_scripts(self) -> list[str]:
        """The scripts under ``assets/`` that the page's charts take their browser data from
        (:func:`lisite.charts.browser_data`), each once."""
        return sorted({path for entry in self.charts for path in charts.browser_data(entry["spec"]).values()})

    @property
    def chart_files(self) -> list[str]:
        """The chart files (``charts/<key>.js``, :mod:`lisite.chartfiles`) the page loads: each chart once, in the page's order."""
        return list(dict.fromkeys(charts.chart_path(entry["key"]) for entry in self.charts))

    @property
    def root(self) -> str:
        depth = self.page.path.count("/")
        return "../" * depth


def page_fields(page: Page) -> tuple[Any, ...]:
    """What a template may read of a page besides its blocks (its own, and every other page's for the menu)."""
    return (page.path, page.title, page.section, page.order, page.template, page.intro, page.plugin, repr(page.extra), page.nav)


class Rendered:
    """Each page's HTML from the last build of ``lisite serve``, made again only when what its template is given changed.

    A page's HTML is a function of its template (``env``: a new one when a template file changed), its
    block views, the fields of every page of the audience (the menu), the site's words and settings and
    the plugins' extra variables. Block views come from caches keyed by what they were made from, so
    the same view objects (compared with ``is``) mean the same view; the rest is compared by value.
    """

    def __init__(self, ctx: BuildContext, env: Any, shared: tuple[Any, ...]) -> None:
        self.ctx, self.env = ctx, env
        text = repr((ctx.inputs and (ctx.inputs.config, ctx.inputs.texts), shared))
        keep = ctx.inputs is not None and " at 0x" not in text  # a hand-made context, or an object named by its address: never
        self.shared = digest(text) if keep else None

    def html(self, view: PageView, extra: dict[str, Any], make: Any) -> bytes:
        text = repr((page_fields(view.page), extra))
        if self.shared is None or " at 0x" in text:
            return make()
        key = MemoKey(None, ("page.html", self.ctx.audience, view.page.path, self.shared, digest(text)))
        kept = self.ctx.cache.get(key)
        if kept is not None and kept[0] is self.env and len(kept[1]) == len(view.made_from) and all(
                a is b for a, b in zip(kept[1], view.made_from)):
            return kept[2]
        html = make()
        self.ctx.cache.put(key, (self.env, view.made_from, html), size=len(html))  # the views are other entries' values
        return html


class Views:
    """Builds block view models for one audience."""

    def __init__(self, ctx: BuildContext, hook: Any = None, hooks: Any = None) -> None:
        self.ctx = ctx
        self.hook = hook  # lisite_indicator_view
        self.hooks = hooks  # every hook (the front page's tiles call lisite_tile_lines and lisite_front_tiles)
        self.t = ctx.t
        self.lang = ctx.config.language

    def page(self, page: Page) -> PageView:
        view = PageView(page)
        for block in page.blocks:
            view.blocks.append(self.block(block, view))
        view.made_from = tuple(view.blocks)
        view.blocks, view.downloads = self.attached(view)
        return view

    def attached(self, view: PageView) -> tuple[list[dict[str, Any]], list[downloads.Download]]:
        """The block views with their download links (:func:`lisite.downloads.attach`), kept while they are the same objects."""
        inputs = self.ctx.inputs
        if inputs is None:
            return downloads.attach(view.blocks, view.page, self.t)
        key = MemoKey(None, ("downloads.attach", self.ctx.audience, view.page.path, view.page.title, inputs.texts))
        kept = self.ctx.cache.get(key)
        if kept is None or len(kept[0]) != len(view.made_from) or any(a is not b for a, b in zip(kept[0], view.made_from)):
            blocks, found = downloads.attach(view.blocks, view.page, self.t)  # new dicts around the views other entries hold
            kept = self.ctx.cache.put(key, (view.made_from, blocks, found), size=lambda: 256 * len(blocks) + approx_size(found))
        return list(kept[1]), list(kept[2])

    def block(self, block: Any, view: PageView) -> dict[str, Any]:
        if isinstance(block, Markdown):
            return self.markdown(block)
        if isinstance(block, IndicatorView):
            return self.indicator(block, view)
        if isinstance(block, KeyFigures):
            for indicator_id in block.indicators:  # staged even when the tiles are reused: the manifest lists them
                if indicator_id in self.ctx.indicators:
                    self.ctx.staged(indicator_id)
            inputs = self.ctx.inputs  # the hooks' code and settings (the datasets the tiles read are kept beside them)
            keys = (*(self.ctx.result_keys.get(i) for i in block.indicators), inputs and (inputs.without_data().data, inputs.code, inputs.config),
                    view.page.path, self.layout())
            return self.remembered(block, view, keys, lambda scratch: self.key_figures(block, scratch), by_value=inputs is not None)
        if isinstance(block, Table):  # by its content: a page made again from edited data mostly shows the same tables
            inputs = self.ctx.inputs  # which columns identify a person: the datasets' specs (config and code)
            return self.remembered(block, view, inputs and (inputs.config, inputs.code), lambda scratch: self.table(block),
                                   value=inputs and self.ctx.cache.lasting and table_digest(block))  # one-off: by the block
        if isinstance(block, ChartBlock):
            return self.remembered(block, view, (), lambda scratch: {
                "kind": "chart", "title": block.title, "description": block.description, "caption": block.caption,
                "chart": self.chart(block.chart, scratch), "table": self.table(block.table) if block.table is not None else None})
        raise BuildError(self.t("plugin_error.unknown_block", path=view.page.path, kind=type(block).__name__))

    def remembered(self, block: Any, view: PageView, inputs: tuple, make: Any, by_value: bool = False, value: str | None = None) -> dict[str, Any]:
        """A block's view, reused between builds of ``lisite serve`` while the texts, datasets and results it read are
        unchanged and it is the same page object (pages are cached by their inputs) or, ``by_value``, an equal block with
        the same ``inputs``, or an equal block by ``value`` (a hash of its content)."""
        value = value or (repr(block) if by_value else "")
        kept = " at 0x" not in value and value  # a block named by an object's address is kept by identity
        key = BlockKey(self.ctx.audience, value if kept else id(block), inputs,
                       self.ctx.inputs.texts if self.ctx.inputs else getattr(self.t, "fingerprint", self.lang))
        cached = self.ctx.cache.get(key)
        content, tracked = self.ctx.content, self.ctx.reads
        if (cached is None or (not kept and cached[0] is not block) or (content is not None and not content.unchanged(cached[3]))
                or not tracked.same(cached[4])):
            scratch = PageView(view.page)
            with recording(content) as reads, tracked.recording() as read:
                made = make(scratch)
            cached = self.ctx.cache.put(key, (block, made, scratch.charts, reads, dict(read)))
        noted(content, cached[3])
        tracked.note(cached[4])
        view.charts.extend(cached[2])
        return cached[1]

    def layout(self) -> str:
        """What ``ctx.indicator_page`` answers from: each page's place and the indicators it shows."""
        return digest(tuple((page.path, page.plugin, page.order, page.section, page.title,
                             tuple((b.indicator, b.by) for b in page.blocks if isinstance(b, IndicatorView)))
                            for page in self.ctx.pages.values()))

    def chart(self, chart: Any, view: PageView) -> dict[str, Any]:
        spec = charts.to_spec(chart)
        text = charts.spec_json(spec)
        entry = {"id": "chart-" + hashlib.sha256(text.encode()).hexdigest()[:12], "key": charts.chart_key(text), "spec": spec, "json": text}
        view.charts.append(entry)
        return entry

    def markdown(self, block: Markdown) -> dict[str, Any]:
        text = block.text
        if block.source:
            assert self.ctx.content is not None
            found = self.ctx.content.get(block.source)
            if found is None:
                raise BuildError(self.t("content.missing", name=block.source))
            text = found
        base = posixpath.dirname(block.source or "")  # the text's folder: its pictures' paths are read from it
        return self.ctx.cache.get_or_make(MemoKey(None, ("markdown.view", text, base)), lambda: markdown_view(text, base))

    def indicator(self, block: IndicatorView, view: PageView) -> dict[str, Any]:
        """The indicator's section; reused between builds while its figures, its texts and the datasets it read are unchanged
        (``result_keys``: the content hash of each result, so a recomputed indicator whose result is the same keeps its view)."""
        ctx = self.ctx
        inputs = ctx.inputs
        declared = indicator_fingerprint(ctx, block.indicator)
        key = ViewKey(ctx.audience, repr(block), ctx.result_keys.get(block.indicator), declared,
                      inputs.config if inputs else repr(ctx.config), inputs.texts if inputs else repr(getattr(self.t, "fingerprint", self.lang)),
                      inputs.views if inputs else "", inputs.without_data().data if inputs else ())
        result, entries = self.kept_view(key, view.page, lambda scratch: self.make_indicator(block, scratch))
        ctx.staged(block.indicator)  # when reused: cheap (cached), and the manifest lists what was staged
        view.charts.extend(entries)
        return result

    def kept_view(self, key: Any, page: Page, make: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """``make(scratch)`` and the chart entries it added to ``scratch``, kept in the build cache under ``key`` with
        the texts, datasets and results it read and the cache entries it used, and reused while what it read is the
        same (the entries it used, such as the figures' view it shares with other audiences, are used again with it)."""
        ctx = self.ctx
        cached = ctx.cache.get(key) or tracking.shared(ctx.cache, key)  # (made in this worker, or in another)
        if cached is not None and (ctx.content is None or ctx.content.unchanged(cached[2])) and ctx.reads.same(cached[3]):
            value, entries, reads, read, used = cached
            noted(ctx.content, reads)
            ctx.reads.note(read)
            ctx.cache.touch(used)
            return value, entries
        scratch = PageView(page)
        started = time.perf_counter()
        with recording(ctx.content) as reads:
            value, read, used = tracking.made(ctx.cache, ctx.reads, lambda: make(scratch))
        ctx.cache.put(key, (value, scratch.charts, reads, read, used))
        sharing.offer(key, (value, scratch.charts, reads, read, set()), time.perf_counter() - started)
        return value, scratch.charts

    def make_indicator(self, block: IndicatorView, view: PageView) -> dict[str, Any]:
        ctx = self.ctx
        staged = ctx.staged(block.indicator)
        ind = staged.indicator
        if block.by and block.by not in staged.keys:
            raise BuildError(self.t("plugin_error.cannot_split", id=ind.id, by=block.by, audience=ctx.audience.id))
        core, entries = self.figures_view(block, staged, view.page)
        parts = []
        if self.hook is not None:  # a plugin's parts may depend on the audience itself: made for each
            for found in self.hook(indicator=ind, staged=staged, block=block, audience=ctx.audience, ctx=ctx):
                for part in found or []:
                    part = dict(part)
                    if part.get("chart") is not None:
                        part["chart"] = self.chart(part["chart"], view)
                    parts.append(part)
        view.charts.extend(entries)
        return {"parts": parts, **core}

    def figures_view(self, block: IndicatorView, staged: Any, page: Page) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The indicator's chart, text and table, and the chart entries they use: made once a build for all audiences
        that see the same figures with the same smallest count (the committee and the directors mostly see the same
        municipality totals). Kept by the content of the figures shown, the target, the block and what the
        indicator's key is made of; an indicator with a chart function of its own (it is given the context) is made
        for each audience."""
        ctx = self.ctx
        ind = staged.indicator
        frame, total = staged.by(block.by) if block.by else staged.total(), staged.total()
        if ind.chart is not None:  # the indicator's own chart function is handed the rows as they are, and the context
            scratch = PageView(page)
            return self.make_figures(block, staged, frame, total, scratch), scratch.charts
        frame, total = without_empty_levels(frame, block.by), without_empty_levels(total, "")
        figures = calc.content_key(frame, total, self.ctx.last_12_months(ind.id))
        inputs = ctx.inputs
        key = FiguresKey(figures, ctx.target(ind.id), ctx.audience.min_count, repr(block), indicator_fingerprint(ctx, block.indicator),
                         inputs.config if inputs else repr(ctx.config), inputs.texts if inputs else repr(getattr(self.t, "fingerprint", self.lang)),
                         inputs.without_data().data if inputs else ())
        return self.kept_view(key, page, lambda scratch: self.make_figures(block, staged, frame, total, scratch))

    def make_figures(self, block: IndicatorView, staged: Any, frame: pd.DataFrame, total: pd.DataFrame, view: PageView) -> dict[str, Any]:
        """The chart, text and table from the rows shown (``frame``) and the municipality totals."""
        ctx, t = self.ctx, self.t
        ind = staged.indicator
        target = ctx.target(ind.id)
        periods = ctx.shown_periods(ind.id)  # the range shown: a period in it without a figure is "ingen data"
        if block.last:
            keep = periods[-block.last :] if periods else sorted(frame["period"].unique())[-block.last :]
            frame = frame[frame["period"].isin(keep)]
            total = total[total["period"].isin(periods[-block.last :] if periods else sorted(total["period"].unique())[-block.last :])]
            periods = periods[-block.last :]
        # the figure as a process, over every month it is shown for (also when this view shows the last few);
        # a view of one period shows no course over time to read as a process
        process = ctx.process(ind.id) if total["period"].nunique() > 1 else None
        explanation = self.explained(ind, total, target, periods, process, self.ctx.last_12_months(ind.id))
        labels = {"period": t("period_col"), "value": t("value"), "target": t("target"), block.by: column_label(block.by, t)}
        kind = block.kind if block.kind != "auto" else ("line" if frame["period"].nunique() > 2 else "bar")
        if ind.chart is not None:
            chart = ind.chart(frame=frame, indicator=ind, target=target, by=block.by, ctx=ctx)
        else:
            chart = charts.series_chart(frame, ind.unit, ind.title, color=block.by, target=target, kind=kind, labels=labels, lang=self.lang,
                                        process=None if block.by else process)
        caveat = ctx.content.body(block.caveat or f"indikatorer/{ind.id}.md") if ctx.content else None
        return {
            "provenance": self.provenance(ind, frame),
            "kind": "indicator",
            "indicator": ind,
            "by": block.by,
            "heading": ind.title + (" " + self.t("split_by", by=labels[block.by].lower()) if block.by else ""),
            "chart": self.chart(chart, view),
            "sentences": explanation.sentences,
            "description": alttext.describe(ind, frame, block.by, explanation.description, t, labels.get(block.by, "").lower()),
            "table": self.indicator_table(with_missing(with_total(frame, total, block.by, t("municipality_total")) if block.by else frame,
                                                       explanation.missing, block.by, t("municipality_total")), ind, block.by),
            "notes": explanation.notes,
            "caveat": markdown(caveat, posixpath.dirname(block.caveat or "indikatorer/")) if caveat else "",
            "suppressed": int(frame["suppressed"].sum()),
            "min_count": ctx.audience.min_count,
            "target": target,
        }

    def provenance(self, ind: Any, frame: pd.DataFrame) -> dict[str, Any]:
        """Where the figures come from and whether the latest are final."""
        files = []
        for name in ind.datasets:
            dataset = unrecorded(self.ctx.datasets).get(name)  # its name, file and date, not its rows
            self.ctx.reads.read("about", name)
            if dataset is not None:
                if dataset.extracted:
                    text = self.t("file_extracted", title=dataset.spec.title, path=dataset.path, date=fmt.date(dataset.extracted, self.lang))
                else:  # the file does not say when it was extracted, nor does lisite.toml
                    text = self.t("file_undated", title=dataset.spec.title, path=dataset.path)
                extracted = fmt.date(dataset.extracted, self.lang) if dataset.extracted else ""
                files.append({"title": dataset.spec.title, "path": dataset.path, "extracted": extracted, "text": text})
        periods = sorted(frame["period"].unique())
        last = periods[-1] if periods else ""
        config = self.ctx.config
        preliminary = (len(last) == 4 and int(last) >= config.year) or (len(last) == 7 and last > config.period)
        status = self.t("status_preliminary", period=fmt.period(last, self.lang)) if preliminary else self.t("status_final")
        return {"files": files, "status": status, "numerator": ind.numerator, "denominator": ind.denominator,
                "frequency": frequency_label(ind.frequency, self.t)}

    def indicator_table(self, frame: pd.DataFrame, ind: Any, by: str) -> dict[str, Any]:
        t = self.t
        heads = [t("period_col"), *([column_label(by, t)] if by else []), t("value")]
        show_counts = "denominator" in frame.columns and frame["denominator"].notna().any() and ind.unit in ("pct", "pr_1000")
        if show_counts:
            heads += [t("numerator"), t("denominator")]
        rows = []
        for row in records(frame if by else frame.sort_values("period", kind="stable")):
            cells = [fmt.period(row["period"], self.lang), *([str(row[by])] if by else [])]
            hidden = self.ctx.fmt.hidden(bool(row.get("small", True)))
            if row["suppressed"]:
                cells += [hidden] + ([hidden, hidden] if show_counts else [])
            elif bool(row.get("missing", False)):  # a period of the range without any figure
                cells += [t("no_data_cell")] + (["", ""] if show_counts else [])
            elif pd.isna(row["value"]):  # e.g. a share of nothing (0 of 0): no figure
                cells.append(t("no_data_cell"))
                if show_counts:
                    cells += [fmt.number(row["numerator"], 0, self.lang), fmt.number(row["denominator"], 0, self.lang)]
            else:
                cells.append(fmt.value(row["value"], ind.unit, self.lang, exact=True))  # a table keeps every krone
                if show_counts:
                    cells += [fmt.number(row["numerator"], 0, self.lang), fmt.number(row["denominator"], 0, self.lang)]
            rows.append(cells)
        return {"heads": heads, "rows": rows}

    def explained(self, ind: Any, total: pd.DataFrame, target: float | None, periods: list[str], process: Any,
                  window: pd.DataFrame | None = None) -> Any:
        """:func:`lisite.explain.explain` of ``total`` for the current audience, worked out once a build for the same figures
        (the columns it reads), target, smallest count, range and process: a front page's tile and the indicator's own
        section say the same. (The explanation is read, never changed, by those it is handed to.)"""
        ctx = self.ctx
        cells = []  # the cells it reads, column by column (the rows' order is the period's: the index is not read)
        for column in EXPLAINED:
            if column in total.columns:
                found = total[column]
                values = found.to_numpy()
                cells.append((column, str(found.dtype), values.tobytes() if values.dtype.kind in "biuf" else tuple(values.tolist())
                              if isinstance(found.dtype, pd.StringDtype) else tuple((type(v), v) for v in values.tolist())))  # (1 is not True)
        summed = None if window is None else tuple(repr(window[column].iloc[0]) if column in window else None  # (nan is not nan)
                                                   for column in (*EXPLAINED, "first"))
        key = ("explained", ind.id, tuple(cells), target, ctx.audience.min_count, tuple(periods or ()), process, ctx.config.period, summed)
        found = ctx.derived.get(key)
        if found is None or found[0] is not ind or found[1] is not self.t:
            found = ctx.derived[key] = (ind, self.t, explain(ind, total, self.t, target, ctx.audience.min_count, periods,
                                                            process=process, reporting=ctx.config.period, window=window))
        return found[2]

    def year_of(self, ex: Any) -> str:
        """Under a yearly figure on a tile: "I 2025", or "I 2026 til og med september 2026" for the year so far."""
        if len(ex.period) != 4:
            return ""
        if ex.partial:
            return self.t("tile.year_so_far", year=ex.period, until=fmt.period(self.ctx.config.period, self.lang))
        return self.t("tile.year", year=ex.period)

    def status_text(self, ex: Any, ind: Any, target: float | None) -> str:
        """A tile's word on the target: met, not met (over the last 12 months when the month is hidden), or when a
        year-to-date figure's target is settled."""
        over = "_window" if ex.window_target else ""
        if ex.on_track is not None:
            return self.t(("status_on_track" if ex.on_track else "status_off_track") + over)
        return self.t("status_ytd") if target is not None and ind.cumulative else ""

    def hidden_tile(self, ex: Any, ind: Any, total: pd.DataFrame) -> dict[str, str]:
        """A tile whose latest figure is hidden: its value, when, base and note.

        A count says "under 5" (or "skjult"), which is true of it; the note says why, and adds the last 12 months added
        up or the latest figure it may see. A share, an average or an amount would read "under 5" as the figure itself
        ("under 5 %"): it leads with the last 12 months added up where they may be shown (as current as the month,
        protected with it), else "Vises ikke", and the note says why the month is hidden."""
        last = total.sort_values("period").tail(1)
        small = bool(last["small"].iloc[0]) if len(last) and "small" in last else True
        words = {"min": self.ctx.audience.min_count, "period": fmt.period(last["period"].iloc[0], self.lang)}
        if ind.unit == "antal":
            note = self.t("tile.suppressed" if small else "tile.suppressed_other", **words)
            value = self.ctx.fmt.hidden(small)
            if ex.window:  # the last 12 months added up: a current figure, where the latest shown month may be long ago
                note += " " + self.t("tile.window", value=ex.window[0], first=ex.window[1], last=ex.window[2])
        elif ex.window:
            return {"value": ex.window_value, "when": self.t("tile.window_when", first=ex.window[1], last=ex.window[2]),
                    "base": ex.window_base, "note": self.t("tile.month_hidden" if small else "tile.month_hidden_other", **words)}
        else:
            note = self.t("tile.why_hidden" if small else "tile.why_hidden_other", **words)
            value = self.t("tile.not_shown")
        if ex.last_shown and not ex.window:  # the latest figure it may see, as its chart and table show it
            note += " " + self.t("tile.last_shown", value=ex.last_shown[0], period=ex.last_shown[1])
        return {"value": value, "when": "", "base": "", "note": note}

    def key_figures(self, block: KeyFigures, view: PageView) -> dict[str, Any]:
        """Tiles; the front page's (``front=True``) short, linked and with a trend line (:mod:`lisite.tiles`)."""
        tiles = []
        for indicator_id in block.indicators:
            if indicator_id not in self.ctx.indicators:
                continue
            staged = self.ctx.staged(indicator_id)
            ind = staged.indicator
            target = self.ctx.target(indicator_id)
            ex = self.explained(ind, staged.total(), target, self.ctx.shown_periods(indicator_id), self.ctx.process(indicator_id),
                                self.ctx.last_12_months(ind.id))
            note = ex.level if ex.missing_latest else ""
            current = not ex.missing_latest and ex.latest is not None  # a figure for the latest period
            change = ex.change if current and ex.compared else "none"
            said_apart = {ex.level, ex.change_sentence, ex.variation.headline, ex.variation.earlier, ex.variation.normal_range,
                          ex.last_shown_sentence, ex.window_sentence}
            tiles.append(
                {
                    "indicator": ind,
                    "value": fmt.value(ex.latest, ind.unit, self.lang) if current else self.t("no_data_cell"),
                    "base": ex.base if current else "",  # "af 37 undersøgelser" under a share of few cases
                    "when": self.year_of(ex) if current else "",  # a yearly figure's year: the header names only a month
                    "note": note,
                    "variation": ex.variation.headline,  # the first thing a tile says: normal variation or a special pattern
                    "variation_kind": ex.variation.kind,
                    "change": change,
                    "change_text": self.t(f"change_{change}", when=fmt.period(ex.compared, self.lang), old=ex.previous_text),
                    "status_text": self.status_text(ex, ind, target),
                    "on_track": ex.on_track,
                    "target": fmt.value(target, ind.unit, self.lang) if target is not None else "",
                    "sentences": [s for s in ex.sentences if s not in said_apart],
                }
            )
            if ex.suppressed:
                tiles[-1].update(self.hidden_tile(ex, ind, staged.total()))
            if block.front:
                tiles[-1] = front_tile(tiles[-1], staged, self.ctx, self.hooks, view.page.path)
        if block.front:
            tiles += added_tiles(self.ctx, self.hooks, view.page.path)
        return {"kind": "keyfigures", "tiles": tiles, "front": block.front}

    def table(self, block: Table) -> dict[str, Any]:
        audience = self.ctx.audience
        check_table_columns(block, audience, self.ctx.person_columns, self.t)
        heads = [column_label(c, self.t) for c in block.frame.columns]
        numeric = [col in block.formats or pd.api.types.is_numeric_dtype(block.frame[col]) and not pd.api.types.is_bool_dtype(block.frame[col])
                   for col in block.frame.columns]
        hidden = {}
        for col in block.counts:
            if col not in block.frame.columns:
                raise BuildError(self.t("plugin_error.count_column_missing", caption=block.caption, column=col))
            hidden[col] = hide_small(block.frame[col].fillna(0).astype(float), self.ctx.audience.min_count, self.lang)
        cells = [hidden[col] if col in hidden else table_cells(block.frame.iloc[:, i].tolist(), block.formats.get(col), self.lang)
                 for i, col in enumerate(block.frame.columns)]  # column by column: a row Series per row costs more than the row
        rows = [list(row) for row in zip(*cells)] if cells else [[] for _ in range(len(block.frame))]
        return {"kind": "table", "caption": block.caption, "heads": heads, "rows": rows, "numeric": numeric}


def table_cells(values: list, unit: str | None, lang: str) -> list[str]:
    """A table column's cells as text: with ``unit`` as :func:`lisite.fmt.value` writes it (every krone), a date short,
    a number with a decimal unless it is whole, an empty cell empty."""
    cells = []
    for value in values:
        if unit:
            cells.append(fmt.value(value, unit, lang, exact=True))
        elif isinstance(value, pd.Timestamp):
            cells.append(fmt.short_date(value, lang))
        elif value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            cells.append("")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            cells.append(fmt.number(value, 0 if float(value).is_integer() else 1, lang))
        else:
            cells.append(str(value))
    return cells


def table_digest(block: Table) -> str:
    """A hash of everything a table's view is made from in the block: its cells (:func:`lisite.tracking.result_digest`)
    and its settings. Worked out once for each block object: a page kept from the last build of ``lisite serve`` (pages
    are cached by what their plugin read, :func:`lisite.build.plugin_pages`) hands back the same blocks, whose views
    are found by it (128 tables each data edit of the demo, 106 of them on kept pages)."""
    known = TABLE_DIGESTS.get(id(block))
    if known is not None and known[0]() is block:
        return known[1]
    found = "table:" + digest(block.caption, block.person_level, sorted(block.formats.items()), block.counts, result_digest(block.frame))
    key = id(block)
    try:
        TABLE_DIGESTS[key] = (weakref.ref(block, lambda _, key=key: TABLE_DIGESTS.pop(key, None)), found)
    except TypeError:  # a block that takes no weak reference (a subclass with __slots__): worked out each time
        pass
    return found


#: id of a table block → (a weak reference to it, its digest): an entry goes with its block
TABLE_DIGESTS: dict[int, tuple[weakref.ref, str]] = {}


def with_total(frame: pd.DataFrame, total: pd.DataFrame, by: str, label: str) -> pd.DataFrame:
    """A breakdown with the municipality's total as the last row of each period, so the text's figures are in the table."""
    rows = total[total["period"].isin(frame["period"].unique())].assign(**{by: label})
    both = pd.concat([frame, rows], ignore_index=True)
    period = pd.factorize(both["period"], sort=True, use_na_sentinel=False)[0]  # (a missing period last, as sort_values has it)
    return both.take(np.lexsort((np.repeat([0, 1], [len(frame), len(rows)]), period)))  # by period, the total last


def with_missing(frame: pd.DataFrame, missing: list[str], by: str, label: str) -> pd.DataFrame:
    """The table's rows plus one "ingen data" row for each period of the shown range without a row."""
    missing = [p for p in missing if p not in set(frame["period"].astype(str))]  # a row without a value says so itself
    if not missing:
        return frame
    rows = pd.DataFrame({"period": missing, "missing": True, "suppressed": False, "value": float("nan"),
                         **({by: label} if by else {})})
    both = pd.concat([frame.assign(missing=False), rows], ignore_index=True)
    return both.sort_values("period", kind="stable").reset_index(drop=True)


def check_table_columns(block: Table, audience: Any, person_columns: dict[str, str], t: Any) -> None:
    """Refuse a table whose identifying columns the audience may not see (the error in ``t``'s language)."""
    from lisite.model import LEVELS

    rank = LEVELS.index(audience.level)
    blocked = [c for c in block.frame.columns if c in person_columns and LEVELS.index(person_columns[c]) > rank]
    if blocked:
        raise BuildError(t("plugin_error.table_not_allowed", caption=block.caption, columns=", ".join(blocked), audience=audience.id,
                           level=audience.level))
    if not block.person_level and any(c in person_columns for c in block.frame.columns):
        raise BuildError(t("plugin_error.table_person_level", caption=block.caption))
