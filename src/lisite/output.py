"""Write a finished site atomically: all of it, or nothing.

The site is written to a temporary folder beside the output folder and
swapped into place only when every file is written. A failed build leaves
the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from lisite.errors import BuildError


def safe_join(root: Path, relative: str) -> Path:
    """``root / relative``, refusing any path that would land outside ``root``."""
    if not relative or relative.startswith(("/", "\\")) or "\\" in relative or ":" in relative:
        raise BuildError(f"Stien '{relative}' er ikke en gyldig relativ sti i sitet.")
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BuildError(f"Stien '{relative}' ville skrive uden for sitet og afvises.")
    return target


def write_site(files: dict[str, bytes], output_dir: Path) -> None:
    """Write ``files`` (relative path → bytes) as the new content of ``output_dir``."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        for relative in sorted(files):
            path = safe_join(tmp, relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[relative])
        os.chmod(tmp, 0o755)
        swap_into_place(tmp, output_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
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
