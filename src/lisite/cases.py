"""A share names the cases it rests on when they are few: "86,5 % af 37 undersøgelser".

A fall from 94,7 % to 86,5 % reads as news until one learns it rests on 37 investigations, where one
case moves the share by almost three percentage points. Below :data:`FEW` cases (where one case moves
a share by more than a percentage point) the text says how many. The word for the cases is the
indicator's ``base`` (front matter of ``content/indikatorer/<id>.md``: a plural noun, "undersøgelser");
without one the text says "af i alt 37". Only visible rows are passed here: a hidden row's
denominator is blank after staging, so no hidden count is ever named.
"""

from __future__ import annotations

import pandas as pd

from lisite import fmt
from lisite.i18n import Translator
from lisite.model import Indicator

FEW = 100


def few(indicator: Indicator, rows: list[pd.Series]) -> bool:
    """Does a share of children or cases rest on fewer than :data:`FEW` of them in any of ``rows``?"""
    if indicator.unit != "pct" or not indicator.counts:
        return False
    bases = [row.get("denominator") for row in rows]
    return any(b is not None and b == b and float(b) < FEW for b in bases)


def base(indicator: Indicator, row: pd.Series, t: Translator) -> str:
    """"af 37 undersøgelser" (with the indicator's ``base`` noun), or "af i alt 37" without one."""
    n = fmt.number(float(row["denominator"]), 0, t.lang)
    return t("of_base", n=n, base=indicator.base) if indicator.base else t("of_total", n=n)


def with_base(indicator: Indicator, row: pd.Series, t: Translator) -> str:
    """A share with the cases it rests on: "86,5 % af 37 undersøgelser" (the bare value without a denominator)."""
    value = fmt.value(float(row["value"]), indicator.unit, t.lang)
    denominator = row.get("denominator")
    if denominator is None or denominator != denominator:
        return value
    n = fmt.number(float(denominator), 0, t.lang)
    if indicator.base:
        return t("value_of_base", value=value, n=n, base=indicator.base)
    return t("value_of_total", value=value, n=n)
