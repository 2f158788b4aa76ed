"""Theme 2, Indsatser: measures for children, preventive measures and placements.

Whether a measure is preventive or a placement, and whether a placement is family care, comes from
the columns ``indsatsgruppe`` and ``familiepleje`` that the measures plugin derives from the measure
catalogue (by legal basis and name); measures in neither group ("Øvrige", or not in the catalogue)
are not counted here. A child counts once: a child with both a preventive measure and a placement
counts as placed, so the split by ``indsatsgruppe`` adds up to the total. A measure whose end date is
before its start date is a data error: the engine reports it (``DatasetSpec(order=...)`` on
``ydelser``), and it is left out of every figure here, as the definitions say.

Shares of placements are declared counts (:class:`lisite.Count`); the rest are computed in
:mod:`.measures`. The indicators' words are in ``content/indikatorer/indsatser.<name>.md``, the
groups' names in the catalogue (``indsatser.group.*``).
"""

from __future__ import annotations

import lisite

from .chart import type_chart
from .measures import (
    PLACEMENT,
    PREVENTIVE,
    children_with_measure,
    duration,
    measures_by_type,
    new_measures,
    per_1000,
    placement_forms,
    preventive_share,
)

THEME = "indsatser"
ALL_LEVELS = ("area", "team", "caseworker")
BY_TEAM = ("area", "team")
#: Valid placements (a measure ending before it starts is left out)
PLACEMENTS = f"indsatsgruppe == '{PLACEMENT}' and not (slutdato < startdato)"


def declare(name: str, **kw) -> lisite.Indicator:
    kw.setdefault("element", "politisk_styring")
    return lisite.Indicator(id=f"{THEME}.{name}", theme=THEME, **kw)


INDICATORS = [
    declare("boern_med_indsats", compute=children_with_measure, unit="antal", dimensions=("indsatsgruppe",),
            levels=ALL_LEVELS, key_figure=True),
    declare("indsatser_efter_type", compute=measures_by_type, unit="antal", dimensions=("indsatstype",),
            levels=ALL_LEVELS, element="administrativ_styring", chart=type_chart),
    declare("nye_indsatser", compute=new_measures, unit="antal", dimensions=("indsatsgruppe",), levels=BY_TEAM,
            element="administrativ_styring", events=True),
    declare("andel_forebyggende", compute=preventive_share, unit="pct", better="higher", levels=ALL_LEVELS, key_figure=True,
            benchmark="andel_forebyggende"),
    declare("anbragte_pr_1000", compute=per_1000(PLACEMENT), unit="pr_1000", frequency="år", benchmark="anbragte"),
    declare("forebyggende_pr_1000", compute=per_1000(PREVENTIVE), unit="pr_1000", frequency="år", benchmark="forebyggende"),
    declare("anbringelsesformer", compute=placement_forms, unit="antal", dimensions=("indsatstype",), levels=BY_TEAM,
            chart=type_chart),
    declare("andel_familiepleje", unit="pct", better="higher", levels=BY_TEAM, benchmark="anbragte_familiepleje",
            count=lisite.Count(dataset="ydelser", active=("startdato", "slutdato"), distinct="sags_id",
                               where=PLACEMENTS, numerator="familiepleje")),
    declare("varighed", compute=duration, unit="dage", frequency="år", dimensions=("indsatsgruppe",),
            element="administrativ_styring"),
    declare("uden_samtykke", unit="pct", levels=BY_TEAM, benchmark="anbragte_uden_samtykke",
            count=lisite.Count(dataset="ydelser", active=("startdato", "slutdato"), where=PLACEMENTS, numerator="tvang")),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


# Page order: (indicator, breakdown). Breakdowns by type show the latest month as bars.
VIEWS = [("boern_med_indsats", ""), ("andel_forebyggende", ""), ("nye_indsatser", ""), ("indsatser_efter_type", "indsatstype"),
         ("anbringelsesformer", "indsatstype"), ("andel_familiepleje", ""), ("uden_samtykke", ""), ("anbragte_pr_1000", ""),
         ("forebyggende_pr_1000", ""), ("varighed", "indsatsgruppe")]
BY_LEVEL = ("boern_med_indsats", "indsatser_efter_type")  # also shown per team (or per area) to the levels that see them


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = {i.id for i in ctx.indicators.values() if i.theme == THEME}
    if not mine:
        return []
    blocks = [lisite.Markdown(source=f"temaer/{THEME}.md")]
    for name, by in VIEWS:
        if f"{THEME}.{name}" in mine:
            blocks.append(lisite.IndicatorView(f"{THEME}.{name}", by=by, last=1 if by == "indsatstype" else None))
    level = next((c for c in ("team", "omraade") if c in audience.level_columns), "")  # finest useful on a theme page
    if level:
        blocks += [lisite.IndicatorView(f"{THEME}.{n}", by=level, kind="line", last=12) for n in BY_LEVEL if f"{THEME}.{n}" in mine]
    return [lisite.Page(f"temaer/{THEME}.html", ctx.t(f"theme.{THEME}"), blocks, section=ctx.t("section.themes"), order=51)]
