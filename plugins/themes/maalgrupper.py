"""Theme 3, Målgrupper: who the children with an open case are (age, gender, target group, disability).

Every figure counts children with an open case at the end of the month, from
the dataset ``sager`` (one row per child). Age is the month's year minus the
year of birth, so it is the age the child turns during that year. The age
bands and "not stated" are words of the catalogue (``maalgrupper.*``); the
indicators' words are in ``content/indikatorer/maalgrupper.<name>.md``.
"""

from __future__ import annotations

import itertools

import pandas as pd

import lisite
from lisite import calc, charts, fmt

THEME = "maalgrupper"
BY_TEAM = ("area", "team")
AGE_BANDS = ((0, 5), (6, 11), (12, 14), (15, 17))  # whole years, both ends included
ADULT = 18  # from this age on: continued support after 18 (efterværn)
HANDICAP = "Handicap"  # the data model's target group of children with a disability (sager.maalgruppe)


def age_labels(t) -> list[str]:
    """The age bands in age order, as the reader sees them: ``0-5 år`` … ``18+ år``."""
    return [t("maalgrupper.age_band", low=low, high=high) for low, high in AGE_BANDS] + [t("maalgrupper.age_adult", low=ADULT)]


def age_group(ages: pd.Series, labels: list[str]) -> pd.Series:
    """The age band (``labels``: :func:`age_labels`) of each age in whole years; a child not yet born counts in the
    first band."""
    bins = [-float("inf"), *(high for _, high in AGE_BANDS), float("inf")]
    return pd.cut(ages.astype(float), bins, labels=labels).astype(str)


#: What the figures read of the cases (lisite.calc.remembered: a figure is made again only when one of these changed)
CASES = {"sager": ["oprettet", "afsluttet", "foedselsaar", "maalgruppe", "handicaptype", "omraade", "team"]}


def open_cases(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The ``cases`` open on ``day``, with the child's age in the year of ``day``."""
    open_ = cases[calc.active_on(cases, "oprettet", "afsluttet", day)]
    return open_.assign(alder=day.year - open_["foedselsaar"].astype(int))


def monthly_by(column: str, handicap_only: bool = False):
    """Children with an open case at each month's end, counted by ``column`` and by area and team."""
    def compute(ctx):
        words = (age_labels(ctx.t), ctx.t("maalgrupper.not_given"))
        return calc.remembered(ctx, count_by, CASES, ctx.months(), words, column, handicap_only)
    return compute


def open_each_month(cases: pd.DataFrame, months: list[str], words: tuple) -> pd.DataFrame:
    """The cases open at each month's end, a row for each (``period``), with the child's age that year, its age band
    and its disability (``not given`` when none is)."""
    labels, not_given = words
    cases = calc.active_each_month(cases, "oprettet", "afsluttet", months)  # open at each month end
    cases = cases.assign(alder=cases["period"].str[:4].astype(int) - cases["foedselsaar"].astype(int))  # as open_cases
    return cases.assign(aldersgruppe=age_group(cases["alder"], labels), handicaptype=cases["handicaptype"].fillna(not_given))


def count_by(cases: pd.DataFrame, months: list[str], words: tuple, column: str, handicap_only: bool) -> pd.DataFrame:
    """The :func:`open_each_month` rows counted by ``column`` and by area and team (of children with a disability).

    Counted a year at a time without making those rows (:func:`lisite.calc.active_sizes`): a child's age band is the
    same in every month of a year. A birth year missing, or no months: from the rows themselves."""
    if handicap_only:
        cases = cases[cases["maalgruppe"] == HANDICAP]
    by = [column, "omraade", "team"]
    if cases["foedselsaar"].isna().any() or not months:
        rows = open_each_month(cases, months, words)
        return rows.groupby(["period", *by]).size().rename("numerator").reset_index()
    labels, not_given = words
    cases = cases.assign(handicaptype=cases["handicaptype"].fillna(not_given))
    born = cases["foedselsaar"].astype(int)
    counted = []
    for year, in_year in itertools.groupby(sorted(months), key=lambda month: month[:4]):
        aged = cases.assign(aldersgruppe=age_group(int(year) - born, labels))  # the age the child turns that year
        counted.append(calc.active_sizes(aged, "oprettet", "afsluttet", list(in_year), by, dropna=True))
    counted = [part for part in counted if len(part)] or counted[:1]  # (an empty part's types would change the others')
    return pd.concat(counted).rename("numerator").reset_index()


def per_1000(ctx):
    """Children aged 0-17 with an open case on 31 December, per 1,000 children aged 0-17 (none from an empty export)."""
    reads = {"sager": ["oprettet", "afsluttet", "foedselsaar"]}
    return calc.remembered(ctx, per_1000_of, reads, ctx.years(8)[:-1], ctx.children())


def per_1000_of(cases: pd.DataFrame, years: list[int], children: pd.Series) -> pd.DataFrame:
    rows = []
    for year in calc.covered_periods(cases, "oprettet", years):  # not before the extract begins
        open_ = open_cases(cases, calc.month_end(str(year)))
        rows.append({"period": str(year), "numerator": float((open_["alder"] < ADULT).sum())})
    return calc.per_children(pd.DataFrame(rows, columns=["period", "numerator"]), children)


def age_chart(frame, indicator, target, by, ctx):
    """One month's children by age band as bars in age order (the default orders bars by size)."""
    lang = ctx.config.language
    if by != "aldersgruppe" or frame["period"].nunique() != 1:
        return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=lang,
                                   process=None if by else ctx.process(indicator.id))
    title = f"{indicator.title}, {fmt.period(frame['period'].iloc[0], lang)}"
    return charts.category_bars(frame, "aldersgruppe", age_labels(ctx.t), title, fmt.unit_label(indicator.unit, lang),
                                charts.NUMBER_FORMAT[indicator.unit], ctx.t("value"))


def open_children() -> lisite.Count:
    """Children (one case each) with an open case at each month's end."""
    return lisite.Count(dataset="sager", active=("oprettet", "afsluttet"))


INDICATORS = [
    lisite.Indicator(id=f"{THEME}.boern_efter_alder", theme=THEME, element="politisk_styring", unit="antal",
                     compute=monthly_by("aldersgruppe"), dimensions=("aldersgruppe",), levels=BY_TEAM, chart=age_chart),
    lisite.Indicator(id=f"{THEME}.boern_efter_koen", theme=THEME, element="politisk_styring", unit="antal",
                     count=open_children(), dimensions=("koen",), levels=BY_TEAM),
    lisite.Indicator(id=f"{THEME}.boern_efter_maalgruppe", theme=THEME, element="politisk_styring", unit="antal",
                     count=open_children(), dimensions=("maalgruppe",), levels=BY_TEAM),
    lisite.Indicator(id=f"{THEME}.handicaptype", theme=THEME, element="politisk_styring", unit="antal",
                     compute=monthly_by("handicaptype", handicap_only=True), dimensions=("handicaptype",), levels=BY_TEAM),
    lisite.Indicator(id=f"{THEME}.boern_med_sag_pr_1000", theme=THEME, element="politisk_styring", unit="pr_1000",
                     compute=per_1000, frequency="år"),
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
    return [lisite.Page(f"temaer/{THEME}.html", ctx.t(f"theme.{THEME}"), blocks, section=ctx.t("section.themes"), order=52)]
