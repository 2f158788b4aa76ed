"""Load every configured source and check it against its dataset spec.

Loader plugins return text; this module turns text into typed columns and
reports each bad value with file, line, column and what was expected. All
problems are collected before anything stops, so a user sees them at once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from lisite.config import CONFIG_FILE, Config
from lisite.errors import PluginError
from lisite.model import Dataset, DatasetSpec, Lines, Problem

MAX_PER_COLUMN = 20  # bad values reported one by one per column; the rest are counted
TRUE = {"ja", "j", "1", "true", "sand", "x", "yes", "y"}
FALSE = {"nej", "n", "0", "false", "falsk", "no"}
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
DATETIME_FORMATS = ("%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S")
EXPECTED = {
    "int": "et heltal (fx 2024)",
    "float": "et tal (fx 1234,5)",
    "date": "en dato (fx 31-03-2024 eller 2024-03-31)",
    "datetime": "et tidspunkt (fx 31-03-2024 14:05)",
    "bool": "Ja eller Nej",
}


@dataclass
class LoadResult:
    """Typed datasets and every problem found while loading them."""

    datasets: dict[str, Dataset] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: ds.frame for name, ds in self.datasets.items()}


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_all(config: Config, specs: list[DatasetSpec], hook: Any, cache: dict | None = None) -> LoadResult:
    """Load each declared dataset from its source. ``cache`` maps content keys to results."""
    result = LoadResult()
    by_name = {spec.name: spec for spec in specs}
    for name in config.sources:
        if name not in by_name:
            result.problems.append(
                Problem(f"[sources.{name}] passer ikke til noget datasæt. Kendte datasæt: {', '.join(sorted(by_name))}.", file=CONFIG_FILE)
            )
    for spec in specs:
        source = config.sources.get(spec.name)
        if source is None:
            if spec.required:
                result.problems.append(
                    Problem(f"datasættet '{spec.name}' ({spec.title}) mangler: tilføj [sources.{spec.name}] med path.", file=CONFIG_FILE)
                )
            continue
        path = (config.site_dir / source.path).resolve() if source.path else config.site_dir
        if source.path and not path.is_file():
            result.problems.append(Problem(f"filen findes ikke ({path}).", file=source.path, dataset=spec.name))
            continue
        key = (spec, source, file_hash(path) if source.path else source.query)
        if cache is not None and key in cache:
            dataset, problems = cache[key]
        else:
            dataset, problems = _load_one(spec, source, path, hook)
            if cache is not None:
                cache[key] = (dataset, problems)
        result.problems.extend(problems)
        if dataset is not None:
            result.datasets[spec.name] = dataset
    return result


def _load_one(spec: DatasetSpec, source: Any, path: Path, hook: Any) -> tuple[Dataset | None, list[Problem]]:
    label = source.path or f"sources.{spec.name}"
    try:
        raw = hook(source=source, path=path, spec=spec)
    except Exception as exc:  # a loader's error names the file
        return None, [Problem(f"kunne ikke læses: {exc}", file=label, dataset=spec.name)]
    if raw is None:
        return None, [Problem(f"intet plugin kan læse formatet '{source.format or path.suffix}'.", file=label, dataset=spec.name)]
    frame, problems = convert(raw, spec, label)
    digest = file_hash(path) if source.path else hashlib.sha256(source.query.encode()).hexdigest()
    extracted = source.extracted or raw.attrs.get("extracted", "") or date_in(raw.attrs.get("title", ""))
    dataset = Dataset(spec, frame, label, digest, extracted)
    return dataset, problems


def date_in(text: str) -> str:
    """The first date in a title line such as 'Udtræk ... pr. 30-09-2026', as ``YYYY-MM-DD``."""
    found = re.search(r"\b(\d{2})[-.](\d{2})[-.](\d{4})\b", text or "")
    if found:
        return f"{found.group(3)}-{found.group(2)}-{found.group(1)}"
    found = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text or "")
    return found.group(0) if found else ""


def convert(raw: pd.DataFrame, spec: DatasetSpec, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn a frame of strings into typed columns; report every value that does not fit."""
    lines = Lines(raw.attrs.get("lines") or range(2, len(raw) + 2))
    problems: list[Problem] = []
    missing = [col.name for col in spec.columns if col.required and col.name not in raw.columns]
    if missing:
        found = ", ".join(map(str, raw.columns))
        problems.append(
            Problem(f"mangler kolonne(r) {', '.join(missing)}. Fundet: {found}.", file=label, column=missing[0], dataset=spec.name)
        )
        return pd.DataFrame(), problems
    out = pd.DataFrame(index=range(len(raw)))
    for col in spec.columns:
        if col.name not in raw.columns:  # an optional column the export does not have: empty
            out[col.name] = _parse(pd.Series("", index=out.index), col.type)[0]
            continue
        text = raw[col.name].fillna("").astype(str).str.strip().reset_index(drop=True)
        empty = text == ""
        values, bad = _parse(text, col.type)
        bad &= ~empty
        if col.required and empty.any():
            problems += _report(label, spec.name, col.name, lines, empty, text, "mangler en værdi (feltet må ikke være tomt)")
        if bad.any():
            problems += _report(label, spec.name, col.name, lines, bad, text, f"forventede {EXPECTED[col.type]}")
        if col.choices:
            wrong = ~empty & ~text.isin(col.choices)
            if wrong.any():
                allowed = ", ".join(col.choices)
                problems += _report(label, spec.name, col.name, lines, wrong, text, f"forventede en af: {allowed}")
        out[col.name] = values
    for extra in raw.columns:
        if extra not in out.columns:
            out[extra] = raw[extra].reset_index(drop=True)
    out.attrs["lines"] = lines
    out.attrs["file"] = label
    return out, problems


def _parse(text: pd.Series, typ: str) -> tuple[pd.Series, pd.Series]:
    """Parse a column of text. Returns (values, mask of values that failed to parse)."""
    if typ == "str":
        return text.where(text != "", None), pd.Series(False, index=text.index)
    if typ in ("int", "float"):
        cleaned = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        has_comma = cleaned.str.contains(",", regex=False)
        cleaned = cleaned.where(~has_comma, cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
        numbers = pd.to_numeric(cleaned.where(cleaned != "", None), errors="coerce")
        bad = numbers.isna() & (cleaned != "")
        if typ == "int":
            fractional = numbers.notna() & (numbers % 1 != 0)
            bad |= fractional
            return numbers.where(~bad).astype("Int64"), bad
        return numbers.astype(float), bad
    if typ in ("date", "datetime"):
        formats = DATE_FORMATS if typ == "date" else DATETIME_FORMATS + DATE_FORMATS
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        for fmt in formats:
            todo = parsed.isna() & (text != "")
            if not todo.any():
                break
            parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        return parsed, parsed.isna() & (text != "")
    if typ == "bool":
        low = text.str.lower()
        values = pd.Series(pd.NA, index=text.index, dtype="boolean")
        values[low.isin(TRUE)] = True
        values[low.isin(FALSE)] = False
        return values, values.isna() & (text != "")
    raise ValueError(f"unknown column type {typ!r}")


def _report(label: str, dataset: str, column: str, lines: list[int], mask: pd.Series, text: pd.Series, what: str) -> list[Problem]:
    rows = list(mask[mask].index)
    problems = []
    for i in rows[:MAX_PER_COLUMN]:
        got = f" (fik '{text[i]}')" if text[i] else ""
        problems.append(Problem(f"{what}{got}", file=label, row=lines[i], column=column, dataset=dataset))
    if len(rows) > MAX_PER_COLUMN:
        problems.append(
            Problem(f"... og {len(rows) - MAX_PER_COLUMN} rækker mere med samme fejl", file=label, column=column, dataset=dataset)
        )
    return problems


def prepare(result: LoadResult, specs: list[DatasetSpec], hook: Any, config: Config) -> None:
    """Call ``lisite_prepare`` and put the frames it returns in place of (or beside) the loaded ones.

    A replaced dataset keeps its file, hash and row numbers (``attrs``) and records a hash of the new
    frame in ``prepared``, so caches keyed by the input data see a change of derived columns too.
    """
    answers = [found for found in hook(data=result.frames, config=config) if found]
    names = [name for found in answers for name in found]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise PluginError(f"lisite_prepare: flere plugins returnerede datasættet {', '.join(twice)}; kun ét må afløse det.")
    by_name = {spec.name: spec for spec in specs}
    for found in answers:
        for name, frame in found.items():
            old = result.datasets.get(name)
            frame.attrs = {**(old.frame.attrs if old is not None else {}), **frame.attrs}
            digest = hashlib.sha256("\0".join(map(str, frame.columns)).encode())
            try:
                digest.update(pd.util.hash_pandas_object(frame).to_numpy().tobytes())
            except TypeError:  # unhashable cells (lists, dicts): their text
                digest.update(frame.to_csv().encode())
            if old is None:
                old = Dataset(by_name.get(name) or DatasetSpec(name, name, ()), frame, "")
            result.datasets[name] = replace(old, frame=frame, prepared=digest.hexdigest())
