"""The standard data model: the datasets the built-in indicators read.

Each dataset is one file named in ``lisite.toml`` under ``[sources.<name>]``.
Column names are the ones a Danish case or economy system export would use.
Dates may be written ``2024-03-31`` or ``31-03-2024``; decimals with a comma.
"""

from __future__ import annotations

import lisite
from lisite.model import Column as C
from lisite.model import DatasetSpec

TEAMS = ("Modtagelsen", "Team 0-6 år", "Team 7-13 år", "Team Unge", "Team Handicap")
AREAS = ("Familieafdelingen", "Handicap og Unge")
NOTIFICATION_SOURCES = ("Skole", "Dagtilbud", "Sundhedsvæsen", "Politi", "Forældre", "Anonym", "Andre")
PREVENTIVE = ("Familiebehandling", "Kontaktperson", "Aflastning", "Praktisk pædagogisk støtte", "Konsulentbistand")
PLACEMENT = ("Plejefamilie", "Netværkspleje", "Opholdssted", "Døgninstitution", "Eget værelse")
MEASURE_TYPES = PREVENTIVE + PLACEMENT
TARGET_GROUPS = ("Socialt udsat", "Handicap")

SPECS = [
    DatasetSpec(
        "sager",
        "Sager",
        (
            C("sags_id", "str", description="Pseudonymt sagsnummer", person_level=True),
            C("foedselsaar", "int", description="Barnets fødselsår"),
            C("koen", "str", choices=("Dreng", "Pige")),
            C("maalgruppe", "str", choices=TARGET_GROUPS),
            C("handicaptype", "str", required=False, description="Kun for målgruppen Handicap"),
            C("omraade", "str", choices=AREAS),
            C("team", "str", choices=TEAMS),
            C("sagsbehandler_id", "str", person_level=True, level="caseworker"),
            C("oprettet", "date"),
            C("afsluttet", "date", required=False),
        ),
        description="Én række pr. sag (barn) fra sagssystemet.",
    ),
    DatasetSpec(
        "underretninger",
        "Underretninger",
        (
            C("underretning_id", "str", person_level=True),
            C("sags_id", "str", required=False, person_level=True),
            C("modtaget", "datetime"),
            C("kilde", "str", choices=NOTIFICATION_SOURCES),
            C("vurderet", "datetime", required=False, description="Tidspunkt for vurdering af barnets sikkerhed"),
            C("foerte_til_undersoegelse", "bool"),
        ),
    ),
    DatasetSpec(
        "undersoegelser",
        "Børnefaglige undersøgelser",
        (
            C("undersoegelse_id", "str", person_level=True),
            C("sags_id", "str", person_level=True),
            C("startet", "date"),
            C("afsluttet", "date", required=False),
        ),
    ),
    DatasetSpec(
        "ydelser",
        "Indsatser (ydelser)",
        (
            C("ydelse_id", "str", person_level=True),
            C("sags_id", "str", person_level=True),
            C("sagsstatus", "str", choices=("Aktiv", "Afsluttet")),
            C("indsatstype", "str", choices=MEASURE_TYPES),
            C("indsatsgruppe", "str", choices=("Forebyggende", "Anbringelse")),
            C("lovhjemmel", "str"),
            C("budgetfunktion", "str", description="Fx 5.28.21"),
            C("leverandoer", "str", required=False),
            C("leverandoer_kommune", "str", required=False),
            C("startdato", "date"),
            C("slutdato", "date", required=False),
            C("takst", "float", required=False),
            C("pris_pr_maaned", "float"),
            C("tvang", "bool"),
        ),
        description="Udtræk af bevilgede ydelser fra sagssystemet (DUBU eller lignende).",
    ),
    DatasetSpec(
        "opfoelgninger",
        "Opfølgninger på indsatser",
        (
            C("ydelse_id", "str", person_level=True),
            C("sags_id", "str", person_level=True),
            C("frist", "date"),
            C("udfoert", "date", required=False),
            C("maalopfyldelse", "str", required=False, choices=("Helt", "Delvist", "Ikke")),
        ),
    ),
    DatasetSpec(
        "ledelsestilsyn",
        "Ledelsestilsyn",
        (
            C("tilsyn_id", "str"),
            C("sags_id", "str", person_level=True),
            C("dato", "date"),
            C("team", "str", choices=TEAMS),
            C("lovmedholdelig", "bool"),
            C("fund", "str", required=False, person_level=True),  # free text about one case: case level only
        ),
    ),
    DatasetSpec(
        "resultater",
        "Resultater for børn med indsatser",
        (
            C("sags_id", "str", person_level=True),
            C("aar", "int"),
            C("skolefravaer_pct", "float", required=False),
            C("trivsel", "float", required=False, description="Trivselsscore 1-5"),
            C("ungdomsuddannelse", "bool", required=False, description="Påbegyndt ungdomsuddannelse (17-årige)"),
            C("sigtet", "bool", required=False, description="Sigtet for lovovertrædelse i året (15-17-årige)"),
        ),
    ),
    DatasetSpec(
        "resultater_alle",
        "Resultater for alle børn i kommunen",
        (
            C("aar", "int"),
            C("skolefravaer_pct", "float"),
            C("trivsel", "float"),
            C("ungdomsuddannelse_pct", "float"),
            C("sigtet_pct", "float"),
        ),
    ),
    DatasetSpec(
        "medarbejdere",
        "Medarbejdere",
        (
            C("medarbejder_id", "str", person_level=True, level="caseworker"),
            C("navn", "str", person_level=True, level="caseworker"),
            C("team", "str", choices=TEAMS),
            C("rolle", "str", choices=("Sagsbehandler", "Leder", "Fagkoordinator")),
            C("ansat", "date"),
            C("fratraadt", "date", required=False),
            C("ics_uddannet", "bool"),
            C("sos_uddannet", "bool"),
            C("supervision_timer", "float", description="Supervisionstimer det seneste år"),
        ),
    ),
    DatasetSpec(
        "sagsbehandlerskift",
        "Skift af sagsbehandler",
        (
            C("sags_id", "str", person_level=True),
            C("dato", "date"),
            C("fra_sagsbehandler_id", "str", required=False, person_level=True, level="caseworker"),
            C("til_sagsbehandler_id", "str", person_level=True, level="caseworker"),
        ),
        description="Én række hver gang en sag får ny sagsbehandler (også den første).",
        required=False,
    ),
    DatasetSpec(
        "budget",
        "Budgetopfølgning",
        (
            C("aar", "int"),
            C("maaned", "int"),
            C("omraade", "str", choices=AREAS),
            C("budgetfunktion", "str"),
            C("indsatsgruppe", "str", choices=("Forebyggende", "Anbringelse", "Øvrige")),
            C("budget", "float"),
            C("korrigeret_budget", "float"),
            C("forbrug", "float", description="Forbrug i måneden, kr."),
        ),
        description="Månedligt forbrug og budget fra økonomisystemet.",
    ),
    DatasetSpec(
        "maal",
        "Politiske mål og fokusområder",
        (
            C("aar", "int"),
            C("fokusomraade", "str"),
            C("politisk_maal", "str"),
            C("indikator", "str", description="Id på den indikator, der måler målet"),
            C("baseline", "float"),
            C("baseline_aar", "int"),
            C("maal", "float"),
            C("frist", "int", description="Årstal målet skal være nået"),
        ),
    ),
    DatasetSpec(
        "benchmark",
        "Nøgletal for alle kommuner",
        (
            C("kommunekode", "int"),
            C("kommune", "str"),
            C("region", "str"),
            C("aar", "int"),
            C("boern_0_17", "int"),
            C("anbragte", "int"),
            C("forebyggende", "int"),
            C("underretninger", "int"),
            C("udgift_1000kr", "float", description="Nettodriftsudgift, funktion 5.28, 1.000 kr."),
            C("socio_indeks", "float"),
        ),
        description="Årlige tal for alle 98 kommuner, som fra Danmarks Statistik.",
    ),
]


@lisite.hookimpl
def lisite_datasets():
    return SPECS
