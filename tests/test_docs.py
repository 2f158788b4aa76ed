"""Every hook is specified with a docstring and documented for plugin authors."""

from __future__ import annotations

import inspect
from pathlib import Path

from lisite import hookspecs

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"


def hook_names() -> list[str]:
    return [name for name, obj in vars(hookspecs).items() if name.startswith("lisite_") and callable(obj)]


def test_there_are_hooks():
    assert len(hook_names()) >= 9


def test_every_hook_has_a_docstring_saying_what_it_returns():
    for name in hook_names():
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert len(doc) > 40, f"{name} has no real docstring"
        assert ":return:" in doc, f"{name}'s docstring does not say what it returns"


def test_every_hook_is_documented_for_plugin_authors():
    text = DOCS.read_text(encoding="utf-8")
    for name in hook_names():
        assert f"### {name}\n" in text, f"{name} is not documented in docs/plugins.md"


def test_docs_name_no_hook_that_does_not_exist():
    text = DOCS.read_text(encoding="utf-8")
    documented = [line[4:].strip() for line in text.splitlines() if line.startswith("### lisite_")]
    assert sorted(documented) == sorted(hook_names())


def test_every_locale_has_the_same_strings():
    from lisite.i18n import catalogue

    da = catalogue("da")
    en = catalogue("en")
    assert set(da) == set(en)


def test_the_20_line_plugin_in_the_docs_builds(tmp_path):
    """The declared indicator the docs show is at most 20 lines and builds on the demo with its text file."""
    import re

    from lisite.testing import build_site, demo_site

    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## A plugin in 20 lines", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    words = re.search(r"```markdown\n(.*?)```", section, re.S).group(1)
    declaration = code.split("@lisite.hookimpl")[0].strip().splitlines()
    assert len(code.strip().splitlines()) <= 25 and len(declaration) <= 20
    site = demo_site(tmp_path / "site", audiences=["udvalg"], pages=["familiepleje.html"])
    (site / "plugins" / "familiepleje.py").write_text(code, encoding="utf-8")
    (site / "content" / "indikatorer" / "familiepleje.andel.md").write_text(words, encoding="utf-8")
    html = (build_site(site) / "udvalg" / "familiepleje.html").read_text(encoding="utf-8")
    assert "Anbragte børn i familiepleje" in html and "Et forbehold, som læseren skal kende." in html
    assert re.search(r"\d+,\d\u00a0%", html)  # a share, in Danish number format
