"""Helpers for testing plugins: make a small site in a temporary folder and build it.

::

    from lisite.testing import build_site, demo_site

    def test_my_page(tmp_path):
        site = demo_site(tmp_path / "site", audiences=["udvalg"])
        (site / "plugins" / "mine.py").write_text(PLUGIN_SOURCE)
        out = build_site(site)
        assert "Min indikator" in (out / "udvalg" / "index.html").read_text()
"""

from __future__ import annotations

import importlib.util
import json
from html.parser import HTMLParser
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from lisite.build import build
from lisite.scaffold import init_site


def demo_site(directory: Path, audiences: list[str] | None = None, pages: list[str] | None = None) -> Path:
    """A copy of the demo site (config, content, sample data) in ``directory``.

    ``audiences`` keeps only the named audiences, and ``pages`` only these pages of each (patterns, as an audience's
    ``pages`` in lisite.toml: ``["familiepleje.html"]``): both make the build faster. The data, the indicators and the
    checks of what is built stay the demo's.
    """
    init_site(directory)
    if audiences or pages is not None:
        config = directory / "lisite.toml"
        text = config.read_text(encoding="utf-8")
        only = "" if pages is None else "pages = [" + ", ".join(json.dumps(pattern, ensure_ascii=False) for pattern in pages) + "]\n"

        def limited(table: re.Match) -> str:  # the audience's table with ``only`` in place of its own pages (the demo's have none)
            return table[1] + only + re.sub(r"^pages\s*=.*\n", "", table[2], flags=re.MULTILINE)

        for name in re.findall(r"^\[audiences\.([a-z0-9_-]+)\]", text, flags=re.MULTILINE):
            table = rf"^(\[audiences\.{name}\]\n)((?:(?!\[).*\n)*)"
            if audiences and name not in audiences:
                text = re.sub(table, "", text, flags=re.MULTILINE)
            elif pages is not None:
                text = re.sub(table, limited, text, flags=re.MULTILINE)
        config.write_text(text, encoding="utf-8")
    return directory


def build_site(site: Path, **options: Any) -> Path:
    """Build ``site`` and return its output folder."""
    report = build(site, **options)
    return report.output_dir


def builtin_plugin(name: str) -> Path:
    """The file (or package folder) of one of lisite's built-in plugins, by plugin name."""
    from lisite.plugins import builtin_plugin_paths

    return builtin_plugin_paths()[name]


def load_plugin(path: Path | str) -> ModuleType:
    """Import a plugin file (or plugin package folder) on its own, to test its functions directly."""
    path = Path(path)
    name = f"plugin_under_test_{path.stem}"
    if path.is_dir():
        spec = importlib.util.spec_from_file_location(name, path / "__init__.py", submodule_search_locations=[str(path)])
    else:
        spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # so a package's ``from . import x`` finds its parent
    spec.loader.exec_module(module)
    return module


def page_context(indicators: list, results: dict, audience: str, site: Path | str, period: str = "2026-09",
                 lang: str = "da") -> Any:
    """A :class:`lisite.context.BuildContext` for ``audience`` with hand-made indicator results, in ``lang``."""
    from lisite.config import parse_config
    from lisite.context import BuildContext, Content
    from lisite.i18n import Translator

    site = Path(site)
    config = parse_config({"site": {"language": lang}, "municipality": {"code": 479, "name": "Svendborg"},
                           "period": {"current": period}}, site)
    ctx = BuildContext(config, Translator(lang), {}, [], {i.id: i for i in indicators}, results, Content([site / "content"], lang))
    return ctx.for_audience(config.audiences[audience])


class _VisibleText(HTMLParser):
    """The text a reader sees or hears on a page: text nodes plus alt, aria-label and title attributes."""

    HIDDEN = {"script", "style", "svg", "template"}
    ATTRIBUTES = ("alt", "aria-label", "title", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif not self.hidden:
            self.pieces += [value for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.HIDDEN and not self.hidden:
            self.pieces += [value for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.pieces.append(data)


def visible_text(html: str) -> str:
    """A page's visible text, one piece per line with white space collapsed (for snapshots and word checks)."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(" ".join(piece.split()) for piece in parser.pieces) + "\n"


def site_text(output_dir: Path) -> dict[str, str]:
    """``<audience>/<page>.html`` → visible text, for every page of a built site."""
    return {path.relative_to(output_dir).as_posix(): visible_text(path.read_text(encoding="utf-8"))
            for path in sorted(output_dir.rglob("*.html"))}
