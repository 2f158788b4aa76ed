"""Read CSV exports: semicolon or comma separated, decimal comma, a title line above the header.

The header is the line among the first 20 that names most of the dataset's
columns (as mapped in ``[sources.<name>.columns]``, case ignored), so a title
line such as ``Udtræk fra sagssystemet ...`` above it is skipped without
configuration. Set ``header_row`` in ``[sources.<name>]`` to override.
"""

from __future__ import annotations

import io

import pandas as pd

import lisite


@lisite.hookimpl
def lisite_load_source(source, path, spec):
    if source.format not in ("", "csv") or (not source.format and path.suffix.lower() not in (".csv", ".txt")):
        return None
    try:
        text = path.read_text(encoding=source.encoding)
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")  # older Windows exports
    lines = text.splitlines()
    header = source.header_row - 1 if source.header_row else source.header_index([line.split(source.sep) for line in lines[:20]], spec)
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
