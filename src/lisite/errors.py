"""lisite's exceptions. Each is a ``click.ClickException``: the CLI shows one line."""

from __future__ import annotations

import click


class LisiteError(click.ClickException):
    """Base class: a problem the user can fix, shown as one line."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message


class ConfigError(LisiteError):
    """``lisite.toml`` is missing, malformed or has an unknown key or wrong type."""


class DataError(LisiteError):
    """Input data does not meet its spec. Carries every problem found."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        lines = [str(p) for p in problems]
        head = _data_error_head(problems)
        super().__init__("\n".join([head, *("  " + line for line in lines)]))


def _data_error_head(problems: list) -> str:
    """"3 problem(er) i data:" in the problems' language (``Problem.lang``, set by the engine)."""
    from lisite.fmt import words  # lisite.i18n imports this module

    t = words(getattr(problems[0], "lang", "da") if problems else "da")
    return t("problems.data_error_one") if len(problems) == 1 else t("problems.data_errors", n=len(problems))


class PluginError(LisiteError):
    """A plugin could not be loaded or broke the hook contract."""


class BuildError(LisiteError):
    """The build failed after data was loaded; the previous site is untouched."""
