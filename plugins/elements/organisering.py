"""Core element 2, Organisering og tværfagligt samarbejde: teams and work across sectors.

Who notifies the municipality about a child (school, daycare, health, police)
says how well the sectors around the child work with the children's services.
The notifications indicator belongs to the administration theme; this plugin
adds the number of caseworkers per team and the page for the element.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc, fmt
from lisite.staging import stage

NOTIFICATIONS = "administration.underretninger"
STAFF = "organisering.medarbejdere"
PROFESSIONALS = ("Skole", "Dagtilbud", "Sundhedsvæsen", "Politi")


def caseworkers_employed(ctx):
    """Caseworkers employed on the last day of each month, by team."""
    staff = ctx.data["medarbejdere"]
    staff = staff[staff["rolle"] == "Sagsbehandler"]
    return calc.active_counts(staff, "ansat", "fratraadt", ctx.months(), by=("team",))


INDICATORS = [
    lisite.Indicator(
        id=STAFF, title="Ansatte sagsbehandlere", theme="administration", element="organisering", unit="antal",
        compute=caseworkers_employed, levels=("team",), shown_to=lisite.MANAGERS,
        definition="Antal medarbejdere med rollen sagsbehandler, der var ansat på månedens sidste dag. "
        "Ledere og fagkoordinatorer tælles ikke med.",
        source="Personaleoversigten (medarbejdere)", collection="Udtræk fra personalesystemet",
        numerator="Sagsbehandlere ansat på månedens sidste dag",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def sources_last_12_months(ctx) -> tuple[pd.DataFrame, str]:
    """Notifications of the last 12 months by source, staged for the audience (small counts hidden).

    Returns the rows by source plus the total (``kilde`` empty) and the period in words.
    """
    indicator = ctx.indicators[NOTIFICATIONS]
    raw = ctx.results[NOTIFICATIONS]
    months = sorted(raw["period"].astype(str).unique())[-12:]
    window = raw[raw["period"].astype(str).isin(months)].assign(period="12 mdr")
    staged = stage(indicator, window, ctx.audience)
    frame = staged.frame.drop(columns="_total")
    label = f"{fmt.period(months[0], ctx.config.language)} – {fmt.period(months[-1], ctx.config.language)}"
    return frame, label


def source_table(ctx) -> tuple[lisite.Table | None, str]:
    """The share of notifications from each source in the last 12 months, and a sentence about it."""
    lang, hidden = ctx.config.language, f"under {ctx.audience.min_count}"
    frame, label = sources_last_12_months(ctx)
    total = frame[frame["_by"] == ""].iloc[0]["numerator"]
    if not total > 0:
        return None, f"Der er ingen underretninger at vise for de seneste 12 måneder ({label})."
    rows = frame[frame["_by"] == "kilde"].sort_values("numerator", ascending=False, na_position="last")
    rows = rows.assign(share=rows["numerator"] / total * 100)

    def cells(column: str, unit: str) -> list[str]:
        return [hidden if gone else fmt.value(v, unit, lang) for v, gone in zip(rows[column], rows["suppressed"])]

    table = pd.DataFrame({
        "Hvem underrettede": [*rows["kilde"], "I alt"],
        "Antal underretninger": [*cells("numerator", "antal"), fmt.value(total, "antal", lang)],
        "Andel": [*cells("share", "pct"), fmt.value(100, "pct", lang)],
    })
    named = [f"{k.lower()} ({fmt.value(v, 'pct', lang)})" for k, v in rows[~rows["suppressed"]].head(3)[["kilde", "share"]].values]
    top = " og ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else "".join(named)
    sentence = f"I de seneste 12 måneder ({label}) modtog kommunen {fmt.value(total, 'antal', lang)} underretninger. "
    sentence += f"Flest kom fra {top}."
    professional = rows[rows["kilde"].isin(PROFESSIONALS)]
    if len(professional) == len(PROFESSIONALS) and not professional["suppressed"].any():
        part = fmt.value(professional["share"].sum(), "pct", lang)
        sentence += f" Fagfolk i skole, dagtilbud, sundhedsvæsen og politi stod tilsammen for {part} af underretningerne."
    return lisite.Table(table, caption=f"Underretninger efter hvem der underrettede, {label}"), sentence


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    blocks = [lisite.Markdown(source="elementer/organisering.md")]
    if NOTIFICATIONS in ctx.indicators:
        table, sentence = source_table(ctx)
        blocks.append(lisite.Markdown(text=f"## Hvem underretter kommunen?\n\n{sentence}"))
        if table is not None:
            blocks.append(table)
        blocks.append(lisite.IndicatorView(NOTIFICATIONS, by="kilde", kind="line", last=12))
    if STAFF in ctx.indicators:
        by_team = "team" in ctx.staged(STAFF).keys
        text = ("## Sagsbehandlere i teamene\n\nSagerne er fordelt på team efter barnets alder og behov. Her ses, "
                "hvor mange sagsbehandlere der er ansat til at dele sagerne.")
        if by_team:
            text += " Det første diagram viser hele afdelingen over tid, det andet hvert team ved seneste månedsskifte."
        blocks += [lisite.Markdown(text=text), lisite.IndicatorView(STAFF)]
        if by_team:
            blocks.append(lisite.IndicatorView(STAFF, by="team", kind="bar", last=1))
    return [lisite.Page("elementer/organisering.html", "Organisering og tværfagligt samarbejde", blocks,
                        section="Kerneelementer", order=62)]
