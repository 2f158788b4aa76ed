"""Theme 1, Administration: cases, notifications, deadlines and caseload.

Legal deadlines (Barnets lov): a notification (underretning) must be assessed
within 24 hours; a child welfare investigation (børnefaglig undersøgelse)
must be finished within 4 months (§ 20, stk. 3). The indicators' words are in
``content/indikatorer/administration.<name>.md``; the page's in the catalogue
(``locales/<lang>/administration.toml``).
"""

from __future__ import annotations

import pandas as pd

import lisite
from lisite import calc, fmt

THEME = "administration"
BY_CASEWORKER = ("area", "team", "caseworker")
CASE_LEVELS = ("omraade", "team", "sagsbehandler_id")
OPEN = {"sager": ["oprettet", "afsluttet", *CASE_LEVELS]}  # what the counts of open cases read (calc.remembered)


def active_cases(ctx):
    """Open cases at each month's end, with a zero for every caseworker in the export without one."""
    return calc.remembered(ctx, count_open, OPEN, ctx.months())


def count_open(cases, months):
    return calc.active_counts(cases, "oprettet", "afsluttet", months, by=CASE_LEVELS)


def notifications_per_1000(ctx):
    """Notifications in each whole year per 1,000 children aged 0-17 (no figures from an empty export)."""
    notes = ctx.data["underretninger"]
    counted = calc.counts_in(notes, "modtaget", [str(y) for y in ctx.years(8)])
    counted = counted[(counted["period"].astype(int) < ctx.config.year) & (len(notes) > 0)]  # whole years only
    return calc.per_children(counted, ctx.children())


def assessed_24h(ctx):
    data = ctx.data["underretninger"]
    on_time = (data["vurderet"] - data["modtaget"]) <= pd.Timedelta(hours=24)
    return calc.share_in(data, "modtaget", ctx.months(), on_time)


def investigations_4_months(ctx):
    """Investigations whose 4-month deadline fell in the month; on time if finished by then."""
    data = ctx.data["undersoegelser"].copy()
    data["frist"] = data["startet"] + pd.DateOffset(months=4)
    done_in_time = data["afsluttet"].notna() & (data["afsluttet"] <= data["frist"])
    due = data["frist"] <= ctx.end
    return calc.share_in(data[due], "frist", ctx.months(), done_in_time[due])


def caseload(ctx):
    """Active cases per caseworker with cases, at month end."""
    return calc.remembered(ctx, caseload_of, OPEN, ctx.months())


def caseload_of(cases, months):
    per = calc.active_sizes(cases, "oprettet", "afsluttet", months, CASE_LEVELS, dropna=True)  # months oldest first
    per = per.rename("numerator").reset_index()
    per["denominator"] = 1.0
    per["n"] = per["numerator"]  # the cases behind the figure: a caseload of 1-4 cases is a small count
    return per


def declare(name: str, **fields) -> lisite.Indicator:
    fields.setdefault("element", "administrativ_styring")
    return lisite.Indicator(id=f"{THEME}.{name}", theme=THEME, **fields)


INDICATORS = [
    declare("aktive_sager", compute=active_cases, unit="antal", levels=BY_CASEWORKER, key_figure=True,
            shown_to=lisite.READERS),
    declare("nye_sager", count=lisite.Count(dataset="sager", date="oprettet"), unit="antal",
            levels=("area", "team"), shown_to=lisite.MANAGERS),
    declare("afsluttede_sager", count=lisite.Count(dataset="sager", date="afsluttet"), unit="antal",
            levels=("area", "team"), shown_to=lisite.MANAGERS),
    declare("underretninger", count=lisite.Count(dataset="underretninger", date="modtaget"), unit="antal",
            dimensions=("kilde",), element="organisering"),
    declare("underretninger_pr_1000", compute=notifications_per_1000, unit="pr_1000", element="politisk_styring",
            frequency="år", benchmark="underretninger"),
    declare("underretninger_24t", compute=assessed_24h, unit="pct", better="higher", key_figure=True, target=100.0, events=True,
            parts=False),  # casework done in time: the rest is the late ones, not a kind of child
    declare("undersoegelser_4mdr", compute=investigations_4_months, unit="pct", better="higher", key_figure=True,
            target=100.0, events=True, parts=False),
    declare("sagsantal", compute=caseload, unit="gns", levels=BY_CASEWORKER, element="tilrettelaeggelse",
            better="lower", shown_to=lisite.MANAGERS),
]


@lisite.hookimpl
def lisite_indicators():
    return INDICATORS


@lisite.hookimpl
def lisite_validate(data, config):
    notes = data.get("underretninger")
    if notes is None:
        return []
    message = fmt.words(config.language)("administration.assessed_before_received")
    lines = notes.attrs.get("lines", [])
    late = notes["vurderet"].notna() & (notes["vurderet"] < notes["modtaget"])
    return [lisite.Problem(message, file=notes.attrs.get("file", ""), row=lines[i] if lines else None,
                           column="vurderet", severity="warning", dataset="underretninger")
            for i in notes.index[late]]


@lisite.hookimpl
def lisite_pages(audience, ctx):
    mine = [i for i in ctx.indicators.values() if i.theme == THEME]
    if not mine:
        return []
    blocks = [lisite.Markdown(source=f"temaer/{THEME}.md")]
    blocks += [lisite.IndicatorView(i.id) for i in mine]
    if f"{THEME}.underretninger" in ctx.indicators:
        blocks.append(lisite.IndicatorView(f"{THEME}.underretninger", by="kilde", kind="line", last=12))
    return [lisite.Page(f"temaer/{THEME}.html", ctx.t(f"theme.{THEME}"), blocks, section=ctx.t("section.themes"), order=50)]
