"""Core element 4, Tilrettelæggelse af arbejdet: caseload, case distribution, caseworker changes.

Caseload per caseworker comes from the administration theme. This plugin adds
how caseloads are spread (how many caseworkers carry few or many cases) and
how often a case changes caseworker, from the optional dataset
``sagsbehandlerskift`` (one row per assignment; a row without
``fra_sagsbehandler_id`` is the first assignment, not a change).
"""

from __future__ import annotations

import math

import pandas as pd

import lisite
from lisite import calc, fmt

CASELOAD = "administration.sagsantal"
CHANGES = "tilrettelaeggelse.sagsbehandlerskift"
BANDS = ((0, 15, "Under 15 sager"), (15, 25, "15-24 sager"), (25, 35, "25-34 sager"), (35, math.inf, "35 sager og derover"))


def caseworker_changes(ctx):
    """Changes of caseworker in the 12 months up to each month end, per case active at it."""
    columns = ["period", "omraade", "team", "numerator", "denominator"]
    if "sagsbehandlerskift" not in ctx.data:
        return pd.DataFrame(columns=columns)
    changes = ctx.data["sagsbehandlerskift"]
    changes = changes[changes["fra_sagsbehandler_id"].notna() & (changes["fra_sagsbehandler_id"] != "")]
    cases = ctx.data["sager"]
    parts = []
    for period in ctx.months():
        day, start = calc.month_end(period), calc.month_end(str(pd.Period(period, "M") - 12))
        active = cases[calc.active_on(cases, "oprettet", "afsluttet", day)]
        recent = changes[(changes["dato"] > start) & (changes["dato"] <= day)]
        per_case = active["sags_id"].map(recent.groupby("sags_id").size()).fillna(0.0)
        counted = active.assign(skift=per_case).groupby(["omraade", "team"])
        part = counted.agg(numerator=("skift", "sum"), denominator=("skift", "size")).reset_index()
        part.insert(0, "period", period)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


INDICATORS = [
    lisite.Indicator(
        id=CHANGES, title="Skift af sagsbehandler pr. sag", theme="administration", element="tilrettelaeggelse",
        unit="gns", better="lower", compute=caseworker_changes, levels=("area", "team"), shown_to=lisite.MANAGERS,
        definition="Gennemsnitligt antal gange, en sag har skiftet sagsbehandler i de seneste 12 måneder, for de sager, "
        "der var åbne ved månedens udgang. Den første sagsbehandler på en ny sag tæller ikke som et skift.",
        source="Sagssystemet (skift af sagsbehandler)",
        numerator="Skift af sagsbehandler i de seneste 12 måneder på de sager, der var åbne ved månedens udgang",
        denominator="Sager, der var åbne ved månedens udgang",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def caseload_bands(cases: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Number of caseworkers in each band of active cases on ``day`` (caseworkers with at least one case)."""
    active = cases[calc.active_on(cases, "oprettet", "afsluttet", day)]
    per_worker = active.groupby("sagsbehandler_id").size()
    labels = [label for _, _, label in BANDS]
    bins = [low for low, _, _ in BANDS] + [math.inf]
    banded = pd.cut(per_worker, bins=bins, labels=labels, right=False)
    return banded.value_counts().reindex(labels, fill_value=0)


def bands_table(ctx) -> lisite.Table:
    day = calc.month_end(ctx.config.period)
    counts = caseload_bands(ctx.data["sager"], day)
    frame = pd.DataFrame({"Aktive sager pr. sagsbehandler": counts.index.astype(str), "Antal sagsbehandlere": counts.to_numpy()})
    when = fmt.period(ctx.config.period, ctx.config.language)
    return lisite.Table(frame, caption=f"Sagsbehandlere fordelt efter antal aktive sager, udgangen af {when}",
                        counts=("Antal sagsbehandlere",))


def split(ctx, indicator_id: str, column: str, **kw) -> list:
    """An IndicatorView split by ``column`` if the audience may see that breakdown."""
    return [lisite.IndicatorView(indicator_id, by=column, **kw)] if column in ctx.staged(indicator_id).keys else []


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.MANAGERS:
        return []
    detail = "team" if audience.sees("team") else "omraade"
    unit = "team" if detail == "team" else "område"
    blocks = [lisite.Markdown(source="elementer/tilrettelaeggelse.md")]
    if CASELOAD in ctx.indicators:
        split_view = split(ctx, CASELOAD, detail, kind="line", last=12)
        blocks.append(lisite.IndicatorView(CASELOAD))
        if split_view:
            blocks += [lisite.Markdown(text=f"Sager pr. sagsbehandler i hvert {unit} det seneste år:"), *split_view]
    if audience.sees("team") and "sager" in ctx.data:
        blocks += [
            lisite.Markdown(text="## Hvordan er sagerne fordelt?\n\nTabellen viser, hvor mange sagsbehandlere der har "
                            "få og mange sager. Et gennemsnit kan skjule, at nogle har langt flere sager end andre. "
                            "Nyansatte har ofte færre sager, mens de bliver lært op."),
            bands_table(ctx),
        ]
    if CHANGES in ctx.indicators:
        if "sagsbehandlerskift" in ctx.data:
            split_view = split(ctx, CHANGES, detail, kind="line", last=12)
            blocks.append(lisite.IndicatorView(CHANGES))
            if split_view:
                blocks += [lisite.Markdown(text=f"Skift af sagsbehandler pr. sag i hvert {unit} det seneste år:"), *split_view]
        else:
            blocks.append(lisite.Markdown(text="## Skift af sagsbehandler\n\nDer er endnu ingen data om skift af "
                                          "sagsbehandler, så tallet kan ikke vises."))
    return [lisite.Page("elementer/tilrettelaeggelse.html", "Tilrettelæggelse af arbejdet", blocks,
                        section="Kerneelementer", order=64)]
