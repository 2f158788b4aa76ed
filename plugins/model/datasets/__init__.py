"""The standard data model: the datasets the built-in indicators read.

Each dataset is one file named in ``lisite.toml`` under ``[sources.<name>]``.
Column names are the ones a Danish case or economy system export would use.
Dates may be written ``2024-03-31`` or ``31-03-2024``; decimals with a comma.
Teams and areas are whatever the exports say (a site may list the ones it
expects under ``[organisation]`` in ``lisite.toml`` to catch typos).

The words readers see are in the catalogue (``locales/<lang>/datasets.toml``): each dataset's
title (``datasets.title.<name>``; the Danish title below is kept for ``lisite check``'s messages),
what it holds (``datasets.description.<name>``) and what a column holds
(``datasets.column.<name>.<column>``).
"""

from __future__ import annotations

import lisite
from . import casework, staff_economy

SPECS = [*casework.SPECS, *staff_economy.SPECS]


@lisite.hookimpl
def lisite_datasets():
    return SPECS
