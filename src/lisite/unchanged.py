"""``lisite build`` when nothing the site is made from has changed: found without reading data, and nothing written.

A second build of an unchanged site would load every dataset (from the disk cache), hash it, find every
audience's key unchanged (:mod:`lisite.reuse`) and write the same files again. Instead, before anything
is read, :func:`kept` compares what can be known without data with the record the last build left at the
output folder's root (:data:`RECORD`, written with the site by :func:`lisite.output.write_site`):

- lisite itself (every file of the package: code, templates, catalogue), Python's version and the
  installed distributions (their names with versions, entry points and ``.pth`` files): an upgraded
  pandas or Altair, or an installed plugin package, is a change (this stands for
  :func:`lisite.disk.code_version`, which imports pandas to ask its version);
- lisite's built-in plugins, themes, texts and catalogue (:data:`lisite.reuse.PACKAGE_FOLDERS`);
- every file of the site folder but the output (and, for a build written elsewhere with ``--output``, but the site's
  own output folder ``site.output``, unless an input lies in it): ``lisite.toml``, content, local plugins, texts, stored
  Danmarks Statistik answers and the data files;
- the reporting month (``[period] current = "auto"`` is the month before the build's: a new month is a change);
- what the build reads from elsewhere: sources, the measures catalogue, content and plugin folders outside
  the site folder (or in a hidden folder of it), and installed plugins' folders;
- the build's options: audiences, strict and the live-reload script (the output folder is where the
  record is read from; no path of the site or output folder is in the record, so two builds of the
  same site write the same bytes);
- the sha256 of every file in the output folder but ``status.json`` (which the CLI writes after a build).

When all are the same, the output folder holds what a build would write, byte for byte, and the CLI
reports the page counts, file count and warnings the last build recorded (:class:`Kept`). The record
holds only hashes, options and counts: the output folder is published. The warnings, which may quote a
value from the data, are kept in lisite's cache folder (private to the user) under the record's hash.

A build records itself only when that comparison can be trusted (:func:`begin`): every source is a file
or folder read by lisite's file loaders (not a database, not SQL over an SQLite file, not a Danmarks
Statistik source); every plugin's code is in files (none was handed to :func:`lisite.build.build` as an
object); it is not a ``lisite serve`` session; no plugin implements ``lisite_build_start`` or
``lisite_build_finish`` (a build found unchanged would skip their side effects; lisite's own plugins
implement neither); and ``LISITE_TRACE`` is unset (it asks to see the hooks called). Such a build depends
on neither the date nor the environment: only a database source's ``extracted = "today"`` and
``[period] current = "auto"`` do (the month is in the record). Plugins
must, as for the audiences' reuse, make their output from what they are given and the files above.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import posixpath
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lisite.output import write_atomic
from lisite.reuse import PACKAGE_FOLDERS, SKIPPED, _sha256, _tree, earlier_output
from lisite.resources import PACKAGE_DIR, data_root

RECORD = ".lisite-site.json"
STATUS = "status.json"  # written by the CLI after the site (lisite.nightly): not part of it
NOT_OUTPUT = (f"{RECORD}\0".encode(), f"{STATUS}\0".encode())  # how the walk of the output folder names them (at its root)
LIFECYCLE_HOOKS = ("lisite_build_start", "lisite_build_finish")


@dataclass
class Kept:
    """A site found unchanged: what the CLI reports (the fields of :class:`lisite.build.BuildReport` it reads)."""

    config: Any
    output_dir: Path
    pages: dict[str, int]
    warnings: list[str]  # as the last build worded them
    files: int
    built: str  # when the files were written: the record's modification time (the record itself holds no time)


@dataclass
class Recording:
    """What a build is made from, hashed when it starts (before data are read: an edit during the build is
    then seen by the next one). ``key`` is empty when the build is not recorded."""

    key: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    plugins: list[str] = field(default_factory=list)  # installed plugins' folders (or module files)
    output_dir: Path | None = None

    def files(self, files: dict[str, bytes], pages: dict[str, int], warnings: list[Any]) -> dict[str, bytes]:
        """The record to write with ``files`` (none when not recorded).

        The record holds hashes, options and counts only, as the output folder is published. The warnings
        (which may quote a value from the data) and the installed plugins' paths are kept in lisite's cache
        folder, private to the user, under the record's hash (:func:`_private`)."""
        if not self.key:
            return {}
        record = (json.dumps({"key": self.key, "options": self.options, "pages": pages, "files": len(files) + 1,
                              "output": _digest(f"{posixpath.normpath(path)}\0{hashlib.sha256(data).hexdigest()}\0".encode()
                                                for path, data in files.items())}, indent=1) + "\n").encode()
        private = {"record": hashlib.sha256(record).hexdigest(), "plugins": self.plugins, "warnings": [str(w) for w in warnings]}
        try:
            _private(self.output_dir).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(_private(self.output_dir), json.dumps(private, ensure_ascii=False).encode())  # 0600
        except OSError:
            return {}  # no record: the next build is a real one
        return {RECORD: record}


def begin(config: Any, pm: Any, output_dir: Path, audiences: list[str] | None, strict: bool, reload_script: str,
          session: bool) -> Recording:
    """Hash what this build is made from, when it may be found unchanged next time (see the module's docstring).

    ``session``: the build keeps state for the next one (``lisite serve``); such builds are never recorded."""
    if session or os.environ.get("LISITE_TRACE") or not all(map(_plain_file, config.sources.values())):
        return Recording()
    if any(pm.implementers(hook) for hook in LIFECYCLE_HOOKS):
        return Recording()
    if any(info.origin == "given" or not info.source_files() for info in pm.infos.values()):  # code not in files
        return Recording()
    plugins = _installed(pm)
    options = _options(audiences, strict, reload_script)
    return Recording(inputs_key(config, output_dir, plugins, options), options, plugins, output_dir)


def kept(site_dir: Path | str, audiences: list[str] | None, strict: bool, output: Path | None,
         reload_script: str = "") -> Kept | None:
    """The site as the last build left it, when nothing it is made from changed since; else ``None`` (build it).

    Never raises: whatever it cannot read or make sense of means a real build, which reports it properly.
    """
    from lisite.config import load_config
    from lisite.errors import LisiteError

    if os.environ.get("LISITE_TRACE"):
        return None
    try:
        config = load_config(site_dir)
        output_dir = (output or config.output_dir).resolve()  # as lisite.build.build finds it
        data = (output_dir / RECORD).read_bytes()
        record, private = json.loads(data), json.loads(_private(output_dir).read_text(encoding="utf-8"))
        options = _options(audiences, strict, reload_script)
        if private["record"] != hashlib.sha256(data).hexdigest() or record["options"] != options:
            return None
        if record["key"] != inputs_key(config, output_dir, private["plugins"], options):
            return None
        found = [entry for entry, _ in _tree(output_dir, set(), set(), _sha256, every=True)]
        if record["output"] != _digest(entry for entry in found if not entry.startswith(NOT_OUTPUT)):
            return None
        written = datetime.datetime.fromtimestamp((output_dir / RECORD).stat().st_mtime).astimezone()
        return Kept(config, output_dir, {str(k): int(n) for k, n in record["pages"].items()}, [str(w) for w in private["warnings"]],
                    int(record["files"]), written.isoformat(timespec="seconds"))
    except (LisiteError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def inputs_key(config: Any, output_dir: Path, plugins: list[str], options: dict[str, Any]) -> str:
    """A hash of everything listed in the module's docstring but the output folder.

    It holds no path of the site or output folder (a site's files are the same wherever it is built), only
    of what lies outside the site folder."""
    site_dir, root = config.site_dir, data_root()
    entries = [_environment().encode(), json.dumps(options, sort_keys=True).encode(), config.period.encode()]
    entries += [entry for entry, _ in _tree(PACKAGE_DIR, {PACKAGE_DIR / "_data"}, set(), _sha256)]
    for folder in PACKAGE_FOLDERS:
        entries += [folder.encode()] + [entry for entry, _ in _tree(root / folder, set(), set(), _sha256)]
    skip = {output_dir, *earlier_output(config, output_dir)}  # written elsewhere (--output): the site's own holds an earlier build
    entries += [b"site"] + [entry for entry, _ in _tree(site_dir, skip, set(), _sha256)]
    for path in _elsewhere(config, plugins):
        entries += [path.encode()] + ([entry for entry, _ in _tree(Path(path), set(), set(), _sha256)] if os.path.isdir(path)
                                      else [_file(path).encode()])
    return _digest(entries, ordered=True)


def _environment() -> str:
    """Python's version and the installed distributions: names with versions, entry points, ``.pth`` files."""
    parts = [sys.version]
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                parts += [name, _file(os.path.join(folder, name, "entry_points.txt"))]
            elif name.endswith(".pth"):
                parts += [name, _file(os.path.join(folder, name))]
    return "\0".join(parts)


def _installed(pm: Any) -> list[str]:
    """The folder (a package) or file (a module) of every installed plugin (entry point): found when the
    plugins are imported, hashed again without importing them. lisite's own plugins and the site's are
    found from the package and the configuration."""
    return sorted(str(info.folder or info.source_files()[0]) for info in pm.infos.values()
                  if info.origin != "builtin" and not info.origin.startswith("lokal "))


def _elsewhere(config: Any, plugins: list[str]) -> list[str]:
    """The files and folders the build reads that the site folder's walk does not see: outside the site
    folder or in a hidden folder of it (sources, measures catalogue, content, plugin folders, installed
    plugins; lisite's own are walked with the package)."""
    paths = [config.site_dir / source.path for source in config.sources.values()]
    paths += [config.site_dir / config.measures_catalogue] if config.measures_catalogue else []
    paths += [config.content_dir, *(config.site_dir / folder for folder in config.plugin_paths), *map(Path, plugins)]
    site, own = config.site_dir.resolve(), [PACKAGE_DIR, *(data_root() / folder for folder in PACKAGE_FOLDERS)]
    found = set()
    for path in map(Path.resolve, paths):
        if any(path.is_relative_to(folder.resolve()) for folder in own):
            continue
        if path.is_relative_to(site) and not any(part.startswith(".") or part in SKIPPED for part in path.relative_to(site).parts):
            continue
        found.add(str(path))
    return sorted(found)


def _plain_file(source: Any) -> bool:
    """A source lisite reads as a file (CSV, Excel) or a folder of them: its bytes are all it is made from."""
    from lisite.dbsource import is_sql

    return bool(source.path) and not source.kind and not is_sql(source)


def _private(output_dir: Path) -> Path:
    """Where the last build into ``output_dir`` keeps what the published output folder must not hold."""
    from lisite.resources import cache_dir

    return cache_dir() / "unchanged" / (hashlib.sha256(os.fsencode(output_dir)).hexdigest() + ".json")


def _options(audiences: list[str] | None, strict: bool, reload_script: str) -> dict[str, Any]:
    """The build's options. The output folder is not among them: the record is read from the output folder
    itself, and the site folder's walk skips that folder."""
    return {"audiences": list(audiences or []), "strict": bool(strict), "reload_script": reload_script}


def _file(path: str) -> str:
    try:
        return _sha256(path)
    except OSError:
        return "missing"


def _digest(entries: Any, ordered: bool = False) -> str:
    """One sha256 of byte strings: in the order given, or sorted (a folder walked, or a site's files by name)."""
    h = hashlib.sha256()
    for entry in entries if ordered else sorted(entries):
        h.update(entry + b"\1")
    return h.hexdigest()
