"""Comparisons that explain themselves: the municipality against its own past, its target,
a group of comparable municipalities and the whole country.

For every indicator with ``benchmark`` set (a column of the ``benchmark``
dataset), shown as a whole-municipality figure to an audience at level
municipality or area, this plugin adds a comparison part below the engine's
own chart: Danish sentences that tell real change from random variation, a
chart with the municipality highlighted, a table and the authored caveat in
``content/sammenligninger/<indicator id>.md``. The comparison group is the
committee's list (``[comparison] municipalities``) or the ``k`` municipalities
nearest on standardised ``variables`` (see :mod:`lisite.compare`). The report
page ``rapporter/sammenligning.html`` names the group and shows how it was chosen.
"""

from __future__ import annotations


import pandas as pd

import lisite
from lisite import fmt
from lisite.render import markdown

from . import chart, figures, text



LEVELS = ("municipality", "area")
REPORT = "rapporter/sammenligning.html"


def comparison(indicator, ctx):
    """The :class:`figures.Comparison` for an indicator as the current audience sees it, or ``None``."""
    bench = ctx.data.get("benchmark")
    if not indicator.benchmark or bench is None or indicator.benchmark not in bench.columns:
        return None
    own = ctx.staged(indicator.id).total()
    return figures.build(indicator, own, bench, ctx.config, ctx.target(indicator.id))


def part(indicator, ctx) -> dict | None:
    """The comparison part for one indicator: sentences, chart, tables, group and caveat."""
    c = comparison(indicator, ctx)
    if c is None:
        return None
    caveat = ctx.content.get(f"sammenligninger/{indicator.id}.md") if ctx.content else None
    sentences = text.sentences(c, indicator)
    return {
        "kind": "comparison",
        "sentences": sentences,
        "chart": chart.comparison_chart(c, f"{indicator.title}: {c.name} sammenlignet med andre kommuner"),
        "description": " ".join(sentences),
        "table": text.table(c, indicator),
        "summary": text.summary(c),
        "group": text.group_sentence(c),
        "notes": c.notes,
        "caveat_html": markdown(caveat) if caveat else "",
    }


@lisite.hookimpl
def lisite_indicator_view(indicator, staged, block, audience, ctx):
    if block.by or audience.level not in LEVELS or not indicator.benchmark:
        return []
    found = part(indicator, ctx)
    return [found] if found else []


@lisite.hookimpl
def lisite_validate(data, config):
    bench = data.get("benchmark")
    if bench is None:
        return []
    problems = []
    missing = [v for v in config.comparison_variables if v not in bench.columns]
    if missing:
        problems.append(lisite.Problem(f"comparison.variables nævner {', '.join(missing)}, som ikke er kolonner i benchmark.",
                                       dataset="benchmark", file="lisite.toml"))
    known = set(bench["kommunekode"])
    for code in [config.municipality_code, *config.comparison_municipalities]:
        if code not in known:
            problems.append(lisite.Problem(f"Kommunekoden {code} findes ikke i benchmark, så den kan ikke sammenlignes.",
                                           dataset="benchmark", file="lisite.toml"))
    return problems


def group_table(c) -> pd.DataFrame:
    """The group as a table: own first, each member's values on the structural variables and its distance."""
    table = c.group.table
    out = pd.DataFrame({"Kommune": [f"{n} (egen kommune)" if code == c.code else n
                                    for code, n in zip(table["kommunekode"], table["kommune"])]})
    for variable in c.group.variables:
        digits = 2 if table[variable].dtype.kind == "f" else 0
        out[text.VARIABLES.get(variable, variable).capitalize()] = [fmt.number(v, digits) for v in table[variable]]
    if c.group.chosen_by == "nearest":
        out["Afstand"] = [fmt.number(d, 2) for d in table["distance"]]
    return out


NUMBERS = {1: "én", 2: "to", 3: "tre", 4: "fire", 5: "fem"}
INDEX = ("Det socioøkonomiske indeks er Indenrigs- og Sundhedsministeriets mål for, hvor mange borgere med "
         "sociale udfordringer en kommune har. Hele landet har 1; over 1 betyder flere end gennemsnittet.")


def how_chosen(c) -> str:
    """Markdown: how the group was chosen, in words a committee member understands."""
    index = f" {INDEX}" if "socio_indeks" in c.group.variables else ""
    if c.group.chosen_by == "config":
        return (f"Udvalget har selv valgt de {len(c.group.codes)} kommuner, som {c.name} sammenlignes med. "
                f"Tabellen viser dem med de oplysninger, der siger noget om, hvor meget de ligner.{index}")
    variables = text.variable_names(c.group.variables)
    count = NUMBERS.get(len(c.group.variables), str(len(c.group.variables)))
    return (
        f"Sammenligningskommunerne er de **{len(c.group.codes)} kommuner, der ligner {c.name} mest** på {variables} "
        f"i {c.group.year}.{index}\n\n"
        f"Sådan er de fundet: De {count} oplysninger er sat på samme skala for alle landets kommuner, så de tæller "
        "lige meget. Derefter er der regnet en samlet **afstand** fra hver kommune til "
        f"{c.name}, og de kommuner med den mindste afstand er valgt. Afstanden 0 ville betyde, at kommunen er helt "
        "magen til; jo større tal, jo mindre ligner den. Det er samme idé, som engelske kommuner bruger, når de "
        "sammenligner sig med deres \"statistiske naboer\". Udvalget kan i stedet selv vælge kommunerne."
    )


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS:
        return []
    shown = [i for i in ctx.indicators.values() if i.benchmark]
    if not shown or ctx.data.get("benchmark") is None:
        return []
    first = next((c for c in (comparison(i, ctx) for i in shown) if c is not None), None)
    if first is None:
        return []
    blocks = [
        lisite.Markdown(source="rapporter/sammenligning.md"),
        lisite.Markdown(text="## Sådan er sammenligningskommunerne valgt\n\n" + how_chosen(first)),
        lisite.Table(group_table(first), caption=f"{first.name} og sammenligningskommunerne i {first.group.year}"),
    ]
    for indicator in shown:
        c = comparison(indicator, ctx)
        if c is None:
            continue
        blocks.append(lisite.IndicatorView(indicator.id))
        blocks.append(lisite.ChartBlock(
            chart.small_multiples(c, f"{indicator.title} i hver kommune i gruppen"),
            f"Små diagrammer, ét pr. kommune i gruppen, med {indicator.title.lower()} fra {c.years[0]} til {c.latest}. "
            f"{c.name} står først. Den prikkede linje i hvert diagram er hele landet.",
        ))
    return [lisite.Page(REPORT, "Sammenligning med andre kommuner", blocks, section="Rapporter", order=60,
                        intro=f"Hvordan ligger {ctx.config.municipality_name} i forhold til kommuner, der ligner, og til hele landet?")]
