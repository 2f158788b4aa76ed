"""Core element 4, Tilrettelæggelse af arbejdet: caseload, case distribution, caseworker changes.

Caseload per caseworker comes from the administration theme. This plugin adds
how caseloads are spread (how many caseworkers carry few or many cases) and
how often a case changes caseworker, from the optional dataset
``sagsbehandlerskift`` (one row per assignment; a row without
``fra_sagsbehandler_id`` is the first assignment, and a row from a caseworker to
the same caseworker, as some systems write when a case is registered again, keeps
the case with them: neither is a change). Its words are
the catalogue's ``tilrettelaeggelse.*`` keys and
``content/indikatorer/tilrettelaeggelse.sagsbehandlerskift.md``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import lisite
from lisite import calc

ELEMENT = "tilrettelaeggelse"
CASELOAD = "administration.sagsantal"
CHANGES = "tilrettelaeggelse.sagsbehandlerskift"
#: Where the caseload bands start: under 15 active cases, 15-24, 25-34, 35 and more.
BANDS = (0, 15, 25, 35)


def caseworker_changes(ctx):
    """Changes of caseworker in the 12 months up to each month end, per case active at it.

    Every month in one pass: each case is active from the first month end on or after it was opened to the last
    one before it was closed, each change counts in the 12 month ends from its date (see :func:`months_of`)."""
    columns = ["period", "omraade", "team", "numerator", "denominator"]
    if "sagsbehandlerskift" not in ctx.data:
        return pd.DataFrame(columns=columns)
    reads = {"sagsbehandlerskift": None, "sager": ["sags_id", "oprettet", "afsluttet", "omraade", "team"]}
    return calc.remembered(ctx, changes_of, reads, ctx.months())


def changes_of(changes: pd.DataFrame, cases: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    columns = ["period", "omraade", "team", "numerator", "denominator"]
    if not periods:
        return pd.DataFrame(columns=columns)
    changes = changes[changes["fra_sagsbehandler_id"].notna() & (changes["fra_sagsbehandler_id"] != "")
                      & (changes["fra_sagsbehandler_id"] != changes["til_sagsbehandler_id"]).fillna(True)]
    count = len(periods)
    days = pd.DatetimeIndex([calc.month_end(p) for p in periods]).to_numpy()
    starts = pd.DatetimeIndex([calc.month_end(str(pd.Period(p, "M") - 12)) for p in periods]).to_numpy()
    # a case is active on a month end it was opened by and not closed before (calc.active_on)
    row, month = months_of(days.searchsorted(cases["oprettet"].to_numpy(), side="left"), cases["oprettet"].isna().to_numpy(),
                           days.searchsorted(cases["afsluttet"].to_numpy(), side="right") - 1, cases["afsluttet"].isna().to_numpy(),
                           count)
    # a change counts on a month end on or after its date whose 12 months began before it
    dates = changes["dato"]
    at, within = months_of(days.searchsorted(dates.to_numpy(), side="left"), dates.isna().to_numpy(),
                           starts.searchsorted(dates.to_numpy(), side="left") - 1, dates.isna().to_numpy(), count)
    # the cases and the changes by number, not by their text ids (-1: a row without an id, which matches nothing)
    ids = np.concatenate([cases["sags_id"].to_numpy(dtype=object), changes["sags_id"].to_numpy(dtype=object)])
    number = pd.factorize(ids)[0]
    case, changed = number[:len(cases)][row], number[len(cases):][at]
    skift = times_found(np.where(case >= 0, case * count + month, -1), changed[changed >= 0] * count + within[changed >= 0])
    # per month end, area and team, in that order (a case without an area or a team is not counted)
    area, areas = pd.factorize(cases["omraade"].to_numpy(dtype=object), sort=True)
    team, teams = pd.factorize(cases["team"].to_numpy(dtype=object), sort=True)
    area, team = area[row], team[row]
    kept = (area >= 0) & (team >= 0)
    groups, group = np.unique((month[kept] * len(areas) + area[kept]) * len(teams) + team[kept], return_inverse=True)
    if not len(groups):
        return pd.DataFrame(columns=columns)
    month_of, rest = np.divmod(groups, len(areas) * len(teams))
    area_of, team_of = np.divmod(rest, len(teams))
    return pd.DataFrame({"period": [periods[m] for m in month_of], "omraade": areas[area_of], "team": teams[team_of],
                         "numerator": np.bincount(group, weights=skift[kept], minlength=len(groups)),
                         "denominator": np.bincount(group, minlength=len(groups))})


def times_found(wanted: np.ndarray, found: np.ndarray) -> np.ndarray:
    """How many times each of ``wanted`` occurs in ``found`` (whole numbers; -1 in ``wanted`` occurs nowhere), as floats."""
    values, times = np.unique(found, return_counts=True)
    if not len(values):
        return np.zeros(len(wanted))
    place = np.minimum(np.searchsorted(values, wanted), len(values) - 1)
    return np.where(values[place] == wanted, times[place], 0).astype(float)


def months_of(first, never, last, unending, count: int):
    """(row, month) for every month index from ``first`` to ``last`` of each row, month after month and within a
    month in row order: ``never`` rows have no month, ``unending`` ones run to the last month (of ``count``)."""
    first, last = first.copy(), last.copy()
    first[never] = count
    last[unending] = count - 1
    rows = [((first <= m) & (m <= last)).nonzero()[0] for m in range(count)]
    return np.concatenate(rows), np.repeat(np.arange(count), [len(found) for found in rows])


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
