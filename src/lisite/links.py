"""Relative links between two files of one audience's site."""

from __future__ import annotations

import functools
import posixpath


def url(from_path: str, to_path: str) -> str:
    """A relative link from the page ``from_path`` to the file ``to_path``, both paths inside the same audience site."""
    return relative(to_path, posixpath.dirname(from_path) or ".")


def relative(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)``. For two paths inside a site (both relative) the answer does not depend on
    the working directory, so it is kept: a site links the same few hundred paths thousands of times, and
    ``relpath`` asks the system for the working directory twice each time."""
    if path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    return _relative(path, start)


@functools.lru_cache(maxsize=1 << 16)
def _relative(path: str, start: str) -> str:
    return posixpath.relpath(path, start)
