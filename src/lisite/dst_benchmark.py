"""The benchmark recipe: the 98 municipalities' key figures, computed from stored StatBank answers.

``[sources.benchmark] kind = "dst-benchmark"`` and ``years = [...]`` make the ``benchmark`` dataset
(the columns ``content/sammenligninger/noegletal.toml`` describes) from the tables below. ``lisite
fetch`` stores their answers; a build reads only those. Every number is a sum of cells of the stored
answers; nothing is estimated, and a figure DST withholds (``..``) or does not publish leaves the
municipality's figure missing for that year.

The pitfalls of the tables (see ``shared/INDICATORS.md``) handled here:

- *Totals are coded differently per table*: "all ages" is ``IALT`` in FOLK1A, ``00`` in UND1/UND2
  (where ``0`` means "0 years old"), ``0`` in ANBAAR9; "both sexes" is ``TOT`` in FOLK1A and ``0`` in
  UND1. Each figure names its own table's total codes (``fixed`` below) and keeps only those rows.
- *Groupings must not be mixed*: an area variable selected with ``*`` also holds the country
  (``0``/``000``), regions (``081``-``085``), unknown municipality (``998``) and Christiansø (``411``).
  Only the 98 municipalities' codes are kept; one area code appearing twice is an error.
- *Breaks in series*: the foster-family types changed in 2024 (ANBAAR12 codes 21/22 before, 23/24/25
  from 2024), so "in family care" sums the codes valid in each year; functions 5.28.20-5.28.25 are
  summed, which spans the 2016 split of 5.28.20.
- *Missing is missing*: a sum with a withheld or absent part is missing, never a smaller number.

⚠ The variable codes follow the StatBank metadata as mirrored in INDICATORS.md; ``lisite fetch``
checks each against the table's ``tableinfo`` and names the real codes when one is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from lisite import dst
from lisite.sampledata.kommuner import KOMMUNER

CODES = {str(k.code) for k in KOMMUNER}  # the 98 municipalities (Christiansø, 411, is not one)
FAMILY_CARE_BEFORE_2024 = ("1", "21", "22")  # netværkspleje, almindelig and kommunal plejefamilie
FAMILY_CARE_FROM_2024 = ("1", "23", "24", "25", "26")  # netværkspleje, almen, forstærket, specialiseret, § 76 a
SPECIAL_NEEDS = tuple(f"528{n}" for n in range(20, 26))  # functions 5.28.20-5.28.25


@dataclass(frozen=True)
class Figure:
    """One benchmark column: which stored answer, which cells, summed over ``over`` codes (if any)."""

    column: str
    table: str  # a key of :func:`queries`
    area: str  # the variable holding the municipality code
    fixed: tuple[tuple[str, str], ...]  # variable -> the one code kept (the table's own total codes)
    over: str = ""
    codes: Callable[[int], tuple[str, ...]] = lambda year: ()
    shift: int = 0  # the period's year minus the benchmark year (FOLK1A: 1 January of the next year)


def _ages(year: int) -> tuple[str, ...]:
    return tuple(str(a) for a in range(18))


def _family_care(year: int) -> tuple[str, ...]:
    return FAMILY_CARE_FROM_2024 if year >= 2024 else FAMILY_CARE_BEFORE_2024


UND = (("ALDER1", "00"), ("KØN", "0"))
ACCOUNTS = (("DRANST", "1"), ("ART", "TOT"), ("PRISENHED", "LOBM"))
FIGURES = (
    Figure("boern_0_17", "FOLK1A", "OMRÅDE", (("KØN", "TOT"), ("CIVILSTAND", "TOT")), "ALDER", _ages, shift=1),
    Figure("underretninger", "UND1", "ADMKOM", (("UNDERRETERE", "0"), *UND)),
    Figure("boern_med_underretning", "UND2", "ADMKOM", (("UNDERRET", "0"), *UND)),
    Figure("anbragte", "ANBAAR9", "ADMKOM", (("ALERAMS", "0"),)),
    Figure("anbragte_familiepleje", "ANBAAR12", "ADMKOM", (), "ANBRINGELSE", _family_care),
    Figure("anbragte_uden_samtykke", "ANBAAR13", "ADMKOM", (("FORAN", "102"),)),
    Figure("forebyggende", "ISBU02", "KOMMUNEDK", (("INDSATSER", "2"),)),
    Figure("udgift_1000kr", "REGK31", "OMRÅDE", ACCOUNTS, "FUNKTION", lambda year: SPECIAL_NEEDS),
    Figure("udgift_forebyggende_1000kr", "REGK31", "OMRÅDE", ACCOUNTS, "FUNKTION", lambda year: ("52821",)),
    Figure("udgift_indsatser_1000kr", "REGK31", "OMRÅDE", ACCOUNTS, "FUNKTION", lambda year: SPECIAL_NEEDS[:4]),
)


def queries(years: tuple[int, ...]) -> dict[str, dst.Query]:
    """The StatBank queries the recipe needs for ``years``, by table."""
    years = tuple(sorted(years))
    plain = tuple(str(y) for y in years)
    und = (("ADMKOM", ("*",)), ("ALDER1", ("00",)), ("KØN", ("0",)), ("Tid", plain))
    return {
        "FOLK1A": dst.Query("FOLK1A", (("OMRÅDE", ("*",)), ("KØN", ("TOT",)), ("ALDER", _ages(0)), ("CIVILSTAND", ("TOT",)),
                                       ("Tid", tuple(f"{y + 1}K1" for y in years)))),
        "UND1": dst.Query("UND1", (("ADMKOM", ("*",)), ("UNDERRETERE", ("0",)), *und[1:])),
        "UND2": dst.Query("UND2", (("ADMKOM", ("*",)), ("UNDERRET", ("0",)), *und[1:])),
        "ANBAAR9": dst.Query("ANBAAR9", (("ADMKOM", ("*",)), ("ALERAMS", ("0",)), ("Tid", plain))),
        "ANBAAR12": dst.Query("ANBAAR12", (("ADMKOM", ("*",)), ("ANBRINGELSE", ("*",)), ("Tid", plain))),
        "ANBAAR13": dst.Query("ANBAAR13", (("ADMKOM", ("*",)), ("FORAN", ("0", "102")), ("Tid", plain))),
        "ISBU02": dst.Query("ISBU02", (("KOMMUNEDK", ("*",)), ("INDSATSER", ("2",)), ("Tid", plain))),
        "REGK31": dst.Query("REGK31", (("OMRÅDE", ("*",)), ("FUNKTION", SPECIAL_NEEDS), ("DRANST", ("1",)), ("ART", ("TOT",)),
                                       ("PRISENHED", ("LOBM",)), ("Tid", plain))),
    }


def figure(frame: pd.DataFrame, spec: Figure) -> pd.Series:
    """One figure per (kommunekode, aar) from a stored answer: the cells of the 98 municipalities with the
    table's own total codes, summed over ``spec.over``; missing when any part is withheld or absent."""
    frame = frame.rename(columns=str.upper)
    keep = pd.Series(True, index=frame.index)
    for variable, code in spec.fixed:
        keep &= frame[variable.upper()].str.strip() == code
    frame = frame[keep & frame[spec.area.upper()].str.strip().str.lstrip("0").isin(CODES)]
    years = frame["TID"].str[:4].astype(int) - spec.shift
    parts = frame[spec.over.upper()].str.strip() if spec.over else pd.Series("", index=frame.index)
    wanted = pd.Series([part in spec.codes(year) if spec.over else True for part, year in zip(parts, years)], index=frame.index)
    cells = pd.DataFrame({"kommunekode": frame[spec.area.upper()].astype(int), "aar": years, "part": parts,
                          "value": dst.numbers(frame[dst.VALUE])})[wanted]
    twice = cells.duplicated(["kommunekode", "aar", "part"])
    if twice.any():
        row = cells[twice].iloc[0]
        raise ValueError(f"{spec.table}: kommune {row['kommunekode']} står to gange for {row['aar']} "
                         f"(blandede grupperinger i {spec.area}?)")

    def total(group: pd.DataFrame) -> float:
        expected = len(spec.codes(int(group.name[1]))) if spec.over else 1
        return float(group["value"].sum()) if len(group) == expected and group["value"].notna().all() else float("nan")

    if cells.empty:
        return pd.Series(dtype=float)
    return cells.groupby(["kommunekode", "aar"])[["value"]].apply(total)


def build(source, site_dir: Path) -> pd.DataFrame:
    """The benchmark frame (text cells, as a loader returns them) with ``attrs["dst"]``: per column the
    tables it was computed from and their retrieval dates."""
    asked = queries(source.years)
    stored = {table: dst.read(site_dir, query, source.name) for table, query in asked.items()}
    grid = pd.MultiIndex.from_product([[k.code for k in KOMMUNER], sorted(source.years)], names=["kommunekode", "aar"])
    out = pd.DataFrame(index=grid)
    provenance = {}
    for spec in FIGURES:
        out[spec.column] = figure(stored[spec.table].frame, spec).reindex(grid)
        provenance[spec.column] = {"tables": [spec.table], "retrieved": stored[spec.table].retrieved}
    if source.socio_indeks:
        out["socio_indeks"] = _socio(Path(site_dir) / source.socio_indeks).reindex(grid)
    out = out.reset_index()
    names = {k.code: (k.name, k.region) for k in KOMMUNER}
    out.insert(1, "kommune", [names[c][0] for c in out["kommunekode"]])
    out.insert(2, "region", [names[c][1] for c in out["kommunekode"]])
    text = out.astype(object).map(_text)
    text.attrs["dst"] = provenance
    text.attrs["extracted"] = min(s.retrieved for s in stored.values())
    return text


def _socio(path: Path) -> pd.Series:
    """The socio-economic index (not in the StatBank): ``kommunekode;aar;socio_indeks`` in the site folder."""
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    index = pd.MultiIndex.from_arrays([frame["kommunekode"].astype(int), frame["aar"].astype(int)], names=["kommunekode", "aar"])
    return pd.Series(dst.numbers(frame["socio_indeks"]).to_numpy(), index=index)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):  # sums of decimals: no binary noise (98635.29999999999)
        value = round(value, 6)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
