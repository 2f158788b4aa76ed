"""An audience's site from the last build, when nothing it was made from has changed.

A second ``lisite build`` with the same data, texts, config and code would make every page,
chart, download and search index of an audience again, byte for byte the same. Instead each
audience folder carries a record, ``<audience>/.lisite-build.json``: a hash of everything
its files were made from (:func:`audience_keys`) and the sha256 of each file. When the next
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

An edit of a text under ``content/`` changes that key for every audience, but most texts are read
by one audience or two (the committee's foreword, a page of the leaders' site). So the record also
holds the key of everything but the content files (:func:`site_keys`, with the datasets' contents)
and the texts the audience read while it was made, each by its hash (a text looked for and not
found, too). When only that key matches, and every text it read still reads the same, the audience
is read back as well, and its record names the new key: a text edit makes again only the audiences
that read the text, as under ``lisite serve`` (:mod:`lisite.live`).

The record holds only hashes, the audience's own file names and the names of the texts it read, and
lives in the audience's own folder: nothing is copied anywhere else.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable, NamedTuple

from lisite.errors import LisiteError
from lisite.resources import data_root

RECORD = ".lisite-build.json"
#: build-all's record of what a municipality's folder got from its template (:mod:`lisite.buildall`): in the site's
#: folder, but no input of its build (it changes when a text from the template does, and the text is in the key)
TEMPLATE_RECORD = ".lisite-template.json"
PACKAGE_FOLDERS = ("plugins", "themes", "content", "locales")
SKIPPED = {"__pycache__", ".git", ".venv", "node_modules"}


class Keys(NamedTuple):
    """The keys of a build: what every audience's files are made from, in whole and in part."""

    whole: str  # everything (see the module's docstring)
    live: str  # all but the content files and the datasets' contents: lisite serve checks those read, one by one
    apart: str  # all but the content files: a build checks the texts an audience read, one by one


def site_key(ctx: Any, pm: Any, output_dir: Path, reload_script: str) -> str:
    """A hash of everything every audience's files are made from (see the module's docstring)."""
    return site_keys(ctx, pm, output_dir, reload_script).whole


def site_keys(ctx: Any, pm: Any, output_dir: Path, reload_script: str, digest: Callable[[str], str] | None = None) -> Keys:
    """:func:`site_key`; the same key without the content files (texts under ``content/``, the site's and lisite's)
    and without the datasets' contents; and the same key without the content files alone.

    The second is for ``lisite serve``, which notes the texts, datasets and results each audience read
    (:mod:`lisite.live`, :mod:`lisite.tracking`), so that an edit makes only the audiences that read it again; the
    third for a build, which keeps the texts each audience read in its record (:func:`record`). ``digest`` gives a
    file's sha256 (:meth:`lisite.live.Stamps.file` reads only what changed); by default the file is read.
    """
    from lisite.disk import code_version  # here, not at the top: lisite.unchanged walks folders without pandas

    digest = digest or _sha256
    content = {(data_root() / "content").resolve(), ctx.config.content_dir.resolve()}
    entries: list[tuple[bytes, bool]] = []  # (name and hash of one file, under content/)
    root = data_root()
    for folder in PACKAGE_FOLDERS:
        entries += _tree(root / folder, set(), content, digest)
    sources = {(ctx.config.site_dir / s.path).resolve() for s in ctx.config.sources.values() if s.path}
    skip = {output_dir.resolve(), *earlier_output(ctx.config, output_dir), *sources}  # the sources are in ctx.inputs already
    entries += _tree(ctx.config.site_dir, skip, content, digest)
    if not ctx.config.content_dir.resolve().is_relative_to(ctx.config.site_dir.resolve()):
        entries += _tree(ctx.config.content_dir, set(), content, digest)
    whole, live, apart = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    inputs = ctx.inputs.without_data() if ctx.inputs is not None else None
    for part, but_data in ((code_version(), None), (pm.code_key(), None), (repr(ctx.inputs), repr(inputs)), (reload_script, None),
                           (ctx.config.period, None)):
        for key, value in ((whole, part), (live, part if but_data is None else but_data), (apart, part)):
            key.update(str(value).encode("utf-8", "surrogatepass") + b"\0")
    for entry, is_content in entries:
        whole.update(entry)
        if not is_content:
            live.update(entry)
            apart.update(entry)
    return Keys(whole.hexdigest(), live.hexdigest(), apart.hexdigest())


def earlier_output(config: Any, output_dir: Path) -> set[Path]:
    """The site's own output folder (``site.output``) when the build writes elsewhere, to ``output_dir`` (``lisite
    serve``, ``--output``): it holds an earlier build, no input of this one (the watcher of ``lisite serve`` ignores it
    too), and its thousand files need not be walked at every edit. Empty when the build writes there itself (it is
    skipped as the output), or when an input lies in it, or the site itself: then it is walked."""
    out = config.output_dir.resolve()
    if out == output_dir.resolve():
        return set()
    # imported here: a build that writes to its own output folder never needs it
    from lisite.watch import site_inputs

    inputs = site_inputs(config)
    if any(Path(path).resolve().is_relative_to(out) for path in [config.site_dir, *inputs.files, *inputs.folders]):
        return set()
    return {out}


def audience_keys(keys: Keys, audience: Any, archive: dict[str, bytes]) -> tuple[str, str, str]:
    """Each of the site's keys with one audience's settings and its archived earlier reports (hashed once for the
    three: beside a year of reports, thousands of files); empty ones when the site has none."""
    if not keys.whole:
        return "", "", ""
    archived = _archive_digest(archive)
    whole, live, apart = (hashlib.sha256(f"{site}\0{audience!r}\0{archived}".encode("utf-8", "surrogatepass")).hexdigest()
                          for site in keys)
    return whole, live, apart


def reused(output_dir: Path, audience_id: str, key: str | None, apart: str = "",
           content: Any = None) -> tuple[dict[str, bytes], int, dict[str, Any]] | None:
    """The audience's files, page count and manifest from ``output_dir`` if made under ``key`` (``None``: whatever it
    was made from) and untouched since; or made under ``apart`` (:attr:`Keys.apart`, with the audience's settings and
    archive) from texts that read the same in ``content`` now, and then with a record that names ``key``."""
    folder = output_dir / audience_id
    try:
        raw = (folder / RECORD).read_bytes()
        record = json.loads(raw.decode("utf-8"))
        by_texts = key is not None and record.get("key") != key
        if by_texts and not (apart and record.get("apart") == apart and content is not None
                             and texts_unchanged(content, record["texts"])):
            return None
        files = {}
        for path, digest in record["files"].items():
            data = (folder / path).read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                return None
            files[path] = data
        files[RECORD] = _record_bytes({**record, "key": key}) if by_texts else raw
        return files, int(record["pages"]), record["manifest"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record(files: dict[str, bytes], pages: int, manifest: dict[str, Any], key: str, hashes: dict[str, str] | None = None,
           apart: str = "", texts: dict[str, str | None] | None = None) -> bytes:
    """The record written beside the audience's files (``hashes``: their sha256, when already known; ``texts``: the
    content files it read, with what they held, :func:`lisite.live.recording`)."""
    hashes = {path: hashes[path] if hashes else hashlib.sha256(data).hexdigest() for path, data in sorted(files.items()) if path != RECORD}
    stamps = {name: text_stamp(text) for name, text in sorted((texts or {}).items())}
    return _record_bytes({"key": key, "pages": pages, "manifest": manifest, "files": hashes, "apart": apart, "texts": stamps})


def _record_bytes(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode()


def text_stamp(text: str | None) -> str | None:
    """How the record keeps a text read: its hash (a picture, read as bytes, is recorded by its hash already,
    :func:`lisite.context.as_read`); ``None``: none found."""
    # here, not at the top: lisite.unchanged reads this module without pandas
    from lisite.context import BINARY

    if text is None or text.startswith(BINARY):
        return text
    return "text:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def texts_unchanged(content: Any, stamps: dict[str, str | None]) -> bool:
    """Does each text still read as the record keeps it (:func:`text_stamp`)? A text that cannot be read now does not:
    the audience is made again, and the build names the problem."""
    try:
        return content.unchanged(stamps, text_stamp)
    except LisiteError:
        return False


def _archive_digest(files: dict[str, bytes]) -> str:
    return hashlib.sha256(b"".join(p.encode() + b"\0" + hashlib.sha256(d).digest() for p, d in sorted(files.items()))).hexdigest()


def _sha256(path: str) -> str:
    """The file's sha256, read a megabyte at a time (``hashlib.file_digest`` sets aside 256 KB for every
    file, which costs more than hashing the small files of a site)."""
    h = hashlib.sha256()
    with open(path, "rb", buffering=0) as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _tree(top: Path, skip: set[Path], content: set[Path], digest: Callable[[str], str], every: bool = False) -> list[tuple[bytes, bool]]:
    """Every file under ``top`` (name and content hash), in a fixed order, each marked when it lies in a
    ``content`` folder; hidden folders, caches (``__pycache__``, ``.pyc``), build-all's record (:data:`TEMPLATE_RECORD`)
    and ``skip`` left out, unless ``every`` (an output folder: any file there is part of the site).

    The files of a folder come in name order, then its folders' in name order (as ``os.walk`` gives them, top down);
    a link to a folder is not followed. Each folder is listed once (``os.scandir``: whether an entry is a folder or a
    link comes with the listing), and a path is resolved only at the top and at a link: under a folder that is no
    link, a name's real path is the folder's real path and the name (``lisite serve`` walks the site at every edit)."""
    found: list[tuple[bytes, bool]] = []
    if not top.is_dir():
        return found
    skipped, texts = {os.fspath(p) for p in skip}, [os.fspath(c) for c in content]

    def walk(folder: str, resolved: str, here: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # an unreadable folder is left out, as os.walk leaves it
            return
        files, folders = [], []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            (folders if is_folder else files).append(entry)
        inside = any(resolved == c or resolved.startswith(c + os.sep) for c in texts)
        for entry in sorted(files, key=lambda e: e.name):
            name = entry.name
            if ((name.endswith(".pyc") or name == TEMPLATE_RECORD) and not every) or skipped and (os.path.join(resolved, name) in skipped or (
                    entry.is_symlink() and os.path.realpath(entry.path) in skipped)):
                continue
            try:
                sha = digest(entry.path) or "unreadable"
            except OSError:
                sha = "unreadable"
            found.append((f"{here}{name}".encode() + b"\0" + sha.encode() + b"\0", inside))
        for entry in sorted(folders, key=lambda e: e.name):
            name = entry.name
            if not every and (name in SKIPPED or name.startswith(".")):
                continue
            link = entry.is_symlink()
            real = os.path.realpath(entry.path) if link else os.path.join(resolved, name)
            if real in skipped or link:  # a link to a folder is not followed
                continue
            walk(entry.path, real, f"{here}{name}/")

    walk(os.fspath(top), os.path.realpath(top), "")
    return found
