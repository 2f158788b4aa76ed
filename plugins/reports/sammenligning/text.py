"""Danish sentences and the table for one comparison, from the rounded figures of a Comparison.

A change or a difference in a count or a rate is only called a rise, a fall
or a difference when it is larger than normal random variation (see
:mod:`lisite.compare`); otherwise the text says it is within it.
"""

from __future__ import annotations

from lisite import compare, fmt

NOISE = "forskellen er inden for de normale tilfældige udsving"
REAL = "forskellen er større end de normale tilfældige udsving"
SMALL = 0.02  # money has no model of random variation: a gap under 2 % is called "næsten det samme"

# How the level is said, per benchmark column; {v} is the formatted value.
PHRASES = {
    "anbragte": "{v} anbragte børn pr. 1.000 børn",
    "forebyggende": "{v} børn med forebyggende indsatser pr. 1.000 børn",
    "underretninger": "{v} underretninger pr. 1.000 børn",
    "udgift_1000kr": "en udgift på {v} pr. barn",
}
GROUP_NAMES = {
    "weighted": "sammenligningskommunerne under ét",
    "mean": "gennemsnittet af sammenligningskommunerne",
    "median": "medianen for sammenligningskommunerne",
}
NATIONAL_NAMES = {
    "weighted": "Landsgennemsnittet, vægtet efter antal børn,",
    "mean": "Gennemsnittet af kommunerne, hvor hver kommune tæller lige meget,",
    "median": "Medianen for landets kommuner (halvdelen ligger over, halvdelen under)",
}
QUARTERS = {1: "laveste", 2: "næstlaveste", 3: "næsthøjeste", 4: "højeste"}
BETTER = {
    "higher": "For dette tal er et højt tal bedst.",
    "lower": "For dette tal er et lavt tal bedst.",
    "neither": "For dette tal er hverken højt eller lavt i sig selv godt eller skidt: læs forbeholdene ved siden af.",
}
VARIABLES = {"socio_indeks": "socioøkonomisk indeks", "boern_0_17": "antal børn på 0-17 år"}


def variable_names(variables) -> str:
    names = [VARIABLES.get(v, v) for v in variables]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def group_sentence(c) -> str:
    """Who is in the group and how it was chosen."""
    table = c.group.table
    names = [n for code, n in zip(table["kommunekode"], table["kommune"]) if code != c.code]
    listed = ", ".join(names[:-1]) + " og " + names[-1] if len(names) > 1 else "".join(names)
    if c.group.chosen_by == "config":
        return f"Sammenligningskommunerne er {listed}. De er valgt af udvalget."
    return (f"Sammenligningskommunerne er {listed}: de kommuner, der i {c.group.year} lignede {c.name} mest "
            f"på {variable_names(c.group.variables)}.")


def sentences(c, indicator) -> list[str]:
    """Level, change since last year and over five years, target, group, country, position."""
    year = c.latest
    own = c.own_value[year]
    phrase = PHRASES.get(indicator.benchmark, indicator.title.lower() + " på {v}")
    out = [f"{c.name} havde {phrase.format(v=c.show(own))} i {year}."]
    if year - 1 in c.own_value:
        out.append(_change(c, indicator, year - 1, _end(f"I {year - 1} var tallet {c.show(c.own_value[year - 1])}")))
    if year - 5 in c.own_value:
        out.append(_change(c, indicator, year - 5, _end(f"For fem år siden, i {year - 5}, var tallet {c.show(c.own_value[year - 5])}")))
    elif len(c.years) > 1:
        out.append(f"Kommunens egne tal går kun tilbage til {c.years[0]}, så udviklingen over fem år kan ikke vises.")
    if c.target is not None:
        out.append(_target(c, indicator, own))
    group = c.group_value[year]
    out.append(_versus(c, own, group, f"{GROUP_NAMES[c.method]} ({c.show(group)})"))
    out.append(_national(c, own, c.national_value[year]))
    (pg, ng), (pn, nn) = c.rank_group, c.rank_nation
    out.append(f"Regnet fra det højeste tal ligger {c.name} nr. {pg} af {ng} i gruppen og nr. {pn} af {nn} i landet, "
               f"altså i den {QUARTERS[c.quartile]} fjerdedel af landets kommuner.")
    out.append(BETTER[indicator.better])
    return out


def _end(text: str) -> str:
    """Close a sentence without doubling the full stop after an abbreviation (kr.)."""
    return text if text.endswith(".") else text + "."


def _change(c, indicator, then: int, start: str) -> str:
    now, old = c.own_value[c.latest], c.own_value[then]
    if now == old:
        return f"{start} Det er det samme."
    real = compare.changed(c.unit, c.own[then], c.own[c.latest])
    if real is False:
        word = "en reel stigning" if now > old else "et reelt fald"
        return f"{start} Ændringen er inden for de normale tilfældige udsving, så det er ikke {word}."
    text = f"{start} Siden da er tallet {'steget' if now > old else 'faldet'} med {c.show(abs(now - old))}"
    text = text + ", og ændringen er større end de normale tilfældige udsving." if real else _end(text)
    if indicator.better != "neither":
        good = (now > old) == (indicator.better == "higher")
        text += " Det er en udvikling i den ønskede retning." if good else " Det er en udvikling i den forkerte retning."
    return text


def _target(c, indicator, own: float) -> str:
    target = round(c.target, fmt.DIGITS.get(c.unit, 1))
    gap = c.r(own - target)
    lead = _end(f"Målet er {c.show(target)}")
    if gap == 0:
        return f"{lead} {c.name} er præcis på målet."
    side = "over" if gap > 0 else "under"
    if indicator.better == "neither":
        return _end(f"{lead} {c.name} ligger {c.show(abs(gap))} {side} målet")
    reached = (gap > 0) == (indicator.better == "higher")
    if reached:
        return _end(f"{lead} Det er nået: {c.name} ligger {c.show(abs(gap))} {side} målet")
    return f"{lead} Der mangler {c.show(abs(gap))}, før det er nået."


def _small(c, own: float, other: float) -> bool:
    """For figures without a model of random variation (money): is the gap under SMALL of the reference?"""
    return other != 0 and abs(own - other) / abs(other) < SMALL


def _versus(c, own: float, other: float, reference: str) -> str:
    """'<name> ligger på niveau med / 1,2 højere end <reference>', with the noise verdict."""
    gap = c.r(own - other)
    real = compare.differs(c.unit, *c.own[c.latest], other)
    if gap == 0:
        return f"{c.name} ligger på samme niveau som {reference}."
    if real is False:
        return f"{c.name} ligger på niveau med {reference}: {NOISE}."
    if real is None and _small(c, own, other):
        return _end(f"{c.name} ligger næsten på samme niveau som {reference}: forskellen er {c.show(abs(gap))}")
    how = f"{c.show(abs(gap))} {'højere' if gap > 0 else 'lavere'} end"
    return f"{c.name} ligger {how} {reference}" + (f", og {REAL}." if real else ".")


def _national(c, own: float, national: float) -> str:
    lead = f"{NATIONAL_NAMES[c.method]} er {c.show(national)}"
    gap = c.r(own - national)
    real = compare.differs(c.unit, *c.own[c.latest], national)
    if gap == 0:
        return f"{lead}, det samme som i {c.name}."
    if real is False:
        return f"{_end(lead)} {c.name} ligger på niveau med landet: {NOISE}."
    if real is None and _small(c, own, national):
        return _end(f"{_end(lead)} {c.name} ligger næsten på samme niveau: forskellen er {c.show(abs(gap))}")
    side = "højere" if gap > 0 else "lavere"
    return f"{_end(lead)} {c.name} ligger {c.show(abs(gap))} {side}" + (f", og {REAL}." if real else ".")


def table(c, indicator) -> dict:
    """Per year: own, group, country and the differences; caption names the unit."""
    heads = ["År", c.name, "Sammen\u00adlignings\u00adkommunerne", "Hele landet", "Forskel til gruppen", "Forskel til landet"]
    rows = []
    for year in c.years:
        own, group, national = c.own_value[year], c.group_value[year], c.national_value[year]
        cells = [c.show(own), c.show(group), c.show(national),
                 c.show(c.r(own - group), signed=True), c.show(c.r(own - national), signed=True)]
        rows.append([str(year), *(cell.replace(" ", "\u00a0") for cell in cells)])  # keep "12.087 kr." on one line
    label = fmt.unit_label(c.unit)
    caption = indicator.title if label in indicator.title else f"{indicator.title} ({label})"
    return {"caption": caption, "heads": heads, "rows": rows}


def summary(c) -> dict:
    """Target and position in the latest year, as label/value rows."""
    rows = []
    own = c.own_value[c.latest]
    for back in (1, 5):
        if c.latest - back in c.own_value:
            rows.append([f"Ændring fra {c.latest - back} til {c.latest}", c.show(c.r(own - c.own_value[c.latest - back]), signed=True)])
    if c.target is not None:
        target = round(c.target, fmt.DIGITS.get(c.unit, 1))
        rows += [["Mål", c.show(target)], ["Forskel til målet", c.show(c.r(own - target), signed=True)]]
    (pg, ng), (pn, nn) = c.rank_group, c.rank_nation
    rows += [
        ["Placering i gruppen (nr. 1 har det højeste tal)", f"{pg} af {ng}"],
        ["Placering i landet (nr. 1 har det højeste tal)", f"{pn} af {nn}"],
        ["Fjerdedel af landets kommuner", f"den {QUARTERS[c.quartile]}"],
    ]
    return {"caption": f"Udvikling, mål og placering i {c.latest}", "heads": ["", ""], "rows": rows}
