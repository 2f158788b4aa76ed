"""``lisite check``: every problem in the site's configuration and data, in one run; writes nothing.

Type errors, the rules datasets declare, the checks across datasets and the
plugins' own ``lisite_validate`` checks all run, whatever the others found:
the plugins' checks see the datasets that could be loaded, without the rows
that had an error. Then the configuration of plugins: a ``[plugin.X]`` table
for a plugin that is not there, and an indicator id in such a table that no
plugin registers (a typo would otherwise silently drop a figure).

The problems are worded in the site's language, from the catalogue
(``locales/<lang>/problems.toml``; a site's own ``locales/`` may reword them).
"""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from lisite import fmt, pictures
from lisite.config import CONFIG_FILE, Config, load_config
from lisite.data import load_all, name_headers, prepare
from lisite.errors import LisiteError, PluginError
from lisite.fmt import words
from lisite.i18n import Translator
from lisite.model import Indicator, Problem, in_language
from lisite.plugins import PluginManager, make_plugin_manager
from lisite.textcolumns import python_strings
from lisite.wording import closest, file_lines, rows_by_value, rows_text

#: A string in a [plugin.X] list that looks like an indicator id ("theme.name"), not a file name.
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
FILE_SUFFIXES = {"csv", "xlsx", "xlsm", "md", "html", "toml", "json", "txt", "py", "sqlite", "db", "png", "svg"}
ORDER = {"error": 0, "warning": 1}


@python_strings
def check(site_dir: Path | str) -> list[Problem]:
    """Every problem in the site's configuration and data, errors first, in file order."""
    try:
        config = load_config(site_dir)
        pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths, lang=config.language)
        t = Translator(config.language, [*pm.folders("locales"), config.site_dir / "locales"])  # as the build's
    except LisiteError as exc:  # without a readable configuration nothing else can be checked
        return [Problem(exc.format_message())]
    try:
        t = Translator(config.language, [*pm.folders("locales"), config.site_dir / "locales"])
    except LisiteError as exc:  # a site's catalogue file that is not valid TOML: lisite's own words
        t = words(config.language)
        problems = [Problem(exc.format_message())]
    else:
        problems = []
    ids = indicator_ids(pm, config, problems, t)
    problems += plugin_settings_problems(config, pm, ids, t) + indicator_text_problems(config, ids, t)
    problems += pictures.problems(config.content_dir, config.language, t)  # a build would stop on one shown
    if config.pdf_audience and config.pdf_audience not in config.audiences:  # (the build does not need it: not an error)
        problems.append(Problem(t("problems.pdf_audience_unknown", audience=config.pdf_audience,
                                  audiences=", ".join(config.audiences)), file=CONFIG_FILE, severity="warning"))
    specs = []
    for name in pm.implementers("lisite_datasets"):
        try:
            specs += pm.call_one("lisite_datasets", name, config=config) or []
        except Exception as exc:
            problems.append(_plugin_failed(name, "lisite_datasets", exc, t))
    loaded = load_all(config, specs, pm.hook.lisite_load_source, t=t)
    problems += loaded.problems
    problems += indicator_column_problems(loaded.datasets, ids, t)
    prepare(loaded, specs, pm.hook.lisite_prepare, config)
    found = validate(pm, config, loaded.usable_frames(), t)
    name_headers(found, loaded.datasets)
    problems += found
    in_language(problems, t.lang)
    return sorted(problems, key=lambda p: (ORDER.get(p.severity, 0), *p.place()))


def validate(pm: PluginManager, config: Config, frames: dict[str, Any], t: Translator | None = None) -> list[Problem]:
    """Each plugin's ``lisite_validate`` on the usable data; a plugin that fails is a problem naming it."""
    t = t if t is not None else words(config.language)
    problems: list[Problem] = []
    for name in pm.implementers("lisite_validate"):
        try:
            problems += pm.call_one("lisite_validate", name, data=frames, config=config, t=t) or []
        except Exception as exc:
            problems.append(_plugin_failed(name, "lisite_validate", exc, t))
    return problems


def indicator_ids(pm: PluginManager, config: Config, problems: list[Problem], t: Translator | None = None) -> dict[str, Indicator]:
    """Every registered indicator by its id (a plugin that fails to register adds a problem)."""
    t = t if t is not None else words(config.language)
    found: dict[str, Indicator] = {}
    for name in pm.implementers("lisite_indicators"):
        try:
            found.update((indicator.id, indicator) for indicator in pm.call_one("lisite_indicators", name, config=config) or [])
        except Exception as exc:
            problems.append(_plugin_failed(name, "lisite_indicators", exc, t))
    return found


def plugin_settings_problems(config: Config, pm: PluginManager, ids: Iterable[str], t: Translator | None = None) -> list[Problem]:
    """``[plugin.X]`` tables for plugins that are not active, and indicator ids in them that no plugin registers."""
    t = t if t is not None else words(config.language)
    problems: list[Problem] = []
    active, ids = sorted(pm.infos), set(ids)
    for name, settings in config.plugin_settings.items():
        if name in config.disabled_plugins:
            problems.append(Problem(t("problems.plugin_disabled", name=name), file=CONFIG_FILE, severity="warning"))
            continue
        if name not in active:
            maybe = closest(name, active)
            hint = t("problems.plugin_maybe", close=maybe) if maybe else t("problems.plugin_see_list")
            problems.append(Problem(t("problems.plugin_unknown", name=name, hint=hint), file=CONFIG_FILE))
            continue
        for key, values in _lists(settings, f"plugin.{name}"):
            if not all(isinstance(v, str) and INDICATOR_ID.match(v) and v.rsplit(".", 1)[1] not in FILE_SUFFIXES for v in values):
                continue  # not a list of indicator ids
            for value in values:
                if value not in ids:
                    hint = _id_hint(value, ids, t)
                    problems.append(Problem(t("problems.indicator_unknown", setting=key, value=value, hint=hint), file=CONFIG_FILE))
    return in_language(problems, t.lang)


def indicator_column_problems(datasets: dict[str, Any], indicators: Mapping[str, Indicator], t: Translator) -> list[Problem]:
    """Values of a column of indicator ids (``Column.indicator``: a goal's indicator) that no plugin registers: the row
    would silently not be shown. One warning per value, naming its rows and the id it most likely means. And figures
    in the unit of the row's indicator (``Column.indicator_value``: a goal, a baseline) that it can never have: a share
    of children (unit ``pct``, counting children) below 0 or above 100 (a goal of 250 where 25,0 was meant)."""
    problems: list[Problem] = []
    ids = set(indicators)
    shares = {i for i, indicator in indicators.items() if indicator.unit == "pct" and indicator.counts}  # 0–100 %, always
    for name, ds in sorted(datasets.items()):
        frame, lines = ds.frame, file_lines(ds.frame)
        header = frame.attrs.get("headers", {}).get
        for col in ds.spec.columns:
            if not col.indicator or col.name not in frame.columns:
                continue
            values = frame[col.name]
            unknown = values.notna() & ~values.isin(ids)
            for value, rows in rows_by_value(values[unknown], lines).items():
                hint = _id_hint(str(value), ids, t)
                problems.append(Problem(t("problems.indicator_unknown_row", value=value, rows=rows_text(rows, t), hint=hint),
                                        file=ds.path, row=rows[0], column=col.name, severity="warning", dataset=name,
                                        header=header(col.name, "")))
            for figure in ds.spec.columns:
                if not figure.indicator_value or figure.name not in frame.columns:
                    continue
                numbers = pd.to_numeric(frame[figure.name], errors="coerce")
                wrong = values.isin(shares) & ((numbers < 0) | (numbers > 100))
                for indicator_id in dict.fromkeys(values[wrong]):
                    these = wrong & (values == indicator_id)
                    rows = [lines[label] for label in frame.index[these]]
                    shown = ", ".join(dict.fromkeys(fmt.number(n, _decimals(n), t.lang) for n in numbers[these]))
                    problems.append(Problem(t("problems.share_outside", column=header(figure.name, "") or figure.name, values=shown, id=indicator_id,
                                              rows=rows_text(rows, t)),
                                            file=ds.path, row=rows[0], column=figure.name, severity="warning", dataset=name,
                                            header=header(figure.name, "")))
    return in_language(problems, t.lang)


def _decimals(number: float) -> int:
    """How many decimals show ``number`` as it was written (at most 3)."""
    return min(len(repr(float(number)).partition(".")[2].rstrip("0")), 3) if "e" not in repr(float(number)) else 3


def indicator_text_problems(config: Config, ids: Iterable[str], t: Translator) -> list[Problem]:
    """The site's indicator texts (``content/indikatorer/<id>.md``, also under a language's folder) whose name is no
    registered indicator's id: a misspelt name means the text is silently not used."""
    ids, problems = set(ids), []
    folder = config.content_dir
    for path in sorted([*folder.glob("indikatorer/*.md"), *folder.glob("*/indikatorer/*.md")]):
        if path.stem not in ids:
            hint = _id_hint(path.stem, ids, t)
            problems.append(Problem(t("problems.indicator_text_unknown", id=path.stem, hint=hint),
                                    file=path.relative_to(config.site_dir).as_posix(), severity="warning"))
    return in_language(problems, t.lang)


def _id_hint(value: str, ids: Iterable[str], t: Translator) -> str:
    """The words after a name no indicator has: the id it most likely means, else where the ids are listed."""
    close = closest(value, ids)
    return t("problems.maybe_after", close=close) if close else t("problems.indicator_see_list")


def _lists(table: dict[str, Any], prefix: str) -> Iterable[tuple[str, list]]:
    """Every list of values in a settings table, also in nested tables, named as in the file: "[plugin.x] key"."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _lists(value, f"{prefix}.{key}")
        elif isinstance(value, list) and value:
            yield f"[{prefix}] {key}", value


def summary(problems: list[Problem]) -> dict[str, Any]:
    """Errors and warnings per file, and in all."""
    files: dict[str, dict[str, int]] = {}
    for p in problems:
        counts = files.setdefault(p.file, {"errors": 0, "warnings": 0})
        counts["errors" if p.severity == "error" else "warnings"] += 1
    return {
        "errors": sum(c["errors"] for c in files.values()),
        "warnings": sum(c["warnings"] for c in files.values()),
        "files": [{"file": name, **counts} for name, counts in sorted(files.items())],
    }


def as_json(problems: list[Problem]) -> dict[str, Any]:
    """The problems and their summary, for ``lisite check --format json``."""
    rows = [{**_fields(p), "row": int(p.row) if p.row is not None else None, "text": str(p)} for p in problems]
    return {"problems": rows, "summary": summary(problems)}


def _fields(problem: Problem) -> dict[str, Any]:
    """A problem's fields for JSON (its message is already in the site's language)."""
    fields = asdict(problem)
    fields.pop("lang", None)
    return fields


def counted(errors: int, warnings: int, lang: str = "da") -> str:
    """"2 fejl, 1 advarsel" ("2 errors, 1 warning"), or "ingen problemer"."""
    t = words(lang)
    parts = [t("problems.error_one" if errors == 1 else "problems.errors", n=errors)] if errors else []
    if warnings:
        parts.append(t("problems.warning_one" if warnings == 1 else "problems.warnings", n=warnings))
    return ", ".join(parts) or t("problems.none")


def _plugin_failed(plugin: str, hook: str, exc: Exception, t: Translator) -> Problem:
    if isinstance(exc, PluginError) and exc.__cause__ is not None:  # the hook caller named it; report the cause
        exc = exc.__cause__
    return Problem(t("problems.plugin_failed", plugin=plugin, hook=hook, error=f"{type(exc).__name__}: {exc}"))
