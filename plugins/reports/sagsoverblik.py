"""The caseworker's overview of own cases and coming deadlines (section "Mine sager").

Only for audiences whose level is "case" (the caseworkers). One page per
caseworker, ``sager/<sagsbehandler_id>.html``, and an index,
``sager/index.html``, of the caseworkers by team. Cases appear by
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
from lisite import calc, fmt

HORIZON_DAYS = 60
#: The age bands of the target-group theme; the age is the one the child reaches during the year.
AGE_BANDS = ((0, 5, "0-5 år"), (6, 11, "6-11 år"), (12, 14, "12-14 år"), (15, 17, "15-17 år"), (18, 200, "18+ år"))


def age_band(birth_year: int, year: int) -> str:
    age = year - int(birth_year)
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), "Ukendt")


def open_cases(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Cases opened by ``day`` and not closed by then."""
    return cases[(cases["oprettet"] <= day) & (cases["afsluttet"].isna() | (cases["afsluttet"] > day))]


def deadlines(data: dict, case_ids, day: pd.Timestamp, horizon: int = HORIZON_DAYS) -> pd.DataFrame:
    """Open deadlines on ``case_ids``: passed by ``day`` or due within ``horizon`` days after it.

    Columns: Status (in words: "Overskredet med 3 dage", "Om 12 dage"), Frist (date), sags_id, Opgave.
    Overdue first, then by date.
    """
    parts = []
    studies = data.get("undersoegelser")
    if studies is not None:
        parts.append(not_done(studies, studies["startet"] + pd.DateOffset(months=4), "afsluttet", "Børnefaglig undersøgelse", day))
    follow = data.get("opfoelgninger")
    if follow is not None:
        parts.append(not_done(follow, follow["frist"], "udfoert", "Opfølgning på indsats", day))
    columns = ["Status", "Frist", "sags_id", "Opgave"]
    if not parts:
        return pd.DataFrame(columns=columns)
    found = pd.concat(parts, ignore_index=True)
    found = found[found["sags_id"].isin(set(case_ids)) & (found["Frist"] <= day + pd.Timedelta(days=horizon))]
    found = found.assign(Status=[status(d) for d in (found["Frist"] - day).dt.days])
    return found.sort_values(["Frist", "sags_id"], kind="stable")[columns].reset_index(drop=True)


def not_done(frame: pd.DataFrame, due: pd.Series, done: str, task: str, day: pd.Timestamp) -> pd.DataFrame:
    """The rows of ``frame`` not done by ``day`` (``done`` empty or later): case, deadline and task."""
    still_open = frame[done].isna() | (frame[done] > day)
    return pd.DataFrame({"sags_id": frame["sags_id"], "Frist": due, "Opgave": task})[still_open]


def status(days: int) -> str:
    """A deadline ``days`` from the day, in words: "Overskredet med 12 dage", "Om 1 dag"."""
    unit = "dag" if abs(days) == 1 else "dage"
    if days < 0:
        return f"Overskredet med {-days} {unit}"
    return "Fristen er i dag" if days == 0 else f"Om {days} {unit}"


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


def long_date(day: pd.Timestamp) -> str:
    return fmt.date(day.strftime("%Y-%m-%d"))


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def md(text) -> str:
    """Text safe to put in Markdown: its special characters escaped."""
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", str(text))


def caseworker_page(caseworker_id, team, cases, due, day) -> lisite.Page:
    late = int((due["Frist"] < day).sum())
    intro = (f"Sager og frister for sagsbehandler **{md(caseworker_id)}** ({md(team)}) pr. {long_date(day)}. "
             f"Du har {plural(len(cases), 'åben sag', 'åbne sager')} og "
             f"{plural(late, 'overskredet frist', 'overskredne frister')}.")
    blocks = [lisite.Markdown(text=f"## Frister de næste {HORIZON_DAYS} dage\n\nOverskredne frister står øverst.")]
    if len(due):
        until = long_date(day + pd.Timedelta(days=HORIZON_DAYS))
        blocks.append(lisite.Table(due, caption=f"Frister til og med {until}", person_level=True))
    else:
        blocks.append(lisite.Markdown(text="Du har ingen frister i perioden."))
    blocks += [lisite.Markdown(text="## Mine åbne sager"),
               lisite.Table(case_table(cases, day.year), caption="Åbne sager", person_level=True)]
    return lisite.Page(f"sager/{page_name(caseworker_id)}.html", f"Sager for {caseworker_id}", blocks,
                       section="Mine sager", order=21, intro=intro, nav=False)


def index_page(caseworkers: list) -> lisite.Page:
    """``caseworkers``: (team, id, open cases, overdue deadlines), sorted by team and id."""
    lines = ["Vælg dit sagsbehandler-id for at se dine åbne sager og frister."]
    for number, (team, caseworker_id, count, late) in enumerate(caseworkers):
        if number == 0 or caseworkers[number - 1][0] != team:
            lines.append(f"\n## {md(team)}\n")
        lines.append(f"- [{md(caseworker_id)}]({page_name(caseworker_id)}.html): "
                     f"{plural(count, 'åben sag', 'åbne sager')}, {plural(late, 'overskredet frist', 'overskredne frister')}")
    return lisite.Page("sager/index.html", "Find dine sager", [lisite.Markdown(text="\n".join(lines))],
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
        caseworkers.append((team, caseworker_id, len(own), int((due["Frist"] < day).sum())))
    return [index_page(sorted(caseworkers)), *pages]
