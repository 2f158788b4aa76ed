"""The command line: build, check, plugins, new-plugin, init and errors as one line."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from lisite.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def test_build_command_writes_site(runner, make_site):
    site = make_site()
    result = runner.invoke(main, ["build", "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert f"Bygget rapporten for september 2026 i {site / '_site'} (udvalg: 2" in result.output
    assert (site / "_site" / "udvalg" / "index.html").is_file()


def test_the_cache_and_the_copies_of_data_in_it_are_shown_and_cleared(runner, make_site, tmp_path, monkeypatch):
    """The cache keeps the loaded datasets (person-level rows too) for the next build: lisite cache says where and how
    much, --clear deletes lisite's parts and nothing else, and LISITE_DISK_CACHE_MB=0 keeps no data there at all."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LISITE_CACHE", str(folder))
    site = make_site()
    assert runner.invoke(main, ["build", "--site", str(site)]).exit_code == 0
    results = list((folder / "results").glob("*.pickle"))
    assert results and any(b"S-1" in path.read_bytes() for path in results)  # a case id from the data: a copy of it
    (folder / "mit.txt").write_text("ikke lisites", encoding="utf-8")
    shown = runner.invoke(main, ["cache"])
    assert shown.exit_code == 0 and str(folder) in shown.output
    line = next(line for line in shown.output.splitlines() if line.strip().startswith("results/"))
    assert f" {len(results)} filer" in line and "personhenførbare rækker" in line
    cleared = runner.invoke(main, ["cache", "--clear"])
    assert cleared.exit_code == 0 and "Slettet" in cleared.output
    assert not (folder / "results").exists() and not (folder / "unchanged").exists()
    assert (folder / "mit.txt").read_text(encoding="utf-8") == "ikke lisites"
    monkeypatch.setenv("LISITE_DISK_CACHE_MB", "0")
    assert runner.invoke(main, ["build", "--site", str(site)]).exit_code == 0
    assert not list(folder.glob("results/*"))


def test_the_demo_is_built_for_the_last_meeting_first_so_since_the_last_meeting_has_one(runner, tmp_path):
    """A new demo's committee sees what changed since its last meeting, a quarter before (June 2026): lisite demo
    builds that report first, and the demo's site keeps it; a demo that has a site is built on as it is."""
    from lisite.cli import last_meeting

    folder = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(folder), "--no-open"])
    assert result.exit_code == 0, result.output
    assert 'Bygget rapporten for juni 2026, udvalgets sidste møde, så siden "Siden sidste møde"' in result.output
    committee = folder / "_site" / "udvalg"
    assert (committee / "arkiv" / "2026-06" / "index.html").is_file()
    page = (committee / "siden-sidste-moede.html").read_text(encoding="utf-8")
    assert "siden rapporten for juni 2026" in page and "i september 2026 mod" in page and "i juni 2026" in page
    assert '"arkiv/2026-06/index.html"' in page  # the earlier report, linked
    # the four figures of the same children (cases, by age, by sex, by target group) in one line; the rest counted
    assert re.search(r"<strong>Aktive sager</strong>, <strong>[^<]+</strong>, <strong>[^<]+</strong> og <strong>[^<]+</strong>: "
                     r"1\.014 i september 2026 mod 999 i juni 2026", page)
    main_part = page.split('<main id="indhold">', 1)[1].split("</main>", 1)[0]
    listed = main_part.count("<li>") - 1  # one line per figure or group of figures, and the link to June's report
    unchanged = int(re.search(r"De øvrige (\d+) tal er uændrede", page).group(1))
    from lisite.history import SUMMARY, changed, read_summary

    june, now = (read_summary((where / SUMMARY).read_bytes())["figures"] for where in (committee / "arkiv" / "2026-06", committee))
    both = [key for key in now if key in june]
    moved = sum(changed(june[key], now[key]) for key in both)
    assert listed == moved - 3 and unchanged == len(both) - moved  # four figures in one line; "De øvrige" counts figures
    assert "Data til og med juni 2026" in (committee / "arkiv" / "2026-06" / "index.html").read_text(encoding="utf-8")
    assert last_meeting(folder) == ""  # a second lisite demo builds September on top of it


def test_a_report_for_another_month_is_checked_as_the_setting_is(make_site):
    from lisite.build import build
    from lisite.config import for_period, load_config
    from lisite.errors import ConfigError

    site = make_site(config=__import__("conftest").tiny_config().replace('current = "2026-09"', 'current = "2026-09"\nfirst = "2026-01"'))
    config = load_config(site)
    assert for_period(config, "2026-06").period == "2026-06" and for_period(config, "2026-06").year == 2026
    with pytest.raises(ConfigError, match="period.current skal være en måned skrevet ÅÅÅÅ-MM"):
        build(site, period="2026-13")
    with pytest.raises(ConfigError, match="period.first = '2026-01' ligger efter period.current = '2025-12'"):
        for_period(config, "2025-12")
    assert not (site / "_site").exists()


def test_an_english_sites_broken_configuration_is_checked_in_english(runner, make_site):
    """The words around an error in lisite.toml follow its site.language, also when another key is wrong."""
    from conftest import tiny_config

    config = tiny_config().replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\nlanguage = "en"\nfarve = 1')
    result = runner.invoke(main, ["check", "--site", str(make_site(config=config))])
    assert result.exit_code == 1
    assert "error: lisite.toml: unknown key 'site.farve'." in result.output and "Summary:" in result.output
    assert "fejl" not in result.output


def test_build_error_is_one_line_and_exit_code_1(runner, make_site):
    site = make_site({"data/tal.csv": "maaned;team;antal;sags_id\n2026-09;A;x;S-1\n"})
    result = runner.invoke(main, ["build", "--site", str(site)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "række 2, kolonne 'antal'" in result.output


def test_debug_shows_traceback(make_site):
    site = make_site({"data/tal.csv": "maaned;team;antal;sags_id\n2026-09;A;x;S-1\n"})
    proc = subprocess.run([sys.executable, "-m", "lisite", "build", "--site", str(site), "--debug"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr


def test_config_error_is_one_line(runner, make_site):
    site = make_site(config="[site]\ntitel = 'x'\n")
    result = runner.invoke(main, ["build", "--site", str(site)])
    assert result.exit_code == 3  # a bad configuration (see lisite.nightly)
    assert result.output.strip().splitlines()[-1] == "Fejl: lisite.toml: ukendt nøgle 'site.titel'. Tilladt her: site.title, site.language, site.theme, site.synthetic, site.output, site.content."


def test_strict_turns_warnings_into_errors(runner, make_site):
    plugin = "import lisite\n@lisite.hookimpl\ndef lisite_validate(data):\n    return [lisite.Problem('mistænkelig', file='data/tal.csv', row=3, column='antal', severity='warning')]\n"
    site = make_site({"plugins/advarsel.py": plugin})
    ok = runner.invoke(main, ["build", "--site", str(site)])
    assert ok.exit_code == 0 and "advarsel: data/tal.csv, række 3, kolonne 'antal': mistænkelig" in ok.output
    strict = runner.invoke(main, ["build", "--site", str(site), "--strict"])
    assert strict.exit_code == 1 and "mistænkelig" in strict.output


def test_check_lists_every_problem_and_writes_nothing(runner, make_site):
    data = "maaned;team;antal;sags_id\n2026-09;A;x;S-1\n2026-09;B;y;S-2\n"
    site = make_site({"data/tal.csv": data})
    result = runner.invoke(main, ["check", "--site", str(site)])
    assert result.exit_code == 1
    assert "række 2, kolonne 'antal'" in result.output and "række 3, kolonne 'antal'" in result.output
    assert not (site / "_site").exists()


def test_check_ok(runner, make_site):
    result = runner.invoke(main, ["check", "--site", str(make_site())])
    assert result.exit_code == 0 and "Data er i orden" in result.output


def test_plugins_lists_local_and_builtin_plugins(runner, make_site):
    result = runner.invoke(main, ["plugins", "--site", str(make_site())])
    assert result.exit_code == 0, result.output
    assert "tiny  [lokal" in result.output
    assert "load_csv  [builtin]" in result.output
    assert "indikator tiny.antal: Antal i alt" in result.output
    assert "lisite_load_source" in result.output


def test_plugins_shows_each_indicators_title_as_readers_see_it_in_the_sites_language(runner, make_site):
    """An indicator's title may come from its text (content/indikatorer/<id>.md), as lisite's own indicators' do:
    lisite plugins shows that title, as a build would, and speaks the site's language."""
    from conftest import tiny_config

    text = {"content/indikatorer/tiny.antal.md": '+++\ntitle = "Sager i alt"\n+++\nOm tallet.\n'}
    result = runner.invoke(main, ["plugins", "--site", str(make_site(text))])
    assert "indikator tiny.antal: Sager i alt (antal; municipality, team)" in result.output
    result = runner.invoke(main, ["plugins", "--site", str(make_site(text, config=english(tiny_config()), name="english"))])
    assert "indicator tiny.antal: Sager i alt (antal;" in result.output and "indikator" not in result.output
    assert "switched off: " in result.output and "slået fra" not in result.output
    assert "tiny  [local " in result.output and "lokal" not in result.output


def test_audience_option(runner, make_site):
    site = make_site()
    result = runner.invoke(main, ["build", "--site", str(site), "--audience", "ledere"])
    assert result.exit_code == 0
    assert not (site / "_site" / "udvalg").exists()
    bad = runner.invoke(main, ["build", "--site", str(site), "--audience", "pressen"])
    assert bad.exit_code == 3 and "Ukendt modtagergruppe: pressen" in bad.output


def test_python_dash_m_works(make_site):
    proc = subprocess.run([sys.executable, "-m", "lisite", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "lisite" in proc.stdout


def test_init_refuses_non_empty_folder(runner, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "fil").write_text("x")
    result = runner.invoke(main, ["init", str(tmp_path / "x")])
    assert result.exit_code == 1 and "ikke tom" in result.output


def test_commands_without_a_site_of_their_own_speak_the_current_folders_language(runner, tmp_path, monkeypatch):
    """cache and sample-data speak the language of the site in the current folder (Danish without one); init and demo
    that of the site they make: every word from the catalogue, numbers as the language writes them."""
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache" / "results").mkdir(parents=True)
    (tmp_path / "cache" / "results" / "a.pickle").write_bytes(b"x" * 1_500_000)
    english = tmp_path / "english"
    english.mkdir()
    (english / "lisite.toml").write_text('[site]\nlanguage = "en"\n', encoding="utf-8")
    monkeypatch.chdir(english)
    shown = runner.invoke(main, ["cache"])
    assert shown.exit_code == 0 and shown.output.startswith("The cache: ")
    assert re.search(r"^  results/ +1\.5 MB, +1 files: loaded datasets", shown.output, re.MULTILINE), shown.output
    assert "filer" not in shown.output and "datasæt" not in shown.output
    cleared = runner.invoke(main, ["cache", "--clear"])
    assert cleared.output.rstrip().endswith("Deleted. The next build reads and computes everything again.")
    refused = runner.invoke(main, ["sample-data", "--variant", "anden", "--scale", "2"])
    assert refused.exit_code == 2 and "--scale works only with --variant demo." in refused.output
    (english / "fuld").mkdir()
    (english / "fuld" / "fil.txt").write_text("x", encoding="utf-8")
    refused = runner.invoke(main, ["init", "fuld"])
    assert refused.exit_code == 1 and "The folder fuld exists and is not empty. Choose a new folder." in refused.output
    monkeypatch.chdir(tmp_path)  # no site here: Danish
    (tmp_path / "cache" / "results").mkdir(parents=True)
    (tmp_path / "cache" / "results" / "a.pickle").write_bytes(b"x" * 1_500_000)
    assert re.search(r"^  results/ +1,5 MB, +1 filer: indlæste datasæt", runner.invoke(main, ["cache"]).output, re.MULTILINE)
    made = runner.invoke(main, ["init", "ny"])
    assert made.exit_code == 0 and made.output == "Nyt site i ny. Byg det med: cd ny && lisite build\n"  # a Danish site


def test_new_plugin_rejects_bad_name(runner, tmp_path):
    result = runner.invoke(main, ["new-plugin", "Familie Pleje", "--site", str(tmp_path)])
    assert result.exit_code == 1 and "små bogstaver" in result.output


@pytest.mark.slow
def test_init_new_plugin_build_and_plugin_test(runner, tmp_path):
    """Ali's path: a new site, a new plugin, it is listed, built, and its own test passes."""
    site = tmp_path / "boernesite"
    assert runner.invoke(main, ["init", str(site)]).exit_code == 0
    made = runner.invoke(main, ["new-plugin", "familiepleje", "--site", str(site)])
    assert made.exit_code == 0, made.output
    plugin = site / "plugins" / "familiepleje.py"
    assert plugin.is_file() and (site / "tests" / "test_familiepleje.py").is_file()
    assert len([line for line in plugin.read_text().splitlines() if line.strip()]) < 60
    listed = runner.invoke(main, ["plugins", "--site", str(site)])
    assert "familiepleje  [lokal" in listed.output
    built = runner.invoke(main, ["build", "--site", str(site), "--audience", "udvalg"])
    assert built.exit_code == 0, built.output
    page = (site / "_site" / "udvalg" / "familiepleje.html").read_text(encoding="utf-8")
    assert "Anbragte børn i familiepleje" in page and " %" in page
    # a temporary folder of its own: with pytest's default one, it would delete at its end the oldest numbered folders
    # of this machine's user beyond the newest three (seconds when one is a whole test run's)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "its-tests"),
                           str(site / "tests")], capture_output=True, text=True, cwd=site)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_demo_site_keeps_the_audiences_and_pages_asked_for(tmp_path):
    """lisite.testing.demo_site: only the audiences named, each with the page patterns asked for as its ``pages`` (which
    the build filters by, as in test_leaks and test_search)."""
    from lisite.config import load_config
    from lisite.testing import demo_site

    config = load_config(demo_site(tmp_path / "small", audiences=["udvalg", "direktion"], pages=["familiepleje.html", "temaer/*"]))
    assert list(config.audiences) == ["udvalg", "direktion"]
    assert [audience.pages for audience in config.audiences.values()] == [("familiepleje.html", "temaer/*")] * 2
    whole = load_config(demo_site(tmp_path / "whole"))
    assert len(whole.audiences) == 4 and {audience.pages for audience in whole.audiences.values()} == {("*",)}
    only_pages = load_config(demo_site(tmp_path / "pages", pages=[]))
    assert len(only_pages.audiences) == 4 and {audience.pages for audience in only_pages.audiences.values()} == {()}


@pytest.mark.slow
def test_a_new_plugin_on_an_english_site_is_english_on_its_pages(runner, tmp_path):
    """Ali's path on an English site: the new indicator's words and its page's section are English there, and what
    the command says too; its Danish text stays beside them."""
    site = tmp_path / "boernesite"
    assert runner.invoke(main, ["init", str(site)]).exit_code == 0
    config = site / "lisite.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "da"', 'language = "en"'), encoding="utf-8")
    made = runner.invoke(main, ["new-plugin", "familiepleje", "--site", str(site)])
    assert made.exit_code == 0 and "created " in made.output and "oprettet" not in made.output
    assert (site / "content" / "en" / "indikatorer" / "familiepleje.andel.md").is_file()
    assert (site / "content" / "indikatorer" / "familiepleje.andel.md").is_file()
    built = runner.invoke(main, ["build", "--site", str(site), "--audience", "udvalg"])
    assert built.exit_code == 0, built.output
    page = (site / "_site" / "udvalg" / "familiepleje.html").read_text(encoding="utf-8")
    assert "Placed children in family care" in page and "Own indicators" in page
    assert "Anbragte" not in page and "Egne indikatorer" not in page
    again = runner.invoke(main, ["new-plugin", "familiepleje", "--site", str(site)])
    assert again.exit_code == 1 and "already exists" in again.output


def english(config: str) -> str:
    return config.replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\nlanguage = "en"')


def test_an_english_sites_commands_speak_english_around_their_work(runner, make_site):
    """What the command line itself says while it works on an English site (its progress, an unknown audience, a
    theme or plugin that does not exist, the PDF's audience) comes from the English catalogue."""
    from conftest import tiny_config

    site = make_site(config=english(tiny_config()))
    built = runner.invoke(main, ["build", "--site", str(site)])
    assert built.exit_code == 0, built.output
    assert "Building" in built.output and "Built" in built.output and "Bygger" not in built.output
    unknown = runner.invoke(main, ["build", "--site", str(site), "--audience", "nobody"])
    assert unknown.exit_code == 3
    assert "Unknown audience: nobody. Known: udvalg, ledere." in unknown.output and "Ukendt" not in unknown.output
    pdf = runner.invoke(main, ["pdf", "--site", str(site)])
    assert pdf.exit_code != 0 and "Choose an audience: lisite pdf --audience NAME" in pdf.output
    theme = make_site(config=english(tiny_config()).replace('language = "en"', 'language = "en"\ntheme = "nowhere"'), name="theme")
    assert "site.theme 'nowhere' does not exist" in runner.invoke(main, ["build", "--site", str(theme)]).output
    plugin = make_site(config=english(tiny_config()).replace("disabled = [", 'disabled = ["nowhere", '), name="plugin")
    said = runner.invoke(main, ["build", "--site", str(plugin)]).output
    assert "plugins.disabled names nowhere, which is not a plugin" in said and "nævner" not in said
    danish = runner.invoke(main, ["build", "--site", str(make_site(name="dansk")), "--audience", "ingen"])
    assert "Bygger" in danish.output and "Ukendt modtagergruppe: ingen." in danish.output


def test_an_unexpected_error_is_one_line_in_the_sites_language(make_site, monkeypatch):
    """An error lisite did not foresee (here: the build itself breaks) is one line, with the hint about --debug, in
    the language of the site the command works on."""
    from conftest import tiny_config

    import lisite.build

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(lisite.build, "build", broken)
    said = CliRunner().invoke(main, ["build", "--site", str(make_site(config=english(tiny_config())))]).output
    assert "Unexpected error: RuntimeError: boom (run again with --debug for details)" in said
    said = CliRunner().invoke(main, ["build", "--site", str(make_site(name="dansk"))]).output
    assert "Uventet fejl: RuntimeError: boom (kør igen med --debug for detaljer)" in said


def test_help_comes_from_the_catalogue_in_the_language_of_the_site_asked_about(runner, make_site, monkeypatch):
    """``--help`` is worded like the rest: the site named by --site, or the one in the current folder, decides the
    language; Danish elsewhere. Every command and option has its text in both languages."""
    from conftest import tiny_config

    from lisite.i18n import Translator

    site = make_site(config=english(tiny_config()))
    shown = runner.invoke(main, ["build", "--site", str(site), "--help"]).output
    assert "Build the site: one static site per audience" in shown and "Exit codes:" in shown
    assert "Build only this audience (may be repeated)." in shown and "Byg" not in shown
    monkeypatch.chdir(site)
    listed = runner.invoke(main, ["--help"]).output
    assert "management information on children" in listed and "Check the configuration and the data" in listed
    assert "The port on 127.0.0.1." in runner.invoke(main, ["serve", "--help"]).output
    monkeypatch.chdir(make_site(name="dansk"))
    assert "Byg kun denne modtagergruppe (kan gentages)." in runner.invoke(main, ["build", "--help"]).output
    for lang in ("da", "en"):
        t = Translator(lang)
        for name, command in main.commands.items():
            assert t(f"cli.help.{name}")
            options = [p for p in command.params if isinstance(p, __import__("click").Option)]
            for option in options:
                assert any(key in t.strings for key in (f"cli.option.{name}.{option.name}", f"cli.option.{option.name}")), \
                    (lang, name, option.name)


def test_clicks_own_words_are_in_the_language_of_the_site_asked_about(runner, make_site):
    """Around lisite's own words, click's are worded too: the usage line, the headings, --help's line, the metavars
    and every usage error, with exit code 2 as before; an English site's are click's own English."""
    from conftest import tiny_config

    dansk = make_site(name="dansk")
    shown = runner.invoke(main, prog_name="lisite", args=["build", "--site", str(dansk), "--help"]).output
    for words in ("Brug: lisite build [TILVALG]", "Tilvalg:", "--site MAPPE", "--audience TEKST", "--log FIL",
                  "--help            Vis denne hjælp og stop."):
        assert words in shown, words
    assert "Usage" not in shown and "Options" not in shown and "Show this" not in shown
    shown = runner.invoke(main, prog_name="lisite", args=["sample-data", "--help"]).output  # the current folder: Danish
    assert "--seed HELTAL" in shown and "[standard: 2026]" in shown
    cases = [
        (["chek"], "Brug: lisite [TILVALG] KOMMANDO [ARGUMENTER]...\nPrøv 'lisite --help' for hjælp.\n\n"
                   "Fejl: Kommandoen 'chek' findes ikke. Mente du en af 'cache', 'check'?"),
        (["build", "--site", str(dansk), "--nope"], "Brug: lisite build [TILVALG]\nPrøv 'lisite build --help' for hjælp.\n\n"
                                                    "Fejl: Tilvalget '--nope' findes ikke. Mente du '--open'?"),
        (["sample-data", "--seed", "x"], "Fejl: Ugyldig værdi for '--seed': 'x' er ikke et helt tal."),
        (["check", "--site", str(dansk), "--format", "xml"], "Fejl: Ugyldig værdi for '--format': 'xml' er ikke en af 'text', 'json'."),
        (["check", "--site", str(dansk), "ekstra"], "Fejl: Uventet ekstra argument (ekstra)"),
        (["new-plugin"], "Brug: lisite new-plugin [TILVALG] NAVN\nPrøv 'lisite new-plugin --help' for hjælp.\n\n"
                         "Fejl: Mangler argumentet 'NAVN'."),
        (["build", "--site"], "Fejl: Tilvalget '--site' skal have en værdi."),
        (["build", "--site", str(dansk), "--strict=ja"], "Fejl: Tilvalget '--strict' tager ingen værdi."),
        (["build-all", "--template", str(dansk / "findes-ikke")], "Mappen '" + str(dansk / "findes-ikke") + "' findes ikke."),
    ]
    for args, said in cases:
        result = runner.invoke(main, prog_name="lisite", args=args)
        assert result.exit_code == 2 and said in result.output, (args, result.output)
        assert "Error" not in result.output and "Usage" not in result.output, result.output

    english = make_site(config=tiny_config().replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"', 1), name="en")
    result = runner.invoke(main, prog_name="lisite", args=["build", "--site", str(english), "--nope"])
    assert result.exit_code == 2
    assert result.output.endswith("Usage: lisite build [OPTIONS]\nTry 'lisite build --help' for help.\n\n"
                                  "Error: No such option '--nope'. Did you mean '--open'?\n")
    result = runner.invoke(main, prog_name="lisite", args=["check", "--site", str(english), "--format", "xml", "x"])
    assert "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json'." in result.output
    shown = runner.invoke(main, prog_name="lisite", args=["build", "--site", str(english), "--help"]).output
    assert "Usage: lisite build [OPTIONS]" in shown and "--site DIRECTORY" in shown and "Show this message and exit." in shown


def test_every_message_click_words_in_one_piece_is_found_by_its_english_text():
    """The catalogue's English text of each message click words itself (cli.click.said) is what this click writes:
    were click to change one, it would stay English on a Danish site, and this fails."""
    import click

    from lisite.cliwords import SAID, from_template
    from lisite.i18n import Translator

    @click.group()
    @click.option("--x", is_flag=True)
    def group(x):
        pass

    @group.command()
    def one():
        pass

    def said(make) -> str:
        try:
            make()
        except click.UsageError as error:
            return error.message
        raise AssertionError("no error")

    folder = __import__("tempfile").mkdtemp()
    written = {
        "extra_argument": said(lambda: one.main(["a"], standalone_mode=False)),
        "extra_arguments": said(lambda: one.main(["a", "b"], standalone_mode=False)),
        "missing_command": said(lambda: group.main(["--x"], standalone_mode=False)),
        "not_integer": said(lambda: click.INT.convert("x", None, None)),
        "not_integer_range": said(lambda: click.IntRange(min=1).convert("x", None, None)),
        "not_float": said(lambda: click.FLOAT.convert("x", None, None)),
        "not_float_range": said(lambda: click.FloatRange(min=0).convert("x", None, None)),
        "not_in_range": said(lambda: click.IntRange(min=1).convert("0", None, None)),
        "not_one_of": said(lambda: click.Choice(["a", "b"]).convert("c", None, None)),
        "not_choice": said(lambda: click.Choice(["a"]).convert("c", None, None)),
        "folder_missing": said(lambda: click.Path(exists=True, file_okay=False).convert(folder + "/nej", None, None)),
        "file_missing": said(lambda: click.Path(exists=True, dir_okay=False).convert(folder + "/nej", None, None)),
        "path_missing": said(lambda: click.Path(exists=True).convert(folder + "/nej", None, None)),
        "folder_is_file": said(lambda: click.Path(exists=True, file_okay=False).convert(__file__, None, None)),
        "file_is_folder": said(lambda: click.Path(exists=True, dir_okay=False).convert(folder, None, None)),
    }
    assert sorted(written) == sorted(SAID)
    danish, english = Translator("da"), Translator("en")
    for key, message in written.items():
        assert from_template(message, english) == message, (key, message)  # found, and English says it as click does
        assert from_template(message, danish) == danish(f"cli.click.said.{key}", **_filled(message, key)), (key, message)


def _filled(message: str, key: str) -> dict:
    from lisite.cliwords import _patterns

    return dict(next(pattern for name, pattern in _patterns() if name == key).match(message).groupdict())


def test_a_command_leaves_its_objects_to_the_system_at_exit_not_before():
    """The interpreter's last garbage collections cost a tenth of a second after a build: every command has the
    process freeze what is alive when it exits, and not earlier (tests run many commands in one process)."""
    import subprocess
    import sys

    code = ("import atexit, gc\n"
            "atexit.register(lambda: print('at exit', gc.get_freeze_count() > 0))\n"
            "from click.testing import CliRunner\n"
            "from lisite.cli import main\n"
            "CliRunner().invoke(main, ['plugins'])\n"
            "print('after the command', gc.get_freeze_count())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["after the command 0", "at exit True"]


def test_a_command_has_numpys_linear_algebra_use_one_thread_unless_told_otherwise():
    """lisite spreads its work over one process per core: OpenBLAS's own threads (one per core, waiting busily after
    each call) would only take the cores from the other processes. A value the user set stays."""
    import os
    import subprocess
    import sys

    from lisite.cli import BLAS_THREADS

    code = ("import os, sys\n"
            "from click.testing import CliRunner\n"
            "from lisite.cli import main\n"
            "CliRunner().invoke(main, ['plugins'])\n"
            "import numpy as np\n"
            "matrix = np.arange(90_000, dtype=float).reshape(300, 300)\n"
            "matrix @ matrix\n"
            "threads = len(os.listdir('/proc/self/task')) if os.path.isdir('/proc/self/task') else 1\n"
            "print(threads, os.environ['OPENBLAS_NUM_THREADS'], os.environ['MKL_NUM_THREADS'])\n")
    env = {name: value for name, value in os.environ.items() if name not in BLAS_THREADS}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.split() == ["1", "1", "1"]  # (without it, two threads on two cores)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**env, "MKL_NUM_THREADS": "3"})
    assert done.stdout.split()[1:] == ["1", "3"]


def test_a_command_lets_the_garbage_collector_look_at_young_objects_less_often():
    """A build makes millions of objects that stay and few cycles: every command has the collector look at the young
    ones every YOUNG_OBJECTS new objects instead of Python's default (700 up to Python 3.12, 2,000 from 3.13), and
    keeps the older generations' ratios."""
    import subprocess
    import sys

    code = ("import gc\n"
            "before = gc.get_threshold()\n"
            "from click.testing import CliRunner\n"
            "from lisite.cli import main, YOUNG_OBJECTS\n"
            "CliRunner().invoke(main, ['plugins'])\n"
            "print(before[0], gc.get_threshold() == (YOUNG_OBJECTS, *before[1:]), YOUNG_OBJECTS > before[0])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    default, kept, more = done.stdout.split()
    assert default == ("700" if sys.version_info < (3, 13) else "2000") and kept == more == "True"
