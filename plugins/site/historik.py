"""The page "Siden sidste møde": what changed since an earlier report, in words, and links to every earlier report.

The earlier figures are those the audience was shown then (``lisite.history.reports``: each archived
report keeps a summary of its figures), set against the figures it is shown now
(``lisite.history.figures``). An indicator is listed when its shown value, whether its target is met,
or its process verdict changed. A difference is stated only between two shown figures: when either
is hidden, the page says that the change is not shown, since a stated difference would let a reader
work the hidden figure out.

The report compared with is the newest earlier one, or ``[plugin.historik] compare_with = "YYYY-MM"``. An
audience that may see no indicator gets no such page: it would only say that there is nothing to compare.
The blocks are :class:`lisite.Deferred`, so they are made in every build (the archive is not part of
what a plugin's cached pages depend on).
"""

from __future__ import annotations

import lisite

PATH = "siden-sidste-moede.html"


@lisite.hookimpl
def lisite_pages(audience, ctx):
    if not ctx.visible_to(audience):  # shown no figure (the caseworkers' own case lists): nothing to compare
        return []
    return [lisite.Page(PATH, ctx.t("historik.page_title"), [lisite.Deferred(blocks)], order=1)]


def blocks(ctx) -> list:
    t = ctx.t
    reports = lisite.history.reports(ctx)
    if not reports:
        return [lisite.Markdown(text=t("historik.first"))]
    before, note = chosen(reports, ctx)
    lines = [note] if note else []
    lines.append(t("historik.intro", before=ctx.fmt.period(before.period), now=ctx.fmt.period(ctx.config.period)))
    now = lisite.history.figures(ctx, set(before.figures))  # only what the earlier report showed is compared
    common = [key for key in now if key in before.figures]
    if not common:
        return [lisite.Markdown(text="\n\n".join([*lines[:-1], t("historik.no_figures"), archive(reports, ctx)]))]
    moved = [key for key in common if lisite.history.changed(before.figures[key], now[key])]
    changes = merged([(now[key]["title"], sentence(before.figures[key], now[key], ctx, before.period,
                                                     getattr(ctx.indicators.get(key), "cumulative", False), title=HOLE))
                      for key in moved], ctx)
    if changes:
        lines.append("\n".join(f"- {text}" for text in changes))
    else:
        lines.append(t("historik.none_changed", before=ctx.fmt.period(before.period)))
    rest = len(common) - len(moved)  # figures, not sentences: a sentence may name several
    if changes and rest:
        lines.append(t("historik.unchanged_one") if rest == 1 else t("historik.unchanged", count=ctx.fmt.number(rest)))
    lines.append(archive(reports, ctx))
    return [lisite.Markdown(text="\n\n".join(lines))]


HOLE = "\x00"  # where a figure's title goes in its sentence, until the sentences that say the same are merged


def merged(said: list[tuple[str, str]], ctx) -> list[str]:
    """The sentences, one per figure (title, sentence with :data:`HOLE` for its title), with the figures whose
    sentences say the same merged into one that names them all ("**Aktive sager** og **Børn med en sag**: 1.014 i
    september 2026 mod 999 i juni 2026 (+15).": breakdowns of the same children have the same total)."""
    titles: dict[str, list[str]] = {}
    for title, sentence in said:
        titles.setdefault(sentence, []).append(f"**{title}**")
    return [sentence.replace(f"**{HOLE}**", lisite.fmt.join(names, ctx.config.language)) for sentence, names in titles.items()]


def archive(reports: list, ctx) -> str:
    """The heading and a link to each earlier report (relative to this page, which lies at the audience's root)."""
    t = ctx.t
    links = "\n".join(f"- [{t('historik.archive_link', period=ctx.fmt.period(r.period))}]({r.path})" for r in reports)
    return f"## {t('historik.archive_heading')}\n\n{t('historik.archive_note')}\n\n{links}"


def chosen(reports: list, ctx) -> tuple:
    """The report to compare with, and a sentence when the configured one is not in the archive."""
    wanted = ctx.settings("historik").get("compare_with")
    earlier = [r for r in reports if r.period < ctx.config.period] or reports
    found = next((r for r in reports if r.period == wanted), None)
    if found is not None:
        return found, ""
    if wanted:
        return earlier[0], ctx.t("historik.compare_missing", period=str(wanted), before=ctx.fmt.period(earlier[0].period))
    return earlier[0], ""


def not_over(ctx, report_period: str) -> str:
    """A figure for this year in both reports covers more months now: "2026 er ikke slut: tallet dækkede januar–juni
    i rapporten for juni 2026 og dækker nu januar–september." (826 follow-ups against 541 is mostly three months more).
    In December's report the year is whole, and said so."""
    months = lisite.fmt.MONTHS[ctx.config.language]
    key = "historik.year_whole" if ctx.config.period.endswith("-12") else "historik.year_not_over"
    return ctx.t(key, year=ctx.config.period[:4], first=months[0], report=ctx.fmt.period(report_period),
                 before_month=months[int(report_period[5:7]) - 1], now_month=months[int(ctx.config.period[5:7]) - 1])


def over_12_months(before: dict, now: dict, unit: str, ctx) -> str:
    """The last 12 months added up in both reports, where a hidden month has no change to state: "De seneste 12 måneder
    lagt sammen: 89,5 % for oktober 2025–september 2026 mod 88,0 % for juli 2025–juni 2026 (+1,5 procentpoint)." Both
    sums were shown in their reports (each protected together with its months there)."""
    fmt = ctx.fmt
    words = {"now": fmt.value(now["value"], unit), "now_first": fmt.period(now["first"]), "now_last": fmt.period(now["period"]),
             "before": fmt.value(before["value"], unit), "before_first": fmt.period(before["first"]),
             "before_last": fmt.period(before["period"])}
    if now["value"] == before["value"]:
        return ctx.t("historik.window_same", **words)
    diff = now["value"] - before["value"]
    return ctx.t("historik.window_change", difference=("+" if diff > 0 else "−") + fmt.difference(abs(diff), unit), **words)


def sentence(before: dict, now: dict, ctx, report_period: str = "", cumulative: bool = False, title: str = "") -> str:
    """One changed figure in words; never a difference that involves a hidden figure. ``cumulative``: the figure
    adds up its year month by month (the year's spending so far), so two months' figures cover different spans.
    ``title``: what to call the figure instead of its own title."""
    t, fmt = ctx.t, ctx.fmt
    title, unit = title or now["title"], now["unit"]
    hidden = [fig["period"] for fig in (before, now) if fig.get("hidden")]
    if hidden:
        periods = lisite.fmt.join([fmt.period(p) for p in dict.fromkeys(hidden)], ctx.config.language)
        if before.get("window") and now.get("window"):  # the last 12 months added up, as both reports named them
            return t("historik.hidden_month", title=title, periods=periods) + " " + over_12_months(before["window"], now["window"], unit, ctx)
        return t("historik.hidden", title=title, periods=periods)
    missing = [fig["period"] for fig in (before, now) if fig.get("value") is None]
    if missing:
        return t("historik.no_figure", title=title, period=fmt.period(missing[0]))
    words = {"title": title, "now": fmt.value(now["value"], unit), "now_period": fmt.period(now["period"]),
             "before": fmt.value(before["value"], unit), "before_period": fmt.period(before["period"]),
             "report": fmt.period(report_period)}
    same = "_same_period" if now["period"] == before["period"] else ""  # a year so far: "2026" in both reports
    if now["value"] == before["value"]:
        parts = [t(f"historik.same_value{same}", **words)]
    else:
        diff = now["value"] - before["value"]
        parts = [t(f"historik.change{same}", difference=("+" if diff > 0 else "−") + fmt.difference(abs(diff), unit), **words)]
        if cumulative and not same:
            parts.append(t("historik.year_so_far"))
        elif same and len(now["period"]) == 4 and report_period[:4] == ctx.config.period[:4] == now["period"]:
            parts.append(not_over(ctx, report_period))
    if before.get("target_met") is False and now.get("target_met") is True:
        parts.append(t("historik.target_met"))
    elif before.get("target_met") is True and now.get("target_met") is False:
        parts.append(t("historik.target_missed"))
    if before.get("verdict") and now.get("verdict") and before["verdict"] != now["verdict"]:
        parts.append(t("historik.verdict_change", before=t(f"historik.verdict_{before['verdict']}"),
                       now=t(f"historik.verdict_{now['verdict']}")))
    return " ".join(parts)
