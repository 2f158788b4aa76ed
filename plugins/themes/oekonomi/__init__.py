"""Theme 5, Økonomi: spend, spend percentage, unit prices and the preventive share.

Money comes from the economy system's monthly follow-up (dataset ``budget``:
aggregated amounts per area, budget function and group of measures, no
person data). The export spreads the budget over the months, so a year's
budget is the sum of its twelve months; months not yet in the export count
with the latest month's amount. Unit prices come from the granted measures
(``ydelser``).
Measures whose end date lies before their start date are left out; the
engine lists them as data-quality warnings (``DatasetSpec(order=...)`` on ``ydelser``).
The charts are in :mod:`.chart`; the words in the catalogue (``oekonomi.*``)
and in ``content/indikatorer/oekonomi.<name>.md``.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc

from .chart import spend_percentage_chart, unit_price_chart

THEME = "oekonomi"
PREVENTIVE, PLACEMENT = "Forebyggende", "Anbringelse"  # the data model's groups of measures (indsatsgruppe)
BY_AREA = ("area",)


def group_labels(frame: pd.DataFrame, t) -> pd.DataFrame:
    """The groups of measures as the reader sees them (``oekonomi.group.<value>``; an unknown group as it is)."""
    return frame.assign(indsatsgruppe=frame["indsatsgruppe"].map(lambda value: t.get(f"oekonomi.group.{value}", value)))


def budget_rows(ctx) -> pd.DataFrame:
    """The budget follow-up with a ``period`` column (``YYYY-MM``), up to the reporting month."""
    data = ctx.data["budget"]
    period = data["aar"].astype(str) + "-" + data["maaned"].astype(int).map("{:02d}".format)
    data = data.assign(period=period)
    return data[data["period"] <= ctx.period]


def year_budget(data: pd.DataFrame, column: str) -> pd.DataFrame:
    """Full-year ``column`` per year, area and group: the months in the export, the missing ones as the latest."""
    keys = ["aar", "omraade", "budgetfunktion", "indsatsgruppe"]
    months = data.groupby([*keys, "maaned"], as_index=False)[column].sum().sort_values([*keys, "maaned"])
    lines = months.groupby(keys).agg(total=(column, "sum"), count=("maaned", "nunique"), latest=(column, "last"))
    lines[column] = lines["total"] + (12 - lines["count"]).clip(lower=0) * lines["latest"]
    return lines.groupby(["aar", "omraade", "indsatsgruppe"])[column].sum().reset_index()


#: What the figures of measures read (lisite.calc.remembered: made again only when one of these changed)
MEASURES = {"ydelser": None, "sager": ["sags_id", "omraade"]}


def valid_of(measures: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Measures with their case's area, each once; rows ending before they start are left out."""
    measures = measures.drop_duplicates("ydelse_id")
    measures = measures[measures["slutdato"].isna() | (measures["slutdato"] >= measures["startdato"])]
    areas = cases[["sags_id", "omraade"]].drop_duplicates("sags_id")
    return measures.merge(areas, on="sags_id", how="inner")


def spend(ctx):
    """Spend per month, area and group; n = children with an active measure of the group."""
    data = budget_rows(ctx)
    data = data[data["period"].isin(ctx.months())]
    keys = ["period", "omraade", "indsatsgruppe"]
    out = data.groupby(keys)["forbrug"].sum().rename("numerator").reset_index()
    children = calc.remembered(ctx, children_of, MEASURES, ctx.months())
    out = out.merge(children.rename(columns={"numerator": "n"}), on=keys, how="left")
    return group_labels(out, ctx.t)  # the group 'Øvrige' has no measures behind it, so its n stays empty


def children_of(measures: pd.DataFrame, cases: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Children with an active measure at each month end, by area and group."""
    return calc.active_counts(valid_of(measures, cases), "startdato", "slutdato", months, by=("omraade", "indsatsgruppe"), unique="sags_id")


def spend_percentage(ctx):
    """Spend from January to each month as a share of that year's full corrected budget."""
    data = budget_rows(ctx)
    data = data[data["aar"].isin(ctx.years(2))]
    keys = ["aar", "omraade", "indsatsgruppe"]
    monthly = data.groupby([*keys, "period"], as_index=False)["forbrug"].sum().sort_values([*keys, "period"])
    monthly["numerator"] = monthly.groupby(keys)["forbrug"].cumsum()
    budget = year_budget(ctx.data["budget"], "korrigeret_budget").rename(columns={"korrigeret_budget": "denominator"})
    out = monthly.merge(budget, on=keys, how="left")
    return group_labels(out[["period", "omraade", "indsatsgruppe", "numerator", "denominator"]], ctx.t)


def spend_per_child(ctx):
    """Net spend in each whole year divided by the children aged 0-17 living in the municipality."""
    data = budget_rows(ctx)
    whole = data.groupby("aar")["maaned"].nunique()
    years = [year for year, months in whole.items() if months == 12]
    out = data[data["aar"].isin(years)].groupby("aar")["forbrug"].sum().rename("numerator").reset_index()
    out["period"] = out["aar"].astype(str)
    return calc.per_children(out[["period", "numerator"]], ctx.children())


def unit_price(ctx):
    """Average monthly price of the measures active at each month end, by type of measure and area."""
    return calc.remembered(ctx, unit_price_of, MEASURES, ctx.months(12))


def unit_price_of(measures: pd.DataFrame, cases: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    active = calc.active_each_month(valid_of(measures, cases), "startdato", "slutdato", months)  # months oldest first
    return active.groupby(["period", "indsatstype", "omraade"], as_index=False).agg(
        numerator=("pris_pr_maaned", "sum"), denominator=("pris_pr_maaned", "size"), n=("sags_id", "nunique"))


def preventive_share(ctx):
    """Share of the year's spend on measures (preventive + placement) that went to preventive measures."""
    data = budget_rows(ctx)
    data = data[data["indsatsgruppe"].isin([PREVENTIVE, PLACEMENT]) & data["aar"].isin(ctx.years(5))]
    data = data.assign(period=data["aar"].astype(str),
                       forebyggende=data["forbrug"].where(data["indsatsgruppe"] == PREVENTIVE, 0.0))
    return data.groupby(["period", "omraade"], as_index=False).agg(numerator=("forebyggende", "sum"),
                                                                  denominator=("forbrug", "sum"))


def declare(name: str, **fields) -> lisite.Indicator:
    fields.setdefault("element", "oekonomisk_styring")
    return lisite.Indicator(id=f"{THEME}.{name}", theme=THEME, **fields)


INDICATORS = [
    declare("forbrug", compute=spend, unit="kr", dimensions=("indsatsgruppe",), levels=BY_AREA),
    declare("forbrugsprocent", compute=spend_percentage, unit="pct", better="lower", target=100.0, cumulative=True, counts=False,
            dimensions=("indsatsgruppe",), levels=BY_AREA, key_figure=True, chart=spend_percentage_chart),
    declare("udgift_pr_barn", compute=spend_per_child, unit="kr_gns", element="politisk_styring", frequency="år",
            benchmark="udgift_1000kr"),
    declare("enhedspris", compute=unit_price, unit="kr_gns", dimensions=("indsatstype",), levels=BY_AREA,
            chart=unit_price_chart),
    declare("andel_forebyggelse", compute=preventive_share, unit="pct", better="higher", levels=BY_AREA, counts=False,
            frequency="år", benchmark="udgift_forebyggende_1000kr"),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = [i.id for i in ctx.indicators.values() if i.theme == THEME]
    if not mine:
        return []
    views = {
        "forbrugsprocent": [lisite.IndicatorView(f"{THEME}.forbrugsprocent")]
        + ([lisite.IndicatorView(f"{THEME}.forbrugsprocent", by="omraade", last=1)] if audience.sees("area") else []),
        "forbrug": [lisite.IndicatorView(f"{THEME}.forbrug", by="indsatsgruppe", kind="line", last=12)],
        "andel_forebyggelse": [lisite.IndicatorView(f"{THEME}.andel_forebyggelse")],
        "enhedspris": [lisite.IndicatorView(f"{THEME}.enhedspris", by="indsatstype", kind="bar", last=1)],
        "udgift_pr_barn": [lisite.IndicatorView(f"{THEME}.udgift_pr_barn")],
    }
    blocks = [lisite.Markdown(source=f"temaer/{THEME}.md")]
    for name, shown in views.items():
        if f"{THEME}.{name}" in mine:
            blocks += shown
    return [lisite.Page(f"temaer/{THEME}.html", ctx.t(f"theme.{THEME}"), blocks, section=ctx.t("section.themes"), order=54)]
