"""Theme 5, Økonomi: spend, spend percentage, unit prices and the preventive share.

Money comes from the economy system's monthly follow-up (dataset ``budget``:
aggregated amounts per area, budget function and group of measures, no
person data). The export spreads the budget over the months, so a year's
budget is the sum of its twelve months; months not yet in the export count
with the latest month's amount. Unit prices come from the granted measures
(``ydelser``).
Measures whose end date lies before their start date are left out; the
``indsatser`` plugin lists them as data-quality warnings.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

import lisite
from lisite import calc, charts, fmt

THEME = "oekonomi"
MONTH_NAMES = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


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


def valid_measures(ctx) -> pd.DataFrame:
    """Measures with their case's area, each once; rows ending before they start are left out."""
    measures = ctx.data["ydelser"].drop_duplicates("ydelse_id")
    measures = measures[measures["slutdato"].isna() | (measures["slutdato"] >= measures["startdato"])]
    areas = ctx.data["sager"][["sags_id", "omraade"]].drop_duplicates("sags_id")
    return measures.merge(areas, on="sags_id", how="inner")


def spend(ctx):
    """Spend per month, area and group; n = children with an active measure of the group."""
    data = budget_rows(ctx)
    data = data[data["period"].isin(ctx.months())]
    keys = ["period", "omraade", "indsatsgruppe"]
    out = data.groupby(keys)["forbrug"].sum().rename("numerator").reset_index()
    children = calc.active_counts(valid_measures(ctx), "startdato", "slutdato", ctx.months(),
                                  by=("omraade", "indsatsgruppe"), unique="sags_id")
    out = out.merge(children.rename(columns={"numerator": "n"}), on=keys, how="left")
    return out  # 'Øvrige' has no measures behind it, so its n stays empty


def spend_percentage(ctx):
    """Spend from January to each month as a share of that year's full corrected budget."""
    data = budget_rows(ctx)
    data = data[data["aar"].isin(ctx.years(2))]
    keys = ["aar", "omraade", "indsatsgruppe"]
    monthly = data.groupby([*keys, "period"], as_index=False)["forbrug"].sum().sort_values([*keys, "period"])
    monthly["numerator"] = monthly.groupby(keys)["forbrug"].cumsum()
    budget = year_budget(ctx.data["budget"], "korrigeret_budget").rename(columns={"korrigeret_budget": "denominator"})
    out = monthly.merge(budget, on=keys, how="left")
    return out[["period", "omraade", "indsatsgruppe", "numerator", "denominator"]]


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
    measures = valid_measures(ctx)
    parts = []
    for period in ctx.months(12):
        active = measures[calc.active_on(measures, "startdato", "slutdato", calc.month_end(period))]
        part = active.groupby(["indsatstype", "omraade"], as_index=False).agg(
            numerator=("pris_pr_maaned", "sum"), denominator=("pris_pr_maaned", "size"), n=("sags_id", "nunique"))
        part.insert(0, "period", period)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def preventive_share(ctx):
    """Share of the year's spend on measures (preventive + placement) that went to preventive measures."""
    data = budget_rows(ctx)
    data = data[data["indsatsgruppe"].isin(["Forebyggende", "Anbringelse"]) & data["aar"].isin(ctx.years(5))]
    data = data.assign(period=data["aar"].astype(str),
                       forebyggende=data["forbrug"].where(data["indsatsgruppe"] == "Forebyggende", 0.0))
    out = data.groupby(["period", "omraade"], as_index=False).agg(numerator=("forebyggende", "sum"),
                                                                 denominator=("forbrug", "sum"))
    return out


def spend_percentage_chart(frame, indicator, target, by, ctx):
    """This year against last year, month by month, beside the pace of an even spend (1/12 a month)."""
    lang = ctx.config.language
    if by:
        return spend_percentage_bars(frame, indicator, by, lang)
    data = frame[frame["value"].notna()].copy()
    data["aar"] = data["period"].str[:4]
    data["maaned"] = data["period"].str[5:7].astype(int).map(lambda m: MONTH_NAMES[m - 1])
    pace = pd.DataFrame({"maaned": MONTH_NAMES, "value": [m / 12 * 100 for m in range(1, 13)],
                         "aar": "Jævnt forbrug over året"})
    x = alt.X("maaned:O", sort=MONTH_NAMES, title=None, axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=MONTH_NAMES))
    top = max(110.0, float(data["value"].max()) * 1.05) if len(data) else 110.0
    y = alt.Y("value:Q", title="procent af årets budget", axis=alt.Axis(format=",.0f"), scale=alt.Scale(domain=[0, top]))
    tooltip = [alt.Tooltip("aar:N", title="År"), alt.Tooltip("maaned:O", title="Måned"),
               alt.Tooltip("value:Q", title="Forbrugsprocent", format=",.1f")]
    years = sorted(data["aar"].unique())
    colors = alt.Scale(domain=years, range=[charts.GREY] * (len(years) - 1) + [charts.OWN])
    lines = alt.Chart(data).mark_line(point=True, strokeWidth=2.5).encode(
        x=x, y=y, color=alt.Color("aar:N", scale=colors, legend=None), tooltip=tooltip)
    last = data.sort_values("period").groupby("aar").tail(1)
    labels = alt.Chart(last).mark_text(align="left", dx=8, fontSize=12, fontWeight="bold").encode(
        x=x, y="value:Q", text="aar:N", color=alt.Color("aar:N", scale=colors, legend=None))
    even = alt.Chart(pace).mark_line(strokeDash=[2, 3], color="#555", strokeWidth=1.5).encode(x=x, y="value:Q")
    even_label = alt.Chart(pace.tail(1)).mark_text(align="right", dx=-4, dy=14, fontSize=11, color="#555").encode(
        x=x, y="value:Q", text="aar:N")
    layers = [even, even_label, lines, labels]
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [f"Mål: {fmt.value(target, 'pct', lang)}"]}))
        layers.append(rule.mark_rule(color=charts.TARGET, strokeDash=[6, 4], strokeWidth=2).encode(y="target:Q"))
        layers.append(rule.mark_text(align="left", baseline="bottom", dy=-3, color=charts.TARGET, fontSize=11, x=0)
                      .encode(y="target:Q", text="label:N"))
    return alt.layer(*layers).properties(width="container", height=280,
                                         title=alt.Title(indicator.title, anchor="start", fontSize=14))


def spend_percentage_bars(frame, indicator, by, lang):
    """The latest month's spend percentage per area (or group), beside the pace of an even spend."""
    data = frame[frame["period"] == frame["period"].max()].copy()
    data["label"] = [fmt.value(v, "pct", lang) for v in data["value"]]
    period = str(data["period"].iloc[0])
    pace = pd.DataFrame({"value": [int(period[5:7]) / 12 * 100]})
    pace["label"] = f"Jævnt forbrug: {fmt.value(pace['value'][0], 'pct', lang)}"
    y = alt.Y(f"{by}:N", title=None, axis=alt.Axis(labelLimit=200))
    top = max(110.0, float(data["value"].max()) * 1.1) if data["value"].notna().any() else 110.0
    x = alt.X("value:Q", title="procent af årets budget", scale=alt.Scale(domain=[0, top]))
    layers = [
        alt.Chart(data).mark_bar(color=charts.OWN).encode(x=x, y=y),
        alt.Chart(data).mark_text(align="left", dx=4, fontSize=11).encode(x="value:Q", y=y, text="label:N"),
        alt.Chart(pace).mark_rule(color=charts.TARGET, strokeDash=[4, 3], strokeWidth=2.5).encode(x="value:Q"),
        alt.Chart(pace).mark_text(align="right", baseline="bottom", dx=-4, y=-2, fontSize=11, color=charts.TARGET)
        .encode(x="value:Q", text="label:N"),
    ]
    title = f"{indicator.title} pr. {'område' if by == 'omraade' else by}, {fmt.period(period, lang)}"
    return alt.layer(*layers).properties(width="container", height=40 * len(data) + 20,
                                         title=alt.Title(title, anchor="start", fontSize=14))


def unit_price_chart(frame, indicator, target, by, ctx):
    """Prices by type of measure in one month as horizontal bars, so the long names stay readable."""
    lang = ctx.config.language
    if not by or frame["period"].nunique() > 1:
        return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=lang)
    labels = [("vises ikke (for få)" if hidden else fmt.value(v, indicator.unit, lang))
              for v, hidden in zip(frame["value"], frame["suppressed"])]
    data = frame.assign(label=labels, at=frame["value"].fillna(0))
    order = data.sort_values("value", ascending=False, na_position="last")[by].tolist()
    y = alt.Y(f"{by}:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    top = data["value"].max() if data["value"].notna().any() else 1.0
    x = alt.X("value:Q", title="kr. pr. måned i gennemsnit", axis=alt.Axis(format=",.0f"),
              scale=alt.Scale(domain=[0, top * 1.2]))  # room for the label after the longest bar
    bars = alt.Chart(data).mark_bar(color=charts.OWN).encode(x=x, y=y, tooltip=[
        alt.Tooltip(f"{by}:N", title="Indsats"), alt.Tooltip("value:Q", title="Kr. pr. måned", format=",.0f")])
    text = alt.Chart(data).mark_text(align="left", dx=4, fontSize=11, color="#222").encode(x="at:Q", y=y, text="label:N")
    when = fmt.period(str(data["period"].iloc[0]), lang)
    return alt.layer(bars, text).properties(width="container", height=28 * len(data),
                                            title=alt.Title(f"{indicator.title}, {when}", anchor="start", fontSize=14))


def _indicator(id, title, compute, **kw):
    kw.setdefault("element", "oekonomisk_styring")
    kw.setdefault("source", "Økonomisystemet (budgetopfølgning)")
    kw.setdefault("collection", "Udtræk fra økonomisystemet")
    return lisite.Indicator(id=f"{THEME}.{id}", title=title, theme=THEME, compute=compute, **kw)


INDICATORS = [
    _indicator(
        "forbrug", "Forbrug pr. måned", spend, unit="kr", dimensions=("indsatsgruppe",), levels=("area",),
        definition="Bogført nettoforbrug i måneden på funktion 5.28 (tilbud til børn og unge med særlige behov), "
        "opdelt på forebyggende indsatser, anbringelser og øvrige udgifter, der ikke hører til en bevilget indsats "
        "i sagssystemet (fx sikrede institutioner og særlige dagtilbud).",
        numerator="Bogført nettoforbrug i måneden på funktion 5.28 (kr.)",
    ),
    _indicator(
        "forbrugsprocent", "Forbrugsprocent", spend_percentage, unit="pct", better="lower", target=100.0, cumulative=True,
        dimensions=("indsatsgruppe",), levels=("area",), key_figure=True, chart=spend_percentage_chart,
        definition="Hvor stor en del af årets korrigerede budget der er brugt fra 1. januar til og med måneden. "
        "Tallet stiger hen over året og skal helst ende på højst 100 % i december. Bruges pengene jævnt, "
        "er forbrugsprocenten 8,3 % pr. måned: 25 % i marts, 50 % i juni og 75 % i september. "
        "75 % i september betyder altså, at forbruget følger budgettet.",
        numerator="Bogført nettoforbrug fra 1. januar til og med måneden (kr.)",
        denominator="Årets korrigerede budget (kr.)",
    ),
    _indicator(
        "udgift_pr_barn", "Udgift pr. barn i kommunen", spend_per_child, unit="kr_gns", element="politisk_styring",
        frequency="år", benchmark="udgift_1000kr",
        definition="Årets samlede nettoforbrug på funktion 5.28 delt med antallet af børn og unge på 0-17 år, "
        "der bor i kommunen. Kun hele år. Til sammenligning med andre kommuner bruges Danmarks Statistiks "
        "nettodriftsudgift på funktion 5.28, som opgøres i 1.000 kr. og derfor skal ganges med 1.000 og deles "
        "med antallet af børn, før den kan sammenlignes med dette tal.",
        source="Økonomisystemet; antal børn fra Danmarks Statistik",
        numerator="Årets samlede nettoforbrug på funktion 5.28 (kr.)",
        denominator="Børn på 0-17 år i kommunen (Danmarks Statistik)",
    ),
    _indicator(
        "enhedspris", "Gennemsnitlig pris pr. indsats pr. måned", unit_price, unit="kr_gns",
        dimensions=("indsatstype",), levels=("area",), source="Sagssystemet (bevilgede ydelser)", chart=unit_price_chart,
        collection="Udtræk fra sagssystemet",
        definition="Den gennemsnitlige månedspris for de indsatser, der var i gang ved månedens udgang, "
        "pr. indsatstype. Prisen er den bevilgede pris pr. måned i sagssystemet, ikke det bogførte forbrug. "
        "Indsatser med en slutdato før startdatoen er ikke talt med (de står på siden om datakvalitet), "
        "og en indsats, der står to gange i udtrækket, tælles én gang.",
        numerator="Bevilgede månedspriser lagt sammen for de indsatser, der var i gang på månedens sidste dag (kr.)",
        denominator="Indsatser, der var i gang på månedens sidste dag",
    ),
    _indicator(
        "andel_forebyggelse", "Andel af forbruget til forebyggelse", preventive_share, unit="pct", better="higher",
        levels=("area",), counts=False, frequency="år",
        definition="Forbruget på forebyggende indsatser som andel af forbruget på forebyggende indsatser og "
        "anbringelser tilsammen. Øvrige udgifter tæller ikke med. For indeværende år er det året til dato.",
        numerator="Forbrug på forebyggende indsatser i året (kr.)",
        denominator="Forbrug på forebyggende indsatser og anbringelser i året (kr.)",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = [i.id for i in ctx.indicators.values() if i.theme == THEME]
    if not mine:
        return []
    per_area = "omraade" in audience.level_columns
    blocks = [lisite.Markdown(source="temaer/oekonomi.md")]
    views = {
        "oekonomi.forbrugsprocent": [lisite.IndicatorView("oekonomi.forbrugsprocent")]
        + ([lisite.IndicatorView("oekonomi.forbrugsprocent", by="omraade", last=1)] if per_area else []),
        "oekonomi.forbrug": [lisite.IndicatorView("oekonomi.forbrug", by="indsatsgruppe", kind="line", last=12)],
        "oekonomi.andel_forebyggelse": [lisite.IndicatorView("oekonomi.andel_forebyggelse")],
        "oekonomi.enhedspris": [lisite.IndicatorView("oekonomi.enhedspris", by="indsatstype", kind="bar", last=1)],
        "oekonomi.udgift_pr_barn": [lisite.IndicatorView("oekonomi.udgift_pr_barn")],
    }
    for indicator_id, shown in views.items():
        if indicator_id in mine:
            blocks += shown
    return [lisite.Page("temaer/oekonomi.html", "Økonomi", blocks, section="Temaer", order=54)]
