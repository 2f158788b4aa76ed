"""Core element 5, Opfølgning: follow-up on measures, management audits and legality.

A measure must be followed up (Barnets lov § 95: the first time within
3 months). ``opfoelgninger`` holds each follow-up's due date and when it was
done; its team and caseworker come from the case in ``sager``. Management
audits (ledelsestilsyn) are leaders' reviews of a sample of cases: whether the
case was handled lawfully, and what they found. What they found is free text
about one child's case: the pages show only how many audited cases had a
finding, never the words. Every word comes from the catalogue, keys ``opfoelgning.*``.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc

ELEMENT = "opfoelgning"
ON_TIME = "opfoelgning.rettidige"
AUDITS = "opfoelgning.ledelsestilsyn"
LEGALITY = "opfoelgning.lovmedholdelighed"
GOALS = "resultater.maalopfyldelse"
WINDOW = 12  # months summed in the team table and the findings table
CASE_LEVELS = ("omraade", "team", "sagsbehandler_id")


def on_time(ctx):
    """Follow-ups due in each month, and of them those done by the due date; area, team and caseworker from the case.

    Not a ``lisite.Count``: this keeps a row (0 of 0) for every unit in the data in every month, as before.
    """
    reads = {"opfoelgninger": None, "sager": ["sags_id", *CASE_LEVELS]}
    return calc.remembered(ctx, on_time_of, reads, ctx.months())


def on_time_of(follow_ups: pd.DataFrame, cases: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    data = calc.with_cases(follow_ups, cases, CASE_LEVELS)
    done = data["udfoert"].notna() & (data["udfoert"] <= data["frist"])
    return calc.share_in(data, "frist", months, done, by=CASE_LEVELS)


INDICATORS = [
    lisite.Indicator(
        id=ON_TIME, theme="administration", element=ELEMENT, unit="pct", better="higher", key_figure=True, target=100.0,
        levels=("area", "team", "caseworker"), compute=on_time, events=True, parts=False,  # casework done in time
    ),
    lisite.Indicator(
        id=AUDITS, theme="administration", element=ELEMENT, unit="antal", levels=("team",), shown_to=lisite.MANAGERS,
        count=lisite.Count(dataset="ledelsestilsyn", date="dato"),
    ),
    lisite.Indicator(
        id=LEGALITY, theme="administration", element=ELEMENT, unit="pct", better="higher", target=100.0, levels=("team",),
        count=lisite.Count(dataset="ledelsestilsyn", date="dato", numerator="lovmedholdelig == True"), parts=False,
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def findings(audits: pd.DataFrame, end: pd.Timestamp, months: int = WINDOW) -> dict[str, int]:
    """Audited cases in the ``months`` months up to ``end``: how many had a finding recorded, how many had none.

    Only the counts: the finding itself is free text about one case and never leaves this function.
    """
    start = end - pd.DateOffset(months=months)
    recent = audits[(audits["dato"] > start) & (audits["dato"] <= end)]
    text = recent["fund"].astype("string").str.strip()
    found = int((text.notna() & (text != "")).sum())
    return {"with": found, "without": len(recent) - found}


def findings_blocks(ctx) -> list:
    """Audited cases of the last 12 months with and without a finding, with a total; the engine hides small counts."""
    counts = findings(ctx.data["ledelsestilsyn"], calc.month_end(ctx.config.period))
    total = counts["with"] + counts["without"]
    if not total:
        return []
    t, column = ctx.t, ctx.t("opfoelgning.findings_count")
    frame = pd.DataFrame({
        t("opfoelgning.findings_kind"): [t("opfoelgning.findings_with"), t("opfoelgning.findings_without"),
                                         t("opfoelgning.findings_total")],
        column: [counts["with"], counts["without"], total],
    })
    return [lisite.Markdown(text=t("opfoelgning.findings_intro", months=WINDOW)),
            lisite.Table(frame, caption=t("opfoelgning.findings_caption", months=WINDOW), counts=(column,))]


def team_table(ctx) -> lisite.Table:
    """Follow-ups on time, audits and legality per team over the last 12 months, as the engine staged them."""
    columns = {
        ON_TIME: (("team_due", "denominator", "antal"), ("team_on_time", "value", "pct")),
        LEGALITY: (("team_audited", "denominator", "antal"), ("team_lawful", "value", "pct")),
    }
    table = {}
    for indicator_id, shown in columns.items():
        if indicator_id not in ctx.indicators or "team" not in ctx.staged(indicator_id).keys:
            continue
        rows = ctx.staged(indicator_id, window=WINDOW).by("team").set_index("team")
        for key, field, unit in shown:
            table[ctx.t(f"opfoelgning.{key}")] = {team: ctx.fmt.cell(row, field, unit) for team, row in rows.iterrows()}
    frame = pd.DataFrame(table).rename_axis(ctx.t("column.team")).reset_index().fillna("–")
    return lisite.Table(frame, caption=ctx.t("opfoelgning.team_caption", months=WINDOW))


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    t = ctx.t
    visible = [i for i in (ON_TIME, GOALS, AUDITS, LEGALITY) if i in ctx.indicators]
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if visible:
        blocks.append(lisite.KeyFigures(tuple(i for i in visible if i != AUDITS)))
    first_audit = next((i for i in visible if i in (AUDITS, LEGALITY)), None)
    for indicator_id in visible:
        if indicator_id == first_audit:
            blocks.append(lisite.Markdown(text=t("opfoelgning.audits_intro")))
        blocks.append(lisite.IndicatorView(indicator_id))
        if audience.level == "area" and "omraade" in ctx.staged(indicator_id).keys:
            blocks.append(lisite.IndicatorView(indicator_id, by="omraade", kind="line", last=12))
    if audience.sees("team") and ON_TIME in visible and "team" in ctx.staged(ON_TIME).keys:
        blocks += [lisite.Markdown(text=t("opfoelgning.teams_intro", months=WINDOW)), team_table(ctx)]
    if LEGALITY in visible and "ledelsestilsyn" in ctx.data:
        blocks += findings_blocks(ctx)
    return [lisite.Page(f"elementer/{ELEMENT}.html", t(f"element.{ELEMENT}"), blocks, section=t("section.elements"), order=65)]
