"""The ``lisite`` command. A thin layer: parse options, call the library, print."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from contextvars import ContextVar
from pathlib import Path

import click

from lisite import __version__, cliwords
from lisite.errors import LisiteError

STAGES = ["config", "data", "validate", "indicators", "pages", "render", "write"]


#: The language of the site a command works on (its lisite.toml's site.language): the command's own words.
_LANGUAGE: ContextVar[str] = ContextVar("cli_language", default="da")


def speak_as(site_dir: Path) -> str:
    """Word what the command itself says (its progress, an unexpected error) in the language of the site in
    ``site_dir``; Danish when its lisite.toml cannot be read. Returns the language."""
    from lisite.config import site_language

    language = site_language(site_dir)
    _LANGUAGE.set(language)
    return language


def run(debug: bool, func, *args, **kwargs):
    """Call ``func``; any error becomes one line and exit code 1 (with --debug also its traceback)."""
    try:
        return func(*args, **kwargs)
    except LisiteError:
        raise
    except Exception as exc:
        t = _words(_LANGUAGE.get())
        raise LisiteError(t("cli.unexpected", kind=type(exc).__name__, error=exc) + ("" if debug else t("cli.debug_hint"))) from exc


def print_debug(exc: BaseException) -> None:
    """The whole traceback down to the real cause: the chain of causes, and a worker process's traceback."""
    import traceback

    traceback.print_exception(exc, file=sys.stderr)
    remote = getattr(exc, "remote_traceback", "")
    if remote:
        click.echo("\n" + _words(_LANGUAGE.get())("cli.in_worker") + "\n" + remote.rstrip(), err=True)


class Worded(click.Command):
    """A command whose help and options' help are the catalogue's (``cli.help.<command>``, ``cli.option.<command>.<option>``
    or, for an option many commands have, ``cli.option.<option>``), in the language of the site it is asked about;
    so are click's own words around them (:mod:`lisite.cliwords`)."""

    context_class = cliwords.WordedContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["lisite.args"] = list(args)  # --help is handled before --site is read: see cliwords.help_language
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.word(_words(cliwords.help_language(ctx.meta.get("lisite.args", []))))
        super().format_help(ctx, formatter)

    def word(self, t) -> None:
        """Take the help texts from the catalogue ``t``."""
        self.help = t(f"cli.help.{self.name}")
        for param in self.params:
            if isinstance(param, click.Option) and param.name != "help":
                key = next((key for key in (f"cli.option.{self.name}.{param.name}", f"cli.option.{param.name}") if key in t.strings), None)
                param.help = t(key) if key else None


def quick_exit() -> None:
    """When the process ends, leave what is still alive to the operating system instead of walking it with the
    garbage collector first: the interpreter's last collections took 0.08 s of every ``lisite build`` of the demo.
    (Only at exit: a process that runs commands in turn, as the tests do, keeps collecting as before.)"""
    atexit.unregister(gc.freeze)  # once, however many commands a process runs
    atexit.register(gc.freeze)


#: How many objects a process makes, less those it frees, before the garbage collector looks at the youngest ones again
#: (Python's default is 700 up to 3.12 and 2,000 from 3.13). A command makes millions of small objects that stay (the
#: loaded data, the views, the pages) and few cycles among them, so at 700 the collector mostly walks live objects:
#: 0.07 s of a cold build of the demo (import 0.02 s), with the same peak memory (see ``scripts/benchmark.py``).
YOUNG_OBJECTS = 10_000


def collect_less() -> None:
    """Let the garbage collector look at young objects every :data:`YOUNG_OBJECTS` instead of Python's 700 or 2,000
    (the older generations keep their ratios). The build's worker processes are forked from this one and keep it."""
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


#: The linear algebra libraries numpy may be built with, and the variable that sets how many threads each starts.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def one_thread_each() -> None:
    """Have numpy's linear algebra library (OpenBLAS, MKL) use one thread in each process, unless the environment
    says otherwise: lisite's work is spread over processes, one for each core (:mod:`lisite.workers`), and after a
    call OpenBLAS's own threads, one for each core, kept a core busy waiting for the next: 6-7 % of the CPU time of a
    cold build of the demo on two cores. Read when numpy is first imported, so before any command runs."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


class DebugGroup(click.Group):
    command_class = Worded
    context_class = cliwords.WordedContext

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:  # lisite --nope: in the current folder's site's language
            raise cliwords.worded(exc, _words(cliwords.help_language([]))) from None

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        t = _words(cliwords.help_language([]))  # the commands are listed with the first line of their help
        self.help = t("cli.help.lisite")
        for command in self.commands.values():
            if isinstance(command, Worded):
                command.word(t)
        super().format_help(ctx, formatter)

    def invoke(self, ctx: click.Context):
        quick_exit()
        collect_less()
        one_thread_each()
        token = _LANGUAGE.set("da")  # each command speaks Danish until it knows its site (speak_as)
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # lisite chek, lisite build --nope: in the language of the site asked about
            raise cliwords.worded(exc, _words(cliwords.help_language(ctx.meta.get("lisite.args", [])))) from None
        except LisiteError as exc:
            exc.lang = getattr(exc, "lang", "") or _LANGUAGE.get()  # its "Error:" in the command's language (LisiteError.show)
            if ctx.meta.get("lisite.debug"):
                print_debug(exc)
            raise
        finally:
            _LANGUAGE.reset(token)


@click.group(cls=DebugGroup)
@click.version_option(__version__, prog_name="lisite")
def main() -> None:
    """lisite's command line (its help is cli.help.lisite in the catalogue)."""


def _debug_option(func):
    def callback(ctx: click.Context, _param, value: bool):
        ctx.meta["lisite.debug"] = value
        return value

    return click.option("--debug", is_flag=True, callback=callback, expose_value=True)(func)


def _env_option(func):
    """``--env-file``: the variables a database source's address needs (credentials); see :func:`_read_env`."""
    return click.option("--env-file", type=click.Path(dir_okay=False, path_type=Path), default=None)(func)


def _read_env(debug: bool, env_file: Path | None, site_dir: Path) -> None:
    """Read ``--env-file`` (or the default file) into the environment before the site is read."""
    from lisite.credentials import load_env_file

    run(debug, load_env_file, env_file, site_dir)


@main.command()
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--audience", "audiences", multiple=True)
@click.option("--strict", is_flag=True)
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--open", "open_browser", is_flag=True)
@click.option("--quiet", "-q", is_flag=True)
@click.option("--log", "log_file", type=click.Path(dir_okay=False, path_type=Path), default=None)
@_env_option
@_debug_option
def build(site_dir: Path, audiences: tuple[str, ...], strict: bool, output: Path | None, open_browser: bool, quiet: bool,
          log_file: Path | None, env_file: Path | None, debug: bool) -> None:
    """Build the site: one static site per audience in _site/."""
    from lisite import nightly, unchanged

    attempt = nightly.Attempt()
    speak_as(site_dir)
    try:
        _read_env(debug, env_file, site_dir)
        report = unchanged.kept(site_dir, list(audiences) or None, strict, output)  # before data, pandas or plugins
        if report is None:
            from lisite.build import build as do_build

            report = _build_with_progress(debug, do_build, site_dir, list(audiences) or None, strict, output, quiet=quiet)
        elif not quiet:
            click.echo(_words(report.config.language)("build.unchanged"), err=True)
    except LisiteError as exc:
        code = nightly.exit_code(exc)
        where = output if output is not None else _output_dir(site_dir)
        if where is not None:
            nightly.record_failure(where, attempt, code, exc)
        if log_file is not None:
            nightly.append_log(log_file, nightly.log_line(attempt, code, error=exc))
        if not quiet:
            exc.exit_code = code
            raise
        for line in nightly.problem_lines(exc):
            click.echo(line, err=True)
        if debug:
            print_debug(exc)
        raise click.exceptions.Exit(code) from None
    pages = sum(report.pages.values())
    built = report.built if isinstance(report, unchanged.Kept) else None  # nothing changed: made by an earlier build
    nightly.record_success(report.output_dir, report.config.site_dir, attempt, pages, built)
    if log_file is not None:
        nightly.append_log(log_file, nightly.log_line(attempt, nightly.OK, pages, len(report.warnings), period=report.config.period))
    if not quiet:
        _print_report(report)
    if open_browser:
        import webbrowser

        webbrowser.open((report.output_dir / "index.html").as_uri())


def _output_dir(site_dir: Path) -> Path | None:
    """Where the site is written, for status.json after a failure: as configured, or an existing ``_site``
    when the configuration cannot be read (status.json is written only into a folder lisite wrote)."""
    from lisite.config import load_config

    try:
        return load_config(site_dir).output_dir
    except LisiteError:
        fallback = site_dir / "_site"
        return fallback if fallback.is_dir() else None


def _build_with_progress(debug: bool, func, site_dir, audiences, strict, output, quiet: bool = False):
    if quiet:  # a scheduled job: nothing on the terminal unless something fails
        return run(debug, func, site_dir, audiences=audiences, strict=strict, output_dir=output)
    t = _words(_LANGUAGE.get())
    with click.progressbar(length=len(STAGES), label=t("cli.building"), file=sys.stderr, show_eta=False, item_show_func=lambda s: s) as bar:

        def progress(name: str) -> None:
            bar.update(1, t(f"cli.stage.{name}") if name in STAGES else name)

        return run(debug, func, site_dir, audiences=audiences, strict=strict, output_dir=output, progress=progress)


def _words(lang: str):
    """lisite's own catalogue (as :func:`lisite.fmt.words`, without importing the number formatting)."""
    from lisite.i18n import Translator

    return Translator(lang)


def _print_report(report) -> None:
    t = _words(report.config.language)  # the warnings are worded in the site's language
    for warning in report.warnings[:10]:
        click.echo(f"{t('problems.label_warning')}: {warning}", err=True)
    if len(report.warnings) > 10:
        click.echo(t("problems.more_build_warnings", n=len(report.warnings) - 10), err=True)
    pages = ", ".join(f"{aud}: {n}" for aud, n in report.pages.items())
    from lisite import unchanged

    if isinstance(report, unchanged.Kept):  # a site not written is not "built" (and its month is the one built before)
        click.echo(t("build.kept", folder=str(report.output_dir), pages=pages))
        return
    # imported here: the build imported it already, and an unchanged site's few milliseconds need not
    from lisite import fmt

    period = fmt.period(report.config.period, report.config.language)  # the month, as [period] current = "auto" chose it
    click.echo(t("build.built", period=period, folder=str(report.output_dir), pages=pages))
    if report.reused and len(report.reused) < len(report.pages):  # (all read back: the line above says it all)
        click.echo(t("build.reused", audiences=", ".join(report.reused)))


@main.command()
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_env_option
@_debug_option
def check(site_dir: Path, output_format: str, env_file: Path | None, debug: bool) -> None:
    """Check the configuration and the data and find every problem at once, without writing anything."""
    import json

    from lisite.check import as_json, check as do_check, counted, summary

    lang = speak_as(site_dir)  # the problems are worded in the site's language, and so is the rest
    _read_env(debug, env_file, site_dir)
    problems = run(debug, do_check, site_dir)
    total = summary(problems)
    if output_format == "json":
        click.echo(json.dumps(as_json(problems), indent=2, ensure_ascii=False))
        if total["errors"]:
            raise click.exceptions.Exit(1)
        return
    t = _words(lang)
    said_month(site_dir, t)
    for problem in problems:
        label = t("problems.label_error" if problem.severity == "error" else "problems.label_warning")
        click.echo(f"{label}: {problem}")
    if problems:
        click.echo("\n" + t("problems.summary"))
        for row in total["files"]:
            click.echo(f"  {row['file'] or t('problems.general')}: {counted(row['errors'], row['warnings'], lang)}")
    if total["errors"]:
        raise LisiteError(t("problems.found", counted=counted(total["errors"], total["warnings"], lang)))
    click.echo(t("problems.all_well", n=len(problems)))


def said_month(site_dir: Path, t) -> None:
    """With ``[period] current = "auto"``, the month ``lisite check`` held the exports against (nothing otherwise: the
    month is then the one lisite.toml names)."""
    from lisite import fmt
    from lisite.config import load_config

    try:
        config = load_config(site_dir)
    except LisiteError:  # the check has said why already
        return
    if config.period_auto:
        click.echo(t("cli.period_auto", period=fmt.period(config.period, config.language)))


@main.command()
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--port", default=8000, show_default=True)
@click.option("--open", "open_browser", is_flag=True)
@_env_option
@_debug_option
def serve(site_dir: Path, port: int, open_browser: bool, env_file: Path | None, debug: bool) -> None:
    """Build, show the site on 127.0.0.1 and build again when a file changes."""
    from lisite.serve import serve as do_serve

    speak_as(site_dir)
    _read_env(debug, env_file, site_dir)
    run(debug, do_serve, site_dir, port=port, open_browser=open_browser, echo=click.echo)


@main.command()
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@_debug_option
def plugins(site_dir: Path, debug: bool) -> None:
    """Show the plugins, their hooks and indicators."""
    from lisite.inspect import describe_plugins

    speak_as(site_dir)
    for line in run(debug, describe_plugins, site_dir):
        click.echo(line)


@main.command("new-plugin")
@click.argument("name")
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@_debug_option
def new_plugin(name: str, site_dir: Path, debug: bool) -> None:
    """Make a new indicator plugin with its own test in the site's plugins/."""
    from lisite.scaffold import new_plugin as make

    t = _words(speak_as(site_dir))
    for path in run(debug, make, site_dir, name):
        click.echo(t("cli.created", path=path))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_debug_option
def init(directory: Path, debug: bool) -> None:
    """Make a new site with configuration, texts and sample data, ready to build."""
    from lisite.scaffold import init_site

    run(debug, init_site, directory, speak_as(Path(".")))  # a refusal in the current folder's site's language
    click.echo(_words(speak_as(directory))("cli.init.made", directory=directory))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="lisite-demo")
@click.option("--no-open", is_flag=True)
@_debug_option
def demo(directory: Path, no_open: bool, debug: bool) -> None:
    """Build the demo site from the embedded sample data and open it."""
    from lisite.build import build as do_build
    from lisite.scaffold import init_site

    if not (directory / "lisite.toml").is_file():
        run(debug, init_site, directory)
    earlier = run(debug, last_meeting, directory)
    if earlier:  # a new demo: its report for the last meeting first, so "Siden sidste møde" has one to compare with
        run(debug, do_build, directory, period=earlier)
        from lisite import fmt

        click.echo(_words(speak_as(directory))("cli.demo.last_meeting", period=fmt.period(earlier, _LANGUAGE.get())), err=True)
    report = _build_with_progress(debug, do_build, directory, None, False, None)
    _print_report(report)
    index = report.output_dir / "index.html"
    click.echo(_words(_LANGUAGE.get())("cli.demo.open", address=index.as_uri()))
    if not no_open:
        import webbrowser

        webbrowser.open(index.as_uri())


def last_meeting(directory: Path) -> str:
    """The month of the demo committee's last meeting, a quarter before its report (``YYYY-MM``), when the demo in
    ``directory`` has no site yet; else "" (its site, and the earlier reports kept in it, are built on)."""
    import pandas as pd

    from lisite.config import load_config

    config = load_config(directory)
    return "" if config.output_dir.exists() else str(pd.Period(config.period, "M") - 3)


@main.command("sample-data")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--seed", default=2026, show_default=True)
@click.option("--kommune", type=int, default=None)
@click.option("--variant", type=click.Choice(["demo", "anden"]), default="demo", show_default=True)
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True)
def sample_data(out: Path | None, seed: int, kommune: int | None, variant: str, scale: float) -> None:
    """Write the synthetic sample data (the same for the same --seed)."""
    from lisite import sampledata

    t = _words(speak_as(Path(".")))  # the current folder's site's language (sample data are Danish exports either way)
    if variant == "anden" and scale != 1.0:
        raise click.UsageError(t("cli.sample_data.scale_demo_only"))
    if variant == "anden":
        paths = sampledata.second_site(out or Path("anden_kommune"), seed=seed, kommune=kommune or sampledata.second.KOMMUNE)
    else:
        paths = sampledata.generate(out or Path("sample_data"), seed=seed, kommune=kommune or 479, scale=scale)
    for path in paths:
        click.echo(t("cli.wrote", path=path))


@main.command("build-all")
@click.option("--kommuner", default=None)
@click.option("--all", "every", is_flag=True)
@click.option("--workers", type=click.IntRange(min=1), default=None)
@click.option("--shard", default="1/1", show_default=True)
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("kommuner"), show_default=True)
@click.option("--template", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None)
@click.option("--seed", default=2026, show_default=True)
def build_all(kommuner: str | None, every: bool, workers: int | None, shard: str, output: Path, template: Path | None,
              seed: int) -> None:
    """Build a site per municipality with sample data the municipality's size, in several processes side by side."""
    import os

    from lisite import buildall
    from lisite.resources import demo_dir
    from lisite.sampledata.kommuner import find

    t = _words(speak_as(template if template is not None else demo_dir()))  # the language of the sites it builds
    if template is not None and not (template / "lisite.toml").is_file():
        raise click.UsageError(t("cli.build_all.no_config", folder=template))
    if (kommuner is None) == (not every):
        raise click.UsageError(t("cli.build_all.choose", option="--kommuner"))
    try:
        codes = None if every else [int(code) for code in kommuner.split(",") if code.strip()]
    except ValueError:
        raise click.UsageError(t("cli.build_all.bad_codes", option="--kommuner", codes=kommuner)) from None
    for code in codes or ():
        try:
            find(code)
        except ValueError:
            raise click.UsageError(t("cli.build_all.unknown", option="--kommuner", code=code)) from None
    try:
        chosen = buildall.select(codes, buildall.parse_shard(shard))
    except ValueError:
        raise click.UsageError(t("cli.build_all.bad_shard", shard=shard)) from None
    if not chosen:
        click.echo(t("cli.build_all.empty_shard", shard=shard))
        return
    results = buildall.run(chosen, output, workers or os.cpu_count() or 1, template, seed, echo=click.echo,
                           lang=_LANGUAGE.get())
    if any(result.error for result in results):
        raise click.exceptions.Exit(1)


@main.command()
@click.argument("name", required=False)
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--api", default=None)
@_debug_option
def fetch(name: str | None, site_dir: Path, api: str | None, debug: bool) -> None:
    """Fetch figures from Statistics Denmark for the site's DST sources (all, or the source NAME) and store them in data/dst/."""
    from lisite import dst
    from lisite.config import load_config
    from lisite.dst_fetch import fetch as do_fetch

    speak_as(site_dir)
    config = run(debug, load_config, site_dir)
    t = _words(config.language)
    found = run(debug, do_fetch, config, name, api or dst.API)
    if not found:
        click.echo(t("dst.fetch_none"))
    for change in found:
        click.echo(t("dst.fetch_line", source=change.source, table=change.table, what=_fetch_words(change, t)))


def _fetch_words(change, t) -> str:
    """What one fetch changed, in words: first time, new periods, changed figures, or unchanged."""
    if change.first:
        return t("dst.fetch_first", n=change.unchanged)
    if change.same:
        return t("dst.fetch_same", n=change.unchanged)
    parts = [t("dst.fetch_periods", periods=", ".join(change.new_periods))] if change.new_periods else []
    parts.append(t("dst.fetch_changed", n=change.changed, same=change.unchanged))
    return "; ".join(parts)


@main.command()
@click.option("--clear", is_flag=True)
def cache(clear: bool) -> None:
    """Show where lisite keeps copies of loaded data and computed figures, and how much; --clear deletes them."""
    import shutil

    from lisite.fmt import number
    from lisite.resources import CACHE_PARTS, cache_dir

    lang = speak_as(Path("."))  # the current folder's site's language
    t = _words(lang)
    folder = cache_dir()
    click.echo(t("cli.cache.folder", folder=folder))
    for part in CACHE_PARTS:
        path = folder / part
        # what it keeps: not a write under way, nor the ledger of the results' size (their names begin with a dot)
        files = [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")] if path.is_dir() else []
        size = sum(p.stat().st_size for p in files)
        click.echo("  " + t("cli.cache.line", part=f"{part + '/':11s}", size=f"{number(size / 1e6, 1, lang):>8s}",
                            files=f"{number(len(files), 0, lang):>6s}", what=t(f"cli.cache.part.{part}")))
        if clear and path.is_dir():
            shutil.rmtree(path)
    if clear:
        click.echo(t("cli.cache.cleared"))


@main.command("pdf")
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--audience", default=None)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--page", "pages", multiple=True)
@_debug_option
def pdf(site_dir: Path, audience: str | None, output: Path | None, pages: tuple[str, ...], debug: bool) -> None:
    """Write the meeting pack: one audience's pages as one PDF with a cover, contents and page numbers."""
    from lisite.pdf import make_pdf

    t = _words(speak_as(site_dir))
    path = run(debug, make_pdf, site_dir, audience, output, progress=lambda step: click.echo(t(f"cli.pdf.{step}") + " …", err=True),
               pages=pages)
    click.echo(t("cli.wrote", path=path))
