"""Staff, economy, goals and the national benchmark."""

from __future__ import annotations

from lisite import Column as C
from lisite import DatasetSpec

SPECS = [
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
            C("indikator", "str", indicator=True),
            C("baseline", "float", indicator_value=True),
            C("baseline_aar", "int"),
            C("maal", "float", indicator_value=True),
            C("frist", "int"),
        ),
        unique=(("aar", "indikator"),),  # one goal per indicator and year: two would leave it to chance which is shown
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
            # national statistics withhold some figures ("..", e.g. small numbers): such a figure stays empty (missing)
            C("anbragte", "int", required=False, min=0),
            C("forebyggende", "int", required=False, min=0),
            C("underretninger", "int", required=False, min=0),
            C("udgift_1000kr", "float", required=False),
            C("socio_indeks", "float", required=False),  # not in the StatBank: kind = "dst-benchmark" reads it from a file
            # optional figures; what each counts is in content/sammenligninger/noegletal.toml
            C("boern_med_indsats", "int", required=False, min=0),
            C("boern_med_underretning", "int", required=False, min=0),
            C("anbragte_familiepleje", "int", required=False, min=0),
            C("anbragte_uden_samtykke", "int", required=False, min=0),
            C("udgift_forebyggende_1000kr", "float", required=False),
            C("udgift_indsatser_1000kr", "float", required=False),
        ),
    ),
]
