"""Read Excel sheets (``.xlsx``), with or without a title row above the header."""

from __future__ import annotations

import pandas as pd

import lisite


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M") if getattr(value, "hour", 0) or getattr(value, "minute", 0) else value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return repr(value).replace(".", ",") if not value.is_integer() else str(int(value))
    return str(value).strip()


@lisite.hookimpl
def lisite_load_source(source, path, spec):
    if source.format not in ("", "xlsx", "excel") or (not source.format and path.suffix.lower() not in (".xlsx", ".xlsm")):
        return None
    sheet = source.sheet or 0
    grid = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    if source.header_row:
        header = source.header_row - 1
    else:  # the row that names most of the dataset's columns (as mapped), so title rows are skipped
        header = source.header_index([[_text(v) for v in grid.iloc[i]] for i in range(min(20, len(grid)))], spec)
    names = [_text(v) for v in grid.iloc[header]]
    body = grid.iloc[header + 1 :]
    frame = pd.DataFrame({name: [_text(v) for v in body[i]] for i, name in enumerate(names) if name})
    lines = [header + 2 + i for i in range(len(frame))]
    blank = (frame == "").all(axis=1).to_numpy()
    frame = frame[~blank].reset_index(drop=True)
    frame.attrs["lines"] = lisite.Lines(n for n, b in zip(lines, blank) if not b)
    if header > 0:
        frame.attrs["title"] = _text(grid.iloc[0, 0])
    return frame
