"""The figures of the measures theme that are more than a count: each child once, per 1,000, durations.

Measures come from ``ydelser``, each joined to its case (``sager``) for area, team and caseworker
(a measure whose case is missing counts under the catalogue's ``case_unknown``, so nothing is
dropped). Only preventive measures and placements count (``indsatsgruppe`` from the measure
catalogue); measures ending before they start are left out (the engine lists them as warnings).
The groups are shown in the site's language (``indsatser.group.<value>``).
"""

from __future__ import annotations

import pandas as pd

from lisite import calc

CASE_COLUMNS = ["omraade", "team", "sagsbehandler_id"]
PREVENTIVE, PLACEMENT = "Forebyggende", "Anbringelse"  # the data model's groups of measures (indsatsgruppe)


def valid(data: pd.DataFrame) -> pd.Series:
    """Measures that do not end before they start."""
    return ~(data["slutdato"].notna() & (data["slutdato"] < data["startdato"]))


#: What the figures read (lisite.calc.remembered: a figure is made again only when one of these changed)
READS = {"ydelser": None, "sager": ["sags_id", *CASE_COLUMNS]}


def measures(ctx) -> pd.DataFrame:
    """Valid preventive measures and placements with the area, team and caseworker of their case (see :func:`prepared`)."""
    return prepared(ctx.data["ydelser"], ctx.data["sager"][["sags_id", *CASE_COLUMNS]], ctx.t("case_unknown"))


def prepared(data: pd.DataFrame, cases: pd.DataFrame, unknown: str) -> pd.DataFrame:
    """Valid preventive measures and placements with the area, team and caseworker of their case (``unknown`` when
    the case is missing). Sorted so that, per child, placements come after preventive measures and later starts after earlier.
    """
    cases = cases[["sags_id", *CASE_COLUMNS]].drop_duplicates("sags_id")
    counted = data["indsatsgruppe"].isin([PREVENTIVE, PLACEMENT])
    out = data[valid(data) & counted].merge(cases, on="sags_id", how="left")
    out[CASE_COLUMNS] = out[CASE_COLUMNS].fillna(unknown)
    out["placed"] = out["indsatsgruppe"] == PLACEMENT
    return out.sort_values(["placed", "startdato"], kind="stable")


def remembered(ctx, make, *args) -> pd.DataFrame:
    """``make(measures, *args)`` on the :func:`prepared` measures (made once for every figure), made again only when
    the measures or their cases' area, team or caseworker changed (or ``args``)."""
    return calc.remembered(ctx, make, {calc.Derived(prepared, READS, ctx.t("case_unknown")): None}, *args)


def group_words(t) -> dict[str, str]:
    """The groups of measures as the reader sees them (``indsatser.group.<value>``)."""
    return {group: t.get(f"indsatser.group.{group}", group) for group in (PREVENTIVE, PLACEMENT)}


def group_labels(frame: pd.DataFrame, words: dict[str, str]) -> pd.DataFrame:
    """``frame`` with its groups of measures in words (:func:`group_words`)."""
    return frame.assign(indsatsgruppe=frame["indsatsgruppe"].map(lambda value: words.get(value, value)))


def active_on(data: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Measures running on ``day``."""
    return data[calc.active_on(data, "startdato", "slutdato", day)]


def children_on(data: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """One row per child with a measure running on ``day``: the latest placement, else the latest measure."""
    return active_on(data, day).drop_duplicates("sags_id", keep="last")


def placed_on(data: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """One row per placed child on ``day``: the latest placement."""
    children = children_on(data, day)
    return children[children["placed"]]


def monthly(data: pd.DataFrame, periods: list[str], select) -> pd.DataFrame:
    """The rows ``select(data, day)`` picks on each month's last day, with the month as ``period``.

    The three selections of this module are made for every month in one pass (:func:`lisite.calc.active_each_month`);
    the result is the same frame, row for row, as selecting month by month."""
    if select not in (active_on, children_on, placed_on):
        return pd.concat([select(data, calc.month_end(p)).assign(period=p) for p in periods], ignore_index=True)
    found = calc.active_each_month(data, "startdato", "slutdato", periods)
    if select is not active_on:  # one row per child and month: the latest placement, else the latest measure
        found = found.drop_duplicates(["period", "sags_id"], keep="last")
        found = found[found["placed"]] if select is placed_on else found
    return found.reset_index(drop=True)


def whole_years(ctx) -> list[str]:
    """The last seven whole years before the reporting year."""
    return [str(y) for y in ctx.years(8)[:-1]]


def tally(frame: pd.DataFrame, by: list[str], hit: pd.Series | None = None) -> pd.DataFrame:
    """Count rows by ``by``: numerator = rows (or rows where ``hit``), denominator = rows when ``hit`` is given.

    The figures below are ``tally(monthly(...))`` by definition, counted without the rows of every month
    (:func:`counted`, :func:`lisite.calc.active_sizes`); a test holds them to it."""
    if hit is None:
        return frame.groupby(by).size().rename("numerator").reset_index()
    grouped = frame.assign(hit=hit.astype(float)).groupby(by)["hit"]
    return grouped.agg(numerator="sum", denominator="size").reset_index()


# Each figure: ``name(ctx)`` hands the prepared measures to ``name_of`` (kept while they are the same, :func:`remembered`).

def children_with_measure(ctx):
    return remembered(ctx, children_with_measure_of, ctx.months(), group_words(ctx.t))


def counted(measures: pd.DataFrame, periods: list[str], by: list[str], children: bool = False,
            where: pd.Series | None = None) -> pd.Series:
    """The measures running at each month's end (``children``: one for each child, as :func:`children_on` picks it;
    ``where``: of those, the ones it marks) counted by ``by``: ``monthly(...).groupby(["period", *by]).size()``."""
    return calc.active_sizes(measures, "startdato", "slutdato", periods, by, dropna=True,
                             once=["sags_id"] if children else (), where=where)


def children_with_measure_of(measures, periods, words):
    found = counted(measures, periods, ["indsatsgruppe", *CASE_COLUMNS], children=True)
    return group_labels(found.rename("numerator").reset_index(), words)


def measures_by_type(ctx):
    return remembered(ctx, measures_by_type_of, ctx.months())


def measures_by_type_of(measures, periods):
    by = ["indsatstype", *CASE_COLUMNS]
    size = counted(measures, periods, by)
    children = calc.active_sizes(measures, "startdato", "slutdato", periods, by, dropna=True, distinct="sags_id")
    found = pd.DataFrame({"numerator": size, "n": children})  # the same cells: a cell without an id counts 0
    return found.reset_index()  # n: the children behind the cell


def new_measures(ctx):
    return remembered(ctx, new_measures_of, ctx.months(), group_words(ctx.t))


def new_measures_of(measures, periods, words):
    counted = calc.counts_in(measures, "startdato", periods, by=("indsatsgruppe", "omraade", "team"))
    return group_labels(counted, words)


def preventive_share(ctx):
    return remembered(ctx, preventive_share_of, ctx.months())


def preventive_share_of(measures, periods):
    children = counted(measures, periods, CASE_COLUMNS, children=True)
    preventive = counted(measures, periods, CASE_COLUMNS, children=True, where=~measures["placed"])
    found = pd.DataFrame({"numerator": preventive.reindex(children.index, fill_value=0).astype(float), "denominator": children})
    return found.reset_index()


def placement_forms(ctx):
    return remembered(ctx, placement_forms_of, ctx.months())


def placement_forms_of(measures, periods):
    found = counted(measures, periods, ["indsatstype", "omraade", "team"], children=True, where=measures["placed"])
    return found.rename("numerator").reset_index()


def per_1000(group: str):
    """Children whose measure group on 31 December is ``group``, per 1,000 children aged 0-17."""
    def compute(ctx):
        return remembered(ctx, per_1000_of, whole_years(ctx), ctx.children(), group)
    return compute


def per_1000_of(data, years, children, group):
    rows = []
    for year in calc.covered_periods(data, "startdato", years):  # not before the extract begins
        found = children_on(data, calc.month_end(year))
        rows.append({"period": year, "numerator": float((found["indsatsgruppe"] == group).sum())})
    return calc.per_children(pd.DataFrame(rows), children)


def duration(ctx):
    """Days from start to end of measures that ended in each whole year."""
    return remembered(ctx, duration_of, whole_years(ctx), group_words(ctx.t))


def duration_of(data, years, words):
    ended = data[data["slutdato"].notna()].copy()
    ended["period"] = calc.periods_of(ended["slutdato"], "year")
    ended["days"] = (ended["slutdato"] - ended["startdato"]).dt.days.astype(float)
    ended = ended[ended["period"].isin(years)]  # a part year would mix short and long measures unevenly
    out = ended.groupby(["period", "indsatsgruppe"])["days"].agg(numerator="sum", denominator="size").reset_index()
    return group_labels(out, words)
