"""The overview of key figures (nøgletalsoversigt), made from the indicators' own metadata.

``om/noegletal.html`` (section "Om data") for every level that reads management
figures (``lisite.READERS``). It follows the national toolbox's template in two
tables: every key figure with its theme, core element, recipients, frequency,
source and collection method; and for each recipient group, the key figures it
receives, those on its front page marked (``ctx.key_figures(audience)``: the front
page's own selection). Because both tables are read from the registered
indicators, the overview is never out of date.

Every word comes from the catalogue (``locales/<lang>/noegletal.toml``).
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite.fmt import markdown_table

LEVELS_SHOWN = lisite.READERS


def receivers(indicator, ctx) -> list:
    """The configured audiences that receive ``indicator``, in the configuration's order."""
    return [a for a in ctx.config.audiences.values() if indicator.id in ctx.visible_to(a)]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def how(indicator, ctx) -> str:
    """How often, from where and how the figure is counted: "Hver måned. Kilde: … Indsamling: …" (parts left out when empty)."""
    parts = [ctx.t("noegletal.frequency", frequency=capitalised(ctx.fmt.frequency(indicator.frequency)))]
    if indicator.source:
        parts.append(ctx.t("noegletal.source", source=indicator.source))
    if indicator.collection:
        parts.append(ctx.t("noegletal.collection", collection=indicator.collection[:1].lower() + indicator.collection[1:]))
    return " ".join(parts)


def indicator_table(indicators: list, ctx) -> pd.DataFrame:
    """Table 1, for one theme: a row per key figure."""
    t = ctx.t
    columns = [t("noegletal.key_figure"), t("noegletal.element"), t("noegletal.receivers"), t("noegletal.counted")]
    rows = [
        (
            ind.title,
            t(f"element.{ind.element}"),
            ", ".join(a.title for a in receivers(ind, ctx)) or t("noegletal.nobody"),
            how(ind, ctx),
        )
        for ind in sorted(indicators, key=lambda i: i.title)
    ]
    return pd.DataFrame(rows, columns=columns)


def audience_table(audience, ctx) -> pd.DataFrame:
    """Table 2, for one audience: the titles of the key figures it receives, a row per theme."""
    t = ctx.t
    mine = ctx.visible_to(audience)
    front = set(ctx.key_figures(audience))
    rows = []
    for theme in lisite.THEMES:
        titles = sorted(t("noegletal.on_front", title=ind.title) if i in front else ind.title
                        for i, ind in mine.items() if ind.theme == theme)
        if titles:
            rows.append((t(f"theme.{theme}"), ", ".join(titles)))
    return pd.DataFrame(rows, columns=[t("noegletal.theme"), t("noegletal.key_figure")])


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS_SHOWN or not ctx.all_indicators:
        return []
    t = ctx.t
    blocks = [lisite.Markdown(source="om/noegletal.md"), lisite.Markdown(text="## " + t("noegletal.all_heading"))]
    for theme in lisite.THEMES:
        mine = [i for i in ctx.all_indicators.values() if i.theme == theme]
        if mine:
            blocks.append(lisite.Markdown(text=f"### {t(f'theme.{theme}')}\n\n{markdown_table(indicator_table(mine, ctx))}"))
    blocks.append(lisite.Markdown(text="## " + t("noegletal.receivers_heading")))
    for receiver in ctx.config.audiences.values():
        table = audience_table(receiver, ctx)
        body = markdown_table(table) if len(table) else t("noegletal.receives_none", title=receiver.title)
        blocks.append(lisite.Markdown(text=f"### {receiver.title}\n\n{body}"))
    return [lisite.Page("om/noegletal.html", t("noegletal.page_title"), blocks, section=t("section.about_data"), order=90)]
