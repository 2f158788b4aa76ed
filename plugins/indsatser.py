"""Theme 2, Indsatser: measures for children, preventive measures and placements.

Measures come from the case system's export of ydelser, each joined to its
case (sager) for area, team and caseworker. A child counts once: a child with
both a preventive measure and a placement counts as placed, so the split by
``indsatsgruppe`` adds up to the total. A measure whose end date is before its
start date is a data error: it is left out of every figure here and reported
by ``lisite_validate`` as a warning, so nothing is silently dropped.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc

THEME = "indsatser"
LEVELS = ("area", "team", "caseworker")
CASE_COLUMNS = ["omraade", "team", "sagsbehandler_id"]
PREVENTIVE, PLACEMENT = "Forebyggende", "Anbringelse"
FAMILY_CARE = ("Plejefamilie", "Netværkspleje")
UNKNOWN = "Ukendt"


def broken(measures: pd.DataFrame) -> pd.Series:
    """Measures that end before they start."""
    return measures["slutdato"].notna() & (measures["slutdato"] < measures["startdato"])


def measures(ctx) -> pd.DataFrame:
    """Valid measures with the area, team and caseworker of their case ('Ukendt' if the case is missing)."""
    data = ctx.data["ydelser"]
    cases = ctx.data["sager"][["sags_id", *CASE_COLUMNS]].drop_duplicates("sags_id")
    out = data[~broken(data)].merge(cases, on="sags_id", how="left")
    out[CASE_COLUMNS] = out[CASE_COLUMNS].fillna(UNKNOWN)
    return out


def children_on(data: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """One row per child with an active measure on ``day``: the latest placement, else the latest measure."""
    active = data[calc.active_on(data, "startdato", "slutdato", day)]
    ranked = active.assign(placed=active["indsatsgruppe"] == PLACEMENT).sort_values(["placed", "startdato"], kind="stable")
    return ranked.groupby("sags_id").tail(1)


def placed_on(data: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """One row per placed child on ``day``: the latest placement."""
    children = children_on(data, day)
    return children[children["indsatsgruppe"] == PLACEMENT]


def per_month(ctx, count) -> pd.DataFrame:
    """Call ``count(measures, day)`` for each month's last day and stack the results."""
    data = measures(ctx)
    parts = [count(data, calc.month_end(p)).assign(period=p) for p in ctx.months()]
    return pd.concat(parts, ignore_index=True)


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
    return per_month(ctx, lambda d, day: tally(children_on(d, day), ["indsatsgruppe", *CASE_COLUMNS]))


def measures_by_type(ctx):
    def count(data, day):
        active = data[calc.active_on(data, "startdato", "slutdato", day)]
        grouped = active.groupby(["indsatstype", *CASE_COLUMNS])["sags_id"]
        return grouped.agg(numerator="size", n="nunique").reset_index()  # n: children behind the cell
    return per_month(ctx, count)


def new_measures(ctx):
    return calc.counts_in(measures(ctx), "startdato", ctx.months(), by=("indsatsgruppe", "omraade", "team"))


def preventive_share(ctx):
    def count(data, day):
        children = children_on(data, day)
        return tally(children, CASE_COLUMNS, children["indsatsgruppe"] == PREVENTIVE)
    return per_month(ctx, count)


def placement_forms(ctx):
    return per_month(ctx, lambda d, day: tally(placed_on(d, day), ["indsatstype", "omraade", "team"]))


def family_care_share(ctx):
    def count(data, day):
        placed = placed_on(data, day)
        return tally(placed, ["omraade", "team"], placed["indsatstype"].isin(FAMILY_CARE))
    return per_month(ctx, count)


def without_consent(ctx):
    def count(data, day):
        active = data[calc.active_on(data, "startdato", "slutdato", day) & (data["indsatsgruppe"] == PLACEMENT)]
        return tally(active, ["omraade", "team"], active["tvang"].fillna(False).astype(bool))
    return per_month(ctx, count)


def per_1000(group: str):
    """Children whose measure group on 31 December is ``group``, per 1,000 children aged 0-17."""
    def compute(ctx):
        data = measures(ctx)
        rows = []
        for year in whole_years(ctx):
            children = children_on(data, calc.month_end(year))
            rows.append({"period": year, "numerator": float((children["indsatsgruppe"] == group).sum())})
        return calc.per_children(pd.DataFrame(rows), ctx.children())
    return compute


def duration(ctx):
    """Days from start to end of measures that ended in each year (up to the end of the reporting period)."""
    data = measures(ctx)
    ended = data[data["slutdato"] <= ctx.end].copy()  # a planned end after the extract has not happened yet
    ended["period"] = ended["slutdato"].dt.strftime("%Y")
    ended["days"] = (ended["slutdato"] - ended["startdato"]).dt.days.astype(float)
    ended = ended[ended["period"].isin([str(y) for y in ctx.years(8)])]
    return ended.groupby(["period", "indsatsgruppe"])["days"].agg(numerator="sum", denominator="size").reset_index()


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
    ),
    _indicator(
        "indsatser_efter_type", "Aktive indsatser efter type", measures_by_type, unit="antal", dimensions=("indsatstype",),
        levels=LEVELS, element="administrativ_styring",
        definition="Antal aktive indsatser ved månedens udgang, fordelt på type. Et barn kan have flere indsatser.",
    ),
    _indicator(
        "nye_indsatser", "Nye indsatser pr. måned", new_measures, unit="antal", dimensions=("indsatsgruppe",),
        levels=("area", "team"), element="administrativ_styring",
        definition="Antal indsatser, der startede i måneden, fordelt på forebyggende indsatser og anbringelser.",
    ),
    _indicator(
        "andel_forebyggende", "Børn med kun forebyggende indsatser", preventive_share, unit="pct", better="higher",
        levels=LEVELS, key_figure=True,
        definition="Andel af børnene med en aktiv indsats ved månedens udgang, som kun har forebyggende indsatser og "
        "altså ikke er anbragt uden for hjemmet.",
    ),
    _indicator(
        "anbragte_pr_1000", "Anbragte børn pr. 1.000 børn", per_1000(PLACEMENT), unit="pr_1000", frequency="år",
        benchmark="anbragte", source="Sagssystemet; antal børn 0-17 år fra Danmarks Statistik",
        definition="Anbragte børn pr. 31. december pr. 1.000 børn på 0-17 år i kommunen. Færre anbringelser er ikke "
        "i sig selv bedre eller dårligere: det afgørende er, at de børn, der har brug for at bo uden for hjemmet, bliver anbragt.",
    ),
    _indicator(
        "forebyggende_pr_1000", "Børn med forebyggende indsatser pr. 1.000 børn", per_1000(PREVENTIVE), unit="pr_1000",
        frequency="år", benchmark="forebyggende", source="Sagssystemet; antal børn 0-17 år fra Danmarks Statistik",
        definition="Børn med en forebyggende indsats, som ikke samtidig er anbragt, pr. 31. december pr. 1.000 børn på 0-17 år.",
    ),
    _indicator(
        "anbringelsesformer", "Anbragte børn efter anbringelsessted", placement_forms, unit="antal",
        dimensions=("indsatstype",), levels=("area", "team"),
        definition="Antal anbragte børn ved månedens udgang efter, hvor de bor: plejefamilie, netværkspleje, opholdssted, "
        "døgninstitution eller eget værelse. Et barn med to anbringelser på samme dag tælles ved den nyeste.",
    ),
    _indicator(
        "andel_familiepleje", "Anbragte børn i familiepleje", family_care_share, unit="pct", better="higher",
        levels=("area", "team"),
        definition="Andel af de anbragte børn ved månedens udgang, der bor i en plejefamilie eller i netværkspleje "
        "(hos familie eller venner).",
    ),
    _indicator(
        "varighed", "Varighed af afsluttede indsatser", duration, unit="dage", frequency="år", dimensions=("indsatsgruppe",),
        element="administrativ_styring",
        definition="Gennemsnitligt antal dage fra start til slut for de indsatser, der sluttede i året. For indeværende "
        "år tæller de indsatser, der er sluttet indtil nu.",
    ),
    _indicator(
        "uden_samtykke", "Anbringelser uden samtykke", without_consent, unit="pct", levels=("area", "team"),
        definition="Andel af de aktive anbringelser ved månedens udgang, der er sket uden forældrenes samtykke (tvang). "
        "Et højt eller lavt tal er ikke i sig selv godt eller skidt: en anbringelse uden samtykke sker, når barnets "
        "behov kræver det, og familien ikke er enig.",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


@lisite.hookimpl
def lisite_validate(data):
    found = data.get("ydelser")
    if found is None:
        return []
    lines, file = found.attrs.get("lines", []), found.attrs.get("file", "")
    cases = data.get("sager")
    known = set(cases["sags_id"]) if cases is not None else None
    problems = []
    for i in found.index[broken(found)]:
        problems.append(lisite.Problem("slutdato ligger før startdato; indsatsen er udeladt af tallene om indsatser",
                                       file=file, row=lines[i] if lines else None, column="slutdato", severity="warning", dataset="ydelser"))
    if known is not None:
        for i in found.index[~found["sags_id"].isin(known)]:
            problems.append(lisite.Problem("sagen findes ikke i sager; indsatsen tælles med under område og team 'Ukendt'",
                                           file=file, row=lines[i] if lines else None, column="sags_id", severity="warning", dataset="ydelser"))
    return problems


# (indicator, breakdown, kind, last periods) in page order; "" = the municipality total
VIEWS = [
    ("boern_med_indsats", "indsatsgruppe", "line", None),
    ("andel_forebyggende", "", "auto", None),
    ("nye_indsatser", "indsatsgruppe", "line", 12),
    ("indsatser_efter_type", "indsatstype", "bar", 1),
    ("anbringelsesformer", "indsatstype", "bar", 1),
    ("andel_familiepleje", "", "auto", None),
    ("uden_samtykke", "", "auto", None),
    ("anbragte_pr_1000", "", "auto", None),
    ("forebyggende_pr_1000", "", "auto", None),
    ("varighed", "indsatsgruppe", "line", None),
]
BY_LEVEL = ("boern_med_indsats", "indsatser_efter_type", "nye_indsatser")


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = {i.id for i in ctx.indicators.values() if i.theme == THEME}
    if not mine:
        return []
    level = next((c for c in ("team", "omraade") if c in audience.level_columns), "")
    blocks = [lisite.Markdown(source=f"temaer/{THEME}.md")]
    for name, by, kind, last in VIEWS:
        if f"{THEME}.{name}" in mine:
            blocks.append(lisite.IndicatorView(f"{THEME}.{name}", by=by, kind=kind, last=last))
    if level:
        blocks += [lisite.IndicatorView(f"{THEME}.{name}", by=level, kind="line", last=12) for name in BY_LEVEL if f"{THEME}.{name}" in mine]
    return [lisite.Page(f"temaer/{THEME}.html", "Indsatser", blocks, section="Temaer", order=51)]
