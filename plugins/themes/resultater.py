"""Theme 4, Resultater: do the measures help? Goal attainment, school, well-being, education, crime.

Yearly figures for children with measures (dataset ``resultater``) are drawn
next to the same figure for all children in the municipality (dataset
``resultater_alle``, already averages and percentages). The comparison is a
custom chart, not a dimension: the two groups overlap, so they do not add up.
Goal attainment comes from the follow-ups on measures (``opfoelgninger``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

import lisite
from lisite import charts, fmt

THEME = "resultater"
WITH_MEASURES = "Børn med indsatser"
EVERYONE = "Alle børn i kommunen"
NOT_GIVEN = "Ikke vurderet"
ATTAINMENT = {"Helt": "Helt nået", "Delvist": "Delvist nået", "Ikke": "Ikke nået"}


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
    done["period"] = done["udfoert"].dt.strftime("%Y")
    return done[done["period"].isin(years(ctx))]


def goal_met(ctx):
    done = done_followups(ctx)
    done = done[done["maalopfyldelse"].notna()]
    hit = (done["maalopfyldelse"] == "Helt").astype(float)
    return done.assign(hit=hit).groupby("period")["hit"].agg(numerator="sum", denominator="size").reset_index()


def goal_distribution(ctx):
    done = done_followups(ctx)
    done = done.assign(maalopfyldelse=done["maalopfyldelse"].map(ATTAINMENT).fillna(NOT_GIVEN))
    return done.groupby(["period", "maalopfyldelse"]).size().rename("numerator").reset_index()


def compared_with_all(column: str, axis: str):
    """A chart function: the indicator for children with measures, and all children as a grey dashed line."""
    def chart(frame, indicator, target, by, ctx):
        everyone = ctx.data["resultater_alle"]
        own = frame[["period", "value"]].assign(gruppe=WITH_MEASURES)
        other = pd.DataFrame({"period": everyone["aar"].astype(int).astype(str), "value": everyone[column].astype(float)})
        other = other[other["period"].isin(own["period"])].assign(gruppe=EVERYONE)
        data = pd.concat([own, other], ignore_index=True)
        labels = {"period": ctx.t("period_col"), "value": ctx.t("value"), "target": ctx.t("target"), "gruppe": "Gruppe"}
        lang = ctx.config.language
        drawn = charts.series_chart(data, indicator.unit, indicator.title, color="gruppe", target=target, kind="line", labels=labels, lang=lang)
        spec = charts.to_spec(drawn)  # a plain Vega-Lite dict, whatever series_chart returns
        groups = [WITH_MEASURES, EVERYONE]
        styles = {"color": [charts.OWN, charts.GREY], "strokeDash": [[1, 0], [5, 4]]}  # own solid blue, all children dashed grey
        for layer in spec["layer"]:
            encoding = layer.get("encoding", {})
            for channel, values in styles.items():
                if encoding.get(channel, {}).get("field") == "gruppe":
                    encoding[channel] = {**encoding[channel], "scale": {"domain": groups, "range": values}}
            if "axis" in encoding.get("y", {}):
                encoding["y"] = {**encoding["y"], "title": axis}
        return spec
    return chart


def attainment_chart(frame, indicator, target, by, ctx):
    """One year's follow-ups as bars in the order Helt, Delvist, Ikke nået, Ikke vurderet; a part year says so."""
    lang = ctx.config.language
    if by != "maalopfyldelse" or frame["period"].nunique() != 1:
        return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=lang)
    period = frame["period"].iloc[0]
    title = f"{indicator.title}, {period}"
    if period == str(ctx.config.year) and ctx.config.month < 12:
        title += f" (januar-{fmt.MONTHS[lang][ctx.config.month - 1]})"
    x = alt.X("maalopfyldelse:N", sort=[*ATTAINMENT.values(), NOT_GIVEN], title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title=fmt.unit_label(indicator.unit, lang), axis=alt.Axis(format=",.0f"))
    base = alt.Chart(frame[["maalopfyldelse", "value"]])
    bars = base.mark_bar(color=charts.OWN).encode(x=x, y=y, tooltip=["maalopfyldelse:N", alt.Tooltip("value:Q", title=ctx.t("value"))])
    text = base.mark_text(dy=-6, fontSize=11, color="#222").encode(x=x, y="value:Q", text=alt.Text("value:Q", format=",.0f"))
    return alt.layer(bars, text).properties(width="container", height=260, title=alt.Title(title, anchor="start", fontSize=14))


def _indicator(id, title, compute, unit, definition, **kw):
    kw.setdefault("element", "opfoelgning")
    kw.setdefault("frequency", "år")
    kw.setdefault("source", "Sagssystemet og kommunens skole- og trivselsdata")
    return lisite.Indicator(id=f"{THEME}.{id}", title=title, theme=THEME, compute=compute, unit=unit, definition=definition, **kw)


SO_FAR = " For indeværende år tæller opfølgningerne indtil nu."
# indicator name -> column of resultater_alle with the same figure for all children
COMPARED = {"skolefravaer": "skolefravaer_pct", "trivsel": "trivsel", "ungdomsuddannelse": "ungdomsuddannelse_pct", "sigtet": "sigtet_pct"}
INDICATORS = [
    _indicator(
        "maalopfyldelse", "Opfølgninger, hvor målet blev nået", goal_met, "pct", better="higher",
        source="Sagssystemet (opfølgninger)",
        definition="Andel af årets opfølgninger på indsatser, hvor sagsbehandleren vurderede, at indsatsens mål var helt "
        "nået. Opfølgninger uden en vurdering tæller ikke med her, men ses i fordelingen nedenfor." + SO_FAR,
        numerator="Opfølgninger udført i året, hvor målet var helt nået",
        denominator="Opfølgninger udført i året, hvor målet er vurderet",
    ),
    _indicator(
        "maalopfyldelse_fordeling", "Udførte opfølgninger", goal_distribution, "antal",
        dimensions=("maalopfyldelse",), source="Sagssystemet (opfølgninger)", chart=attainment_chart,
        definition="Antal opfølgninger på indsatser udført i året, efter om målet var helt, delvist eller ikke nået. "
        f"Opfølgninger uden en vurdering står som '{NOT_GIVEN}'." + SO_FAR,
        numerator="Opfølgninger på indsatser udført i året",
    ),
    _indicator(
        "skolefravaer", "Skolefravær i procent", average("skolefravaer_pct"), "gns", better="lower",
        chart=compared_with_all("skolefravaer_pct", "fravær i procent af skoledagene"),
        definition="Gennemsnitligt fravær i procent af skoledagene i skoleåret for skolesøgende børn med en indsats. "
        "Den stiplede grå linje er gennemsnittet for alle skolebørn i kommunen.",
        numerator="Fraværsprocenterne for skolesøgende børn med en indsats, lagt sammen",
        denominator="Skolesøgende børn med en indsats, hvor fraværet er oplyst for året",
    ),
    _indicator(
        "trivsel", "Trivsel (1-5)", average("trivsel"), "gns", better="higher", chart=compared_with_all("trivsel", "trivsel, 1 (lav) til 5 (høj)"),
        definition="Gennemsnitlig trivsel på en skala fra 1 (lav) til 5 (høj) fra den nationale trivselsmåling, for børn "
        "med en indsats, der har svaret. Den stiplede grå linje er gennemsnittet for alle børn i kommunen.",
        numerator="Trivselsscorerne (1-5) for børn med en indsats, lagt sammen",
        denominator="Børn med en indsats, der har svaret i årets trivselsmåling",
    ),
    _indicator(
        "ungdomsuddannelse", "17-årige i gang med en ungdomsuddannelse", average("ungdomsuddannelse"), "pct", better="higher",
        chart=compared_with_all("ungdomsuddannelse_pct", "procent af de 17-årige"),
        definition="Andel af de 17-årige med en indsats, der er begyndt på en ungdomsuddannelse (gymnasium, "
        "erhvervsuddannelse o.l.). Den stiplede grå linje er andelen blandt alle 17-årige i kommunen.",
        numerator="17-årige med en indsats, der er begyndt på en ungdomsuddannelse",
        denominator="17-årige med en indsats, hvor det er oplyst, om de er begyndt på en ungdomsuddannelse",
    ),
    _indicator(
        "sigtet", "15-17-årige sigtet for lovovertrædelse", average("sigtet"), "pct", better="lower",
        chart=compared_with_all("sigtet_pct", "procent af de 15-17-årige"),
        definition="Andel af de 15-17-årige med en indsats, der er blevet sigtet for en lovovertrædelse i året. "
        "Den stiplede grå linje er andelen blandt alle 15-17-årige i kommunen.",
        numerator="15-17-årige med en indsats, der er sigtet for en lovovertrædelse i året",
        denominator="15-17-årige med en indsats, hvor det er oplyst, om de er sigtet i året",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def comparison_table(ctx, names: list[str]) -> lisite.Table | None:
    """The latest year of each compared figure: children with measures next to all children."""
    everyone = ctx.data["resultater_alle"].assign(period=lambda d: d["aar"].astype(int).astype(str)).set_index("period")
    lang, rows = ctx.config.language, []
    for name in names:
        indicator = ctx.indicators[f"{THEME}.{name}"]
        own = ctx.staged(indicator.id).total().dropna(subset=["value"])
        own = own[own["period"].isin(everyone.index)]
        if own.empty:
            continue
        last = own.sort_values("period").iloc[-1]
        rows.append({"Nøgletal": indicator.title, "År": last["period"],
                     WITH_MEASURES: fmt.value(last["value"], indicator.unit, lang),
                     EVERYONE: fmt.value(everyone.loc[last["period"], COMPARED[name]], indicator.unit, lang)})
    if not rows:
        return None
    return lisite.Table(pd.DataFrame(rows), caption="Seneste år: børn med indsatser og alle børn i kommunen")


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
    return [lisite.Page(f"temaer/{THEME}.html", "Resultater", blocks, section="Temaer", order=53)]
