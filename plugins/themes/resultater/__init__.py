"""Theme 4, Resultater: do the measures help? Goal attainment, school, well-being, education, crime.

Yearly figures for children with measures (dataset ``resultater``) are drawn
next to the same figure for all children in the municipality (dataset
``resultater_alle``, already averages and percentages). The comparison is a
custom chart, not a dimension: the two groups overlap, so they do not add up.
Goal attainment comes from the follow-ups on measures (``opfoelgninger``).
The charts are in :mod:`.chart`; the words in the catalogue (``resultater.*``) and in
``content/indikatorer/resultater.<name>.md``.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc

from .chart import ATTAINMENT, COMPARED, attainment_chart, attainment_labels, compared_with_all

THEME = "resultater"


def years(ctx) -> list[str]:
    """The last eight years up to and including the reporting year."""
    return [str(y) for y in ctx.years(8)]


def average(column: str):
    """Average of ``column`` per year over the children with a value: numerator = sum, denominator = count.

    For a yes/no column the average is the share answering yes.
    """
    def compute(ctx):
        data = ctx.data["resultater"]
        data = data[data[column].notna()]
        values = data[column].astype(float)
        frame = pd.DataFrame({"period": data["aar"].astype(int).astype(str), "value": values})
        frame = frame[frame["period"].isin(years(ctx))]
        return frame.groupby("period")["value"].agg(numerator="sum", denominator="size").reset_index()
    return compute


def done_followups(ctx) -> pd.DataFrame:
    """Follow-ups carried out by the end of the reporting period, with the year they were done."""
    data = ctx.data["opfoelgninger"]
    done = data[data["udfoert"].notna() & (data["udfoert"] <= ctx.end)].copy()
    done["period"] = calc.periods_of(done["udfoert"], "year")
    return done[done["period"].isin(years(ctx))]


def goal_met(ctx):
    done = done_followups(ctx)
    done = done[done["maalopfyldelse"].notna()]
    hit = (done["maalopfyldelse"] == ATTAINMENT[0]).astype(float)
    return done.assign(hit=hit).groupby("period")["hit"].agg(numerator="sum", denominator="size").reset_index()


def goal_distribution(ctx):
    done = done_followups(ctx)
    labels = attainment_labels(ctx.t)
    done = done.assign(maalopfyldelse=done["maalopfyldelse"].map(labels).fillna(labels[""]))
    return done.groupby(["period", "maalopfyldelse"]).size().rename("numerator").reset_index()


def declare(name: str, compute, unit: str, **fields) -> lisite.Indicator:
    return lisite.Indicator(id=f"{THEME}.{name}", theme=THEME, element="opfoelgning", frequency="år", compute=compute,
                            unit=unit, **fields)


INDICATORS = [
    declare("maalopfyldelse", goal_met, "pct", better="higher"),
    declare("maalopfyldelse_fordeling", goal_distribution, "antal", dimensions=("maalopfyldelse",), chart=attainment_chart),
    declare("skolefravaer", average("skolefravaer_pct"), "gns", better="lower", chart=compared_with_all("skolefravaer")),
    declare("trivsel", average("trivsel"), "gns", better="higher", chart=compared_with_all("trivsel")),
    declare("ungdomsuddannelse", average("ungdomsuddannelse"), "pct", better="higher", chart=compared_with_all("ungdomsuddannelse")),
    declare("sigtet", average("sigtet"), "pct", better="lower", chart=compared_with_all("sigtet")),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def comparison_table(ctx, names: list[str]) -> lisite.Table | None:
    """The latest year of each compared figure: children with measures next to all children."""
    everyone = ctx.data["resultater_alle"].assign(period=lambda d: d["aar"].astype(int).astype(str)).set_index("period")
    t, rows = ctx.t, []
    for name in names:
        indicator = ctx.indicators[f"{THEME}.{name}"]
        own = ctx.staged(indicator.id).total().dropna(subset=["value"])
        own = own[own["period"].isin(everyone.index)]
        if own.empty:
            continue
        last = own.sort_values("period").iloc[-1]
        rows.append({t("resultater.column.indicator"): indicator.title, t("resultater.column.year"): last["period"],
                     t("resultater.with_measures"): ctx.fmt.value(last["value"], indicator.unit),
                     t("resultater.everyone"): ctx.fmt.value(everyone.loc[last["period"], COMPARED[name]], indicator.unit)})
    if not rows:
        return None
    return lisite.Table(pd.DataFrame(rows), caption=t("resultater.table_caption"))


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = [i for i in ctx.indicators.values() if i.theme == THEME]
    if not mine:
        return []
    blocks = [lisite.Markdown(source=f"temaer/{THEME}.md")]
    compared = [name for name in COMPARED if f"{THEME}.{name}" in ctx.indicators]
    table = comparison_table(ctx, compared)
    blocks += [table] if table is not None else []
    blocks += [lisite.IndicatorView(f"{THEME}.{name}") for name in compared]
    if f"{THEME}.maalopfyldelse" in ctx.indicators:
        blocks.append(lisite.IndicatorView(f"{THEME}.maalopfyldelse"))
    if f"{THEME}.maalopfyldelse_fordeling" in ctx.indicators:
        blocks.append(lisite.IndicatorView(f"{THEME}.maalopfyldelse_fordeling", by="maalopfyldelse", kind="bar", last=1))
    return [lisite.Page(f"temaer/{THEME}.html", ctx.t(f"theme.{THEME}"), blocks, section=ctx.t("section.themes"), order=53)]
