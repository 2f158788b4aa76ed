"""Core element 3, Faglig udvikling: common methods, supervision, turnover and new colleagues.

All figures are about caseworkers (rolle "Sagsbehandler") in the staff list
``medarbejdere``. The staff list gives training (ICS, Signs of Safety) and
supervision hours only as they are on the day of the extract, so those three
figures exist for the current month alone; turnover and new hires are
computed for every month from the hiring and leaving dates. The indicators'
words are in ``content/indikatorer/faglig_udvikling.*.md``, the page's in the
catalogue (``faglig_udvikling.*``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import lisite
from lisite import calc

ELEMENT = "faglig_udvikling"
TURNOVER, NEW_HIRES = f"{ELEMENT}.personaleomsaetning", f"{ELEMENT}.nyansatte"
ICS, SOS, SUPERVISION = f"{ELEMENT}.ics_uddannet", f"{ELEMENT}.sos_uddannet", f"{ELEMENT}.supervision"
SNAPSHOT = (ICS, SOS, SUPERVISION)  # figures that exist for the current month only


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
    staff, periods = caseworkers(ctx), ctx.months()
    cohort = employed(staff, [year_before(p) for p in periods])
    left = (~employed(staff, [calc.month_end(p) for p in periods])).astype(float)
    return monthly_by_team(staff, periods, cohort, left, numerator=("value", "sum"), denominator=("value", "size"))


def new_hires(ctx):
    """Caseworkers hired in the twelve months up to each month end."""
    staff, periods = caseworkers(ctx), ctx.months()
    hired = dates(staff["ansat"])[None, :]
    hired = (hired > dates([year_before(p) for p in periods])[:, None]) & (hired <= dates([calc.month_end(p) for p in periods])[:, None])
    everyone = np.ones(hired.shape, dtype=bool)
    return monthly_by_team(staff, periods, everyone, hired.astype(float), numerator=("value", "sum"))


def dates(values) -> np.ndarray:
    return pd.DatetimeIndex(values).to_numpy()


def employed(staff: pd.DataFrame, days: list[pd.Timestamp]) -> np.ndarray:
    """:func:`employed_on` for each of ``days`` at once: one row per day, one column per person."""
    day = dates(days)[:, None]
    gone = staff["fratraadt"]
    return (dates(staff["ansat"])[None, :] <= day) & (gone.isna().to_numpy()[None, :] | (dates(gone)[None, :] >= day))


def monthly_by_team(staff: pd.DataFrame, periods: list[str], counted: np.ndarray, value: np.ndarray, **columns) -> pd.DataFrame:
    """:func:`by_team` for every period at once: ``counted`` (periods × rows) picks each period's rows of
    ``staff``, ``value`` (the same shape) is their column ``value``; the periods in order, as one by one."""
    month, row = counted.nonzero()
    frame = pd.DataFrame({"month": month, "team": staff["team"].to_numpy()[row], "value": value[month, row]})
    out = frame.groupby(["month", "team"]).agg(**columns).reset_index()
    out.insert(0, "period", [periods[m] for m in out.pop("month")])
    return out


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


INDICATORS = [
    lisite.Indicator(id=TURNOVER, theme="administration", element=ELEMENT, unit="pct", better="lower",
                     levels=("team",), shown_to=lisite.READERS, compute=turnover),
    lisite.Indicator(id=NEW_HIRES, theme="administration", element=ELEMENT, unit="antal",
                     levels=("team",), shown_to=lisite.MANAGERS, compute=new_hires),
    lisite.Indicator(id=ICS, theme="administration", element=ELEMENT, unit="pct", better="higher",
                     levels=("team",), shown_to=lisite.MANAGERS, compute=trained("ics_uddannet")),
    lisite.Indicator(id=SOS, theme="administration", element=ELEMENT, unit="pct", better="higher",
                     levels=("team",), shown_to=lisite.MANAGERS, compute=trained("sos_uddannet")),
    lisite.Indicator(id=SUPERVISION, theme="administration", element=ELEMENT, unit="gns", better="higher",
                     levels=("team",), shown_to=lisite.MANAGERS, compute=supervision),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def snapshot_table(ctx, indicator_ids: list[str]) -> lisite.Table:
    """The current-month figures per team side by side, as the audience may see them."""
    columns = {}
    for indicator_id in indicator_ids:
        staged = ctx.staged(indicator_id)
        rows = staged.by("team")
        rows = rows[rows["period"] == ctx.config.period]
        name = indicator_id.removeprefix(f"{ELEMENT}.")
        columns[ctx.t(f"{ELEMENT}.short.{name}")] = {
            row["team"]: ctx.fmt.cell(row, "value", staged.indicator.unit) for row in rows.to_dict("records")
        }
    frame = pd.DataFrame(columns).rename_axis(ctx.t("column.team")).reset_index()
    return lisite.Table(frame, caption=ctx.t(f"{ELEMENT}.table_caption", period=ctx.fmt.period(ctx.config.period)))


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    visible = [i.id for i in INDICATORS if i.id in ctx.indicators]
    if not visible:
        return []
    t = ctx.t
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if TURNOVER in visible:
        blocks.append(lisite.IndicatorView(TURNOVER))
        if "team" in ctx.staged(TURNOVER).keys:
            blocks += [lisite.Markdown(text=t(f"{ELEMENT}.turnover_by_team")),
                       lisite.IndicatorView(TURNOVER, by="team", kind="bar", last=1)]
    if NEW_HIRES in visible:
        blocks.append(lisite.IndicatorView(NEW_HIRES))
    snapshot = [i for i in SNAPSHOT if i in visible]
    if snapshot:
        text = t(f"{ELEMENT}.snapshot_intro", period=ctx.fmt.period(ctx.config.period))
        blocks += [lisite.Markdown(text=f"## {t(f'{ELEMENT}.snapshot_heading')}\n\n{text}"),
                   lisite.KeyFigures(tuple(snapshot))]
        if all("team" in ctx.staged(i).keys for i in snapshot):
            blocks.append(snapshot_table(ctx, snapshot))
    return [lisite.Page(f"elementer/{ELEMENT}.html", t(f"element.{ELEMENT}"), blocks,
                        section=t("section.elements"), order=63)]
