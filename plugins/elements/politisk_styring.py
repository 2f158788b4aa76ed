"""Core element 6, Politisk prioritering og styring: what the committee needs to steer.

One page, ``elementer/politisk_styring.html``, for the committee and the
directors. It gathers figures from the theme plugins under four plain
headings (economy, target groups, measures, legality). A figure is shown
only when its theme plugin is active and the audience may see it, and a
heading without any figure is left out.
"""

from __future__ import annotations

import lisite

ELEMENT = "politisk_styring"
LEVELS_SHOWN = ("municipality", "area")

#: (heading, one sentence on why it matters, indicator ids) in the order the page shows them.
#: "id:column" splits the figure by one of its breakdowns.
SECTIONS = (
    (
        "Økonomi",
        "Hvad bruger kommunen pr. barn, og holder forbruget sig inden for budgettet?",
        ("oekonomi.udgift_pr_barn", "oekonomi.forbrugsprocent"),
    ),
    (
        "Målgrupper",
        "Hvor mange børn har en sag, og hvor gamle er de?",
        ("maalgrupper.boern_med_sag_pr_1000", "maalgrupper.boern_efter_alder:aldersgruppe"),
    ),
    (
        "Indsatser",
        "Hvor mange børn får forebyggende hjælp, og hvor mange er anbragt uden for hjemmet?",
        ("indsatser.forebyggende_pr_1000", "indsatser.anbragte_pr_1000", "indsatser.andel_forebyggende"),
    ),
    (
        "Lovmedholdelighed",
        "Overholder kommunen de frister, som Barnets lov sætter?",
        ("administration.underretninger_24t", "administration.undersoegelser_4mdr"),
    ),
)


def view(ctx, name):
    """The view of "id" or "id:column"; the split is dropped when the figure does not have that breakdown."""
    indicator_id, _, by = name.partition(":")
    return lisite.IndicatorView(indicator_id, by=by if by in ctx.staged(indicator_id).keys else "")


def blocks_for(ctx):
    """The page's blocks: the introduction, then each heading with the figures the audience may see."""
    blocks = [lisite.Markdown(source=f"elementer/{ELEMENT}.md")]
    for heading, question, ids in SECTIONS:
        shown = [i for i in ids if i.partition(":")[0] in ctx.indicators]
        if not shown:
            continue
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
    title = lisite.ELEMENTS[ELEMENT]
    return [lisite.Page(f"elementer/{ELEMENT}.html", title, blocks, section="Kerneelementer", order=66)]
