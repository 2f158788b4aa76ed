"""Core element 7, Administrativ og faglig styring: deadlines, flows, active cases, caseload.

One page, ``elementer/administrativ_styring.html``, for audiences that see
figures by area (split by area) or finer (split by team, where the figure has
teams). It opens with "Hold øje med": plain sentences, made from the staged
figures, that say whether the caseload is rising or deadline compliance falling.
Every word comes from the catalogue, keys ``administrativ_styring.*``.
"""

from __future__ import annotations

import math

import lisite
from lisite import fmt

ELEMENT = "administrativ_styring"
LEVELS_SHOWN = lisite.MANAGERS

#: (section key, indicator ids); heading and question are ``administrativ_styring.<key>.heading`` / ``.question``.
SECTIONS = (
    ("deadlines", ("administration.underretninger_24t", "administration.undersoegelser_4mdr", "opfoelgning.rettidige")),
    ("flows", ("administration.nye_sager", "administration.afsluttede_sager")),
    ("caseload", ("administration.aktive_sager", "administration.sagsantal")),
)

#: Risk signals: (indicator id, the direction that is a warning, the catalogue key ``administrativ_styring.risk.<key>``
#: saying what it means when it moves that way).
RISKS = (
    ("administration.sagsantal", "up", "caseload"),
    ("administration.aktive_sager", "up", "active_cases"),
    ("administration.underretninger_24t", "down", "notifications"),
    ("administration.undersoegelser_4mdr", "down", "investigations"),
    ("opfoelgning.rettidige", "down", "follow_ups"),
)
#: A change smaller than this share of the earlier level is not called a change.
TOLERANCE = 0.05


def breakdown(audience):
    """The column the audience's figures are split by: team when it sees teams, else area when it sees areas."""
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


def risk_sentences(ctx):
    """One sentence per risk signal that points the wrong way now."""
    sentences = []
    for indicator_id, bad, key in RISKS:
        if indicator_id not in ctx.indicators:
            continue
        found = trend(ctx.staged(indicator_id).total())
        if found is None:
            continue
        period, latest, before = found
        change = latest - before
        if abs(change) <= TOLERANCE * abs(before) or ("up" if change > 0 else "down") != bad:
            continue
        indicator = ctx.indicators[indicator_id]
        sentences.append(ctx.t(
            "administrativ_styring.risen" if change > 0 else "administrativ_styring.fallen", title=indicator.title,
            latest=ctx.fmt.value(latest, indicator.unit), period=ctx.fmt.period(period),
            before=ctx.fmt.value(before, indicator.unit), meaning=ctx.t(f"administrativ_styring.risk.{key}"),
        ))
    return sentences + flow_sentences(ctx) + team_sentences(ctx)


def flow_sentences(ctx, months=3):
    """When clearly more cases were opened than closed in the last ``months`` months."""
    ids = ("administration.nye_sager", "administration.afsluttede_sager")
    if not all(i in ctx.indicators for i in ids):
        return []
    new, closed = (ctx.staged(i).total().sort_values("period")["numerator"].iloc[-months:] for i in ids)
    if new.isna().any() or closed.isna().any() or new.sum() <= (1 + TOLERANCE) * closed.sum():
        return []
    return [ctx.t("administrativ_styring.more_new", months=months, new=ctx.fmt.number(new.sum(), 0),
                  closed=ctx.fmt.number(closed.sum(), 0))]


def team_sentences(ctx, margin=0.10):
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
    unit = ctx.indicators[indicator_id].unit
    named = [f"{row.team} ({ctx.fmt.value(row.value, unit)})" for row in teams.itertuples()]
    return [ctx.t("administrativ_styring.busy_teams", title=ctx.indicators[indicator_id].title,
                  margin=ctx.fmt.number(margin * 100, 0), total=ctx.fmt.value(total, unit), teams=fmt.join(named, ctx.fmt.lang))]


def risk_block(ctx):
    sentences = risk_sentences(ctx)
    body = "\n".join(f"- {s}" for s in sentences) if sentences else ctx.t("administrativ_styring.no_signs")
    return lisite.Markdown(text=f"## {ctx.t('administrativ_styring.watch_heading')}\n\n{body}")


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS_SHOWN:
        return []
    by = breakdown(audience)
    blocks = []
    for key, ids in SECTIONS:
        shown = [i for i in ids if i in ctx.indicators]
        if shown:
            heading, question = ctx.t(f"administrativ_styring.{key}.heading"), ctx.t(f"administrativ_styring.{key}.question")
            blocks.append(lisite.Markdown(text=f"## {heading}\n\n{question}"))
            blocks += [v for i in shown for v in views(ctx, i, by)]
    if not blocks:
        return []
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md"), risk_block(ctx), *blocks]
    title = ctx.t(f"element.{ELEMENT}")
    return [lisite.Page(f"elementer/{ELEMENT}.html", title, blocks, section=ctx.t("section.elements"), order=67)]
