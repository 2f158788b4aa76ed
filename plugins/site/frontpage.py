"""Each audience's front page: the handful of figures that matter now, then the foreword.

The figures come first, so a committee member sees all of them on the first screen of a tablet.
They are ``ctx.key_figures()``: the indicators marked ``key_figure=True`` that the audience may
see, or the list in ``[plugin.frontpage] <audience> = [ids]``, as the engine's short front-page
tiles (``KeyFigures(front=True)``: each links to its indicator's page and draws its course;
other plugins add a line, such as the comparison with other municipalities, and tiles of their
own, such as the year's expected result against the budget).
The foreword below them is ``content/forside/<audience id>.md`` when a site writes one for
that audience, else ``content/forside/<level>.md`` (lisite ships one per level:
``municipality.md``, ``area.md``, ``team.md``, ``caseworker.md``, ``case.md``),
so an audience with any id gets a foreword. English texts under ``content/en/``.
"""

from __future__ import annotations

import lisite


@lisite.hookimpl
def lisite_pages(audience, ctx):
    blocks = [lisite.KeyFigures(tuple(ctx.key_figures()), front=True)]  # with any tiles other plugins add
    foreword = next((name for name in (f"forside/{audience.id}.md", f"forside/{audience.level}.md")
                     if ctx.content.get(name) is not None), None)
    if foreword:
        blocks.append(lisite.Markdown(source=foreword))
    return [lisite.Page("index.html", audience.title, blocks, order=0, template="front.html")]
