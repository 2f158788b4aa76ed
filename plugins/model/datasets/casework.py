"""The case system's datasets: cases, notifications, investigations, measures, follow-ups, audits, outcomes."""

from __future__ import annotations

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
            C("fund", "str", required=False, free_text=True),  # free text about one case: case level only
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
]
