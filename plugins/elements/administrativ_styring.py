"""Core element 7, Administrativ og faglig styring: deadlines, flows, active cases, caseload.

One page, ``elementer/administrativ_styring.html``, for the directors (split
by area) and the managers (split by team, where the figure has teams). It
opens with "Hold øje med": plain sentences, made from the staged figures,
that say whether the caseload is rising or deadline compliance falling.
"""

from __future__ import annotations

import math

import lisite
from lisite import fmt

ELEMENT = "administrativ_styring"
LEVELS_SHOWN = lisite.MANAGERS

SECTIONS = (
    (
        "Frister",
        "Bliver underretninger vurderet, undersøgelser afsluttet og indsatser fulgt op til tiden?",
        ("administration.underretninger_24t", "administration.undersoegelser_4mdr", "opfoelgning.rettidige"),
    ),
    (
        "Tilgang og afgang",
        "Kommer der flere sager ind, end der bliver afsluttet, vokser sagsmængden.",
        ("administration.nye_sager", "administration.afsluttede_sager"),
    ),
    (
        "Aktive sager og sagsbelastning",
        "Hvor mange sager er åbne, og hvor mange har hver sagsbehandler?",
        ("administration.aktive_sager", "administration.sagsantal"),
    ),
)

#: Risk signals: (indicator id, the direction that is a warning, what it means when it moves that way).
RISKS = (
    ("administration.sagsantal", "up", "Flere sager pr. sagsbehandler giver mindre tid til det enkelte barn."),
    ("administration.aktive_sager", "up", "Flere åbne sager med samme antal medarbejdere øger presset."),
    ("administration.underretninger_24t", "down",
     "Færre underretninger vurderet inden for 24 timer kan betyde, at et barn i fare ikke får hjælp i tide."),
    ("administration.undersoegelser_4mdr", "down", "Undersøgelser, der trækker ud, forsinker hjælpen til barnet."),
    ("opfoelgning.rettidige", "down", "Manglende opfølgning betyder, at ingen ved, om indsatsen virker."),
)
#: A change smaller than this share of the earlier level is not called a change.
TOLERANCE = 0.05


def breakdown(audience):
    """The column the audience's figures are split by: team for managers, area for directors."""
    if "team" in audience.level_columns:
        return "team"
    if "omraade" in audience.level_columns:
        return "omraade"
    return ""


def views(ctx, indicator_id, by):
    """The municipality total over time, then the last 12 months split by ``by`` where the figure has it."""
    shown = [lisite.IndicatorView(indicator_id)]
    if by and by in ctx.staged(indicator_id).keys:
        shown.append(lisite.IndicatorView(indicator_id, by=by, kind="line", last=12))
    return shown


def trend(total, months=3):
    """(latest period, latest value, mean of the ``months`` before it) from a staged total, or None."""
    shown = total[total["value"].notna()].sort_values("period")
    if len(shown) < months + 1 or len(shown["period"].iloc[-1]) != 7:  # monthly figures only
        return None
    before = shown["value"].iloc[-months - 1 : -1].mean()
    return shown["period"].iloc[-1], float(shown["value"].iloc[-1]), float(before)


def risk_sentences(ctx, lang="da"):
    """One sentence per risk signal that points the wrong way now."""
    sentences = []
    for indicator_id, bad, meaning in RISKS:
        if indicator_id not in ctx.indicators:
            continue
        found = trend(ctx.staged(indicator_id).total())
        if found is None:
            continue
        period, latest, before = found
        change = latest - before
        if abs(change) <= TOLERANCE * abs(before) or ("up" if change > 0 else "down") != bad:
            continue
        unit = ctx.indicators[indicator_id].unit
        word = "steget" if change > 0 else "faldet"
        sentences.append(
            f"**{ctx.indicators[indicator_id].title}** er {word} til {fmt.value(latest, unit, lang)} i "
            f"{fmt.period(period, lang)} fra {fmt.value(before, unit, lang)} i gennemsnit de tre måneder før. {meaning}"
        )
    return sentences + flow_sentences(ctx, lang) + team_sentences(ctx, lang)


def flow_sentences(ctx, lang="da", months=3):
    """When clearly more cases were opened than closed in the last ``months`` months."""
    ids = ("administration.nye_sager", "administration.afsluttede_sager")
    if not all(i in ctx.indicators for i in ids):
        return []
    new, closed = (ctx.staged(i).total().sort_values("period")["numerator"].iloc[-months:] for i in ids)
    if new.isna().any() or closed.isna().any() or new.sum() <= (1 + TOLERANCE) * closed.sum():
        return []
    return [f"**Flere nye sager end afsluttede:** I de seneste {months} måneder blev der oprettet "
            f"{fmt.number(new.sum(), 0, lang)} sager og afsluttet {fmt.number(closed.sum(), 0, lang)}. "
            "Så vokser antallet af åbne sager."]


def team_sentences(ctx, lang="da", margin=0.10):
    """For audiences that see teams: teams whose caseload is clearly above the municipality's."""
    indicator_id = "administration.sagsantal"
    if indicator_id not in ctx.indicators or "team" not in ctx.staged(indicator_id).keys:
        return []
    staged = ctx.staged(indicator_id)
    latest = staged.total()["period"].max()
    total = staged.total().set_index("period")["value"].get(latest)
    if total is None or math.isnan(total):
        return []
    teams = staged.by("team")
    teams = teams[(teams["period"] == latest) & (teams["value"] > (1 + margin) * total)].sort_values("value", ascending=False)
    if teams.empty:
        return []
    named = [f"{row.team} ({fmt.value(row.value, 'gns', lang)})" for row in teams.itertuples()]
    named = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " og " + named[-1]
    return [f"**Sager pr. sagsbehandler** ligger mere end {margin * 100:.0f} % over kommunens gennemsnit på "
            f"{fmt.value(total, 'gns', lang)} i {named}."]


def risk_block(ctx):
    sentences = risk_sentences(ctx, ctx.config.language)
    if sentences:
        body = "\n".join(f"- {s}" for s in sentences)
    else:
        body = "Ingen af tegnene peger i den forkerte retning i den seneste måned."
    return lisite.Markdown(text=f"## Hold øje med\n\n{body}")


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS_SHOWN:
        return []
    by = breakdown(audience)
    blocks = []
    for heading, question, ids in SECTIONS:
        shown = [i for i in ids if i in ctx.indicators]
        if shown:
            blocks.append(lisite.Markdown(text=f"## {heading}\n\n{question}"))
            blocks += [v for i in shown for v in views(ctx, i, by)]
    if not blocks:
        return []
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md"), risk_block(ctx), *blocks]
    return [lisite.Page(f"elementer/{ELEMENT}.html", lisite.ELEMENTS[ELEMENT], blocks, section="Kerneelementer", order=67)]
