"""Two of the national model's example reports, made from the indicators of the other plugins.

``rapporter/aarsrapport.html`` "Årsrapport til udvalget" (the committee only):
the yearly information to the committee. An introduction
(``content/rapporter/aarsrapport.md``), the key figures as they stand now, a
table of the figures counted for whole years, and one section per theme with
the yearly figures and, for key figures counted monthly, last year and this
year to date.

``rapporter/elementer.html`` "Elementer og indhold" (every audience above the
case level): the eight core elements and, for each, the figures this audience
receives, with a link to the element's own page where there is one.
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import fmt

YEARLY_LEVELS = ("municipality",)

#: One sentence per core element: what it covers.
ELEMENT_TEXT = {
    "styringsgrundlag": "Børne- og ungepolitikken, de politiske mål og serviceniveauet, og hvordan målene følges.",
    "organisering": "Hvordan arbejdet er organiseret, og hvordan kommunen samarbejder med skole, dagtilbud, sundhed og politi.",
    "faglig_udvikling": "Fælles faglige metoder, supervision, uddannelse og fastholdelse af medarbejdere.",
    "tilrettelaeggelse": "Retningslinjer, fordeling af sager og antal sager pr. sagsbehandler.",
    "opfoelgning": "Opfølgning på indsatserne og deres virkning, ledelsestilsyn og sagernes lovmedholdelighed.",
    "politisk_styring": "Den information udvalget har brug for: økonomi, målgrupper, indsatser og overholdelse af loven.",
    "administrativ_styring": "Frister, tilgang og afgang af sager, antal aktive sager og sagsbelastning.",
    "oekonomisk_styring": "Budgetopfølgning, forbrug pr. målgruppe og indsats, enhedspriser og prognoser.",
}

FREQUENCY = {"dag": "Dagligt", "uge": "Hver uge", "måned": "Hver måned", "kvartal": "Hvert kvartal", "år": "Hvert år"}


def is_yearly(staged) -> bool:
    """True when the figures are counted per year (periods like "2025")."""
    periods = staged.frame["period"]
    return len(periods) > 0 and periods.str.len().eq(4).all()


def value_in(ctx, staged, period: str) -> str:
    """The municipality total in ``period``, formatted; "–" when missing, the engine's words when hidden."""
    total = staged.total()
    row = total[total["period"] == period]
    if len(row) and row["suppressed"].iloc[0]:
        return ctx.t("suppressed_cell", min=ctx.audience.min_count)
    unit, lang = staged.indicator.unit, ctx.config.language
    text = fmt.value(row["value"].iloc[0] if len(row) else None, unit, lang)
    return text + " dage" if unit == "dage" and text != "–" else text


def year_table(ctx, year: int) -> pd.DataFrame:
    """The figures counted for whole years: the last whole year and the one before."""
    rows = []
    for indicator_id, indicator in ctx.indicators.items():
        staged = ctx.staged(indicator_id)
        if is_yearly(staged):
            rows.append({"Nøgletal": indicator.title, str(year - 1): value_in(ctx, staged, str(year - 1)),
                         str(year): value_in(ctx, staged, str(year))})
    return pd.DataFrame(rows, columns=["Nøgletal", str(year - 1), str(year)])


def theme_intro(ctx, theme: str) -> str:
    """The first paragraph of the theme's own text (``content/temaer/<theme>.md``), if there is one."""
    text = ctx.content.get(f"temaer/{theme}.md") if ctx.content else None
    return text.strip().split("\n\n")[0] if text else ""


def annual_report(ctx) -> lisite.Page:
    config = ctx.config
    year, months = config.year - 1, 12 + config.month  # last whole year, then this year to date
    until = fmt.period(config.period, config.language)
    blocks = [
        lisite.Markdown(source="rapporter/aarsrapport.md"),
        lisite.Markdown(text=f"Rapporten handler om hele {year} og om {config.year} til og med {until}. Tal, der opgøres "
                        "for et helt år ad gangen, vises over flere år, så udviklingen kan ses."),
    ]
    key = tuple(i for i, ind in ctx.indicators.items() if ind.key_figure)
    if key:
        blocks += [lisite.Markdown(text=f"## Nøgletallene i {until}"), lisite.KeyFigures(key)]
    table = year_table(ctx, year)
    if len(table):
        blocks += [lisite.Markdown(text=f"## {year} i tal\n\nDe nøgletal, der opgøres for et helt år ad gangen."),
                   lisite.Table(table, caption=f"Nøgletal for hele året {year} og året før")]
    for theme, title in lisite.THEMES.items():
        views = []
        for indicator_id, indicator in ctx.indicators.items():
            if indicator.theme != theme:
                continue
            if is_yearly(ctx.staged(indicator_id)):
                views.append(lisite.IndicatorView(indicator_id))
            elif indicator.key_figure:
                views.append(lisite.IndicatorView(indicator_id, last=months))
        if views:
            blocks += [lisite.Markdown(text=f"## Tema: {title}\n\n{theme_intro(ctx, theme)}"), *views]
    return lisite.Page("rapporter/aarsrapport.html", "Årsrapport til udvalget", blocks, section="Rapporter", order=81)


def element_table(indicators: list) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Nøgletal": i.title, "Tema": lisite.THEMES[i.theme], "Opgøres": FREQUENCY.get(i.frequency, i.frequency.capitalize())}
         for i in indicators],
        columns=["Nøgletal", "Tema", "Opgøres"],
    )


def element_blocks(ctx) -> list:
    """A section per core element, linking to the element's own page where another plugin made one."""
    blocks = []
    for number, (key, title) in enumerate(lisite.ELEMENTS.items(), start=1):
        text = f"## {number}. {title}\n\n{ELEMENT_TEXT[key]}"
        if f"elementer/{key}.html" in ctx.pages:
            text += f" [Se siden om {title.lower()}](../elementer/{key}.html)."
        blocks.append(lisite.Markdown(text=text))
        mine = [i for i in ctx.indicators.values() if i.element == key]
        if mine:
            blocks.append(lisite.Table(element_table(mine), caption="Nøgletal, I får"))
        else:
            blocks.append(lisite.Markdown(text="I får ingen nøgletal under dette element på dette site."))
    return blocks


def elements_report(audience, ctx) -> lisite.Page:
    blocks = [lisite.Markdown(source="rapporter/elementer.md"), lisite.Deferred(element_blocks)]
    return lisite.Page("rapporter/elementer.html", "Elementer og indhold", blocks, section="Rapporter", order=82)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    pages = []
    if audience.level in YEARLY_LEVELS:
        pages.append(annual_report(ctx))
    if audience.level != "case":
        pages.append(elements_report(audience, ctx))
    return pages
