"""Words for a monthly figure read as a process (:mod:`lisite.spc`): the verdict, the normal range, the target.

Kept apart from :mod:`lisite.explain` so the sentences about one month's change and the sentences
about the process can each be read (and tested) on their own. Every word comes from the catalogue
(``spc.*`` in ``locales/<lang>/engine.toml``); numbers are formatted in the indicator's unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from lisite import fmt
from lisite.i18n import Translator
from lisite.model import Indicator
from lisite.spc import MIN_POINTS, Process


@dataclass
class ProcessWords:
    """The verdict as a headline (for tiles), the sentences under a chart, and the kind for styling."""

    headline: str = ""  # "Tallet svinger inden for det normale." or the pattern, with its judgement
    kind: str = ""  # "common", "improving", "worrying" or "neutral"; "" without a verdict
    earlier: str = ""  # after "normal": the latest pattern, which the chart still colours
    normal_range: str = ""  # mean and limits over the baseline
    assurance: str = ""  # what the limits say about the target


def describe(process: Process, indicator: Indicator, t: Translator, target: float | None = None) -> ProcessWords:
    """The words for the latest month's verdict; empty when the latest month has no visible figure."""
    verdict = process.verdict()
    if verdict is None:
        return ProcessWords()
    lang, unit = t.lang, indicator.unit
    words = ProcessWords(kind="common")
    if verdict.kind == "common":
        words.headline = t("spc.common")
        earlier = process.latest_pattern()
        if earlier is not None:
            first, last = (fmt.period(earlier.periods[i], lang) for i in (0, -1))
            when = t("spc.when_one", month=first) if first == last else t("spc.when_span", first=first, last=last)
            words.earlier = t(f"spc.earlier_{earlier.rule}_{earlier.side}", when=when)
    else:
        signal = verdict.signal
        assert signal is not None
        words.kind = verdict.judgement
        every = "_all" if signal.rule == "two_of_three" and len(signal.periods) == 3 else ""  # all three months near a limit
        words.headline = t(f"spc.{signal.rule}_{signal.side}{every}", first=fmt.period(signal.periods[0], lang),
                           last=fmt.period(signal.periods[-1], lang))
        if verdict.judgement in ("improving", "worrying"):
            words.headline += " " + t(f"spc.{verdict.judgement}")
    known = [i for i, v in enumerate(process.values) if v is not None]
    mean = fmt.value(process.mean, unit, lang)
    span = {"first": fmt.period(process.periods[known[0]], lang), "last": fmt.period(process.periods[known[-1]], lang),
            "mean": mean}
    shown = process.values[known[0]:known[-1] + 1]
    if None not in shown and all(fmt.value(v, unit, lang) == mean for v in shown):  # not "between 0,0 % and 0,0 %"
        words.normal_range = t("spc.normal_flat", **span)
    else:
        lower, upper = fmt.apart(process.lower, process.upper, unit, lang)
        words.normal_range = t("spc.normal_range", lower=lower, upper=upper, **span)
    assurance = process.assurance(target)
    if assurance is not None:
        # limits drawn from months before a special pattern no longer say where the figure will be
        key = assurance if verdict.kind == "common" else "unsettled"
        words.assurance = t(f"spc.assurance_{key}", target=fmt.value(target, unit, lang))
    return words


def too_few(points: int, t: Translator) -> str:
    """Why a monthly figure gets no verdict: too few months to know its normal range."""
    return t("spc.too_few", points=points, minimum=MIN_POINTS)
