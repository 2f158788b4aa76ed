"""Write a finished site atomically: all of it, or nothing.

The site is written to a temporary folder beside the output folder and
swapped into place only when every file is written. A failed build leaves
the previous site exactly as it was.

Because the swap replaces the whole output folder, :func:`check_output_dir`
refuses, before anything is touched, an output folder that is the site folder,
contains it, would swallow a source, the content or the plugins, or holds files
lisite did not write. :func:`remove_leftovers` removes the temporary folders an
interrupted build left beside the output folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Self

from lisite.errors import BuildError, ConfigError
from lisite.i18n import Translator

MANIFEST = "manifest.json"
STATUS = "status.json"  # written beside a site by `lisite build` (lisite.nightly), alone after a failed first build


def check_output_dir(output_dir: Path, site_dir: Path, key: str = "site.output",
                     sources: Iterable[tuple[str, Path]] = (), inputs: Iterable[tuple[str, Path]] = (), lang: str = "da") -> None:
    """Refuse an output folder whose replacement would delete anything but an earlier lisite site.

    ``key`` names where the folder came from (``site.output`` or ``--output``). ``sources`` are
    (config key, path) of the data sources: the output folder may neither contain one nor lie
    inside one. ``inputs`` are other folders the build reads (content, plugins): the output
    folder may not be or contain one. Raises :class:`ConfigError` naming the folder and why, in ``lang``.
    """
    out, site = output_dir.resolve(), site_dir.resolve()
    if out == site:
        raise _refused(out, key, lang, "is_site")
    if site.is_relative_to(out):
        raise _refused(out, key, lang, "holds_site", site=site)
    for name, path in sources:
        path = path.resolve()
        if path.is_relative_to(out) or out.is_relative_to(path):
            raise _refused(out, key, lang, "holds_source" if path.is_relative_to(out) else "in_source", name=name, path=path)
    for name, path in inputs:
        path = path.resolve()
        if path.is_relative_to(out):
            raise _refused(out, key, lang, "holds_input", name=name, path=path)
    foreign_files(out, lang, key)


def foreign_files(output_dir: Path, lang: str = "da", key: str = "") -> None:
    """Refuse an existing output folder that is not a folder, or is not empty and holds no lisite manifest (``key``:
    the setting that named the folder, for the message)."""
    if not output_dir.exists() and not output_dir.is_symlink():
        return
    if not output_dir.is_dir():
        raise _refused(output_dir, key, lang, "not_folder")
    names = sorted(entry.name for entry in output_dir.iterdir())
    if not names or names == [STATUS] or _is_lisite_manifest(output_dir / MANIFEST):
        return
    shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    raise _refused(output_dir, key, lang, "foreign", manifest=MANIFEST, shown=shown)


def _refused(folder: Path, key: str, lang: str, message: str, **values: object) -> ConfigError:
    """Why the output ``folder`` (named by the setting ``key``, if any) is refused, in ``lang`` (``output.<message>``)."""
    t = Translator(lang)
    where = t("output.where_key", folder=folder, key=key) if key else t("output.where", folder=folder)
    return ConfigError(t(f"output.{message}", where=where, **values))


def _is_lisite_manifest(path: Path) -> bool:
    """True for the manifest a lisite build writes (a JSON object with ``audiences`` and ``inputs``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "audiences" in data and "inputs" in data


def leftover_pattern(output_dir: Path) -> re.Pattern[str]:
    """The names of the temporary folders :func:`write_site` makes beside ``output_dir``."""
    return re.compile(rf"\.{re.escape(output_dir.name)}\.(?:old|new)-[A-Za-z0-9_]+")


def remove_leftovers(output_dir: Path) -> list[Path]:
    """Remove the temporary folders an interrupted build left beside ``output_dir``; return them.

    Only folders named as :func:`write_site` names them are removed (never a symlink or a file).
    """
    parent = output_dir.resolve().parent
    if not parent.is_dir():
        return []
    pattern = leftover_pattern(output_dir.resolve())
    removed = []
    for entry in sorted(parent.iterdir()):
        if pattern.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def safe_join(root: Path, relative: str, lang: str = "da") -> Path:
    """``root / relative``, refusing any path that would land outside ``root`` (``lang``: the words of the error)."""
    _relative(relative, lang)
    real = root.resolve()
    target = resolved_below(real, real / relative)  # (root / relative).resolve(): the root's links resolved first
    if not target.is_relative_to(real):
        raise _bad_path("path_outside", relative, lang)
    return target


def resolved_below(folder: Path, path: Path) -> Path:
    """``path.resolve()`` for a path in ``folder``, which is its own real path: only the parts below the folder are
    looked at, one ``lstat`` each, where ``resolve`` looks at every part from the root in Python. At a link among
    them, or for a path that does not start with the folder, it is ``path.resolve()`` itself. (A build looks up its
    texts and checks its pages' paths hundreds of times: at every edit under ``lisite serve``.)"""
    head, tail = str(folder), str(path)
    prefix = head.rstrip("/") + "/"
    if os.sep != "/" or not tail.startswith(prefix):
        return path.resolve()
    found = head
    for part in tail[len(prefix):].split("/"):  # a Path holds no empty or "." part
        if part == "..":  # as realpath takes it: the folder above what is found so far, which holds no link
            found = os.path.dirname(found)
            continue
        found = os.path.join(found, part)
        try:
            if stat.S_ISLNK(os.lstat(found).st_mode):
                return path.resolve()
        except OSError:  # a part that is not there: taken as it is written, as realpath takes it
            pass
    return Path(found)


def inside(relative: str, lang: str = "da") -> str:
    """``relative`` made plain (``a/./b``, ``a/../b``), refusing what :func:`safe_join` refuses; for a new
    folder of lisite's own, which holds no link to follow, so the path alone says where it lands."""
    _relative(relative, lang)
    plain = posixpath.normpath(relative)
    if plain == ".":  # the folder itself: no file can be written there
        raise _bad_path("path_invalid", relative, lang)
    if plain == ".." or plain.startswith("../"):
        raise _bad_path("path_outside", relative, lang)
    return plain


def _relative(relative: str, lang: str = "da") -> None:
    """Refuse a path that is not plainly relative: empty, absolute, with a backslash or a drive's colon."""
    if not relative or relative.startswith(("/", "\\")) or "\\" in relative or ":" in relative:
        raise _bad_path("path_invalid", relative, lang)


def _bad_path(message: str, relative: str, lang: str) -> BuildError:
    return BuildError(Translator(lang)(f"output.{message}", path=relative))


def write_site(files: dict[str, bytes], output_dir: Path, lang: str = "da") -> None:
    """Write ``files`` (relative path → bytes) as the new content of ``output_dir`` (``lang``: the words of an error)."""
    with NewSite(output_dir, lang) as new:
        new.put_in_place(files)


class NewSite:
    """The new content of an output folder, written in a folder beside it, part by part as it is made (:meth:`add`),
    and put in place at once (:meth:`put_in_place`): never a half-overwritten site. Used with ``with``: a folder not
    put in place (a build that failed after its first audiences were written) is removed.

    A file with the same bytes as one written before (a download or a chart several audiences' sites have: more
    than half the files of a small municipality's site) is a hard link to it, where the file system makes one: one
    file made instead of two, and the folder takes the space once. So is a file with the same bytes at the same path
    in the folder being replaced (:meth:`earlier_twin`): a rebuild makes new files only for what changed, the
    unchanged files keep their time (a copy made with ``rsync`` sends only what changed), and removing the old
    folder afterwards frees only what is gone. Nothing of lisite's writes into a file of a finished site (``lisite
    serve`` writes a changed file beside it and renames it over the old one, which leaves its twins as they were)."""

    def __init__(self, output_dir: Path, lang: str = "da") -> None:
        self.output_dir, self.lang = output_dir.resolve(), lang  # lang: the words of an error
        self.folder: Path | None = None
        self.written: dict[str, bytes] = {}  # relative path → the bytes written there
        self.made: set[Path] = set()
        self.first: dict[bytes, Path] | None = {}  # bytes → where they were first written (None: no hard links here)
        #: the folder being replaced, whose unchanged files are linked (None: there is none, or links are not made)
        linkable = hasattr(os, "O_NOFOLLOW") and os.link in os.supports_follow_symlinks  # (not on Windows)
        self.earlier: str | None = str(self.output_dir) if linkable and self.output_dir.is_dir() else None
        self.checked: dict[str, bool] = {}  # a folder of the earlier site → is it a folder, not a link to one?
        self.mode: int | None = None  # the permissions a new file gets here (the umask's)
        self.same: Path | None = None  # the links by digest that forked processes share (:meth:`share`)

    def open(self) -> Path:
        """The new folder, made now if it is not there yet."""
        if self.folder is None:
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{self.output_dir.name}.new-", dir=self.output_dir.parent))
            self.made = {self.folder}
        return self.folder

    def share(self) -> None:
        """Let processes forked from here from now on write into the new folder too (:meth:`add` there, :meth:`adopt`
        here, with what they wrote): a file with the same bytes as one another process wrote is then a hard link to it
        as well, found by the bytes' digest among links kept in a folder of the new folder (``.same/``: removed before
        the new folder is put in place, and with it when it is not). A worker that made an audience of thousands of
        files (a large municipality's caseworkers') writes them itself while this process makes the others."""
        if self.same is None:
            self.same = self.open() / SAME
            self.same.mkdir()

    def adopt(self, files: dict[str, bytes]) -> None:
        """Take ``files`` as written into the new folder by a process forked from here (:meth:`share`): they are part
        of the new content, and a file with the same bytes written here later is a hard link to them."""
        folder = self.open()
        for relative in sorted(files):
            data = files[relative]
            if self.written.get(relative) is data:  # (written here)
                continue
            path = folder / inside(relative, self.lang)
            self.made.add(path.parent)
            self.written[relative] = data
            if self.first is not None and type(data) is bytes:
                self.first.setdefault(data, path)

    def add(self, files: dict[str, bytes]) -> None:
        """Write ``files`` (relative path → bytes) into the new folder."""
        folder = self.open()
        for relative in sorted(files):
            path = folder / inside(relative, self.lang)
            if path.parent not in self.made:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.made.add(path.parent)
            if relative in self.written:  # written again: a new file, not new bytes in one another path may be a link to
                path.unlink()
                earlier = self.written[relative]
                if self.first is not None and type(earlier) is bytes and self.first.get(earlier) == path:
                    del self.first[earlier]
            self.write(path, files[relative])
            self.written[relative] = files[relative]

    def write(self, path: Path, data: bytes) -> None:
        """Write one new file: a hard link to a file with the same bytes, if there is one and the file system allows it."""
        first = self.first.get(data) if self.first is not None and type(data) is bytes else None  # (a bytearray has no hash)
        if first is not None:
            try:
                os.link(first, path)
                return
            except OSError:  # no hard links on this file system (or not here): every file is written
                self.first = None
        same = self.same / hashlib.sha256(data).hexdigest() if self.same is not None and self.first is not None and type(data) is bytes else None
        if same is not None:
            try:
                os.link(same, path)  # written by another process
                self.first[data] = path
                return
            except OSError:  # not written yet (or no link made here): written below
                pass
        if not (self.first is not None and self.earlier is not None and type(data) is bytes and self.earlier_twin(path, data)):
            path.write_bytes(data)
        if self.first is not None and type(data) is bytes:
            self.first.setdefault(data, path)
            if same is not None:
                shared_as(same, path)

    def earlier_twin(self, path: Path, data: bytes) -> bool:
        """Make ``path`` a hard link to the file at the same place in the folder being replaced, if that is a file of
        this user's, in folders (no link) of the earlier site, with a new file's permissions and exactly ``data``;
        whether it was made. The link is checked to be the file that was read (not one put there since)."""
        relative = str(path)[len(str(self.folder)) + 1:]
        folder, _, _ = relative.rpartition("/")
        if folder and not self.real_folder(folder):
            return False
        earlier = os.path.join(self.earlier, relative)
        try:
            handle = os.open(earlier, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        except OSError:  # not there, or a link
            return False
        try:
            found = os.fstat(handle)
            if (not stat.S_ISREG(found.st_mode) or found.st_size != len(data) or found.st_uid != os.geteuid()
                    or stat.S_IMODE(found.st_mode) != self.new_mode()):
                return False
            with os.fdopen(handle, "rb", closefd=False) as earlier_file:
                if earlier_file.read(len(data) + 1) != data:
                    return False
            try:
                os.link(earlier, path, follow_symlinks=False)
            except OSError:  # no hard links here: files are written
                self.earlier = None
                return False
            made = os.lstat(path)
            if (made.st_ino, made.st_dev) != (found.st_ino, found.st_dev):  # replaced meanwhile: not what was read
                path.unlink()
                return False
            return True
        finally:
            os.close(handle)

    def real_folder(self, folder: str) -> bool:
        """Is ``folder`` (relative) of the earlier site a folder in folders, none of them a link?"""
        known = self.checked.get(folder)
        if known is None:
            parent, _, _ = folder.rpartition("/")
            try:
                known = (not parent or self.real_folder(parent)) and stat.S_ISDIR(os.lstat(os.path.join(self.earlier, folder)).st_mode)
            except OSError:
                known = False
            self.checked[folder] = known
        return known

    def new_mode(self) -> int:
        """The permissions a file written here gets (those the umask leaves of 0o666), found once with a probe; -1 (no
        file's) when the probe cannot be made."""
        if self.mode is None:
            probe = os.path.join(str(self.folder), f".lisite-mode-probe-{os.getpid()}")
            try:
                handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except OSError:
                self.mode = -1
                return self.mode
            try:
                self.mode = stat.S_IMODE(os.fstat(handle).st_mode)
            finally:
                os.close(handle)
                os.unlink(probe)
        return self.mode

    def put_in_place(self, files: dict[str, bytes]) -> None:
        """Make ``files`` the whole new content (what :meth:`add` wrote is not written again), then replace the output
        folder with it. A file written earlier that is not among ``files`` is an error of the caller's."""
        if set(self.written) - set(files):
            raise ValueError(f"written but not part of the site: {sorted(set(self.written) - set(files))[:5]}")
        foreign_files(self.output_dir, lang=self.lang)  # checked again at the last moment: the swap replaces the whole folder
        self.add({path: data for path, data in files.items() if self.written.get(path) is not data})
        if self.same is not None:
            shutil.rmtree(self.same)  # (links only: every file in it has another name in the new folder)
            self.same = None
        os.chmod(self.folder, 0o755)
        swap_into_place(self.folder, self.output_dir)
        self.folder = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


SAME = ".same"  # in a new folder: links to its files by their bytes' digest, for processes writing into it (NewSite.share)


def shared_as(same: Path, path: Path) -> None:
    """Make ``same`` a link to the file just written at ``path``, for the other processes to link to; if another process
    wrote the same bytes meanwhile, ``path`` becomes a link to its file instead, so that equal files stay one file."""
    try:
        os.link(path, same)
    except FileExistsError:
        beside = path.with_name(f"{path.name}.same-{os.getpid()}")
        try:
            os.link(same, beside)
            os.replace(beside, path)
        except OSError:  # (the file stays as it was written)
            beside.unlink(missing_ok=True)
    except OSError:  # no link made here: the others write their own
        pass


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` at once: a reader sees the old file or the new one, never half of one.

    The temporary file is unique per process and thread (``mkstemp``) and is private (0600) unless
    ``mode`` says otherwise; it is removed if the write fails.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def swap_into_place(new: Path, output_dir: Path) -> None:
    """Replace ``output_dir`` by ``new`` with two renames; the old one is removed after."""
    old = None
    if output_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
        old.rmdir()
        output_dir.rename(old)
    try:
        new.rename(output_dir)
    except BaseException:
        if old is not None:
            old.rename(output_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
