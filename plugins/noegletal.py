"""The overview of key figures (nøgletalsoversigt), made from the indicators' own metadata.

``om/noegletal.html`` (section "Om data") for the committee, the directors and
the managers. It follows the national toolbox's template in two tables: every
key figure with its theme, core element, recipients, frequency, source and
collection method; and for each recipient group, the key figures it receives.
Because both tables are read from the registered indicators, the overview is
never out of date.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite.model import ELEMENTS, THEMES

AUDIENCES = ("udvalg", "direktion", "ledere")
FREQUENCY = {"dag": "Dagligt", "uge": "Hver uge", "måned": "Hver måned", "kvartal": "Hvert kvartal", "år": "Hvert år"}


def frequency(text: str) -> str:
    return FREQUENCY.get(text, text.capitalize())


def receivers(indicator, audiences: dict) -> list:
    """The configured audiences that receive ``indicator``, in the configuration's order."""
    return [a for a in audiences.values() if a.id in indicator.audiences or "*" in indicator.audiences]


def front_page_ids(audience, indicators: dict, settings: dict) -> set:
    """The figures on the audience's front page, chosen as the frontpage plugin chooses them."""
    chosen = settings.get(audience.id)
    if chosen is None:
        chosen = [i for i, ind in indicators.items() if ind.key_figure]
    return set(chosen)


def indicator_table(indicators: dict, audiences: dict) -> pd.DataFrame:
    """Table 1: one row per key figure, ordered by theme."""
    order = list(THEMES)
    rows = [
        {
            "Nøgletal": ind.title,
            "Tema": THEMES[ind.theme],
            "Kerneelement": ELEMENTS[ind.element],
            "Modtagere": ", ".join(a.title for a in receivers(ind, audiences)) or "Ingen",
            "Hyppighed": frequency(ind.frequency),
            "Kilde": ind.source,
            "Dataindsamling": ind.collection,
        }
        for ind in sorted(indicators.values(), key=lambda i: (order.index(i.theme), i.title))
    ]
    return pd.DataFrame(rows, columns=["Nøgletal", "Tema", "Kerneelement", "Modtagere", "Hyppighed", "Kilde", "Dataindsamling"])


def audience_table(indicators: dict, audiences: dict, settings: dict) -> pd.DataFrame:
    """Table 2: one row per audience with the titles of the key figures it receives."""
    rows = []
    for audience in audiences.values():
        mine = {i: ind for i, ind in indicators.items() if audience in receivers(ind, audiences)}
        front = front_page_ids(audience, mine, settings)
        titles = [ind.title + (" (forside)" if i in front else "") for i, ind in sorted(mine.items(), key=lambda x: x[1].title)]
        rows.append({"Modtagergruppe": audience.title, "Antal": len(mine), "Nøgletal": "; ".join(titles) or "Ingen"})
    return pd.DataFrame(rows, columns=["Modtagergruppe", "Antal", "Nøgletal"])


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.id not in AUDIENCES or not ctx.all_indicators:
        return []
    audiences = ctx.config.audiences
    blocks = [
        lisite.Markdown(source="om/noegletal.md"),
        lisite.Markdown(text="## Alle nøgletal"),
        lisite.Table(indicator_table(ctx.all_indicators, audiences), caption="Nøgletal efter tema"),
        lisite.Markdown(text="## Hvem får hvilke nøgletal"),
        lisite.Table(audience_table(ctx.all_indicators, audiences, ctx.settings("frontpage")), caption="Nøgletal efter modtagergruppe"),
    ]
    return [lisite.Page("om/noegletal.html", "Oversigt over nøgletal", blocks, section="Om data", order=90)]
