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


def disagreements(figures, code, own, unit, digits, t) -> list[str]:
    """A note when the own figures and the national statistics' figures for the municipality differ as shown."""
    theirs = figures[figures["kommunekode"] == code].set_index("aar")["value"]
    pairs = []
    for year, (num, den) in sorted(own.items()):
        mine = compare.value(num, den, unit)
        if year in theirs.index and round(mine, digits) != round(theirs[year], digits):
            pairs.append(t("sammenligning.disagreement_pair", own=fmt.value(mine, unit, t.lang),
                           theirs=fmt.value(theirs[year], unit, t.lang), year=year))
    if not pairs:
        return []
    return [t("sammenligning.disagreement", listed=fmt.join(pairs, t.lang))]
