"""Sentences and the table for one comparison, from the unrounded figures of a Comparison.

A change or a difference in a count or a rate is only called a rise, a fall
or a difference when it is larger than the variation such figures really have
(chance times the over-dispersion ``c.dispersion``, see :mod:`lisite.compare`);
otherwise the text says it is within it. Changes, differences and places are
computed from unrounded figures and rounded once, for display; figures that
look the same when rounded are named as the same. Every word comes from the
catalogue (``locales/<lang>/sammenligning.toml``, keys ``sammenligning.*``)
through the comparison's translator ``c.t``.
"""

from __future__ import annotations

import lisite.compare as compare
from lisite import fmt

from . import funnel

SMALL = 0.02  # a gap under 2 % of the other figure: "almost the same" for money (no model of random variation),
# "level with" for a gap within the normal random variation (a larger one within it is given with its size and direction)
NAMED = 3  # up to this many municipalities missing from the country's figure are named, more are counted
K = "sammenligning."


def say(c, key: str, **values) -> str:
    """The plugin's catalogue text ``sammenligning.<key>``."""
    return c.t(K + key, **values)


def variable_names(c, variables) -> str:
    names = [c.t.get(f"{K}variable.{v}", v) for v in variables]
    return fmt.join(names, c.lang)


def group_sentence(c) -> str:
    """Who is in the group and how it was chosen; who would have been in it but lacks the year."""
    table = c.group.table
    names = [n for code, n in zip(table["kommunekode"], table["kommune"]) if code != c.code]
    listed = fmt.join(names, c.lang)
    if c.group.chosen_by == "config":
        return say(c, "group_config", listed=listed)
    text = say(c, "group_nearest", listed=listed, year=c.group.year, name=c.name, variables=variable_names(c, c.group.variables))
    if c.group.left_out:
        text += " " + say(c, "group_left_out", listed=fmt.join(list(c.group.left_out.values()), c.lang), year=c.group.year)
    return text


def level(c, indicator) -> str:
    """The first sentence: the own figure, saying what it counts, and at once where it is not what the other
    municipalities' figures count or not what the national source has for the municipality."""
    year, v = c.latest, c.show(c.own_value[c.latest])
    theirs = c.t.get(f"{K}phrase.{indicator.benchmark}", None, v=v)
    mine = c.t.get(f"{K}own_phrase.{indicator.id}", None, v=v)  # the own figure counts something else
    what = mine or theirs or say(c, "phrase_other", title=indicator.title.lower(), v=v)
    if year in c.source:
        first = say(c, "level_source", name=c.name, what=what, year=year, theirs=c.show(c.source[year]))
    elif c.source:
        first = say(c, "level_source_earlier", name=c.name, what=what, year=year,
                    years=fmt.join([str(y) for y in c.source], c.lang))
    else:
        first = say(c, "level", name=c.name, what=what, year=year)
    if mine and c.entry is not None and c.entry.counts:  # what the national figures count, from the catalogue
        first += " " + say(c, "level_counted", counted=c.entry.counts)
    return first


def sentences(c, indicator) -> list[str]:
    """Level, change since last year and over five years, target, group, country, position; every year,
    member or municipality missing from a comparison is named where it is missing."""
    year = c.latest
    own = c.own_value[year]
    out = [level(c, indicator)]
    if c.last_year > year:  # the benchmark has a later year, but not for the municipality
        out.append(say(c, "latest_year", name=c.name, year=year, last=c.last_year))
    elif max(c.own) > year:  # the municipality has a later year, but the benchmark does not
        out.append(say(c, "own_later", own_last=max(c.own), year=year))
    if year - 1 in c.own_value:
        out.append(_change(c, indicator, year - 1, _end(say(c, "last_year", year=year - 1, value=c.show(c.own_value[year - 1])))))
    elif len(c.years) > 1:
        out.append(say(c, "no_last_year", year=year - 1))
    if year - 5 in c.own_value:
        out.append(_change(c, indicator, year - 5, _end(say(c, "five_years", year=year - 5, value=c.show(c.own_value[year - 5])))))
    elif c.years[0] < year - 5:
        out.append(say(c, "no_year_five_back", year=year - 5))
    elif len(c.years) > 1:
        out.append(say(c, "no_five_years", year=c.years[0]))
    if c.target is not None:
        out.append(_target(c, indicator, own))
    if c.group.far:
        out.append(say(c, "far", name=c.name))
    group = c.group_value[year]
    out.append(_versus(c, own, group, f"{say(c, 'group_name.' + c.method)} ({c.show(group)})"))
    if c.missing_group:
        out.append(say(c, "group_missing", listed=fmt.join(c.missing_group, c.lang), year=year))
    out.append(_national(c, own, c.national_value[year]))
    out += _position(c)
    if c.missing_nation:
        out.append(_missing_nation(c))
    out.append(say(c, f"better.{indicator.better}"))
    return out


def _missing_nation(c) -> str:
    """Who is missing from the country's figure and ranking: by name when few, else how many."""
    if len(c.missing_nation) <= NAMED:
        return say(c, "nation_missing", listed=fmt.join(c.missing_nation, c.lang), year=c.latest)
    return say(c, "nation_missing_many", count=len(c.missing_nation), year=c.latest)


def _end(text: str) -> str:
    """Close a sentence without doubling the full stop after an abbreviation (kr.)."""
    return text if text.endswith(".") else text + "."


def _change(c, indicator, then: int, start: str) -> str:
    now, old = c.own_value[c.latest], c.own_value[then]
    if now == old:
        return f"{start} {say(c, 'change_same')}"
    real = compare.changed(c.unit, c.own[then], c.own[c.latest], c.dispersion)
    amount = c.r(now - old)
    if not real and (amount == 0 or c.r(now) == c.r(old)):  # the same as shown, not quite the same unrounded
        return f"{start} {say(c, 'change_same_rounded', amount=c.gap(amount, signed=True))}"
    if real is False:
        return f"{start} {say(c, 'change_noise_up' if now > old else 'change_noise_down')}"
    text = say(c, "since_up" if now > old else "since_down", amount=c.gap(amount))
    text = f"{start} " + (say(c, "change_real", text=text) if real else _end(text))
    if indicator.better != "neither":
        good = (now > old) == (indicator.better == "higher")
        text += " " + c.t("txt_better" if good else "txt_worse")
    return text


def _target(c, indicator, own: float) -> str:
    """The target and the gap to it (for a share, in percentage points)."""
    target = round(c.target, fmt.digits(c.unit))
    gap = c.r(own - target)
    lead = _end(say(c, "target_is", target=c.show(target)))
    if gap == 0:
        return f"{lead} {say(c, 'target_exact', name=c.name)}"
    side = "above" if gap > 0 else "below"
    if indicator.better == "neither":
        return f"{lead} {_end(say(c, f'target_{side}', name=c.name, gap=fmt.difference(abs(gap), c.unit, c.lang)))}"
    reached = (gap > 0) == (indicator.better == "higher")
    if reached:
        return f"{lead} {_end(say(c, f'target_reached_{side}', name=c.name, gap=fmt.difference(abs(gap), c.unit, c.lang)))}"
    return f"{lead} {say(c, 'target_missing', gap=fmt.difference(abs(gap), c.unit, c.lang))}"


def _small(c, own: float, other: float) -> bool:
    """Is the gap under :data:`SMALL` of the reference? (Money, which has no model of random variation, and the words
    for a gap within that variation: :func:`noise_key`.)"""
    return other != 0 and abs(own - other) / abs(other) < SMALL


def versus_verdict(c, own: float, other: float) -> tuple[str, bool | None]:
    """How the own figure stands against another (the group's): ``same`` (as shown), ``noise`` (within the
    normal random variation), ``almost`` (money: a gap under :data:`SMALL`), ``higher`` or ``lower``; and the
    noise test's answer (``None`` without a model of random variation). The sentence and the tile both use it."""
    gap = c.r(own - other)
    real = compare.differs(c.unit, *c.own[c.latest], other, c.dispersion)
    if gap == 0 or (c.r(own) == c.r(other) and not real):  # the same as shown
        return "same", real
    if real is False:
        return "noise", real
    if real is None and _small(c, own, other):
        return "almost", real
    return ("higher" if gap > 0 else "lower"), real


def _versus(c, own: float, other: float, reference: str) -> str:
    """'<name> is at the same level as / 1.2 higher than <reference>', with the noise verdict."""
    said, real = versus_verdict(c, own, other)
    gap = c.r(own - other)
    if said == "same":
        return say(c, "versus_same", name=c.name, reference=reference)
    if said == "noise":  # "level with" only for a gap under 2 %; else the gap and its direction, then that it is within chance
        return say(c, noise_key("versus_noise", c, own, other, gap), name=c.name, gap=c.gap(gap), reference=reference)
    if said == "almost":
        return _end(say(c, "versus_almost", name=c.name, reference=reference, gap=c.gap(gap)))
    text = say(c, f"versus_{said}", name=c.name, gap=c.gap(gap), reference=reference)
    return say(c, "difference_real", text=text) if real else _end(text)


def _position(c) -> list[str]:
    """The places in the group and the country, and who shares the shown figure."""
    (pg, ng), (pn, nn) = c.rank_group, c.rank_nation
    out = [say(c, "position", name=c.name, group_place=pg, group_count=ng, country_place=pn, country_count=nn,
               quarter=say(c, f"quarter.{c.quartile}"))]
    if c.ties:
        key = "tie_exact" if all(exact for _, exact, _ in c.ties) else "tie_rounded"
        out.append(say(c, key, name=c.name, listed=_tied(c, c.ties), value=c.show(c.own_value[c.latest])))
    return out


def _tied(c, tied) -> str:
    """The tied municipalities by name; beyond four, the group's by name and the rest as a number."""
    if len(tied) <= 4:
        return fmt.join([name for name, _, _ in tied], c.lang)
    named = [name for name, _, in_group in tied if in_group]
    rest = len(tied) - len(named)
    return fmt.join([*named, say(c, "tie_others" if named else "tie_many", count=rest)], c.lang)


def national_verdict(c, own: float, national: float) -> tuple[str, bool | None]:
    """How the own figure stands against the country's: ``same`` (as shown); with a funnel its verdict
    (``inside_higher``, ``inside_lower``, ``above``, ``below``, ``far_above``, ``far_below``); else as
    :func:`versus_verdict` (``noise``, ``almost``, ``higher``, ``lower``) with the noise test's answer."""
    gap = c.r(own - national)
    if gap == 0 or c.r(own) == c.r(national):  # the same as shown
        return "same", None
    found = funnel.verdict(c)
    if found is not None:
        return (f"inside_{'higher' if gap > 0 else 'lower'}" if found[0] == "inside" else found[0]), None
    real = compare.differs(c.unit, *c.own[c.latest], national, c.dispersion)
    if real is False:
        return "noise", real
    if real is None and _small(c, own, national):
        return "almost", real
    return ("higher" if gap > 0 else "lower"), real


def _national(c, own: float, national: float) -> str:
    """The country's figure and where the municipality lies against it. With a funnel (a rate or a share of
    children), the funnel's verdict: within the normal variation between municipalities of its size, or beyond
    the inner (95 %) or outer (99.8 %) limit; otherwise the test against chance alone, or "almost the same".
    A gap between shares is in percentage points."""
    lead = say(c, funnel.national_key(c), value=c.show(national))
    gap = c.r(own - national)
    said, real = national_verdict(c, own, national)
    if said == "same":
        return say(c, "national_same", lead=lead, name=c.name)
    verdict = funnel.national_sentence(c, gap)
    if verdict is not None:
        return f"{_end(lead)} {verdict}"
    shown = fmt.difference(abs(gap), c.unit, c.lang)
    if said == "noise":
        return f"{_end(lead)} {say(c, noise_key('national_noise', c, own, national, gap), name=c.name, gap=shown)}"
    if said == "almost":
        return f"{_end(lead)} {_end(say(c, 'national_almost', name=c.name, gap=shown))}"
    text = say(c, f"national_{said}", name=c.name, gap=shown)
    return f"{_end(lead)} " + (say(c, "difference_real", text=text) if real else _end(text))


def tile_line(c) -> str:
    """Where the municipality stands in the latest year, for its front-page tile: its figure, and against the
    group and the country with the same verdicts as the sentences (:func:`versus_verdict`, :func:`national_verdict`)."""
    year = c.latest
    own, group, national = c.own_value[year], c.group_value[year], c.national_value[year]

    against_group = say(c, "tile.group." + tile_key(*versus_verdict(c, own, group), c, own, group), value=c.show(group))
    against_country = say(c, "tile.country." + tile_key(*national_verdict(c, own, national), c, own, national),
                          value=c.show(national))
    return say(c, "tile.line", year=year, own=c.show(own), group=against_group, country=against_country)


def table(c, indicator) -> dict:
    """Per year: own, group, country and the differences; caption names the unit."""
    heads = [say(c, "table_year"), c.name, say(c, "table_group"), say(c, "table_country"),
             say(c, "table_diff_group"), say(c, "table_diff_country")]
    rows = []
    for year in c.years:
        own, group, national = c.own_value[year], c.group_value[year], c.national_value[year]
        cells = [c.show(own), c.show(group), c.show(national),
                 c.gap(c.r(own - group), signed=True), c.gap(c.r(own - national), signed=True)]
        rows.append([str(year), *cells])
    label = fmt.unit_label(c.unit, c.lang)
    caption = indicator.title if label in indicator.title else say(c, "table_caption", title=indicator.title, unit=label)
    return {"caption": caption, "heads": heads, "rows": rows}


def summary(c) -> dict:
    """Target and position in the latest year, as label/value rows."""
    rows = []
    own = c.own_value[c.latest]
    for back in (1, 5):
        if c.latest - back in c.own_value:
            rows.append([say(c, "summary_change", first=c.latest - back, last=c.latest),
                         c.gap(c.r(own - c.own_value[c.latest - back]), signed=True)])
    if c.target is not None:
        target = round(c.target, fmt.digits(c.unit))
        rows += [[say(c, "summary_target"), c.show(target)], [say(c, "summary_target_gap"), c.gap(c.r(own - target), signed=True)]]
    (pg, ng), (pn, nn) = c.rank_group, c.rank_nation
    in_group = [tie for tie in c.ties if tie[2]]
    rows += [
        [say(c, "summary_group_place"), _place(c, pg, ng, in_group)],
        [say(c, "summary_country_place"), _place(c, pn, nn, c.ties)],
        [say(c, "summary_quarter"), say(c, "summary_quarter_value", quarter=say(c, f"quarter.{c.quartile}"))],
    ]
    if c.latest in c.source:  # the first sentence names the national source's own figure: the table has it too
        rows.append([say(c, "catalogue.summary_source", name=c.name, year=c.latest), c.show(c.source[c.latest])])
    rows += funnel.summary_rows(c)
    return {"caption": say(c, "summary_caption", year=c.latest), "heads": ["", ""], "rows": rows}


def _place(c, place: int, count: int, tied) -> str:
    if not tied:
        return say(c, "summary_place", place=place, count=count)
    return say(c, "summary_place_tied", place=place, count=count, listed=_tied(c, tied))


def direction(gap: float) -> str:
    return "higher" if gap > 0 else "lower"


def noise_key(key: str, c, own: float, other: float, gap: float) -> str:
    """The words for a gap within the normal random variation: "level with" (``key``) where it is also under
    :data:`SMALL` of the other figure (128.0 against 130.1), else the gap and its direction (``key_higher``): two
    figures 6.5 points apart are not level, whatever chance may have made of them."""
    return key if _small(c, own, other) else f"{key}_{direction(gap)}"


def tile_key(said: str, real: bool | None, c, own: float, other: float) -> str:
    """A verdict's words on the tile, as the sentences say it: within chance as :func:`noise_key` words it, and a gap
    the test against chance found larger than the normal random variation as such (``higher_real``), not in the
    words of one it could not test."""
    if said == "noise":
        return noise_key("noise", c, own, other, c.r(own - other))
    return f"{said}_real" if said in ("higher", "lower") and real else said
