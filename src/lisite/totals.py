"""Summary rows in exports: "I alt", "Total", "Sum" under the rows they add up.

A case system's or spreadsheet's export often ends with a row that adds up the rows above it, or has
one under each group ("I alt Team Nord"). Counted as data, such a row doubles every sum. It is
recognised by its label, the first filled cell of the row, and left out; the engine reports each one
as a warning naming the file and line, so nothing leaves the data unseen.

Only sources whose loader marks the frame as an export (``attrs["export"]``: the CSV and Excel
loaders) are searched: a statistics table or a database query may hold "I alt" as a category.
A label in a column whose allowed values include it (``Column(choices=...)``) is data, not a sum.
"""

from __future__ import annotations

import re

import pandas as pd

from lisite.model import DatasetSpec

WORDS = r"i\s*alt|total|subtotal|hovedtotal|sum\s+i\s+alt|grand\s+total"
#: "I alt", "Total:", "Sum", "Totalt", "Samlet", and a group's sum such as "I alt Team Nord" or "Total: 2025"
LABEL = re.compile(rf"(?:{WORDS}|sum|totalt|samlet)\s*:?|(?:{WORDS})\s*:?\s+\S.*", re.IGNORECASE)


def summary_rows(raw: pd.DataFrame, spec: DatasetSpec, mapping: dict[str, str] | None = None) -> list[tuple[int, str, str]]:
    """(position, header, label) of each summary row in ``raw`` (a frame of text, in file order)."""
    choices = {header.casefold(): set(col.choices) for col in spec.columns if col.choices
               for header in ((mapping or {}).get(col.name, col.name),)}
    found = []
    values = raw.fillna("").astype(str).to_numpy()
    headers = [str(c) for c in raw.columns]
    for position, row in enumerate(values):
        for header, cell in zip(headers, row):
            cell = cell.strip()
            if not cell:
                continue
            if LABEL.fullmatch(cell) and cell not in choices.get(header.casefold(), ()):
                found.append((position, header, cell))
            break
    return found
