"""Numbers, periods and dates in the site's language: 1.234,5 and 12,3 % in Danish."""

from __future__ import annotations

import math
from typing import Any

from babel.numbers import format_decimal

LOCALES = {"da": "da_DK", "en": "en_GB"}
MONTHS = {
    "da": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}
DIGITS = {"mio_kr": 1, "antal": 0, "pct": 1, "pr_1000": 1, "kr": 0, "kr_gns": 0, "gns": 1, "dage": 0}
SUFFIX = {"pct": " %", "kr": " kr.", "kr_gns": " kr.", "mio_kr": " mio. kr."}


def number(value: float | None, digits: int = 0, lang: str = "da") -> str:
    """A number with the language's separators; '–' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(round(float(value), digits), format=pattern, locale=LOCALES[lang])


def value(value: float | None, unit: str, lang: str = "da") -> str:
    """A value with its unit: ``12,3 %``, ``1.234 kr.``, ``45,2`` (per 1,000), ``177,5 mio. kr.``."""
    if unit == "mio_kr" and value is not None:
        value = float(value) / 1_000_000
    text = number(value, DIGITS.get(unit, 1), lang)
    if text == "–":
        return text
    if unit == "pct" and lang == "en":
        return text + "%"
    return text + SUFFIX.get(unit, "")


def unit_label(unit: str, lang: str = "da") -> str:
    labels = {
        "da": {"mio_kr": "mio. kr.", "antal": "antal", "pct": "procent", "pr_1000": "pr. 1.000 børn", "kr": "kr.", "kr_gns": "kr. i gennemsnit", "gns": "gennemsnit", "dage": "dage"},
        "en": {"mio_kr": "DKK million", "antal": "count", "pct": "per cent", "pr_1000": "per 1,000 children", "kr": "DKK", "kr_gns": "DKK on average", "gns": "average", "dage": "days"},
    }
    return labels[lang].get(unit, unit)


def period(text: str, lang: str = "da") -> str:
    """``2026-09`` → ``september 2026``; ``2026`` → ``2026``; ``2026K3`` → ``3. kvt. 2026``."""
    if len(text) == 7 and text[4] == "-":
        return f"{MONTHS[lang][int(text[5:7]) - 1]} {text[:4]}"
    if len(text) == 6 and text[4] in "KQ":
        return f"{text[5]}. kvt. {text[:4]}" if lang == "da" else f"Q{text[5]} {text[:4]}"
    return text


def date(iso: str, lang: str = "da") -> str:
    """``2026-09-30`` → ``30. september 2026`` (``30 September 2026`` in English)."""
    year, month, day = (int(part) for part in iso[:10].split("-"))
    if lang == "da":
        return f"{day}. {MONTHS['da'][month - 1]} {year}"
    return f"{day} {MONTHS['en'][month - 1]} {year}"


def difference(value: float | None, unit: str, lang: str = "da") -> str:
    """A difference between two values: percentages differ by percentage points."""
    if unit == "pct":
        text = number(value, 1, lang)
        return text if text == "–" else text + (" procentpoint" if lang == "da" else " percentage points")
    return globals()["value"](value, unit, lang)


class Formatter:
    """The functions above bound to one language (and an audience's ``min_count``): ``ctx.fmt`` for plugins."""

    def __init__(self, lang: str = "da", min_count: int = 1) -> None:
        self.lang = lang
        self.min_count = min_count

    def number(self, value: float | None, digits: int = 0) -> str:
        return number(value, digits, self.lang)

    def value(self, value_: float | None, unit: str) -> str:
        return value(value_, unit, self.lang)

    def unit_label(self, unit: str) -> str:
        return unit_label(unit, self.lang)

    def period(self, text: str) -> str:
        return period(str(text), self.lang)

    def date(self, iso: str) -> str:
        return date(iso, self.lang)

    def difference(self, value_: float | None, unit: str) -> str:
        return difference(value_, unit, self.lang)

    def hidden(self) -> str:
        """The label of a cell hidden because it is about too few children."""
        return f"under {self.min_count}"

    def cell(self, row: Any, field: str, unit: str) -> str:
        """One field of a staged row: its value, or the hidden label when the row is suppressed."""
        if bool(row.get("suppressed", False)):
            return self.hidden()
        return self.value(row.get(field), unit)
