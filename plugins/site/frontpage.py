"""Each audience's front page: the foreword and the handful of figures that matter now.

The figures are ``ctx.key_figures()``: the indicators marked ``key_figure=True``
that the audience may see, or the list in ``[plugin.frontpage] <audience> = [ids]``.
The foreword is ``content/forside/<audience id>.md`` when a site writes one for
that audience, else ``content/forside/<level>.md`` (lisite ships one per level:
``municipality.md``, ``area.md``, ``team.md``, ``caseworker.md``, ``case.md``),
so an audience with any id gets a foreword. English texts under ``content/en/``.
"""

from __future__ import annotations

import lisite


@lisite.hookimpl
def lisite_pages(audience, ctx):
    chosen = ctx.key_figures()
    blocks = []
    foreword = next((name for name in (f"forside/{audience.id}.md", f"forside/{audience.level}.md")
                     if ctx.content.get(name) is not None), None)
    if foreword:
        blocks.append(lisite.Markdown(source=foreword))
    if chosen:
        blocks.append(lisite.KeyFigures(tuple(chosen)))
    return [lisite.Page("index.html", audience.title, blocks, order=0, template="front.html")]
