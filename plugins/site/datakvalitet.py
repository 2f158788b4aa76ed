"""The data-quality page: what data the site is built on, and what is wrong or missing in it.

``om/datakvalitet.html`` (section "Om data") for the directors and the
managers. For each dataset: file, rows, the period its dates cover and when
it was extracted; the empty fields in columns that may be empty, with what an
empty field means; and the rule violations the checks found (``ctx.problems``).

No person or case id is shown: problem messages are written without ids, and
a value quoted from an identifying column is removed as a safeguard.
"""

from __future__ import annotations

import re
from pathlib import PureWindowsPath  # its .name splits on both / and \

import pandas as pd

import lisite
from lisite import fmt

LEVELS_SHOWN = lisite.MANAGERS
SHOWN_PROBLEMS = 20
QUOTED = re.compile(r"\s*\(fik '[^']*'\)|'[^']*'")
SHORT_MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")

#: What an empty field means in the standard data model (plugins/datasets.py); else the column's description.
EMPTY_MEANS = {
    ("sager", "afsluttet"): "Sagen er stadig åben.",
    ("sager", "handicaptype"): "Udfyldes kun for børn i målgruppen Handicap.",
    ("underretninger", "sags_id"): "Underretningen er ikke knyttet til en sag, fx fordi den ikke førte til en.",
    ("underretninger", "vurderet"):
        "Vurderingen er ikke registreret. Underretningen tæller som ikke vurderet inden for 24 timer.",
    ("undersoegelser", "afsluttet"): "Undersøgelsen er ikke afsluttet.",
    ("ydelser", "slutdato"): "Indsatsen er stadig i gang.",
    ("opfoelgninger", "udfoert"): "Opfølgningen er ikke udført.",
    ("opfoelgninger", "maalopfyldelse"): "Det er ikke vurderet, om målet blev nået.",
    ("ledelsestilsyn", "fund"): "Lederen havde ingen bemærkninger til sagen.",
    ("medarbejdere", "fratraadt"): "Medarbejderen er stadig ansat.",
    ("resultater", "skolefravaer_pct"): "Barnet går ikke i skole, eller fraværet er ikke registreret.",
    ("resultater", "trivsel"): "Barnet har ikke svaret på trivselsmålingen.",
    ("resultater", "ungdomsuddannelse"): "Udfyldes kun for 17-årige.",
    ("resultater", "sigtet"): "Udfyldes kun for 15-17-årige.",
    ("sagsbehandlerskift", "fra_sagsbehandler_id"): "Sagens første sagsbehandler.",
}


def markdown_table(frame: pd.DataFrame, right: tuple = ()) -> str:
    """A Markdown table: text columns left-aligned, the ``right`` (number) columns right-aligned."""
    cell = lambda value: str(value).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(map(cell, frame.columns)) + " |",
             "|" + "|".join("--:" if c in right else ":--" for c in frame.columns) + "|"]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


NBSP = "\u00a0"  # keeps "jan. 2024" on one line in a narrow column


def month(day) -> str:
    return f"{SHORT_MONTHS[day.month - 1]}{NBSP}{day.year}"


def short_date(iso: str) -> str:
    """"2026-09-30" → "30. sep. 2026"; other text as it is."""
    if not re.match(r"\d{4}-\d\d-\d\d", iso):
        return iso
    year, mon, day = (int(part) for part in iso[:10].split("-"))
    return f"{day}.{NBSP}{SHORT_MONTHS[mon - 1]}{NBSP}{year}"


def covered(dataset) -> str:
    """The period the dataset's dates cover, "jan. 2024 – sep. 2026", or its years, "2019–2026"."""
    frame, spec = dataset.frame, dataset.spec
    dates = [frame[c.name].dropna() for c in spec.columns if c.type in ("date", "datetime") and c.name in frame]
    dates = [d for d in dates if len(d)]
    if dates:
        return f"{month(min(d.min() for d in dates))}{NBSP}– {month(max(d.max() for d in dates))}"
    if "aar" in frame and frame["aar"].notna().any():
        return f"{int(frame['aar'].min())}–{int(frame['aar'].max())}"
    return ""


def problems_of(name: str, dataset, problems: list) -> list:
    return [p for p in problems if p.dataset == name or (not p.dataset and p.file and p.file == dataset.path)]


def counted(problems: list) -> str:
    """"Ingen", "1 fejl", "3 advarsler", "1 fejl, 2 advarsler"."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} fejl"] if errors else []
    if warnings:
        parts.append(f"{warnings} {'advarsel' if warnings == 1 else 'advarsler'}")
    return ", ".join(parts) or "Ingen"


def overview(datasets: dict, problems: list, lang: str = "da") -> pd.DataFrame:
    rows = []
    for name, ds in sorted(datasets.items(), key=lambda x: x[1].spec.title):
        rows.append({
            "Datasæt (fil)": f"{ds.spec.title} ({PureWindowsPath(ds.path).name})",
            "Rækker": fmt.number(len(ds.frame), 0, lang),
            "Periode": covered(ds),
            "Udtrukket": short_date(ds.extracted) or "Ikke oplyst",
            "Problemer": counted(problems_of(name, ds, problems)),
        })
    return pd.DataFrame(rows, columns=["Datasæt (fil)", "Rækker", "Periode", "Udtrukket", "Problemer"])


def empty_fields(datasets: dict, lang: str = "da") -> pd.DataFrame:
    """Columns that may be empty and are: how often, and what an empty field means."""
    rows = []
    for name, ds in sorted(datasets.items(), key=lambda x: x[1].spec.title):
        for col in ds.spec.columns:
            if col.required or col.name not in ds.frame or not len(ds.frame):
                continue
            empty = int(ds.frame[col.name].isna().sum())
            if empty:
                rows.append({"Datasæt": ds.spec.title, "Felt": col.name, "Tomme": fmt.number(empty, 0, lang),
                             "Andel": fmt.value(100.0 * empty / len(ds.frame), "pct", lang).replace(" ", NBSP),
                             "Et tomt felt betyder": EMPTY_MEANS.get((name, col.name), col.description)})
    return pd.DataFrame(rows, columns=["Datasæt", "Felt", "Tomme", "Andel", "Et tomt felt betyder"])


def safe_message(problem, datasets: dict) -> str:
    """The message, without any value quoted from a column that identifies a person or case."""
    ds = datasets.get(problem.dataset)
    columns = {c.name: c for c in ds.spec.columns} if ds is not None else {}
    if problem.column in columns and columns[problem.column].person_level:
        return QUOTED.sub("", problem.message)
    return problem.message


def problem_table(problems: list, datasets: dict) -> pd.DataFrame:
    """The first problems, errors first, in file order."""
    problems = sorted(problems, key=lambda p: (p.severity != "error", p.file, p.row or 0, p.column))
    rows = [{"Problem": safe_message(p, datasets), "Fil": PureWindowsPath(p.file).name, "Række": p.row or "",
             "Kolonne": p.column, "Alvor": "Fejl" if p.severity == "error" else "Advarsel"} for p in problems[:SHOWN_PROBLEMS]]
    return pd.DataFrame(rows, columns=["Problem", "Fil", "Række", "Kolonne", "Alvor"])


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS_SHOWN or not ctx.datasets:
        return []
    datasets, problems, lang = ctx.datasets, ctx.problems, ctx.config.language
    blocks = [
        lisite.Markdown(source="om/datakvalitet.md"),
        lisite.Markdown(text="## Datasæt\n\n" + markdown_table(overview(datasets, problems, lang), right=("Rækker",))
                        + "\n\nPerioden går fra den tidligste til den seneste dato i udtrækket. Datoer efter periodens "
                        "slutning er planlagte, fx den aftalte slutdato for en indsats eller fristen for en opfølgning."),
    ]
    empty = empty_fields(datasets, lang)
    text = "## Tomme felter\n\nFelter, der må være tomme, og hvor ofte de er det. Et tomt felt er ikke altid en fejl: " \
           "en sag uden slutdato er en sag, der stadig er åben.\n\n"
    text += markdown_table(empty, right=("Tomme", "Andel")) if len(empty) else "Der er ingen tomme felter."
    blocks.append(lisite.Markdown(text=text))
    if problems:
        count = "ét problem" if len(problems) == 1 else f"{len(problems)} problemer"
        more = f" Her er de første {SHOWN_PROBLEMS}." if len(problems) > SHOWN_PROBLEMS else ""
        text = f"## Fundne problemer\n\nKontrollen af data fandt {count}.{more}\n\n"
        blocks.append(lisite.Markdown(text=text + markdown_table(problem_table(problems, datasets), right=("Række",))))
    else:
        blocks.append(lisite.Markdown(text="## Fundne problemer\n\nKontrollen fandt ingen problemer i data."))
    return [lisite.Page("om/datakvalitet.html", "Datakvalitet", blocks, section="Om data", order=91)]
