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


def markdown_table(frame: pd.DataFrame) -> str:
    """A left-aligned Markdown table (the Table block right-aligns every column but the first)."""
    cell = lambda value: str(value).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(map(cell, frame.columns)) + " |", "|" + "|".join(":--" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def indicator_table(indicators: list, audiences: dict) -> pd.DataFrame:
    """Table 1, for one theme: a row per key figure."""
    rows = [
        {
            "Nøgletal": ind.title,
            "Kerneelement": ELEMENTS[ind.element],
            "Modtagere": ", ".join(a.title for a in receivers(ind, audiences)) or "Ingen",
            "Opgøres": f"{frequency(ind.frequency)}. Kilde: {ind.source}. Indsamling: {ind.collection.lower()}.",
        }
        for ind in sorted(indicators, key=lambda i: i.title)
    ]
    return pd.DataFrame(rows, columns=["Nøgletal", "Kerneelement", "Modtagere", "Opgøres"])


def audience_table(audience, indicators: dict, audiences: dict, settings: dict) -> pd.DataFrame:
    """Table 2, for one audience: the titles of the key figures it receives, a row per theme."""
    mine = {i: ind for i, ind in indicators.items() if audience in receivers(ind, audiences)}
    front = front_page_ids(audience, mine, settings)
    rows = []
    for theme, title in THEMES.items():
        titles = sorted(ind.title + (" (forside)" if i in front else "") for i, ind in mine.items() if ind.theme == theme)
        if titles:
            rows.append({"Tema": title, "Nøgletal": ", ".join(titles)})
    return pd.DataFrame(rows, columns=["Tema", "Nøgletal"])


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.id not in AUDIENCES or not ctx.all_indicators:
        return []
    audiences = ctx.config.audiences
    blocks = [lisite.Markdown(source="om/noegletal.md"), lisite.Markdown(text="## Alle nøgletal efter tema")]
    for theme, title in THEMES.items():
        mine = [i for i in ctx.all_indicators.values() if i.theme == theme]
        if mine:
            blocks.append(lisite.Markdown(text=f"### {title}\n\n{markdown_table(indicator_table(mine, audiences))}"))
    blocks.append(lisite.Markdown(text="## Nøgletal for hver modtagergruppe"))
    for receiver in audiences.values():
        table = audience_table(receiver, ctx.all_indicators, audiences, ctx.settings("frontpage"))
        body = markdown_table(table) if len(table) else f"{receiver.title} får ingen nøgletal på dette site."
        blocks.append(lisite.Markdown(text=f"### {receiver.title}\n\n{body}"))
    return [lisite.Page("om/noegletal.html", "Oversigt over nøgletal", blocks, section="Om data", order=90)]
