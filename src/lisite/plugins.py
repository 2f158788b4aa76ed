"""Make the plugin manager for one build.

Load order: hook specs, built-in plugins (``plugins/`` of lisite), installed
packages (entry-point group ``lisite``), the site's own ``plugins/`` folder.
Then ``check_pending()``, so a misspelled hook name fails loudly. A plugin
named in ``[plugins] disabled`` is blocked before anything registers.

Every hook call goes through pluggy's hook caller (so ``LISITE_TRACE=1`` shows
it); :meth:`PluginManager.call_one` calls one plugin's implementation through a
subset hook caller when the engine must know which plugin returned what. An
exception raised inside a plugin's hook becomes a :class:`PluginError` naming the
plugin and the hook, chained to the original exception.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import inspect
import os
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

import pluggy

from lisite import hookspecs
from lisite.i18n import Translator
from lisite.cache import code_hash, digest
from lisite.errors import LisiteError, PluginError
from lisite.resources import builtin_plugins_dir

ENTRY_POINT_GROUP = "lisite"
REQUIRED = ("leakcheck",)  # safety checks that no configuration may turn off


@dataclass(frozen=True)
class PluginInfo:
    """What is known about one registered plugin."""

    name: str
    origin: str  # "builtin", "entry point <dist>", "local <path>" or "given"
    module: Any

    @property
    def folder(self) -> Path | None:
        """The plugin's own folder when it is a package (for templates/ and static/)."""
        file = getattr(self.module, "__file__", None)
        if file and Path(file).name == "__init__.py":
            return Path(file).parent
        return None

    def source_files(self) -> list[Path]:
        """The plugin's Python source files: the package's ``*.py`` files, or its module file."""
        if self.folder is not None:
            return package_files(self.folder)
        file = getattr(self.module, "__file__", None)
        if file is None:
            try:  # a plugin object given to build(): the file its class or function lives in
                file = inspect.getsourcefile(self.module if inspect.ismodule(self.module) else type(self.module))
            except TypeError:
                file = None
        return [Path(file)] if file and Path(file).is_file() else []


class PluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers where each plugin came from."""

    def __init__(self, lang: str = "da") -> None:
        super().__init__("lisite")
        self.lang = lang  # the site's language: the words of a plugin's failure
        self.infos: dict[str, PluginInfo] = {}
        self._code: dict[str, str] = {}
        self._files: dict[str, list[Path]] = {}
        self.add_hookcall_monitoring(lambda *args: None, self._name_failed_plugin)

    def add(self, module: Any, name: str, origin: str) -> None:
        if name in self.infos:
            other = self.infos[name].origin
            raise PluginError(Translator(self.lang)("plugin_error.two_plugins", name=name, first=other, second=origin))
        if self.is_blocked(name):
            return
        self.register(module, name=name)
        self.infos[name] = PluginInfo(name, origin, module)

    def implementers(self, hook: str) -> list[str]:
        """Names of the plugins implementing ``hook``, in registration order (built-ins by name first)."""
        return [impl.plugin_name for impl in getattr(self.hook, hook).get_hookimpls()]

    def call_one(self, hook: str, plugin: str, **kwargs: Any) -> Any:
        """Call one plugin's implementation of ``hook`` through pluggy (traced like every hook call).

        Returns what the implementation returned (``None`` when it returned nothing).
        """
        module = self.get_plugin(plugin)
        others = [p for p in self.get_plugins() if p is not module]
        results = self.subset_hook_caller(hook, remove_plugins=others)(**kwargs)
        if getattr(self.hook, hook).spec and getattr(self.hook, hook).spec.opts.get("firstresult"):
            return results
        return results[0] if results else None

    def source_files(self, name: str) -> list[Path]:
        """One plugin's source files (:meth:`PluginInfo.source_files`), looked up once per manager."""
        if name not in self._files:
            self._files[name] = self.infos[name].source_files()
        return self._files[name]

    def code_hash(self, name: str) -> str:
        """A hash of one plugin's source files (their contents), computed once per manager."""
        if name not in self._code:
            info = self.infos[name]
            files = self.source_files(name)
            self._code[name] = code_hash(files) if files else digest(info.origin, getattr(info.module, "__name__", name))
        return self._code[name]

    def code_key(self, names: Iterable[str] | None = None) -> str:
        """A hash of the source of the named plugins (all active plugins by default)."""
        chosen = sorted(self.infos if names is None else set(names))
        return digest(tuple((name, self.infos[name].origin, self.code_hash(name)) for name in chosen if name in self.infos))

    def _name_failed_plugin(self, outcome: Any, hook_name: str, methods: Any, kwargs: Any) -> None:
        """After a hook call: an exception from a plugin becomes a PluginError naming plugin and hook."""
        exc = outcome.exception
        if exc is None or isinstance(exc, LisiteError):
            return
        plugin = _culprit(exc, methods)
        said = Translator(self.lang)("build.plugin_failed" if plugin else "build.a_plugin_failed", plugin=plugin, hook=hook_name,
                                     kind=type(exc).__name__, error=exc)
        error = PluginError(said, plugin=plugin or "", hook=hook_name)
        error.__cause__ = exc
        outcome.force_exception(error)

    def folders(self, sub: str) -> list[Path]:
        """Existing ``sub`` folders (``templates`` or ``static``) of package plugins, by name."""
        found = []
        for name in sorted(self.infos):
            folder = self.infos[name].folder
            if folder is not None and (folder / sub).is_dir():
                found.append(folder / sub)
        return found


def make_plugin_manager(
    site_dir: Path | None = None,
    disabled: Iterable[str] = (),
    local_paths: Iterable[str] = ("plugins",),
    extra: Iterable[tuple[str, Any]] = (),
    lang: str = "da",
) -> PluginManager:
    """Build a fresh plugin manager: specs, built-ins, entry points, local plugins, ``extra``. An error in the
    settings (``plugins.disabled``, a site's plugin in place of a protecting one) is worded in ``lang``."""
    pm = PluginManager(lang)
    pm.add_hookspecs(hookspecs)
    disabled = list(disabled)
    for name in disabled:
        if name in REQUIRED:
            raise PluginError(Translator(lang)("config.plugin_required", name=name))
        pm.set_blocked(name)
    local = _local_files(site_dir, local_paths, lang)
    for path in builtin_plugin_paths().values():
        if pm.is_blocked(path.stem):
            continue
        if path.stem in local and path.stem not in REQUIRED:
            continue  # the site's own plugin of the same name replaces the built-in one
        pm.add(_import_path(path, "lisite_builtin", reload=False), path.stem, "builtin")
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if pm.is_blocked(ep.name):
            continue
        try:
            module = ep.load()
        except Exception as exc:  # a broken installed plugin must name itself
            raise PluginError(Translator(lang)("plugin_error.not_loaded", name=ep.name, where=ep.value, error=exc)) from exc
        dist = ep.dist.name if ep.dist else "?"
        pm.add(module, ep.name, f"pakke {dist}")
    for name, path in local.items():
        if pm.is_blocked(name):
            continue
        if name in REQUIRED:
            if _same_source(path, builtin_plugin_paths()[name]):
                continue  # a copy of the built-in safety check (lisite's own checkout as a site)
            raise PluginError(Translator(lang)("config.plugin_required_replaced", name=name, path=path))
        pm.add(_import_path(path, "lisite_local", reload=True, lang=lang), name, f"lokal {path}")
    for name, module in extra:
        pm.add(module, name, "given")
    known = set(builtin_plugin_paths()) | {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    unknown = [name for name in disabled if name not in known | set(local) | set(pm.infos)]
    if unknown:
        raise PluginError(Translator(lang)("config.plugin_unknown", names=", ".join(unknown)))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(Translator(lang)("plugin_error.unknown_hook", name=pm.get_name(exc.plugin), error=exc)) from None
    if os.environ.get("LISITE_TRACE"):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm


@dataclass
class KeptManager:
    """The plugin manager of the last build of ``lisite serve``, with the key of what it was made from."""

    key: tuple = ()
    pm: PluginManager | None = None


def plugin_manager(
    site_dir: Path,
    disabled: Iterable[str],
    local_paths: Iterable[str],
    extra: Iterable[tuple[str, Any]] = (),
    kept: KeptManager | None = None,
    stamp: Callable[[Path], str] | None = None,
    lang: str = "da",
) -> PluginManager:
    """:func:`make_plugin_manager`, or under ``lisite serve`` (``kept``) the last build's manager while everything it
    was made from is the same (:func:`manager_key`). Registering some thirty plugins with pluggy costs more than an
    edited text does to build. Never with ``extra``: a plugin object's code cannot be hashed."""
    extra = list(extra)
    if kept is None or extra:
        return make_plugin_manager(site_dir, disabled, local_paths, extra, lang)
    key = manager_key(site_dir, disabled, local_paths, stamp)  # before the plugins are imported: an edit after it shows next time
    if kept.pm is None or kept.key != key:
        kept.pm, kept.key = None, ()  # a manager that failed to be made is never handed back
        kept.pm, kept.key = make_plugin_manager(site_dir, disabled, local_paths, lang=lang), key
    return kept.pm


def manager_key(site_dir: Path, disabled: Iterable[str], local_paths: Iterable[str],
                stamp: Callable[[Path], str] | None = None) -> tuple:
    """What a plugin manager is made from: the disabled list and plugin paths, the content hash of every source file of
    lisite's own and the site's plugins (``stamp``: a file's sha256), the installed packages (their entry points:
    :func:`_installed`; an installed plugin is imported once per process whatever the manager) and tracing."""
    stamp = stamp or (lambda path: code_hash([Path(path)]))
    plugins = [*builtin_plugin_paths().items(), *_local_files(site_dir, local_paths).items()]
    sources = tuple((name, str(path), tuple((str(file), stamp(file)) for file in _source_files(path))) for name, path in plugins)
    return (str(site_dir), tuple(disabled), tuple(local_paths), sources, _installed(), bool(os.environ.get("LISITE_TRACE")))


def _source_files(path: Path) -> list[Path]:
    """A plugin's Python files: the module, or every ``*.py`` file of its package."""
    return package_files(path) if path.is_dir() else [path]


def package_files(folder: Path) -> list[Path]:
    """Every ``*.py`` file of a plugin package, in a fixed order."""
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _installed() -> tuple[tuple[str, int], ...]:
    """The folders on ``sys.path`` that hold installed packages (a ``*.dist-info`` or ``*.egg-info``), each with
    its time, which changes when a package is installed or removed there. A folder without one is left out: the
    current folder of ``python -m lisite serve`` is the site, where an editor's backup files come and go."""
    found = []
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as entries:
                if any(entry.name.endswith((".dist-info", ".egg-info")) for entry in entries):
                    found.append((folder, os.stat(folder or ".").st_mtime_ns))
        except OSError:
            continue
    return tuple(found)


def _culprit(exc: BaseException, methods: Any) -> str:
    """The plugin whose hook implementation raised ``exc``: found in the traceback, else the only candidate."""
    codes = {}
    for impl in methods:
        function = getattr(impl.function, "__func__", impl.function)
        code = getattr(function, "__code__", None)
        if code is not None:
            codes[code] = impl.plugin_name
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in codes:
            return codes[tb.tb_frame.f_code]
        tb = tb.tb_next
    return methods[0].plugin_name if len(methods) == 1 else ""


def _local_files(site_dir: Path | None, local_paths: Iterable[str], lang: str = "da") -> dict[str, Path]:
    """The site's own plugins by name (none when the folder is lisite's own built-in folder; ``lang``: an error's words)."""
    found: dict[str, Path] = {}
    if site_dir is None:
        return found
    for folder in local_paths:
        base = (site_dir / folder).resolve()
        if base == builtin_plugins_dir().resolve():
            continue  # the demo site in lisite's own checkout: its plugins are the built-ins
        for path in _plugin_files(base):
            if path.stem in found:
                raise PluginError(Translator(lang)("plugin_error.two_plugins", name=path.stem, first=found[path.stem], second=path))
            found[path.stem] = path
    return found


def _same_source(one: Path, other: Path) -> bool:
    """Whether two plugins (files, or package folders compared file by file) have the same source."""
    if one.is_dir() and other.is_dir():
        return _sources(one) == _sources(other)
    if one.is_dir() or other.is_dir() or not other.exists():
        return False
    return one.read_bytes() == other.read_bytes()


def _sources(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}


def _plugin_files(folder: Path, depth: int = 1) -> list[Path]:
    """Plugin modules in a folder, sorted by name: ``*.py`` files and packages, also one level down in
    role folders (folders without ``__init__.py``, e.g. ``plugins/themes/``)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("_", ".")) or path.name.startswith("test_"):
            continue
        if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").is_file()):
            found.append(path)
        elif path.is_dir() and depth > 0:
            found += _plugin_files(path, depth - 1)
    return sorted(found, key=lambda p: p.stem)


def builtin_plugin_paths() -> dict[str, Path]:
    """lisite's own plugins by name."""
    return {path.stem: path for path in _plugin_files(builtin_plugins_dir())}


def _import_path(path: Path, prefix: str, reload: bool, lang: str = "da") -> ModuleType:
    """Import a plugin module from a file or package folder under a private name (``lang``: an error's words)."""
    name = f"{prefix}.{path.stem}"
    if not reload and name in sys.modules:
        return sys.modules[name]
    if prefix not in sys.modules:  # a parent package, so a plugin package can use ``from . import x``
        parent = ModuleType(prefix)
        parent.__path__ = []
        sys.modules[prefix] = parent
    file = path / "__init__.py" if path.is_dir() else path
    loader = _FreshLoader(name, str(file)) if reload else None
    folders = [str(path)] if path.is_dir() else None
    spec = importlib.util.spec_from_file_location(name, file, loader=loader, submodule_search_locations=folders)
    assert spec is not None and spec.loader is not None
    if reload:  # a package's own modules are imported again too, so an edit to any of them is seen
        for old in [m for m in sys.modules if m.startswith(name + ".")]:
            del sys.modules[old]
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    saved = sys.dont_write_bytecode
    sys.dont_write_bytecode = saved or reload  # no .pyc in the site's folder that could outlive an edit
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise PluginError(Translator(lang)("plugin_error.not_loaded", name=path.stem, where=path, error=f"{type(exc).__name__}: {exc}")) from exc
    finally:
        sys.dont_write_bytecode = saved
    return module


class _FreshLoader(importlib.machinery.SourceFileLoader):
    """Compiles a site plugin from its source at every build, never from a cached ``.pyc``
    (whose check by mtime in whole seconds and size can miss a quick edit of the same length)."""

    def get_code(self, fullname: str) -> Any:
        path = self.get_filename(fullname)
        return compile(self.get_data(path), path, "exec", dont_inherit=True)
