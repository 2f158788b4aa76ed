"""The README.md written next to the sample files (Danish, with a short English summary)."""

from __future__ import annotations

from lisite.sampledata.kommuner import Kommune

FILES = (
    ("sager.csv", "Én række pr. sag (barn): fødselsår, køn, målgruppe, handicaptype, område, team, nuværende sagsbehandler, oprettet/afsluttet."),
    ("underretninger.csv", "Underretninger med kilde, modtaget- og vurderingstidspunkt, og om de førte til en børnefaglig undersøgelse."),
    ("undersoegelser.csv", "Børnefaglige undersøgelser med start og afslutning (frist 4 måneder)."),
    ("ydelser.csv", "Bevilgede indsatser som et ydelsesudtræk: type, lovhjemmel, budgetfunktion, leverandør, datoer, takst og pris pr. måned."),
    ("opfoelgninger.csv", "Opfølgninger på indsatser: frist (3 måneder efter start, derefter hver 6. måned), udført og målopfyldelse."),
    ("ledelsestilsyn.csv", "Ledelsestilsyn med sager: dato, team, lovmedholdelig og fund."),
    ("sagsbehandlerskift.csv", "Hver gang en sag får en ny sagsbehandler (fra 01-01-2017)."),
    ("resultater.csv", "Skolefravær, trivsel, ungdomsuddannelse og sigtelser for børn med indsatser, pr. barn og år 2019-2025."),
    ("resultater_alle.csv", "De samme nøgletal for alle børn i kommunen, pr. år."),
    ("medarbejdere.csv", "Sagsbehandlere, ledere og fagkoordinatorer med fiktive navne, ansættelse, fratræden, uddannelse i ICS og Signs of Safety og supervision."),
    ("budget.xlsx", "Månedlig budgetopfølgning 2023-01 til 2026-09 pr. område, budgetfunktion (5.28.xx) og indsatsgruppe."),
    ("maal.csv", "Politiske fokusområder og mål for 2025 og 2026 med indikator, baseline og målværdi."),
    ("benchmark.csv", "Årlige nøgletal 2017-2025 for alle 98 kommuner (fiktive tal, rigtige kommunekoder og -navne): børn, anbragte "
                      "(heraf i familiepleje og uden samtykke), børn med forebyggende indsatser, underretninger, udgifter og "
                      "socioøkonomisk indeks. Hvad hver kolonne tæller, står i content/sammenligninger/noegletal.toml."),
)

# Planted error -> (file, the rows named for one, for several, what is wrong with them); the ids come from dirt.py, which
# plants fewer where a small municipality has fewer rows to plant them in (and none where it has none): the README says
# how many there are.
DIRT_TEXT = {
    "slutdato": ("ydelser.csv", "ydelse", "ydelser", "har en slutdato før startdatoen (året er tastet et år for tidligt)"),
    "dublet": ("ydelser.csv", "ydelse (en løbende anbringelse)", "ydelser (løbende anbringelser)",
               "står to gange med præcis samme indhold"),
    "vurderet": ("underretninger.csv", "underretning", "underretninger", "modtaget 2018-2025 mangler tidspunkt for vurdering"),
    "afsluttet": ("undersoegelser.csv", "undersøgelse", "undersøgelser", "startet 2023-2025 er aldrig registreret som afsluttet"),
    "udfoert": ("opfoelgninger.csv", "opfølgning", "opfølgninger", "med frist i 2024-2025 er ikke udført"),
}


def dirt_lines(planted: dict[str, list[str]]) -> str:
    """One line for each kind of planted error there is, with how many and their ids."""
    lines = []
    for key, ids in planted.items():
        if ids:
            file, one, several, wrong = DIRT_TEXT[key]
            lines.append(f"- `{file}`: {len(ids)} {one if len(ids) == 1 else several} {wrong}: {', '.join(ids)}.")
    return "\n".join(lines) or "- Ingen: kommunen er så lille, at der ikke var rækker at lægge dem i."


def thousands(n: int) -> str:
    """12345 -> '12.345' (Danish thousands separator)."""
    return f"{n:,}".replace(",", ".")


def readme_text(home: Kommune, seed: int, counts: dict[str, int], planted: dict[str, list[str]]) -> str:
    files = "\n".join(f"| `{name}` | {thousands(counts[name.rsplit('.', 1)[0]])} | {text} |" for name, text in FILES)
    dirt = dirt_lines(planted)
    command = f"PYTHONPATH=src python -m lisite.sampledata --out sample_data --seed {seed} --kommune {home.code}"
    return f"""# Eksempeldata – FIKTIVE DATA

**Alle data i denne mappe er syntetiske og fiktive.** De beskriver ingen rigtige børn, familier,
medarbejdere eller leverandører. Sagsnumre, navne og leverandører er opdigtede; der findes ingen
CPR-numre. Kun kommunekoder, kommunenavne og regioner er rigtige (offentlige oplysninger).

Data er lavet til at vise og teste lisite. De ligner udtræk fra et sagssystem (fx DUBU), et
økonomisystem og Danmarks Statistik for en kommune på størrelse med {home.name} Kommune
({home.region}), cirka {thousands(home.inhabitants * 1000)} indbyggere. Sagsdata dækker 01-01-2017 til
30-09-2026 (udtrækket er dannet 30-09-2026).

## Filer

| fil | rækker | indhold |
|---|---:|---|
{files}

CSV-filerne er UTF-8 med semikolon, decimalkomma, `Ja`/`Nej` og datoer som `dd-mm-yyyy`.
Filer fra sagssystemet har én titellinje over kolonneoverskrifterne. `budget.xlsx` har titlen i
række 1, overskrifterne i række 2 og data fra række 3.

## Sådan er data lavet

Et program (`lisite.sampledata`) simulerer sagsforløb fra 2005 og frem: en sag oprettes efter en
underretning eller en ansøgning, der laves en børnefaglig undersøgelse, og sagen ender uden indsats,
med forebyggende indsatser eller med en anbringelse. Antallet af sager, underretninger (ca. 120 pr.
1.000 børn om året), anbragte (ca. 10 pr. 1.000 børn) og børn med forebyggende indsatser (ca. 28 pr.
1.000 børn) svarer til en typisk kommune.

Nye sager om socialt udsatte børn starter i Modtagelsen. Sager, der fører til en indsats, går efter
en til fire ugers afdækning videre til teamet for barnets alder (0-6 år, 7-13 år, Unge fra 14 år);
sager uden indsats bliver i Modtagelsen, til de afsluttes. Handicapsager ligger i Team Handicap.
Team i `sager.csv` er sagens team pr. 30-09-2026 eller ved afslutningen.

Alle afledte tal hænger sammen:

- forbruget på forebyggende indsatser og anbringelser i `budget.xlsx` er summen af ydelsernes
  månedspris for hver måned, hvor ydelsen løber mindst én dag (én gang pr. ydelses-id); linjerne
  "Øvrige" (fx tidlig forebyggelse og særlige dagtilbud) er fiktive beløb oven i, ca. 7-9 %;
- kommunens egne rækker i `benchmark.csv` er beregnet ud fra sagsdata: anbragte (heraf i
  familiepleje og uden samtykke) og børn med forebyggende indsats (uden anbringelse) pr. 31.
  december, modtagne underretninger i året og årets samlede nettoforbrug på funktion 5.28 / 1000
  inklusive "Øvrige". Fra 2023 er det præcis summen af årets forbrug i `budget.xlsx`; for 2017-2022
  er det ydelsernes forbrug plus "Øvrige" dannet efter samme regel. Forbruget på forebyggende
  indsatser og anbringelser er det samme forbrug uden "Øvrige";
- baseline i `maal.csv` er indikatorens værdi i baselineåret beregnet ud fra de samme filer.

Programmet bruger en fast startværdi (seed {seed}), så hver kørsel giver præcis de samme filer.

## Plantede datafejl

Til test af datakvalitetstjek er der med vilje lagt nogle få fejl ind. Ingen af dem gør et
obligatorisk felt tomt.

{dirt}

Desuden er underretninger modtaget de sidste dage før udtrækket, som endnu ikke er vurderet,
uden tidspunkt for vurdering, og undersøgelser og opfølgninger, der er i gang, står uden dato for
afslutning. Det er ikke fejl.

## Dan data igen

Fra projektets rod:

```
{command}
```

## English summary

All files in this folder are **synthetic, fictional data** made by `lisite.sampledata` for
demonstrating and testing lisite. No real children, staff or suppliers are described; only the
municipality codes, names and regions are real. The generator simulates case histories
(notifications, investigations, preventive measures, placements, follow-ups, audits, staff turnover)
for a municipality the size of {home.name} from 2017 to 30-09-2026, derives the budget spend and the
municipality's own benchmark rows (spend = total function 5.28 spend including "Øvrige", equal to the
budget file's spend from 2023) from the case data, and plants a few documented data errors (listed
above). It is seeded: the command above reproduces the files byte for byte.
"""
