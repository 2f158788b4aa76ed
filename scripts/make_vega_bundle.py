"""Write the Vega bundle that every site's chart pages load: ``themes/default/static/vega.js``.

    python scripts/make_vega_bundle.py

The bundle is Vega, Vega-Lite and Vega-Embed as one classic script (it sets ``window.vega``,
``window.vegaLite`` and ``window.vegaEmbed``), made by vl-convert (``vl_convert.javascript_bundle``)
from the versions it carries. It is committed with the theme, so a build copies it like any other
theme file instead of making it (seconds) whenever the chart cache is cold. Run this script after
upgrading vl-convert-python; ``tests/test_vega_bundle.py`` fails until the shipped file is the one this
script writes. The output is deterministic: the same vl-convert gives the same bytes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "themes" / "default" / "static" / "vega.js"


def versions() -> dict[str, str]:
    """The versions of the libraries in the bundle (Vega-Lite: the newest vl-convert carries)."""
    import vl_convert

    return {"vega": vl_convert.get_vega_version(), "vega-lite": vl_convert.get_vegalite_versions()[-1],
            "vega-embed": vl_convert.get_vega_embed_version(), "vl-convert": vl_convert.__version__}


def header(found: dict[str, str]) -> str:
    return (f"/* Vega {found['vega']}, Vega-Lite {found['vega-lite']}, Vega-Embed {found['vega-embed']}: one classic script "
            "(sets window.vega, window.vegaLite, window.vegaEmbed).\n"
            f"   Made by lisite scripts/make_vega_bundle.py with vl-convert-python {found['vl-convert']}; do not edit.\n"
            "   Vega, Vega-Lite and Vega-Embed: BSD-3-Clause, Copyright (c) University of Washington Interactive Data Lab. */\n")


def bundle() -> str:
    """The file's text: a header naming the versions, then vl-convert's bundle."""
    import vl_convert

    found = versions()
    text = vl_convert.javascript_bundle(vl_version=found["vega-lite"])
    # vl-convert names Vega-Lite by major.minor; the bundle's own version string has the patch too
    full = re.search(r'"(%s\.\d+)"' % re.escape(found["vega-lite"]), text)
    if full:
        found["vega-lite"] = full.group(1)
    return header(found) + text.rstrip("\n") + "\n"


def recorded(text: str) -> dict[str, str]:
    """The versions a bundle's header names: ``{"vega": "6.2.0", "vega-lite": "6.4.1", ...}``."""
    first = text[: text.index("*/")]
    found = dict(re.findall(r"(Vega(?:-Lite|-Embed)?) (\d+\.\d+(?:\.\d+)?)", first))
    return {name.lower(): version for name, version in found.items()}


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else OUT
    text = bundle()
    out.write_text(text, encoding="utf-8")
    print(f"{out}: {len(text.encode()):,} bytes, {recorded(text)}")


if __name__ == "__main__":
    main(sys.argv[1:])
