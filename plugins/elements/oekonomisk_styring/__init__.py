"""Core element 8, Økonomisk styring og afrapportering: budget follow-up and prognosis.

Gives the element page (every audience that reads management figures) and the example report
"Månedlig økonomiopfølgning" (audiences that see figures by area or finer; also per area). Reads
the economy system's follow-up (dataset ``budget``): aggregated amounts per area, budget function
and group of measures. There is nothing per child in it, so nothing needs suppressing.
The figures are in :mod:`.followup`, the prognosis' text and chart in :mod:`.prognosis`; every
word comes from the catalogue, keys ``oekonomisk_styring.*``.
"""

from __future__ import annotations

import pandas as pd

import lisite

from .followup import COLUMNS, Forecast, follow_up_row, follow_up_table, forecast, full_year, monthly_spend  # noqa: F401
from .prognosis import amount, kind, outlook_chart, outlook_table, outlook_text, prognosis_chart, prognosis_table, prognosis_text, tile

ELEMENT = "oekonomisk_styring"
REPORT = "rapporter/oekonomi_maaned.html"
AMOUNTS = ("budget", "corrected", "spent", "expected", "deviation", "last_year")
STATUS = ("budget", "corrected", "spent", "spent_pct", "last_year")
OUTLOOK = ("corrected", "expected", "deviation")


def shown(ctx, table: pd.DataFrame, columns: tuple[str, ...], caption: str) -> lisite.Table:
    """Some columns of a follow-up table, amounts in mio. kr. (eight columns do not fit beside the menu)."""
    first = table.columns[0]
    frame = table[[first, *columns]].assign(**{c: (table[c] / 1e6).round(1) + 0.0 for c in columns if c in AMOUNTS})  # no "-0,0"
    names = {c: ctx.t(f"oekonomisk_styring.column.{c}") for c in columns}
    formats = {names[c]: "pct" if c == "spent_pct" else "gns" for c in columns}  # "gns": one decimal, no suffix
    return lisite.Table(frame.rename(columns=names), caption=caption, formats=formats)


def once(ctx, what: str, make, *key):
    """``make()`` once per build for every audience with the same data (``ctx.data`` differs only by the
    audience's ``filter``) and the same ``min_count``; each audience renders the shared blocks itself."""
    if getattr(ctx, "inputs", None) is None:  # a hand-made context (tests): nothing to key a kept value by
        return make()
    audience = ctx.audience
    limits = audience.filter if audience is not None else ()
    return ctx.memo((f"{ELEMENT}.{what}", limits, ctx.fmt.min_count, *key), make)


def budget_blocks(ctx, per_area: bool) -> list:
    """The follow-up table(s), the prognosis chart and the sentences that read it (made once per build)."""
    return list(once(ctx, "blocks", lambda: make_blocks(ctx, per_area), per_area))


def make_blocks(ctx, per_area: bool) -> list:
    t, year, month = ctx.t, ctx.config.year, ctx.config.month
    table, fc, description, sentences, prognosis, outlook = once(ctx, "figures", lambda: figures(ctx))
    total = table.iloc[-1]
    areas = once(ctx, "areas", lambda: follow_up_table(ctx.data["budget"], year, month, "omraade", t("column.omraade"),
                                                       t("municipality_total"))) if per_area else None
    blocks = [
        lisite.Markdown(text=t("oekonomisk_styring.status", year=year, until=ctx.fmt.period(f"{year}-{month:02d}"),
                               spent=amount(ctx, total["spent"]), share=ctx.fmt.value(total["spent_pct"], "pct"),
                               even=ctx.fmt.value(month / 12 * 100, "pct"), kind=kind(ctx, total["deviation"]),
                               deviation=amount(ctx, abs(total["deviation"])))),
        shown(ctx, table, STATUS, t("oekonomisk_styring.status_by_group")),
    ]
    if per_area:
        blocks.append(shown(ctx, areas, STATUS, t("oekonomisk_styring.status_by_area")))
    blocks += [
        lisite.Markdown(text=t("oekonomisk_styring.prognosis_heading", year=year)),
        lisite.ChartBlock(prognosis[0], description, table=prognosis[1]),
        *([lisite.ChartBlock(*outlook[:2], table=outlook[2])] if outlook else []),
        lisite.Markdown(text=" ".join(sentences)),
        shown(ctx, table, OUTLOOK, t("oekonomisk_styring.outlook_by_group")),
    ]
    if per_area:
        blocks.append(shown(ctx, areas, OUTLOOK, t("oekonomisk_styring.outlook_by_area")))
    return blocks


def figures(ctx) -> tuple:
    """What the element page and the report share: the follow-up by group of measures, the prognosis, its words,
    the prognosis chart with its table and the outlook chart with its text and table (``None`` in December,
    when the year is known and there is no interval to show)."""
    t, budget = ctx.t, ctx.data["budget"]
    year, month = ctx.config.year, ctx.config.month
    label = t("column.indsatsgruppe")
    table = follow_up_table(budget, year, month, "indsatsgruppe", label, t("oekonomisk_styring.total"))
    table[label] = [t.get(f"oekonomisk_styring.group.{v}", v) for v in table[label]]  # the data model's groups, in words
    corrected = table.iloc[-1]["corrected"]
    fc = forecast(monthly_spend(budget, year, month), year, month)
    description, sentences = prognosis_text(ctx, fc, corrected, year, month)
    prognosis = prognosis_chart(ctx, budget, fc, corrected, year, month), prognosis_table(ctx, budget, fc, year, month)
    outlook = (outlook_chart(ctx, fc, corrected, year), outlook_text(ctx, fc, corrected, year),
               outlook_table(ctx, fc, corrected, year)) if fc.remaining else None
    return table, fc, description, sentences, prognosis, outlook


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    t = ctx.t
    has_budget = "budget" in ctx.data and len(ctx.data["budget"])
    per_area = "omraade" in audience.level_columns
    mine = [i.id for i in sorted(ctx.indicators.values(), key=lambda i: not i.key_figure) if i.element == ELEMENT]
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if has_budget:
        blocks += budget_blocks(ctx, per_area=False)
        if audience.level in lisite.MANAGERS:
            blocks.append(lisite.Markdown(text=t("oekonomisk_styring.see_report", url=f"../{REPORT}")))
    if mine:
        blocks.append(lisite.Markdown(text=t("oekonomisk_styring.key_figures_heading")))
        blocks += [lisite.IndicatorView(i) for i in mine]
    pages = [lisite.Page(f"elementer/{ELEMENT}.html", t(f"element.{ELEMENT}"), blocks, section=t("section.elements"), order=67)]
    if has_budget and audience.level in lisite.MANAGERS:
        blocks = [*budget_blocks(ctx, per_area), lisite.Markdown(source="rapporter/oekonomi_maaned.md")]
        pages.append(lisite.Page(REPORT, t("oekonomisk_styring.report_title"), blocks, section=t("section.reports"), order=81))
    return pages


@lisite.hookimpl
def lisite_front_tiles(audience, ctx):
    """The year's expected result against the budget on the front page, for an audience that has the page with
    the prognosis (and from the same figures: the budget as the audience may see it)."""
    page = f"elementer/{ELEMENT}.html"
    budget = ctx.data.get("budget")
    if audience.level not in lisite.READERS or page not in ctx.pages or budget is None or not len(budget):
        return []
    table, fc = once(ctx, "figures", lambda: figures(ctx))[:2]  # as the page has them (made with it)
    return [tile(ctx, fc, table.iloc[-1]["corrected"], ctx.config.year, page)]  # the table's last row: everything it sees
