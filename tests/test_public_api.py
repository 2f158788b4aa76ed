"""Built-in plugins use only the public plugin API: ``import lisite`` and its public modules.

A plugin under ``plugins/`` may import ``lisite`` and the modules in ``lisite.PUBLIC_MODULES``, and
read only names that ``lisite`` exports (``lisite.__all__``). No private name (``_x``) of lisite,
no private staging columns (``_by``, ``_total``), no raw results (``ctx.results``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lisite
from lisite.plugins import builtin_plugin_paths

PRIVATE_COLUMNS = {"_by", "_total"}
PRIVATE_CONTEXT = {"results", "result_keys", "store", "staged_cache"}


def plugin_files() -> list[Path]:
    found = []
    for path in builtin_plugin_paths().values():
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def back_doors(source: str) -> list[str]:
    """Every use of lisite that is not public, as 'line N: what'."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("lisite") and alias.name not in lisite.PUBLIC_MODULES:
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lisite") and node.level == 0:
            if node.module not in lisite.PUBLIC_MODULES:
                found.append(f"line {node.lineno}: from {node.module} import ...")
            elif node.module == "lisite":
                for alias in node.names:
                    if alias.name not in lisite.__all__:
                        found.append(f"line {node.lineno}: from lisite import {alias.name}")
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "lisite" and node.attr not in lisite.__all__:
                found.append(f"line {node.lineno}: lisite.{node.attr}")
            if isinstance(node.value, ast.Name) and node.value.id == "ctx" and node.attr in PRIVATE_CONTEXT:
                found.append(f"line {node.lineno}: ctx.{node.attr}")
            if node.attr.startswith("_") and not node.attr.startswith("__"):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Constant) and node.value in PRIVATE_COLUMNS:
            found.append(f"line {node.lineno}: the private column {node.value!r}")
    return sorted(found, key=lambda text: int(text.split(":")[0].split()[1]))


@pytest.mark.parametrize("path", plugin_files(), ids=lambda p: p.relative_to(p.parents[2]).as_posix())
def test_builtin_plugin_uses_only_the_public_api(path):
    assert back_doors(path.read_text(encoding="utf-8")) == [], f"{path} goes around the public plugin API"


def test_the_check_finds_back_doors():
    source = (
        "import lisite\nimport lisite.staging\nfrom lisite.render import markdown\nfrom lisite import hookimpl, Views\n"
        "x = lisite.model\ny = ctx.results['a']\nz = frame[frame['_by'] == 'team']\nw = obj._secret\n"
    )
    assert back_doors(source) == [
        "line 2: import lisite.staging",
        "line 3: from lisite.render import ...",
        "line 4: from lisite import Views",
        "line 5: lisite.model",
        "line 6: ctx.results",
        "line 7: the private column '_by'",
        "line 8: ._secret",
    ]


def test_every_public_name_is_documented():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "plugins.md").read_text(encoding="utf-8")
    missing = [name for name in lisite.__all__ if f"`{name}" not in docs and f"lisite.{name}" not in docs]
    assert missing == []
