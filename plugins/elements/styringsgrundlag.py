"""Core element 1, Politisk styringsgrundlag: from the committee's goals to the figures.

The dataset ``maal`` holds, for each year, the committee's focus areas. Each
political goal is measured by one indicator and has a baseline, a target and
a deadline. This plugin registers no indicators of its own: it reads each goal
indicator as staged for the audience (so suppression is the engine's) and says
in words how far the goal has come. It makes the element page and the report
"Politiske fokusområder".
"""

from __future__ import annotations

import math

import pandas as pd

import lisite
from lisite import fmt

PAGE = "elementer/styringsgrundlag.html"
REPORT = "rapporter/fokusomraader.html"
STATUS_TEXT = {
    "Nået": "Målet er nået.",
    "På vej": "Tallet har flyttet sig i den ønskede retning siden udgangspunktet, men målet er ikke nået endnu.",
    "Ikke på vej": "Tallet har ikke flyttet sig i retning af målet siden udgangspunktet.",
    "Ingen tal": "Der er ingen tal for denne indikator på dette site endnu.",
    "Foreløbig": "Tallet er inden for målet indtil videre.",
}
#: Said of an indicator that adds up from January (``Indicator.cumulative``): its target is settled in December.
YEAR_TO_DATE_NOTE = "Tallet tæller op hen over året, så målet gøres først op i december."


def goal_status(current: float | None, baseline: float, target: float, better: str) -> str:
    """"Nået", "På vej", "Ikke på vej" or "Ingen tal" for a goal.

    ``better`` is the indicator's direction; when it is "neither", the goal
    itself gives the direction (a target above the baseline means higher is better).
    """
    if current is None or math.isnan(current):
        return "Ingen tal"
    if better not in ("higher", "lower"):
        better = "higher" if target > baseline else "lower" if target < baseline else "neither"
    if better == "higher":
        return "Nået" if current >= target else "På vej" if current > baseline else "Ikke på vej"
    if better == "lower":
        return "Nået" if current <= target else "På vej" if current < baseline else "Ikke på vej"
    return "Nået" if current == target else "Ikke på vej"


def goals_for_year(goals: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The goals of the reporting year (or of the latest earlier year that has goals)."""
    if goals is None or goals.empty:
        return pd.DataFrame(columns=["aar", "fokusomraade", "politisk_maal", "indikator", "baseline", "baseline_aar",
                                     "maal", "frist"])
    known = goals[goals["aar"] <= year]
    if known.empty:
        return known
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
    """One dict per goal of the reporting year: the goal chain with current value and status."""
    lang = ctx.config.language
    rows = []
    for goal in goals_for_year(ctx.data.get("maal"), ctx.config.year).to_dict("records"):
        indicator = ctx.all_indicators.get(goal["indikator"])
        unit = indicator.unit if indicator else "gns"
        current, period = latest(ctx, goal["indikator"])
        status = goal_status(current, float(goal["baseline"]), float(goal["maal"]), indicator.better if indicator else "neither")
        cumulative = bool(indicator and indicator.cumulative)
        note = YEAR_TO_DATE_NOTE if cumulative and period[5:7] not in ("", "12") else ""
        provisional = bool(note) and status == "Nået"
        if provisional:
            status = "På vej"
        rows.append({
            **goal,
            "title": indicator.title if indicator else goal["indikator"],
            "visible": goal["indikator"] in ctx.indicators,
            "status": status,
            "note": note,
            "provisional": provisional,
            "baseline_text": f"{fmt.value(goal['baseline'], unit, lang)} ({goal['baseline_aar']})",
            "target_text": fmt.value(goal["maal"], unit, lang),
            "current_text": f"{fmt.value(current, unit, lang)} ({fmt.period(period, lang)})" if period else "–",
            "gap_text": fmt.value(abs(goal["maal"] - current), unit, lang) if current is not None else "",
        })
    return rows


def status_sentence(row: dict) -> str:
    """The goal's status in plain words, with the numbers behind it."""
    text = f"Udgangspunktet var {row['baseline_text']}, og målet er {row['target_text']} senest i {row['frist']}. "
    if row["status"] == "Ingen tal":
        return text + (STATUS_TEXT["Ingen tal"] if row["visible"] else "Tallet vises ikke for denne modtagergruppe.")
    text += f"Seneste tal er {row['current_text']}. "
    text += STATUS_TEXT["Foreløbig" if row["provisional"] else row["status"]]
    if row["status"] == "På vej" and not row["provisional"]:
        text += f" Der mangler {row['gap_text']}."
    if row["note"]:
        text += " " + row["note"]
    return text


def keep(text: str) -> str:
    """Text that must not wrap inside a number ("95,0 %") or a status ("Ikke på vej")."""
    value, _, when = text.partition(" (")
    return value.replace(" ", "\u00a0") + (f" ({when}" if when else "")


def goal_table(rows: list[dict]) -> lisite.Table:
    """The goal chain as a table; every cell is pre-formatted text (units differ per row).

    The text goes in the first column; the theme right-aligns the others, so they hold short values.
    """
    frame = pd.DataFrame({
        "Fokusområde og politisk mål": [f"{r['fokusomraade']}: {r['politisk_maal']} (måles ved: {r['title']})" for r in rows],
        "Udgangspunkt": [keep(r["baseline_text"]) for r in rows],
        "Mål": [keep(r["target_text"]) for r in rows],
        "Frist": [str(r["frist"]) for r in rows],
        "Seneste tal": [keep(r["current_text"]) for r in rows],
        "Status": [keep(r["status"]) for r in rows],
    })
    return lisite.Table(frame, caption="Målkæden: fra politisk mål til seneste tal")


def element_page(rows: list[dict], year: int) -> lisite.Page:
    blocks = [lisite.Markdown(source="elementer/styringsgrundlag.md")]
    if rows:
        blocks.append(lisite.Markdown(text=f"## Fokusområder og mål for {year}"))
        blocks.append(goal_table(rows))
        shown = tuple(dict.fromkeys(r["indikator"] for r in rows if r["visible"]))
        if shown:
            blocks.append(lisite.Markdown(text="## Målenes nøgletal"))
            blocks.append(lisite.KeyFigures(shown))
    else:
        blocks.append(lisite.Markdown(text=f"Der er ikke registreret politiske mål for {year}."))
    return lisite.Page(PAGE, "Politisk styringsgrundlag", blocks, section="Kerneelementer", order=61)


def report_page(rows: list[dict], year: int) -> lisite.Page:
    blocks = [lisite.Markdown(source="rapporter/fokusomraader.md"),
              lisite.Markdown(text=f"Rapporten viser fokusområderne for {year}.")]
    for number, (area, goals) in enumerate(pd.DataFrame(rows).groupby("fokusomraade", sort=False), start=1):
        blocks.append(lisite.Markdown(text=f"## {number}. {area}"))
        for row in goals.to_dict("records"):
            blocks.append(lisite.Markdown(
                text=f"**Mål:** {row['politisk_maal']}\n\n**Status: {row['status']}.** {status_sentence(row)}"
            ))
            if row["visible"]:
                blocks.append(lisite.IndicatorView(row["indikator"]))
    return lisite.Page(REPORT, "Politiske fokusområder", blocks, section="Rapporter", order=80)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    rows = goal_rows(ctx)
    year = int(rows[0]["aar"]) if rows else ctx.config.year
    pages = [element_page(rows, year)]
    if not audience.sees("team") and rows:
        pages.append(report_page(rows, year))
    return pages
