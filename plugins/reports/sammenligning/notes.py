"""Notes under a comparison: where the figures compared are incomplete or disagree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

import lisite.compare as compare
from lisite import fmt

if TYPE_CHECKING:
    from .figures import Group


def members_missing(figures: pd.DataFrame, group: "Group", years: list[int], t: Any) -> list[str]:
    """A note naming the group members without a figure in some of the compared years: they are left out
    of the group's figure (and the group's ranking) for those years."""
    names = dict(zip(group.table["kommunekode"], group.table["kommune"]))
    known = figures[figures["value"].notna()]
    have = {(int(c), int(y)) for c, y in zip(known["kommunekode"], known["aar"])}
    listed = []
    for member in group.codes:
        lacking = [str(y) for y in years if (member, y) not in have]
        if lacking:
            listed.append(t("sammenligning.member_years", name=names.get(member, str(member)), years=fmt.join(lacking, t.lang)))
    if not listed:
        return []
    return [t("sammenligning.members_missing", listed=fmt.join(listed, t.lang))]


def missing_in(figures: pd.DataFrame, codes, year: int) -> list[str]:
    """The names of ``codes`` (``None``: every municipality in the benchmark, any year) without a figure in
    ``year``, in code order: the group's or the country's figure and ranking for the year leave them out."""
    names = figures.sort_values("aar").drop_duplicates("kommunekode", keep="last").set_index("kommunekode")["kommune"]
    wanted = sorted(names.index) if codes is None else list(codes)
    known = set(figures[(figures["aar"] == year) & figures["value"].notna()]["kommunekode"])
    return [str(names.get(code, code)) for code in wanted if code not in known]


def differing(figures, code, own, unit, digits) -> dict[int, float]:
    """Year -> the national statistics' figure for the municipality, in the years where it differs as shown
    from the municipality's own figure."""
    theirs = figures[figures["kommunekode"] == code].set_index("aar")["value"]
    out = {}
    for year, (num, den) in sorted(own.items()):
        mine = compare.value(num, den, unit)
        if year in theirs.index and round(mine, digits) != round(theirs[year], digits):
            out[int(year)] = float(theirs[year])
    return out


def disagreements(figures, code, own, unit, digits, t) -> list[str]:
    """A note when the own figures and the national statistics' figures for the municipality differ as shown."""
    pairs = [t("sammenligning.disagreement_pair", own=fmt.value(compare.value(*own[year], unit), unit, t.lang),
               theirs=fmt.value(theirs, unit, t.lang), year=year)
             for year, theirs in differing(figures, code, own, unit, digits).items()]
    if not pairs:
        return []
    return [t("sammenligning.disagreement", listed=fmt.join(pairs, t.lang))]
