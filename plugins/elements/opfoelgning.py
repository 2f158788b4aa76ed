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
from lisite.staging import hide_small
from lisite import calc, fmt
from lisite.staging import stage

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
        numerator="Opfølgninger udført senest på fristdagen",
        denominator="Opfølgninger på indsatser med frist i måneden",
    ),
    _indicator(
        AUDITS, "Ledelsestilsyn pr. måned", audits, "antal", levels=("team",), shown_to=lisite.MANAGERS,
        definition="Antal sager, som en leder har gennemgået ved ledelsestilsyn i måneden.",
        numerator="Sager gennemgået ved ledelsestilsyn i måneden",
    ),
    _indicator(
        LEGALITY, "Sager vurderet lovmedholdelige ved ledelsestilsyn", legality, "pct", better="higher", target=100.0,
        levels=("team",),
        definition="Andel af de sager, der blev gennemgået ved ledelsestilsyn i måneden, som lederen vurderede var "
        "behandlet efter reglerne.",
        numerator="Sager, som lederen vurderede var behandlet efter reglerne",
        denominator="Sager gennemgået ved ledelsestilsyn i måneden",
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


def findings_blocks(ctx) -> list:
    """Audit findings of the last 12 months by type, with a total; small counts hidden."""
    counts = findings(ctx.data["ledelsestilsyn"], calc.month_end(ctx.config.period))
    if counts.empty:
        return []
    lang, min_count = ctx.config.language, ctx.audience.min_count
    total = hide_small(pd.Series([int(counts.sum())]), min_count, lang)[0]
    cells = pd.Series(hide_small(counts, min_count, lang), index=counts.index.astype(str))
    hidden = cells.str.startswith("under")
    intro = "## Hvad fandt ledelsestilsynet?\n\nVed tilsynet registrerer lederen, hvad der eventuelt mangler i sagen. "
    if hidden.all():
        kinds = ", ".join(name[0].lower() + name[1:] for name in sorted(cells.index))
        amount = total.replace("under", "færre end")
        return [lisite.Markdown(text=intro + f"I de seneste 12 måneder blev der registreret {amount} fund i alt. Hver slags "
                                f"fund er set under {min_count} gange og vises derfor ikke hver for sig. "
                                f"Fundene handlede om: {kinds}.")]
    cells = pd.concat([cells[~hidden], cells[hidden].sort_index()])  # hidden rows in a fixed order, not by size
    frame = pd.DataFrame({"Fund ved ledelsestilsyn": [*cells.index, "Fund i alt"], "Antal sager": [*cells, total]})
    return [lisite.Markdown(text=intro + "Tabellen viser, hvad der oftest mangler. Det peger på, hvor der er brug for "
                            "vejledning eller nye arbejdsgange."),
            lisite.Table(frame, caption="Hvad ledelsestilsynet fandt i de seneste 12 måneder")]


def last_12_months(ctx, indicator_id: str, column: str) -> pd.DataFrame:
    """The indicator summed over the last 12 months by ``column``, staged (small counts hidden) for the audience."""
    raw = ctx.results[indicator_id]
    months = sorted(raw["period"].astype(str).unique())[-12:]
    window = raw[raw["period"].astype(str).isin(months)].assign(period="12 mdr")
    return stage(ctx.indicators[indicator_id], window, ctx.audience).by(column).set_index(column)


def team_table(ctx) -> lisite.Table:
    """Follow-ups on time, audits and legality per team over the last 12 months."""
    lang, hidden = ctx.config.language, f"under {ctx.audience.min_count}"
    columns = {
        ON_TIME: (("Opfølgninger med frist", "denominator", "antal"), ("Udført til tiden", "value", "pct")),
        LEGALITY: (("Sager gennemgået ved tilsyn", "denominator", "antal"), ("Lovmedholdelige", "value", "pct")),
    }
    table = {}
    for indicator_id, shown in columns.items():
        if indicator_id not in ctx.indicators or "team" not in ctx.staged(indicator_id).keys:
            continue
        rows = last_12_months(ctx, indicator_id, "team")
        for title, field, unit in shown:
            table[title] = {team: hidden if row["suppressed"] else fmt.value(row[field], unit, lang)
                            for team, row in rows.iterrows()}
    frame = pd.DataFrame(table).rename_axis("Team").reset_index().fillna("–")
    return lisite.Table(frame, caption="Opfølgning og ledelsestilsyn pr. team, de seneste 12 måneder")


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in lisite.READERS:
        return []
    visible = [i for i in (ON_TIME, GOALS, AUDITS, LEGALITY) if i in ctx.indicators]
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    if visible:
        blocks.append(lisite.KeyFigures(tuple(i for i in visible if i != AUDITS)))
    first_audit = next((i for i in visible if i in (AUDITS, LEGALITY)), None)
    for indicator_id in visible:
        if indicator_id == first_audit:
            blocks.append(lisite.Markdown(text="## Ledelsestilsyn\n\nHver måned gennemgår lederne et udvalg af sagerne "
                                          "og vurderer, om de er behandlet efter reglerne."))
        blocks.append(lisite.IndicatorView(indicator_id))
        if audience.level == "area" and "omraade" in ctx.staged(indicator_id).keys:
            blocks.append(lisite.IndicatorView(indicator_id, by="omraade", kind="line", last=12))
    if audience.sees("team") and ON_TIME in visible and "team" in ctx.staged(ON_TIME).keys:
        blocks += [lisite.Markdown(text="## Teamene\n\nTabellen lægger de seneste 12 måneder sammen, fordi der "
                                   "hver måned kun er få opfølgninger og tilsyn i hvert team."), team_table(ctx)]
    if LEGALITY in visible and "ledelsestilsyn" in ctx.data:
        blocks += findings_blocks(ctx)
    return [lisite.Page(f"elementer/{ELEMENT}.html", "Opfølgning", blocks, section="Kerneelementer", order=65)]
