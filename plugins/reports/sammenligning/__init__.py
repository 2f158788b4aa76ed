"""Comparisons that explain themselves: the municipality against its own past, its target,
a group of comparable municipalities and the whole country.

For every indicator with ``benchmark`` set (a figure of the benchmark
catalogue ``content/sammenligninger/noegletal.toml``, see :mod:`.catalogue`:
which columns, what is counted, the source), shown as a whole-municipality
figure to an audience at level municipality or area, this plugin adds a
comparison part below the engine's own chart: sentences that tell real change
from random variation, a chart with the municipality highlighted, a table, the
national figure's definition and source and the authored caveat in
``content/sammenligninger/<indicator id>.md`` (``content/en/...`` in English);
then a funnel plot of every municipality (:mod:`.funnel`), whose verdict the
sentence on the country uses, and a map of every municipality coloured by the figure (:mod:`.choropleth`).
Every word comes from the catalogue, keys ``sammenligning.*``. The comparison group is the
committee's list (``[comparison] municipalities``) or the ``k`` municipalities
nearest on standardised ``variables`` (see :mod:`lisite.compare`). The report
page ``rapporter/sammenligning.html`` names the group, shows how it was chosen and links to one page per
figure (:func:`report_path`) with the whole comparison: funnel plot, map and each member over time. A theme
page shows the comparison itself and links there: 98 municipalities drawn twice for every figure would make
each theme page heavy to load.

The figures of a comparison are the same for every audience that sees the whole municipality with the same
own figures, so they are made once per build (``ctx.memo``), as is the group (the same for every figure).
"""

from __future__ import annotations

import hashlib
import math

import pandas as pd

import lisite
from lisite import fmt

from . import catalogue, chart, choropleth, figures, funnel, text

LEVELS = ("municipality", "area")
REPORT = "rapporter/sammenligning.html"


def whole_municipality(audience) -> bool:
    """Only an audience that sees the whole municipality is compared with other municipalities: the figure of
    one area (an audience with a ``filter``) is not the municipality's figure."""
    return audience.level in LEVELS and not audience.filter


class FullComparison(lisite.IndicatorView):
    """An indicator with its whole comparison: below the comparison the funnel plot and the map of every
    municipality (the comparison's own page for the figure); a plain :class:`lisite.IndicatorView` links there."""


def report_path(indicator) -> str:
    """The page with the indicator's whole comparison."""
    return f"{REPORT.removesuffix('.html')}/{indicator.id.replace('.', '-')}.html"


def kept(ctx, key, make):
    """``ctx.memo``, or ``make()`` for a hand-made context (tests) that has no inputs to key a kept value by."""
    return make() if getattr(ctx, "inputs", None) is None else ctx.memo(key, make)


def site_catalogue(ctx) -> tuple[str, dict]:
    """The hash of the site's benchmark catalogue and its entries, parsed once per build for the same text."""
    text = ctx.content.get(catalogue.FILE) if ctx.content else None
    digest = hashlib.sha256((text or "").encode()).hexdigest()
    return digest, kept(ctx, ("sammenligning.catalogue", digest), lambda: catalogue.parse(text) if text else {})


def compared(indicator, ctx) -> tuple[tuple, figures.Comparison] | None:
    """The :class:`figures.Comparison` for an indicator as the current audience sees it with the key it is kept
    by, or ``None``.

    The benchmark catalogue says which columns the figure needs; a monthly figure compared with a status on
    31 December is compared by its December figures. Made once per build for the same own figures, target
    and catalogue (audiences that see the same figures share it)."""
    bench = ctx.data.get("benchmark")
    if not indicator.benchmark or bench is None:
        return None
    digest, entries = site_catalogue(ctx)
    found = catalogue.entry(entries, indicator.benchmark)
    lacking = kept(ctx, ("sammenligning.lacking", digest, indicator.benchmark),
                   lambda: any(column not in bench.columns or bench[column].isna().all() for column in found.columns))
    if lacking:
        return None  # a figure the benchmark does not have (an optional column left empty, e.g. by the DST recipe)
    own = catalogue.yearly(ctx.staged(indicator.id).total(), found)
    target = ctx.target(indicator.id)
    mine = tuple(zip(own["period"].astype(str), own["numerator"], own["denominator"], own["value"]))
    key = ("sammenligning.comparison", indicator.id, digest, mine, target)
    memo = None if getattr(ctx, "inputs", None) is None else ctx.memo
    c = kept(ctx, key, lambda: figures.build(indicator, own, bench, ctx.config, target, ctx.t, entries=entries, memo=memo))
    return None if c is None else (key, c)


def comparison(indicator, ctx):
    """The :class:`figures.Comparison` for an indicator as the current audience sees it, or ``None`` (see :func:`compared`)."""
    found = compared(indicator, ctx)
    return None if found is None else found[1]


def part(indicator, ctx) -> dict | None:
    """The comparison part for one indicator: sentences, chart, tables, group and caveat."""
    found = compared(indicator, ctx)
    if found is None:
        return None
    return _part(found, indicator, ctx)


def _part(found, indicator, ctx, full: bool = True) -> dict:
    """The part, made once per build for the same comparison and caveat (every page and audience showing it)."""
    key, c = found
    caveat = ctx.content.get(f"sammenligninger/{indicator.id}.md") if ctx.content else None

    def make() -> dict:
        sentences = text.sentences(c, indicator)
        return {
            "kind": "comparison",
            "sentences": sentences,
            "chart": chart.comparison_chart(c, ctx.t("sammenligning.chart_title", title=indicator.title, name=c.name)),
            "description": " ".join(sentences),
            "table": text.table(c, indicator),
            "summary": text.summary(c),
            "group": text.group_sentence(c),
            "notes": c.notes,
            "about": catalogue.about(c, ctx.data["benchmark"].attrs.get("dst")),
            "caveat_html": lisite.markdown(caveat) if caveat else "",
        }

    return {
        **kept(ctx, ("sammenligning.part", key, caveat), make),
        # where the funnel plot and the map are, when this page does not show them
        "more": None if full else {"path": report_path(indicator),
                                   "text": ctx.t("sammenligning.more" if c.funnel is not None else "sammenligning.more_map")},
    }


@lisite.hookimpl
def lisite_indicator_view(indicator, staged, block, audience, ctx):
    if block.by or not whole_municipality(audience) or not indicator.benchmark:
        return []
    found = compared(indicator, ctx)
    if found is None:
        return []
    if not isinstance(block, FullComparison):
        return [_part(found, indicator, ctx, full=False)]
    key, c = found

    def below() -> list:  # the funnel's axis is named by the catalogue: its text is in the key
        spread = funnel.part(c, indicator, catalogue.size_words(c, site_catalogue(ctx)[1]))
        return [p for p in (spread, choropleth.part(c, indicator)) if p]

    return [_part(found, indicator, ctx), *kept(ctx, ("sammenligning.below", key), below)]


@lisite.hookimpl
def lisite_tile_lines(indicator, audience, ctx):
    """The front-page tile's line on where the municipality stands, from the comparison its page shows."""
    if not whole_municipality(audience) or not indicator.benchmark:
        return []
    c = comparison(indicator, ctx)
    return [text.tile_line(c)] if c is not None else []


@lisite.hookimpl
def lisite_validate(data, config):
    bench = data.get("benchmark")
    if bench is None:
        return []
    problems, t = [], fmt.words(config.language)
    missing = [v for v in config.comparison_variables if v not in bench.columns]
    if missing:
        problems.append(lisite.Problem(t("sammenligning.problem_variables", variables=", ".join(missing)),
                                       dataset="benchmark", file="lisite.toml"))
    known = set(bench["kommunekode"])
    for code in [config.municipality_code, *config.comparison_municipalities]:
        if code not in known:
            problems.append(lisite.Problem(t("sammenligning.problem_code", code=code), dataset="benchmark", file="lisite.toml"))
    return problems + catalogue.site_problems(config, t)


def group_table(c) -> pd.DataFrame:
    """The group as a table: own first, each member's values on the structural variables and, for the nearest,
    how far each member is on each variable (on the common scale) and in all (the distance)."""
    table = c.group.table
    say = text.say
    names = [say(c, "own_municipality", name=n) if code == c.code else n for code, n in zip(table["kommunekode"], table["kommune"])]
    out = pd.DataFrame({say(c, "municipality"): names})
    for variable in c.group.variables:
        known = table[variable].dropna()  # a listed member without the year has no values (and makes ints floats)
        digits = 2 if known.dtype.kind == "f" and not all(float(v).is_integer() for v in known) else 0
        out[_heading(c, variable)] = [fmt.number(v, digits, c.lang) for v in table[variable]]
    if c.group.chosen_by == "nearest":  # the distance first, then what it is made of
        out[say(c, "distance")] = [fmt.number(d, 2, c.lang) for d in table["distance"]]
        for variable in c.group.variables:
            short = c.t.get(f"sammenligning.variable_short.{variable}", None) or c.t.get(f"sammenligning.variable.{variable}", variable)
            out[say(c, "part", variable=short)] = [fmt.number(d, 2, c.lang) for d in table[f"part.{variable}"]]
    return out


def _heading(c, variable: str) -> str:
    heading = c.t.get(f"sammenligning.variable.{variable}", variable)
    return heading[:1].upper() + heading[1:]


def how_chosen(c) -> str:
    """Markdown: how the group was chosen, in words a committee member understands, with the warning when
    even the nearest municipalities are far away."""
    say = text.say
    index = " " + say(c, "index_explained") if "socio_indeks" in c.group.variables else ""
    if c.group.chosen_by == "config":
        return say(c, "how_config", count=len(c.group.codes), name=c.name, index=index)
    group = c.group
    count = len(group.variables)
    sizes = say(c, "how_sizes", variables=text.variable_names(c, group.logged)) + " " if group.logged else ""
    parts = [say(c, "how_nearest", count=len(group.codes), name=c.name, variables=text.variable_names(c, group.variables),
                 year=group.year, index=index, number=c.t.get(f"sammenligning.count.{count}", str(count)), sizes=sizes)]
    if math.isfinite(group.limit):
        parts.append(say(c, "how_limit", k=group.k, limit=fmt.number(group.limit, 2, c.lang),
                         least=c.t.get(f"sammenligning.count.{figures.LEAST}", str(figures.LEAST))))
    if group.far:
        parts.append(say(c, "how_far", name=c.name, count=c.t.get(f"sammenligning.count.{len(group.codes)}", str(len(group.codes))), k=group.k,
                         farthest=fmt.number(group.table["distance"].max(), 2, c.lang), limit=fmt.number(group.limit, 2, c.lang)))
    if group.left_out:
        parts.append(say(c, "group_left_out", listed=fmt.join(list(group.left_out.values()), c.lang), year=group.year))
    return "\n\n".join(parts)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if not whole_municipality(audience):
        return []
    shown = [i for i in ctx.indicators.values() if i.benchmark]
    if not shown or ctx.data.get("benchmark") is None:
        return []
    found = [(i, pair) for i, pair in ((i, compared(i, ctx)) for i in shown) if pair is not None]
    if not found:
        return []
    t = ctx.t
    first = found[0][1][1]
    section = t("section.reports")
    listed = "\n".join(f"- [{indicator.title}]({report_path(indicator).removeprefix('rapporter/')}): {text.tile_line(c)}"
                       for indicator, (_, c) in found)
    blocks = [
        lisite.Markdown(source="rapporter/sammenligning.md"),
        lisite.Markdown(text=f"## {t('sammenligning.how_heading')}\n\n" + how_chosen(first)),
        lisite.Table(group_table(first), caption=t("sammenligning.group_caption", name=first.name, year=first.group.year)),
        lisite.Markdown(text=f"## {t('sammenligning.figures_heading')}\n\n{t('sammenligning.figures_intro')}\n\n{listed}"),
        lisite.Markdown(source="rapporter/sammenligning_tragt.md"),
    ]
    pages = [lisite.Page(REPORT, t("sammenligning.page_title"), blocks, section=section, order=60,
                         intro=t("sammenligning.page_intro", name=ctx.config.municipality_name))]
    for indicator, (key, c) in found:
        title = t("sammenligning.multiples_title", title=indicator.title)
        drawn, table = kept(ctx, ("sammenligning.multiples", key),  # once per build for the same comparison
                            lambda: (chart.small_multiples(c, title), chart.multiples_table(c, title)))
        multiples = lisite.ChartBlock(
            drawn, t("sammenligning.multiples_description", title=indicator.title.lower(), first=c.years[0], last=c.latest, name=c.name),
            table=table,
        )
        back = lisite.Markdown(text=t("sammenligning.figure_intro", report=t("sammenligning.page_title"), path="../sammenligning.html"))
        pages.append(lisite.Page(report_path(indicator), t("sammenligning.figure_title", title=indicator.title),
                                 [back, FullComparison(indicator.id), multiples], section=section, order=61))
    return pages
