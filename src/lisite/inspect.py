"""``lisite plugins``: which plugins are active, their hooks and indicators, in the site's language."""

from __future__ import annotations

from pathlib import Path

from lisite.build import collect_indicators
from lisite.config import load_config
from lisite.context import Content
from lisite.i18n import Translator
from lisite.plugins import make_plugin_manager
from lisite.resources import data_root


def describe_plugins(site_dir: Path | str) -> list[str]:
    """A line for each plugin and its hooks, and one for each of its indicators with the title a reader sees (from
    ``content/indikatorer/<id>.md`` when the text gives one, as in a build)."""
    config = load_config(site_dir)
    t = Translator(config.language)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths, lang=config.language)
    indicators = collect_indicators(pm, config)
    content = Content([config.content_dir, data_root() / "content"], config.language)
    lines = []
    for name in sorted(pm.infos):
        info = pm.infos[name]
        hooks = sorted(h.name for h in pm.get_hookcallers(info.module) or [])
        lines.append(f"{name}  [{origin(info.origin, t)}]")
        lines.append(f"    hooks: {', '.join(hooks) or '-'}")
        for ind in (i for i in indicators.values() if i.plugin == name):
            title = str(content.front(f"indikatorer/{ind.id}.md").get("title") or ind.title or "–")
            lines.append("    " + t("cli.plugins.indicator", id=ind.id, title=title, unit=ind.unit, levels=", ".join(ind.shown_to)))
    if config.disabled_plugins:
        lines.append(t("cli.plugins.disabled", names=", ".join(config.disabled_plugins)))
    return lines


def origin(text: str, t: Translator) -> str:
    """Where a plugin comes from, as the plugin manager records it ("builtin", "lokal <path>", "pakke <name>"), in words."""
    kind, _, where = text.partition(" ")
    key = {"lokal": "cli.plugins.local", "pakke": "cli.plugins.package"}.get(kind)
    return t(key, where=where) if key and where else text
