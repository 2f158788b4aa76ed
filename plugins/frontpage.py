"""Each audience's front page: the foreword and the handful of figures that matter now.

The figures are the indicators marked ``key_figure=True`` that the audience
may see, or the list in ``[plugin.frontpage] <audience> = [ids]``. The
foreword is ``content/forside/<audience>.md``.
"""

from __future__ import annotations

import lisite


@lisite.hookimpl
def lisite_pages(audience, ctx):
    settings = ctx.settings("frontpage")
    chosen = settings.get(audience.id)
    if chosen is None:
        chosen = [i.id for i in ctx.indicators.values() if i.key_figure]
    chosen = [i for i in chosen if i in ctx.indicators]
    blocks = []
    if ctx.content.get(f"forside/{audience.id}.md") is not None:
        blocks.append(lisite.Markdown(source=f"forside/{audience.id}.md"))
    if chosen:
        blocks.append(lisite.KeyFigures(tuple(chosen)))
    return [lisite.Page("index.html", audience.title, blocks, order=0, template="front.html")]
