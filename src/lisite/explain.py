"""Plain-language text for a staged indicator: process verdict, level, change, target.

A monthly figure is first read as a process (:mod:`lisite.spc`, an XmR chart over every month it is
shown for): the first sentence says whether it varies within its normal range or shows a special
pattern, and the target is held against the normal range. Then the latest figure, and its change
since the month before (or, for a year-to-date figure, since the same month last year), naming that
period. Changes in counts, rates and shares are tested against the variation the figure really has
before the text calls them a rise or a fall: chance (Poisson for counts and rates per 1,000, binomial
for shares) times the over-dispersion φ estimated from the indicator's own shown series, its usual
swing between periods (:func:`own_swing`, :mod:`lisite.dispersion`). A share of fewer than
:data:`lisite.cases.FEW` cases names how many ("86,5 % af 37 undersøgelser"): with so few, one case
moves it by more than a percentage point. Every number in the text is formatted from the same staged
figures as the chart and table, so a hidden figure (or its denominator) is never named.

Missing is not zero: a period inside the range an indicator is shown over
(:func:`shown_periods`) without a figure is "ingen data", with a note naming
from when the figures exist; when the latest period has no figure, the text
says so instead of describing an older period as the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lisite import fmt, spc
from lisite.compare import changed
from lisite.dispersion import CHANCE, Dispersion, own_dispersion
from lisite.i18n import Translator
from lisite.model import Indicator
from lisite.cases import base as _base, few as _few, with_base as _with_base
from lisite.variation import ProcessWords, describe, too_few


@dataclass
class Explanation:
    """Sentences about one indicator, and the alt text of its chart."""

    sentences: list[str] = field(default_factory=list)
    description: str = ""
    latest: float | None = None
    previous: float | None = None
    change: str = "none"  # "up", "down", "same", "noise", "none"
    on_track: bool | None = None
    suppressed: bool = False
    missing: list[str] = field(default_factory=list)  # periods of the shown range without a figure
    missing_latest: bool = False  # the range's last period (the reporting period) has no figure
    notes: list[str] = field(default_factory=list)  # what is missing, in words
    process: spc.Process | None = None  # the monthly figure as a process (XmR chart), when it is one
    variation: ProcessWords = field(default_factory=ProcessWords)  # its verdict, normal range and target assurance
    level: str = ""  # the sentence with the latest figure
    change_sentence: str = ""  # the sentence with the change since `compared`
    target_sentence: str = ""
    compared: str = ""  # the period the change is measured from ("2026-08"; "" without a change)
    previous_text: str = ""  # the figure then, as written (with its base when few)
    base: str = ""  # "af 37 undersøgelser" under a share of few cases, else ""
    last_shown: tuple[str, ...] = ()  # when the latest figure is hidden: the latest shown, as written, and its period
    last_shown_sentence: str = ""  # ... in a sentence
    window: tuple[str, ...] = ()  # when the latest month is hidden: the last 12 months added up, as written, and their first and last month
    window_sentence: str = ""  # ... in a sentence
    window_value: str = ""  # ... the figure alone ("89,5 %"), for a tile to lead with
    window_base: str = ""  # ... and the cases it rests on when they are few ("af 57 underretninger"), else ""
    period: str = ""  # the period of the latest figure ("2026", "2026-09"); "" without one
    partial: bool = False  # a yearly figure for the reporting year before December: the year so far

    @property
    def window_target(self) -> bool:
        """``on_track`` judges the last 12 months added up (the latest month is hidden): only they are judged then."""
        return bool(self.window) and self.on_track is not None


#: units whose figure is a level (a share, an average), not an amount: a target for a month is one for 12 months added up
LEVELS = ("pct", "gns", "dage", "kr_gns")


def shown_periods(asked: tuple[str, ...] | list[str], present: list[str], reporting: str = "") -> list[str]:
    """The periods an indicator is shown over: every month (or year) from the first it asked for
    (``ctx.months()``/``ctx.years()`` in its compute) or has, to the last it has, and for months to
    the reporting period when it asked for that. ``[]`` when it has no rows or its periods are neither
    months (``YYYY-MM``) nor years (``YYYY``).
    """
    present = sorted(set(map(str, present)))
    if not present:
        return []
    length = len(present[-1])
    if length not in (4, 7) or any(len(p) != length for p in present):
        return present
    asked = sorted(p for p in map(str, asked) if len(p) == length)
    last = max(present[-1], reporting) if length == 7 and reporting in asked else present[-1]
    first = min([*asked, present[0]])
    if length == 4:
        return [str(y) for y in range(int(first), int(last) + 1)]
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def missing_notes(missing: list[str], known: list[str], t: Translator) -> list[str]:
    """Notes for the periods without a figure: before the first figure ("the extract begins in ..."),
    and gaps after it (a run of missing periods after the last figure is told by the sentences)."""
    if not known or not missing:
        return []
    lang, first = t.lang, known[0]
    notes = []
    if missing[0] < first:
        key = "missing_before_month" if len(first) == 7 else "missing_before_year"
        notes.append(t(key, first=fmt.period(first, lang)))
    gaps = [p for p in missing if first < p < known[-1]]
    if gaps:
        notes.append(t("missing_periods", periods=fmt.join([_span(run, t) for run in _runs(gaps)], lang)))
    return notes


def _runs(periods: list[str]) -> list[list[str]]:
    """Consecutive periods grouped into runs."""
    runs: list[list[str]] = []
    for period in periods:
        if runs and _next(runs[-1][-1]) == period:
            runs[-1].append(period)
        else:
            runs.append([period])
    return runs


def _next(period: str) -> str:
    if len(period) == 4:
        return str(int(period) + 1)
    return str(pd.Period(period, "M") + 1)


def _span(run: list[str], t: Translator) -> str:
    if len(run) == 1:
        return fmt.period(run[0], t.lang)
    return t("period_span", first=fmt.period(run[0], t.lang), last=fmt.period(run[-1], t.lang))


def significant(indicator: Indicator, old: pd.Series, new: pd.Series, dispersion: Dispersion | None = None) -> bool | None:
    """Is the change from ``old`` to ``new`` (rows with numerator/denominator) larger than the figure's
    normal variation: chance times ``dispersion`` (pure chance when not given)?

    ``None`` when the unit has no random-variation model (money, averages).
    """
    if not indicator.counts:
        return None
    return changed(indicator.unit, _pair(old), _pair(new), dispersion)


def own_swing(indicator: Indicator, shown: pd.DataFrame, new: pd.Series) -> Dispersion:
    """How much the indicator's own figures usually move: φ from the changes of its ``shown`` series
    before ``new`` (the change being tested is left out), pooled with pure chance where they are few.

    A year-to-date figure is compared with the same month a year earlier, so only changes between
    the same months of consecutive years are of the same kind.
    """
    if not indicator.counts or shown is None or shown.empty:
        return CHANCE
    earlier = shown[shown["period"].astype(str) < str(new["period"])]
    if indicator.cumulative and len(str(new["period"])) == 7:
        earlier = earlier[earlier["period"].astype(str).str[4:] == str(new["period"])[4:]]
    denominators = earlier["denominator"] if "denominator" in earlier else [None] * len(earlier)
    return own_dispersion(list(zip(earlier["numerator"].astype(float), denominators)), indicator.unit)


def _pair(row: pd.Series) -> tuple[float, float | None]:
    return float(row["numerator"]), row.get("denominator", None)


def explain(indicator: Indicator, total: pd.DataFrame, t: Translator, target: float | None = None, min_count: int = 0,
            periods: list[str] | None = None, process: spc.Process | None = None, reporting: str = "",
            window: pd.DataFrame | None = None) -> Explanation:
    """Explain the municipality total of an indicator over time.

    ``periods``: the range it is shown over (:func:`shown_periods`); those without a figure are named
    in ``notes``, and a missing last one is said in the first sentence. ``reporting``: the reporting month
    (``YYYY-MM``); a yearly figure for its year before December is a year so far, said as such and not
    compared with a whole year or a yearly target. ``process``: the figure's XmR
    chart when the caller has it over a longer range than ``total`` (a view of the last months only);
    by default it is made from ``total`` over ``periods`` (:func:`lisite.spc.for_indicator`). ``window``: the
    last 12 months added up (one staged row, its ``period`` the last month and ``first`` the first), for a figure
    whose months add up (:attr:`lisite.Indicator.events`): named when the latest month is hidden and the sum is not.

    The sentences, in order: the process verdict and the normal range (monthly figures), the latest
    figure, its change, too few months for a verdict (if so), the target, and what the normal range
    says about the target.
    """
    lang = t.lang
    out = Explanation()
    title = indicator.title
    ordered = total.sort_values("period")
    hidden = ordered["suppressed"].fillna(False).astype(bool) if "suppressed" in ordered else pd.Series(False, index=ordered.index)
    known = sorted(set(ordered.loc[hidden | ordered["value"].notna(), "period"].astype(str)))
    out.missing = [p for p in (periods or []) if p not in set(known)]
    out.notes = missing_notes(out.missing, known, t)
    out.missing_latest = bool(periods) and periods[-1] in out.missing
    if len(ordered) and bool(ordered.iloc[-1].get("suppressed", False)) and not out.missing_latest:
        out.suppressed = True
        key = "txt_suppressed" if bool(ordered.iloc[-1].get("small", True)) else "txt_suppressed_other"
        out.level = t(key, title=title, period=fmt.period(ordered.iloc[-1]["period"], lang), min=min_count)
        out.sentences.append(out.level)
        shown = ordered[~hidden & ordered["value"].notna()]
        if len(shown):  # the latest figure the audience is shown (in the chart and the table) all the same
            row = shown.iloc[-1]
            value = _as_written(indicator, row, t)
            out.last_shown = (value, fmt.period(row["period"], lang))
            out.last_shown_sentence = t("txt_last_shown", value=value, period=out.last_shown[1])
            out.sentences.append(out.last_shown_sentence)
        summed = _window(indicator, window, str(ordered.iloc[-1]["period"]), t)
        if summed:
            out.window = summed
            out.window_sentence = t("txt_window", value=summed[0], first=summed[1], last=summed[2])
            out.sentences.append(out.window_sentence)
            pooled = float(window.iloc[0]["value"])
            out.window_value = fmt.value(pooled, indicator.unit, lang)
            out.window_base = _base(indicator, window.iloc[0], t) if _few(indicator, [window.iloc[0]]) else ""
            if target is not None and indicator.unit in LEVELS and not indicator.cumulative:
                out.on_track = _on_track(indicator, pooled, target)
            if out.on_track is not None:  # a level (a share, an average) the target holds for over 12 months as for one
                key = "txt_target_window_met" if out.on_track else "txt_target_window_not_met"
                out.target_sentence = t(key, target=fmt.value(target, indicator.unit, lang),
                                        distance=fmt.difference(abs(pooled - target), indicator.unit, lang))
                out.sentences.append(out.target_sentence)
        out.description = out.level
        return out
    shown = ordered[ordered["value"].notna()]
    if shown.empty:
        out.level = t("txt_no_data", title=title)
        out.sentences.append(out.level)
        out.description = out.level
        return out
    last = shown.iloc[-1]
    out.latest = float(last["value"])
    value = fmt.value(out.latest, indicator.unit, lang)
    if indicator.cumulative and len(last["period"]) == 7:
        same_month = f"{int(last['period'][:4]) - 1}{last['period'][4:]}"
        earlier = shown[shown["period"] == same_month]
        prev = earlier.iloc[-1] if len(earlier) else None
    else:
        prev = shown.iloc[-2] if len(shown) >= 2 else None
    few = _few(indicator, [last] + ([prev] if prev is not None else []))
    with_base = _with_base(indicator, last, t) if few else value
    out.base = _base(indicator, last, t) if few else ""
    partial = len(str(last["period"])) == 4 and str(last["period"]) == reporting[:4] and reporting[5:7] not in ("", "12")
    out.period, out.partial = str(last["period"]), partial
    if out.missing_latest:
        out.level = t("txt_latest_missing", title=title, period=fmt.period(periods[-1], lang), value=with_base,
                      last=fmt.period(last["period"], lang))
    elif partial:
        out.level = t("txt_latest_partial", title=title, value=with_base, period=last["period"], until=fmt.period(reporting, lang))
    else:
        out.level = t("txt_latest", title=title, value=with_base, period=fmt.period(last["period"], lang))
    out.process = process or spc.for_indicator(indicator, total, periods or sorted(known))
    if out.process is not None:
        out.variation = describe(out.process, indicator, t, target)
    if prev is not None and partial:  # a year so far is not compared with a whole year
        out.change_sentence = t("txt_partial_year", when=fmt.period(prev["period"], lang),
                                old=fmt.value(float(prev["value"]), indicator.unit, lang))
    elif prev is not None:
        out.previous = float(prev["value"])
        if out.variation.headline:  # the process verdict judges the month; the change is only told, not tested again
            out.change, tested = _plain_direction(indicator, prev, last), None
        else:
            out.change, tested = _direction(indicator, prev, last, shown)
        out.compared = str(prev["period"])
        out.previous_text = _with_base(indicator, prev, t) if few else fmt.value(out.previous, indicator.unit, lang)
        out.change_sentence = _change_sentence(indicator, prev, out.change, tested, t, out.previous_text,
                                               judge=not out.variation.headline)
    year_open = partial or indicator.cumulative and len(last["period"]) == 7 and not last["period"].endswith("-12")
    if target is not None and out.missing_latest:  # no current figure to hold against the target
        out.target_sentence = t("txt_target_neutral", target=fmt.value(target, indicator.unit, lang))
    elif target is not None and year_open:
        out.target_sentence = t("txt_target_ytd", target=fmt.value(target, indicator.unit, lang))
    elif target is not None:
        out.on_track = _on_track(indicator, out.latest, target)
        key = "txt_target_met" if out.on_track else "txt_target_not_met"
        if out.on_track is None:
            key = "txt_target_neutral"
        out.target_sentence = t(key, target=fmt.value(target, indicator.unit, lang), distance=fmt.difference(abs(out.latest - target), indicator.unit, lang))
    head = [out.variation.headline, out.variation.earlier, out.variation.normal_range] if out.variation.headline else []
    later = [_too_few(indicator, periods or known, shown, t) if not out.variation.headline and not out.missing_latest else ""]
    out.sentences = [s for s in (*head, out.level, out.change_sentence, *later, out.target_sentence, out.variation.assurance) if s]
    first = shown.iloc[0]
    low, high = fmt.value(shown["value"].min(), indicator.unit, lang), fmt.value(shown["value"].max(), indicator.unit, lang)
    out.description = t(
        "txt_chart_description" if low != high else "txt_chart_description_flat",  # not "between 3,3 and 3,3"
        title=title,
        unit=fmt.unit_label(indicator.unit, lang),
        first=fmt.period(first["period"], lang),
        last=fmt.period(last["period"], lang),
        low=low,
        high=high,
        value=value,
    )
    return out


def _window(indicator: Indicator, window: pd.DataFrame | None, latest: str, t: Translator) -> tuple[str, ...]:
    """The 12 months up to ``latest`` added up, as written ("88,9 % af 72 underretninger"), and their first and last
    month in words; ``()`` without such a sum, or when it is hidden too."""
    if window is None or len(window) != 1:
        return ()
    row = window.iloc[0]
    if str(row["period"]) != latest or bool(row.get("suppressed", False)) or pd.isna(row["value"]):
        return ()
    return _as_written(indicator, row, t), fmt.period(row["first"], t.lang), fmt.period(row["period"], t.lang)


def _as_written(indicator: Indicator, row: pd.Series, t: Translator) -> str:
    """A shown row's value as the text writes it alone: with its cases when they are few ("83,3 % af 6 underretninger")."""
    return _with_base(indicator, row, t) if _few(indicator, [row]) else fmt.value(float(row["value"]), indicator.unit, t.lang)


def _too_few(indicator: Indicator, periods: list[str], shown: pd.DataFrame, t: Translator) -> str:
    """Why a monthly figure gets no process verdict, or "" when it is not read as a process at all."""
    if not spc.applies(indicator, periods):
        return ""
    points = int(shown["period"].astype(str).isin(set(periods)).sum())
    return too_few(points, t) if 2 <= points < spc.MIN_POINTS else ""  # one month has no change to qualify


def _plain_direction(indicator: Indicator, prev: pd.Series, last: pd.Series) -> str:
    """"same" when equal as the reader sees them, else "up" or "down"."""
    if fmt.value(float(last["value"]), indicator.unit) == fmt.value(float(prev["value"]), indicator.unit):
        return "same"
    return "up" if last["value"] > prev["value"] else "down"


def _direction(indicator: Indicator, prev: pd.Series, last: pd.Series, shown: pd.DataFrame | None = None) -> tuple[str, bool | None]:
    """("same" | "noise" | "up" | "down", the noise test's answer, None where there is no model).

    The test allows for the series' own usual swing (:func:`own_swing` of ``shown``)."""
    if fmt.value(float(last["value"]), indicator.unit) == fmt.value(float(prev["value"]), indicator.unit):
        return "same", None  # equal as the reader sees them
    tested = significant(indicator, prev, last, own_swing(indicator, shown, last))
    if tested is False:
        return "noise", tested
    return ("up" if last["value"] > prev["value"] else "down"), tested


def _change_sentence(indicator: Indicator, prev: pd.Series, direction: str, tested: bool | None, t: Translator,
                     old: str = "", judge: bool = True) -> str:
    """The change since ``prev``; ``judge=False`` where the process verdict already judges the month."""
    lang = t.lang
    old = old or fmt.value(float(prev["value"]), indicator.unit, lang)
    when = fmt.period(prev["period"], lang)
    if direction == "same":
        return t("txt_same", old=old, when=when)
    if direction == "noise":
        return t("txt_noise", old=old, when=when)
    key = "txt_up" if direction == "up" else "txt_down"
    if tested is None:
        key += "_plain"
    text = t(key, old=old, when=when)
    if judge and indicator.better != "neither":
        good = (direction == "up") == (indicator.better == "higher")
        text += " " + t("txt_better" if good else "txt_worse")
    return text


def _on_track(indicator: Indicator, value: float, target: float) -> bool | None:
    if indicator.better == "higher":
        return value >= target
    if indicator.better == "lower":
        return value <= target
    return None
