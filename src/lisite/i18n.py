"""One catalogue of every word a reader sees, per language.

The catalogue is a set of TOML files, one folder per language::

    src/lisite/locales/da/engine.toml        the engine's and the default theme's words
    src/lisite/locales/da/<plugin>.toml      a built-in plugin's words, keys "<plugin>.<name>"
    <plugin package>/locales/da/*.toml       a package plugin's own words
    <site>/locales/da/*.toml                 a site's additions and overrides

All files of a language are merged into one lookup; nested tables become
dotted keys (``[indsatser] page_title = "..."`` is ``indsatser.page_title``).
Later folders override earlier ones: lisite's own, then plugins', then the
site's. Inside lisite's own folder a key may be defined only once.

``t("key", name=value)`` looks a string up and fills in its ``{placeholders}``;
a missing key is a :class:`KeyError` that names the key and the language. A value
that ends a sentence with an abbreviation ("14.310 kr.") takes the sentence's full
stop: a text never reads "kr.." (:func:`fill`).
"""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from lisite.errors import ConfigError

LOCALE_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("da", "en")


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """``{"a": {"b": "x"}}`` → ``{"a.b": "x"}``. Every leaf must be a string."""
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, str):
            out[name] = value
        else:
            raise ConfigError(f"'{name}' must be text in the catalogue, not {type(value).__name__}.")
    return out


def read_file(path: Path) -> dict[str, str]:
    """One catalogue file as flat keys."""
    try:
        return flatten(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def language_folder(folder: Path, lang: str) -> Path | None:
    """The folder holding ``lang``'s files: ``folder/<lang>/``, or ``folder`` itself when it is named ``<lang>``."""
    folder = Path(folder)
    if (folder / lang).is_dir():
        return folder / lang
    if folder.name == lang and folder.is_dir():
        return folder
    return None


def read_folder(folder: Path, unique: bool = False) -> dict[str, str]:
    """Every ``*.toml`` in ``folder``, merged in name order. ``unique``: a key defined twice is an error."""
    merged: dict[str, str] = {}
    origin: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        for key, text in read_file(path).items():
            if unique and key in merged:
                raise ConfigError(f"The catalogue key '{key}' is in both {origin[key].name} and {path.name} ({folder}).")
            merged[key] = text
            origin[key] = path
    return merged


def _stamp(folder: Path) -> tuple:
    """What identifies a folder's contents cheaply: its files and their modification times."""
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.toml")))


@lru_cache(maxsize=32)
def _catalogue(folders: tuple[Path, ...], stamps: tuple) -> dict[str, str]:
    merged: dict[str, str] = {}
    for index, folder in enumerate(folders):
        merged.update(read_folder(folder, unique=index == 0))
    return merged


def catalogue(lang: str, extra_dirs: Iterable[Path] = ()) -> dict[str, str]:
    """The merged lookup for ``lang``: lisite's own files, then each of ``extra_dirs`` (later wins)."""
    own = LOCALE_DIR / lang
    if not own.is_dir():
        known = ", ".join(sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir()))
        raise ConfigError(f"lisite.toml: site.language '{lang}' is not supported. Supported: {known}.")
    folders = [own]
    for extra in extra_dirs:
        found = language_folder(Path(extra), lang)
        if found is not None and found.resolve() != own.resolve():
            folders.append(found.resolve())
    folders_t = tuple(folders)
    return _catalogue(folders_t, tuple(_stamp(f) for f in folders_t))


def fingerprint(lang: str, extra_dirs: Iterable[Path] = ()) -> tuple:
    """What identifies the catalogue's contents: its folders and their files' modification times (for caches)."""
    folders = [LOCALE_DIR / lang] + [f for f in (language_folder(Path(d), lang) for d in extra_dirs) if f is not None]
    return (lang, *((str(f), _stamp(f)) for f in folders))


def fill(text: str, values: dict[str, object]) -> str:
    """``text.format(**values)``, with one full stop where a value ending in one meets the text's own.

    Catalogue sentences end "… senest {value}." while a value may itself end with an abbreviation's
    full stop ("14.310 kr.", "ca."); the sentence's stop is then left out.
    """
    formatter = string.Formatter()
    out: list[str] = []
    for literal, name, spec, conversion in formatter.parse(text):
        if out and out[-1].endswith(".") and literal.startswith("."):
            literal = literal[1:]
        out.append(literal)
        if name is not None:
            found, _ = formatter.get_field(name, (), values)
            out.append(formatter.format_field(formatter.convert_field(found, conversion), spec or ""))
    return "".join(out)


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in a catalogue text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Translator:
    """``t("key", name=...)`` looks a string up and fills in its ``{placeholders}``.

    ``extra_dirs`` are locale folders merged after lisite's own: each either holds
    ``<lang>/`` subfolders (``site/locales``) or is the language folder itself
    (``site/locales/en``). Folders that do not exist are skipped.
    """

    def __init__(self, lang: str, extra_dirs: Iterable[Path | str] = ()) -> None:
        self.lang = lang
        self.extra_dirs = tuple(Path(d) for d in extra_dirs)
        self.strings = catalogue(lang, self.extra_dirs)
        #: Changes when a catalogue file changes: part of the key of anything cached with words in it.
        self.fingerprint = fingerprint(lang, self.extra_dirs)

    def __call__(self, key: str, /, **values: object) -> str:
        try:
            text = self.strings[key]
        except KeyError:
            raise KeyError(f"the string '{key}' is missing from the '{self.lang}' catalogue (locales/{self.lang}/*.toml)") from None
        if not values:
            return text
        try:
            return fill(text, values)
        except (KeyError, IndexError) as exc:
            raise KeyError(f"the string '{key}' ({self.lang}) needs the value {exc}, which was not given") from None

    def __contains__(self, key: str) -> bool:
        return key in self.strings

    def get(self, key: str, default: str | None = None, **values: object) -> str | None:
        """The string for ``key``, or ``default`` when the catalogue has no such key."""
        return self(key, **values) if key in self.strings else default

    def __repr__(self) -> str:
        return f"Translator({self.lang!r}, extra_dirs={[str(d) for d in self.extra_dirs]!r})"


def localise_config(config: Any, t: Translator) -> Any:
    """The config with the site's own titles in the site's language.

    A site writes its title and its audiences' titles in ``lisite.toml``; for a
    site published in another language it may give them in its catalogue:
    ``site.title``, ``audiences.<id>.title`` and ``audiences.<id>.description``
    (e.g. ``locales/en/site.toml``). Titles the site left at lisite's defaults
    come from the catalogue (``site_title_default``, ``audience_default.<id>.*``).
    Otherwise ``lisite.toml``'s words stay.
    """
    from dataclasses import replace

    from lisite.config import DEFAULT_AUDIENCES, SCHEMA

    def word(key: str, value: str, default: str | None, default_key: str) -> str:
        if key in t:
            return t(key)
        if default is not None and value == default and default_key in t:
            return t(default_key)
        return value

    audiences = {}
    for aid, audience in config.audiences.items():
        defaults = DEFAULT_AUDIENCES.get(aid, {})
        audiences[aid] = replace(
            audience,
            title=word(f"audiences.{aid}.title", audience.title, defaults.get("title"), f"audience_default.{aid}.title"),
            description=word(f"audiences.{aid}.description", audience.description, defaults.get("description"),
                             f"audience_default.{aid}.description"),
        )
    title = word("site.title", config.title, SCHEMA["site"]["title"][1], "site_title_default")
    return replace(config, title=title, audiences=audiences)


def localise_datasets(datasets: dict[str, Any], t: Translator) -> dict[str, Any]:
    """The datasets with their specs' words in the site's language, for everything that shows them.

    A dataset's title is the catalogue's ``datasets.title.<name>``, what it holds
    ``datasets.description.<name>`` and what a column holds ``datasets.column.<name>.<column>``
    (the data model's are in ``locales/<lang>/datasets.toml``; a site may add its own datasets'
    in its ``locales/<lang>/*.toml``). Without a key, the spec's own words stay. New objects: the
    loaded datasets (cached by ``lisite serve``) are not changed.
    """
    from dataclasses import replace

    out = {}
    for name, dataset in datasets.items():
        spec = dataset.spec
        columns = tuple(replace(col, description=t.get(f"datasets.column.{name}.{col.name}", col.description)) for col in spec.columns)
        spec = replace(spec, title=t.get(f"datasets.title.{name}", spec.title),
                       description=t.get(f"datasets.description.{name}", spec.description), columns=columns)
        out[name] = replace(dataset, spec=spec)
    return out
