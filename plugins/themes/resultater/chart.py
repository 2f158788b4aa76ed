"""The results theme's charts and derived labels: each figure beside all children, goal attainment in order."""

from __future__ import annotations

import pandas as pd

from lisite import charts, fmt

ATTAINMENT = ("Helt", "Delvist", "Ikke")  # the data model's values of opfoelgninger.maalopfyldelse, best first
# indicator name -> column of resultater_alle with the same figure for all children
COMPARED = {"skolefravaer": "skolefravaer_pct", "trivsel": "trivsel", "ungdomsuddannelse": "ungdomsuddannelse_pct", "sigtet": "sigtet_pct"}
# indicator name -> its scale, for a figure that cannot lie outside it: the wellbeing score runs from 1 (low) to 5 (high)
SCALES = {"trivsel": (1.0, 5.0)}


def attainment_labels(t) -> dict[str, str]:
    """Each attainment value of the data model → its label; the last entry (key "") is 'not assessed'."""
    return {**{value: t(f"resultater.attainment.{value}") for value in ATTAINMENT}, "": t("resultater.not_assessed")}


def compared_with_all(name: str):
    """A chart function: the indicator for children with measures, and all children as a grey dashed line."""
    column = COMPARED[name]

    def chart(frame, indicator, target, by, ctx):
        t = ctx.t
        mine, everyone = t("resultater.with_measures"), t("resultater.everyone")
        alle = ctx.data["resultater_alle"]
        own = frame[["period", "value"]].assign(gruppe=mine)
        other = pd.DataFrame({"period": alle["aar"].astype(int).astype(str), "value": alle[column].astype(float)})
        other = other[other["period"].isin(own["period"])].assign(gruppe=everyone)
        data = pd.concat([own, other], ignore_index=True)
        labels = {"period": t("period_col"), "value": t("value"), "target": t("target"), "gruppe": t("resultater.group")}
        return charts.series_chart(data, indicator.unit, indicator.title, color="gruppe", target=target, kind="line",
                                   labels=labels, lang=ctx.config.language, colors={mine: charts.OWN, everyone: charts.GREY},
                                   dashes={mine: [1, 0], everyone: [5, 4]},  # own solid blue, all children dashed grey
                                   y_title=t(f"resultater.axis.{name}"), y_domain=SCALES.get(name))
    return chart


def attainment_chart(frame, indicator, target, by, ctx):
    """One year's follow-ups as bars in the order Helt, Delvist, Ikke nået, Ikke vurderet; a part year says so."""
    lang = ctx.config.language
    if by != "maalopfyldelse" or frame["period"].nunique() != 1:
        return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=lang)
    period = frame["period"].iloc[0]
    title = ctx.t("resultater.year_title", title=indicator.title, year=period)
    if period == str(ctx.config.year) and ctx.config.month < 12:
        title = ctx.t("resultater.part_year_title", title=indicator.title, year=period,
                      first=fmt.MONTHS[lang][0], last=fmt.MONTHS[lang][ctx.config.month - 1])
    return charts.category_bars(frame, "maalopfyldelse", list(attainment_labels(ctx.t).values()), title,
                                fmt.unit_label(indicator.unit, lang), ",.0f", ctx.t("value"))
