"""Numbers, periods and dates in the site's language: 1.234,5 and 12,3 % in Danish, 1,234.5 and 12.3% in English.

Separators and month names come from Babel (CLDR) for the language; the words
around a number (units, "procentpoint", quarters) come from the catalogue
(``locales/<lang>/engine.toml``: ``unit.*``, ``unit_value.*``, ``percentage_points``,
``period_quarter``).
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any
from functools import cache, lru_cache

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal

from lisite.i18n import Translator
from lisite.model import SHOWN_UNITS

LOCALES = {"da": "da_DK", "en": "en_GB"}
#: Month names per language, January first (lower case in Danish, as written mid-sentence).
MONTHS = {lang: list(get_month_names("wide", locale=locale).values()) for lang, locale in LOCALES.items()}
#: ``Indicator.frequency`` as written (Danish) → the catalogue's ``every.<key>``.
FREQUENCIES = {"dag": "day", "uge": "week", "måned": "month", "kvartal": "quarter", "år": "year"}


@cache
def words(lang: str) -> Translator:
    """lisite's own catalogue for ``lang`` (the words around numbers)."""
    return Translator(lang)


def digits(unit: str) -> int:
    """The decimals a value in ``unit`` is shown with."""
    return SHOWN_UNITS[unit].digits if unit in SHOWN_UNITS else 1


def number(value: float | None, digits: int = 0, lang: str = "da") -> str:
    """A number with the language's separators; '–' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round(float(value), digits)
    if rounded == 0:  # 0.0 and -0.0 are equal as keys, but may be written differently
        return _formatted(rounded, digits, lang)
    return _number(rounded, digits, lang)


@lru_cache(maxsize=65536)
def _number(rounded: float, digits: int, lang: str) -> str:
    """Babel's formatting is slow, and a site writes the same few thousand numbers many times."""
    return _formatted(rounded, digits, lang)


def _formatted(rounded: float, digits: int, lang: str) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(rounded, format=pattern, locale=LOCALES[lang])


#: Amounts in kroner from this size on are written in millions in text (``14,4 mio. kr.``).
MILLION = 1_000_000


def value(value: float | None, unit: str, lang: str = "da", exact: bool = False, extra: int = 0) -> str:
    """A value with its unit: ``12,3 %``, ``1.234 kr.``, ``45,2`` (per 1,000), ``177,5 mio. kr.``.

    In English: ``12.3%``, ``DKK 1,234``, ``45.2``, ``DKK 177.5 million``. An amount in kroner of a
    million or more reads in millions with one decimal (``14,4 mio. kr.``, not ``14.398.637 kr.``);
    ``exact=True`` keeps every krone, for table cells; ``extra`` adds decimals (see :func:`apart`).
    """
    if unit in ("kr", "kr_gns") and not exact and value is not None and not math.isnan(float(value)) and abs(float(value)) >= MILLION:
        unit = "mio_kr"
    if unit == "mio_kr" and value is not None:
        value = float(value) / 1_000_000
    text = number(value, digits(unit) + extra, lang)
    if text == "–":
        return text
    return words(lang).get(f"unit_value.{unit}", text, v=text)


def apart(low: float, high: float, unit: str, lang: str = "da") -> tuple[str, str]:
    """Two different values as written, with up to two more decimals where the unit's own would write them alike:
    a normal range of 9,6–10,5 employees is not "mellem 10 og 10" (which says that nothing else is normal)."""
    for extra in range(3):
        written = value(low, unit, lang, extra=extra), value(high, unit, lang, extra=extra)
        if written[0] != written[1] or low == high:
            break
    return written


#: The spaces inside a number with its unit, as a writer types them: "12,3 %", "1.234 kr.", "14,4 mio. kr.",
#: "2,5 procentpoint", "DKK 1,234".
UNIT_SPACE = re.compile(r"(?<=\d) (?=%|kr\.|mio\.|procentpoint|percentage points)|(?<=\bmio\.) (?=kr\.)|(?<=\bDKK) (?=\d)")


def glued(text: str) -> str:
    """``text`` with a no-break space inside each number with its unit, so a line never ends between ``12,3``
    and ``%`` (the catalogue writes the values lisite formats so already; this is for text a person wrote)."""
    return UNIT_SPACE.sub("\u00a0", text) if " " in text else text


def unit_label(unit: str, lang: str = "da") -> str:
    """The unit in words, for axis titles and captions: ``pr. 1.000 børn``, ``per 1,000 children``."""
    return words(lang).get(f"unit.{unit}", unit)


def period(text: str, lang: str = "da") -> str:
    """``2026-09`` → ``september 2026``; ``2026`` → ``2026``; ``2026K3`` → ``3. kvt. 2026`` (``Q3 2026``)."""
    if len(text) == 7 and text[4] == "-":
        return f"{MONTHS[lang][int(text[5:7]) - 1]} {text[:4]}"
    if len(text) == 6 and text[4] in "KQ":
        return words(lang)("period_quarter", quarter=text[5], year=text[:4])
    return text


def date(iso: str, lang: str = "da") -> str:
    """``2026-09-30`` → ``30. september 2026`` (``30 September 2026`` in English)."""
    year, month, day = (int(part) for part in iso[:10].split("-"))
    if lang == "da":
        return f"{day}. {MONTHS['da'][month - 1]} {year}"
    return f"{day} {MONTHS[lang][month - 1]} {year}"


def short_date(when: object, lang: str = "da") -> str:
    """A date in a table cell: ``30-09-2026`` in Danish, ``30/09/2026`` in English."""
    stamp = when.strftime("%Y-%m-%d") if hasattr(when, "strftime") else str(when)[:10]  # type: ignore[union-attr]
    year, month, day = stamp.split("-")
    return f"{day}-{month}-{year}" if lang == "da" else f"{day}/{month}/{year}"


def month_abbr(when: object, lang: str = "da") -> str:
    """The month of a date, abbreviated: ``sep. 2026`` (``Sept 2026`` in English)."""
    return format_date(_day(when), "MMM y", locale=LOCALES[lang])


def date_abbr(when: object, lang: str = "da") -> str:
    """A date with the month abbreviated: ``30. sep. 2026`` (``30 Sept 2026``)."""
    return format_date(_day(when), "medium", locale=LOCALES[lang])


def _day(when: object) -> datetime.date:
    stamp = when.strftime("%Y-%m-%d") if hasattr(when, "strftime") else str(when)[:10]  # type: ignore[union-attr]
    return datetime.date(*(int(part) for part in stamp.split("-")))


def frequency(text: str, lang: str = "da") -> str:
    """How often an indicator is counted, in words: ``måned`` → ``hver måned`` (``every month``).

    ``text`` is ``Indicator.frequency`` (``dag``, ``uge``, ``måned``, ``kvartal``, ``år``) or the
    catalogue's key for it (``day`` … ``year``); any other text is returned as it is.
    """
    return words(lang).get(f"every.{FREQUENCIES.get(text, text)}", text) or text


def markdown_table(frame: Any, right: tuple[str, ...] | list[str] = ()) -> str:
    """A Markdown table of ``frame``'s columns and rows, as the cells' text.

    Columns are left-aligned, those named in ``right`` (numbers) right-aligned. ``|`` in a cell is
    escaped and line breaks become spaces, so any text is safe in a cell. (The ``Table`` block instead
    right-aligns every column but the first and formats numbers; use this for tables of words.)
    """
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, frame.columns)) + " |",
             "|" + "|".join("--:" if c in right else ":--" for c in frame.columns) + "|"]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def difference(value: float | None, unit: str, lang: str = "da") -> str:
    """A difference between two values: percentages differ by percentage points."""
    if unit == "pct":
        text = number(value, 1, lang)
        return text if text == "–" else words(lang)("percentage_points", value=text)
    return globals()["value"](value, unit, lang)


def join(items: list[str], lang: str = "da") -> str:
    """``a, b og c`` (``a, b and c``)."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return words(lang)("list_and", items=", ".join(items[:-1]), last=items[-1])


def suppressed(min_count: int, lang: str = "da", small: bool = True) -> str:
    """The label of a hidden cell: ``under 5`` when its own count is small; ``skjult`` (hidden) when it is hidden
    so that a small count elsewhere cannot be worked out from it."""
    return words(lang)("suppressed_cell" if small else "suppressed_other", min=min_count)


class Formatter:
    """The functions above bound to one language (and an audience's ``min_count``): ``ctx.fmt`` for plugins."""

    def __init__(self, lang: str = "da", min_count: int = 1) -> None:
        self.lang = lang
        self.min_count = min_count

    def number(self, value: float | None, digits: int = 0) -> str:
        return number(value, digits, self.lang)

    def value(self, value_: float | None, unit: str, exact: bool = False) -> str:
        return value(value_, unit, self.lang, exact)

    def unit_label(self, unit: str) -> str:
        return unit_label(unit, self.lang)

    def period(self, text: str) -> str:
        return period(str(text), self.lang)

    def date(self, iso: str) -> str:
        return date(iso, self.lang)

    def date_abbr(self, when: object) -> str:
        return date_abbr(when, self.lang)

    def month_abbr(self, when: object) -> str:
        return month_abbr(when, self.lang)

    def frequency(self, text: str) -> str:
        return frequency(text, self.lang)

    def difference(self, value_: float | None, unit: str) -> str:
        return difference(value_, unit, self.lang)

    def hidden(self, small: bool = True) -> str:
        """The label of a hidden cell: "under N" for a small count, "skjult" for one hidden to protect another."""
        return suppressed(self.min_count, self.lang, small)

    def cell(self, row: Any, field: str, unit: str) -> str:
        """One field of a staged row, for a table cell: its value (every krone), or the hidden label when the row is suppressed."""
        if bool(row.get("suppressed", False)):
            return self.hidden(bool(row.get("small", True)))
        return self.value(row.get(field), unit, exact=True)
