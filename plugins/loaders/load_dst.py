"""Read Danmarks Statistik sources from the answers ``lisite fetch`` stored in the site folder.

``kind = "dst"``: one StatBank table as a dataset (its variables as columns, the figure in
``INDHOLD``; a withheld figure ``..`` is empty, i.e. missing). ``kind = "dst-benchmark"``: the
benchmark recipe for the 98 municipalities (:func:`lisite.dst.benchmark`). Never goes on the network.
"""

from __future__ import annotations

import lisite
import lisite.dst as dst


@lisite.hookimpl
def lisite_load_source(source, path, spec):
    if source.kind == "dst":
        return dst.read_source(source, path)
    if source.kind == "dst-benchmark":
        return dst.benchmark(source, path)
    return None
