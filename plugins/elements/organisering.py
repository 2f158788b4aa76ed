"""Core element 2, Organisering og tværfagligt samarbejde: teams and work across sectors.

Who notifies the municipality about a child (school, daycare, health, police)
says how well the sectors around the child work with the children's services.
The notifications indicator belongs to the administration theme; this plugin
adds the number of caseworkers per team and the page for the element. Its
words are the catalogue's ``organisering.*`` keys; the indicator's words are
in ``content/indikatorer/organisering.medarbejdere.md``.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import fmt

ELEMENT = "organisering"
NOTIFICATIONS = "administration.underretninger"
STAFF = "organisering.medarbejdere"
#: The notification sources (values of ``underretninger.kilde`` in the data model) that are professionals
#: with a duty to notify; the sentence ``organisering.professionals`` names them in words.
PROFESSIONALS = ("Skole", "Dagtilbud", "Sundhedsvæsen", "Politi")

INDICATORS = [
    lisite.Indicator(
        id=STAFF, theme="administration", element=ELEMENT, unit="antal", levels=("team",), shown_to=lisite.MANAGERS,
        count=lisite.Count(dataset="medarbejdere", active=("ansat", "fratraadt"), where="rolle == 'Sagsbehandler'"),
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def sources_last_12_months(ctx) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Notifications of the last 12 months as the audience may see them (summed, then suppressed by the engine).

    Returns the total row(s), the rows by source and the 12 months in words ("" when there are none).
    """
    months = sorted(ctx.staged(NOTIFICATIONS).total()["period"].unique())[-12:]
    window = ctx.staged(NOTIFICATIONS, window=12)
    label = ctx.t("organisering.months", first=ctx.fmt.period(months[0]), last=ctx.fmt.period(months[-1])) if months else ""
    return window.total(), window.by("kilde"), label


def source_table(ctx) -> tuple[lisite.Table | None, str]:
    """The share of notifications from each source in the last 12 months, and a sentence about it."""
    t, f = ctx.t, ctx.fmt
    totals, rows, label = sources_last_12_months(ctx)
    total = totals.iloc[0]["numerator"] if len(totals) else float("nan")
    if not total > 0:
        return None, t("organisering.no_notifications", months=label)
    rows = rows.sort_values("numerator", ascending=False, na_position="last")
    rows = rows.assign(share=rows["numerator"] / total * 100)
    records = rows.to_dict("records")
    table = pd.DataFrame({
        t("organisering.col_source"): [*rows["kilde"], t("organisering.total")],
        t("organisering.col_count"): [*(f.cell(r, "numerator", "antal") for r in records), f.value(total, "antal")],
        t("organisering.col_share"): [*(f.cell(r, "share", "pct") for r in records), f.value(100, "pct")],
    })
    sentences = [t("organisering.received", months=label, count=f.value(total, "antal"))]
    shown = rows[~rows["suppressed"]].head(3)
    named = [t("organisering.source_share", source=k.lower(), share=f.value(v, "pct")) for k, v in shown[["kilde", "share"]].values]
    if named:
        sentences.append(t("organisering.most_from", sources=fmt.join(named, f.lang)))
    professional = rows[rows["kilde"].isin(PROFESSIONALS)]
    if len(professional) == len(PROFESSIONALS) and not professional["suppressed"].any():
        sentences.append(t("organisering.professionals", share=f.value(professional["share"].sum(), "pct")))
    return lisite.Table(table, caption=t("organisering.table_caption", months=label)), " ".join(sentences)


def staff_blocks(ctx) -> list:
    """The caseworkers per team: the whole department over time and, where the audience may see it, each team."""
    by_team = "team" in ctx.staged(STAFF).keys
    text = f"## {ctx.t('organisering.staff_heading')}\n\n{ctx.t('organisering.staff_intro')}"
    if by_team:
        text += " " + ctx.t("organisering.staff_two_charts")
    blocks = [lisite.Markdown(text=text), lisite.IndicatorView(STAFF)]
    if by_team:
        blocks.append(lisite.IndicatorView(STAFF, by="team", kind="bar", last=1))
    return blocks


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if NOTIFICATIONS in ctx.indicators:
        table, sentence = source_table(ctx)
        blocks.append(lisite.Markdown(text=f"## {ctx.t('organisering.sources_heading')}\n\n{sentence}"))
        if table is not None:
            blocks.append(table)
        blocks.append(lisite.IndicatorView(NOTIFICATIONS, by="kilde", kind="line", last=12))
    if STAFF in ctx.indicators:
        blocks += staff_blocks(ctx)
    return [lisite.Page(f"elementer/{ELEMENT}.html", ctx.t(f"element.{ELEMENT}"), blocks,
                        section=ctx.t("section.elements"), order=62)]
