"""Theme 3, Målgrupper: who the children with an open case are (age, gender, target group, disability).

Every figure counts children with an open case at the end of the month, from
the dataset ``sager`` (one row per child). Age is the month's year minus the
year of birth, so it is the age the child turns during that year.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

import lisite
from lisite import calc, charts, fmt

THEME = "maalgrupper"
LEVELS = ("area", "team")
AGE_GROUPS = ((5, "0-5 år"), (11, "6-11 år"), (14, "12-14 år"), (17, "15-17 år"))
ADULT = "18+ år"
NOT_GIVEN = "Ikke oplyst"


def age_group(ages: pd.Series) -> pd.Series:
    """The age band of each age in whole years; a child not yet born counts as 0-5 år."""
    bins = [-float("inf"), *(upper for upper, _ in AGE_GROUPS), float("inf")]
    return pd.cut(ages.astype(float), bins, labels=[label for _, label in AGE_GROUPS] + [ADULT]).astype(str)


def open_cases(ctx, day: pd.Timestamp) -> pd.DataFrame:
    """Cases open on ``day``, with the child's age in the year of ``day``."""
    cases = ctx.data["sager"]
    open_ = cases[calc.active_on(cases, "oprettet", "afsluttet", day)]
    return open_.assign(alder=day.year - open_["foedselsaar"].astype(int))


def monthly_by(column: str, handicap_only: bool = False):
    """Children with an open case at each month's end, counted by ``column`` and by area and team."""
    def compute(ctx):
        cases = pd.concat([open_cases(ctx, calc.month_end(p)).assign(period=p) for p in ctx.months()], ignore_index=True)
        if handicap_only:
            cases = cases[cases["maalgruppe"] == "Handicap"]
        cases = cases.assign(aldersgruppe=age_group(cases["alder"]), handicaptype=cases["handicaptype"].fillna(NOT_GIVEN))
        return cases.groupby(["period", column, "omraade", "team"]).size().rename("numerator").reset_index()
    return compute


def per_1000(ctx):
    """Children aged 0-17 with an open case on 31 December, per 1,000 children aged 0-17."""
    rows = []
    for year in calc.covered_periods(ctx.data["sager"], "oprettet", ctx.years(8)[:-1]):  # not before the extract begins
        cases = open_cases(ctx, calc.month_end(str(year)))
        rows.append({"period": str(year), "numerator": float((cases["alder"] <= 17).sum())})
    return calc.per_children(pd.DataFrame(rows), ctx.children())


def age_chart(frame, indicator, target, by, ctx):
    """One month's children by age band as bars in age order (the default orders bars by size)."""
    lang = ctx.config.language
    if by != "aldersgruppe" or frame["period"].nunique() != 1:
        return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=lang)
    order = [label for _, label in AGE_GROUPS] + [ADULT]
    title = f"{indicator.title}, {fmt.period(frame['period'].iloc[0], lang)}"
    x = alt.X("aldersgruppe:N", sort=order, title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title=fmt.unit_label(indicator.unit, lang), axis=alt.Axis(format=charts.NUMBER_FORMAT[indicator.unit]))
    base = alt.Chart(frame[["aldersgruppe", "value"]])
    bars = base.mark_bar(color=charts.OWN).encode(x=x, y=y, tooltip=["aldersgruppe:N", alt.Tooltip("value:Q", title=ctx.t("value"))])
    text = base.mark_text(dy=-6, fontSize=11, color="#222").encode(x=x, y="value:Q", text=alt.Text("value:Q", format=",.0f"))
    return alt.layer(bars, text).properties(width="container", height=260, title=alt.Title(title, anchor="start", fontSize=14))


def _indicator(id, title, compute, definition, **kw):
    return lisite.Indicator(
        id=f"{THEME}.{id}", title=title, theme=THEME, element="politisk_styring", compute=compute, unit="antal",
        source="Sagssystemet (sager)", definition=definition, levels=LEVELS, **kw,
    )


OPEN = "Børn med en åben sag ved månedens udgang"
INDICATORS = [
    _indicator(
        "boern_efter_alder", "Børn og unge med en sag", monthly_by("aldersgruppe"), dimensions=("aldersgruppe",),
        chart=age_chart,
        definition=f"{OPEN}, fordelt på alder. Alderen er den alder, barnet fylder i årets løb. Unge på 18 år og derover "
        "har typisk fået efterværn, dvs. fortsat støtte efter det fyldte 18. år.",
        numerator="Børn med en åben sag på månedens sidste dag",
    ),
    _indicator(
        "boern_efter_koen", "Drenge og piger med en sag", monthly_by("koen"), dimensions=("koen",),
        definition=f"{OPEN}, fordelt på drenge og piger.",
        numerator="Børn med en åben sag på månedens sidste dag",
    ),
    _indicator(
        "boern_efter_maalgruppe", "Børn med en sag", monthly_by("maalgruppe"), dimensions=("maalgruppe",),
        definition=f"{OPEN}, fordelt på målgruppe: socialt udsatte børn og børn med handicap.",
        numerator="Børn med en åben sag på månedens sidste dag",
    ),
    _indicator(
        "handicaptype", "Børn med handicap", monthly_by("handicaptype", handicap_only=True),
        dimensions=("handicaptype",),
        definition=f"{OPEN} i målgruppen Handicap, fordelt på handicappets art. Sager uden registreret type står som "
        f"'{NOT_GIVEN}'.",
        numerator="Børn i målgruppen Handicap med en åben sag på månedens sidste dag",
    ),
    lisite.Indicator(
        id=f"{THEME}.boern_med_sag_pr_1000", title="Børn med en sag pr. 1.000 børn", theme=THEME, element="politisk_styring",
        compute=per_1000, unit="pr_1000", frequency="år", source="Sagssystemet; antal børn 0-17 år fra Danmarks Statistik",
        definition="Børn på 0-17 år med en åben sag pr. 31. december pr. 1.000 børn på 0-17 år i kommunen.",
        numerator="Børn på 0-17 år med en åben sag pr. 31. december",
        denominator="Børn på 0-17 år i kommunen (Danmarks Statistik)",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


# (indicator, breakdown, kind, last periods) in page order
VIEWS = [
    ("boern_med_sag_pr_1000", "", "auto", None),
    ("boern_efter_maalgruppe", "maalgruppe", "line", None),
    ("boern_efter_alder", "aldersgruppe", "bar", 1),  # a series jumps each January, when every child turns a year older
    ("boern_efter_koen", "koen", "line", None),
    ("handicaptype", "handicaptype", "bar", 1),
]


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = {i.id for i in ctx.indicators.values() if i.theme == THEME}
    if not mine:
        return []
    blocks = [lisite.Markdown(source=f"temaer/{THEME}.md")]
    for name, by, kind, last in VIEWS:
        if f"{THEME}.{name}" in mine:
            blocks.append(lisite.IndicatorView(f"{THEME}.{name}", by=by, kind=kind, last=last))
    return [lisite.Page(f"temaer/{THEME}.html", "Målgrupper", blocks, section="Temaer", order=52)]
