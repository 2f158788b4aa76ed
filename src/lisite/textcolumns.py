"""Text columns in Python's own strings during a build, whether or not pyarrow is installed.

pandas 3 keeps a column of texts in pyarrow's strings when pyarrow is installed and in Python's otherwise
(``mode.string_storage = "auto"``). lisite is made and tested with Python's: it hands its text columns to
NumPy (``to_numpy``) and to Python's own text functions all the way through, and each such hand-over of a pyarrow
column makes a new Python string of every cell. With pyarrow installed beside lisite, the demo's first build took
a quarter more CPU time (14.0 → 17.8 s, three builds of each in turn). So a build and ``lisite check`` read and
make their frames with ``mode.string_storage = "python"``, and put the setting back when they end: a notebook or a
program that imports lisite keeps its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable)


def python_strings(function: F) -> F:
    """``function`` run with pandas' text columns in Python's strings (the setting put back afterwards)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with pd.option_context("mode.string_storage", "python"):
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
