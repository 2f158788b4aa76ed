"""click's own words in the site's language: the help's headings and the usage errors.

click writes "Usage:", "Options", "Show this message and exit." and its usage errors ("No such command
'chek'.") in English. lisite's commands (:class:`lisite.cli.Worded`, :class:`lisite.cli.DebugGroup`) take
them from the catalogue instead (``cli.click.*`` in ``locales/<lang>/cli.toml``): the help and usage lines
through their context's formatter (:class:`WordedContext`), and a usage error re-raised as
:class:`WordedUsageError`, its message worded from the error's kind and values (click's error classes
carry them), or, for a message click words in one piece ("Got unexpected extra argument (x)"), matched
against the English catalogue's text of it (:func:`from_template`). A message the catalogue does not know
stays as click wrote it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import click

from lisite.i18n import Translator

#: The messages click words in one piece, by their key under ``cli.click.said``: the English catalogue's text
#: is click's own (a ``{name}`` stands for what click filled in), the other languages' say the same. The first
#: that fits is used, so a text that another's pattern also fits comes before it ("is not one of" before "is not").
SAID = ("extra_argument", "extra_arguments", "missing_command", "not_integer", "not_integer_range", "not_float",
        "not_float_range", "not_in_range", "not_one_of", "not_choice", "folder_missing", "file_missing", "path_missing",
        "folder_is_file", "file_is_folder")


def help_language(args: list[str]) -> str:
    """The language of the site a command's ``args`` name with ``--site`` (else the current folder's): help and
    usage errors are shown before a command knows its site."""
    from lisite.config import site_language

    site = "."
    for before, arg in zip(["", *args], args):
        if before == "--site":
            site = arg
        elif arg.startswith("--site="):
            site = arg.removeprefix("--site=")
    return site_language(Path(site))


class WordedContext(click.Context):
    """A click context whose help and usage lines are worded in the site's language (see :class:`WordedFormatter`)."""

    def make_formatter(self) -> click.HelpFormatter:
        t = Translator(help_language(self.meta.get("lisite.args", [])))
        word_params(self.command, self, t)
        return WordedFormatter(t, width=self.terminal_width, max_width=self.max_content_width)


class WordedFormatter(click.HelpFormatter):
    """click's help formatter with its usage prefix, its headings ("Options", "Commands") and the ``[default: …]``
    of an option's help in the language of ``t``."""

    def __init__(self, t: Translator, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.t = t

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, self.t("cli.click.usage") + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        key = f"cli.click.heading.{heading.lower().replace(' ', '_')}"
        super().write_heading(self.t(key) if key in self.t.strings else heading)

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        default = f"[{self.t('cli.click.default')}: "
        super().write_dl([(name, text.replace("[default: ", default)) for name, text in rows], col_max, col_spacing)


def word_params(command: click.Command, ctx: click.Context, t: Translator) -> None:
    """The words of ``command``'s usage line and of its ``--help`` and ``--version`` options, from ``t``; the
    metavar of an option by its type (``TEXT``, ``DIRECTORY``), of an argument by its name (``NAME``)."""
    command.options_metavar = t("cli.click.options_metavar")
    if isinstance(command, click.Group):
        command.subcommand_metavar = t("cli.click.subcommand_metavar")
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        help_option.help = t("cli.click.help_help")
    for param in command.params:
        if isinstance(param, click.Option) and param.name == "version":
            param.help = t("cli.click.version_help")
        if isinstance(param, click.Argument):
            key = f"cli.click.argument.{param.name}"
            param.metavar = (t(key) if param.required else f"[{t(key)}]") if key in t.strings else None
        elif not getattr(param, "is_flag", False) and not isinstance(param.type, click.Choice):
            key = f"cli.click.metavar.{param.type.name.replace(' ', '_')}"
            param.metavar = t(key) if key in t.strings else None


def from_template(message: str, t: Translator) -> str:
    """``message`` as ``t`` words it when it is one of :data:`SAID` as click writes it, else as it is."""
    for key, pattern in _patterns():
        found = pattern.match(message)
        if found:
            return t(f"cli.click.said.{key}", **found.groupdict())
    return message


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    """Each of :data:`SAID` as a pattern made from its English text: ``{name}`` matches what click filled in."""
    english = Translator("en")
    made = []
    for key in SAID:
        parts = re.split(r"\{(\w+)\}", english.strings[f"cli.click.said.{key}"])
        pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        made.append((key, re.compile(f"^{pattern}$", re.DOTALL)))
    return made


def worded_message(error: click.UsageError, t: Translator) -> str:
    """What ``error`` says, in ``t``'s language."""
    if isinstance(error, click.exceptions.NoSuchCommand):  # (click 8.4 and later: its name and the close ones)
        return _with_choices(t("cli.click.no_such_command", name=repr(error.command_name)), error.possibilities, t)
    if isinstance(error, click.NoSuchOption):
        return _with_choices(t("cli.click.no_such_option", name=repr(error.option_name)), error.possibilities, t)
    if isinstance(error, click.BadOptionUsage):
        kind = "no_value" if "does not take a value" in error.message else "needs_value"
        return t(f"cli.click.{kind}", name=repr(error.option_name))
    if isinstance(error, click.MissingParameter):
        hint = _hint(error)
        kind = "missing_argument" if isinstance(error.param, click.Argument) else "missing_option"
        return t(f"cli.click.{kind}", name=hint)
    if isinstance(error, click.BadParameter):
        return t("cli.click.bad_value", name=_hint(error), message=from_template(error.message, t))
    return from_template(error.message, t)


def _with_choices(said: str, choices: list[str] | None, t: Translator) -> str:
    """``said``, and the commands or options close to what was written ("Mente du '--open'?")."""
    if not choices:
        return said
    key = "cli.click.did_you_mean" if len(choices) == 1 else "cli.click.did_you_mean_one_of"
    return f"{said} {t(key, choices=', '.join(repr(choice) for choice in sorted(choices)))}"


def _hint(error: click.BadParameter) -> str:
    """How an error names its parameter: ``'--seed'``, ``'NAVN'``."""
    if error.param_hint is not None:
        return error.param_hint if isinstance(error.param_hint, str) else " / ".join(map(repr, error.param_hint))
    return error.param.get_error_hint(error.ctx) if error.param is not None and error.ctx is not None else ""


class WordedUsageError(click.UsageError):
    """A usage error with its usage line, hint and message in the language of ``t``."""

    def __init__(self, message: str, ctx: click.Context | None, t: Translator) -> None:
        super().__init__(message, ctx)
        self.t = t

    def show(self, file: IO[Any] | None = None) -> None:
        color = None
        if self.ctx is not None:
            hint = self.t("cli.click.try_help", command=self.ctx.command_path)
            color = self.ctx.color
            click.echo(f"{self.ctx.get_usage()}\n{hint}\n", file=file, err=True, color=color)
        click.echo(self.t("cli.error", message=self.format_message()), file=file, err=True, color=color)


def worded(error: click.UsageError, t: Translator) -> click.UsageError:
    """``error`` in the language of ``t``. An error worded already, and the help shown for a command given without
    its arguments (worded as the help is), are returned as they are."""
    if isinstance(error, (WordedUsageError, click.exceptions.NoArgsIsHelpError)):
        return error
    if error.ctx is not None:
        word_params(error.ctx.command, error.ctx, t)  # an argument's hint is its metavar: 'NAVN'
    made = WordedUsageError(worded_message(error, t), error.ctx, t)
    made.exit_code = error.exit_code
    return made
