"""Core element 5, Opfølgning: follow-up on measures, management audits and legality.

A measure must be followed up (Barnets lov § 95: the first time within
3 months). ``opfoelgninger`` holds each follow-up's due date and when it was
done; its team and caseworker come from the case in ``sager``. Management
audits (ledelsestilsyn) are leaders' reviews of a sample of cases: whether the
case was handled lawfully, and what they found.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc, fmt

ELEMENT = "opfoelgning"
CASE_LEVELS = ("omraade", "team", "sagsbehandler_id")
ON_TIME = "opfoelgning.rettidige"
AUDITS = "opfoelgning.ledelsestilsyn"
LEGALITY = "opfoelgning.lovmedholdelighed"
GOALS = "resultater.maalopfyldelse"


def with_case_levels(ctx, frame: pd.DataFrame) -> pd.DataFrame:
    """Add area, team and caseworker from the case; rows whose case is unknown get "Ukendt"."""
    cases = ctx.data["sager"][["sags_id", *CASE_LEVELS]].drop_duplicates("sags_id")
    merged = frame.merge(cases, on="sags_id", how="left")
    merged[list(CASE_LEVELS)] = merged[list(CASE_LEVELS)].fillna("Ukendt")
    return merged


def on_time(ctx):
    """Follow-ups due in each month, and of them those done by the due date."""
    data = with_case_levels(ctx, ctx.data["opfoelgninger"])
    done = data["udfoert"].notna() & (data["udfoert"] <= data["frist"])
    return calc.share_in(data, "frist", ctx.months(), done, by=CASE_LEVELS)


def audits(ctx):
    return calc.counts_in(ctx.data["ledelsestilsyn"], "dato", ctx.months(), by=("team",))


def legality(ctx):
    data = ctx.data["ledelsestilsyn"]
    lawful = data["lovmedholdelig"].fillna(False).astype(bool)
    return calc.share_in(data, "dato", ctx.months(), lawful, by=("team",))


def _indicator(id, title, compute, unit, **kw):
    kw.setdefault("source", "Sagssystemet")
    return lisite.Indicator(id=id, title=title, theme="administration", element=ELEMENT, unit=unit, compute=compute, **kw)


INDICATORS = [
    _indicator(
        ON_TIME, "Opfølgninger udført til tiden", on_time, "pct", better="higher", key_figure=True, target=100.0,
        levels=("area", "team", "caseworker"),
        definition="Andel af de opfølgninger på indsatser, der havde frist i måneden, som blev udført senest på "
        "fristdagen. En opfølgning uden registreret dato tæller som ikke udført.",
    ),
    _indicator(
        AUDITS, "Ledelsestilsyn pr. måned", audits, "antal", levels=("team",), audiences=("direktion", "ledere"),
        definition="Antal sager, som en leder har gennemgået ved ledelsestilsyn i måneden.",
    ),
    _indicator(
        LEGALITY, "Sager vurderet lovmedholdelige ved ledelsestilsyn", legality, "pct", better="higher", target=100.0,
        levels=("team",),
        definition="Andel af de sager, der blev gennemgået ved ledelsestilsyn i måneden, som lederen vurderede var "
        "behandlet efter reglerne.",
    ),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


def findings(audits: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    """How many times each finding was recorded in audits in the 12 months up to ``end``, most frequent first."""
    start = end - pd.DateOffset(months=12)
    recent = audits[(audits["dato"] > start) & (audits["dato"] <= end) & audits["fund"].notna() & (audits["fund"] != "")]
    return recent["fund"].value_counts().sort_index().sort_values(ascending=False, kind="stable")


def hide_small(counts: pd.Series, min_count: int, lang: str = "da") -> list[str]:
    """Counts as text; counts from 1 to min_count - 1 become "under N".

    If that hides exactly one count, the smallest other non-zero count is hidden
    too, so the hidden one cannot be worked out from a known total.
    """
    hidden = (counts > 0) & (counts < min_count)
    if hidden.sum() == 1:
        others = counts[~hidden & (counts > 0)]
        if len(others):
            hidden[others.idxmin()] = True
    return [f"under {min_count}" if h else fmt.value(c, "antal", lang) for c, h in zip(counts, hidden)]


def findings_table(ctx) -> lisite.Table | None:
    counts = findings(ctx.data["ledelsestilsyn"], calc.month_end(ctx.config.period))
    if counts.empty:
        return None
    frame = pd.DataFrame({"Fund ved ledelsestilsyn": counts.index.astype(str),
                          "Antal sager": hide_small(counts, ctx.audience.min_count, ctx.config.language)})
    return lisite.Table(frame, caption="Hvad ledelsestilsynet fandt i de seneste 12 måneder")


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.id not in ("udvalg", "direktion", "ledere"):
        return []
    detail = "team" if audience.id == "ledere" else "omraade"
    blocks = [lisite.Markdown(source="elementer/opfoelgning.md")]
    tiles = tuple(i for i in (ON_TIME, LEGALITY, GOALS) if i in ctx.indicators)
    if tiles:
        blocks.append(lisite.KeyFigures(tiles))
    if ON_TIME in ctx.indicators:
        blocks += [lisite.Markdown(text="## Opfølgning på indsatser"), lisite.IndicatorView(ON_TIME)]
        if detail in ctx.staged(ON_TIME).keys:
            blocks.append(lisite.IndicatorView(ON_TIME, by=detail, kind="line", last=12))
    if GOALS in ctx.indicators:
        blocks.append(lisite.IndicatorView(GOALS))
    if AUDITS in ctx.indicators or LEGALITY in ctx.indicators:
        blocks.append(lisite.Markdown(text="## Ledelsestilsyn"))
    for indicator_id in (AUDITS, LEGALITY):
        if indicator_id in ctx.indicators:
            blocks.append(lisite.IndicatorView(indicator_id))
            if audience.id == "ledere" and "team" in ctx.staged(indicator_id).keys:
                blocks.append(lisite.IndicatorView(indicator_id, by="team", kind="line", last=12))
    table = findings_table(ctx) if "ledelsestilsyn" in ctx.data else None
    if table is not None:
        blocks += [lisite.Markdown(text="Tabellen viser, hvad lederne oftest fandt, når de gennemgik sagerne. "
                                   "En sag kan være gennemgået uden fund."), table]
    return [lisite.Page(f"elementer/{ELEMENT}.html", "Opfølgning", blocks, section="Kerneelementer", order=65)]
