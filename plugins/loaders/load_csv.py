"""Read CSV exports: semicolon or comma separated, decimal comma, a title line above the header.

The header is the first line that names the dataset's first column, so a
title line such as ``Udtræk fra sagssystemet ...`` above it is skipped
without configuration. Set ``header_row`` in ``[sources.<name>]`` to override.
"""

from __future__ import annotations

import io

import pandas as pd

import lisite


def find_header(lines: list[str], first_column: str, sep: str) -> int:
    """The 0-based index of the header line: the first that names ``first_column``."""
    for i, line in enumerate(lines[:20]):
        if first_column in [cell.strip().strip('"') for cell in line.split(sep)]:
            return i
    return 0


@lisite.hookimpl
def lisite_load_source(source, path, spec):
    if source.format not in ("", "csv") or (not source.format and path.suffix.lower() not in (".csv", ".txt")):
        return None
    try:
        text = path.read_text(encoding=source.encoding)
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")  # older Windows exports
    lines = text.splitlines()
    header = source.header_row - 1 if source.header_row else find_header(lines, spec.columns[0].name, source.sep)
    frame = pd.read_csv(
        io.StringIO("\n".join(lines[header:])),
        sep=source.sep,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    numbers = pd.Series(range(header + 2, header + 2 + len(frame)))
    blank = (frame == "").all(axis=1).to_numpy()
    frame = frame[~blank].reset_index(drop=True)
    frame.attrs["lines"] = lisite.Lines(numbers[~blank].tolist())
    if header > 0:
        frame.attrs["title"] = lines[0].strip()
    return frame
