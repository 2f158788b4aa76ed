"""The walk behind the keys of ``lisite.reuse`` and ``lisite.unchanged``: the same files, marks and order as the
``os.walk`` reading it replaced, on a tree with links (to files, folders, skipped paths, nowhere), hidden folders,
caches and a content folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from lisite.reuse import SKIPPED, _sha256, _tree


def walked(top: Path, skip: set[Path], content: set[Path], every: bool = False) -> list[tuple[bytes, bool]]:
    """The same list by ``os.walk``, as ``_tree`` made it before it listed each folder once (the oracle)."""
    found: list[tuple[bytes, bool]] = []
    if not top.is_dir():
        return found
    skipped, texts = {os.fspath(p) for p in skip}, [os.fspath(c) for c in content]
    for folder, dirs, names in os.walk(top):
        resolved = os.path.realpath(folder)
        dirs[:] = sorted(d for d in dirs if (every or (d not in SKIPPED and not d.startswith(".")))
                         and os.path.realpath(os.path.join(folder, d)) not in skipped)
        inside = any(resolved == c or resolved.startswith(c + os.sep) for c in texts)
        here = Path(folder).relative_to(top).as_posix()
        for name in sorted(names):
            path = os.path.join(folder, name)
            if (name.endswith(".pyc") and not every) or skipped and (os.path.join(resolved, name) in skipped or (
                    os.path.islink(path) and os.path.realpath(path) in skipped)):
                continue
            try:
                sha = _sha256(path) or "unreadable"
            except OSError:
                sha = "unreadable"
            relative = name if here == "." else f"{here}/{name}"
            found.append((relative.encode() + b"\0" + sha.encode() + b"\0", inside))
    return found


@pytest.fixture
def tree(tmp_path):
    top = tmp_path / "site"
    files = ["lisite.toml", "b.txt", "a.txt", "content/forside/udvalg.md", "content/en/forside.md", "content/z.md",
             "plugins/mine/__init__.py", "plugins/mine/__pycache__/x.pyc", "plugins/mine/old.pyc", ".git/HEAD",
             ".hidden/secret.txt", "node_modules/x/index.js", "_site/udvalg/index.html", "data/sager.csv",
             "data/more/b.csv", "data/more/a.csv", "theme/templates/base.html", "Æblegrød/ø.md"]
    for name in files:
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(hashlib.sha256(name.encode()).hexdigest(), encoding="utf-8")
    outside = tmp_path / "outside"
    (outside / "inner").mkdir(parents=True)
    (outside / "inner" / "f.txt").write_text("outside", encoding="utf-8")
    os.symlink(outside, top / "linked-folder")  # a link to a folder: not followed
    os.symlink(top / "data" / "sager.csv", top / "content" / "sager-link.csv")  # a link to a skipped file: left out
    os.symlink(top / "a.txt", top / "theme" / "a-link.txt")  # a link to a file: hashed as the file
    os.symlink(tmp_path / "nowhere", top / "broken")  # a link to nothing: unreadable
    os.symlink(top / "_site", top / "content" / "output-link")  # a link to the skipped output folder
    return top


@pytest.mark.parametrize("every", [False, True])
def test_the_walk_lists_what_os_walk_listed(tree, every):
    skip = {tree / "_site", tree / "data" / "sager.csv"}
    content = {(tree / "content").resolve()}
    found = _tree(tree, skip, content, _sha256, every=every)
    assert found == walked(tree, skip, content, every=every)
    names = [entry.split(b"\0")[0].decode() for entry, _ in found]
    assert "content/forside/udvalg.md" in names and "Æblegrød/ø.md" in names
    assert ("content/sager-link.csv" in names) is False  # a link to a skipped file
    assert not any(name.startswith(("_site/", "linked-folder/")) for name in names)
    assert ("plugins/mine/old.pyc" in names) is every and (".git/HEAD" in names) is every
    assert {entry.split(b"\0")[0].decode(): inside for entry, inside in found}["content/z.md"] is True
    assert names.index("lisite.toml") < names.index("data/more/a.csv") < names.index("data/more/b.csv")  # files, then folders


def test_a_folder_reached_through_a_link_at_the_top_is_walked_and_marked(tree, tmp_path):
    os.symlink(tree, tmp_path / "via-link")
    content = {(tree / "content").resolve()}
    found = _tree(tmp_path / "via-link", {tree / "_site"}, content, _sha256)
    assert found == walked(tmp_path / "via-link", {tree / "_site"}, content)
    assert any(inside for _, inside in found)


def test_a_missing_folder_has_no_files(tmp_path):
    assert _tree(tmp_path / "none", set(), set(), _sha256) == []
