"""The core engine: config, plugins, the build pipeline and its output."""

from __future__ import annotations

import hashlib
import json
import re
import textwrap

import pytest

from lisite import charts
from lisite.build import build
from lisite.config import load_config
from lisite.errors import BuildError, ConfigError, DataError, PluginError

from conftest import tiny_config


def tree_hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_tiny_site_builds_one_site_per_audience(make_site):
    site = make_site()
    report = build(site)
    out = site / "_site"
    assert report.pages == {"udvalg": 2, "ledere": 2}
    assert (out / "index.html").is_file()
    for audience in ("udvalg", "ledere"):
        page = (out / audience / "tal" / "antal.html").read_text(encoding="utf-8")
        assert "Antal i alt var 35 i september 2026." in page
        assert (out / audience / "assets" / "vega.js").stat().st_size > 100_000
    root = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="udvalg/index.html"' in root and 'href="ledere/index.html"' in root


def test_two_builds_are_byte_identical(make_site, tmp_path):
    site = make_site()
    build(site, output_dir=tmp_path / "one")
    build(site, output_dir=tmp_path / "two")
    assert tree_hashes(tmp_path / "one") == tree_hashes(tmp_path / "two")


def test_failed_build_leaves_previous_site_untouched(make_site):
    site = make_site()
    build(site)
    before = tree_hashes(site / "_site")
    (site / "data" / "tal.csv").write_text("maaned;team;antal;sags_id\n2026-09;A;mange;S-1\n", encoding="utf-8")
    with pytest.raises(DataError):
        build(site)
    assert tree_hashes(site / "_site") == before
    leftovers = [p.name for p in site.iterdir() if p.name.startswith("._site")]
    assert leftovers == []


def test_failure_while_rendering_leaves_previous_site_untouched(make_site):
    site = make_site()
    build(site)
    before = tree_hashes(site / "_site")
    broken = "\nimport lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n    return [lisite.Page('x.html', 'X', [lisite.IndicatorView('findes.ikke')])]\n"
    (site / "plugins" / "broken.py").write_text(broken, encoding="utf-8")
    with pytest.raises(BuildError, match="findes.ikke"):
        build(site)
    assert tree_hashes(site / "_site") == before


def test_a_build_failing_after_its_first_audiences_were_written_leaves_neither_a_new_nor_a_changed_site(make_site, monkeypatch):
    """An audience's files are written beside the output folder as soon as it is made; when a later audience fails,
    that folder is removed and the previous site stays as it was."""
    import lisite.output

    monkeypatch.setenv("LISITE_WORKERS", "1")  # the audiences in turn: the committee's is written before the managers' fails
    site = make_site()
    build(site)
    before = tree_hashes(site / "_site")
    broken = ("\nimport lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
              "    return [lisite.Page('x.html', 'X', [lisite.IndicatorView('findes.ikke')])] if audience.id == 'ledere' else []\n")
    (site / "plugins" / "broken.py").write_text(broken, encoding="utf-8")
    added = []
    real_add = lisite.output.NewSite.add
    monkeypatch.setattr(lisite.output.NewSite, "add", lambda self, files: (added.extend(files), real_add(self, files)))
    with pytest.raises(BuildError, match="findes.ikke"):
        build(site)
    assert any(path.startswith("udvalg/") for path in added) and not any(path.startswith("ledere/") for path in added)
    assert tree_hashes(site / "_site") == before
    assert [p.name for p in site.iterdir() if p.name.startswith("._site")] == []


def test_bad_value_names_file_row_and_column(make_site):
    data = "Udtræk: Tal (titel)\nmaaned;team;antal;sags_id\n2026-09;A;12;S-1\n2026-09;B;tolv;S-2\n2026-09;C;;S-3\n"
    site = make_site({"data/tal.csv": data})
    with pytest.raises(DataError) as err:
        build(site)
    text = err.value.format_message()
    assert "data/tal.csv, række 4, kolonne 'antal': forventede et heltal (fx 2024) (fik 'tolv')" in text
    assert "data/tal.csv, række 5, kolonne 'antal': mangler en værdi" in text


def test_missing_column_is_reported_with_what_was_found(make_site):
    site = make_site({"data/tal.csv": "maaned;hold;antal;sags_id\n2026-09;A;1;S-1\n"})
    with pytest.raises(DataError, match="mangler kolonne\\(r\\) team. Fundet: maaned, hold, antal, sags_id"):
        build(site)


def test_a_config_error_is_in_the_sites_language(make_site):
    """An English site's lisite.toml gets its errors in English, from the same catalogue as its pages; before
    site.language is read (or when it is no language lisite has), they are in Danish."""
    english = tiny_config().replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\nlanguage = "en"')
    cases = [
        (english + '\n[farve]\n', "lisite.toml: unknown key 'farve'. Allowed here: site, "),
        (english.replace("min_count = 5", "min_count = 0"), "lisite.toml: audiences.udvalg.min_count must be at least 1."),
        (english.replace('current = "2026-09"', 'current = "sept"'), "period.current must be a month written YYYY-MM"),
        (english + '\n[comparison]\nmunicipalities = ["Aarhus"]\n', "comparison.municipalities must be a list of municipality codes (whole numbers); 'Aarhus'"),
        (english + '\n[pdf]\npages = [2025]\n', "pdf.pages must be a list of page paths or patterns (text); 2025"),
        (english.replace("min_count = 5", 'min_count = "5"'), "audiences.udvalg.min_count must be a whole number, not str ('5')."),
        (english.replace('path = "data/tal.csv"', 'url = "fagsystem"\ntable = "sager"'),
         "sources.tal.url must be an SQLAlchemy address such as \"postgresql+psycopg://user@host/database\", not 'fagsystem'."),
        (tiny_config().replace('path = "data/tal.csv"', 'url = "fagsystem"\ntable = "sager"'),
         "sources.tal.url skal være en SQLAlchemy-adresse som \"postgresql+psycopg://bruger@vært/database\", ikke 'fagsystem'."),
        (tiny_config() + '\n[farve]\n', "lisite.toml: ukendt nøgle 'farve'. Tilladt her: site, "),
        (english.replace('language = "en"', 'language = "fr"'), "lisite.toml: site.language skal være en af da, en, ikke 'fr'."),
    ]
    for config, message in cases:
        with pytest.raises(ConfigError) as raised:
            load_config(make_site(config=config))
        assert message in str(raised.value), (message, str(raised.value))


@pytest.mark.parametrize(
    "extra, message",
    [
        ("[site]\ntitel = 'x'\n", "ukendt nøgle 'site.titel'"),
        ("[farve]\n", "ukendt nøgle 'farve'"),
    ],
)
def test_unknown_config_key_is_named(make_site, extra, message):
    config = tiny_config()
    if extra.startswith("[site]"):
        config = config.replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\ntitel = "x"')
    else:
        config += extra
    site = make_site(config=config)
    with pytest.raises(ConfigError, match=message):
        load_config(site)


def test_wrong_config_type_says_what_is_allowed(make_site):
    site = make_site(config=tiny_config().replace("code = 479", 'code = "479"'))
    with pytest.raises(ConfigError, match=r"municipality.code skal være heltal, ikke str"):
        load_config(site)


def test_a_first_month_after_the_reporting_period_is_named(make_site):
    """period.first after period.current stopped the build deep inside with a message about sums over periods."""
    config = tiny_config()
    current = re.search(r'current = "(\d{4}-\d{2})"', config).group(1)
    later = f"{int(current[:4]) + 1}{current[4:]}"
    site = make_site(config=config.replace(f'current = "{current}"', f'current = "{current}"\nfirst = "{later}"'))
    with pytest.raises(ConfigError, match=f"period.first = '{later}' ligger efter period.current = '{current}'"):
        load_config(site)
    site = make_site(config=config.replace(f'current = "{current}"', f'current = "{current}"\nfirst = "{current}"'))
    assert load_config(site).first_period == current  # one month shown: allowed


def test_bad_audience_level_lists_levels(make_site):
    site = make_site(config=tiny_config().replace('level = "team"', 'level = "hold"'))
    with pytest.raises(ConfigError, match="municipality, area, team, caseworker, case"):
        load_config(site)


def test_default_audiences_when_none_configured(make_site):
    config = "\n".join(line for line in tiny_config().splitlines())
    config = config.replace('[audiences.udvalg]\ntitle = "Udvalget"\nlevel = "municipality"\nmin_count = 5\n', "")
    config = config.replace('[audiences.ledere]\ntitle = "Ledere"\nlevel = "team"\nmin_count = 3\n', "")
    site = make_site(config=config)
    assert list(load_config(site).audiences) == ["udvalg", "direktion", "ledere", "sagsbehandlere"]


def test_misspelled_hook_fails_loudly(make_site):
    plugin = "import lisite\n@lisite.hookimpl\ndef lisite_indicatorz():\n    return []\n"
    site = make_site({"plugins/stavefejl.py": plugin})
    with pytest.raises(PluginError, match="stavefejl"):
        build(site)


def test_plugin_can_be_disabled_by_name(make_site):
    plugin = "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n    return [lisite.Page('ekstra.html', 'Ekstra')]\n"
    site = make_site({"plugins/ekstra.py": plugin})
    build(site)
    assert (site / "_site" / "udvalg" / "ekstra.html").is_file()
    config = (site / "lisite.toml").read_text(encoding="utf-8").replace('disabled = ["', 'disabled = ["ekstra", "')
    (site / "lisite.toml").write_text(config, encoding="utf-8")
    build(site)
    assert not (site / "_site" / "udvalg" / "ekstra.html").exists()


def test_disabling_an_unknown_plugin_is_an_error(make_site):
    config = tiny_config().replace('disabled = ["', 'disabled = ["findesikke", "')
    site = make_site(config=config)
    with pytest.raises(PluginError, match="findesikke"):
        build(site)


def test_entry_point_plugin_is_picked_up(make_site, tmp_path, monkeypatch):
    pkg = tmp_path / "installed"
    (pkg / "lisite_extra_ep").mkdir(parents=True)
    (pkg / "lisite_extra_ep" / "__init__.py").write_text(
        "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n    return [lisite.Page('fra-pakke.html', 'Fra en pakke')]\n",
        encoding="utf-8",
    )
    dist = pkg / "lisite_extra_ep-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: lisite-extra-ep\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[lisite]\nextra_ep = lisite_extra_ep\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(pkg))
    site = make_site()
    build(site)
    assert "Fra en pakke" in (site / "_site" / "udvalg" / "fra-pakke.html").read_text(encoding="utf-8")


def test_plugin_templates_and_static_files_are_found(make_site):
    files = {
        "plugins/medskabelon/__init__.py": "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
        "    return [lisite.Page('egen.html', 'Egen', template='egen.html')]\n",
        "plugins/medskabelon/templates/egen.html": '{% extends "base.html" %}{% block content %}<p id="egen">Egen skabelon</p>{% endblock %}',
        "plugins/medskabelon/static/egen.css": "p{}",
    }
    site = make_site(files)
    build(site)
    assert '<p id="egen">Egen skabelon</p>' in (site / "_site" / "udvalg" / "egen.html").read_text(encoding="utf-8")
    assert (site / "_site" / "udvalg" / "assets" / "medskabelon" / "egen.css").read_text() == "p{}"


def test_site_theme_overrides_and_extends_default_template(make_site):
    override = '{% extends "default/base.html" %}{% block footer %}<p id="egen-fod">Svendborg Kommune</p>{{ super() }}{% endblock %}'
    site = make_site({"theme/templates/base.html": override})
    build(site)
    page = (site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert '<p id="egen-fod">Svendborg Kommune</p>' in page
    assert "Lavet med lisite" in page  # the default block via super()


def test_the_templates_are_ready_before_the_pages_and_an_unused_broken_one_fails_nothing(make_site, monkeypatch):
    """The templates are compiled while the indicators are computed, in the process the workers that make the pages
    are forked from (:func:`lisite.build.ready_for_pages`): making the pages reads no template file again. A template
    of the site's theme that no page uses, and that does not compile or is not UTF-8, fails nothing."""
    import jinja2

    from lisite import build as building

    site = make_site({"theme/templates/ubrugt.html": "{% if %}"})
    (site / "theme" / "templates" / "gammel.html").write_bytes("<p>Skrevet i Latin-1: æøå</p>".encode("latin-1"))
    ready, read_after = [], []
    warm = building.ready_for_pages
    monkeypatch.setattr(building, "ready_for_pages", lambda *args: (warm(*args), ready.append(True)))
    get_source = jinja2.FileSystemLoader.get_source

    def reading(self, environment, name):
        if ready:
            read_after.append(name)
        return get_source(self, environment, name)

    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", reading)
    report = build(site)
    assert ready and report.pages["udvalg"] > 0
    assert read_after == []


def test_undefined_template_variable_is_an_error(make_site):
    override = '{% extends "default/page.html" %}{% block content %}{{ findes_ikke }}{% endblock %}'
    site = make_site({"theme/templates/page.html": override})
    with pytest.raises(Exception, match="findes_ikke"):
        build(site)


def test_page_path_outside_site_is_rejected(make_site):
    plugin = "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n    return [lisite.Page('../../ud.html', 'Ud')]\n"
    site = make_site({"plugins/ud.py": plugin})
    with pytest.raises(BuildError, match="uden for sitet"):
        build(site)
    assert not (site.parent / "ud.html").exists()


def test_content_path_outside_content_is_rejected(make_site):
    plugin = "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n    return [lisite.Page('a.html', 'A', [lisite.Markdown(source='../lisite.toml')])]\n"
    site = make_site({"plugins/ud.py": plugin, "content/x.md": "x"})
    with pytest.raises(BuildError, match="uden for mappen content"):
        build(site)


def test_html_in_data_and_content_is_escaped(make_site):
    payload = "<script>alert(1)</script>"
    data = f"maaned;team;antal;sags_id\n2026-09;{payload};12;S-1\n2026-08;{payload};11;S-2\n"
    plugin = (
        "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
        "    return [lisite.Page('md.html', 'Md', [lisite.Markdown(source='x.md')])]\n"
    )
    site = make_site({"data/tal.csv": data, "content/x.md": f"Hej {payload} <img src=x onerror=alert(2)>", "plugins/md.py": plugin})
    build(site)
    for page in (site / "_site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert payload not in text.replace("<\\/script>", "")
        assert "<img src=x" not in text


def test_duplicate_indicator_id_names_both_plugins(make_site):
    from conftest import TINY_PLUGIN

    site = make_site({"plugins/kopi.py": TINY_PLUGIN.replace("lisite_datasets", "_not_a_hook")})
    with pytest.raises(PluginError, match="'kopi' og 'tiny'|'tiny' og 'kopi'"):
        build(site)


def test_indicator_returning_unknown_column_names_plugin(make_site):
    from conftest import TINY_PLUGIN

    bad = TINY_PLUGIN.replace('return out.rename(columns={"maaned": "period", "antal": "numerator"})',
                              'return out.rename(columns={"maaned": "period", "antal": "numerator"}).assign(cpr="x")')
    site = make_site({"plugins/tiny.py": bad})
    with pytest.raises(PluginError, match="'tiny.antal' \\(plugin tiny\\): ukendte kolonner cpr"):
        build(site)


def test_manifest_lists_audiences_and_input_hashes(make_site):
    site = make_site()
    build(site)
    manifest = json.loads((site / "_site" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["audiences"]["udvalg"]["level"] == "municipality"
    assert manifest["audiences"]["ledere"]["min_count"] == 3
    assert manifest["audiences"]["ledere"]["suppressed_cells"] > 0
    expected = hashlib.sha256((site / "data" / "tal.csv").read_bytes()).hexdigest()
    assert manifest["inputs"]["tal"]["sha256"] == expected


def test_audience_option_builds_only_that_audience(make_site):
    site = make_site()
    report = build(site, audiences=["ledere"])
    assert list(report.pages) == ["ledere"]
    assert not (site / "_site" / "udvalg").exists()


def test_chart_spec_is_a_shared_file_with_a_note_in_the_page_instead_of_a_drawing(make_site):
    site = make_site()
    build(site)
    folder = site / "_site" / "udvalg"
    page = (folder / "tal" / "antal.html").read_text(encoding="utf-8")
    assert "chart-spec" not in page  # the spec is not in the page but in the audience's charts/ folder
    key = re.search(r'<div class="chart" id="[^"]*" data-chart="([0-9a-f]{16})"', page).group(1)
    assert f'<script src="../charts/{key}.js"></script>' in page
    script = (folder / "charts" / f"{key}.js").read_text(encoding="utf-8")
    assert script.startswith(f'(window.lisiteCharts = window.lisiteCharts || {{}})["{key}"] = {{')
    # no drawing in the page (the browser draws the spec): readers without JavaScript get a note and the table
    assert "<svg" not in page.split('<main id="indhold">', 1)[1]
    assert ('<div class="chart-static"><p class="note">Diagrammet tegnes i browseren og kræver JavaScript. '
            "Tallene står i tabellen nedenfor.</p></div>") in page
    assert "<td>september 2026</td>" in page
    spec = charts.page_specs(folder / "tal" / "antal.html")[0]
    assert spec == charts.script_spec(script)
    assert spec["config"]["font"].startswith("system-ui")
    assert charts.chart_key(charts.spec_json(spec)) == key  # named by its content
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert "http://" not in script and "https://" not in script


def test_stage_hook_order_comes_from_stages(make_site):
    calls = []
    plugin = textwrap.dedent(
        """
        import lisite
        CALLS = []
        @lisite.hookimpl
        def lisite_build_start(config, site_dir):
            CALLS.append("start")
        @lisite.hookimpl
        def lisite_build_finish(config, output_dir):
            CALLS.append("finish:" + str((output_dir / "index.html").is_file()))
        """
    )
    site = make_site({"plugins/spor.py": plugin})
    build(site)
    import sys

    calls = sys.modules["lisite_local.spor"].CALLS
    assert calls == ["start", "finish:True"]


def test_site_plugin_replaces_builtin_of_same_name(make_site):
    from lisite.plugins import make_plugin_manager

    site = make_site({"plugins/load_sql.py": "import lisite\n"})
    pm = make_plugin_manager(site)
    assert pm.infos["load_sql"].origin.startswith("lokal")


def test_leak_check_cannot_be_replaced(make_site):
    site = make_site({"plugins/leakcheck.py": "import lisite\n"})
    with pytest.raises(PluginError, match="kan ikke erstattes"):
        build(site)


def test_a_copy_of_the_leak_check_package_is_accepted_and_a_changed_one_refused(make_site):
    """lisite's own checkout used as a site (an installed lisite) holds a copy of the built-in package."""
    from lisite.plugins import make_plugin_manager
    from lisite.testing import builtin_plugin

    builtin = builtin_plugin("leakcheck")
    files = {f"plugins/leakcheck/{path.relative_to(builtin).as_posix()}": path.read_text(encoding="utf-8")
             for path in builtin.rglob("*.py")}
    assert len(files) > 1  # a package, not one file
    site = make_site(files)
    assert make_plugin_manager(site).infos["leakcheck"].origin == "builtin"
    (site / "plugins" / "leakcheck" / "text.py").write_text("# changed\n", encoding="utf-8")
    with pytest.raises(PluginError, match="kan ikke erstattes"):
        make_plugin_manager(site)


def test_plugin_package_can_import_its_own_modules(make_site):
    files = {
        "plugins/pakke/__init__.py": "import lisite\nfrom . import tekst\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
        "    return [lisite.Page('pakke.html', 'Pakke', [lisite.Markdown(text=tekst.HILSEN)])]\n",
        "plugins/pakke/tekst.py": "HILSEN = 'Hilsen fra et modul i pakken'\n",
    }
    site = make_site(files)
    build(site)
    assert "Hilsen fra et modul i pakken" in (site / "_site" / "udvalg" / "pakke.html").read_text(encoding="utf-8")


PREPARE_PLUGIN = '''
import lisite

@lisite.hookimpl
def lisite_prepare(data):
    tal = data["tal"]
    return {"tal": tal.assign(antal=tal["antal"] * 2), "hold": tal[["team"]].drop_duplicates()}

@lisite.hookimpl
def lisite_validate(data):
    tal = data["tal"]
    return [lisite.Problem(f"sum {tal['antal'].sum()}, hold {len(data['hold'])}, linje {tal.attrs['lines'][0]}", severity="warning")]
'''


def test_prepare_hook_replaces_and_adds_datasets_before_validate(make_site):
    from lisite.check import check

    site = make_site({"plugins/dobbelt.py": PREPARE_PLUGIN})
    report = build(site)
    assert [w.message for w in report.warnings] == ["sum 186, hold 3, linje 2"]
    page = (site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert "Antal i alt var 70 i september 2026." in page  # the indicator read the prepared frame
    manifest = json.loads((site / "_site" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["tal"]["sha256"] == hashlib.sha256((site / "data" / "tal.csv").read_bytes()).hexdigest()
    assert [p.message for p in check(site)] == ["sum 186, hold 3, linje 2"]


def test_two_plugins_may_not_prepare_the_same_dataset(make_site):
    site = make_site({"plugins/dobbelt.py": PREPARE_PLUGIN, "plugins/tredobbelt.py": PREPARE_PLUGIN})
    with pytest.raises(PluginError, match="lisite_prepare: flere plugins returnerede datasættet hold, tal"):
        build(site)


def test_role_folders_hold_plugins_under_their_own_names(make_site):
    from lisite.plugins import make_plugin_manager

    site = make_site({"plugins/model/dobbelt.py": PREPARE_PLUGIN})
    pm = make_plugin_manager(site)
    assert pm.infos["measures"].origin == "builtin"  # plugins/model/measures.py in lisite
    assert pm.infos["dobbelt"].origin.startswith("lokal") and "model" not in pm.infos
    assert not pm.is_blocked("measures")
    assert "measures" not in make_plugin_manager(site, disabled=["measures"]).infos


def test_tracing_shows_every_hook_call(make_site, monkeypatch, capsys):
    monkeypatch.setenv("LISITE_TRACE", "1")
    monkeypatch.setenv("LISITE_WORKERS", "1")  # forked workers write to the real stderr, which capsys does not see
    site = make_site()
    build(site)
    trace = capsys.readouterr().err
    for hook in ("lisite_datasets", "lisite_indicators", "lisite_pages", "lisite_check_output"):
        assert f"{hook} [hook]" in trace, hook
    assert trace.count("lisite_pages [hook]") == 2  # the tiny plugin's pages, once per audience
    assert "finish lisite_indicators --> [[Indicator(id='tiny.antal'" in trace


def test_templates_are_compiled_once_a_process_and_again_when_their_file_changes(make_site, monkeypatch):
    """Every build of a process uses the templates compiled by the first (lisite.render.COMPILED); an edited template is
    compiled again, and its new text is what the next build shows."""
    import jinja2

    monkeypatch.setenv("LISITE_WORKERS", "1")  # every audience in this process, where the compiling is counted
    compiled = []
    original = jinja2.Environment._parse
    monkeypatch.setattr(jinja2.Environment, "_parse", lambda self, source, name, filename: compiled.append(name) or original(self, source, name, filename))
    override = '{% extends "default/base.html" %}{% block footer %}<p id="egen-fod">Første udgave</p>{% endblock %}'
    site = make_site({"theme/templates/base.html": override})
    build(site)
    assert "base.html" in compiled
    compiled.clear()
    build(site)  # a new build, with a new Jinja environment: nothing compiled again
    assert compiled == []
    (site / "theme" / "templates" / "base.html").write_text(override.replace("Første", "Anden"), encoding="utf-8")
    build(site)
    assert compiled == ["base.html"]  # only the edited file
    page = (site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert "Anden udgave" in page and "Første udgave" not in page
