"""Refresh the reviewed snapshots of the demo's visible text: ``python scripts/update_golden.py``.

Builds the demo (as the tests do) and writes the visible text of every page to
``tests/golden/<audience>/<page>.txt``. Review the diff (``git diff tests/golden``) before committing:
it is what readers will see differently.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from lisite.build import build
from lisite.scaffold import init_site
from lisite.testing import site_text

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = init_site(Path(tmp) / "site")
        texts = site_text(build(site).output_dir)
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for page, text in texts.items():
        target = GOLDEN / (page.removesuffix(".html") + ".txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"{len(texts)} pages written to {GOLDEN}; review them with: git diff --stat tests/golden")
    return 0


if __name__ == "__main__":
    sys.exit(main())
