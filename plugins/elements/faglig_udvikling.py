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
from lisite import calc, fmt

ELEMENT = "faglig_udvikling"
TURNOVER, NEW_HIRES = f"{ELEMENT}.personaleomsaetning", f"{ELEMENT}.nyansatte"
ICS, SOS, SUPERVISION = f"{ELEMENT}.ics_uddannet", f"{ELEMENT}.sos_uddannet", f"{ELEMENT}.supervision"
SHORT = {ICS: "Uddannet i ICS", SOS: "Uddannet i Signs of Safety", SUPERVISION: "Timers supervision pr. sagsbehandler"}
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
    kw.setdefault("shown_to", lisite.MANAGERS)
    return lisite.Indicator(
        id=f"{ELEMENT}.{name}", title=title, theme="administration", element=ELEMENT, unit=unit, compute=compute,
        levels=("team",), source="Personaleoversigten (medarbejdere)", collection="Udtræk fra personalesystemet", **kw
    )


INDICATORS = [
    _indicator(
        "personaleomsaetning", "Personaleomsætning blandt sagsbehandlere", turnover, "pct", better="lower",
        shown_to=lisite.READERS,
        definition="Andel af de sagsbehandlere, der var ansat for 12 måneder siden, som ikke længere er ansat ved "
        "månedens udgang, beregnet ud fra ansættelses- og fratrædelsesdatoer i personaleoversigten.",
        numerator="Sagsbehandlere ansat for 12 måneder siden, som ikke længere er ansat ved månedens udgang",
        denominator="Sagsbehandlere, der var ansat for 12 måneder siden",
    ),
    _indicator(
        "nyansatte", "Nyansatte sagsbehandlere de seneste 12 måneder", new_hires, "antal",
        definition="Antal sagsbehandlere, der er ansat i de 12 måneder op til månedens udgang, også dem der er "
        "fratrådt igen.",
        numerator="Sagsbehandlere ansat i de 12 måneder op til månedens udgang",
    ),
    _indicator(
        "ics_uddannet", "Sagsbehandlere uddannet i ICS", trained("ics_uddannet"), "pct", better="higher",
        definition="Andel af de ansatte sagsbehandlere, der er uddannet i ICS (Integrated Children's "
        "System), den fælles metode til børnefaglige undersøgelser." + SNAPSHOT_NOTE,
        numerator="Ansatte sagsbehandlere uddannet i ICS",
        denominator="Alle ansatte sagsbehandlere ved månedens udgang",
    ),
    _indicator(
        "sos_uddannet", "Sagsbehandlere uddannet i Signs of Safety", trained("sos_uddannet"), "pct", better="higher",
        definition="Andel af de ansatte sagsbehandlere, der er uddannet i Signs of Safety, en "
        "metode til at samarbejde med familien om barnets sikkerhed." + SNAPSHOT_NOTE,
        numerator="Ansatte sagsbehandlere uddannet i Signs of Safety",
        denominator="Alle ansatte sagsbehandlere ved månedens udgang",
    ),
    _indicator(
        "supervision", "Supervision pr. sagsbehandler (timer det seneste år)", supervision, "gns", better="higher",
        definition="Gennemsnitligt antal timers supervision det seneste år pr. ansat sagsbehandler. "
        "Nyansatte har haft kortere tid til supervision og trækker gennemsnittet ned." + SNAPSHOT_NOTE,
        numerator="Timers supervision det seneste år for de ansatte sagsbehandlere, lagt sammen",
        denominator="Ansatte sagsbehandlere ved månedens udgang",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def snapshot_table(ctx, indicator_ids: list[str]) -> lisite.Table:
    """The current-month figures per team side by side, as the audience may see them."""
    lang, hidden = ctx.config.language, f"under {ctx.audience.min_count}"
    columns = {}
    for indicator_id in indicator_ids:
        staged = ctx.staged(indicator_id)
        rows = staged.by("team")
        rows = rows[rows["period"] == ctx.config.period].set_index("team")
        unit = staged.indicator.unit
        columns[SHORT[indicator_id]] = {
            team: hidden if row["suppressed"] else fmt.value(row["value"], unit, lang) for team, row in rows.iterrows()
        }
    frame = pd.DataFrame(columns).rename_axis("Team").reset_index()
    return lisite.Table(frame, caption=f"Metoder og supervision pr. team, {fmt.period(ctx.config.period, lang)}")


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    visible = [i.id for i in INDICATORS if i.id in ctx.indicators]
    if not visible:
        return []
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if TURNOVER in visible:
        blocks.append(lisite.IndicatorView(TURNOVER))
        if "team" in ctx.staged(TURNOVER).keys:
            blocks += [lisite.Markdown(text="Herunder ses personaleomsætningen i hvert team. Med få sagsbehandlere i "
                                       "et team kan én, der stopper, give et stort udslag."),
                       lisite.IndicatorView(TURNOVER, by="team", kind="bar", last=1)]
    if NEW_HIRES in visible:
        blocks.append(lisite.IndicatorView(NEW_HIRES))
    snapshot = [i for i in (ICS, SOS, SUPERVISION) if i in visible]
    if snapshot:
        when = fmt.period(ctx.config.period, ctx.config.language)
        blocks += [lisite.Markdown(text=f"## Fælles metoder og supervision\n\nTallene viser situationen ved udgangen af "
                                   f"{when}. Tidligere måneder findes ikke, fordi oplysningerne kun er registreret, "
                                   "som de er i dag."),
                   lisite.KeyFigures(tuple(snapshot))]
        if all("team" in ctx.staged(i).keys for i in snapshot):
            blocks.append(snapshot_table(ctx, snapshot))
    return [lisite.Page(f"elementer/{ELEMENT}.html", "Faglig udvikling", blocks, section="Kerneelementer", order=63)]
