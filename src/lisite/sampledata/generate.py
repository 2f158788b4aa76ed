"""Run every generator step in order and write the files. See the package docstring."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from lisite.sampledata import benchmark, dirt, economy, events, goals, measures, outcomes, staff
from lisite.sampledata.cases import FAMILY_CARE, Case, simulate_cases
from lisite.sampledata.dates import BUDGET_START, CUTOFF, DATA_START, FULL_YEARS
from lisite.sampledata.kommuner import Kommune, find, staff_prefix
from lisite.sampledata.readme import readme_text
from lisite.sampledata.writers import write_csv, write_xlsx

REFERENCE_CHILDREN = 12500  # case volumes are tuned for this many children aged 0-17
CHILD_SHARE = 0.208  # children 0-17 as a share of the inhabitants of the demo municipality

# Column order exactly as declared in plugins/model/datasets/.
COLUMNS = {
    "sager": ("sags_id", "foedselsaar", "koen", "maalgruppe", "handicaptype", "omraade", "team",
              "sagsbehandler_id", "oprettet", "afsluttet"),
    "underretninger": ("underretning_id", "sags_id", "modtaget", "kilde", "vurderet", "foerte_til_undersoegelse"),
    "undersoegelser": ("undersoegelse_id", "sags_id", "startet", "afsluttet"),
    "ydelser": ("ydelse_id", "sags_id", "sagsstatus", "indsatstype", "indsatsgruppe", "lovhjemmel", "budgetfunktion",
                "leverandoer", "leverandoer_kommune", "startdato", "slutdato", "takst", "pris_pr_maaned", "tvang"),
    "opfoelgninger": ("ydelse_id", "sags_id", "frist", "udfoert", "maalopfyldelse"),
    "ledelsestilsyn": ("tilsyn_id", "sags_id", "dato", "team", "lovmedholdelig", "fund"),
    "sagsbehandlerskift": ("sags_id", "dato", "fra_sagsbehandler_id", "til_sagsbehandler_id"),
    "resultater": ("sags_id", "aar", "skolefravaer_pct", "trivsel", "ungdomsuddannelse", "sigtet"),
    "resultater_alle": ("aar", "skolefravaer_pct", "trivsel", "ungdomsuddannelse_pct", "sigtet_pct"),
    "medarbejdere": ("medarbejder_id", "navn", "team", "rolle", "ansat", "fratraadt", "ics_uddannet", "sos_uddannet",
                     "supervision_timer"),
    "budget": ("aar", "maaned", "omraade", "budgetfunktion", "indsatsgruppe", "budget", "korrigeret_budget", "forbrug"),
    "maal": ("aar", "fokusomraade", "politisk_maal", "indikator", "baseline", "baseline_aar", "maal", "frist"),
    "benchmark": ("kommunekode", "kommune", "region", "aar", "boern_0_17", "anbragte", "forebyggende", "underretninger",
                  "udgift_1000kr", "socio_indeks", "boern_med_indsats", "anbragte_familiepleje", "anbragte_uden_samtykke",
                  "udgift_forebyggende_1000kr", "udgift_indsatser_1000kr"),
}

# Exports from the case system carry one title line above the header.
CASE_SYSTEM_TITLES = {
    "sager": "Sager", "underretninger": "Underretninger", "undersoegelser": "Børnefaglige undersøgelser",
    "ydelser": "Ydelser", "opfoelgninger": "Opfølgninger", "ledelsestilsyn": "Ledelsestilsyn",
    "sagsbehandlerskift": "Sagsbehandlerskift",
}
BUDGET_TITLE = "Budgetopfølgning 5.28 – FIKTIVE DATA"


def population(home: Kommune, scale: float = 1.0) -> dict[int, int]:
    """Children aged 0-17 per year in the demo municipality, slowly falling. ``scale`` multiplies them (and so every
    case volume): a load test with 16 times the rows of a real municipality."""
    return {year: round(home.inhabitants * 1000 * scale * CHILD_SHARE * (1 - 0.003 * (year - 2021))) for year in range(2017, 2027)}


@dataclass(frozen=True)
class Style:
    """What differs between two synthetic municipalities: the organisation, how the case system names measures
    and writes their legal basis, the budget's areas and case ids. The default is the demo municipality."""

    org: staff.Organisation = staff.DEMO
    measure_names: dict[str, str] = field(default_factory=dict)  # simulated kind -> name in the export
    legal: dict[str, tuple[str, str]] = field(default_factory=lambda: measures.LEGAL_BASIS)
    other_lines: tuple = economy.OTHER_LINES
    case_prefix: str = "S-"

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.org.team_area.values()))

    @property
    def family_care(self) -> tuple[str, ...]:
        return tuple(self.measure_names.get(kind, kind) for kind in FAMILY_CARE)


def case_rows(cases: list[Case], caseworkers: dict, org: staff.Organisation = staff.DEMO) -> list[dict]:
    rows = []
    for case in cases:
        closed = case.closed if case.closed <= CUTOFF else None
        team = org.team_at(case, closed or CUTOFF)
        rows.append({
            "sags_id": case.case_id, "foedselsaar": case.birth.year, "koen": case.gender, "maalgruppe": case.group,
            "handicaptype": case.disability, "omraade": org.team_area[team], "team": team,
            "sagsbehandler_id": caseworkers[case.case_id].employee_id, "oprettet": case.opened, "afsluttet": closed,
        })
    return rows


def generate(out_dir: Path, seed: int = 2026, kommune: int = 479, scale: float = 1.0,
             caseload: int = staff.CASES_PER_CASEWORKER) -> list[Path]:
    """Write every sample file into out_dir; the same seed, municipality, scale and caseload give the same bytes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    home, data, planted = simulate(seed, kommune, scale=scale, caseload=caseload)
    return write_all(out_dir, home, data, planted, seed)


def simulate(seed: int, kommune: int, style: Style = Style(), scale: float = 1.0,
             caseload: int = staff.CASES_PER_CASEWORKER) -> tuple[Kommune, dict[str, list[dict]], dict]:
    """Every dataset's rows (model column names) and the planted dirt, for one municipality in one style. ``caseload``:
    the open cases per caseworker position (the benchmark's 16 times the cases with the demo's own caseworkers: 400)."""
    home = find(kommune)
    children = population(home, scale)

    def rng(part: str) -> random.Random:
        return random.Random(f"{seed}:{kommune}:{part}")

    cases = simulate_cases(rng("cases"), children[2021] / REFERENCE_CHILDREN, style.case_prefix)
    staff.plan_intake(rng("intake"), cases)
    employees = staff.simulate_staff(rng("staff"), cases, staff_prefix(home), style.org, caseload)
    caseworkers, changes = staff.assign(rng("caseworkers"), cases, employees, style.org)
    exported = [m for c in cases for m in c.measures if m.start <= CUTOFF and m.end >= DATA_START]
    exported.sort(key=lambda m: (m.start, m.case.case_id, m.kind))

    data = {"sager": case_rows(cases, caseworkers, style.org)}
    data["ydelser"] = measures.describe(rng("measures"), exported, home, style.measure_names, style.legal)
    data["underretninger"] = events.notification_rows(rng("notifications"), cases, children)
    data["undersoegelser"] = events.investigation_rows(cases)
    data["opfoelgninger"] = events.followup_rows(rng("followups"), exported)
    data["ledelsestilsyn"] = events.audit_rows(rng("audits"), cases, style.org)
    data["sagsbehandlerskift"] = changes
    data["resultater_alle"] = outcomes.all_children_rows(rng("all-children"))
    data["resultater"] = outcomes.result_rows(rng("results"), cases, data["resultater_alle"])
    data["medarbejdere"] = staff.staff_rows(rng("training"), employees)

    typos, duplicate = dirt.measure_dirt(rng("dirt-measures"), data["ydelser"])
    planted = {
        "slutdato": typos,
        "dublet": duplicate,
        "vurderet": dirt.notification_dirt(rng("dirt-notifications"), data["underretninger"]),
        "afsluttet": dirt.investigation_dirt(rng("dirt-investigations"), data["undersoegelser"]),
        "udfoert": dirt.followup_dirt(rng("dirt-followups"), data["opfoelgninger"]),
    }

    area_of_case = {row["sags_id"]: row["omraade"] for row in data["sager"]}
    scale = children[2021] / REFERENCE_CHILDREN
    data["budget"] = economy.budget_rows(rng("budget"), data["ydelser"], area_of_case, scale, style.areas, style.other_lines)
    earlier_other = economy.other_spend(rng("other-spend"), scale, (DATA_START.year, 1), (BUDGET_START[0] - 1, 12),
                                        style.other_lines)
    spend = economy.total_spend(data["budget"], data["ydelser"], earlier_other, FULL_YEARS)
    data["benchmark"] = benchmark.benchmark_rows(rng("benchmark"), home, children, data["ydelser"], data["underretninger"], spend,
                                                 rng("benchmark-detail"), style.family_care,
                                                 economy.group_spend(data["budget"], data["ydelser"], FULL_YEARS))
    data["maal"] = goals.goal_rows(data["underretninger"], data["undersoegelser"], data["ydelser"],
                                   data["resultater"], data["budget"], style.family_care)
    return home, data, planted


def write_all(out_dir: Path, home: Kommune, data: dict[str, list[dict]], planted: dict, seed: int) -> list[Path]:
    written = []
    for name, columns in COLUMNS.items():
        if name == "budget":
            written.append(write_xlsx(out_dir / "budget.xlsx", "Budgetopfølgning", BUDGET_TITLE, columns, data[name]))
            continue
        title = None
        if name in CASE_SYSTEM_TITLES:
            title = f"Udtræk fra sagssystemet: {CASE_SYSTEM_TITLES[name]} pr. {CUTOFF:%d-%m-%Y}, {home.name} Kommune (FIKTIVE DATA)"
        written.append(write_csv(out_dir / f"{name}.csv", columns, data[name], title))
    readme = out_dir / "README.md"
    readme.write_text(readme_text(home, seed, {n: len(rows) for n, rows in data.items()}, planted), encoding="utf-8", newline="\n")
    written.append(readme)
    return written
