"""Read a dataset with an SQL query from an SQLite database file.

``[sources.sager] path = "data/fagsystem.sqlite"`` and
``query = "SELECT ... FROM sager"``. Columns are named as in the spec, or mapped
with ``[sources.<name>.columns]`` like any other source.
"""

from __future__ import annotations

import sqlite3

import pandas as pd

import lisite


@lisite.hookimpl
def lisite_load_source(source, path, spec):
    if source.format not in ("sql", "sqlite") and not (not source.format and source.query):
        return None
    if not source.query:
        raise ValueError("en SQL-kilde skal have en query")
    uri = f"file:{path}?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        frame = pd.read_sql_query(source.query, conn)
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    frame.attrs["lines"] = lisite.Lines(range(1, len(frame) + 1))
    return frame
