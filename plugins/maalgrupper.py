"""Theme 3, Målgrupper: who the children with an open case are (age, gender, target group, disability).

Every figure counts children with an open case at the end of the month, from
the dataset ``sager`` (one row per child). Age is the month's year minus the
year of birth, so it is the age the child turns during that year.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc

THEME = "maalgrupper"
LEVELS = ("area", "team")
AGE_GROUPS = ((5, "0-5 år"), (11, "6-11 år"), (14, "12-14 år"), (17, "15-17 år"))
ADULT = "18+ år"
NOT_GIVEN = "Ikke oplyst"


def age_group(age: int) -> str:
    """The age band of an age in whole years; a child not yet born counts as 0-5 år."""
    for upper, label in AGE_GROUPS:
        if age <= upper:
            return label
    return ADULT


def open_cases(ctx, day: pd.Timestamp) -> pd.DataFrame:
    """Cases open on ``day``, with the child's age in the year of ``day``."""
    cases = ctx.data["sager"]
    open_ = cases[calc.active_on(cases, "oprettet", "afsluttet", day)]
    return open_.assign(alder=day.year - open_["foedselsaar"].astype(int))


def monthly_by(column: str, where=None):
    """Children with an open case at each month's end, counted by ``column`` (and area and team)."""
    def compute(ctx):
        parts = []
        for period in ctx.months():
            cases = open_cases(ctx, calc.month_end(period))
            if where is not None:
                cases = cases[where(cases)]
            cases = cases.assign(aldersgruppe=cases["alder"].map(age_group), handicaptype=cases["handicaptype"].fillna(NOT_GIVEN))
            counted = cases.groupby([column, "omraade", "team"]).size().rename("numerator").reset_index()
            parts.append(counted.assign(period=period))
        return pd.concat(parts, ignore_index=True)
    return compute


def per_1000(ctx):
    """Children aged 0-17 with an open case on 31 December, per 1,000 children aged 0-17."""
    rows = []
    for year in ctx.years(8)[:-1]:
        cases = open_cases(ctx, calc.month_end(str(year)))
        rows.append({"period": str(year), "numerator": float((cases["alder"] <= 17).sum())})
    return calc.per_children(pd.DataFrame(rows), ctx.children())


def _indicator(id, title, compute, definition, **kw):
    return lisite.Indicator(
        id=f"{THEME}.{id}", title=title, theme=THEME, element="politisk_styring", compute=compute, unit="antal",
        source="Sagssystemet (sager)", definition=definition, levels=LEVELS, **kw,
    )


OPEN = "Børn med en åben sag ved månedens udgang"
INDICATORS = [
    _indicator(
        "boern_efter_alder", "Børn med en sag efter alder", monthly_by("aldersgruppe"), dimensions=("aldersgruppe",),
        definition=f"{OPEN}, fordelt på alder. Alderen er den alder, barnet fylder i årets løb. Unge på 18 år og derover "
        "har typisk fået efterværn, dvs. fortsat støtte efter det fyldte 18. år.",
    ),
    _indicator(
        "boern_efter_koen", "Børn med en sag efter køn", monthly_by("koen"), dimensions=("koen",),
        definition=f"{OPEN}, fordelt på drenge og piger.",
    ),
    _indicator(
        "boern_efter_maalgruppe", "Børn med en sag efter målgruppe", monthly_by("maalgruppe"), dimensions=("maalgruppe",),
        definition=f"{OPEN}, fordelt på målgruppe: socialt udsatte børn og børn med handicap.",
    ),
    _indicator(
        "handicaptype", "Børn med handicap efter type", monthly_by("handicaptype", lambda c: c["maalgruppe"] == "Handicap"),
        dimensions=("handicaptype",),
        definition=f"{OPEN} i målgruppen Handicap, fordelt på handicappets art. Sager uden registreret type står som "
        f"'{NOT_GIVEN}'.",
    ),
    lisite.Indicator(
        id=f"{THEME}.boern_med_sag_pr_1000", title="Børn med en sag pr. 1.000 børn", theme=THEME, element="politisk_styring",
        compute=per_1000, unit="pr_1000", frequency="år", source="Sagssystemet; antal børn 0-17 år fra Danmarks Statistik",
        definition="Børn på 0-17 år med en åben sag pr. 31. december pr. 1.000 børn på 0-17 år i kommunen.",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


# (indicator, breakdown, kind, last periods) in page order
VIEWS = [
    ("boern_med_sag_pr_1000", "", "auto", None),
    ("boern_efter_maalgruppe", "maalgruppe", "line", None),
    ("boern_efter_alder", "aldersgruppe", "line", None),
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
