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

LEVELS_SHOWN = lisite.READERS
FREQUENCY = {"dag": "Dagligt", "uge": "Hver uge", "måned": "Hver måned", "kvartal": "Hvert kvartal", "år": "Hvert år"}


def frequency(text: str) -> str:
    return FREQUENCY.get(text, text.capitalize())


def receivers(indicator, ctx) -> list:
    """The configured audiences that receive ``indicator``, in the configuration's order."""
    return [a for a in ctx.config.audiences.values() if indicator.id in ctx.visible_to(a)]


def markdown_table(frame: pd.DataFrame) -> str:
    """A left-aligned Markdown table (the Table block right-aligns every column but the first)."""
    cell = lambda value: str(value).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(map(cell, frame.columns)) + " |", "|" + "|".join(":--" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def indicator_table(indicators: list, ctx) -> pd.DataFrame:
    """Table 1, for one theme: a row per key figure."""
    rows = [
        {
            "Nøgletal": ind.title,
            "Kerneelement": lisite.ELEMENTS[ind.element],
            "Modtagere": ", ".join(a.title for a in receivers(ind, ctx)) or "Ingen",
            "Opgøres": f"{frequency(ind.frequency)}. Kilde: {ind.source}. Indsamling: {ind.collection.lower()}.",
        }
        for ind in sorted(indicators, key=lambda i: i.title)
    ]
    return pd.DataFrame(rows, columns=["Nøgletal", "Kerneelement", "Modtagere", "Opgøres"])


def audience_table(audience, ctx) -> pd.DataFrame:
    """Table 2, for one audience: the titles of the key figures it receives, a row per theme."""
    mine = ctx.visible_to(audience)
    front = set(ctx.key_figures(audience))
    rows = []
    for theme, title in lisite.THEMES.items():
        titles = sorted(ind.title + (" (forside)" if i in front else "") for i, ind in mine.items() if ind.theme == theme)
        if titles:
            rows.append({"Tema": title, "Nøgletal": ", ".join(titles)})
    return pd.DataFrame(rows, columns=["Tema", "Nøgletal"])


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS_SHOWN or not ctx.all_indicators:
        return []
    blocks = [lisite.Markdown(source="om/noegletal.md"), lisite.Markdown(text="## Alle nøgletal efter tema")]
    for theme, title in lisite.THEMES.items():
        mine = [i for i in ctx.all_indicators.values() if i.theme == theme]
        if mine:
            blocks.append(lisite.Markdown(text=f"### {title}\n\n{markdown_table(indicator_table(mine, ctx))}"))
    blocks.append(lisite.Markdown(text="## Nøgletal for hver modtagergruppe"))
    for receiver in ctx.config.audiences.values():
        table = audience_table(receiver, ctx)
        body = markdown_table(table) if len(table) else f"{receiver.title} får ingen nøgletal på dette site."
        blocks.append(lisite.Markdown(text=f"### {receiver.title}\n\n{body}"))
    return [lisite.Page("om/noegletal.html", "Oversigt over nøgletal", blocks, section="Om data", order=90)]
