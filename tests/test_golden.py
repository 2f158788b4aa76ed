"""What readers see on the demo is a reviewed snapshot: a change in any page's visible text is a diff someone reads.

Refresh after an intended change with ``python scripts/update_golden.py`` and review ``git diff tests/golden``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from lisite.testing import site_text, visible_text

GOLDEN = Path(__file__).resolve().parent / "golden"
REFRESH = "python scripts/update_golden.py"


def test_visible_text_of_every_demo_page_matches_the_snapshot(demo_build):
    built = {page.removesuffix(".html") + ".txt": text for page, text in site_text(demo_build / "_site").items()}
    kept = {path.relative_to(GOLDEN).as_posix(): path.read_text(encoding="utf-8") for path in sorted(GOLDEN.rglob("*.txt"))}
    assert sorted(built) == sorted(kept), f"pages added or gone: run {REFRESH} and review the diff"
    changed = [name for name in built if built[name] != kept[name]]
    if changed:
        first = changed[0]
        diff = "".join(difflib.unified_diff(kept[first].splitlines(True), built[first].splitlines(True), first, first, n=1))
        raise AssertionError(f"{len(changed)} page(s) read differently, e.g. {first}:\n{diff[:3000]}\nIf intended: {REFRESH}")


def test_visible_text_skips_code_and_keeps_what_readers_hear():
    html = ('<html><head><title>T</title><style>p{}</style></head><body><p>Hej  <b>verden</b></p>'
            '<img alt="Graf over tal"><script>var x = "skjult";</script><svg><text>0,5</text></svg></body></html>')
    assert visible_text(html) == "T\nHej\nverden\nGraf over tal\n"
