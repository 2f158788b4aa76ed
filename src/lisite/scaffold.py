"""``lisite init`` and ``lisite new-plugin``: new sites and plugins that work at once."""

from __future__ import annotations

import keyword
import re
import shutil
from pathlib import Path

from lisite.errors import LisiteError
from lisite.resources import data_root

SITE_PARTS = ("lisite.toml", "content", "locales", "sample_data")
GITIGNORE = "_site/\n.lisite/\n"  # a new site's .gitignore: its output is made, not kept; nor are its reports' true figures (lisite.earlier)
TEMPLATES = Path(__file__).parent / "templates"


def init_site(directory: Path | str, lang: str = "da") -> Path:
    """Copy the demo configuration, texts and sample data into a new site folder (an error worded in ``lang``)."""
    from lisite.i18n import Translator

    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise LisiteError(Translator(lang)("cli.init.not_empty", directory=directory))
    directory.mkdir(parents=True, exist_ok=True)
    root = data_root()
    for part in SITE_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, directory / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, directory / part)
    (directory / "plugins").mkdir(exist_ok=True)
    (directory / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return directory


def new_plugin(site_dir: Path | str, name: str) -> list[Path]:
    """Write ``plugins/<name>.py`` (an indicator and a page), its text ``content/indikatorer/<name>.andel.md``
    and ``tests/test_<name>.py``; for an English site also the text in English, ``content/en/indikatorer/``, and
    the page's section in English."""
    from lisite.config import site_language
    from lisite.i18n import Translator

    site_dir = Path(site_dir)
    lang = site_language(site_dir)
    t = Translator(lang)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or keyword.iskeyword(name):
        raise LisiteError(t("cli.new_plugin.bad_name", name=name))
    targets = {
        site_dir / "plugins" / f"{name}.py": (TEMPLATES / "plugin.py.txt").read_text(encoding="utf-8"),
        site_dir / "content" / "indikatorer" / f"{name}.andel.md": (TEMPLATES / "indicator.md.txt").read_text(encoding="utf-8"),
        site_dir / "tests" / f"test_{name}.py": (TEMPLATES / "test_plugin.py.txt").read_text(encoding="utf-8"),
    }
    if lang == "en":
        targets[site_dir / "content" / "en" / "indikatorer" / f"{name}.andel.md"] = (TEMPLATES / "indicator.en.md.txt").read_text(encoding="utf-8")
    for path in targets:
        if path.exists():
            raise LisiteError(t("cli.new_plugin.exists", path=path))
    written = []
    title = name.replace("_", " ").capitalize()
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = text.replace("PLUGIN_NAME", name).replace("PLUGIN_TITLE", title).replace("PLUGIN_SECTION", t("cli.new_plugin.section"))
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
