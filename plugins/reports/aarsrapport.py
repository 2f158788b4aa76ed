"""Two of the national model's example reports, made from the indicators of the other plugins.

``rapporter/aarsrapport.html`` (the municipality level only): the yearly
information to the committee. An introduction (``content/rapporter/aarsrapport.md``),
the key figures as they stand now, a table of the figures counted for whole
years, and one section per theme with the yearly figures and, for key figures
counted monthly, last year and this year to date.

``rapporter/elementer.html`` (every audience above the case level): the eight
core elements and, for each, the figures this audience receives, with a link
to the element's own page where another plugin made one (``ctx.pages``).

Every word comes from the catalogue (``locales/<lang>/aarsrapport.toml``).
"""

from __future__ import annotations

import pandas as pd

import lisite

YEARLY_LEVELS = ("municipality",)


def is_yearly(staged) -> bool:
    """True when the figures are counted per year (periods like "2025")."""
    periods = staged.frame["period"].unique()  # each period once (a monthly figure by team repeats each month many times)
    return len(periods) > 0 and all(isinstance(period, str) and len(period) == 4 for period in periods)


def value_in(ctx, staged, period: str) -> str:
    """The municipality total in ``period``, formatted; "–" when missing, the engine's words when hidden."""
    row = staged.total_in(period)
    if row is not None and row["suppressed"]:
        return ctx.fmt.hidden(bool(row["small"]))
    unit = staged.indicator.unit
    text = ctx.fmt.value(row["value"] if row is not None else None, unit)
    return ctx.t("aarsrapport.days", value=text) if unit == "dage" and text != "–" else text


def year_table(ctx, year: int) -> pd.DataFrame:
    """The figures counted for whole years: the last whole year and the one before."""
    name = ctx.t("aarsrapport.key_figure")
    rows = []
    for indicator_id, indicator in ctx.indicators.items():
        values = year_values(ctx, indicator_id, year)
        if values is not None:
            rows.append({name: indicator.title, str(year - 1): values[0], str(year): values[1]})
    return pd.DataFrame(rows, columns=[name, str(year - 1), str(year)])


def year_values(ctx, indicator_id: str, year: int) -> tuple[str, str] | None:
    """The indicator's figures in ``year - 1`` and ``year`` as this audience sees them, or ``None`` when it is not counted
    per year: kept while its figures are the same (an edit of the cases' gender makes only the rows by gender again)."""
    def make():
        staged = ctx.staged(indicator_id)
        return (value_in(ctx, staged, str(year - 1)), value_in(ctx, staged, str(year))) if is_yearly(staged) else None

    return ctx.kept(("aarsrapport.year", ctx.audience, indicator_id, year), make)


def theme_intro(ctx, theme: str) -> str:
    """The first paragraph of the theme's own text (``content/temaer/<theme>.md``), if there is one."""
    text = ctx.content.get(f"temaer/{theme}.md") if ctx.content else None
    return text.strip().split("\n\n")[0] if text else ""


def annual_report(ctx) -> lisite.Page:
    config, t = ctx.config, ctx.t
    year, months = config.year - 1, 12 + config.month  # last whole year, then this year to date
    until = ctx.fmt.period(config.period)
    blocks = [
        lisite.Markdown(source="rapporter/aarsrapport.md"),
        lisite.Markdown(text=t("aarsrapport.covers", year=year, this_year=config.year, until=until)),
    ]
    key = tuple(i for i, ind in ctx.indicators.items() if ind.key_figure)
    if key:
        blocks += [lisite.Markdown(text="## " + t("aarsrapport.key_heading", until=until)), lisite.KeyFigures(key)]
    table = year_table(ctx, year)
    if len(table):
        blocks += [lisite.Markdown(text=f"## {t('aarsrapport.year_heading', year=year)}\n\n{t('aarsrapport.year_text')}"),
                   lisite.Table(table, caption=t("aarsrapport.year_caption", year=year))]
    for theme in lisite.THEMES:
        views = []
        for indicator_id, indicator in ctx.indicators.items():
            if indicator.theme != theme:
                continue
            if year_values(ctx, indicator_id, year) is not None:  # counted per year
                views.append(lisite.IndicatorView(indicator_id))
            elif indicator.key_figure:
                views.append(lisite.IndicatorView(indicator_id, last=months))
        if views:
            heading = t("aarsrapport.theme_heading", title=t(f"theme.{theme}"))
            blocks += [lisite.Markdown(text=f"## {heading}\n\n{theme_intro(ctx, theme)}"), *views]
    return lisite.Page("rapporter/aarsrapport.html", t("aarsrapport.page_title"), blocks,
                       section=t("section.reports"), order=81)


def element_table(indicators: list, ctx) -> pd.DataFrame:
    t = ctx.t
    columns = [t("aarsrapport.key_figure"), t("aarsrapport.theme"), t("aarsrapport.frequency")]
    rows = [(i.title, t(f"theme.{i.theme}"), capitalised(ctx.fmt.frequency(i.frequency))) for i in indicators]
    return pd.DataFrame(rows, columns=columns)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def element_blocks(ctx) -> list:
    """A section per core element, linking to the element's own page where another plugin made one."""
    t, blocks = ctx.t, []
    for number, key in enumerate(lisite.ELEMENTS, start=1):
        title = t(f"element.{key}")
        text = f"## {t('aarsrapport.element_heading', number=number, title=title)}\n\n{t(f'aarsrapport.element.{key}')}"
        if f"elementer/{key}.html" in ctx.pages:
            text += f" [{t('aarsrapport.element_link', title=title.lower())}](../elementer/{key}.html)."
        blocks.append(lisite.Markdown(text=text))
        mine = [i for i in ctx.indicators.values() if i.element == key]
        if mine:
            blocks.append(lisite.Table(element_table(mine, ctx), caption=t("aarsrapport.element_caption")))
        else:
            blocks.append(lisite.Markdown(text=t("aarsrapport.element_none")))
    return blocks


def elements_report(ctx) -> lisite.Page:
    blocks = [lisite.Markdown(source="rapporter/elementer.md"), lisite.Deferred(element_blocks)]
    return lisite.Page("rapporter/elementer.html", ctx.t("aarsrapport.elements_title"), blocks,
                       section=ctx.t("section.reports"), order=82)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    pages = []
    if audience.level in YEARLY_LEVELS:
        pages.append(annual_report(ctx))
    if audience.level != "case":
        pages.append(elements_report(ctx))
    return pages
