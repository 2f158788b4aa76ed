"""Core element 1, Politisk styringsgrundlag: from the committee's goals to the figures.

The dataset ``maal`` holds, for each year, the committee's focus areas. Each
political goal is measured by one indicator and has a baseline, a target and
a deadline. This plugin registers no indicators of its own: it reads each goal
indicator as staged for the audience (so suppression is the engine's) and says
in words how far the goal has come. It makes the element page and the report
"Politiske fokusområder". Its words are the catalogue's ``styringsgrundlag.*`` keys.
"""

from __future__ import annotations

import math

import pandas as pd

import lisite

ELEMENT = "styringsgrundlag"
PAGE = f"elementer/{ELEMENT}.html"
REPORT = "rapporter/fokusomraader.html"
#: A goal's status (keys of ``styringsgrundlag.status.*`` and ``styringsgrundlag.explain.*``).
REACHED, ON_WAY, NOT_ON_WAY, NO_DATA = "reached", "on_way", "not_on_way", "no_data"
GOAL_COLUMNS = ["aar", "fokusomraade", "politisk_maal", "indikator", "baseline", "baseline_aar", "maal", "frist"]


def goal_status(current: float | None, baseline: float, target: float, better: str) -> str:
    """REACHED, ON_WAY, NOT_ON_WAY or NO_DATA for a goal. ``better`` is the indicator's direction; when it is
    "neither", the goal itself gives the direction (a target above the baseline means higher is better)."""
    if current is None or math.isnan(current):
        return NO_DATA
    if better not in ("higher", "lower"):
        better = "higher" if target > baseline else "lower" if target < baseline else "neither"
    if better == "higher":
        return REACHED if current >= target else ON_WAY if current > baseline else NOT_ON_WAY
    if better == "lower":
        return REACHED if current <= target else ON_WAY if current < baseline else NOT_ON_WAY
    return REACHED if current == target else NOT_ON_WAY


def goals_for_year(goals: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The goals of the reporting year (or of the latest earlier year that has goals)."""
    if goals is None or goals.empty:
        return pd.DataFrame(columns=GOAL_COLUMNS)
    known = goals[goals["aar"] <= year]
    return known[known["aar"] == known["aar"].max()].reset_index(drop=True)


def latest(ctx, indicator_id: str) -> tuple[float | None, str]:
    """The latest value the audience may see, and its period; (None, "") if there is none."""
    if indicator_id not in ctx.indicators:
        return None, ""
    total = ctx.staged(indicator_id).total()
    shown = total[total["value"].notna() & ~total["suppressed"]].sort_values("period")
    if shown.empty:
        return None, ""
    return float(shown.iloc[-1]["value"]), str(shown.iloc[-1]["period"])


def goal_rows(ctx) -> list[dict]:
    """One dict per goal of the reporting year: the goal chain with current value and status
    (``state``: the status key, ``status``: its word in the site's language)."""
    f, rows = ctx.fmt, []
    for goal in goals_for_year(ctx.data.get("maal"), ctx.config.year).to_dict("records"):
        indicator = ctx.all_indicators.get(goal["indikator"])
        unit = indicator.unit if indicator else "gns"
        current, period = latest(ctx, goal["indikator"])
        state = goal_status(current, float(goal["baseline"]), float(goal["maal"]), indicator.better if indicator else "neither")
        # a figure that adds up from January (Indicator.cumulative) settles its target in December
        year_to_date = bool(indicator and indicator.cumulative) and period[5:7] not in ("", "12")
        provisional = year_to_date and state == REACHED
        state = ON_WAY if provisional else state
        rows.append({
            **goal,
            "title": indicator.title if indicator else goal["indikator"],
            "visible": goal["indikator"] in ctx.indicators,
            "state": state,
            "status": ctx.t(f"{ELEMENT}.status.{state}"),
            "note": ctx.t(f"{ELEMENT}.year_to_date") if year_to_date else "",
            "provisional": provisional,
            "baseline_text": f"{f.value(goal['baseline'], unit)} ({goal['baseline_aar']})",
            "target_text": f.value(goal["maal"], unit),
            "current_text": f"{f.value(current, unit)} ({f.period(period)})" if period else "–",
            "gap_text": f.value(abs(goal["maal"] - current), unit) if current is not None else "",
        })
    return rows


def status_sentence(row: dict, t) -> str:
    """The goal's status in plain words, with the numbers behind it (``t``: the site's translator)."""
    said = [t(f"{ELEMENT}.from_baseline", baseline=row["baseline_text"], target=row["target_text"], deadline=row["frist"])]
    if row["state"] == NO_DATA:
        return " ".join([*said, t(f"{ELEMENT}.explain.{NO_DATA if row['visible'] else 'hidden'}")])
    said.append(t(f"{ELEMENT}.latest", current=row["current_text"]))
    said.append(t(f"{ELEMENT}.explain.{'provisional' if row['provisional'] else row['state']}"))
    if row["state"] == ON_WAY and not row["provisional"]:
        said.append(t(f"{ELEMENT}.missing", gap=row["gap_text"]))
    return " ".join([*said, row["note"]] if row["note"] else said)


def keep(text: str) -> str:
    """Text that must not wrap inside a number ("95,0 %") or a status ("Ikke på vej")."""
    value, _, when = text.partition(" (")
    return value.replace(" ", "\u00a0") + (f" ({when}" if when else "")


def goal_table(rows: list[dict], t) -> lisite.Table:
    """The goal chain as a table of pre-formatted text (units differ per row). The words go in the first column;
    the theme right-aligns the others, so they hold short values."""
    cells = {
        "goal": [t(f"{ELEMENT}.goal_cell", area=r["fokusomraade"], goal=r["politisk_maal"], title=r["title"]) for r in rows],
        "baseline": [keep(r["baseline_text"]) for r in rows],
        "target": [keep(r["target_text"]) for r in rows],
        "deadline": [str(r["frist"]) for r in rows],
        "latest": [keep(r["current_text"]) for r in rows],
        "status": [keep(r["status"]) for r in rows],
    }
    frame = pd.DataFrame({t(f"{ELEMENT}.column.{name}"): column for name, column in cells.items()})
    return lisite.Table(frame, caption=t(f"{ELEMENT}.table_caption"))


def element_page(rows: list[dict], year: int, t) -> lisite.Page:
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if rows:
        blocks += [lisite.Markdown(text=f"## {t(f'{ELEMENT}.goals_heading', year=year)}"), goal_table(rows, t)]
        shown = tuple(dict.fromkeys(r["indikator"] for r in rows if r["visible"]))
        if shown:
            blocks += [lisite.Markdown(text=f"## {t(f'{ELEMENT}.figures_heading')}"), lisite.KeyFigures(shown)]
    else:
        blocks.append(lisite.Markdown(text=t(f"{ELEMENT}.no_goals", year=year)))
    return lisite.Page(PAGE, t(f"element.{ELEMENT}"), blocks, section=t("section.elements"), order=61)


def report_page(rows: list[dict], year: int, t) -> lisite.Page:
    blocks = [lisite.Markdown(source="rapporter/fokusomraader.md"),
              lisite.Markdown(text=t(f"{ELEMENT}.report_intro", year=year))]
    for number, (area, goals) in enumerate(pd.DataFrame(rows).groupby("fokusomraade", sort=False), start=1):
        blocks.append(lisite.Markdown(text=f"## {number}. {area}"))
        for row in goals.to_dict("records"):
            blocks.append(lisite.Markdown(text=t(f"{ELEMENT}.report_goal", goal=row["politisk_maal"], status=row["status"],
                                                 sentence=status_sentence(row, t))))
            if row["visible"]:
                blocks.append(lisite.IndicatorView(row["indikator"]))
    return lisite.Page(REPORT, t(f"{ELEMENT}.report_title"), blocks, section=t("section.reports"), order=80)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    rows = goal_rows(ctx)
    year = int(rows[0]["aar"]) if rows else ctx.config.year
    pages = [element_page(rows, year, ctx.t)]
    if not audience.sees("team") and rows:  # the report is for the committee and the directors
        pages.append(report_page(rows, year, ctx.t))
    return pages
