"""The build, top to bottom: config → data → checks → indicators → pages → render → write.

Each stage hands typed objects to the next; plugins join in through the
hooks named at each step. Nothing is put in place until every audience has been
rendered and checked, and then all at once (an audience's files are written beside the
output folder as they are made: see :class:`lisite.output.NewSite`).
"""

from __future__ import annotations

import fnmatch
import gc
import json
import os
from datetime import date
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import jinja2

from lisite import charts, downloads, fmt, history, linear, pictures, remember, reuse, search, sharing, unchanged, workers
from lisite.archive import Archive, history_folder, read_archive, site_period
from lisite.cache import BuildCache, BuildInputs, IndicatorKey, MemoKey, PagesKey, ReadsKey, digest, fingerprint
from lisite.disk import DiskCache, words_digest
from lisite.check import indicator_column_problems, indicator_text_problems, plugin_settings_problems
from lisite.config import Config, for_period, load_config
from lisite.count import compute_count
from lisite.earlier import FIGURES, RECORD as CELLS, figures_json, keep_figures, record_json
from lisite.context import WINDOW, BuildContext, Content, IndicatorContext, Recorder, data_key, sums_of
from lisite.data import frame_digest, load_all, prepare
from lisite.dbsource import is_database
from lisite.links import url
from lisite.live import Audiences, BuildContent, Stamps, noted, recording
from lisite.errors import BuildError, ConfigError, DataError, LisiteError, PluginError
from lisite.i18n import Translator, localise_config, localise_datasets
from lisite.model import LEVELS, Audience, Deferred, Indicator, Page, Problem, in_language
from lisite.output import NewSite, check_output_dir, remove_leftovers, safe_join
from lisite.plugins import KeptManager, PluginManager, plugin_manager
from lisite.render import PageView, Rendered, Views, make_env, page_fields
from lisite.update import write_changed
from lisite.resources import data_root, themes_dir
from lisite.staging import check_frame
from lisite.textcolumns import python_strings
from lisite.tracking import entries_used, result_digest


@dataclass
class BuildReport:
    """What a build did, for the CLI and tests."""

    config: Config
    output_dir: Path
    pages: dict[str, int] = field(default_factory=dict)  # audience → pages
    warnings: list[Problem] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)  # the audiences read back from the last build, nothing of theirs changed
    files: int = 0


@dataclass
class Session:
    """State kept between builds by ``lisite serve``: one typed, bounded cache (see :mod:`lisite.cache`)."""

    cache: BuildCache = field(default_factory=BuildCache)
    disk: DiskCache = field(default_factory=DiskCache.default)  # datasets and indicators for the next process
    #: The output folder is only read by ``lisite serve``'s own server: write the changed files in place
    #: (:func:`lisite.update.write_changed`) instead of swapping in a whole new folder.
    live: bool = False
    written: dict[str, bytes] = field(default_factory=dict, repr=False)  # what the last build wrote (``live``)
    stamps: Stamps = field(default_factory=Stamps, repr=False)  # input files' hashes, read again when changed (``live``)
    audiences: Audiences = field(default_factory=Audiences, repr=False)  # each audience's last site (``live``)
    plugins: KeptManager = field(default_factory=KeptManager, repr=False)  # the last plugin manager (``live``)


def output_sources(config: Config) -> list[tuple[str, Path]]:
    """(config key, path) of every file the build reads data from: the output folder must not swallow one."""
    found = [(f"sources.{name}.path", config.site_dir / source.path) for name, source in config.sources.items() if source.path]
    if config.measures_catalogue:
        found.append(("measures.catalogue", config.site_dir / config.measures_catalogue))
    return found


@python_strings  # text columns as lisite is tested with them, whether or not pyarrow is installed
def build(
    site_dir: Path | str = ".",
    audiences: list[str] | None = None,
    strict: bool = False,
    output_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    session: Session | None = None,
    extra_plugins: list[tuple[str, Any]] = (),
    reload_script: str = "",
    written: Callable[[], None] | None = None,
    period: str | None = None,
) -> BuildReport:
    """Build the site in ``site_dir``. Raises a :class:`LisiteError` on any problem.

    ``written`` is called as soon as the new site is in place (``lisite serve`` tells the browser then).
    ``period`` (``YYYY-MM``) builds the report for that month instead of ``[period] current``: the next build for
    another month keeps it as an earlier report (see :mod:`lisite.archive`).
    """
    step = progress or (lambda name: None)
    fresh_session = session is None
    session = session or Session()
    cache = session.cache
    cache.disk = session.disk
    cache.lasting = not fresh_session  # a one-off build's cache goes with it
    if session.live:
        session.disk.wait()  # what the next process may reuse is written after the browser is told
    cache.begin()

    step("config")
    config = load_config(site_dir) if period is None else for_period(load_config(site_dir), period)
    output_key = "site.output" if output_dir is None else "--output"
    output_dir = (output_dir or config.output_dir).resolve()
    check_output_dir(output_dir, config.site_dir, output_key, output_sources(config), [
        ("site.content", config.content_dir), *((f"plugins.paths ({p})", config.site_dir / p) for p in config.plugin_paths)],
        config.language)
    remove_leftovers(output_dir)  # an interrupted build's temporary folders (they may hold caseworkers' pages)
    pm = plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths, extra_plugins,
                        session.plugins if session.live else None, session.stamps.file, config.language)  # serve: kept while the plugins are the same
    inputs_record = unchanged.begin(config, pm, output_dir, audiences, strict, reload_script, session=not fresh_session)  # before data
    t = Translator(config.language, [*pm.folders("locales"), config.site_dir / "locales"])
    config = localise_config(config, t)
    selected = select_audiences(config, audiences)
    history_from = history_folder(output_dir, config.output_dir)  # (the site's own output folder, for a new one elsewhere)
    replaced = history_from == output_dir  # a build elsewhere (the meeting pack's) needs only its own audiences' history
    earlier = read_archive(history_from, config.period, list(config.audiences) if replaced else [a.id for a in selected], t,
                           replaced=replaced, site_dir=config.site_dir)  # earlier periods' sites, kept in the new output
    pm.hook.lisite_build_start(config=config, site_dir=config.site_dir)

    step("data")
    loaded, problems = read_data(config, pm, t, cache, session.stamps if session.live else None, parallel=fresh_session)  # typed, prepared, checked

    step("validate")
    errors = [p for p in problems if p.severity == "error" or strict]
    if errors:
        raise DataError(errors)

    step("indicators")
    content = BuildContent([config.content_dir, data_root() / "content"], config.language)
    indicators = with_texts(collect_indicators(pm, config), content)
    settings = plugin_settings_problems(config, pm, indicators, t)  # a misspelt indicator id would drop a figure
    settings += indicator_column_problems(loaded.datasets, indicators, t)  # ... or a goal
    settings += indicator_text_problems(config, indicators, t)  # ... or an indicator's own text
    if any(p.severity == "error" or strict for p in settings):
        raise DataError([p for p in settings if p.severity == "error" or strict])
    problems += settings
    inputs = build_inputs(pm, config, loaded.datasets, t, indicators, problems)
    session.disk.wait()  # a one-off build writes its indicators' results for the next process later, when it has time (meanwhile)
    results, result_keys, sums = compute_indicators(indicators, config, loaded.datasets, cache, pm, inputs, t, parallel=fresh_session,
                                                    meanwhile=(lambda: ready_for_pages(config, pm, cache)) if fresh_session else None,
                                                    parts=audience_parts(selected) if fresh_session else ())
    ctx = BuildContext(
        config=config,
        t=t,
        datasets=localise_datasets(loaded.datasets, t),  # titles and descriptions in the site's language
        problems=problems,
        all_indicators=indicators,
        results=results,
        result_keys=result_keys,
        cache=cache,
        inputs=inputs,
        content=content,
        archive=earlier,
    )
    ctx.reads.values.update(result_hashes(results, result_keys))  # what a kept part that read a result is checked against
    ctx.derived.update(sums)  # the results' sums for each part of the organisation, made with them

    step("pages")
    gc.freeze()  # the data, results and code loaded so far stay: the collector need not walk them again and again
    env = template_env(config, pm.folders("templates"), cache)
    report = BuildReport(config, output_dir, warnings=[p for p in problems if p.severity == "warning"] + earlier.warnings)
    manifest: dict[str, Any] = {"audiences": {}, "inputs": {}, "period": config.period}

    keepable = all(lasting_code(pm, name) for name in pm.infos)  # a plugin object's code cannot be hashed
    stamps = session.stamps.file if session.live else None  # serve: hash only the files whose stat changed
    keys = reuse.site_keys(ctx, pm, output_dir, reload_script, stamps) if keepable else reuse.Keys("", "", "")

    checks: list[tuple[Audience, Callable[[], None] | None]] = []  # the audiences made here, each one's check (see checked)

    def one(audience: Audience) -> AudienceSite:
        archived = earlier.files(audience.id)
        archive = {**archived, **{f"\0{FIGURES}/{period}": data  # (and their true figures, kept elsewhere)
                                  for period, data in earlier.figures.get(audience.id, {}).items()}}
        key, live_key, apart = reuse.audience_keys(keys, audience, archive)
        if key and session.live:  # serve: kept in memory, made again when its key or a text it read changed
            checks.append((audience, None))  # (checked as it is made)
            return live_audience(session, audience, key, live_key, apart, ctx, lambda: build_audience(audience, ctx, pm, env, reload_script))
        # nothing it is made from changed since the last build, or only texts it did not read (or, for a new folder, so
        # in the site's own)
        found = key and (reuse.reused(output_dir, audience.id, key, apart, ctx.content)
                         or (not replaced and reuse.reused(history_from, audience.id, key, apart, ctx.content)))
        if found:
            checks.append((audience, None))  # (checked when it was made)
            return AudienceSite(*found, reused=True)
        later: list[Callable[[], None]] = []
        with shared_with_others(audience), recording(ctx.content) as texts:
            sharing.mark(("making", audience.id))  # (made, not read back: worth staging ahead, see stage_ahead)
            site = build_audience(audience, ctx, pm, env, reload_script, later=later)
        checks.append((audience, later[0] if later else None))
        if key:
            site.files[reuse.RECORD] = reuse.record(site.files, site.pages, site.manifest, key, apart=apart, texts=texts)
        return site.without(archived)  # (a worker does not send back what this process has)

    def checked() -> dict[int, Exception | None]:
        """The check (``lisite_check_output``) of each audience made here, once a worker has taken its last audience (in
        one process, once all are made), those of the coarsest level first: a file the committee's check passed is not
        scanned again for the leaders, whose check forbids less (the leak check's wider rules). Nothing is put in place
        before every verdict is in (:func:`lisite.workers.each` with ``finish``)."""
        verdicts: dict[int, Exception | None] = {}
        if not session.live:  # first what the other worker would do after, while it makes its audiences
            others = [audience for audience in selected if audience not in {made for made, _ in checks}]
            stage_ahead(others)
            check_ahead(others)
        for audience, check in sorted(checks, key=lambda made: level_rank(made[0])):
            index = selected.index(audience)
            verdicts[index] = None
            try:
                if check is not None:
                    with shared_with_others(audience):
                        check()
            except LisiteError as exc:
                verdicts[index] = exc
        checks.clear()
        return verdicts

    def stage_ahead(others: list[Audience]) -> None:
        """The indicators of the audiences ``others`` (made in another worker) staged here, from the last to the first,
        for the worker that makes them: a worker that is through with its own audiences takes on the suppression of
        those the other one has not reached (beside earlier reports, most of a large municipality's leaders' site),
        and the two meet in the middle; the finest level's first (the most cells to hide). Only an audience that is made,
        not read back from the last build (:mod:`lisite.reuse`): one a worker has begun to make, or one there is nothing
        to read back of (a new period's, a first build's); and then any the other worker has begun since. An indicator
        staged and left by a worker already is skipped. Not the case level's (its values are
        never shared, :func:`shared_with_others`). An indicator that cannot be staged here is left to the worker that
        makes the audience, which says why if its pages need it."""
        def made(audience: Audience) -> bool:
            return (sharing.offered(("making", audience.id)) or audience.id in earlier.moved
                    or not any((folder / audience.id / reuse.RECORD).is_file() for folder in {output_dir, history_from}))

        helped: set[str] = set()
        while begun := [audience for audience in sorted(others, key=level_rank, reverse=True) if audience.id not in helped
                        and audience.level != LEVELS[-1] and made(audience)]:
            for audience in begun:
                helped.add(audience.id)
                actx = ctx.for_audience(audience)
                with shared_with_others(audience):
                    for indicator_id in reversed(list(actx.indicators)):
                        try:
                            actx.staged_ahead(indicator_id)
                        except Exception:  # noqa: BLE001, S112 (work done ahead of need: the worker that needs it makes it, and fails there)
                            continue

    def check_ahead(others: list[Audience]) -> None:
        """``lisite_check_ahead`` of the earlier reports of the audiences ``others`` (made in another worker), the
        coarsest level first: a worker that is through with its own audiences looks at them while the other one makes
        its last (beside a year of reports their check is most of an audience's). None in one process: there are no
        others."""
        for audience in sorted(others, key=level_rank):
            archived = earlier.files(audience.id)
            if archived:
                with shared_with_others(audience):
                    pm.hook.lisite_check_ahead(audience=audience, files=archived, ctx=ctx.for_audience(audience))

    def meanwhile() -> None:  # what the audiences do not need: worked out while the workers make them
        manifest["inputs"] = input_hashes(loaded.datasets, cache, inputs)
        if not session.live:
            session.disk.write()

    step("render")
    files: dict[str, bytes] = {}
    figures: dict[str, tuple[bytes, bytes]] = {}  # each audience made here: its record and true figures (kept, see below)
    with NewSite(output_dir, config.language) as new:  # a one-off build's new output folder: in place at the end, or removed
        # an audience's files are written there as they come from the workers, a large one's by the worker that made it
        # (serve writes only what changed, below)
        if fresh_session and workers.count(len(selected)) > 1:
            new.share()

        def write_there(index: int, site: AudienceSite) -> None:  # in the process that made it, as soon as it is made
            if len(site.files) >= WRITTEN_THERE:
                new.add(audience_files(selected[index], site, earlier))
                site.written = True

        def arrived(index: int, site: AudienceSite) -> None:  # here, as soon as it is here
            (new.adopt if site.written else new.add)(audience_files(selected[index], site, earlier))

        # in a forked worker and in this process, when safe; the audiences of finer levels first: they see the most rows
        # and pages; the finest one's worker leaves the last audience to the lane that made a coarser one, with which it
        # shares its figures (apart)
        for audience, site in zip(selected, workers.each(one, selected, parallel=fresh_session, weight=level_rank, meanwhile=meanwhile,
                                                         apart=True, arrived=None if session.live else arrived, share=True,
                                                         finish=checked, here=None if session.live else write_there)):
            files.update(audience_files(audience, site, earlier))
            report.pages[audience.id] = site.pages
            if site.reused:
                report.reused.append(audience.id)
            elif site.figures:
                figures[audience.id] = (site.files[CELLS], site.figures)
            manifest["audiences"][audience.id] = site.manifest
        carried = current_not_built(output_dir, config, selected) if replaced else []
        for audience, site in carried:  # (in the manifest and the root page, not in the report: not built)
            files.update(audience_files(audience, site))
            manifest["audiences"][audience.id] = site.manifest
        present = {audience.id for audience in [*selected, *(audience for audience, _ in carried)]}
        files.update(archives_not_built(earlier, config, [config.audiences[name] for name in present]))
        files["index.html"] = render_root(env, ctx, [a for a in config.audiences.values() if a.id in present], reload_script)
        files.update(root_assets(config))
        files["manifest.json"] = (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
        files.update(inputs_record.files(files, report.pages, report.warnings))  # next time: nothing changed? (lisite.unchanged)

        gc.unfreeze()
        step("write")
        if session.live:
            write_changed(files, output_dir, session.written)  # the serve folder: only what changed (see lisite.update)
        else:
            new.put_in_place(files)  # the rest, then all at once: never a half-overwritten site
            # the true figures of the reports now in place, outside the output: for the later reports' suppression
            try:
                keep_figures(config.site_dir, figures, output_dir if output_dir == config.output_dir.resolve() else None)
            except OSError as exc:  # (the site is in place: the next report's build names the figures it lacks)
                report.warnings.append(Problem(t("archive.figures_not_kept", folder=str(config.site_dir / FIGURES), error=str(exc)),
                                               severity="warning"))
    if written is not None:
        written()
    session.disk.write()
    report.files = len(files)
    pm.hook.lisite_build_finish(config=config, output_dir=output_dir, ctx=ctx)
    if not fresh_session and not audiences:
        cache.sweep()  # what this whole build did not use belongs to superseded data, config or code
    return report


def read_data(config: Config, pm: PluginManager, t: Translator, cache: BuildCache, stamps: Stamps | None = None,
              parallel: bool = False) -> tuple[Any, list[Problem]]:
    """The datasets loaded, typed and prepared, and every problem found in them (the plugins' checks too).

    Under ``lisite serve`` (``stamps``) the loaded and prepared data are kept while every source file, the
    config, the plugins' code and the texts are the same: an edited page text does not read the data again.
    The plugins' checks run every time: they may read other files (a catalogue under ``content/``). The cache entries the
    data were made from (each dataset, its typed columns, its checks) are kept with them and used again with them, so
    a build that reuses the whole does not sweep its parts: after five text edits the first edit of a value read every
    dataset back from disk, typed every column of the edited file and checked every dataset again (0.27 s more than
    the next edit in the demo).
    ``parallel``: a one-off build, whose datasets may be read in forked workers.
    """
    key = live_data_key(config, pm, t, stamps) if stamps is not None else None
    reused = cache.get(key) if key is not None else None
    if reused is not None:
        loaded, used = reused
        cache.touch(used)
    else:
        specs = [spec for specs in pm.hook.lisite_datasets(config=config) for spec in specs]
        with entries_used(cache) as used:
            loaded = load_all(config, specs, pm.hook.lisite_load_source, cache, t=t, loader=pm.code_key(pm.implementers("lisite_load_source")),
                              lasting=all(lasting_code(pm, name) for name in pm.implementers("lisite_load_source")), parallel=parallel,
                              kept=cache if stamps is not None else None,  # serve: columns typed, checks made once per content
                              hashed=stamps.file if stamps is not None else None,
                              then=lambda result: prepare(result, specs, pm.hook.lisite_prepare, config))  # while the checks are made
        if any(p.severity == "error" for p in loaded.problems):
            raise DataError([p for p in loaded.problems if p.severity == "error"])
        if key is not None:
            cache.put(key, (loaded, used))
    problems = loaded.problems + [p for found in pm.hook.lisite_validate(data=loaded.frames, config=config, t=t) for p in found]
    in_language(problems, t.lang)  # str() words the row and column in the site's language
    return loaded, problems


def live_data_key(config: Config, pm: PluginManager, t: Translator, stamps: Stamps) -> MemoKey | None:
    """What the data :func:`read_data` loads and prepares depend on: the content of every source file, the config, the plugins' code,
    the texts and the day ("today" as a source's extraction date). ``None`` when a source is not a file in the
    site (a database, Danmarks Statistik): nothing says whether its rows changed, so it is read every time."""
    sources = config.sources.values()
    if any(source.kind or not source.path or is_database(source) for source in sources):
        return None
    files = [config.site_dir / path for path in [*(s.path for s in sources), config.measures_catalogue] if path]
    hashes = tuple((str(path), stamps.file(path.resolve())) for path in files)
    return MemoKey(None, ("read_data", hashes, digest(config), pm.code_key(), words_digest(t), date.today().isoformat()))


def ready_for_pages(config: Config, pm: PluginManager, cache: BuildCache) -> None:
    """What each worker that makes audiences' pages would do first, done once in this process while the indicators are
    computed: the workers are forked from it afterwards and start with it done. The templates compiled (the environment
    is the one the pages use, :func:`template_env`), the site's number formats read from Babel's data, the workbook
    writer and the suppression's solver imported (XlsxWriter and HiGHS)."""
    env = template_env(config, pm.folders("templates"), cache)
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeError, OSError):  # a template no page uses may not compile or read: one
            pass  # that is used says so where it is used
    fmt.number(1234.5, 1, config.language)
    from lisite import workbook  # noqa: F401
    linear.ready()


def template_env(config: Config, plugin_folders: list[Path], cache: BuildCache) -> Any:
    """The Jinja environment, kept between builds of ``lisite serve`` (its compiled templates are reused).

    Jinja reloads a template whose file changed; the key holds every template file's name and
    modification time too, so a template added in front of another (a theme overriding one) is seen.
    """
    env = make_env(config, plugin_folders)
    folders = [Path(folder) for loader in env.loader.loaders if isinstance(loader, jinja2.FileSystemLoader)
               for folder in loader.searchpath]
    stamps = tuple((str(path), path.stat().st_mtime_ns) for folder in folders if folder.is_dir()
                   for path in sorted(folder.rglob("*")) if path.is_file())
    return cache.get_or_make(MemoKey(None, ("templates", config.language, stamps)), lambda: env)


def build_inputs(pm: PluginManager, config: Config, datasets: dict, t: Translator, indicators: dict[str, Indicator],
                 problems: list[Problem] = ()) -> BuildInputs:
    """What every cached value of this build depends on: data, config, plugin code, texts, declarations, problems found."""
    return BuildInputs(
        data=data_key(datasets),
        config=digest(config),
        code=pm.code_key(),
        views=pm.code_key(pm.implementers("lisite_indicator_view")),
        texts=words_digest(t),  # the catalogue's contents
        declared=digest(tuple(fingerprint(ind) for ind in indicators.values())),
        problems=digest(tuple(problems)),
    )


@dataclass
class AudienceSite:
    """One audience's finished, checked files."""

    files: dict[str, bytes]
    pages: int
    manifest: dict[str, Any]
    reused: bool = False  # read back from an earlier build (lisite.reuse), not made
    figures: bytes = field(default=b"", repr=False)  # its true figures, kept outside the output (lisite.earlier.keep_figures)
    without_archive: bool = False  # its earlier reports' files are left out of ``files`` (see :meth:`without`)
    written: bool = False  # its files are in the new output folder already: the process that made it wrote them

    def without(self, archive: dict[str, bytes]) -> AudienceSite:
        """The site with its earlier reports' files (``archive``: the build's :meth:`Archive.files`, which it was made with)
        left out of ``files``: the build process read them, so a worker that made the site sends back only what it made
        (beside a year of reports, most of the bytes), and :func:`audience_files` puts them back. A file at one of their
        paths with other bytes stays."""
        self.files = {path: data for path, data in self.files.items() if archive.get(path) is not data}
        self.without_archive = True
        return self


#: How far through an audience it is once its pages are collected (:func:`lisite.workers.progress`): the plugins' pages
#: stage most of the indicators it shows. Collecting them took 39-65 % of the audience's time in the builds measured (the
#: leaders' of the demo, Odense and København-sized data, 7 December 2026); its views, pages and downloads the rest.
COLLECTED = 0.5


def build_audience(audience: Audience, ctx: BuildContext, pm: PluginManager, env: Any, reload_script: str,
                   later: list[Callable[[], None]] | None = None) -> AudienceSite:
    """Pages → views → charts → HTML → checks, for one audience. With ``later``, the check is not made here but added
    to it, to be made before anything is put in place (the build makes it once its process has made its last audience)."""
    actx = ctx.for_audience(audience)
    actx.pages = {}
    actx.kept_derived()  # the targets, periods and processes earlier builds worked out, kept while the audience is built
    pages = collect_pages(pm, audience, actx)
    workers.progress(COLLECTED)  # (for the other lane of a build's workers: see lisite.workers._lane)
    views = []
    for number, page in enumerate(pages, 1):
        views.append(Views(actx, pm.hook.lisite_indicator_view, pm.hook).page(page))
        workers.progress(COLLECTED + (1 - COLLECTED) * number / len(pages))
    files = render_audience(env, pm, actx, views, reload_script)
    files[search.INDEX_PATH] = search.index_script(files, {view.page.path: view.page.title for view in views}, page_texts(ctx.cache))
    files.update(downloads.files([table for view in views for table in view.downloads], actx.t))  # checked with the pages
    files.update(static_files(ctx.config, pm))
    shown = {key[1] for key in actx.staged_cache if key[0] == audience.id}  # the indicators its pages show
    files[history.SUMMARY] = actx.kept((history.SUMMARY, audience, tuple(sorted(shown))),  # what this audience was shown
                                       lambda: history.summary_json(actx, shown))
    staged = shown_cells(actx, audience, shown)
    files[CELLS] = record_json(staged, ctx.config.period, kept=ctx.cache.lasting)  # for later reports
    figures = figures_json(staged, kept=ctx.cache.lasting)  # ... and their true figures: kept, never published
    files.update(ctx.archive.files(audience.id))  # its earlier periods' sites: checked again with the rest
    if later is None:
        check_output(pm, audience, files, actx)
    else:  # the files as they are now (the build adds its record of them to the site)
        later.append(lambda files=dict(files): check_output(pm, audience, files, actx))
    return AudienceSite(files, len(pages), audience_manifest(audience, actx), figures=figures)


def shown_cells(ctx: BuildContext, audience: Audience, shown: set[str]) -> dict[str, tuple[Any, Any]]:
    """Each indicator the audience's pages show: its staged periods and 12-month sums (:class:`lisite.staging.Staged`,
    ``None`` without)."""
    return {indicator: (ctx.staged_cache[(audience.id, indicator)], ctx.staged_cache.get((audience.id, indicator, WINDOW)))
            for indicator in shown}


#: An audience of this many files or more (a large municipality's caseworkers': 3,133 at 16 times the demo's cases) is
#: written into the new output folder by the process that made it, so that the build's process, which writes the
#: others, is not left writing it after its own audiences (1.3 s of the 16 times site's 11 s; its build 7.6 % and
#: 13.6 % faster in two runs of three of each in turn). A smaller one is sent here and written here: a worker's writing
#: costs it memory (each allocation there may copy a page it shares with this process: the demo's two worker-made
#: audiences, 732 files, held 10 MiB more at the peak, five builds each in turn), which the demo's 250 MiB cannot spare.
WRITTEN_THERE = 1000


def audience_files(audience: Audience, site: AudienceSite, archive: Archive | None = None) -> dict[str, bytes]:
    """An audience's files by their paths in the output folder; a site made :meth:`~AudienceSite.without` its earlier
    reports gets them back from ``archive`` (the build's)."""
    files = {**archive.files(audience.id), **site.files} if site.without_archive else site.files
    return {f"{audience.id}/{path}": data for path, data in files.items()}


def page_texts(cache: BuildCache) -> Callable[[Any, Callable[[], Any]], Any]:
    """The memo of the search index: a page's text is made from its HTML alone (the key holds its hash), so it
    is kept whatever data the page was made from."""
    return lambda key, make: cache.get_or_make(MemoKey(None, key), make)


def live_audience(session: Session, audience: Audience, key: str, live_key: str, apart: str, ctx: BuildContext,
                  make: Callable[[], AudienceSite]) -> AudienceSite:
    """An audience's site under ``lisite serve``: the one kept in memory while ``live_key`` (the key of everything
    but the content files and the datasets' contents), the texts it read and the datasets and results it read are
    unchanged, else made again (see :mod:`lisite.live`)."""
    kept = (session.audiences.get(audience.id, live_key, ctx.content, ctx.cache, ctx.reads)
            or session.audiences.make(audience.id, live_key, ctx.content, ctx.cache, make, ctx.reads))
    site = AudienceSite(dict(kept.site.files), kept.site.pages, kept.site.manifest)
    site.files[reuse.RECORD] = reuse.record(site.files, site.pages, site.manifest, key, kept.hashes, apart, kept.reads)  # as a fresh build's
    return site


def current_not_built(folder: Path, config: Config, selected: list[Audience]) -> list[tuple[Audience, AudienceSite]]:
    """The sites a partial build (``--audience``) leaves out, as the output folder it replaces holds them: each one that
    is for this build's period and untouched since it was made (its record). The swap replaces the whole folder, and
    building one audience must not take the others' pages away. (A site of another period is archived with the rest:
    :func:`archives_not_built`.) Its files are the ones already in the folder: kept, nothing new is shown."""
    built = {audience.id for audience in selected}
    carried = []
    for audience in config.audiences.values():
        if audience.id in built or site_period(folder / audience.id)[0] != config.period:
            continue
        found = reuse.reused(folder, audience.id, None)
        if found:
            carried.append((audience, AudienceSite(*found)))
    return carried


def archives_not_built(archive: Archive, config: Config, selected: list[Audience]) -> dict[str, bytes]:
    """The archives of the audiences a partial build (``--audience``) leaves out: the swap replaces the whole
    output folder, and history must never be lost with it."""
    built = {audience.id for audience in selected}
    return {f"{audience}/{path}": data for audience in config.audiences if audience not in built
            for path, data in archive.files(audience).items()}


def collect_indicators(pm: PluginManager, config: Config) -> dict[str, Indicator]:
    """Every registered indicator by id; a duplicate id is an error naming both plugins."""
    found: dict[str, Indicator] = {}
    for name in pm.implementers("lisite_indicators"):
        for indicator in pm.call_one("lisite_indicators", name, config=config) or []:
            indicator.plugin = name
            if indicator.id in found:
                other = found[indicator.id].plugin
                raise PluginError(Translator(config.language)("plugin_error.indicator_twice", id=indicator.id, first=other, second=name))
            found[indicator.id] = indicator
    return found  # plugin order (by name), then the order each plugin registers them


#: What an indicator's text file may set in its front matter: the words readers see, in the site's language.
TEXT_FIELDS = ("title", "definition", "numerator", "denominator", "base", "source", "collection")


def with_texts(indicators: dict[str, Indicator], content: Content) -> dict[str, Indicator]:
    """Copies of the indicators with their words from ``content/indikatorer/<id>.md`` (front matter)."""
    found = {}
    for key, indicator in indicators.items():
        name = f"indikatorer/{key}.md"
        front = content.front(name)
        unknown = sorted(set(front) - set(TEXT_FIELDS))
        if unknown:
            raise BuildError(content.words("content.front_key", name=name, keys=", ".join(unknown), allowed=", ".join(TEXT_FIELDS)))
        texts = {field_: fmt.glued(str(value)) for field_, value in front.items()}  # "100 %" on one line
        found[key] = replace(indicator, **texts) if texts else replace(indicator)
        if not found[key].title:
            raise PluginError(content.words("plugin_error.no_title", id=key, plugin=indicator.plugin, name=name))
    return found


PARALLEL_FROM = 8  # indicators to compute before forked workers pay (a worker costs a few milliseconds to start)


def compute_indicators(indicators: dict[str, Indicator], config: Config, datasets: dict, cache: BuildCache,
                       pm: PluginManager, inputs: BuildInputs, t: Translator | None = None, parallel: bool = False,
                       meanwhile: Callable[[], None] | None = None, parts: tuple = ()) -> tuple[dict, dict, dict]:
    """Run each indicator's ``compute``, unless a result made from the same inputs is kept.

    A result is kept (in memory, and on disk for the next process) under the plugin's code, the
    config, the texts and the hashes of the datasets the computation read: a :class:`ReadsKey`
    remembers which those were. So an edit of one dataset recomputes only the indicators that read it.

    With ``parallel`` (a one-off build), the indicators not kept are computed in forked workers (:mod:`lisite.workers`),
    while this process does ``meanwhile``.

    Returns the results and, per indicator, the :class:`IndicatorKey` of its result, for the caches
    downstream (staging keeps to it; views add every dataset's hash, as a view may read any dataset); and the sums of
    each result computed here for each of ``parts`` (the audiences' filters: :func:`lisite.context.sums_of`).
    """
    data = {name: ds.frame for name, ds in datasets.items()}
    hashes, present = dict(inputs.data), tuple(sorted(datasets))
    results, keys = {}, {}
    lasting = {name: lasting_code(pm, name) for name in {indicator.plugin for indicator in indicators.values()}}
    reads = {indicator.id: ReadsKey(indicator.id, indicator.plugin, pm.code_hash(indicator.plugin), inputs.config,
                                    inputs.texts) for indicator in indicators.values()}  # a frame may hold catalogue words
    kept = {}
    for indicator in indicators.values():
        used = cache.get_kept(reads[indicator.id])
        cached = cache.get_kept(computed_key(reads[indicator.id], hashes, present, used)) if used is not None else None
        if cached is not None:
            kept[indicator.id] = cached
    missing = [indicator for indicator in indicators.values() if indicator.id not in kept]
    groups = indicator_groups(missing, workers.count(len(missing)))
    try:
        made_by_group = workers.each(
            lambda group: [with_sums(compute_one(indicator, config, data, datasets, config.plugin_settings.get(indicator.plugin, {}), t),
                                     indicator, parts) for indicator in group],
            groups, parallel=parallel and len(missing) >= PARALLEL_FROM, weight=len, meanwhile=meanwhile)
    finally:
        remember.forget_derived()  # what several figures were made from (lisite.calc.Derived): not kept past them
    missing = [indicator for group in groups for indicator in group]  # in the order they were made
    made = [one for group in made_by_group for one in group]
    sums: dict[tuple, Any] = {}
    for indicator, ((frame, used, periods), its_sums) in zip(missing, made):
        sums.update(its_sums)
        kept[indicator.id] = frame, used, periods
        cache.put_kept(reads[indicator.id], used, lasting[indicator.plugin])
        cache.put_kept(computed_key(reads[indicator.id], hashes, present, used), (frame, used, periods), lasting[indicator.plugin])
    for indicator in indicators.values():
        results[indicator.id], used, indicator.periods = kept[indicator.id]
        indicator.datasets = indicator.datasets or used
        made_from = computed_key(reads[indicator.id], hashes, present, used)
        keys[indicator.id] = cache.get_or_make(MemoKey(None, ("result.key", made_from)),
                                               lambda: shown_key(made_from, results[indicator.id], used, indicator.periods))
    return results, keys, sums


def with_sums(made: tuple[Any, tuple[str, ...], tuple[str, ...]], indicator: Indicator,
              parts: tuple) -> tuple[tuple[Any, tuple[str, ...], tuple[str, ...]], dict[tuple, Any]]:
    """What :func:`compute_one` made, and the result's sums for each of ``parts`` (none without parts)."""
    return made, (sums_of(indicator, made[0], parts) if parts else {})


def audience_parts(selected: list[Audience]) -> tuple:
    """The parts of the organisation the audiences built see (each a ``filter``, ``()`` for the whole), each once; none
    when one process makes all the audiences' pages (it makes each sum once anyway, and only those a page shows)."""
    return tuple(dict.fromkeys(audience.filter for audience in selected)) if workers.count(len(selected)) > 1 else ()


def shown_key(made_from: IndicatorKey, frame: Any, used: tuple[str, ...], periods: tuple[str, ...]) -> IndicatorKey:
    """The key a result is known by downstream (staging, views): what made it but the data, with the content hash of
    the result itself in place of the data's. A result recomputed after an edit that came out the same keeps every
    figure, view and page made from it (early cutoff, :mod:`lisite.tracking`)."""
    return made_from._replace(data=(("result", result_digest(frame, used, periods)),))


def result_hashes(results: dict, keys: dict[str, IndicatorKey]) -> dict[tuple[str, str], str]:
    """Each result's token hashes for :class:`lisite.tracking.Reads`: its content (with the datasets it read and the
    periods it asked for), and its column names apart (which audiences may see it, ``ctx.visible_to``)."""
    found = {}
    for name, frame in results.items():
        key = keys.get(name)
        found[("result", name)] = digest(key) if key is not None else ""
        found[("columns", name)] = digest(tuple(map(str, frame.columns)))
    return found


def computed_key(reads: ReadsKey, hashes: dict[str, str], present: tuple[str, ...], used: tuple[str, ...]) -> IndicatorKey:
    """The key of a result: the datasets it read, each with its hash (``""`` for one no longer there)."""
    return IndicatorKey(*reads[:3], tuple((name, hashes.get(name, "")) for name in used), reads.config, reads.texts, present)


def indicator_groups(indicators: list[Indicator], processes: int) -> list[list[Indicator]]:
    """The indicators to compute, in groups for the workers, in their order: a plugin's indicators together, so what
    they share (``calc.remembered``'s counts) is worked out once in one worker; a plugin with more than one worker's
    share of them (a site's own plugin may hold them all) cut into parts of at most that share."""
    share = max(1, -(-len(indicators) // max(1, processes)))
    by_plugin: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_plugin.setdefault(indicator.plugin, []).append(indicator)
    return [group[at:at + share] for group in by_plugin.values() for at in range(0, len(group), share)]


def compute_one(indicator: Indicator, config: Config, data: dict, datasets: dict, settings: dict,
                t: Translator | None) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
    """(result frame, datasets read, periods asked for) of one indicator's computation."""
    words = t or Translator("da")
    if indicator.compute is None and indicator.count is None:
        raise PluginError(words("plugin_error.no_compute", id=indicator.id, plugin=indicator.plugin))
    recorder = Recorder(data)
    ictx = IndicatorContext(config=config, data=recorder, settings=settings, t=t)
    try:
        frame = indicator.compute(ictx) if indicator.compute else compute_count(indicator.count, indicator, ictx)
    except Exception as exc:
        raise PluginError(words("build.indicator_failed", id=indicator.id, plugin=indicator.plugin, kind=type(exc).__name__, error=exc)
                          + _files_read(datasets, recorder.used, words)) from exc
    check_frame(indicator, frame, words)
    # the periods: the range it is shown over, so a period missing there is "ingen data"
    return frame, tuple(sorted(recorder.used)), tuple(sorted(ictx.asked))


def lasting_code(pm: PluginManager, name: str) -> bool:
    """May values made by this plugin's code be kept on disk? Only when its code hash is of its files'
    contents: a plugin object handed to ``build()`` is named by its module alone."""
    info = pm.infos.get(name)
    return info is not None and info.origin != "given" and bool(pm.source_files(name))


def _files_read(datasets: dict, used: set[str], t: Translator) -> str:
    """The files a failed computation read (" Den læste: sample_data/sager.csv (1 række)."), so a crash on odd data names them."""
    rows = lambda n: t("build.rows_one" if n == 1 else "build.rows_many", n=n)  # noqa: E731
    files = [f"{datasets[name].path} ({rows(len(datasets[name].frame))})"
             for name in sorted(used) if name in datasets and getattr(datasets[name], "path", "")]
    return t("build.files_read", files=", ".join(files)) if files else ""


def select_audiences(config: Config, wanted: list[str] | None) -> list[Audience]:
    if not wanted:
        return list(config.audiences.values())
    unknown = [a for a in wanted if a not in config.audiences]
    if unknown:
        raise ConfigError(Translator(config.language)("build.unknown_audience", unknown=", ".join(unknown), known=", ".join(config.audiences)))
    return [config.audiences[a] for a in wanted]


def shared_with_others(audience: Audience) -> Any:
    """Does the work for ``audience`` inside the ``with`` offer what it makes to the other workers and look for theirs
    (:func:`lisite.sharing.taking_part`)? Not for the finest level's: its pages are of single cases, which no other
    audience may see. Its pages and its check alike."""
    return sharing.taking_part(audience.level != LEVELS[-1])


def level_rank(audience: Audience) -> int:
    """How fine an audience's level is: 0 for the municipality as a whole, more for each level below it."""
    return LEVELS.index(audience.level)


def collect_pages(pm: PluginManager, audience: Audience, ctx: BuildContext) -> list[Page]:
    """The audience's pages, filtered by its ``pages`` patterns, with unique paths."""
    pages: dict[str, Page] = {}
    for name in pm.implementers("lisite_pages"):
        for page in plugin_pages(pm, name, audience, ctx):
            page.plugin = name
            safe_join(Path("/x"), page.path, ctx.t.lang)
            if not page.path.endswith(".html"):
                raise PluginError(ctx.t("plugin_error.page_suffix", plugin=name, path=page.path), plugin=name, hook="lisite_pages")
            if not any(fnmatch.fnmatch(page.path, pattern) for pattern in audience.pages):
                continue
            if page.path in pages:
                other = pages[page.path].plugin
                raise PluginError(ctx.t("plugin_error.page_twice", path=page.path, audience=audience.id, first=other, second=name))
            pages[page.path] = page
    if "index.html" not in pages:
        pages["index.html"] = Page("index.html", audience.title, section="", order=0, template="contents.html")
    ctx.pages.clear()
    ctx.pages.update(pages)
    for path, page in pages.items():
        if any(isinstance(block, Deferred) for block in page.blocks):
            pages[path] = replace(page, blocks=resolve_deferred(page, ctx))  # cached pages stay as the plugin made them
    ctx.pages.update(pages)  # as rendered: what a page shows (ctx.indicator_page) includes its deferred blocks
    return sorted(pages.values(), key=lambda p: (p.path != "index.html", p.order, p.section, p.title, p.path))


def resolve_deferred(page: Page, ctx: BuildContext) -> list[Any]:
    """The page's blocks with each :class:`Deferred` block replaced by the blocks it makes."""
    blocks: list[Any] = []
    for block in page.blocks:
        if isinstance(block, Deferred):
            try:
                blocks.extend(block.make(ctx))
            except Exception as exc:
                raise PluginError(ctx.t("plugin_error.deferred_failed", plugin=page.plugin, path=page.path, kind=type(exc).__name__,
                                        error=exc)) from exc
        else:
            blocks.append(block)
    return blocks


def plugin_pages(pm: PluginManager, name: str, audience: Audience, ctx: BuildContext) -> list[Page]:
    """One plugin's pages for an audience, reused between builds (``lisite serve``) while the config, plugins' code,
    texts and the content files, datasets and results it read are unchanged (:mod:`lisite.tracking`). The cache entries
    the plugin used (the annual report's figures, each kept by what it read) are used again with its pages: a text edit
    that reuses them does not sweep those parts, which the next data edit, when it must make the pages again, finds."""
    key = PagesKey(name, pm.code_hash(name), audience, ctx.inputs.without_data())
    cached = ctx.cache.get(key)
    if cached is not None and ctx.content.unchanged(cached[1]) and ctx.reads.same(cached[2]):
        noted(ctx.content, cached[1])
        ctx.reads.note(cached[2])
        ctx.cache.touch(cached[3])
        return cached[0]
    with recording(ctx.content) as reads, ctx.reads.recording() as read, entries_used(ctx.cache) as used:
        pages = list(pm.call_one("lisite_pages", name, audience=audience, ctx=ctx) or [])
    ctx.cache.put(key, (pages, reads, dict(read), frozenset(used)))
    return pages


def navigation(views: list[PageView]) -> list[dict[str, Any]]:
    """Sections in order of their first page, each with its pages."""
    sections: dict[str, list[Page]] = {}
    for view in views:
        if view.page.nav:
            sections.setdefault(view.page.section, []).append(view.page)
    return [{"title": title, "pages": pages} for title, pages in sections.items()]


def render_audience(env: Any, pm: PluginManager, ctx: BuildContext, views: list[PageView], reload_script: str) -> dict[str, bytes]:
    nav = navigation(views)
    files = {}
    site = site_vars(ctx)
    rendered = Rendered(ctx, env, (ctx.audience, site, reload_script, [page_fields(view.page) for view in views]))
    for view in views:
        extra: dict[str, Any] = {}
        for found in pm.hook.lisite_template_context(page=view.page, audience=ctx.audience, ctx=ctx):
            extra.update(found or {})
        variables = {
            **extra,
            "page": view.page,
            "view": view,
            "blocks": view.blocks,
            "audience": ctx.audience,
            "site": site,
            "nav": nav,
            "url": lambda target, _from=view.page.path: url(_from, target),
            "root": view.root,
            "t": ctx.t,
            "reload_script": reload_script,
            "pages": [v.page for v in views],
        }
        page = rendered.html(view, extra, lambda: render_template(
            env, view.page.template, variables, ctx.t, lambda: ctx.t("plugin_error.template_page", path=view.page.path,
                                                                     audience=ctx.audience.id)).encode("utf-8"))
        files[view.page.path], shown = pictures.placed(page, view.root, view.page.path, ctx.content, ctx.t)  # content's pictures
        files.update(shown)
    for view in views:  # each chart's spec once per audience, shared by the pages that show it (lisite.chartfiles)
        for entry in view.charts:
            path = charts.chart_path(entry["key"])
            if path not in files:
                files[path] = charts.chart_script(entry["key"], entry["json"])
    return files


def render_root(env: Any, ctx: BuildContext, audiences: list[Audience], reload_script: str) -> bytes:
    variables = dict(site=site_vars(ctx), audiences=audiences, t=ctx.t, root="", reload_script=reload_script)
    return render_template(env, "root.html", variables, ctx.t, lambda: ctx.t("plugin_error.template_root")).encode("utf-8")


def render_template(env: Any, name: str, variables: dict[str, Any], t: Translator, what: Callable[[], str]) -> str:
    """Render one template; an error names the template (and line) and the page (``what()``, worded only then), in
    ``t``'s language."""
    try:
        return env.get_template(name).render(variables)
    except LisiteError:
        raise
    except Exception as exc:
        where, line = template_location(exc, name)
        at = t("plugin_error.template_line", line=line) if line else ""
        shown = name if where == name else t("plugin_error.template_used_by", template=where, page_template=name)
        raise BuildError(t("plugin_error.template_failed", template=shown, at=at, what=what(), kind=type(exc).__name__, error=exc)) from exc


def template_location(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The template and line where a rendering error happened (the innermost template frame)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.name or _template_name(exc.filename) or name, exc.lineno
    where, line = name, None
    tb = exc.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:  # a frame Jinja maps to the template source
            where, line = _template_name(tb.tb_frame.f_code.co_filename) or name, tb.tb_lineno
        tb = tb.tb_next
    return where, line


def _template_name(filename: str | None) -> str:
    """``.../templates/blocks/x.html`` → ``blocks/x.html``."""
    if not filename:
        return ""
    path = filename.replace(os.sep, "/")
    return path.rsplit("/templates/", 1)[-1] if "/templates/" in path else Path(path).name


def site_vars(ctx: BuildContext) -> dict[str, Any]:
    config = ctx.config
    return {
        "title": config.title,
        "language": config.language,
        "synthetic": config.synthetic,
        "municipality": config.municipality_name,
        "period": config.period,
    }


def static_files(config: Config, pm: PluginManager) -> dict[str, bytes]:
    """Theme assets (the default theme's include the Vega bundle, ``vega.js``) and plugin assets (under ``assets/<plugin>/``)."""
    files: dict[str, bytes] = {}
    folders = [themes_dir() / "default" / "static", themes_dir() / config.theme / "static", config.site_dir / "theme" / "static"]
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                files[f"assets/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    for folder in pm.folders("static"):
        plugin = folder.parent.name
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                files[f"assets/{plugin}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return files


def root_assets(config: Config) -> dict[str, bytes]:
    """The files the root page links to beside it: its favicon (each audience's site has its own under assets/)."""
    folders = [config.site_dir / "theme" / "static", themes_dir() / config.theme / "static", themes_dir() / "default" / "static"]
    found = next((folder / "favicon.svg" for folder in folders if (folder / "favicon.svg").is_file()), None)
    return {"favicon.svg": found.read_bytes()} if found else {}


def check_output(pm: PluginManager, audience: Audience, files: dict[str, bytes], ctx: BuildContext) -> None:
    found = [p for problems in pm.hook.lisite_check_output(audience=audience, files=files, ctx=ctx) for p in problems]
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise BuildError(ctx.t("build.check_failed", audience=audience.id, count=len(errors), problems="\n".join(f"  {p}" for p in errors)))


def input_hashes(datasets: dict, cache: BuildCache | None = None, inputs: BuildInputs | None = None) -> dict[str, dict[str, str]]:
    """Per dataset: the file (or how the source is named), the hash of what was read (the file's bytes, a
    database's rows), and ``content``: a hash of the data as typed, the same whether it came from a file or a database.
    ``content`` is kept by the dataset's own hash, its spec and the loaders' code: an edit of one file hashes that one again."""
    def content(name: str, ds: Any) -> str:
        if cache is None or inputs is None:
            return frame_digest(ds.frame, lines=False)
        return cache.get_or_make(MemoKey(None, ("input_hash", name, ds.sha256, ds.prepared, ds.spec, inputs.config, inputs.code)),
                                 lambda: frame_digest(ds.frame, lines=False))

    return {name: {"file": ds.path, "sha256": ds.sha256, "content": content(name, ds), "rows": str(len(ds.frame))}
            for name, ds in sorted(datasets.items())}


def audience_manifest(audience: Audience, ctx: BuildContext) -> dict[str, Any]:
    staged = [(key[1], s) for key, s in ctx.staged_cache.items() if key[0] == audience.id]  # periods and 12-month sums
    return {
        "title": audience.title,
        "level": audience.level,
        "min_count": audience.min_count,
        "indicators": sorted({indicator for indicator, _ in staged}),
        "suppressed_cells": sum(s.suppressed for _, s in staged),
        "archive": ctx.archive.periods(audience.id) if ctx.archive else [],
    }
