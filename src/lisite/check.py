"""``lisite check``: load and check every data source, write nothing."""

from __future__ import annotations

from pathlib import Path

from lisite.config import load_config
from lisite.data import load_all, prepare
from lisite.model import Problem
from lisite.plugins import make_plugin_manager


def check(site_dir: Path | str) -> list[Problem]:
    """Every problem in the site's data, errors first, in file order."""
    config = load_config(site_dir)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    specs = [spec for specs in pm.hook.lisite_datasets(config=config) for spec in specs]
    loaded = load_all(config, specs, pm.hook.lisite_load_source)
    problems = list(loaded.problems)
    if not any(p.severity == "error" for p in problems):
        prepare(loaded, specs, pm.hook.lisite_prepare, config)
        problems += [p for found in pm.hook.lisite_validate(data=loaded.frames, config=config) for p in found]
    order = {"error": 0, "warning": 1}
    return sorted(problems, key=lambda p: (order[p.severity], p.file, p.row or 0, p.column))
