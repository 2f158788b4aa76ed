"""``lisite plugins``: which plugins are active, their hooks and indicators."""

from __future__ import annotations

from pathlib import Path

from lisite.build import collect_indicators
from lisite.config import load_config
from lisite.plugins import make_plugin_manager


def describe_plugins(site_dir: Path | str) -> list[str]:
    config = load_config(site_dir)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths, lang=config.language)
    indicators = collect_indicators(pm, config)
    lines = []
    for name in sorted(pm.infos):
        info = pm.infos[name]
        hooks = sorted(h.name for h in pm.get_hookcallers(info.module) or [])
        lines.append(f"{name}  [{info.origin}]")
        lines.append(f"    hooks: {', '.join(hooks) or '-'}")
        mine = [i for i in indicators.values() if i.plugin == name]
        for ind in mine:
            lines.append(f"    indikator {ind.id}: {ind.title} ({ind.unit}; {', '.join(ind.shown_to)})")
    if config.disabled_plugins:
        lines.append(f"slået fra: {', '.join(config.disabled_plugins)}")
    return lines
