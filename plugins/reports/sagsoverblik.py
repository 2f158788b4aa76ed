"""The caseworker's overview of own cases and coming deadlines (section "Mine sager"), for the level "case".

One page per caseworker, ``sager/<sagsbehandler_id>.html``, and an index, ``sager/index.html``, by team.
Cases appear by pseudonymous case number and the child's age band only. The cases are ``ctx.data``: for
an audience limited to part of the organisation (``filter``), only that part's cases and caseworkers.

Deadlines on the last day of the reporting period: an investigation must be finished 4 months after it
started (Barnets lov § 20, stk. 3); a follow-up is due on its ``frist``. Overdue ones first, then those
due within 60 days. Every word comes from the catalogue (``locales/<lang>/sagsoverblik.toml``).
"""

from __future__ import annotations

import re
from functools import partial

import numpy as np
import pandas as pd

import lisite
from lisite import calc

HORIZON_DAYS = 60
#: The age bands of the target-group theme; the age is the one the child reaches during the year.
AGE_BANDS = ((0, 5), (6, 11), (12, 14), (15, 17))
ADULT = 18
#: The deadlines: (dataset, a row's deadline, the column that marks it done, the task's catalogue key).
TASKS = (("undersoegelser", lambda rows: rows["startet"] + pd.DateOffset(months=4), "afsluttet", "study"),
         ("opfoelgninger", lambda rows: rows["frist"], "udfoert", "follow_up"))


def age_band(birth_year: int, year: int, t) -> str:
    age = year - int(birth_year)
    band = next(((low, high) for low, high in AGE_BANDS if low <= age <= high), None)
    if band:
        return t("sagsoverblik.age_band", low=band[0], high=band[1])
    return t("sagsoverblik.age_adult", low=ADULT) if age >= ADULT else t("sagsoverblik.age_unknown")


def open_cases(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Cases opened by ``day`` and not closed by then."""
    return cases[(cases["oprettet"] <= day) & (cases["afsluttet"].isna() | (cases["afsluttet"] > day))]


def due_tasks(data: dict, case_ids, day: pd.Timestamp, horizon: int = HORIZON_DAYS) -> pd.DataFrame:
    """Open tasks on ``case_ids`` passed by ``day`` or due within ``horizon`` days: ``due``, ``sags_id``, ``task``
    (``study`` or ``follow_up``), overdue first, then by date."""
    return tasks_of(open_tasks(data, day, horizon), case_ids)


def open_tasks(data: dict, day: pd.Timestamp, horizon: int = HORIZON_DAYS) -> pd.DataFrame:
    """Every case's open tasks passed by ``day`` or due within ``horizon`` days, worked out once for all
    caseworkers (a deadline four months after a start is date arithmetic over every row)."""
    parts = [not_done(data[name], due(data[name]), done, task, day) for name, due, done, task in TASKS if data.get(name) is not None]
    if not parts:
        return pd.DataFrame(columns=["due", "sags_id", "task"])
    found = pd.concat(parts, ignore_index=True)
    return found[found["due"] <= day + pd.Timedelta(days=horizon)]


def tasks_of(found: pd.DataFrame, case_ids) -> pd.DataFrame:
    """The tasks of :func:`open_tasks` on ``case_ids``, overdue first, then by date."""
    found = found[found["sags_id"].isin(set(case_ids))]
    return found.sort_values(["due", "sags_id"], kind="stable").reset_index(drop=True)


def not_done(frame: pd.DataFrame, due: pd.Series, done: str, task: str, day: pd.Timestamp) -> pd.DataFrame:
    """The rows of ``frame`` not done by ``day`` (``done`` empty or later): deadline, case and task."""
    still_open = frame[done].isna() | (frame[done] > day)
    return pd.DataFrame({"due": due, "sags_id": frame["sags_id"], "task": task})[still_open]


def deadline_table(tasks: pd.DataFrame, day: pd.Timestamp, t) -> pd.DataFrame:
    """The tasks for a reader: status in words ("Overskredet med 3 dage", "Om 12 dage"), deadline, case, task."""
    return pd.DataFrame({
        t("sagsoverblik.col.status"): each_once((tasks["due"] - day).dt.days, lambda d: status(d, t)),
        t("sagsoverblik.col.due"): tasks["due"],
        "sags_id": tasks["sags_id"],
        t("sagsoverblik.col.task"): each_once(tasks["task"], lambda task: t(f"sagsoverblik.task.{task}")),
    })


def each_once(values, make) -> list:
    """``[make(v) for v in values]``, with ``make`` called once for each distinct value (the words repeat)."""
    made: dict = {}
    return [made[v] if v in made else made.setdefault(v, make(v)) for v in values]


def deadlines(data: dict, case_ids, day: pd.Timestamp, t) -> pd.DataFrame:
    return deadline_table(due_tasks(data, case_ids, day), day, t)  # as the page shows them


def status(days: int, t) -> str:
    """A deadline ``days`` from the day, in words: "Overskredet med 12 dage", "Om 1 dag"."""
    if days == 0:
        return t("sagsoverblik.due_today")
    one = abs(days) == 1
    if days < 0:
        return t("sagsoverblik.overdue_one" if one else "sagsoverblik.overdue", n=-days)
    return t("sagsoverblik.due_in_one" if one else "sagsoverblik.due_in", n=days)


def case_table(cases: pd.DataFrame, year: int, t) -> pd.DataFrame:
    """The cases for a reader, by the day they were opened (then by case)."""
    rows = case_rows(cases, year, t)
    return rows.take(shown_order(rows, t)).reset_index(drop=True)


def shown_order(rows: pd.DataFrame, t) -> np.ndarray:
    """The positions of :func:`case_rows` in the order a table shows the cases: by the day opened, then by case (a
    stable sort: cases alike keep their order)."""
    return rows.reset_index(drop=True).sort_values([t("sagsoverblik.col.opened"), "sags_id"]).index.to_numpy()


def case_rows(cases: pd.DataFrame, year: int, t) -> pd.DataFrame:
    """The columns of :func:`case_table`, a row for each case in its order: case, age band, team, opened."""
    return pd.DataFrame({
        "sags_id": cases["sags_id"],
        t("sagsoverblik.col.age"): each_once(cases["foedselsaar"], lambda y: age_band(y, year, t)),
        "team": cases["team"],
        t("sagsoverblik.col.opened"): cases["oprettet"],
    })


def page_name(caseworker_id: str) -> str:
    """A file name made only of safe characters."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(caseworker_id))


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def counts(t, cases: int, late: int) -> dict:
    """``cases`` and ``late`` in words: "2 åbne sager", "1 overskredet frist"."""
    return {"cases": plural(cases, *(t(f"sagsoverblik.{k}") for k in ("open_one", "open_many"))),
            "late": plural(late, *(t(f"sagsoverblik.{k}") for k in ("late_one", "late_many")))}


def md(text) -> str:
    """Text safe to put in Markdown: its special characters escaped."""
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", str(text))


def caseworker_page(caseworker_id, team, cases: pd.DataFrame, deadlines: pd.DataFrame, late: int, day, ctx) -> lisite.Page:
    """The caseworker's page: ``cases`` as :func:`case_table` shows them, ``deadlines`` as :func:`deadline_table`
    shows them, ``late`` of them overdue."""
    t, long_date = ctx.t, lambda when: ctx.fmt.date(when.strftime("%Y-%m-%d"))
    intro = t("sagsoverblik.intro", id=md(caseworker_id), team=md(team), day=long_date(day), **counts(t, len(cases), late))
    blocks = [lisite.Markdown(text=f"## {t('sagsoverblik.deadlines_heading', days=HORIZON_DAYS)}\n\n{t('sagsoverblik.overdue_first')}")]
    if len(deadlines):
        until = long_date(day + pd.Timedelta(days=HORIZON_DAYS))
        blocks.append(lisite.Table(deadlines, caption=t("sagsoverblik.deadlines_caption", until=until), person_level=True))
    else:
        blocks.append(lisite.Markdown(text=t("sagsoverblik.no_deadlines")))
    blocks += [lisite.Markdown(text="## " + t("sagsoverblik.cases_heading")),
               lisite.Table(cases, caption=t("sagsoverblik.cases_caption"), person_level=True)]
    return lisite.Page(f"sager/{page_name(caseworker_id)}.html", t("sagsoverblik.page_title", id=caseworker_id), blocks,
                       section=t("section.my_cases"), order=21, intro=intro, nav=False)


def index_page(caseworkers: list, t) -> lisite.Page:
    """``caseworkers``: (team, id, open cases, overdue deadlines), sorted by team and id."""
    lines = [t("sagsoverblik.index_text")]
    for number, (team, caseworker_id, count, late) in enumerate(caseworkers):
        if number == 0 or caseworkers[number - 1][0] != team:
            lines.append(f"\n## {md(team)}\n")
        lines.append(f"- [{md(caseworker_id)}]({page_name(caseworker_id)}.html): " + t("sagsoverblik.index_entry", **counts(t, count, late)))
    return lisite.Page("sager/index.html", t("sagsoverblik.index_title"), [lisite.Markdown(text="\n".join(lines))],
                       section=t("section.my_cases"), order=20)


#: What a caseworker's page shows of each case (the page is kept while these and the tasks are the same)
SHOWN = ["sags_id", "foedselsaar", "team", "oprettet"]


@lisite.hookimpl
def lisite_pages(audience, ctx):
    data = ctx.data  # limited to the audience's part of the organisation when it has a filter
    cases = data.get("sager")
    if audience.level != "case" or cases is None:
        return []
    day = calc.month_end(ctx.config.period)
    open_ = open_cases(cases, day)[["sagsbehandler_id", *SHOWN]]
    every = open_tasks(data, day).sort_values(["due", "sags_id"], kind="stable")  # in page order (tasks_of)
    # the pages are made again only when what they show changed: an edit of a child's gender keeps them all, an edit
    # of one caseworker's case makes that caseworker's page and the index again
    return ctx.kept(lambda: calc.content_key("sagsoverblik.pages", audience, open_, every, day),  # only under serve
                    lambda: caseworker_pages(open_, every, day, audience, ctx))


def page_key(audience, caseworker_id, team, own: pd.DataFrame, every: pd.DataFrame, rows: np.ndarray, day) -> str | None:
    """What a caseworker's page is kept by under ``lisite serve``: the rows it shows (``ctx.kept`` calls it only there)."""
    return calc.content_key("sagsoverblik.page", audience, caseworker_id, team, own[SHOWN], every.take(rows).reset_index(drop=True), day)


def taken_page(caseworker_id, team, cases: pd.DataFrame, shown: np.ndarray, deadlines: pd.DataFrame, rows: np.ndarray, late: int,
               day, ctx) -> lisite.Page:
    """The caseworker's page from every caseworker's table rows: the cases at ``shown``, the deadlines at ``rows``."""
    return caseworker_page(caseworker_id, team, cases.take(shown).reset_index(drop=True), deadlines.take(rows).reset_index(drop=True),
                           late, day, ctx)


def own_rows(rows_of_case: dict, cases: pd.Series) -> np.ndarray:
    """The positions, in order, of the tasks of ``cases`` (``rows_of_case``: each case's positions in the tasks): the
    rows ``tasks["sags_id"].isin(cases)`` selects, without reading every task for each caseworker."""
    found = [rows_of_case[case] for case in dict.fromkeys(cases.tolist()) if case in rows_of_case]
    return np.sort(np.concatenate(found)) if found else np.array([], dtype=np.intp)


def caseworker_pages(open_: pd.DataFrame, every: pd.DataFrame, day: pd.Timestamp, audience, ctx) -> list[lisite.Page]:
    """The index and a page for each caseworker with open cases (``open_``); ``every`` open task, in page order.

    The rows of the two tables are made once for all caseworkers (their words, and the cases in the order a table
    shows them) and each page takes its own: the tables :func:`case_table` and :func:`deadline_table` make from one
    caseworker's rows."""
    t = ctx.t
    pages, caseworkers = [], []
    # each case's tasks, found once (a missing case id matches as isin matches it: the filter below)
    rows_of_case = None if every["sags_id"].isna().any() else every.groupby("sags_id", sort=False).indices
    deadlines, overdue = deadline_table(every, day, t), (every["due"] < day).to_numpy()
    cases = case_rows(open_, day.year, t)
    place = np.empty(len(cases), dtype=np.intp)  # each case's place in the order the tables show cases
    place[shown_order(cases, t)] = np.arange(len(cases))
    for caseworker_id, positions in open_.groupby("sagsbehandler_id").indices.items():
        own = open_.iloc[positions]
        team = own["team"].mode().iloc[0]  # a caseworker's team is where most of the cases are
        if rows_of_case is None or own["sags_id"].isna().any():
            rows = np.flatnonzero(every["sags_id"].isin(set(own["sags_id"])).to_numpy())
        else:
            rows = own_rows(rows_of_case, own["sags_id"])
        shown = positions[np.argsort(place[positions], kind="stable")]
        late = int(overdue[rows].sum())
        pages.append(ctx.kept(partial(page_key, audience, caseworker_id, team, own, every, rows, day),
                              partial(taken_page, caseworker_id, team, cases, shown, deadlines, rows, late, day, ctx)))
        caseworkers.append((team, caseworker_id, len(positions), late))
    return [index_page(sorted(caseworkers), ctx.t), *pages]
