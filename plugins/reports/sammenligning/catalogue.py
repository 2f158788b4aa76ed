"""What each benchmark figure counts: the catalogue ``content/sammenligninger/noegletal.toml``.

An indicator names a benchmark figure (``benchmark="anbragte"``); the catalogue says which column
holds its numerator, which column it is divided by, what the column counts (children with a
notification are not notifications), its unit and source, and whether it is a status on 31
December or a count over the year. The comparison reads the catalogue for the denominator and
shows the definition and source under every benchmark figure.

The file is text, not code, so a municipality can correct the words and add its own figures; it
lives under ``content/`` (English in ``content/en/``) and is read through ``ctx.content``, so a
site's own copy wins and a changed file rebuilds the pages that use it. A figure missing from the
catalogue is compared as before the catalogue existed: per 1,000 children aged 0-17, without words.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

import lisite
from lisite import fmt

FILE = "sammenligninger/noegletal.toml"
COUNTED = ("year", "status")
KINDS = ("count", "amount")
WORDS = ("definition", "counts", "source", "unit")


@dataclass(frozen=True)
class Entry:
    """One benchmark figure: numerator ``column`` (times ``scale``) over ``denominator`` (a column, or none)."""

    name: str
    column: str = ""
    definition: str = ""
    counts: str = ""
    source: str = ""
    unit: str = ""
    denominator: str = "boern_0_17"
    scale: float = 1.0
    counted: str = "year"
    kind: str = "count"

    def __post_init__(self) -> None:
        if not self.column:
            object.__setattr__(self, "column", self.name)

    @property
    def columns(self) -> list[str]:
        """The benchmark columns the figure needs."""
        return [self.column] + ([self.denominator] if self.denominator else [])


def problems(text: str) -> list[tuple[str, str]]:
    """(figure, what is wrong) for each entry that cannot be used; ("", message) for a file that is not TOML."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [("", str(exc))]
    known = {f.name for f in fields(Entry)} - {"name"}
    found = []
    for name, values in raw.items():
        if not isinstance(values, dict):
            found.append((name, "table"))
            continue
        found += [(name, key) for key in values if key not in known]
        if values.get("counted", "year") not in COUNTED:
            found.append((name, "counted"))
        if values.get("kind", "count") not in KINDS:
            found.append((name, "kind"))
        if not isinstance(values.get("scale", 1), (int, float)):
            found.append((name, "scale"))
        found += [(name, key) for key in ("column", "denominator", *WORDS) if not isinstance(values.get(key, ""), str)]
    return found


def parse(text: str) -> dict[str, Entry]:
    """The catalogue's entries by figure name (a file with problems is reported by the plugin's check)."""
    out = {}
    for name, values in tomllib.loads(text).items():
        values = {k: v for k, v in values.items() if k in {f.name for f in fields(Entry)}}
        out[name] = Entry(name=name, **{**values, "scale": float(values.get("scale", 1.0))})
    return out


def shipped(lang: str = "da") -> dict[str, Entry]:
    """lisite's own catalogue, for code that has no build context (tests, direct calls to ``figures.build``).

    The demo content sits beside the built-in plugins (``plugins/`` and ``content/`` share one folder,
    in a checkout and in the installed package alike)."""
    root = Path(__file__).resolve().parents[3] / "content"
    path = root / lang / FILE if lang != "da" and (root / lang / FILE).is_file() else root / FILE
    return parse(path.read_text(encoding="utf-8")) if path.is_file() else {}


def load(ctx) -> dict[str, Entry]:
    """The site's catalogue in its language (its own copy under ``content/`` wins over lisite's)."""
    text = ctx.content.get(FILE) if ctx.content else None
    return parse(text) if text else {}


def entry(entries: dict[str, Entry], name: str) -> Entry:
    """The catalogue's entry for a figure, or the old default: the column per 1,000 children aged 0-17."""
    return entries.get(name) or Entry(name=name)


def yearly(own_total: pd.DataFrame, found: Entry) -> pd.DataFrame:
    """The own figures by year. A monthly figure compared with a status on 31 December is its December
    figure; a monthly figure has no yearly figure to compare with a count over the year."""
    periods = own_total["period"].astype(str)
    if found.counted != "status" or periods.str.fullmatch(r"\d{4}").any():
        return own_total
    december = own_total[periods.str.fullmatch(r"\d{4}-12")].copy()
    december["period"] = december["period"].str[:4]
    return december


def about(c, origin: dict | None = None) -> str:
    """What the national figures are and where they come from, for the note under the comparison.

    ``origin`` is the benchmark's ``attrs["dst"]`` when the figures were computed from Danmarks Statistik's
    answers (``kind = "dst-benchmark"``): column -> the tables and their retrieval date. Then the recipe's
    own definition (catalogue ``dst.definition.<column>``) and the tables of the figure and its denominator,
    with the date they were fetched, are named instead of the catalogue file's words."""
    if c.entry is None:
        return ""
    mine = (origin or {}).get(c.entry.column)
    if mine:
        parts = [mine] + ([origin[c.entry.denominator]] if c.entry.denominator in origin else [])
        tables = list(dict.fromkeys(table for part in parts for table in part["tables"]))
        dates = sorted(part["retrieved"] for part in parts if part.get("retrieved"))
        source = c.t("dst.source", tables=fmt.join(tables, c.lang), date=fmt.date(dates[0], c.lang) if dates else "–")
        definition = c.t.get(f"dst.definition.{c.entry.column}", None) or c.entry.definition
        return c.t("sammenligning.catalogue.about", definition=definition, source=source)
    if not c.entry.definition:
        return ""
    return c.t("sammenligning.catalogue.about", definition=c.entry.definition, source=c.entry.source or "–")


def size_words(c, entries: dict[str, Entry]) -> str:
    """The funnel's x axis in words: what the figure's denominator counts (children aged 0-17, ...)."""
    below = entries.get(c.entry.denominator)
    return below.counts if below and below.counts else c.entry.denominator


def site_problems(config, t) -> list:
    """The site's own copies of the catalogue (Danish and English), checked: each invalid field is named."""
    found = []
    for rel in (FILE, f"en/{FILE}"):
        path = Path(config.content_dir) / rel
        if path.is_file():
            found += [lisite.Problem(t("sammenligning.catalogue.problem", figure=name, field=what) if name else
                                     t("sammenligning.catalogue.problem_toml", error=what), file=f"content/{rel}")
                      for name, what in problems(path.read_text(encoding="utf-8"))]
    return found
