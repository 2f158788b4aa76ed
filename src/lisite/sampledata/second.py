"""A second synthetic municipality, shaped differently from the demo, as a complete site folder (FICTIONAL DATA).

``second_site(directory)`` (or ``lisite sample-data --variant anden``) writes a site for 657 Herning
that nothing in lisite may assume: ten teams in three areas with other names than the demo's, exports
with the headers a case system writes (capitals, spaces, Danish letters) mapped to lisite's data model
in ``lisite.toml`` (``[sources.X.columns]``), gender written M/K (``[sources.sager.values.koen]``),
measures named as another system names them with their legal basis in Barnets lov (Serviceloven for
measures that ended before 2024), no ``indsatsgruppe`` in the measure export (the measure catalogue
classifies), the measures and staff exports as Excel sheets with a title row, a site catalogue that
extends and overrides the shipped one, and audiences with other ids, one of them limited to one area.

The same generators as the demo run with another :class:`~lisite.sampledata.generate.Style`: the
story, the rules that tie the files together and the planted data errors are the demo's (see the
package docstring); only the municipality, its organisation and how its systems write the data differ.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from lisite.sampledata.cases import HANDICAP, Case
from lisite.sampledata.dates import CUTOFF, age_on
from lisite.sampledata.generate import CASE_SYSTEM_TITLES, COLUMNS, Style, simulate
from lisite.sampledata.kommuner import Kommune
from lisite.sampledata.staff import Organisation
from lisite.sampledata.writers import write_csv, write_xlsx

KOMMUNE = 657  # Herning, Region Midtjylland, about 90,000 inhabitants
INTAKE, SMALL = "Rådgivning og Modtagelse", "Team Småbørn"
FAMILY_TEAMS = ("Familieteam Nord", "Familieteam Syd", "Familieteam Vest")
YOUTH_TEAMS = ("Ungeteam Øst", "Ungeteam Øst", "Ungeteam Vest")  # by district: north and south are east of the river
DISABILITY_TEAMS = {"Autisme": "Team Autisme og ADHD", "ADHD": "Team Autisme og ADHD",
                    "Udviklingshæmning": "Team Udviklingshæmning", "Fysisk": "Team Fysisk og Sansemæssig Handicap",
                    "Sansemæssig": "Team Fysisk og Sansemæssig Handicap"}
FAMILY, SPECIAL, YOUTH = "Børn og Familie", "Specialområdet", "Ungeområdet"
TEAM_AREA = {INTAKE: FAMILY, SMALL: FAMILY, **dict.fromkeys(FAMILY_TEAMS, FAMILY), **dict.fromkeys(YOUTH_TEAMS, YOUTH),
             **dict.fromkeys(DISABILITY_TEAMS.values(), SPECIAL)}


def team_at(case: Case, d: date) -> str:
    """Disability cases by disability; others in intake until referred, then by age (0-5, 6-13, 14+) and district."""
    if case.group == HANDICAP:
        return DISABILITY_TEAMS[case.disability]
    if case.referred is None or case.referred > d:
        return INTAKE
    age, district = age_on(case.birth, d), case.birth.toordinal() % 3
    return SMALL if age < 6 else FAMILY_TEAMS[district] if age < 14 else YOUTH_TEAMS[district]


STYLE = Style(
    org=Organisation(TEAM_AREA, (INTAKE, "Ungeteam Øst"), team_at, birthdays=(6, 14)),
    measure_names={
        "Familiebehandling": "Familieterapi", "Kontaktperson": "Fast kontaktperson", "Aflastning": "Støtteophold",
        "Praktisk pædagogisk støtte": "Hjemmebaseret familiestøtte", "Konsulentbistand": "Familierådgivning",
        "Plejefamilie": "Almen plejefamilie", "Netværkspleje": "Netværksplejefamilie",
        "Opholdssted": "Socialpædagogisk opholdssted", "Døgninstitution": "Børne- og ungehjem", "Eget værelse": "Kollegieværelse",
    },
    legal={
        "Familiebehandling": ("BL § 32, stk. 1, nr. 5", "Serviceloven § 52, stk. 3, nr. 3"),
        "Kontaktperson": ("BL § 32, stk. 1, nr. 3", "Serviceloven § 52, stk. 3, nr. 6"),
        "Aflastning": ("BL § 32, stk. 1, nr. 7", "Serviceloven § 52, stk. 3, nr. 5"),
        "Praktisk pædagogisk støtte": ("BL § 32, stk. 1, nr. 2", "Serviceloven § 52, stk. 3, nr. 2"),
        "Konsulentbistand": ("BL § 30, stk. 1, nr. 1", "Serviceloven § 11, stk. 3"),
        "placement": ("BL § 46", "Serviceloven § 52, stk. 3, nr. 7"),
        "forced": ("BL § 47", "Serviceloven § 58"),
    },
    other_lines=((FAMILY, "5.28.21", 340000, 0.8), (YOUTH, "5.28.24", 160000, 1.0), (SPECIAL, "5.28.25", 560000, 0.5)),
    case_prefix="BU-",
)

# Model column -> header as the exports write it; a dataset not listed keeps lisite's own names.
HEADERS = {
    "sager": {"sags_id": "Sags-ID", "foedselsaar": "Barnets fødselsår", "koen": "Barnets køn", "maalgruppe": "Målgruppe",
              "handicaptype": "Handicaptype", "omraade": "Område", "team": "Team", "sagsbehandler_id": "Rådgiver-ID",
              "oprettet": "Oprettet", "afsluttet": "Afsluttet"},
    "underretninger": {"underretning_id": "Underretnings-ID", "sags_id": "Sags-ID", "modtaget": "Modtaget",
                       "kilde": "Underretter", "vurderet": "Vurderet", "foerte_til_undersoegelse": "Førte til undersøgelse"},
    "undersoegelser": {"undersoegelse_id": "Undersøgelses-ID", "sags_id": "Sags-ID", "startet": "Startdato",
                       "afsluttet": "Slutdato"},
    "ydelser": {"ydelse_id": "Ydelses-ID", "sags_id": "Sags-ID", "sagsstatus": "Status", "indsatstype": "Indsats",
                "lovhjemmel": "Lovhjemmel", "budgetfunktion": "Funktion", "leverandoer": "Leverandør",
                "leverandoer_kommune": "Leverandørens kommune", "startdato": "Startdato", "slutdato": "Slutdato",
                "takst": "Takst", "pris_pr_maaned": "Pris pr. måned", "tvang": "Uden samtykke"},
    "opfoelgninger": {"ydelse_id": "Ydelses-ID", "sags_id": "Sags-ID", "frist": "Frist", "udfoert": "Udført",
                      "maalopfyldelse": "Målopfyldelse"},
    "ledelsestilsyn": {"tilsyn_id": "Tilsyns-ID", "sags_id": "Sags-ID", "dato": "Dato", "team": "Team",
                       "lovmedholdelig": "Lovmedholdelig", "fund": "Fund"},
    "sagsbehandlerskift": {"sags_id": "Sags-ID", "dato": "Dato", "fra_sagsbehandler_id": "Fra rådgiver",
                           "til_sagsbehandler_id": "Til rådgiver"},
    "resultater": {"sags_id": "Sags-ID", "aar": "År", "skolefravaer_pct": "Skolefravær (%)", "trivsel": "Trivsel",
                   "ungdomsuddannelse": "Ungdomsuddannelse", "sigtet": "Sigtet"},
    "medarbejdere": {"medarbejder_id": "Medarbejder-ID", "navn": "Navn", "team": "Team", "rolle": "Rolle",
                     "ansat": "Ansat", "fratraadt": "Fratrådt", "ics_uddannet": "ICS-uddannet",
                     "sos_uddannet": "Signs of Safety-uddannet", "supervision_timer": "Supervision (timer)"},
    "budget": {"aar": "År", "maaned": "Måned", "omraade": "Område", "budgetfunktion": "Funktion",
               "indsatsgruppe": "Indsatsgruppe", "budget": "Budget", "korrigeret_budget": "Korrigeret budget",
               "forbrug": "Forbrug"},
}
EXCEL = {"ydelser": "Ydelser", "medarbejdere": "Medarbejdere", "budget": "Budgetopfølgning"}  # dataset -> sheet
TITLED = set(HEADERS)  # exports with a title line above the header
GENDER = {"Dreng": "M", "Pige": "K"}
SKIPPED = {"ydelser": ("indsatsgruppe",)}  # the measure export has no group: the catalogue decides

AUDIENCES = (
    ("boerneudvalg", "Børne- og Familieudvalget", "municipality", 5, None, None,
     "Det politiske udvalg: kommunens samlede tal, mål og sammenligninger."),
    ("skoleudvalg", "Børne- og Skoleudvalget", "municipality", 5,
     ["index.html", "temaer/resultater.html", "temaer/maalgrupper.html", "rapporter/fokusomraader.html", "om/*"], None,
     "Skoleudvalget: resultater for børnene, målgrupper og fokusområder."),
    ("chef_handicap", f"Chef for {SPECIAL}", "area", 5, None, {"omraade": SPECIAL},
     f"Chefen for {SPECIAL}: kun områdets egne tal."),
    ("teamledere", "Teamledere", "caseworker", 5, None, None, "Teamledere: tal pr. team og rådgiver."),
    ("raadgivere", "Rådgivere", "case", 1, None, None, "Rådgivere: egne sager med frister (kun pseudonyme sagsnumre)."),
)

CATALOGUE = """noegle;slags;indsatsgruppe;anbringelsessted;forklaring
Hjemmebaseret familiestøtte;navn;Forebyggende;;Kommunens navn for praktisk, pædagogisk eller anden støtte i hjemmet (BL § 32, stk. 1, nr. 2)
Familierådgivning;navn;Forebyggende;;Kommunens navn for konsulentbistand (BL § 30, stk. 1, nr. 1)
Børne- og ungehjem;navn;Anbringelse;doegninstitution;I kommunens udtræk er børne- og ungehjem døgninstitutioner (opholdssteder hedder Socialpædagogisk opholdssted)
"""


def path_of(name: str) -> str:
    return f"data/{name}.xlsx" if name in EXCEL else f"data/{name}.csv"


def export_rows(name: str, rows: list[dict]) -> tuple[tuple[str, ...], list[dict]]:
    """(header, rows) as the export writes them: its own headers, M/K, Ja/Nej in Excel sheets."""
    columns = [c for c in COLUMNS[name] if c not in SKIPPED.get(name, ())]
    headers = HEADERS.get(name, {})
    out = []
    for row in rows:
        row = {c: row[c] for c in columns}
        if name == "sager":
            row["koen"] = GENDER[row["koen"]]
        if name in EXCEL:
            row = {c: ("Ja" if v else "Nej") if isinstance(v, bool) else v for c, v in row.items()}
        out.append({headers.get(c, c): v for c, v in row.items()})
    return tuple(headers.get(c, c) for c in columns), out


def toml(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False)


def config_text(home: Kommune) -> str:
    lines = [f"# {home.name} Kommune: et syntetisk site, der ikke ligner demoen (FIKTIVE DATA).",
             "# Dannet af 'lisite sample-data --variant anden'. Udtrækkenes overskrifter oversættes i [sources.X.columns].",
             "[site]", f"title = {toml(f'Børn og unge med særlige behov i {home.name} Kommune')}", 'language = "da"',
             "synthetic = true", "", "[municipality]", f"code = {home.code}", f"name = {toml(home.name)}", "",
             "[period]", f'current = "{CUTOFF:%Y-%m}"', 'first = "2024-01"', "",
             "[measures]", 'catalogue = "foranstaltninger.csv"  # sitets egne indsatsnavne; de indbyggede gælder også', ""]
    for ident, title, level, min_count, pages, limit, description in AUDIENCES:
        lines += [f"[audiences.{ident}]", f"title = {toml(title)}", f'level = "{level}"', f"min_count = {min_count}"]
        lines += [f"pages = {toml(pages)}"] if pages else []
        lines += [f"filter = {toml(limit)}"] if limit else []
        lines += [f"description = {toml(description)}", ""]
    for name in COLUMNS:
        lines += [f"[sources.{name}]", f'path = "{path_of(name)}"']
        lines += ["header_row = 2  # titellinjen står over overskrifterne"] if name in TITLED else []
        if name in HEADERS:
            lines += ["", f"[sources.{name}.columns]"]
            lines += [f"{c} = {toml(h)}" for c, h in HEADERS[name].items() if c not in SKIPPED.get(name, ())]
        if name == "sager":
            lines += ["", "[sources.sager.values.koen]"] + [f"{toml(v)} = {toml(k)}" for k, v in GENDER.items()]
        lines.append("")
    return "\n".join(lines)


def readme_text(home: Kommune, seed: int, counts: dict[str, int], planted: dict[str, list[str]]) -> str:
    files = "\n".join(f"| `{path_of(n)}` | {counts[n]} |" for n in COLUMNS)
    dirt = "\n".join(f"- {key}: {', '.join(ids)}" for key, ids in planted.items())
    teams = "\n".join(f"- {area}: {', '.join(t for t, a in TEAM_AREA.items() if a == area)}" for area in (FAMILY, YOUTH, SPECIAL))
    return f"""# {home.name} Kommune – FIKTIVE DATA

Et helt site til lisite for en anden kommune end demoen ({home.code} {home.name}, {home.region}). **Alle data er
syntetiske og fiktive**; kun kommunekoder, -navne og regioner er rigtige. Data er dannet af de samme
generatorer som demoens eksempeldata (seed {seed}), men organisationen og måden, systemerne skriver data på,
er en anden, så intet i lisite kan tage demoen for givet.

## Organisation

{teams}

## Filer

| fil | rækker |
|---|---:|
{files}

Udtrækkene fra sagssystemet har en titellinje over overskrifterne og overskrifter, som systemet skriver dem
(fx "Sags-ID", "Barnets køn", "Indsats", "Lovhjemmel"); `lisite.toml` oversætter dem til lisites datamodel
under `[sources.X.columns]`, og køn skrives M/K (`[sources.sager.values.koen]`). Ydelser, medarbejdere og
budget er Excel-ark. Ydelsesudtrækket har ingen indsatsgruppe: om en indsats er forebyggende eller en
anbringelse, afgøres af lovhjemlen (barnets lov, serviceloven før 2024) og navnet i kataloget over indsatser;
`foranstaltninger.csv` tilføjer kommunens egne navne og retter ét af de indbyggede.

Modtagergrupper: {', '.join(a[0] for a in AUDIENCES)}; `chef_handicap` ser kun {SPECIAL}.

Plantede datafejl (som i demoen):
{dirt}

Dan filerne igen med `lisite sample-data --variant anden --out MAPPE --seed {seed}`.

## English summary

A complete synthetic (fictional) site for {home.name} municipality: other teams and areas than the demo,
case-system headers mapped in `lisite.toml`, M/K gender, Excel sheets with title rows, measures classified by
their legal basis (Barnets lov) through the measure catalogue, and other audience ids including one limited to
a single area. Regenerate it with the command above; the same seed gives the same files.
"""


def second_site(directory: Path | str, seed: int = 2026, kommune: int = KOMMUNE) -> list[Path]:
    """Write the second municipality's site (lisite.toml, foranstaltninger.csv, README.md, data/) into ``directory``."""
    directory = Path(directory)
    (directory / "data").mkdir(parents=True, exist_ok=True)
    home, data, planted = simulate(seed, kommune, STYLE)
    written = []
    for name in COLUMNS:
        header, rows = export_rows(name, data[name])
        what = EXCEL.get(name) or CASE_SYSTEM_TITLES.get(name) or "Resultater for børn med indsatser"
        title = f"{what} pr. {CUTOFF:%d-%m-%Y} – {home.name} Kommune (FIKTIVE DATA)"
        path = directory / path_of(name)
        if name in EXCEL:
            written.append(write_xlsx(path, EXCEL[name], title, header, rows))
        else:
            written.append(write_csv(path, header, rows, title if name in TITLED else None))
    texts = {"lisite.toml": config_text(home), "foranstaltninger.csv": CATALOGUE,
             "README.md": readme_text(home, seed, {n: len(r) for n, r in data.items()}, planted)}
    for filename, text in texts.items():
        (directory / filename).write_text(text, encoding="utf-8", newline="\n")
        written.append(directory / filename)
    return written
