"""The alt text of an indicator's chart: what the chart a reader cannot see actually shows.

A chart over time is described by :func:`lisite.explain.explain` ("from January 2024 to September
2026 the figure ranged from … to …"). A chart of one period shows no course over time, so that
sentence would read "from September 2026 to September 2026, between 534 and 534". Instead:

- one period, no breakdown: a single bar, told as its value ("Søjle for … i september 2026: 534.");
- one period by a breakdown: one bar per category, told as how many bars there are, the highest
  and the lowest shown bar, and how many are hidden (a hidden bar is never named by its value).

Every number is formatted as in the chart's table, from the same staged rows.
"""

from __future__ import annotations

import pandas as pd

from lisite import fmt
from lisite.i18n import Translator
from lisite.model import Indicator


def describe(indicator: Indicator, frame: pd.DataFrame, by: str, over_time: str, t: Translator, by_label: str = "") -> str:
    """The alt text of the chart of ``frame`` (the staged rows the chart draws, split by ``by`` or not).

    ``over_time``: the description of a chart over several periods (the explanation's), used as it is
    when ``frame`` covers more than one period or has nothing to show.
    """
    periods = sorted(frame["period"].astype(str).unique()) if len(frame) else []
    if len(periods) != 1:
        return over_time
    lang = t.lang
    period = fmt.period(periods[0], lang)
    unit = fmt.unit_label(indicator.unit, lang)
    hidden = frame["suppressed"].fillna(False).astype(bool) if "suppressed" in frame else pd.Series(False, index=frame.index)
    shown = frame[~hidden & frame["value"].notna()]
    if not by:
        if shown.empty:
            return over_time  # the explanation already says the figure is hidden or missing
        value = fmt.value(float(shown["value"].iloc[-1]), indicator.unit, lang)
        return t("alt_one_bar", title=indicator.title, unit=unit, period=period, value=value)
    parts = [t("alt_bars", title=indicator.title, unit=unit, by=by_label or by, period=period, n=len(frame))]
    ordered = shown.sort_values("value", ascending=False, kind="stable")
    if len(ordered) == 1:
        row = ordered.iloc[0]
        parts.append(t("alt_bars_one", name=row[by], value=fmt.value(float(row["value"]), indicator.unit, lang)))
    elif len(ordered) > 1:
        high, low = ordered.iloc[0], ordered.iloc[-1]
        written = [fmt.value(float(row["value"]), indicator.unit, lang) for row in (high, low)]
        if written[0] == written[1]:  # not "the highest is Autisme with 8, the lowest Fysisk with 8"
            parts.append(t("alt_bars_same", n=len(ordered), value=written[0]))
        else:
            parts.append(t("alt_bars_range", high_name=high[by], high=written[0], low_name=low[by], low=written[1]))
    if int(hidden.sum()):
        parts.append(t("alt_bars_hidden_one" if int(hidden.sum()) == 1 else "alt_bars_hidden", n=int(hidden.sum())))
    return " ".join(parts)
