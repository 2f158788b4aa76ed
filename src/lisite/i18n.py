"""One catalogue of the words people read on the site, per language (``locales/<lang>.toml``)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locales"


@cache
def catalogue(lang: str) -> dict[str, str]:
    return tomllib.loads((LOCALE_DIR / f"{lang}.toml").read_text(encoding="utf-8"))


class Translator:
    """``t("key", name=...)`` looks a string up and fills in its ``{placeholders}``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.strings = catalogue(lang)

    def __call__(self, key: str, **values: object) -> str:
        try:
            text = self.strings[key]
        except KeyError:
            raise KeyError(f"the string '{key}' is missing from locales/{self.lang}.toml") from None
        return text.format(**values) if values else text
