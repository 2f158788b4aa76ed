"""An audience's site from the last build, when nothing it was made from has changed.

A second ``lisite build`` with the same data, texts, config and code would make every page,
chart, download and search index of an audience again, byte for byte the same. Instead each
audience folder carries a record, ``<audience>/.lisite-build.json``: a hash of everything
its files were made from (:func:`audience_key`) and the sha256 of each file. When the next
build computes the same key, and every recorded file is still in the output folder with the
recorded bytes, the audience's files are read back instead of made. They passed the leak
check under the same key, that is, against the same data and rules; an edited, missing or
extra-looking file makes the audience be built again in full.

The key names: lisite's own source and library versions, every active plugin's source, the
themes, built-in texts and catalogue, every file of the site folder other than the output
(config, content, local plugins and texts, stored Danmarks Statistik answers), the content hash
of every dataset (files and database queries alike), the audience's settings, its archived
earlier reports and the live-reload script. Plugins handed to :func:`lisite.build.build` as
objects (not files) cannot be hashed, so a build with them never reuses.

The record holds only hashes and the audience's own file names, and lives in the audience's
own folder: nothing is copied anywhere else.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from lisite.disk import code_version
from lisite.resources import data_root

RECORD = ".lisite-build.json"
PACKAGE_FOLDERS = ("plugins", "themes", "content", "locales")
SKIPPED = {"__pycache__", ".git", ".venv", "node_modules"}


def site_key(ctx: Any, pm: Any, output_dir: Path, reload_script: str) -> str:
    """A hash of everything every audience's files are made from (see the module's docstring)."""
    h = hashlib.sha256()
    for part in (code_version(), pm.code_key(), repr(ctx.inputs), reload_script, ctx.config.period):
        h.update(str(part).encode("utf-8", "surrogatepass") + b"\0")
    root = data_root()
    for folder in PACKAGE_FOLDERS:
        _tree(h, root / folder, skip=set())
    sources = {(ctx.config.site_dir / s.path).resolve() for s in ctx.config.sources.values() if s.path}
    _tree(h, ctx.config.site_dir, skip={output_dir.resolve(), *sources})  # the sources are in ctx.inputs already
    if not ctx.config.content_dir.resolve().is_relative_to(ctx.config.site_dir.resolve()):
        _tree(h, ctx.config.content_dir, skip=set())
    return h.hexdigest()


def audience_key(site: str, audience: Any, archive: dict[str, bytes]) -> str:
    """The site's key with one audience's settings and its archived earlier reports."""
    return hashlib.sha256(f"{site}\0{audience!r}\0{_archive_digest(archive)}".encode("utf-8", "surrogatepass")).hexdigest()


def reused(output_dir: Path, audience_id: str, key: str) -> tuple[dict[str, bytes], int, dict[str, Any]] | None:
    """The audience's files, page count and manifest from ``output_dir`` if made under ``key`` and untouched since."""
    folder = output_dir / audience_id
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        if record.get("key") != key:
            return None
        files = {}
        for path, digest in record["files"].items():
            data = (folder / path).read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                return None
            files[path] = data
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    files[RECORD] = (folder / RECORD).read_bytes()
    return files, int(record["pages"]), record["manifest"]


def record(files: dict[str, bytes], pages: int, manifest: dict[str, Any], key: str) -> bytes:
    """The record written beside the audience's files."""
    hashes = {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items()) if path != RECORD}
    return (json.dumps({"key": key, "pages": pages, "manifest": manifest, "files": hashes}, indent=1,
                       ensure_ascii=False) + "\n").encode()


def _archive_digest(files: dict[str, bytes]) -> str:
    return hashlib.sha256(b"".join(p.encode() + b"\0" + hashlib.sha256(d).digest() for p, d in sorted(files.items()))).hexdigest()


def _tree(h: Any, top: Path, skip: set[Path]) -> None:
    """Every file under ``top`` (names and contents), in a fixed order; hidden folders and ``skip`` left out."""
    if not top.is_dir():
        return
    for folder, dirs, names in os.walk(top):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED and not d.startswith(".") and (here / d).resolve() not in skip)
        for name in sorted(names):
            path = here / name
            if path.resolve() in skip or name.endswith(".pyc"):
                continue
            try:
                h.update(path.relative_to(top).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
            except OSError:
                h.update(path.relative_to(top).as_posix().encode() + b"\0unreadable\0")
