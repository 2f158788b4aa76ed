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
    if ctx.inputs is None:  # a hand-made context (tests): nothing to key a kept value by
        return make()
    audience = ctx.audience
    limits = audience.filter if audience is not None else ()
    return ctx.memo((f"{ELEMENT}.{what}", limits, ctx.fmt.min_count, *key), make)


def budget_blocks(ctx, per_area: bool) -> list:
    """The follow-up table(s), the prognosis chart and the sentences that read it (made once per build)."""
    return list(once(ctx, "blocks", lambda: make_blocks(ctx, per_area), per_area))


def make_blocks(ctx, per_area: bool) -> list:
    t, budget = ctx.t, ctx.data["budget"]
    year, month = ctx.config.year, ctx.config.month
    label = t("column.indsatsgruppe")
    table = follow_up_table(budget, year, month, "indsatsgruppe", label, t("oekonomisk_styring.total"))
    table[label] = [t.get(f"oekonomisk_styring.group.{v}", v) for v in table[label]]  # the data model's groups, in words
    total = table.iloc[-1]
    fc = forecast(monthly_spend(budget, year, month), year, month)
    description, sentences = prognosis_text(ctx, fc, total["corrected"], year, month)
    areas = follow_up_table(budget, year, month, "omraade", t("column.omraade"), t("municipality_total")) if per_area else None
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
        lisite.ChartBlock(prognosis_chart(ctx, budget, fc, total["corrected"], year, month), description,
                          table=prognosis_table(ctx, budget, fc, year, month)),
        *([lisite.ChartBlock(outlook_chart(ctx, fc, total["corrected"], year), outlook_text(ctx, fc, total["corrected"], year),
                             table=outlook_table(ctx, fc, total["corrected"], year))]
          if fc.remaining else []),  # in December the year is known: no interval to show
        lisite.Markdown(text=" ".join(sentences)),
        shown(ctx, table, OUTLOOK, t("oekonomisk_styring.outlook_by_group")),
    ]
    if per_area:
        blocks.append(shown(ctx, areas, OUTLOOK, t("oekonomisk_styring.outlook_by_area")))
    return blocks


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
    year, month = ctx.config.year, ctx.config.month
    corrected = once(ctx, "corrected", lambda: follow_up_row(budget, year, month)["corrected"])  # the follow-up table's
    # last row: everything the audience sees
    fc = once(ctx, "forecast", lambda: forecast(monthly_spend(budget, year, month), year, month))
    return [tile(ctx, fc, corrected, year, page)]
