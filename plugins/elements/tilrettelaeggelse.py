"""Core element 4, Tilrettelæggelse af arbejdet: caseload, case distribution, caseworker changes.

Caseload per caseworker comes from the administration theme. This plugin adds
how caseloads are spread (how many caseworkers carry few or many cases) and
how often a case changes caseworker, from the optional dataset
``sagsbehandlerskift`` (one row per assignment; a row without
``fra_sagsbehandler_id`` is the first assignment, not a change). Its words are
the catalogue's ``tilrettelaeggelse.*`` keys and
``content/indikatorer/tilrettelaeggelse.sagsbehandlerskift.md``.
"""

from __future__ import annotations

import math

import pandas as pd

import lisite
from lisite import calc

ELEMENT = "tilrettelaeggelse"
CASELOAD = "administration.sagsantal"
CHANGES = "tilrettelaeggelse.sagsbehandlerskift"
#: Where the caseload bands start: under 15 active cases, 15-24, 25-34, 35 and more.
BANDS = (0, 15, 25, 35)


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
        id=CHANGES, theme="administration", element=ELEMENT, unit="gns", better="lower", compute=caseworker_changes,
        levels=("area", "team"), shown_to=lisite.MANAGERS,
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def band_labels(t) -> list[str]:
    """The bands in words: "Under 15 sager", "15-24 sager", ..., "35 sager og derover"."""
    labels = [t(f"{ELEMENT}.band_first", high=BANDS[1])]
    labels += [t(f"{ELEMENT}.band", low=low, last=high - 1) for low, high in zip(BANDS[1:-1], BANDS[2:])]
    return labels + [t(f"{ELEMENT}.band_last", low=BANDS[-1])]


def caseload_bands(cases: pd.DataFrame, day: pd.Timestamp, t) -> pd.Series:
    """Number of caseworkers in each band of active cases on ``day`` (caseworkers with at least one case)."""
    active = cases[calc.active_on(cases, "oprettet", "afsluttet", day)]
    per_worker = active.groupby("sagsbehandler_id").size()
    labels = band_labels(t)
    banded = pd.cut(per_worker, bins=[*BANDS, math.inf], labels=labels, right=False)
    return banded.value_counts().reindex(labels, fill_value=0)


def bands_table(ctx) -> lisite.Table:
    t = ctx.t
    counts = caseload_bands(ctx.data["sager"], calc.month_end(ctx.config.period), t)
    workers = t(f"{ELEMENT}.col_caseworkers")
    frame = pd.DataFrame({t(f"{ELEMENT}.col_band"): counts.index.astype(str), workers: counts.to_numpy()})
    return lisite.Table(frame, caption=t(f"{ELEMENT}.bands_caption", period=ctx.fmt.period(ctx.config.period)),
                        counts=(workers,))


def over_time(ctx, indicator_id: str, column: str, intro: str) -> list:
    """The indicator, then split by ``column`` over the last year if the audience may see that breakdown."""
    blocks = [lisite.IndicatorView(indicator_id)]
    if column in ctx.staged(indicator_id).keys:
        blocks += [lisite.Markdown(text=ctx.t(f"{ELEMENT}.{intro}.{column}")),
                   lisite.IndicatorView(indicator_id, by=column, kind="line", last=12)]
    return blocks


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.MANAGERS:
        return []
    t = ctx.t
    teams = audience.sees("team")  # team managers and finer: per team, with the spread of caseloads
    detail = lisite.LEVEL_COLUMNS["team" if teams else "area"]
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if CASELOAD in ctx.indicators:
        blocks += over_time(ctx, CASELOAD, detail, "caseload_by")
    if teams and "sager" in ctx.data:
        blocks += [lisite.Markdown(text=f"## {t(f'{ELEMENT}.bands_heading')}\n\n{t(f'{ELEMENT}.bands_intro')}"),
                   bands_table(ctx)]
    if CHANGES in ctx.indicators:
        if "sagsbehandlerskift" in ctx.data:
            blocks += over_time(ctx, CHANGES, detail, "changes_by")
        else:
            blocks.append(lisite.Markdown(text=f"## {t(f'{ELEMENT}.changes_heading')}\n\n{t(f'{ELEMENT}.no_changes')}"))
    return [lisite.Page(f"elementer/{ELEMENT}.html", t(f"element.{ELEMENT}"), blocks,
                        section=t("section.elements"), order=64)]
