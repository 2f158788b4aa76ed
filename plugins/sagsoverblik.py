"""The caseworker's overview of own cases and coming deadlines (section "Mine sager").

Only for audiences whose level is "case" (the caseworkers). One page per
caseworker, ``sagsbehandlere/<sagsbehandler_id>.html``, and an index,
``sagsbehandlere/index.html``, of the caseworkers by team. Cases appear by
their pseudonymous case number only, with the child's age band, never a name.

Deadlines, as of the last day of the reporting period:
- a child welfare investigation must be finished 4 months after it started
  (Barnets lov § 20, stk. 3);
- a follow-up on a measure is due on its ``frist``.
Open ones that have passed are listed first as "Overskredet", then those due
within the next 60 days.
"""

from __future__ import annotations

import re

import pandas as pd

import lisite
from lisite import calc

HORIZON_DAYS = 60
AGE_BANDS = ((0, 5, "0-5 år"), (6, 11, "6-11 år"), (12, 17, "12-17 år"), (18, 200, "18 år og derover"))


def age_band(birth_year: int, year: int) -> str:
    age = year - int(birth_year)
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), "Ukendt")


def open_cases(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Cases opened by ``day`` and not closed by then."""
    return cases[(cases["oprettet"] <= day) & (cases["afsluttet"].isna() | (cases["afsluttet"] > day))]


def deadlines(data: dict, case_ids, day: pd.Timestamp, horizon: int = HORIZON_DAYS) -> pd.DataFrame:
    """Open deadlines on ``case_ids``: passed by ``day`` or due within ``horizon`` days after it.

    Columns: sags_id, Frist (date), Opgave, Status ("Overskredet" or "Kommende"), Dage (text).
    Overdue first, then by date.
    """
    parts = []
    studies = data.get("undersoegelser")
    if studies is not None:
        due = studies["startet"] + pd.DateOffset(months=4)
        pending = studies["afsluttet"].isna() | (studies["afsluttet"] > day)
        parts.append(pd.DataFrame({"sags_id": studies["sags_id"], "Frist": due, "Opgave": "Børnefaglig undersøgelse skal være færdig"})[pending])
    follow = data.get("opfoelgninger")
    if follow is not None:
        pending = follow["udfoert"].isna() | (follow["udfoert"] > day)
        parts.append(pd.DataFrame({"sags_id": follow["sags_id"], "Frist": follow["frist"], "Opgave": "Opfølgning på indsats"})[pending])
    columns = ["Status", "Frist", "sags_id", "Opgave", "Dage"]
    if not parts:
        return pd.DataFrame(columns=columns)
    found = pd.concat(parts, ignore_index=True)
    found = found[found["sags_id"].isin(set(case_ids)) & (found["Frist"] <= day + pd.Timedelta(days=horizon))]
    days = (found["Frist"] - day).dt.days
    found = found.assign(Status=["Overskredet" if d < 0 else "Kommende" for d in days], Dage=[days_text(d) for d in days])
    return found.sort_values(["Frist", "sags_id"], kind="stable")[columns].reset_index(drop=True)


def days_text(days: int) -> str:
    """How far a deadline is from the day, in words: "12 dage over fristen", "om 1 dag"."""
    unit = "dag" if abs(days) == 1 else "dage"
    if days < 0:
        return f"{-days} {unit} over fristen"
    return "Fristen er i dag" if days == 0 else f"om {days} {unit}"


def case_table(cases: pd.DataFrame, year: int) -> pd.DataFrame:
    table = pd.DataFrame({
        "sags_id": cases["sags_id"],
        "Barnets alder": [age_band(y, year) for y in cases["foedselsaar"]],
        "team": cases["team"],
        "Oprettet": cases["oprettet"],
    })
    return table.sort_values(["Oprettet", "sags_id"]).reset_index(drop=True)


def page_name(caseworker_id: str) -> str:
    """A file name made only of safe characters."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(caseworker_id))


def md(text) -> str:
    """Text safe to put in Markdown: its special characters escaped."""
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", str(text))


def caseworker_page(caseworker_id, team, cases, due, day) -> lisite.Page:
    late = int((due["Status"] == "Overskredet").sum())
    until = f"{day:%d-%m-%Y}"
    intro = (f"Sager og frister for sagsbehandler **{md(caseworker_id)}** ({md(team)}) pr. {until}. "
             f"Du har {len(cases)} åbne sager og {late} overskredne frister.")
    blocks = [lisite.Markdown(text=f"## Frister de næste {HORIZON_DAYS} dage\n\nOverskredne frister står øverst.")]
    if len(due):
        blocks.append(lisite.Table(due, caption=f"Frister frem til {day + pd.Timedelta(days=HORIZON_DAYS):%d-%m-%Y}", person_level=True))
    else:
        blocks.append(lisite.Markdown(text="Du har ingen frister i perioden."))
    blocks += [lisite.Markdown(text="## Mine åbne sager"),
               lisite.Table(case_table(cases, day.year), caption="Åbne sager", person_level=True)]
    return lisite.Page(f"sagsbehandlere/{page_name(caseworker_id)}.html", f"Sager for {caseworker_id}", blocks,
                       section="Mine sager", order=21, intro=intro)


def index_page(caseworkers: list) -> lisite.Page:
    """``caseworkers``: (team, id, open cases, overdue deadlines), sorted by team and id."""
    lines = ["Vælg dit sagsbehandler-id for at se dine åbne sager og frister."]
    for number, (team, caseworker_id, count, late) in enumerate(caseworkers):
        if number == 0 or caseworkers[number - 1][0] != team:
            lines.append(f"\n## {md(team)}\n")
        lines.append(f"- [{md(caseworker_id)}]({page_name(caseworker_id)}.html): {count} åbne sager, {late} overskredne frister")
    return lisite.Page("sagsbehandlere/index.html", "Sagsbehandlere", [lisite.Markdown(text="\n".join(lines))],
                       section="Mine sager", order=20)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    cases = ctx.data.get("sager")
    if audience.level != "case" or cases is None:
        return []
    day = calc.month_end(ctx.config.period)
    pages, caseworkers = [], []
    for caseworker_id, own in open_cases(cases, day).groupby("sagsbehandler_id"):
        team = own["team"].mode().iloc[0]  # a caseworker's team is where most of the cases are
        due = deadlines(ctx.data, own["sags_id"], day)
        pages.append(caseworker_page(caseworker_id, team, own, due, day))
        caseworkers.append((team, caseworker_id, len(own), int((due["Status"] == "Overskredet").sum())))
    return [index_page(sorted(caseworkers)), *pages]
