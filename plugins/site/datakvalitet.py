"""The data-quality page: what data the site is built on, and what is wrong or missing in it.

``om/datakvalitet.html`` (section "Om data") for the managers' levels
(``lisite.MANAGERS``). For each dataset: file, rows, the period its dates cover
and when it was extracted; the empty fields in columns that may be empty, with
what an empty field means; and the rule violations the checks found (``ctx.problems``).

What an empty field means is the catalogue's ``datakvalitet.empty.<dataset>.<column>``
(a site may add its own), else the column's description. Every other word comes
from the catalogue too (``locales/<lang>/datakvalitet.toml``).

No person or case id is shown: problem messages are written without ids, and
a value quoted from an identifying column is removed as a safeguard.
"""

from __future__ import annotations

import re
from pathlib import PureWindowsPath  # its .name splits on both / and \

import pandas as pd

import lisite
from lisite.fmt import markdown_table

LEVELS_SHOWN = lisite.MANAGERS
SHOWN_PROBLEMS = 20
QUOTED = re.compile(r"\s*\(\w+ '[^']*'\)|'[^']*'")  # "(fik 'S-999')" / "(got 'S-999')", or a bare 'S-999'
NBSP = "\u00a0"  # keeps "jan. 2024" on one line in a narrow column


def short_date(iso: str, ctx) -> str:
    """"2026-09-30" → "30. sep. 2026"; other text as it is."""
    return ctx.fmt.date_abbr(iso).replace(" ", NBSP) if re.match(r"\d{4}-\d\d-\d\d", iso) else iso


def covered(dataset, ctx) -> str:
    """The period the dataset's dates cover, "jan. 2024 – sep. 2026", or its years, "2019–2026"."""
    frame, spec = dataset.frame, dataset.spec
    dates = [frame[c.name].dropna() for c in spec.columns if c.type in ("date", "datetime") and c.name in frame]
    dates = [d for d in dates if len(d)]
    if dates:
        first, last = (ctx.fmt.month_abbr(day).replace(" ", NBSP) for day in
                       (min(d.min() for d in dates), max(d.max() for d in dates)))
        return f"{first}{NBSP}– {last}"
    if "aar" in frame and frame["aar"].notna().any():
        return f"{int(frame['aar'].min())}–{int(frame['aar'].max())}"
    return ""


def problems_of(name: str, dataset, problems: list) -> list:
    return [p for p in problems if p.dataset == name or (not p.dataset and p.file and p.file == dataset.path)]


def counted(problems: list, t) -> str:
    """"Ingen", "1 fejl", "3 advarsler", "1 fejl, 2 advarsler"."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    parts = [t("datakvalitet.error_one" if errors == 1 else "datakvalitet.errors", n=errors)] if errors else []
    if warnings:
        parts.append(t("datakvalitet.warning_one" if warnings == 1 else "datakvalitet.warnings", n=warnings))
    return ", ".join(parts) or t("datakvalitet.none")


def overview(datasets: dict, problems: list, ctx) -> pd.DataFrame:
    t = ctx.t
    rows = []
    for name, ds in sorted(datasets.items(), key=lambda x: x[1].spec.title):
        rows.append((
            t("datakvalitet.dataset_file", title=ds.spec.title, file=PureWindowsPath(ds.path).name),
            ctx.fmt.number(len(ds.frame), 0),
            facts(name, ctx)[0],
            short_date(ds.extracted, ctx) or t("datakvalitet.not_stated"),
            counted(problems_of(name, ds, problems), t),
        ))
    return pd.DataFrame(rows, columns=[t(f"datakvalitet.col.{c}") for c in ("dataset_file", "rows", "period", "extracted", "problems")])


def empty_fields(datasets: dict, ctx) -> pd.DataFrame:
    """Columns that may be empty and are: how often, and what an empty field means."""
    t, rows = ctx.t, []
    for name, ds in sorted(datasets.items(), key=lambda x: x[1].spec.title):
        rows += facts(name, ctx)[1]
    return pd.DataFrame(rows, columns=[t(f"datakvalitet.col.{c}") for c in ("dataset", "field", "empty", "share", "means")])


def facts(name: str, ctx) -> tuple[str, list[tuple]]:
    """One dataset's period covered and its empty fields' rows, kept while that dataset is the same: after an edit of
    one data file under ``lisite serve`` only its own are worked out again (each is a pass over every cell of a column)."""
    def make() -> tuple[str, list[tuple]]:
        ds, t, rows = ctx.datasets[name], ctx.t, []
        for col in ds.spec.columns:
            if col.required or col.name not in ds.frame or not len(ds.frame):
                continue
            empty = int(ds.frame[col.name].isna().sum())
            if empty:
                share = ctx.fmt.value(100.0 * empty / len(ds.frame), "pct").replace(" ", NBSP)
                means = t.get(f"datakvalitet.empty.{name}.{col.name}", col.description)
                rows.append((ds.spec.title, col.name, ctx.fmt.number(empty, 0), share, means))
        return covered(ds, ctx), rows

    return ctx.kept(("datakvalitet.facts", name), make)


def safe_message(problem, datasets: dict) -> str:
    """The message, without any value quoted from a column that identifies a person or case."""
    ds = datasets.get(problem.dataset)
    columns = {c.name: c for c in ds.spec.columns} if ds is not None else {}
    if problem.column in columns and columns[problem.column].person_level:
        return QUOTED.sub("", problem.message)
    return problem.message


def problem_table(problems: list, datasets: dict, ctx) -> pd.DataFrame:
    """The first problems, errors first, in file order."""
    t = ctx.t
    problems = sorted(problems, key=lambda p: (p.severity != "error", p.file, p.row or 0, p.column))
    rows = [(safe_message(p, datasets), PureWindowsPath(p.file).name, p.row or "", p.column,
             t("datakvalitet.error" if p.severity == "error" else "datakvalitet.warning")) for p in problems[:SHOWN_PROBLEMS]]
    return pd.DataFrame(rows, columns=[t(f"datakvalitet.col.{c}") for c in ("problem", "file", "row", "column", "severity")])


def right(ctx, *columns: str) -> tuple:
    """The headings of number columns, right-aligned in the Markdown tables."""
    return tuple(ctx.t(f"datakvalitet.col.{c}") for c in columns)


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS_SHOWN or not ctx.datasets:
        return []
    # the same for every audience it is shown to: made once a build (again when a dataset or a problem changed)
    blocks = ctx.memo(("datakvalitet.blocks",), lambda: page_blocks(ctx))
    return [lisite.Page("om/datakvalitet.html", ctx.t("datakvalitet.page_title"), list(blocks), section=ctx.t("section.about_data"), order=91)]


def page_blocks(ctx) -> list:
    datasets, problems, t = ctx.datasets, ctx.problems, ctx.t
    table = markdown_table(overview(datasets, problems, ctx), right=right(ctx, "rows"))
    blocks = [
        lisite.Markdown(source="om/datakvalitet.md"),
        lisite.Markdown(text=f"## {t('datakvalitet.datasets_heading')}\n\n{table}\n\n{t('datakvalitet.period_note')}"),
    ]
    empty = empty_fields(datasets, ctx)
    body = markdown_table(empty, right=right(ctx, "empty", "share")) if len(empty) else t("datakvalitet.no_empty")
    blocks.append(lisite.Markdown(text=f"## {t('datakvalitet.empty_heading')}\n\n{t('datakvalitet.empty_text')}\n\n{body}"))
    heading = "## " + t("datakvalitet.problems_heading")
    if problems:
        count = t("datakvalitet.problem_one") if len(problems) == 1 else t("datakvalitet.problems", n=len(problems))
        more = " " + t("datakvalitet.first", n=SHOWN_PROBLEMS) if len(problems) > SHOWN_PROBLEMS else ""
        table = markdown_table(problem_table(problems, datasets, ctx), right=right(ctx, "row"))
        blocks.append(lisite.Markdown(text=f"{heading}\n\n{t('datakvalitet.found', count=count)}{more}\n\n{table}"))
    else:
        blocks.append(lisite.Markdown(text=f"{heading}\n\n{t('datakvalitet.found_none')}"))
    return blocks
