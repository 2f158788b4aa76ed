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

import numpy as np
import pandas as pd

from lisite.model import DatasetSpec

WORDS = r"i\s*alt|total|subtotal|hovedtotal|sum\s+i\s+alt|grand\s+total"
#: "I alt", "Total:", "Sum", "Totalt", "Samlet", and a group's sum such as "I alt Team Nord" or "Total: 2025"
LABEL = re.compile(rf"(?:{WORDS}|sum|totalt|samlet)\s*:?|(?:{WORDS})\s*:?\s+\S.*", re.IGNORECASE)
#: Every character a label can begin with (the first letters of the words above, in any case: also the dotted and dotless
#: i and the long s, which the expression takes for i and s): a column of ids or dates is passed over without it
FIRST = frozenset("GHISTghist\u0130\u0131\u017f")


def summary_rows(raw: pd.DataFrame, spec: DatasetSpec, mapping: dict[str, str] | None = None) -> list[tuple[int, str, str]]:
    """(position, header, label) of each summary row in ``raw`` (a frame of text, in file order)."""
    choices = {header.casefold(): set(col.choices) for col in spec.columns if col.choices
               for header in ((mapping or {}).get(col.name, col.name),)}
    found = []
    pending = np.arange(len(raw))  # the rows whose first filled cell is still to be found, column by column
    for index, header in enumerate(str(c) for c in raw.columns):
        if not len(pending):
            break
        cells = raw.iloc[pending, index].fillna("").astype(str).to_numpy(dtype=object)
        codes, distinct = pd.factorize(cells)  # each distinct cell is stripped and matched once
        stripped = list(map(str.strip, distinct))
        allowed = choices.get(header.casefold(), ())
        hits = np.array([cell[:1] in FIRST and cell not in allowed and LABEL.fullmatch(cell) is not None for cell in stripped],
                        dtype=bool)[codes]
        found += [(int(position), header, stripped[code]) for position, code in zip(pending[hits], codes[hits])]
        pending = pending[np.array([not cell for cell in stripped], dtype=bool)[codes]]
    return sorted(found)
