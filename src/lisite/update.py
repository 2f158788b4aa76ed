"""Writing only what changed, for the folder ``lisite serve`` shows.

``lisite build`` replaces the whole output folder with two renames (:func:`lisite.output.write_site`):
a reader never sees half a site. Under ``lisite serve`` the folder is the server's own temporary
folder, and an edit usually changes a few files of a thousand: rewriting and swapping them all
would cost more than the edit's rebuild. So here each changed file is written on its own (to a
temporary file, then renamed over the old one, so no file is ever read half-written), files the
build no longer makes are removed, and unchanged files are not touched.

What a reader can see meanwhile: while the few changed files are written, a page may be served
from the new build and the page it links to from the old one, for the milliseconds the writing
takes. The browser is told of the new version only after the last file is written, and reloads
then. Nothing is written when the build fails: the last good site stays as it was.
"""

from __future__ import annotations

from pathlib import Path

from lisite.output import safe_join, write_atomic, write_site


def write_changed(files: dict[str, bytes], output_dir: Path, written: dict[str, bytes]) -> int:
    """Make ``output_dir`` hold exactly ``files``, given that it holds ``written`` (the last call's files).

    ``written`` is updated in place. The first time (nothing written yet) the whole folder is written
    as ``lisite build`` writes it. Returns how many files were written or removed.
    """
    output_dir = output_dir.resolve()
    if not written or not output_dir.is_dir():
        write_site(files, output_dir)
        written.clear()
        written.update(files)
        return len(files)
    changed = [path for path, data in files.items() if written.get(path) != data]
    gone = [path for path in written if path not in files]
    for relative in changed:
        target = safe_join(output_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, files[relative], mode=0o644)
        written[relative] = files[relative]
    for relative in gone:
        safe_join(output_dir, relative).unlink(missing_ok=True)
        del written[relative]
    return len(changed) + len(gone)
