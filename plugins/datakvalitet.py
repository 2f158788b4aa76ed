"""The data-quality page: what data the site is built on, and what is wrong or missing in it.

``om/datakvalitet.html`` (section "Om data") for the directors and the
managers. For each dataset: file, rows, the period its dates cover and when
it was extracted; the empty fields in columns that may be empty; and the
rule violations the checks found (``ctx.problems``). No person or case id
is shown: problem messages are written without ids, and a value quoted from
an identifying column is removed as a safeguard.
"""

from __future__ import annotations

import re

import pandas as pd

import lisite

AUDIENCES = ("direktion", "ledere")
SHOWN_PROBLEMS = 20
QUOTED = re.compile(r"\s*\(fik '[^']*'\)|'[^']*'")


def covered(dataset) -> str:
    """The period the dataset's dates cover, "01-01-2024 – 30-09-2026", or its years, "2019–2026"."""
    frame, spec = dataset.frame, dataset.spec
    dates = [frame[c.name].dropna() for c in spec.columns if c.type in ("date", "datetime") and c.name in frame]
    dates = [d for d in dates if len(d)]
    if dates:
        first, last = min(d.min() for d in dates), max(d.max() for d in dates)
        return f"{first:%d-%m-%Y} – {last:%d-%m-%Y}"
    if "aar" in frame and frame["aar"].notna().any():
        return f"{int(frame['aar'].min())}–{int(frame['aar'].max())}"
    return ""


def problems_of(name: str, dataset, problems: list) -> list:
    return [p for p in problems if p.dataset == name or (not p.dataset and p.file and p.file == dataset.path)]


def overview(datasets: dict, problems: list) -> pd.DataFrame:
    rows = []
    for name, ds in sorted(datasets.items(), key=lambda x: x[1].spec.title):
        found = problems_of(name, ds, problems)
        rows.append({
            "Datasæt": ds.spec.title,
            "Fil": ds.path,
            "Rækker": len(ds.frame),
            "Periode": covered(ds),
            "Udtrukket": ds.extracted or "Ikke oplyst",
            "Fejl": sum(p.severity == "error" for p in found),
            "Advarsler": sum(p.severity == "warning" for p in found),
        })
    return pd.DataFrame(rows, columns=["Datasæt", "Fil", "Rækker", "Periode", "Udtrukket", "Fejl", "Advarsler"])


def empty_fields(datasets: dict) -> pd.DataFrame:
    """Columns that may be empty and are, with how often and what the column holds."""
    rows = []
    for ds in sorted(datasets.values(), key=lambda d: d.spec.title):
        for col in ds.spec.columns:
            if col.required or col.name not in ds.frame or not len(ds.frame):
                continue
            empty = int(ds.frame[col.name].isna().sum())
            if empty:
                rows.append({"Datasæt": ds.spec.title, "Kolonne": col.name, "Indhold": col.description,
                             "Tomme felter": empty, "Andel": 100.0 * empty / len(ds.frame)})
    return pd.DataFrame(rows, columns=["Datasæt", "Kolonne", "Indhold", "Tomme felter", "Andel"])


def safe_message(problem, datasets: dict) -> str:
    """The message, without any value quoted from a column that identifies a person or case."""
    ds = datasets.get(problem.dataset)
    if ds is not None and problem.column:
        try:
            if ds.spec.column(problem.column).person_level:
                return QUOTED.sub("", problem.message)
        except KeyError:
            pass
    return problem.message


def problem_table(problems: list, datasets: dict) -> pd.DataFrame:
    """The first problems, errors first, in file order. Row numbers as text, so 1234 is not written 1.234."""
    problems = sorted(problems, key=lambda p: (p.severity != "error", p.file, p.row or 0, p.column))
    rows = [{"Fil": p.file, "Række": str(p.row) if p.row else "", "Kolonne": p.column, "Alvor": "Fejl" if p.severity == "error" else "Advarsel",
             "Problem": safe_message(p, datasets)} for p in problems[:SHOWN_PROBLEMS]]
    return pd.DataFrame(rows, columns=["Fil", "Række", "Kolonne", "Alvor", "Problem"])


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.id not in AUDIENCES or not ctx.datasets:
        return []
    datasets, problems = ctx.datasets, ctx.problems
    blocks = [
        lisite.Markdown(source="om/datakvalitet.md"),
        lisite.Markdown(text="## Datasæt"),
        lisite.Table(overview(datasets, problems), caption="Datasæt, som sitet er bygget på"),
    ]
    empty = empty_fields(datasets)
    blocks.append(lisite.Markdown(text="## Tomme felter\n\nFelter, der må være tomme. Et tomt felt er ikke altid en fejl: "
                                       "en sag uden slutdato er en sag, der stadig er åben."))
    if len(empty):
        blocks.append(lisite.Table(empty, caption="Tomme felter pr. kolonne", formats={"Andel": "pct"}))
    else:
        blocks.append(lisite.Markdown(text="Der er ingen tomme felter."))
    blocks.append(lisite.Markdown(text="## Fundne problemer"))
    if problems:
        count = "ét problem" if len(problems) == 1 else f"{len(problems)} problemer"
        more = f" Her er de første {SHOWN_PROBLEMS}." if len(problems) > SHOWN_PROBLEMS else ""
        blocks.append(lisite.Markdown(text=f"Kontrollen af data fandt {count}.{more}"))
        blocks.append(lisite.Table(problem_table(problems, datasets), caption="Problemer med fil, række og kolonne"))
    else:
        blocks.append(lisite.Markdown(text="Kontrollen fandt ingen problemer i data."))
    return [lisite.Page("om/datakvalitet.html", "Datakvalitet", blocks, section="Om data", order=91)]
