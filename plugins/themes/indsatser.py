"""Theme 2, Indsatser: measures for children, preventive measures and placements.

Measures come from the case system's export of ydelser, each joined to its
case (sager) for area, team and caseworker. Whether a measure is preventive or
a placement, and whether a placement is family care, comes from the columns
``indsatsgruppe`` and ``familiepleje`` that the measures plugin derives from the
measure catalogue (by legal basis and name); measures in neither group
("Øvrige", or not in the catalogue) are not counted here. A child counts once:
a child with both a preventive measure and a placement counts as placed, so
the split by ``indsatsgruppe`` adds up to the total. A measure whose end date is before its
start date is a data error: it is left out of every figure here and reported
by ``lisite_validate`` as a warning, so nothing is silently dropped.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

import lisite
from lisite import calc, charts, fmt

THEME = "indsatser"
LEVELS = ("area", "team", "caseworker")
CASE_COLUMNS = ["omraade", "team", "sagsbehandler_id"]
PREVENTIVE, PLACEMENT = "Forebyggende", "Anbringelse"
UNKNOWN = "Ukendt"


def broken(measures: pd.DataFrame) -> pd.Series:
    """Measures that end before they start."""
    return measures["slutdato"].notna() & (measures["slutdato"] < measures["startdato"])


def measures(ctx) -> pd.DataFrame:
    """Valid preventive measures and placements with the area, team and caseworker of their case
    ('Ukendt' if the case is missing).

    Sorted so that, per child, placements come after preventive measures and later starts after earlier.
    """
    data = ctx.data["ydelser"]
    cases = ctx.data["sager"][["sags_id", *CASE_COLUMNS]].drop_duplicates("sags_id")
    counted = data["indsatsgruppe"].isin([PREVENTIVE, PLACEMENT])
    out = data[~broken(data) & counted].merge(cases, on="sags_id", how="left")
    out[CASE_COLUMNS] = out[CASE_COLUMNS].fillna(UNKNOWN)
    out["placed"] = out["indsatsgruppe"] == PLACEMENT
    return out.sort_values(["placed", "startdato"], kind="stable")


def active_on(data: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Measures running on ``day``."""
    return data[calc.active_on(data, "startdato", "slutdato", day)]


def children_on(data: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """One row per child with a measure running on ``day``: the latest placement, else the latest measure."""
    return active_on(data, day).drop_duplicates("sags_id", keep="last")


def placed_on(data: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """One row per placed child on ``day``: the latest placement."""
    children = children_on(data, day)
    return children[children["placed"]]


def monthly(ctx, select) -> pd.DataFrame:
    """The rows ``select(measures, day)`` picks on each month's last day, with the month as ``period``."""
    data = measures(ctx)
    return pd.concat([select(data, calc.month_end(p)).assign(period=p) for p in ctx.months()], ignore_index=True)


def whole_years(ctx) -> list[str]:
    """The last seven whole years before the reporting year."""
    return [str(y) for y in ctx.years(8)[:-1]]


def tally(frame: pd.DataFrame, by: list[str], hit: pd.Series | None = None) -> pd.DataFrame:
    """Count rows by ``by``: numerator = rows (or rows where ``hit``), denominator = rows when ``hit`` is given."""
    if hit is None:
        return frame.groupby(by).size().rename("numerator").reset_index()
    grouped = frame.assign(hit=hit.astype(float)).groupby(by)["hit"]
    return grouped.agg(numerator="sum", denominator="size").reset_index()


def children_with_measure(ctx):
    return tally(monthly(ctx, children_on), ["period", "indsatsgruppe", *CASE_COLUMNS])


def measures_by_type(ctx):
    grouped = monthly(ctx, active_on).groupby(["period", "indsatstype", *CASE_COLUMNS])["sags_id"]
    return grouped.agg(numerator="size", n="nunique").reset_index()  # n: the children behind the cell


def new_measures(ctx):
    return calc.counts_in(measures(ctx), "startdato", ctx.months(), by=("indsatsgruppe", "omraade", "team"))


def preventive_share(ctx):
    children = monthly(ctx, children_on)
    return tally(children, ["period", *CASE_COLUMNS], ~children["placed"])


def placement_forms(ctx):
    return tally(monthly(ctx, placed_on), ["period", "indsatstype", "omraade", "team"])


def family_care_share(ctx):
    placed = monthly(ctx, placed_on)
    return tally(placed, ["period", "omraade", "team"], placed["familiepleje"].fillna(False).astype(bool))


def without_consent(ctx):
    placements = monthly(ctx, active_on).query("placed")
    return tally(placements, ["period", "omraade", "team"], placements["tvang"].fillna(False).astype(bool))


def per_1000(group: str):
    """Children whose measure group on 31 December is ``group``, per 1,000 children aged 0-17."""
    def compute(ctx):
        data = measures(ctx)
        rows = []
        for year in calc.covered_periods(data, "startdato", whole_years(ctx)):  # not before the extract begins
            children = children_on(data, calc.month_end(year))
            rows.append({"period": year, "numerator": float((children["indsatsgruppe"] == group).sum())})
        return calc.per_children(pd.DataFrame(rows), ctx.children())
    return compute


def duration(ctx):
    """Days from start to end of measures that ended in each whole year."""
    data = measures(ctx)
    ended = data[data["slutdato"].notna()].copy()
    ended["period"] = ended["slutdato"].dt.strftime("%Y")
    ended["days"] = (ended["slutdato"] - ended["startdato"]).dt.days.astype(float)
    ended = ended[ended["period"].isin(whole_years(ctx))]  # a part year would mix short and long measures unevenly
    return ended.groupby(["period", "indsatsgruppe"])["days"].agg(numerator="sum", denominator="size").reset_index()


def type_chart(frame, indicator, target, by, ctx):
    """Lying bars for one month by measure type (long names do not fit under standing bars); else the default."""
    lang = ctx.config.language
    if by != "indsatstype" or frame["period"].nunique() != 1:
        return charts.series_chart(frame, indicator.unit, indicator.title, color=by, target=target, lang=lang)
    title = f"{indicator.title}, {fmt.period(frame['period'].iloc[0], lang)}"
    y = alt.Y("indsatstype:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("value:Q", title=fmt.unit_label(indicator.unit, lang), axis=alt.Axis(format=charts.NUMBER_FORMAT[indicator.unit]))
    base = alt.Chart(frame[["indsatstype", "value"]])
    bars = base.mark_bar(color=charts.OWN).encode(x=x, y=y, tooltip=["indsatstype:N", alt.Tooltip("value:Q", title=ctx.t("value"))])
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#222").encode(
        x="value:Q", y=y, text=alt.Text("value:Q", format=charts.NUMBER_FORMAT[indicator.unit]))
    return alt.layer(bars, text).properties(width="container", height=28 * len(frame) + 20, title=alt.Title(title, anchor="start", fontSize=14))


DROPPED = " Indsatser med en slutdato før startdatoen er fejl i data. De tælles ikke med, men bliver vist som fejl i data, så de kan rettes."


def _indicator(id, title, compute, definition, **kw):
    kw.setdefault("element", "politisk_styring")
    kw.setdefault("source", "Sagssystemet (ydelser og sager)")
    return lisite.Indicator(id=f"{THEME}.{id}", title=title, theme=THEME, compute=compute, definition=definition + DROPPED, **kw)


INDICATORS = [
    _indicator(
        "boern_med_indsats", "Børn med en indsats", children_with_measure, unit="antal", dimensions=("indsatsgruppe",),
        levels=LEVELS, key_figure=True,
        definition="Antal børn med mindst én aktiv indsats ved månedens udgang. Et barn, der både har en forebyggende "
        "indsats og er anbragt, tælles kun som anbragt, så de to grupper tilsammen giver det samlede antal børn.",
        numerator="Børn med mindst én aktiv indsats på månedens sidste dag (hvert barn tælles én gang)",
    ),
    _indicator(
        "indsatser_efter_type", "Aktive indsatser", measures_by_type, unit="antal", dimensions=("indsatstype",),
        levels=LEVELS, element="administrativ_styring", chart=type_chart,
        definition="Antal aktive indsatser ved månedens udgang, fordelt på type. Et barn kan have flere indsatser.",
        numerator="Indsatser, der var i gang på månedens sidste dag (et barn kan have flere)",
    ),
    _indicator(
        "nye_indsatser", "Nye indsatser pr. måned", new_measures, unit="antal", dimensions=("indsatsgruppe",),
        levels=("area", "team"), element="administrativ_styring",
        definition="Antal indsatser, der startede i måneden, fordelt på forebyggende indsatser og anbringelser.",
        numerator="Indsatser, der startede i måneden",
    ),
    _indicator(
        "andel_forebyggende", "Børn med kun forebyggende indsatser", preventive_share, unit="pct", better="higher",
        levels=LEVELS, key_figure=True,
        definition="Andel af børnene med en aktiv indsats ved månedens udgang, som kun har forebyggende indsatser og "
        "altså ikke er anbragt uden for hjemmet.",
        numerator="Børn med kun forebyggende indsatser på månedens sidste dag",
        denominator="Alle børn med mindst én aktiv indsats på månedens sidste dag",
    ),
    _indicator(
        "anbragte_pr_1000", "Anbragte børn pr. 1.000 børn", per_1000(PLACEMENT), unit="pr_1000", frequency="år",
        benchmark="anbragte", source="Sagssystemet; antal børn 0-17 år fra Danmarks Statistik",
        definition="Anbragte børn pr. 31. december pr. 1.000 børn på 0-17 år i kommunen. Færre anbringelser er ikke "
        "i sig selv bedre eller dårligere: det afgørende er, at de børn, der har brug for at bo uden for hjemmet, bliver anbragt.",
        numerator="Anbragte børn pr. 31. december", denominator="Børn på 0-17 år i kommunen (Danmarks Statistik)",
    ),
    _indicator(
        "forebyggende_pr_1000", "Børn med forebyggende indsatser pr. 1.000 børn", per_1000(PREVENTIVE), unit="pr_1000",
        frequency="år", benchmark="forebyggende", source="Sagssystemet; antal børn 0-17 år fra Danmarks Statistik",
        definition="Børn med en forebyggende indsats, som ikke samtidig er anbragt, pr. 31. december pr. 1.000 børn på 0-17 år.",
        numerator="Børn med en forebyggende indsats, som ikke samtidig er anbragt, pr. 31. december",
        denominator="Børn på 0-17 år i kommunen (Danmarks Statistik)",
    ),
    _indicator(
        "anbringelsesformer", "Anbragte børn", placement_forms, unit="antal",
        dimensions=("indsatstype",), levels=("area", "team"), chart=type_chart,
        definition="Antal anbragte børn ved månedens udgang efter, hvor de bor: plejefamilie, netværkspleje, opholdssted, "
        "døgninstitution eller eget værelse. Et barn med to anbringelser på samme dag tælles ved den nyeste.",
        numerator="Anbragte børn på månedens sidste dag",
    ),
    _indicator(
        "andel_familiepleje", "Anbragte børn i familiepleje", family_care_share, unit="pct", better="higher",
        levels=("area", "team"),
        definition="Andel af de anbragte børn ved månedens udgang, der bor i en plejefamilie eller i netværkspleje "
        "(hos familie eller venner).",
        numerator="Anbragte børn i plejefamilie eller netværkspleje på månedens sidste dag",
        denominator="Alle anbragte børn på månedens sidste dag",
    ),
    _indicator(
        "varighed", "Dage pr. afsluttet indsats (gennemsnit)", duration, unit="dage", frequency="år", dimensions=("indsatsgruppe",),
        element="administrativ_styring",
        definition="Gennemsnitligt antal dage fra start til slut for de indsatser, der sluttede i året. Kun hele år "
        "er med, fordi et halvt år giver et skævt billede.",
        numerator="Dage fra start til slut, lagt sammen for de indsatser, der sluttede i året",
        denominator="Indsatser, der sluttede i året",
    ),
    _indicator(
        "uden_samtykke", "Anbringelser uden samtykke", without_consent, unit="pct", levels=("area", "team"),
        definition="Andel af de aktive anbringelser ved månedens udgang, der er sket uden forældrenes samtykke (tvang). "
        "Et højt eller lavt tal er ikke i sig selv godt eller skidt: en anbringelse uden samtykke sker, når barnets "
        "behov kræver det, og familien ikke er enig.",
        numerator="Aktive anbringelser uden forældrenes samtykke på månedens sidste dag",
        denominator="Alle aktive anbringelser på månedens sidste dag",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


@lisite.hookimpl
def lisite_validate(data):
    found, cases = data.get("ydelser"), data.get("sager")
    if found is None:
        return []
    lines = found.attrs.get("lines", [])

    def warn(rows, message, column):
        return [lisite.Problem(message, file=found.attrs.get("file", ""), row=lines[i] if lines else None, column=column,
                               severity="warning", dataset="ydelser") for i in found.index[rows]]

    problems = warn(broken(found), "slutdato ligger før startdato; indsatsen er udeladt af tallene om indsatser", "slutdato")
    if cases is not None:
        problems += warn(~found["sags_id"].isin(set(cases["sags_id"])),
                         "sagen findes ikke i sager; indsatsen tælles med under område og team 'Ukendt'", "sags_id")
    return problems


# Page order: (indicator, breakdown). Breakdowns by type show the latest month as bars.
VIEWS = [("boern_med_indsats", ""), ("andel_forebyggende", ""), ("nye_indsatser", ""), ("indsatser_efter_type", "indsatstype"),
         ("anbringelsesformer", "indsatstype"), ("andel_familiepleje", ""), ("uden_samtykke", ""), ("anbragte_pr_1000", ""),
         ("forebyggende_pr_1000", ""), ("varighed", "indsatsgruppe")]
BY_LEVEL = ("boern_med_indsats", "indsatser_efter_type")  # shown per team (ledere) or per area (direktion)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = {i.id for i in ctx.indicators.values() if i.theme == THEME}
    if not mine:
        return []
    blocks = [lisite.Markdown(source=f"temaer/{THEME}.md")]
    for name, by in VIEWS:
        if f"{THEME}.{name}" in mine:
            blocks.append(lisite.IndicatorView(f"{THEME}.{name}", by=by, last=1 if by == "indsatstype" else None))
    level = next((c for c in ("team", "omraade") if c in audience.level_columns), "")  # finest useful on a theme page
    if level:
        blocks += [lisite.IndicatorView(f"{THEME}.{n}", by=level, kind="line", last=12) for n in BY_LEVEL if f"{THEME}.{n}" in mine]
    return [lisite.Page(f"temaer/{THEME}.html", "Indsatser", blocks, section="Temaer", order=51)]
