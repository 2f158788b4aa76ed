"""Word lists: fictional staff names, fictional suppliers and short audit findings (Danish)."""

from __future__ import annotations

FIRST_NAMES = (
    "Mette", "Anne", "Louise", "Camilla", "Maria", "Pia", "Susanne", "Lone", "Hanne", "Trine",
    "Line", "Sofie", "Ida", "Julie", "Signe", "Marianne", "Helle", "Karina", "Tina", "Rikke",
    "Malene", "Charlotte", "Birgitte", "Dorthe", "Lene", "Nanna", "Emma", "Cecilie", "Maja", "Sara",
    "Lars", "Jens", "Peter", "Michael", "Søren", "Thomas", "Martin", "Henrik", "Anders", "Rasmus",
    "Jesper", "Kasper", "Mads", "Christian", "Morten", "Niels", "Jonas", "Simon", "Frederik", "Ahmad",
    "Fatima", "Leila", "Amira", "Yasmin", "Ali", "Omar",
)

LAST_NAMES = (
    "Holm", "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen",
    "Møller", "Mortensen", "Knudsen", "Jakobsen", "Lund", "Mikkelsen", "Frederiksen", "Laursen", "Bach",
    "Dam", "Skov", "Bruun", "Vestergaard", "Kjær", "Lauridsen", "Bak", "Winther", "Dalgaard", "Friis",
    "Storm", "Lindholm", "Ravn", "Juhl", "Ahmadi", "Hassan", "Yilmaz", "Nowak", "Kowalski",
)

# Fictional institutions, by measure type. None of these names refer to a real supplier.
SUPPLIERS = {
    "Familiebehandling": ("Familiehuset {home}", "Familiecentret Broen ApS", "Nordlys Familiebehandling", "Kompasset Familieindsats"),
    "Kontaktperson": ("Kontaktpersonkorpset {home}", "Ungeindsatsen Vesterled", "Mentorhuset Fyrtårnet"),
    "Aflastning": ("Aflastningshjemmet Solsikken", "Aflastningscentret {home}", "Aflastningsfamilie nr. {number}"),
    "Praktisk pædagogisk støtte": ("Familiehuset {home}", "Hjemmestøtten Trinvis ApS", "Pædagogisk Støtte Syd"),
    "Konsulentbistand": ("PPR og Familierådgivning {home}", "Konsulenthuset Kernen", "Familierådgivningen {home}"),
    "Plejefamilie": ("Plejefamilie nr. {number}",),
    "Netværkspleje": ("Netværksplejefamilie nr. {number}",),
    "Opholdssted": (
        "Opholdsstedet Lærkereden", "Opholdsstedet Bakkehuset", "Opholdsstedet Havbrisen",
        "Opholdsstedet Egeskoven", "Opholdsstedet Kastanjegården", "Opholdsstedet Fyrtårnet",
    ),
    "Døgninstitution": (
        "Døgninstitutionen Skovbrynet", "Børne- og ungehjemmet Åbrinken", "Ungehjemmet Stjernen",
        "Døgntilbuddet Møllehøj", "Specialdøgntilbuddet Solstrålen",
    ),
    "Eget værelse": ("Ungeboligerne Havnegade", "Kollegiet Udsigten", "Ungebo Nordstjernen"),
}

# Findings of a management audit when the case was not handled lawfully.
AUDIT_FINDINGS = (
    "Børnesamtale ikke afholdt før afgørelse",
    "Barnets plan mangler eller er ikke opdateret",
    "Opfølgning ikke foretaget rettidigt",
    "Partshøring mangler",
    "Afgørelsen er ikke tilstrækkeligt begrundet",
    "Børnefaglig undersøgelse over 4 måneder uden foreløbig vurdering",
    "Underretning ikke vurderet inden for 24 timer",
    "Manglende journalisering af oplysninger",
    "Klagevejledning mangler i afgørelsen",
    "Tilsyn med anbringelsesstedet ikke gennemført",
)
