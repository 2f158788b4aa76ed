"""The figures behind one comparison: own series, group, country, position, and how much such figures vary.

Everything a reader sees (sentences, chart, table) is made from one
:class:`Comparison`. Its values are unrounded: changes, differences and ranks
are computed from them and rounded once, for display (:meth:`Comparison.r`,
:meth:`Comparison.show`). So "steget med 8,7" is the change 8.66, and the
difference in the table is the same rounded difference as in the text; where
two figures look the same when rounded but are not, the text says so (``ties``).

``dispersion`` is the over-dispersion the noise tests use: the benchmark
panel's φ for the column (every municipality's year-to-year changes) pooled
with the municipality's own years (:func:`lisite.compare.own_dispersion`). It
judges both a change and a difference from the group: both ask whether the own
figure is further off than it usually moves from one year to the next.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

import lisite.compare as compare
import lisite.funnel as funnel
from lisite import fmt

from . import catalogue
from .notes import differing, disagreements, members_missing, missing_in

# The nearest group keeps at least this many, however far: fewer is hardly a group to compare with.
LEAST = 3


@dataclass
class Group:
    """The comparison group: who is in it, how it was chosen and how near its members are."""

    codes: list[int]
    chosen_by: str  # "config" or "nearest"
    year: int
    variables: tuple[str, ...]
    table: pd.DataFrame  # kommunekode, kommune, the variables, distance, part.<variable> (own row first, distance 0)
    k: int = 0  # how many nearest were asked for (nearest only)
    limit: float | None = None  # the distance beyond which a neighbour is unusually far (nearest only)
    logged: tuple[str, ...] = ()  # the size variables, compared on a log scale
    left_out: dict[int, str] = field(default_factory=dict)  # near municipalities without figures for the year

    @property
    def far(self) -> bool:
        """Even the nearest municipalities are unusually far away (a member beyond the limit)."""
        return self.limit is not None and bool((self.table["distance"] > self.limit).any())


@dataclass
class Comparison:
    """One indicator compared: own, group and country per year, and the position in the latest year."""

    unit: str
    name: str
    code: int
    method: str
    group: Group
    years: list[int]
    own: dict[int, tuple[float, float]]  # year -> (numerator, denominator), as staged for the audience; the
    # denominator is None for an amount (a share of kroner), which has no model of random variation to test
    own_value: dict[int, float]  # unrounded, as every figure here: round for display only
    group_value: dict[int, float]
    national_value: dict[int, float]
    members: pd.DataFrame  # kommunekode, kommune, aar, numerator, denominator, value; group and own only
    latest: int
    target: float | None
    rank_group: tuple[int, int]
    rank_nation: tuple[int, int]
    quartile: int
    notes: list[str] = field(default_factory=list)
    t: Any = field(default=None, repr=False)  # the site's translator: every word of the comparison comes from it
    last_year: int = 0  # the benchmark's latest year; later than ``latest`` when the municipality lacks it
    source: dict[int, float] = field(default_factory=dict)  # year -> the national source's own figure, where it differs
    missing_group: list[str] = field(default_factory=list)  # group members without a figure in ``latest``
    missing_nation: list[str] = field(default_factory=list)  # municipalities of the benchmark without one in ``latest``
    dispersion: compare.Dispersion = compare.CHANCE  # how much more than chance the own figure varies
    panel: compare.Dispersion = compare.CHANCE  # the same, from every municipality's changes (the prior)
    ties: list[tuple[str, bool, bool]] = field(default_factory=list)  # (name, exactly equal, in the group):
    # the municipalities whose latest figure is shown as the same as the municipality's own
    entry: Any = None  # the benchmark catalogue's entry (catalogue.Entry): what the figure counts, its source
    funnel: Any = None  # lisite.funnel.Funnel for the latest year, or None (no model of random variation)
    everyone: pd.DataFrame | None = None  # latest year, every municipality: kommunekode, kommune, numerator, denominator, value

    @property
    def lang(self) -> str:
        return self.t.lang

    def r(self, value: float) -> float:
        """Round as the site shows this unit."""
        return round(float(value), fmt.digits(self.unit))

    def show(self, value: float, signed: bool = False) -> str:
        text = fmt.value(abs(value) if signed else value, self.unit, self.lang)
        if signed:
            return ("+" if value > 0 else "−" if value < 0 else "") + text
        return text

    def gap(self, value: float, signed: bool = False) -> str:
        """A difference between two figures: between shares in percentage points, not per cent."""
        text = fmt.difference(abs(value), self.unit, self.lang)
        if signed:
            return ("+" if value > 0 else "−" if value < 0 else "") + text
        return text


def municipality_figures(bench: pd.DataFrame, column: str, unit: str, entry: Any = None,
                         entries: dict | None = None) -> pd.DataFrame:
    """Every municipality's figure per year in the unit of the indicator.

    The benchmark catalogue's ``entry`` for the figure says which column is the
    numerator (times its ``scale``: 1,000 for 1,000 kr.) and which column it is
    divided by: children aged 0-17 for a rate per 1,000 or an amount per child,
    the children in care for the share of them in foster care. The denominator
    column is scaled by its own entry in ``entries``. Without an entry: the
    column per child aged 0-17.
    """
    entry = entry or catalogue.Entry(name=column)
    numerator = bench[entry.column].astype(float) * entry.scale
    if entry.denominator:
        below = (entries or {}).get(entry.denominator)
        denominator = bench[entry.denominator].astype(float) * (below.scale if below else 1.0)
    else:
        denominator = pd.Series(float("nan"), index=bench.index)
    out = pd.DataFrame({
        "kommunekode": bench["kommunekode"].astype(int), "kommune": bench["kommune"], "aar": bench["aar"].astype(int),
        "numerator": numerator, "denominator": denominator,
    })
    out["value"] = [compare.value(n, d, unit) for n, d in zip(out["numerator"], out["denominator"])]
    return out


def own_years(bench: pd.DataFrame, code: int, columns: tuple[str, ...] | list[str] = ()) -> list[int]:
    """The benchmark years with a row for the municipality (with a value in each of ``columns``)."""
    own = bench[bench["kommunekode"] == code].dropna(subset=list(columns))
    return sorted(int(y) for y in own["aar"].unique())


def choose_group(bench: pd.DataFrame, code: int, listed: tuple[int, ...], k: int, variables: tuple[str, ...]) -> Group | None:
    """The committee's own list, else the nearest on ``variables``, in the latest benchmark year the
    municipality itself has (``None`` when it has none). A listed member missing that year keeps its
    place in the table, without values.

    The nearest are at most ``k``, and none beyond :func:`lisite.compare.far_limit` unless fewer than
    ``compare.nearest``'s ``least`` are within it: a municipality without close neighbours gets a small
    group and a warning (``Group.far``) rather than a group of municipalities unlike it. A municipality
    that would have been among the nearest on its latest figures but lacks the year is named in
    ``Group.left_out``, so it is never replaced without a word."""
    years = own_years(bench, code, () if listed else variables)
    if not years:
        return None
    year = years[-1]
    latest = bench[bench["aar"] == year]
    if listed:
        codes = [c for c in listed if c != code]
        table = latest[latest["kommunekode"].isin([code, *codes])].copy()
        absent = bench[bench["kommunekode"].isin(set(codes) - set(table["kommunekode"]))]
        absent = absent.sort_values("aar").drop_duplicates("kommunekode", keep="last")[["kommunekode", "kommune"]]
        table = pd.concat([table, absent], ignore_index=True)  # named, with no values for the year
        order = {c: i for i, c in enumerate([code, *codes])}
        table = table.sort_values("kommunekode", key=lambda s: s.map(order)).assign(distance=math.nan)
        return Group(codes, "config", year, tuple(variables), table[["kommunekode", "kommune", *variables, "distance"]]
                     .reset_index(drop=True))
    logged = tuple(compare.size_columns(latest.dropna(subset=list(variables)), variables))
    limit = compare.far_limit(latest, variables, k, size=logged)
    near = compare.nearest(latest, code, variables, k, size=logged, limit=limit, least=LEAST)
    own = latest[latest["kommunekode"] == code].assign(distance=0.0, **{f"part.{v}": 0.0 for v in variables})
    table = pd.concat([own, near], ignore_index=True)
    columns = ["kommunekode", "kommune", *variables, "distance", *(f"part.{v}" for v in variables)]
    return Group([int(c) for c in near["kommunekode"]], "nearest", year, tuple(variables), table[columns],
                 k=k, limit=limit, logged=logged, left_out=_left_out(bench, code, year, k, variables, logged, limit))


def _left_out(bench, code, year, k, variables, logged, limit) -> dict[int, str]:
    """Municipalities that would be among the nearest on their latest figures up to ``year`` but lack ``year``."""
    recent = bench[bench["aar"] <= year].dropna(subset=list(variables)).sort_values("aar")
    recent = recent.drop_duplicates("kommunekode", keep="last")
    have = set(bench[(bench["aar"] == year)].dropna(subset=list(variables))["kommunekode"])
    near = compare.nearest(recent, code, variables, k, size=logged, limit=limit, least=LEAST)
    return {int(c): n for c, n in zip(near["kommunekode"], near["kommune"]) if c not in have}


def build(indicator, own_total: pd.DataFrame, bench: pd.DataFrame, config, target: float | None, t: Any,
          entries: dict | None = None, memo: Any = None) -> Comparison | None:
    """Compare the staged own series with the benchmark; ``None`` when there is no own figure to compare.

    ``t`` is the site's translator (``ctx.t``): the comparison's words and number format follow its language.
    ``entries`` is the benchmark catalogue (:func:`catalogue.load`); by default lisite's own. ``memo`` is
    ``ctx.memo``: the group and every municipality's figures depend only on the benchmark, the configuration
    and the catalogue, so every figure and audience of a build shares them.
    """
    memo = memo or (lambda key, make: make())
    unit, code = indicator.unit, config.municipality_code
    entries = catalogue.shipped(t.lang) if entries is None else entries
    entry = catalogue.entry(entries, indicator.benchmark)
    if any(column not in bench.columns for column in entry.columns):
        return None
    group = memo(("sammenligning.group",), lambda: choose_group(bench, code, config.comparison_municipalities,
                                                                config.comparison_k, config.comparison_variables))
    if group is None:
        return None
    below = entries.get(entry.denominator)

    def across() -> tuple[pd.DataFrame, compare.Dispersion]:
        figures = municipality_figures(bench, indicator.benchmark, unit, entry, entries)
        # an amount (a share of kroner) has no model of random variation: nothing to learn its over-dispersion from
        return figures, compare.panel_dispersion(figures, unit) if entry.kind == "count" else compare.CHANCE

    figures, panel = memo(("sammenligning.figures", unit, entry, below), across)
    digits = fmt.digits(unit)
    own_rows = own_total[own_total["value"].notna() & own_total["period"].str.fullmatch(r"\d{4}")]
    own = {int(p): (float(n), float(d)) for p, n, d in zip(own_rows["period"], own_rows["numerator"], own_rows["denominator"])}
    notes = disagreements(figures, code, own, unit, digits, t)
    source = differing(figures, code, own, unit, digits)
    figures = _with_own(figures, code, own, unit)
    # only years with a row for the municipality in the benchmark: a year it lacks there is not compared
    years = sorted(y for y in own_years(figures, code) if y in own)
    if not years:
        return None
    notes += members_missing(figures, group, years, t)
    by_year = {y: frame for y, frame in figures.groupby("aar")}
    method = config.comparison_national
    group_value, national_value = {}, {}
    for year in years:
        frame = by_year[year]
        members = frame[frame["kommunekode"].isin(group.codes)]
        group_value[year] = compare.aggregate(members["numerator"], members["denominator"], unit, method)
        national_value[year] = compare.aggregate(frame["numerator"], frame["denominator"], unit, method)
    latest = years[-1]
    shown = figures[figures["kommunekode"].isin([code, *group.codes])].copy()
    everyone = by_year[latest]
    values = dict(zip(everyone["kommunekode"], everyone["value"]))
    in_group = {c: v for c, v in values.items() if c in {code, *group.codes}}
    return Comparison(
        unit=unit, name=config.municipality_name, code=code, method=method, group=group, years=years, own=_tested(own, entry),
        own_value={y: compare.value(*own[y], unit) for y in years if y in own},
        group_value=group_value, national_value=national_value, members=shown, latest=latest, target=target,
        rank_group=compare.position(in_group, code), rank_nation=compare.position(values, code),
        quartile=compare.quartile(values, code), notes=notes, t=t, last_year=int(bench["aar"].max()), source=source,
        missing_group=missing_in(figures, group.codes, latest), missing_nation=missing_in(figures, None, latest),
        dispersion=compare.own_dispersion(_own_history(_tested(own, entry), latest), unit, panel), panel=panel,
        ties=_ties(everyone, values, code, set(group.codes), digits),
        entry=entry, **_across_country(by_year[latest], unit, method, entry),
    )


def _tested(own: dict[int, tuple[float, float]], entry) -> dict[int, tuple[float, float | None]]:
    """The own (numerator, denominator) pairs the noise tests see: an amount has no denominator to test with."""
    return own if entry.kind == "count" else {year: (num, None) for year, (num, _) in own.items()}


def _across_country(frame: pd.DataFrame, unit: str, method: str, entry) -> dict:
    """Every municipality in the latest year (own figures in) and the funnel fitted to them; only figures that
    count children or events have a model of random variation, so an amount (a share of kroner) has no funnel."""
    everyone = frame[frame["value"].notna()][["kommunekode", "kommune", "numerator", "denominator", "value"]]
    everyone = everyone.reset_index(drop=True)
    if entry.kind != "count":
        return {"everyone": everyone, "funnel": None}
    national = compare.aggregate(everyone["numerator"], everyone["denominator"], unit, method)
    return {"everyone": everyone, "funnel": funnel.fit(everyone["numerator"], everyone["denominator"], unit, national)}


def _own_history(own: dict[int, tuple[float, float]], latest: int) -> list[tuple[float, float]]:
    """The own figures of the consecutive years before ``latest`` (the changes that show its usual swing)."""
    years = []
    for year in range(latest - 1, min(own, default=latest) - 1, -1):
        if year not in own:
            break
        years.insert(0, year)
    return [own[y] for y in years]


def _ties(everyone: pd.DataFrame, values: dict[int, float], code: int, group: set[int], digits: int) -> list[tuple[str, bool, bool]]:
    """The municipalities shown with the same latest figure as ``code``: group members first, then by place."""
    names = dict(zip(everyone["kommunekode"], everyone["kommune"]))
    tied = compare.ties(values, code, digits)
    tied.sort(key=lambda c: (c not in group, -values[c], c))
    return [(names[c], values[c] == values[code], c in group) for c in tied]


def _with_own(figures: pd.DataFrame, code: int, own: dict[int, tuple[float, float]], unit: str) -> pd.DataFrame:
    """Replace the municipality's benchmark rows with its own staged figures where it has them."""
    figures = figures.copy()
    columns = [figures.columns.get_loc(column) for column in ("numerator", "denominator", "value")]
    years = figures["aar"].to_numpy()
    for position in (figures["kommunekode"].to_numpy() == code).nonzero()[0]:  # its few rows, cell by cell
        if years[position] in own:
            num, den = own[years[position]]
            for column, value in zip(columns, (num, den, compare.value(num, den, unit))):
                figures.iat[position, column] = value
    return figures
