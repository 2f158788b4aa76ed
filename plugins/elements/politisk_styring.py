"""Core element 6, Politisk prioritering og styring: what the committee needs to steer.

One page, ``elementer/politisk_styring.html``, for audiences at municipality
and area level. It gathers figures from the theme plugins under four plain
headings (economy, target groups, measures, legality). A figure is shown
only when its theme plugin is active and the audience may see it, and a
heading without any figure is left out. Every word comes from the catalogue,
keys ``politisk_styring.<section>.heading`` and ``.question``.
"""

from __future__ import annotations

import lisite

ELEMENT = "politisk_styring"
LEVELS_SHOWN = ("municipality", "area")

#: (section key, indicator ids) in the order the page shows them; the section's heading and its question are
#: ``politisk_styring.<key>.heading`` and ``.question`` in the catalogue. "id:column" splits the figure by a breakdown.
SECTIONS = (
    ("economy", ("oekonomi.udgift_pr_barn", "oekonomi.forbrugsprocent")),
    ("target_groups", ("maalgrupper.boern_med_sag_pr_1000", "maalgrupper.boern_efter_alder:aldersgruppe")),
    ("measures", ("indsatser.forebyggende_pr_1000", "indsatser.anbragte_pr_1000", "indsatser.andel_forebyggende")),
    ("legality", ("administration.underretninger_24t", "administration.undersoegelser_4mdr")),
)


def view(ctx, name):
    """The view of "id" or "id:column"; the split is dropped when the figure does not have that breakdown."""
    indicator_id, _, by = name.partition(":")
    return lisite.IndicatorView(indicator_id, by=by if by in ctx.staged(indicator_id).keys else "")


def blocks_for(ctx):
    """The page's blocks: the introduction, then each heading with the figures the audience may see."""
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    for key, ids in SECTIONS:
        shown = [i for i in ids if i.partition(":")[0] in ctx.indicators]
        if not shown:
            continue
        heading, question = ctx.t(f"politisk_styring.{key}.heading"), ctx.t(f"politisk_styring.{key}.question")
        blocks.append(lisite.Markdown(text=f"## {heading}\n\n{question}"))
        blocks += [view(ctx, i) for i in shown]
    return blocks


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS_SHOWN:
        return []
    blocks = blocks_for(ctx)
    if len(blocks) == 1:  # no theme plugin delivered any figure
        return []
    title = ctx.t(f"element.{ELEMENT}")
    return [lisite.Page(f"elementer/{ELEMENT}.html", title, blocks, section=ctx.t("section.elements"), order=66)]
