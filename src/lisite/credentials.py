"""Database credentials: from the environment or a ``.env`` file outside the site, never from ``lisite.toml``.

A site folder is shared, copied and often kept in version control, so a password
must not live in it. A database source names its address as

* ``url_env = "LISITE_FAGSYSTEM_URL"``: the whole address is in that variable, or
* ``url = "postgresql+psycopg://lisite:${LISITE_FAGSYSTEM_PASSWORD}@db.kommune.local/fagsystem"``:
  each ``${NAME}`` is filled in from the environment when the data is read.

The variables come from the environment, or from a ``.env`` file (``NAME=value``
lines) read by the ``lisite`` command: ``--env-file PATH``, else
``$XDG_CONFIG_HOME/lisite/.env`` (``~/.config/lisite/.env``) when it exists. A
variable already set in the environment wins. A ``.env`` file inside the site
folder is refused: it would travel with the site.

Every text lisite shows about a source passes :func:`scrub`, which replaces the
passwords the source's variables hold by ``***``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import unquote, urlsplit

from lisite.errors import ConfigError
from lisite.i18n import Translator

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
PASSWORD_PARAM = re.compile(r"(?i)(?:^|[?&;])\s*(?:password|passwd|pwd)\s*=\s*([^&;]*)")
MASK = "***"
ENV_FILE = ".env"


class MissingVariable(Exception):
    """A variable a source's address needs is not set."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def expand(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` with each ``${NAME}`` replaced by the variable's value; :class:`MissingVariable` if one is unset."""
    environ = os.environ if environ is None else environ

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in environ:
            raise MissingVariable(name)
        return environ[name]

    return PLACEHOLDER.sub(value, text)


def literal_password(url: str) -> bool:
    """True when ``url`` holds a password written out (not a ``${NAME}`` placeholder).

    Looks at the user-info part (``user:password@host``) and at query parameters such as
    ``?password=`` or the ``PWD=`` of an ODBC connection string.
    """
    text = PLACEHOLDER.sub("", url)
    try:
        password = urlsplit(text).password
    except ValueError:  # a port that is not a number, brackets: not ours to judge here
        password = None
    if password:
        return True
    query = unquote(text.split("?", 1)[1]) if "?" in text else ""
    return any(found.strip() for found in PASSWORD_PARAM.findall(query))


def without_password(url: str) -> str:
    """``url`` with the password (and any ``password=``/``PWD=`` parameter value) replaced by ``***``."""
    text = re.sub(r"^([^:/?#]+://[^:/?#@]*):[^@/]*@", rf"\1:{MASK}@", url)
    # also inside a percent-encoded parameter such as odbc_connect=...%3BPWD%3Dsecret%3B...
    return re.sub(r"(?i)((?:password|passwd|pwd)\s*(?:=|%3D)\s*)(?:(?!%3B)[^&;])*", rf"\1{MASK}", text)


def secrets_of(source: Any, environ: Mapping[str, str] | None = None) -> list[str]:
    """The secret texts a source's address holds once filled in: passwords and the variables' values.

    Used to scrub messages; the longest first, so a password inside a whole address is found whole.
    """
    environ = os.environ if environ is None else environ
    found: set[str] = set()
    names = PLACEHOLDER.findall(getattr(source, "url", "") or "")
    if getattr(source, "url_env", ""):
        names.append(source.url_env)
    for name in names:
        value = environ.get(name, "")
        if value and name != getattr(source, "url_env", ""):
            found.add(value)  # a placeholder's value: a password or a part of the address
        for part in _passwords(value):
            found.add(part)
    return sorted((s for s in found if len(s) >= 3), key=len, reverse=True)


def _passwords(url: str) -> list[str]:
    out = []
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        out += [password, unquote(password)]
    query = url.split("?", 1)[1] if "?" in url else ""
    out += [value.strip() for value in PASSWORD_PARAM.findall(unquote(query)) if value.strip()]
    return out


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every secret replaced by ``***``."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


# --- .env files -------------------------------------------------------------------------


def default_env_file(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/lisite/.env``, or ``~/.config/lisite/.env``."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "lisite" / ENV_FILE


def parse_env_file(text: str, lang: str = "da") -> dict[str, str]:
    """``NAME=value`` lines; blank lines and ``#`` comments skipped, ``export`` and quotes allowed (``lang``: the words
    of an error)."""
    values = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ConfigError(Translator(lang)("config.env_line", number=number))  # the line itself may hold a secret
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def refuse_inside(path: Path, site_dir: Path, lang: str = "da") -> None:
    """A ``.env`` file in the site folder would be copied and shared with the site: refused."""
    if Path(path).resolve().is_relative_to(Path(site_dir).resolve()):
        raise ConfigError(Translator(lang)("config.env_inside", path=path, default=default_env_file()))


def load_env_file(path: Path | None, site_dir: Path, environ: Any = None) -> Path | None:
    """Read ``path`` (or the default file, when it exists) into the environment, without overriding.

    Returns the file read, or ``None``. A given path that does not exist is an error; a path inside
    the site folder is refused.
    """
    from lisite.config import site_language

    environ = os.environ if environ is None else environ
    lang = site_language(site_dir)  # the words of an error
    given = path is not None
    path = Path(path) if given else default_env_file(environ)
    if not path.is_file():
        if given:
            raise ConfigError(Translator(lang)("config.env_missing", path=path))
        return None
    refuse_inside(path, site_dir, lang)
    try:
        values = parse_env_file(path.read_text(encoding="utf-8"), lang)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Translator(lang)("config.env_unreadable", path=path, error=exc)) from None
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    for name, value in values.items():
        environ.setdefault(name, value)
    return path
