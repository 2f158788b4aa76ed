"""Deterministic synthetic sample data for lisite (FICTIONAL DATA).

Run from the project root::

    PYTHONPATH=src python -m lisite.sampledata --out sample_data [--seed 2026] [--kommune 479]

or call :func:`generate`. :func:`second_site` (``lisite sample-data --variant anden``) writes a whole
site for a second municipality shaped differently from the demo (see :mod:`lisite.sampledata.second`).
The same seed and municipality always give
byte-identical files. Every random draw comes from ``random.Random`` seeded
with ``"<seed>:<kommune>:<step>"``, so each step has its own stream. Nothing
outside this package is read.

The story: a municipality (default 479 Svendborg, Region Syddanmark, about
60,000 inhabitants and 12,500 children aged 0-17) whose case system is
extracted on 30-09-2026. Case data cover 01-01-2017 to 30-09-2026.

Files (column names and order as declared in ``plugins/model/datasets/``)
---------------------------------------------------------------------
CSV files are UTF-8, ``;``-separated, decimal comma without thousands
separator, ``Ja``/``Nej``, ``dd-mm-yyyy`` and ``dd-mm-yyyy HH:MM``, empty
for missing. Case-system exports (sager, underretninger, undersoegelser,
ydelser, opfoelgninger, ledelsestilsyn, sagsbehandlerskift) have one title
line above the header; the others start with the header.

sager.csv (cases.py, staff.py)
    One row per case open at some time since 01-01-2017 (some opened before).
    Cases arrive at about 430 (socially vulnerable, +1 %/year) and 46
    (disability) a year per 12,500 children; about 1,000 are open at any
    time, about 75 % Socialt udsat. Ids S-1xxxxx rise with the opening date.
    Birth dates are hidden; only the birth year is written. The team is the
    team on 30-09-2026 or on closing: a socially vulnerable case starts in
    Modtagelsen; if it gets measures it moves after a screening of 1-4 weeks
    (at the latest when the first investigation ends or a measure starts) to
    Team 0-6 år / 7-13 år / Unge by age, otherwise it stays in Modtagelsen
    until it closes (about 200 open cases); disability cases are in Team
    Handicap. Counted by this team column, every team's open cases change
    smoothly month by month (well under 20 %). Caseworker positions are
    sized at 25 open cases each; the caseworker is the last one in
    sagsbehandlerskift.csv.
underretninger.csv (events.py)
    About 112 per 1,000 children in 2017 rising by 2 a year (about 1,500 a
    year). Notifications that opened an investigation link to its case (about
    23 %); 45 % of the others link to an open case, the rest have no sags_id.
    Sources: school 30 %, police 20 %, health 14 %, daycare 12 %, parents 8 %,
    anonymous 7 %, others 9 %. Assessed within 24 hours: 85 % rising to 92 %.
undersoegelser.csv (cases.py)
    One per case at opening (60 % of disability cases), plus a new one before
    a placement that follows preventive measures. Within 4 months: about
    70 % in 2017 rising to 84 %. Empty afsluttet while still running.
ydelser.csv (cases.py, measures.py)
    Every measure running at some time from 01-01-2017 and started by
    30-09-2026. sagsstatus is the measure's status on 30-09-2026 (Aktiv when
    it runs that day). lovhjemmel is Barnets lov (BL § 30/32, § 46, § 47 for
    placements without consent, tvang = Ja, 9-18 % of placements); measures
    that ended before 2024 show the Serviceloven paragraph. Budget functions:
    5.28.20 care homes/own room, 5.28.21 preventive, 5.28.22 foster and
    network care, 5.28.23 residential institutions. Prices are drawn in the
    ranges of measures.PRICE_RANGES at 2025 level, 2.5 % lower per earlier
    start year. About 10 placed and 28 preventive children per 1,000.
    slutdato is empty for running measures, except a planned end within a
    year for 40 % of running preventive ones.
opfoelgninger.csv (events.py)
    Due 3 months after a measure starts, then every 6 months while it runs,
    until 31-12-2026. 78-90 % done on time, the rest late; maalopfyldelse
    Helt 40 %, Delvist 45 %, Ikke 15 % when done.
ledelsestilsyn.csv (events.py)
    2-5 audits per team and month from 2019; lawful 80 % rising to 91 %;
    a short Danish finding when not lawful.
sagsbehandlerskift.csv (staff.py)
    Every new caseworker on a case from 01-01-2017: at opening, on a change
    of team, when the caseworker leaves, and at random redistributions.
resultater.csv, resultater_alle.csv (outcomes.py)
    Per child with a measure and year 2019-2025 (ages 6-17), and for all
    children. Absence of children with measures is about twice the level of
    all children (about 12-14 % against 6-8 %).
medarbejdere.csv (staff.py)
    Caseworker positions (one per 25 open cases per team), a leader per team
    and two coordinators; tenure exponential (caseworkers mean 4.5 years,
    about one in five leaves a year) and replaced after a short vacancy.
    Fictional names; ids like SB-017 numbered by hiring date. ICS and Signs
    of Safety training shares rise with the year the person was last
    employed; supervision hours over the last year rise too.
budget.xlsx (economy.py)
    Sheet "Budgetopfølgning": title in row 1, header in row 2, data from row
    3, 2023-01 to 2026-09. forbrug on the Forebyggende/Anbringelse lines is
    exactly the measures' spend (rule in economy.py); Øvrige lines are
    synthetic (a level per child at 2025 prices, 2.5 % lower per earlier
    year, about 7-9 % on top of the measures). Budget = expected spend +/- a few %, corrected from July;
    2026 ends in a modest overrun.
maal.csv (goals.py)
    Five focus areas for 2025 and for 2026 with indicator ids, baselines
    computed from the files (definitions in goals.py), targets and deadlines.
benchmark.csv (benchmark.py, kommuner.py)
    All 98 municipalities x 2017-2025 with real codes, names and regions and
    synthetic, smooth figures. The demo municipality's rows are computed
    from its own files: anbragte / forebyggende on 31 Dec, notifications
    received in the year, boern_0_17 = the population used for the rates,
    and udgift_1000kr = total function 5.28 spend including Øvrige / 1000:
    for 2023-2025 the year's sum of forbrug in budget.xlsx (so it matches
    the oekonomi.udgift_pr_barn indicator), for 2017-2022 the measures'
    spend plus Øvrige drawn by the same rule. The other municipalities
    spend about 9,000-16,000 kr. per child.
README.md (readme.py)
    Danish description with a short English summary and the regenerate
    command.

Planted dirt (dirt.py), a handful of rows that break no required column
------------------------------------------------------------------------
* ydelser.csv: 3 preventive measures whose slutdato was typed a year too
  early (before startdato; they cost nothing under the spend rule) and 1
  running placement whose row appears twice (counted once).
* underretninger.csv: 8 notifications from 2018-2025 with empty vurderet.
* undersoegelser.csv: 4 investigations started 2023-mid 2025 with no afsluttet.
* opfoelgninger.csv: 6 follow-ups due 2024-2025, long past due and not done.
The exact ids are listed in the generated README.md. Not dirt: notifications
from the last days before the extraction not yet assessed, and running
investigations and follow-ups not yet finished.
"""

from __future__ import annotations

from lisite.sampledata.generate import generate
from lisite.sampledata.second import second_site

__all__ = ["generate", "second_site"]
