"""Core element 8, Økonomisk styring og afrapportering: budget follow-up and prognosis.

Gives the element page (udvalg, direktion, ledere) and the example report
"Månedlig økonomiopfølgning" (direktion and ledere, also per area). Reads the
economy system's follow-up (dataset ``budget``): aggregated amounts per area,
budget function and group of measures. There is nothing per child in it, so
nothing needs suppressing. The budget is spread over the months; a year's
budget is the sum of its months, any month not yet exported counted as the
latest one.

Prognosis: each remaining month of the year is expected to cost the average
of the last ``WINDOW`` months. The 95 % interval comes from how much the
monthly spend varied in those months: 1.96 * sd * sqrt(r + r**2 / k) for r
months left and k months in the average (the months vary, and so may the
average itself).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

import lisite
from lisite import charts, fmt

ELEMENT = "oekonomisk_styring"
GROUPS = ("Forebyggende", "Anbringelse", "Øvrige")
MONTH_NAMES = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
WINDOW = 6
Z = 1.96
AMOUNTS = ("Budget", "Korrigeret budget", "Forbrug til dato", "Forventet årsresultat", "Afvigelse", "Sidste års regnskab")
STATUS = ("Budget", "Korrigeret budget", "Forbrug til dato", "Forbrugsprocent", "Sidste års regnskab")
OUTLOOK = ("Korrigeret budget", "Forventet årsresultat", "Afvigelse")
# Amounts are shown in mio. kr. with one decimal ("gns" formats a number with one decimal and no suffix).
FORMATS = {**{column: "gns" for column in AMOUNTS}, "Forbrugsprocent": "pct"}


@dataclass
class Forecast:
    """The expected spend for the whole year, built from the spend month by month."""

    spent: float  # spent from January to the reporting month
    expected: float  # expected spend for the whole year
    per_month: float  # expected spend in each remaining month
    sd: float  # standard deviation of the monthly spend in the window
    remaining: int  # months left of the year
    window: int  # months the average is taken over

    def half_width(self, months: int) -> float:
        """Half the 95 % interval of the spend ``months`` months ahead."""
        return Z * self.sd * math.sqrt(months + months**2 / self.window) if self.window else 0.0


def forecast(monthly: pd.Series, year: int, month: int) -> Forecast:
    """``monthly``: spend per period (``YYYY-MM``), oldest first, up to the reporting month."""
    recent = monthly.tail(WINDOW)
    spent = float(monthly[monthly.index.str.startswith(str(year))].sum())
    remaining = 12 - month
    sd = float(recent.std(ddof=1)) if len(recent) > 1 else 0.0
    return Forecast(spent, spent + remaining * float(recent.mean()), float(recent.mean()), sd, remaining, len(recent))


def monthly_spend(budget: pd.DataFrame, year: int, month: int) -> pd.Series:
    upto = budget[(budget["aar"] * 100 + budget["maaned"]) <= year * 100 + month]
    period = upto["aar"].astype(str) + "-" + upto["maaned"].map("{:02d}".format)
    return upto.groupby(period)["forbrug"].sum().sort_index()


def full_year(this_year: pd.DataFrame, column: str) -> float:
    """A budget column for the whole year: the months in the export, any missing months as the latest one."""
    keys = ["omraade", "budgetfunktion", "indsatsgruppe"]
    months = this_year.groupby([*keys, "maaned"], as_index=False)[column].sum().sort_values("maaned")
    lines = months.groupby(keys).agg(total=(column, "sum"), count=("maaned", "nunique"), latest=(column, "last"))
    return float((lines["total"] + (12 - lines["count"]).clip(lower=0) * lines["latest"]).sum())


def follow_up_row(budget: pd.DataFrame, year: int, month: int) -> dict:
    """The budget follow-up columns for one slice of the data (a group, an area or everything)."""
    this_year = budget[budget["aar"] == year]
    corrected = full_year(this_year, "korrigeret_budget")
    fc = forecast(monthly_spend(budget, year, month), year, month)
    return {
        "Budget": full_year(this_year, "budget"),
        "Korrigeret budget": corrected,
        "Forbrug til dato": fc.spent,
        "Forbrugsprocent": fc.spent / corrected * 100 if corrected else float("nan"),
        "Forventet årsresultat": fc.expected,
        "Afvigelse": fc.expected - corrected,
        "Sidste års regnskab": float(budget.loc[budget["aar"] == year - 1, "forbrug"].sum()),
    }


def follow_up_table(budget: pd.DataFrame, year: int, month: int, by: str, label: str, total: str) -> pd.DataFrame:
    values = [v for v in GROUPS if v in set(budget[by])] if by == "indsatsgruppe" else sorted(budget[by].unique())
    rows = [{label: v, **follow_up_row(budget[budget[by] == v], year, month)} for v in values]
    rows.append({label: total, **follow_up_row(budget, year, month)})
    return pd.DataFrame(rows)


def mio(amount: float, lang: str) -> str:
    return f"{fmt.number(amount / 1e6, 1, lang)} mio. kr."


def prognosis_text(fc: Forecast, corrected: float, year: int, month: int, lang: str) -> tuple[str, list[str]]:
    """The chart's description and the sentences under it, with every amount in mio. kr."""
    low, high = fc.expected - fc.half_width(fc.remaining), fc.expected + fc.half_width(fc.remaining)
    deviation = fc.expected - corrected
    kind = "et merforbrug" if deviation > 0 else "et mindreforbrug"
    interval = f"mellem {fmt.number(low / 1e6, 1, lang)} og {mio(high, lang)}"
    until = fmt.period(f"{year}-{month:02d}", lang)
    description = (f"Diagrammet viser forbruget i {year} lagt sammen måned for måned. Den fulde linje er forbruget til og "
                   f"med {until}: {mio(fc.spent, lang)} Den vandrette linje er det korrigerede budget: {mio(corrected, lang)} "
                   f"Den stiplede linje er prognosen, som ender på {mio(fc.expected, lang)}")
    if fc.remaining:
        description += f" Det skraverede bånd viser usikkerheden: {interval}"
    description += f" Det er {kind} på {mio(abs(deviation), lang)}"
    sentences = [f"**Vi forventer et forbrug på {mio(fc.expected, lang)} i {year}**"
                 + (f", sandsynligvis {interval}" if fc.remaining else "."),
                 f"Det er {kind} på {mio(abs(deviation), lang)} i forhold til det korrigerede budget på {mio(corrected, lang)}"]
    if fc.remaining and low > corrected:
        sentences.append("Selv den laveste ende af prognosen ligger over budgettet.")
    elif fc.remaining and high < corrected:
        sentences.append("Selv den højeste ende af prognosen ligger under budgettet.")
    elif fc.remaining:
        sentences.append("Budgettet ligger inden for prognosens usikkerhed, så det er endnu ikke afgjort, "
                         "om året ender med mer- eller mindreforbrug.")
    return description, sentences


def prognosis_chart(budget: pd.DataFrame, fc: Forecast, corrected: float, year: int, month: int, lang: str):
    """Spend so far (solid), prognosis (dashed, with band) and the corrected budget (rule), in mio. kr."""
    spent = monthly_spend(budget, year, month)
    spent = spent[spent.index.str.startswith(str(year))].cumsum() / 1e6
    actual = pd.DataFrame({"maaned": [MONTH_NAMES[int(p[5:7]) - 1] for p in spent.index], "value": spent.values})
    ahead = range(0, fc.remaining + 1)
    path = pd.DataFrame({
        "maaned": [MONTH_NAMES[month - 1 + k] for k in ahead],
        "value": [(fc.spent + k * fc.per_month) / 1e6 for k in ahead],
        "low": [(fc.spent + k * fc.per_month - fc.half_width(k)) / 1e6 for k in ahead],
        "high": [(fc.spent + k * fc.per_month + fc.half_width(k)) / 1e6 for k in ahead],
    })
    x = alt.X("maaned:O", sort=MONTH_NAMES, title=None, axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=MONTH_NAMES))
    y = alt.Y("value:Q", title="mio. kr. brugt fra 1. januar", axis=alt.Axis(format=",.0f"))
    tip = alt.Tooltip("value:Q", title="mio. kr.", format=",.1f")
    layers = [
        alt.Chart(path).mark_area(color=charts.OWN, opacity=0.15).encode(x=x, y="low:Q", y2="high:Q"),
        alt.Chart(path).mark_line(color=charts.OWN, strokeDash=[6, 4], strokeWidth=2).encode(x=x, y=y, tooltip=[tip]),
        alt.Chart(actual).mark_line(color=charts.OWN, strokeWidth=3, point=True).encode(x=x, y=y, tooltip=[tip]),
        alt.Chart(actual.tail(1).assign(label=f"Forbrug til dato: {mio(fc.spent, lang)}")).mark_text(
            align="right", dx=-8, dy=-12, fontSize=12, color=charts.OWN).encode(x=x, y=y, text="label:N"),
        alt.Chart(path.tail(1).assign(label=f"Prognose: {mio(fc.expected, lang)}")).mark_text(
            align="right", baseline="bottom", dy=-10, fontSize=12, fontWeight="bold", color=charts.OWN)
        .encode(x=x, y="high:Q", text="label:N"),
    ]
    rule = alt.Chart(pd.DataFrame({"value": [corrected / 1e6], "label": [f"Korrigeret budget: {mio(corrected, lang)}"]}))
    layers += [rule.mark_rule(color=charts.TARGET, strokeWidth=2).encode(y="value:Q"),
               rule.mark_text(align="left", baseline="bottom", dy=-4, x=4, fontSize=12, color=charts.TARGET)
               .encode(y="value:Q", text="label:N")]
    title = f"Forbrug og prognose for {year}"
    return alt.layer(*layers).properties(width="container", height=320, title=alt.Title(title, anchor="start", fontSize=14))


def shown(table: pd.DataFrame, columns: tuple[str, ...], caption: str) -> lisite.Table:
    """Some columns of a follow-up table, amounts in mio. kr. (eight columns do not fit beside the menu)."""
    amounts = {column: (table[column] / 1e6).round(1) + 0.0 for column in AMOUNTS if column in columns}  # no "-0,0"
    return lisite.Table(table[[table.columns[0], *columns]].assign(**amounts), caption=caption, formats=FORMATS)


def budget_blocks(ctx, per_area: bool) -> list:
    """The follow-up table(s), the prognosis chart and the sentences that read it."""
    budget, lang = ctx.data["budget"], ctx.config.language
    year, month = ctx.config.year, ctx.config.month
    until = fmt.period(f"{year}-{month:02d}", lang)
    table = follow_up_table(budget, year, month, "indsatsgruppe", "Indsatsgruppe", "I alt")
    total = table.iloc[-1]
    fc = forecast(monthly_spend(budget, year, month), year, month)
    description, sentences = prognosis_text(fc, total["Korrigeret budget"], year, month, lang)
    deviation = total["Afvigelse"]
    areas = follow_up_table(budget, year, month, "omraade", "Område", "Hele kommunen") if per_area else None
    blocks = [
        lisite.Markdown(text=f"## Budgetopfølgning for {year} til og med {until}\n\n"
                        f"Der er brugt {mio(total['Forbrug til dato'], lang)}, svarende til "
                        f"{fmt.value(total['Forbrugsprocent'], 'pct', lang)} af det korrigerede budget. Bruges pengene "
                        f"jævnt over året, ville tallet være {fmt.value(month / 12 * 100, 'pct', lang)} nu. Prognosen peger "
                        f"på {'et merforbrug' if deviation > 0 else 'et mindreforbrug'} på {mio(abs(deviation), lang)} "
                        f"for hele året."),
        shown(table, STATUS, "Budget og forbrug pr. indsatsgruppe, mio. kr."),
    ]
    if per_area:
        blocks.append(shown(areas, STATUS, "Budget og forbrug pr. område, mio. kr."))
    blocks += [
        lisite.Markdown(text=f"## Prognose for hele {year}"),
        lisite.ChartBlock(prognosis_chart(budget, fc, total["Korrigeret budget"], year, month, lang), description),
        lisite.Markdown(text=" ".join(sentences)),
        shown(table, OUTLOOK, "Forventet årsresultat pr. indsatsgruppe, mio. kr. Positiv afvigelse = merforbrug."),
    ]
    if per_area:
        blocks.append(shown(areas, OUTLOOK, "Forventet årsresultat pr. område, mio. kr. Positiv afvigelse = merforbrug."))
    return blocks


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    has_budget = "budget" in ctx.data and len(ctx.data["budget"])
    per_area = "omraade" in audience.level_columns
    mine = [i.id for i in sorted(ctx.indicators.values(), key=lambda i: not i.key_figure) if i.element == ELEMENT]
    pages = []
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if has_budget:
        blocks += budget_blocks(ctx, per_area=False)
        if audience.level in lisite.MANAGERS:
            blocks.append(lisite.Markdown(text="Tallene pr. område og en forklaring af kolonnerne står i "
                                          "[den månedlige økonomiopfølgning](../rapporter/oekonomi_maaned.html)."))
    if mine:
        blocks.append(lisite.Markdown(text="## Nøgletal for økonomisk styring"))
        blocks += [lisite.IndicatorView(i) for i in mine]
    pages.append(lisite.Page(f"elementer/{ELEMENT}.html", "Økonomisk styring og afrapportering", blocks,
                             section="Kerneelementer", order=67))
    if has_budget and audience.level in lisite.MANAGERS:
        blocks = [*budget_blocks(ctx, per_area), lisite.Markdown(source="rapporter/oekonomi_maaned.md")]
        pages.append(lisite.Page("rapporter/oekonomi_maaned.html", "Månedlig økonomiopfølgning", blocks,
                                 section="Rapporter", order=81))
    return pages
