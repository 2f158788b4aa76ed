"""Numbers as exports write them: ``1234,5``, ``1.234,50``, ``1,234.50``, ``1234.5``, ``1 234,5``, ``-1.234``.

A value is read by the form it has, and most forms say their decimal mark themselves: ``1.234,50`` and
``12,5`` have a decimal comma, ``1,234.50`` and ``12.5`` a decimal point, ``1.234.567`` thousands
points. Only a value with one mark followed by exactly three digits (``1.234``, ``1,234``) reads two
ways, 1234 or 1.234. Such a value takes the decimal mark the rest of its column shows; when the column
shows none, the source's (``decimal`` in ``[sources.<name>]``, else the loader's hint: a comma for the
Danish exports, a point in a comma-separated file). When a column shows both marks, such a value is
reported as ambiguous and not read: a figure a committee reads must not rest on a guess.
"""

from __future__ import annotations

import re
from itertools import repeat

import numpy as np
import pandas as pd

SPACES = r"[\s\u00a0\u202f']"  # thousands written with (no-break) spaces or apostrophes
COMMA = r"[-+]?(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,\d+)?"  # 1.234,5 · 1234,5 · 1.234.567
POINT = r"[-+]?(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d+)?"  # 1,234.5 · 1234.5 · 1,234,567
SCIENTIFIC = r"[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d+"  # 1.5E+04, as Excel writes a very large or small number


def read_numbers(text: pd.Series, decimal: str = ",") -> tuple[pd.Series, pd.Series, pd.Series]:
    """Read a column of text as numbers.

    Returns the values (float, NaN where empty or not read), a mask of values that are no number and a
    mask of values that read two ways in a column that shows both decimal marks (see the module).
    The text is examined in one pass of plain string operations per step (a column of ``str`` cells is
    slow to walk through pandas' string methods); the numbers are read by :func:`pandas.to_numeric`.
    """
    strings = text.fillna("").astype(str)
    kind, index = strings.dtype, text.index
    cells = list(map(str.replace, map(_SPACES.sub, repeat(""), strings.to_numpy(dtype=object)), repeat("\u2212"), repeat("-")))

    def matching(pattern: re.Pattern) -> np.ndarray:
        return np.array([found is not None for found in map(pattern.fullmatch, cells)], dtype=bool)

    def read(mask: np.ndarray, *swaps: tuple[str, str]) -> np.ndarray:
        """The cells where ``mask`` as numbers (NaN elsewhere), each ``(old, new)`` of ``swaps`` replaced in turn."""
        edited = iter(cells)
        for old, new in swaps:
            edited = map(str.replace, edited, repeat(old), repeat(new))
        numbers = pd.to_numeric(pd.Series(list(edited), dtype=kind).where(mask), errors="coerce")
        return numbers.to_numpy(dtype=float, na_value=np.nan)

    comma, point = matching(_COMMA), matching(_POINT)
    as_comma, as_point = read(comma, (".", ""), (",", ".")), read(point, (",", ""))
    two_ways = comma & point & (as_comma != as_point)
    shows_comma, shows_point = bool((comma & ~point).any()), bool((point & ~comma).any())
    mark = "," if shows_comma and not shows_point else "." if shows_point and not shows_comma else decimal or ","
    values = np.where(comma & ~point, as_comma, np.where(point & ~comma, as_point, np.where(comma & point & ~two_ways, as_comma, np.nan)))
    if not (shows_comma and shows_point):
        values = np.where(two_ways, as_comma if mark == "," else as_point, values)
    scientific = matching(_SCIENTIFIC)
    if scientific.any():
        values = np.where(scientific, read(scientific, (",", ".")), values)
    ambiguous = two_ways & shows_comma & shows_point
    bad = np.isnan(values) & np.array([cell != "" for cell in cells], dtype=bool) & ~ambiguous
    return pd.Series(values, index=index, dtype=float), pd.Series(bad, index=index), pd.Series(ambiguous, index=index)


_SPACES, _COMMA, _POINT, _SCIENTIFIC = (re.compile(pattern) for pattern in (SPACES, COMMA, POINT, SCIENTIFIC))
