"""Earlier periods' sites, carried from the old output folder into each new one.

The output folder is replaced whole by every build (:func:`lisite.output.write_site`), so
history survives only by being part of the new site: before anything is rendered,
:func:`read_archive` reads, for each audience, the reports already archived under
``<audience>/arkiv/<period>/`` and, when the site now in the folder is for another period than
this build's, that site itself (without its own ``arkiv/``). The build adds these files to the
audience's output, where the checks (the leak check) scan them again, and writes everything in
one swap. So a failed build leaves the old folder, archive included, exactly as it was, and
rebuilding the same period replaces only the current site. A build into a folder that holds no site yet (``lisite
serve``'s, ``lisite pdf``'s, a new ``--output``) reads them from the site's own output folder
(:func:`history_folder`). A site's period is read from its
``historik.json`` (:mod:`lisite.history`); a site without one (built by an older lisite) cannot be
placed and is not archived, with a warning. A site that showed no figure (the caseworkers' own case lists: its
summary holds none) is no report to look back on and is not archived, so last month's lists of cases and
deadlines do not pile up; an archive already there is carried on. An archive of an audience no longer in the config is
refused with an error (the swap would delete it). Deleting the output folder deletes the history.

Each audience's archive is read only from that audience's own folder: one audience's earlier
pages never reach another's site. Symbolic links in the old folder are never followed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lisite.earlier import FIGURES, figures_path
from lisite.earlier import RECORD as CELLS
from lisite.errors import ConfigError
from lisite.history import ARCHIVE, SUMMARY, Report, read_summary
from lisite.model import Problem
from lisite.output import MANIFEST
from lisite.reuse import RECORD

PERIOD = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")


@dataclass
class Archive:
    """Per audience, the files of each earlier report (relative to that report's own folder)."""

    sites: dict[str, dict[str, dict[str, bytes]]] = field(default_factory=dict)  # audience → period → files
    warnings: list[Problem] = field(default_factory=list)
    #: audience → period → the report's true figures, kept outside the output (lisite.earlier.keep_figures): never
    #: among its files
    figures: dict[str, dict[str, bytes]] = field(default_factory=dict, repr=False)
    #: the audiences whose site in the folder was of another period, archived by this build (made anew, never read back)
    moved: set[str] = field(default_factory=set)

    def files(self, audience: str) -> dict[str, bytes]:
        """The audience's archive as files relative to its folder (``arkiv/<period>/…``)."""
        return {f"{ARCHIVE}/{period}/{path}": data
                for period, files in sorted(self.sites.get(audience, {}).items()) for path, data in files.items()}

    def reports(self, audience: str) -> list[Report]:
        """The audience's earlier reports, newest first, each with the figures its summary holds."""
        found = []
        for period, files in sorted(self.sites.get(audience, {}).items(), reverse=True):
            summary = read_summary(files[SUMMARY]) if SUMMARY in files else None
            found.append(Report(period, f"{ARCHIVE}/{period}/index.html", (summary or {}).get("figures", {})))
        return found

    def periods(self, audience: str) -> list[str]:
        return sorted(self.sites.get(audience, {}))


def history_folder(output_dir: Path, own_output: Path) -> Path:
    """Where a build finds the earlier reports it carries: the folder it writes, or, while that holds no site yet, the
    site's own output folder (``site.output``). So ``lisite serve``'s preview, ``lisite pdf``'s meeting pack and a
    first ``lisite build --output DIR`` carry the same history as the site in its own folder, and the pack's "Siden
    sidste møde" compares with the last meeting's report as the site does (it said there was none)."""
    out = output_dir.resolve()
    return out if (out / MANIFEST).is_file() else own_output.resolve()


def read_archive(output_dir: Path, period: str, audiences: list[str], t, replaced: bool = True,
                 site_dir: Path | None = None) -> Archive:
    """What the new output must carry for ``audiences`` from the site now in ``output_dir``. ``replaced``: the build
    replaces that folder, so an archive of an audience no longer configured would be lost with it, and is refused
    (not when the history is read from the site's own folder for a build elsewhere, which leaves it as it is).
    ``site_dir``: the site's folder, where each report's true figures are kept (:func:`lisite.earlier.keep_figures`):
    read for each report, and a report whose figures are not there is named in a warning."""
    archive = Archive()
    out = output_dir.resolve()
    if not (out / MANIFEST).is_file():
        return archive  # a first build, or a folder the output checks already refused
    same = Same()  # the reports' files with the same bytes: held once
    for audience in audiences:
        folder = out / audience
        if not _plain_dir(folder):
            continue
        reports: dict[str, dict[str, bytes]] = {}
        if _plain_dir(folder / ARCHIVE):
            for entry in sorted((folder / ARCHIVE).iterdir()):
                if PERIOD.fullmatch(entry.name) and _plain_dir(entry):
                    reports[entry.name] = read_tree(entry, same=same)
        current, figures = site_period(folder)
        if current and current != period and figures:
            reports[current] = relinked(read_tree(folder, skip=ARCHIVE, same=same), same)  # a newer build of a period wins
            archive.moved.add(audience)
        elif current is None and (folder / "index.html").is_file():
            archive.warnings.append(Problem(t("archive.no_period", audience=audience, folder=str(folder)), severity="warning"))
        if reports:
            archive.sites[audience] = reports
        unrecorded = [report for report, files in sorted(reports.items()) if CELLS not in files and SUMMARY in files]
        if unrecorded:  # its hidden cells cannot be known, so this report's cannot be kept apart from them
            archive.warnings.append(Problem(t("archive.no_cells", audience=audience, periods=", ".join(unrecorded)),
                                            severity="warning"))
        if site_dir is not None:
            found = {report: path.read_bytes() for report, files in sorted(reports.items()) if CELLS in files
                     and (path := figures_path(site_dir, audience, files[CELLS])).is_file()}
            archive.figures[audience] = found
            missing = [report for report, files in sorted(reports.items()) if CELLS in files and report not in found]
            if missing:  # a month's figures that changed since it cannot be told from one that did not
                archive.warnings.append(Problem(t("archive.no_figures", audience=audience, periods=", ".join(missing),
                                                  folder=str(site_dir / FIGURES)), severity="warning"))
    for entry in sorted(out.iterdir()) if replaced else ():
        if entry.name not in audiences and _plain_dir(entry / ARCHIVE) and any((entry / ARCHIVE).iterdir()):
            raise ConfigError(t("archive.dropped", audience=entry.name, folder=str(entry / ARCHIVE)))  # never lost in the swap
    return archive


def _plain_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def site_period(folder: Path) -> tuple[str | None, bool]:
    """The period of the audience site in ``folder`` from its summary (``None`` without a valid one), and whether
    the site showed any figure."""
    path = folder / SUMMARY
    if not path.is_file() or path.is_symlink():
        return None, False
    summary = read_summary(path.read_bytes())
    if not summary or not PERIOD.fullmatch(summary["period"]):
        return None, False
    return summary["period"], bool(summary["figures"])


class Same:
    """The bytes of the files :func:`read_tree` has read, held once: a file read again through another hard link
    to it is not read (its device and inode are known), and a file with the same bytes as one read before gets
    those (one ``bytes`` for both). An output folder's files with the same bytes are hard links to one file
    (:class:`lisite.output.NewSite`): the earlier reports of a site built every month share most of theirs
    (København's size beside eleven reports: 14,632 files, 142.8 MB, of which 3,757 files, 68.9 MB, are different),
    and every process of the build holds the archive from the start."""

    def __init__(self) -> None:
        self.by_file: dict[tuple[int, ...], bytes] = {}
        self.by_bytes: dict[bytes, bytes] = {}

    def read(self, handle: int) -> bytes:
        """The bytes of the regular file open at ``handle``."""
        found = os.fstat(handle)
        key = (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)  # (a file written since, or another file
        # that took the number of one deleted since, is read)
        data = self.by_file.get(key)
        if data is None:
            with os.fdopen(handle, "rb", closefd=False) as opened:
                data = self.by_file[key] = self.held(opened.read())
        return data

    def held(self, data: bytes) -> bytes:
        """``data``, or the bytes already held that are equal to it."""
        return self.by_bytes.setdefault(data, data)


def read_tree(folder: Path, skip: str = "", same: Same | None = None) -> dict[str, bytes]:
    """Every regular file under ``folder`` (relative POSIX path → bytes), not following symbolic links;
    ``skip``: a top-level folder left out (the site's own archive); ``same``: the bytes already read, shared (see
    :class:`Same`). (Beside a year of reports a build reads some fourteen thousand files here before anything
    else: each folder is listed once, and a file is opened as it is listed, without a path object.)"""
    files: dict[str, bytes] = {}
    same = same or Same()
    nofollow = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as entries:
            found = list(entries)
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                if prefix or entry.name != skip:  # (an empty skip is no folder's name)
                    walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file(follow_symlinks=False) and (prefix or entry.name != RECORD):
                # (the record of what the site was made from belongs to the current site only)
                try:
                    handle = os.open(entry.path, nofollow)
                except OSError:  # gone, or a link put there since it was listed: not a file of the site's
                    continue
                try:
                    files[prefix + entry.name] = same.read(handle)
                finally:
                    os.close(handle)

    walk(str(folder), "")
    return files


def relinked(files: dict[str, bytes], same: Same | None = None) -> dict[str, bytes]:
    """A current site's files made ready to live in ``arkiv/<period>/``: its pages' links into its own
    archive (``{root}arkiv/2026-03/…``, from the "Siden sidste møde" page) now point to the sibling
    folder (``{root}../2026-03/…``). Every other link is relative inside the audience's folder and
    works unchanged two levels down."""
    found = {}
    for path, data in files.items():
        if path.endswith(".html"):
            root = "../" * path.count("/")
            data = data.replace(f'href="{root}{ARCHIVE}/'.encode(), f'href="{root}../'.encode())
            if same is not None:  # (a page the same in every audience's site: one)
                data = same.held(data)
        found[path] = data
    return found
