"""The standard data model: the datasets the built-in indicators read.

Each dataset is one file named in ``lisite.toml`` under ``[sources.<name>]``.
Column names are the ones a Danish case or economy system export would use.
Dates may be written ``2024-03-31`` or ``31-03-2024``; decimals with a comma.
Teams and areas are whatever the exports say (a site may list the ones it
expects under ``[organisation]`` in ``lisite.toml`` to catch typos).

The words readers see are in the catalogue (``locales/<lang>/datasets.toml``): each dataset's
title (``datasets.title.<name>``; the Danish title below is kept for ``lisite check``'s messages),
what it holds (``datasets.description.<name>``) and what a column holds
(``datasets.column.<name>.<column>``).
"""

from __future__ import annotations

import lisite
from lisite import Column as C
from lisite import DatasetSpec

NOTIFICATION_SOURCES = ("Skole", "Dagtilbud", "Sundhedsvæsen", "Politi", "Forældre", "Anonym", "Andre")
TARGET_GROUPS = ("Socialt udsat", "Handicap")

SPECS = [
    DatasetSpec(
        "sager",
        "Sager",
        (
            C("sags_id", "str", person_level=True, unique=True),
            C("foedselsaar", "int"),
            C("koen", "str", choices=("Dreng", "Pige")),
            C("maalgruppe", "str", choices=TARGET_GROUPS),
            C("handicaptype", "str", required=False),
            C("omraade", "str"),
            C("team", "str"),
            C("sagsbehandler_id", "str", person_level=True, level="caseworker", references="medarbejdere.medarbejder_id"),
            C("oprettet", "date"),
            C("afsluttet", "date", required=False),
        ),
        order=(("oprettet", "afsluttet"),),
    ),
    DatasetSpec(
        "underretninger",
        "Underretninger",
        (
            C("underretning_id", "str", person_level=True, unique=True),
            C("sags_id", "str", required=False, person_level=True, references="sager.sags_id"),
            C("modtaget", "datetime"),
            C("kilde", "str", choices=NOTIFICATION_SOURCES),
            C("vurderet", "datetime", required=False),
            C("foerte_til_undersoegelse", "bool"),
        ),
    ),
    DatasetSpec(
        "undersoegelser",
        "Børnefaglige undersøgelser",
        (
            C("undersoegelse_id", "str", person_level=True, unique=True),
            C("sags_id", "str", person_level=True, references="sager.sags_id"),
            C("startet", "date"),
            C("afsluttet", "date", required=False),
        ),
        order=(("startet", "afsluttet"),),
    ),
    DatasetSpec(
        "ydelser",
        "Indsatser (ydelser)",
        (
            C("ydelse_id", "str", person_level=True, unique=True),
            C("sags_id", "str", person_level=True, references="sager.sags_id"),
            C("sagsstatus", "str", choices=("Aktiv", "Afsluttet")),
            C("indsatstype", "str"),
            C("indsatsgruppe", "str", required=False),
            C("lovhjemmel", "str"),
            C("budgetfunktion", "str"),
            C("leverandoer", "str", required=False),
            C("leverandoer_kommune", "str", required=False),
            C("startdato", "date"),
            C("slutdato", "date", required=False, planned=True),
            C("takst", "float", required=False, min=0),
            C("pris_pr_maaned", "float", min=0),
            C("tvang", "bool"),
        ),
        order=(("startdato", "slutdato"),),
    ),
    DatasetSpec(
        "opfoelgninger",
        "Opfølgninger på indsatser",
        (
            C("ydelse_id", "str", person_level=True, references="ydelser.ydelse_id"),
            C("sags_id", "str", person_level=True, references="sager.sags_id"),
            C("frist", "date", planned=True),
            C("udfoert", "date", required=False),
            C("maalopfyldelse", "str", required=False, choices=("Helt", "Delvist", "Ikke")),
        ),
    ),
    DatasetSpec(
        "ledelsestilsyn",
        "Ledelsestilsyn",
        (
            C("tilsyn_id", "str", unique=True),
            C("sags_id", "str", person_level=True, references="sager.sags_id"),
            C("dato", "date"),
            C("team", "str", references="sager.team"),
            C("lovmedholdelig", "bool"),
            C("fund", "str", required=False, person_level=True),  # free text about one case: case level only
        ),
    ),
    DatasetSpec(
        "resultater",
        "Resultater for børn med indsatser",
        (
            C("sags_id", "str", person_level=True, references="sager.sags_id"),
            C("aar", "int"),
            C("skolefravaer_pct", "float", required=False),
            C("trivsel", "float", required=False),
            C("ungdomsuddannelse", "bool", required=False),
            C("sigtet", "bool", required=False),
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
            C("medarbejder_id", "str", person_level=True, level="caseworker", unique=True),
            C("navn", "str", person_level=True, level="caseworker"),
            C("team", "str"),
            C("rolle", "str", choices=("Sagsbehandler", "Leder", "Fagkoordinator")),
            C("ansat", "date"),
            C("fratraadt", "date", required=False),
            C("ics_uddannet", "bool"),
            C("sos_uddannet", "bool"),
            C("supervision_timer", "float", min=0),
        ),
        order=(("ansat", "fratraadt"),),
    ),
    DatasetSpec(
        "sagsbehandlerskift",
        "Skift af sagsbehandler",
        (
            C("sags_id", "str", person_level=True, references="sager.sags_id"),
            C("dato", "date"),
            C("fra_sagsbehandler_id", "str", required=False, person_level=True, level="caseworker",
              references="medarbejdere.medarbejder_id"),
            C("til_sagsbehandler_id", "str", person_level=True, level="caseworker", references="medarbejdere.medarbejder_id"),
        ),
        required=False,
    ),
    DatasetSpec(
        "budget",
        "Budgetopfølgning",
        (
            C("aar", "int"),
            C("maaned", "int"),
            C("omraade", "str", references="sager.omraade"),
            C("budgetfunktion", "str"),
            C("indsatsgruppe", "str", choices=("Forebyggende", "Anbringelse", "Øvrige")),
            C("budget", "float"),
            C("korrigeret_budget", "float"),
            C("forbrug", "float"),
        ),
    ),
    DatasetSpec(
        "maal",
        "Politiske mål og fokusområder",
        (
            C("aar", "int"),
            C("fokusomraade", "str"),
            C("politisk_maal", "str"),
            C("indikator", "str"),
            C("baseline", "float"),
            C("baseline_aar", "int"),
            C("maal", "float"),
            C("frist", "int"),
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
            C("boern_0_17", "int", min=0),
            C("anbragte", "int", min=0),
            C("forebyggende", "int", min=0),
            C("underretninger", "int", min=0),
            C("udgift_1000kr", "float"),
            C("socio_indeks", "float"),
        ),
    ),
]


@lisite.hookimpl
def lisite_datasets():
    return SPECS
