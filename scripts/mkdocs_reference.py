"""A yardstick for lisite's build time: the demo's data published with MkDocs-Material and Altair, as an analyst
might do it by hand.

    python scripts/mkdocs_reference.py FOLDER [--pages 96] [--charts 2]
    cd FOLDER && python -m mkdocs build

The first command writes a MkDocs project into FOLDER: a copy of lisite's sample data, ``--pages`` pages of
Markdown besides a front page, and a hook that reads the data with pandas when the build starts and, on each page, makes ``--charts``
Altair charts from it (a monthly line and a bar per group), with a table of the monthly figures under the first.
The charts are drawn in the browser by vega-embed from lisite's own offline bundle, so the site, like lisite's,
asks for nothing outside. There is no search index of figures, no downloads, no suppression and no leak check:
lisite does all of that on top. The speed goals were set against such a site of 96 pages and 192 charts, measured
on the same machine as lisite's demo (``scripts/benchmark.py`` prints both).

Needs ``pip install mkdocs-material`` (not a dependency of lisite).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from itertools import cycle, islice
from pathlib import Path

HOOK = r'''
"""Altair charts from the sample data, made on every page by a MkDocs hook (``<!-- charts ... -->`` on the page)."""

import json
import re
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

DATA = Path(__file__).parent / "data"


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, sep=";", skiprows=1, dtype=str)


CASES = read("sager.csv")
MEASURES = read("ydelser.csv")
for frame, columns in ((CASES, ("oprettet", "afsluttet")), (MEASURES, ("startdato", "slutdato"))):
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], format="%d-%m-%Y", errors="coerce")
MEASURES = MEASURES.merge(CASES[["sags_id", "team", "omraade", "maalgruppe", "koen"]], on="sags_id", how="left")
MONTHS = pd.period_range("2024-01", "2026-09", freq="M")
TABLES = {"cases": (CASES, "oprettet", "afsluttet"), "measures": (MEASURES, "startdato", "slutdato")}
PLACE = re.compile(r"<!-- charts (\S+) (\S+) (\S+) (\S+) (\d+) -->")


def monthly(frame: pd.DataFrame, start: str, end: str, how: str) -> pd.Series:
    if how == "new":
        counts = frame[start].dt.to_period("M").value_counts()
        return counts.reindex(MONTHS, fill_value=0)
    days = np.array([month.to_timestamp(how="end") for month in MONTHS], dtype="datetime64[ns]")
    begun, ended = frame[start].to_numpy()[:, None], frame[end].to_numpy()[:, None]
    running = (begun <= days) & (np.isnat(ended) | (ended > days))  # rows × months, in one pass
    return pd.Series(running.sum(axis=0), index=MONTHS)


def embed(chart: alt.Chart, number: int) -> str:
    spec = json.dumps(chart.to_dict())
    return (f'<div id="chart-{number}" class="chart"></div>\n'
            f'<script>addEventListener("DOMContentLoaded", () => vegaEmbed("#chart-{number}", {spec}, {{"actions": false}}));</script>\n')


def on_page_markdown(markdown, page, config, files):
    found = PLACE.search(markdown)
    if not found:
        return markdown
    table, how, column, value, charts = found.groups()
    frame, start, end = TABLES[table]
    value = value.replace("_", " ")
    rows = frame[frame[column] == value]
    series = monthly(rows, start, end, how)
    said = {"new": "nye", "active": "aktive"}[how]
    line = pd.DataFrame({"Måned": [str(m) for m in series.index], "Antal": series.to_numpy()})
    parts = [embed(alt.Chart(line).mark_line(point=True).encode(x="Måned:T", y="Antal:Q", tooltip=["Måned", "Antal"])
                   .properties(width=640, title=f"{value}: {said} pr. måned"), 1)]
    parts.append("| Måned | Antal |\n|---|---:|\n" + "\n".join(f"| {m} | {n} |" for m, n in zip(line["Måned"], line["Antal"])) + "\n")
    others = [c for c in ("team", "omraade", "maalgruppe", "koen") if c != column]
    for number in range(2, int(charts) + 1):
        other = others[(number - 2) % len(others)]
        recent = rows[rows[start] >= MONTHS[-12].to_timestamp()]
        bars = recent.groupby(other).size().rename("Antal").reset_index()
        parts.append(embed(alt.Chart(bars).mark_bar().encode(y=alt.Y(f"{other}:N", sort="-x"), x="Antal:Q", tooltip=[other, "Antal"])
                           .properties(width=640, title=f"{value}: de seneste 12 måneder efter {other}"), number))
    return markdown.replace(found.group(0), "\n".join(parts))
'''

CONFIG = """site_name: Ledelsesinformation (MkDocs-reference)
theme:
  name: material
  language: da
hooks:
  - hooks.py
extra_javascript:
  - js/vega.js
plugins:
  - search
"""

SERIES = [("cases", "new", "Nye sager"), ("cases", "active", "Aktive sager"), ("measures", "new", "Nye indsatser"),
          ("measures", "active", "Aktive indsatser")]  # (table, count, title) of the pages, one per group


def groups(data: Path) -> list[tuple[str, str]]:
    """(column, value) of every team, area, target group and gender in the sample cases, in the order they appear."""
    import pandas as pd

    cases = pd.read_csv(data / "sager.csv", sep=";", skiprows=1, dtype=str)
    return [(column, value) for column in ("team", "omraade", "maalgruppe", "koen") for value in dict.fromkeys(cases[column].dropna())]


def make(folder: Path, pages: int = 96, charts: int = 2) -> Path:
    """Write the MkDocs project into ``folder`` (emptied first); returns it."""
    from lisite.resources import data_root
    from lisite.sampledata import generate

    if folder.exists():
        shutil.rmtree(folder)
    (folder / "docs" / "js").mkdir(parents=True)
    generate(folder / "data")  # the demo's sample data, as lisite's demo has it
    shutil.copy(data_root() / "themes" / "default" / "static" / "vega.js", folder / "docs" / "js" / "vega.js")
    (folder / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (folder / "hooks.py").write_text(HOOK.lstrip(), encoding="utf-8")
    combos = [(table, how, title, column, value) for (table, how, title) in SERIES for column, value in groups(folder / "data")]
    (folder / "docs" / "index.md").write_text("# Ledelsesinformation\n\nSider med tal fra sagssystemet (fiktive data).\n", encoding="utf-8")
    for number, (table, how, title, column, value) in enumerate(islice(cycle(combos), pages), start=1):
        slug = f"{number:03d}-{table}-{how}"
        text = (f"# {title}: {value}\n\n{title} pr. måned for {column} {value}, fra januar 2024 til september 2026.\n\n"
                f"<!-- charts {table} {how} {column} {value.replace(' ', '_')} {charts} -->\n")
        (folder / "docs" / f"{slug}.md").write_text(text, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=96, help="pages with charts, besides the front page (default 96)")
    parser.add_argument("--charts", type=int, default=2, help="charts on each page but the front page (default 2)")
    args = parser.parse_args(argv)
    make(args.folder, args.pages, args.charts)
    print(f"made {args.folder}: cd there and run python -m mkdocs build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
