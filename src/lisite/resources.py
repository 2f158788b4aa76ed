"""Where lisite's own files are: built-in plugins, themes, demo content and data.

In a wheel they live inside the package (``lisite/_data/``); in a source
checkout they are the top-level folders of the repository.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder holding ``plugins/``, ``themes/``, ``content/`` and ``sample_data/``."""
    installed = PACKAGE_DIR / "_data"
    if (installed / "plugins").is_dir():
        return installed
    checkout = PACKAGE_DIR.parent.parent
    if (checkout / "plugins").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    raise RuntimeError(f"lisite's built-in files were not found beside {PACKAGE_DIR}: the installation is incomplete.")


def builtin_plugins_dir() -> Path:
    return data_root() / "plugins"


def themes_dir() -> Path:
    return data_root() / "themes"


def demo_dir() -> Path:
    """The demo site: ``lisite.toml``, ``content/`` and ``sample_data/``."""
    return data_root()


#: The parts of the cache folder lisite writes (``lisite cache`` shows them, with what each holds from the catalogue's
#: ``cli.cache.part``, and clears them).
CACHE_PARTS = ("results", "unchanged", "svg", "plugins")


def cache_dir() -> Path:
    """Where the charts the PDF pack draws (:class:`lisite.charts.SvgRenderer`) are cached by content hash.

    ``LISITE_CACHE`` overrides; the default is ``~/.cache/lisite`` (or ``$XDG_CACHE_HOME/lisite``).
    """
    override = os.environ.get("LISITE_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lisite"
