"""Core element 3, Faglig udvikling: common methods, supervision, turnover and new colleagues.

All figures are about caseworkers (rolle "Sagsbehandler") in the staff list
``medarbejdere``. The staff list gives training (ICS, Signs of Safety) and
supervision hours only as they are on the day of the extract, so those three
figures exist for the current month alone; turnover and new hires are
computed for every month from the hiring and leaving dates.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc

ELEMENT = "faglig_udvikling"
SNAPSHOT_NOTE = " Oplysningen findes kun, som den er i dag, så tallet vises kun for den seneste måned."


def caseworkers(ctx) -> pd.DataFrame:
    staff = ctx.data["medarbejdere"]
    return staff[staff["rolle"] == "Sagsbehandler"]


def employed_on(staff: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    return calc.active_on(staff, "ansat", "fratraadt", day)


def year_before(period: str) -> pd.Timestamp:
    """The last day of the month twelve months before ``period``."""
    return calc.month_end(str(pd.Period(period, "M") - 12))


def by_team(frame: pd.DataFrame, period: str, **columns) -> pd.DataFrame:
    """Sum (numerator) and count (denominator) of a column per team, for one period."""
    out = frame.groupby("team").agg(**columns).reset_index()
    out.insert(0, "period", period)
    return out


def turnover(ctx):
    """Of the caseworkers employed a year before each month end, the share no longer employed at it."""
    staff = caseworkers(ctx)
    parts = []
    for period in ctx.months():
        cohort = staff[employed_on(staff, year_before(period))]
        left = (~employed_on(cohort, calc.month_end(period))).astype(float)
        parts.append(by_team(cohort.assign(left=left), period, numerator=("left", "sum"), denominator=("left", "size")))
    return pd.concat(parts, ignore_index=True)


def new_hires(ctx):
    """Caseworkers hired in the twelve months up to each month end."""
    staff = caseworkers(ctx)
    parts = []
    for period in ctx.months():
        hired = ((staff["ansat"] > year_before(period)) & (staff["ansat"] <= calc.month_end(period))).astype(float)
        parts.append(by_team(staff.assign(hired=hired), period, numerator=("hired", "sum")))
    return pd.concat(parts, ignore_index=True)


def trained(column: str):
    """A compute function: the share of caseworkers employed now with the given training."""
    def compute(ctx):
        staff = caseworkers(ctx)
        now = staff[employed_on(staff, ctx.end)]
        flag = now[column].fillna(False).astype(float)
        return by_team(now.assign(flag=flag), ctx.period, numerator=("flag", "sum"), denominator=("flag", "size"))
    return compute


def supervision(ctx):
    """Supervision hours in the last year per caseworker employed now."""
    staff = caseworkers(ctx)
    now = staff[employed_on(staff, ctx.end)]
    return by_team(now, ctx.period, numerator=("supervision_timer", "sum"), denominator=("supervision_timer", "size"))


def _indicator(name, title, compute, unit, **kw):
    kw.setdefault("audiences", ("direktion", "ledere"))
    return lisite.Indicator(
        id=f"{ELEMENT}.{name}", title=title, theme="administration", element=ELEMENT, unit=unit, compute=compute,
        levels=("team",), source="Personaleoversigten (medarbejdere)", collection="Udtræk fra personalesystemet", **kw
    )


INDICATORS = [
    _indicator(
        "personaleomsaetning", "Personaleomsætning blandt sagsbehandlere", turnover, "pct", better="lower",
        audiences=("udvalg", "direktion", "ledere"),
        definition="Andel af de sagsbehandlere, der var ansat for 12 måneder siden, som ikke længere er ansat ved "
        "månedens udgang, beregnet ud fra ansættelses- og fratrædelsesdatoer i personaleoversigten.",
    ),
    _indicator(
        "nyansatte", "Nyansatte sagsbehandlere de seneste 12 måneder", new_hires, "antal",
        definition="Antal sagsbehandlere, der er ansat i de 12 måneder op til månedens udgang, også dem der er "
        "fratrådt igen.",
    ),
    _indicator(
        "ics_uddannet", "Sagsbehandlere uddannet i ICS", trained("ics_uddannet"), "pct", better="higher",
        definition="Andel af de ansatte sagsbehandlere, der er uddannet i ICS (Integrated Children's "
        "System), den fælles metode til børnefaglige undersøgelser." + SNAPSHOT_NOTE,
    ),
    _indicator(
        "sos_uddannet", "Sagsbehandlere uddannet i Signs of Safety", trained("sos_uddannet"), "pct", better="higher",
        definition="Andel af de ansatte sagsbehandlere, der er uddannet i Signs of Safety, en "
        "metode til at samarbejde med familien om barnets sikkerhed." + SNAPSHOT_NOTE,
    ),
    _indicator(
        "supervision", "Supervision pr. sagsbehandler (timer det seneste år)", supervision, "gns", better="higher",
        definition="Gennemsnitligt antal timers supervision det seneste år pr. ansat sagsbehandler. "
        "Nyansatte har haft kortere tid til supervision og trækker gennemsnittet ned." + SNAPSHOT_NOTE,
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.id not in ("udvalg", "direktion", "ledere"):
        return []
    mine = [i.id for i in INDICATORS if i.id in ctx.indicators]
    if not mine:
        return []
    blocks = [lisite.Markdown(source="elementer/faglig_udvikling.md")]
    if len(mine) > 1:
        blocks.append(lisite.KeyFigures(tuple(mine)))
    for indicator_id in mine:
        blocks.append(lisite.IndicatorView(indicator_id))
        if "team" in ctx.staged(indicator_id).keys:
            blocks.append(lisite.IndicatorView(indicator_id, by="team", kind="bar", last=1))
    return [lisite.Page(f"elementer/{ELEMENT}.html", "Faglig udvikling", blocks, section="Kerneelementer", order=63)]
