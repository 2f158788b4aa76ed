"""Theme 1, Administration: cases, notifications, deadlines and caseload.

Legal deadlines (Barnets lov): a notification (underretning) must be assessed
within 24 hours; a child welfare investigation (børnefaglig undersøgelse)
must be finished within 4 months (§ 20, stk. 3).
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc

THEME = "administration"
LEVELS = ("area", "team", "caseworker")


def active_cases(ctx):
    cases = ctx.data["sager"]
    return calc.active_counts(cases, "oprettet", "afsluttet", ctx.months(), by=("omraade", "team", "sagsbehandler_id"))


def new_cases(ctx):
    return calc.counts_in(ctx.data["sager"], "oprettet", ctx.months(), by=("omraade", "team"))


def closed_cases(ctx):
    return calc.counts_in(ctx.data["sager"], "afsluttet", ctx.months(), by=("omraade", "team"))


def notifications(ctx):
    return calc.counts_in(ctx.data["underretninger"], "modtaget", ctx.months(), by=("kilde",))


def notifications_per_1000(ctx):
    years = [str(y) for y in ctx.years(8)]
    counted = calc.counts_in(ctx.data["underretninger"], "modtaget", years)
    counted = counted[counted["period"].astype(int) < ctx.config.year]  # whole years only
    return calc.per_children(counted, ctx.children())


def assessed_24h(ctx):
    data = ctx.data["underretninger"]
    on_time = (data["vurderet"] - data["modtaget"]) <= pd.Timedelta(hours=24)
    return calc.share_in(data, "modtaget", ctx.months(), on_time)


def investigations_4_months(ctx):
    """Investigations whose 4-month deadline fell in the month; on time if finished by then."""
    data = ctx.data["undersoegelser"].copy()
    data["frist"] = data["startet"] + pd.DateOffset(months=4)
    done_in_time = data["afsluttet"].notna() & (data["afsluttet"] <= data["frist"])
    due = data["frist"] <= ctx.end
    return calc.share_in(data[due], "frist", ctx.months(), done_in_time[due])


def caseload(ctx):
    """Active cases per caseworker with cases, at month end."""
    cases = ctx.data["sager"]
    rows = []
    for period in ctx.months():
        day = calc.month_end(period)
        active = cases[calc.active_on(cases, "oprettet", "afsluttet", day)]
        per = active.groupby(["omraade", "team", "sagsbehandler_id"]).size().rename("numerator").reset_index()
        per["denominator"] = 1.0
        per["n"] = 1.0  # one caseworker behind each figure
        per.insert(0, "period", period)
        rows.append(per)
    return pd.concat(rows, ignore_index=True)


def _indicator(id, title, compute, **kw):
    kw.setdefault("element", "administrativ_styring")
    kw.setdefault("source", "Sagssystemet")
    return lisite.Indicator(id=f"{THEME}.{id}", title=title, theme=THEME, compute=compute, **kw)


INDICATORS = [
    _indicator(
        "aktive_sager", "Aktive sager", active_cases, unit="antal", levels=LEVELS, key_figure=True,
        definition="Antal åbne sager ved månedens udgang.", frequency="måned",
        shown_to=lisite.READERS,
        numerator="Sager, der var åbne på månedens sidste dag",
    ),
    _indicator(
        "nye_sager", "Nye sager pr. måned", new_cases, unit="antal", levels=("area", "team"),
        definition="Antal sager oprettet i måneden.", shown_to=lisite.MANAGERS,
        numerator="Sager oprettet i måneden",
    ),
    _indicator(
        "afsluttede_sager", "Afsluttede sager pr. måned", closed_cases, unit="antal", levels=("area", "team"),
        definition="Antal sager afsluttet i måneden.", shown_to=lisite.MANAGERS,
        numerator="Sager afsluttet i måneden",
    ),
    _indicator(
        "underretninger", "Underretninger pr. måned", notifications, unit="antal", dimensions=("kilde",),
        element="organisering", definition="Antal modtagne underretninger i måneden, også opdelt på hvem der underrettede.",
        numerator="Underretninger modtaget i måneden",
    ),
    _indicator(
        "underretninger_pr_1000", "Underretninger pr. 1.000 børn", notifications_per_1000, unit="pr_1000",
        element="politisk_styring", frequency="år", benchmark="underretninger",
        definition="Modtagne underretninger i året pr. 1.000 børn på 0-17 år i kommunen.",
        source="Sagssystemet; antal børn fra Danmarks Statistik",
        numerator="Underretninger modtaget i året", denominator="Børn på 0-17 år i kommunen (Danmarks Statistik)",
    ),
    _indicator(
        "underretninger_24t", "Underretninger vurderet inden for 24 timer", assessed_24h, unit="pct",
        better="higher", key_figure=True, target=100.0,
        definition="Andel af underretningerne modtaget i måneden, hvor barnets sikkerhed blev vurderet inden for 24 timer. "
        "En underretning uden registreret vurdering tæller som ikke vurderet i tide.",
        numerator="Underretninger vurderet senest 24 timer efter modtagelsen",
        denominator="Alle underretninger modtaget i måneden",
    ),
    _indicator(
        "undersoegelser_4mdr", "Børnefaglige undersøgelser inden for 4 måneder", investigations_4_months, unit="pct",
        better="higher", key_figure=True, target=100.0,
        definition="Andel af de undersøgelser, hvis frist på 4 måneder udløb i måneden, som blev afsluttet inden fristen "
        "(Barnets lov § 20, stk. 3). En undersøgelse uden slutdato tæller som ikke afsluttet.",
        numerator="Børnefaglige undersøgelser afsluttet senest på fristdagen",
        denominator="Børnefaglige undersøgelser, hvis frist på 4 måneder udløb i måneden",
    ),
    _indicator(
        "sagsantal", "Sager pr. sagsbehandler", caseload, unit="gns", levels=LEVELS, element="tilrettelaeggelse",
        better="lower", definition="Gennemsnitligt antal aktive sager pr. sagsbehandler med sager ved månedens udgang.",
        shown_to=lisite.MANAGERS,
        numerator="Åbne sager på månedens sidste dag hos sagsbehandlere med sager",
        denominator="Sagsbehandlere med mindst én åben sag på månedens sidste dag",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


@lisite.hookimpl
def lisite_validate(data):
    problems = []
    notes = data.get("underretninger")
    if notes is not None:
        lines = notes.attrs.get("lines", [])
        late = notes["vurderet"].notna() & (notes["vurderet"] < notes["modtaget"])
        for i in notes.index[late]:
            problems.append(lisite.Problem("vurderet før modtaget", file=notes.attrs.get("file", ""), row=lines[i] if lines else None,
                                           column="vurderet", severity="warning", dataset="underretninger"))
    return problems


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = [i for i in ctx.indicators.values() if i.theme == THEME]
    if not mine:
        return []
    blocks = [lisite.Markdown(source="temaer/administration.md")]
    blocks += [lisite.IndicatorView(i.id) for i in mine]
    if "administration.underretninger" in ctx.indicators:
        blocks.append(lisite.IndicatorView("administration.underretninger", by="kilde", kind="line", last=12))
    return [lisite.Page("temaer/administration.html", "Administration", blocks, section="Temaer", order=50)]
