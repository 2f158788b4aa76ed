"""lisite's exceptions. Each is a ``click.ClickException``: the CLI shows one line.

They survive a trip through a worker process with their type and data (a
:class:`DataError` keeps its problems, a :class:`PluginError` its plugin and
hook); ``remote_traceback`` then holds the traceback text from the worker, so
``--debug`` can show where the error really happened.
"""

from __future__ import annotations

import sys
from typing import Any

import click


class LisiteError(click.ClickException):
    """Base class: a problem the user can fix, shown as one line."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.remote_traceback = ""  # the formatted traceback when raised in a worker process
        self.lang = ""  # the language the command spoke when it failed (set by the CLI): "Fejl: …" or "Error: …"

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        """The one line the CLI prints, led by "Fejl:" or "Error:" in the command's language (click's own says "Error:")."""
        from lisite.fmt import words  # lisite.i18n imports this module

        t = words(getattr(self, "lang", "") or "da")
        click.echo(t("cli.error", message=self.format_message()), file=file if file is not None else sys.stderr)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with every attribute (not just ``args``), so subclasses whose
        # ``__init__`` takes other arguments come back whole.
        return (_restore, (type(self), self.message, dict(self.__dict__)))


def _restore(cls: type[LisiteError], message: str, state: dict[str, Any]) -> LisiteError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class SourceError(Exception):
    """What a loader found wrong with a file, for the engine to word in the site's language.

    ``key`` names the words (``problems.<key>`` in the catalogue), ``row`` the file line and ``column``
    the column; ``values`` fill the words' placeholders. The engine adds the file's name, so the user
    reads "data/sager.csv, række 7: ..." like any other problem.
    """

    def __init__(self, key: str, row: int | None = None, column: str = "", **values: Any) -> None:
        super().__init__(key, row, column, values)
        self.key, self.row, self.column, self.values = key, row, column, values

    def __reduce__(self) -> tuple[Any, ...]:
        return (_source_error, (self.key, self.row, self.column, self.values))


def _source_error(key: str, row: int | None, column: str, values: dict[str, Any]) -> SourceError:
    return SourceError(key, row, column, **values)


class ConfigError(LisiteError):
    """``lisite.toml`` is missing, malformed or has an unknown key or wrong type."""


class DataError(LisiteError):
    """Input data does not meet its spec. Carries every problem found."""

    def __init__(self, problems: list) -> None:
        self.problems = sorted(problems, key=lambda p: p.place())  # as ``lisite check`` lists them (a stable sort)
        lines = [str(p) for p in self.problems]
        head = _data_error_head(problems)
        super().__init__("\n".join([head, *("  " + line for line in lines)]))


def _data_error_head(problems: list) -> str:
    """"3 problem(er) i data:" in the problems' language (``Problem.lang``, set by the engine)."""
    from lisite.fmt import words  # lisite.i18n imports this module

    t = words(getattr(problems[0], "lang", "da") if problems else "da")
    return t("problems.data_error_one") if len(problems) == 1 else t("problems.data_errors", n=len(problems))


class PluginError(LisiteError):
    """A plugin could not be loaded, broke the hook contract or failed inside a hook."""

    def __init__(self, message: str, plugin: str = "", hook: str = "") -> None:
        super().__init__(message)
        self.plugin = plugin
        self.hook = hook


class BuildError(LisiteError):
    """The build failed after data was loaded; the previous site is untouched."""
