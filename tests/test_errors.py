"""Errors keep their context: type and data across worker processes, plugin and hook, template and page."""

from __future__ import annotations

import os
import pickle
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from fresh import python_c

from lisite.build import build
from lisite.cli import main
from lisite.errors import BuildError, ConfigError, DataError, PluginError
from lisite.model import Problem
from lisite.workers import portable_error

SRC = Path(__file__).resolve().parents[1] / "src"


def hook_plugin(hook: str, args: str, body: str = "return {}['by']") -> str:
    return f"import lisite\n\n@lisite.hookimpl\ndef {hook}({args}):\n    {body}\n"


def test_errors_survive_pickling_with_their_data():
    problems = [Problem("forventede et heltal (fik 'x')", file="data/tal.csv", row=3, column="antal")]
    data = pickle.loads(pickle.dumps(DataError(problems)))
    assert type(data) is DataError
    assert data.problems == problems
    assert "data/tal.csv, række 3, kolonne 'antal'" in data.format_message()
    plugin = pickle.loads(pickle.dumps(PluginError("Plugin 'x' fejlede i lisite_pages: KeyError: 'by'", plugin="x", hook="lisite_pages")))
    assert (type(plugin), plugin.plugin, plugin.hook) == (PluginError, "x", "lisite_pages")
    config = pickle.loads(pickle.dumps(ConfigError("lisite.toml: ukendt nøgle")))
    assert type(config) is ConfigError and config.format_message() == "lisite.toml: ukendt nøgle"


def test_a_data_error_lists_its_problems_by_file_row_and_column_as_check_does():
    problems = [Problem("b", file="data/sager.csv", row=8, column="foedselsaar"),
                Problem("c", file="data/sager.csv", row=10, column="koen"),
                Problem("a", file="data/sager.csv", row=6, column="oprettet"),
                Problem("d", file="data/alder.csv", row=12, column="alder"),
                Problem("e", file="data/sager.csv", row=6, column="afsluttet")]
    error = DataError(problems)
    assert [p.message for p in error.problems] == ["d", "e", "a", "b", "c"]
    lines = error.format_message().splitlines()[1:]
    assert [line.strip()[:30] for line in lines] == [str(p)[:30] for p in error.problems]
    assert "række 6, kolonne 'afsluttet'" in lines[1] and "række 10" in lines[4]


def test_the_command_line_says_error_in_the_sites_language(tmp_path):
    """click's own line says "Error:"; lisite's says "Fejl:" for a Danish site and "Error:" for an English one."""
    for language, word in (("da", "Fejl"), ("en", "Error")):
        site = tmp_path / language
        site.mkdir()
        (site / "lisite.toml").write_text(f'[site]\nlanguage = "{language}"\ntitel = "x"\n', encoding="utf-8")
        result = CliRunner().invoke(main, ["build", "--site", str(site)])
        assert result.exit_code != 0
        assert result.output.strip().splitlines()[-1].startswith(f"{word}: lisite.toml: "), result.output

def test_worker_error_carries_its_traceback():
    def failing():
        raise DataError([Problem("for få rækker", file="data/tal.csv")])

    try:
        failing()
    except DataError as exc:
        travelled = pickle.loads(pickle.dumps(portable_error(exc)))
    assert type(travelled) is DataError and travelled.problems[0].message == "for få rækker"
    assert "in failing" in travelled.remote_traceback

    try:
        {}["by"]
    except KeyError as exc:
        unexpected = pickle.loads(pickle.dumps(portable_error(exc)))
    assert type(unexpected) is BuildError and "KeyError: 'by'" in unexpected.format_message()
    assert "Traceback" in unexpected.remote_traceback


WORKER_SCRIPT = """
import sys
from lisite.build import build
try:
    build(sys.argv[1])
except Exception as exc:
    print("TYPE", type(exc).__name__)
    print("PROBLEMS", [p.message for p in getattr(exc, "problems", [])])
    print("PLUGIN", getattr(exc, "plugin", ""), getattr(exc, "hook", ""))
    print("REMOTE", "in lisite_pages" in exc.remote_traceback)
"""


@pytest.mark.skipif(os.cpu_count() < 2 or sys.platform == "win32", reason="audience workers need fork and two cores")
@pytest.mark.parametrize(
    "body, expected",
    [
        ("raise DataError([lisite.Problem('for få rækker', file='data/tal.csv')])", ["TYPE DataError", "PROBLEMS ['for få rækker']"]),
        ("return {}['by']", ["TYPE PluginError", "PLUGIN x lisite_pages"]),
    ],
)
def test_error_in_an_audience_worker_keeps_type_and_data(make_site, body, expected):
    plugin = "from lisite.errors import DataError\n" + hook_plugin("lisite_pages", "audience, ctx", body)
    site = make_site({"plugins/x.py": plugin})
    env = {**os.environ, "LISITE_WORKERS": "2", "PYTHONPATH": str(SRC)}
    proc = python_c(WORKER_SCRIPT, str(site), env=env, timeout=300)
    lines = proc.stdout.splitlines()
    for line in expected + ["REMOTE True"]:
        assert line in lines, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "hook, args",
    [
        ("lisite_pages", "audience, ctx"),
        ("lisite_indicator_view", "indicator, staged"),
        ("lisite_template_context", "page"),
        ("lisite_check_output", "audience, files"),
        ("lisite_validate", "data"),
        ("lisite_indicators", "config"),
    ],
)
def test_plugin_error_names_plugin_and_hook(make_site, monkeypatch, hook, args):
    monkeypatch.setenv("LISITE_WORKERS", "1")  # in one process the cause stays chained (workers send its traceback)
    site = make_site({"plugins/x.py": hook_plugin(hook, args)})
    with pytest.raises(PluginError) as err:
        build(site)
    assert err.value.format_message() == f"Plugin 'x' fejlede i {hook}: KeyError: 'by'"
    assert (err.value.plugin, err.value.hook) == ("x", hook)
    assert isinstance(err.value.__cause__, KeyError)


def test_plugin_error_names_the_right_one_of_several_plugins(make_site):
    fine = hook_plugin("lisite_template_context", "page", "return {'x': 1}")
    site = make_site({"plugins/a_fine.py": fine, "plugins/b_broken.py": hook_plugin("lisite_template_context", "page"),
                      "plugins/c_fine.py": fine})
    with pytest.raises(PluginError, match="^Plugin 'b_broken' fejlede i lisite_template_context"):
        build(site)


def test_an_english_sites_plugin_and_indicator_failures_are_worded_in_english(make_site, monkeypatch):
    """A plugin that fails in a hook, or an indicator that fails on the data, is named in the site's language, with the
    files and rows the indicator read."""
    from conftest import TINY_PLUGIN, tiny_config

    monkeypatch.setenv("LISITE_WORKERS", "1")
    config = tiny_config().replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\nlanguage = "en"')
    site = make_site({"plugins/x.py": hook_plugin("lisite_pages", "audience, ctx")}, config=config)
    with pytest.raises(PluginError) as err:
        build(site)
    assert err.value.format_message() == "The plugin 'x' failed in lisite_pages: KeyError: 'by'"
    failing = TINY_PLUGIN.replace('    data = ctx.data["tal"]\n', '    data = ctx.data["tal"]\n    {}["kolonne"]\n')
    site = make_site({"plugins/tiny.py": failing}, config=config, name="indicator")
    with pytest.raises(PluginError) as err:
        build(site)
    message = err.value.format_message()
    assert message.startswith("The indicator 'tiny.antal' (plugin tiny) failed: KeyError: 'kolonne' It read: data/tal.csv (")
    assert message.endswith(" rows).") and "læste" not in message


def test_template_error_names_template_page_and_line(make_site):
    template = '{% extends "default/page.html" %}\n{% block content %}\n<p>\n{{ findes_ikke }}</p>\n{% endblock %}\n'
    site = make_site({"theme/templates/page.html": template})
    with pytest.raises(BuildError) as err:
        build(site)
    message = err.value.format_message()
    assert message.startswith("Skabelonen 'page.html' (linje 4) fejlede på siden 'tal/antal.html' i sitet for 'udvalg'")
    assert "'findes_ikke' is undefined" in message


def test_an_english_sites_template_and_plugin_contract_errors_are_english(make_site, monkeypatch):
    """A plugin author or a theme's maker on an English site reads the errors about their code in English."""
    from conftest import TINY_PLUGIN, tiny_config

    monkeypatch.setenv("LISITE_WORKERS", "1")
    config = tiny_config().replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\nlanguage = "en"')
    template = '{% extends "default/page.html" %}\n{% block content %}\n<p>\n{{ findes_ikke }}</p>\n{% endblock %}\n'
    with pytest.raises(BuildError) as err:
        build(make_site({"theme/templates/page.html": template}, config=config))
    assert err.value.format_message().startswith("The template 'page.html' (line 4) failed on the page 'tal/antal.html' in the "
                                                 "site for 'udvalg': UndefinedError")
    not_a_frame = TINY_PLUGIN.replace("    return out.rename(", "    return [out.rename(").replace(
        '"antal": "numerator"})', '"antal": "numerator"})]')
    with pytest.raises(PluginError, match=r"^The indicator 'tiny.antal' \(plugin tiny\): compute\(\) must return a pandas.DataFrame, "
                                          r"not list\.$"):
        build(make_site({"plugins/tiny.py": not_a_frame}, config=config, name="frame"))
    page = hook_plugin("lisite_pages", "audience, ctx", "return [__import__('lisite').Page('side.htm', 'Side', [])]")
    with pytest.raises(PluginError, match=r"^Plugin 'x': the page path 'side.htm' must end in .html.$"):
        build(make_site({"plugins/x.py": page}, config=config, name="page"))
    per_1000 = TINY_PLUGIN.replace('unit="antal"', 'unit="pr_1000"')  # no denominator, and no population to divide by
    with pytest.raises(PluginError, match=r"^The indicator 'tiny.antal' \(plugin tiny\): the unit 'pr_1000' needs a 'denominator' column\.$"):
        build(make_site({"plugins/tiny.py": per_1000}, config=config, name="per_1000"))
    outside = hook_plugin("lisite_pages", "audience, ctx", "return [__import__('lisite').Page('../ude.html', 'Ude', [])]")
    with pytest.raises(BuildError, match=r"^The path '../ude.html' would write outside the site and is refused.$"):
        build(make_site({"plugins/x.py": outside}, config=config, name="outside"))


def test_template_syntax_error_names_template_and_line(make_site):
    site = make_site({"theme/templates/page.html": '{% extends "default/page.html" %}\n\n{% block content %}{{ x }</p>{% endblock %}\n'})
    with pytest.raises(BuildError, match=r"Skabelonen 'page.html' \(linje 3\) fejlede på siden .*TemplateSyntaxError"):
        build(site)


def test_debug_prints_the_frame_of_the_real_cause(make_site):
    plugin = textwrap.dedent(
        """
        import lisite

        def pick(options):
            return options["by"]

        @lisite.hookimpl
        def lisite_pages(audience, ctx):
            return pick({})
        """
    )
    site = make_site({"plugins/x.py": plugin})
    runner = CliRunner()
    plain = runner.invoke(main, ["build", "--site", str(site)])
    assert plain.exit_code == 4  # an internal error (see lisite.nightly)
    assert "Traceback" not in plain.output
    assert "Fejl: Plugin 'x' fejlede i lisite_pages: KeyError: 'by'" in plain.output
    debug = runner.invoke(main, ["build", "--site", str(site), "--debug"])
    assert debug.exit_code == 4
    assert 'x.py", line 5, in pick' in debug.output  # the frame where the KeyError was raised
    assert 'return options["by"]' in debug.output
    assert "The above exception was the direct cause" in debug.output
    assert "PluginError: Plugin 'x' fejlede i lisite_pages" in debug.output


def test_debug_shows_an_unexpected_error_with_its_traceback(make_site, monkeypatch):
    import lisite.build

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(lisite.build, "build", broken)
    runner = CliRunner()
    plain = runner.invoke(main, ["build", "--site", str(make_site())])
    assert plain.exit_code == 4 and "Uventet fejl: ZeroDivisionError" in plain.output and "Traceback" not in plain.output
    debug = runner.invoke(main, ["build", "--site", str(make_site()), "--debug"])
    assert debug.exit_code == 4 and "in broken" in debug.output and "ZeroDivisionError" in debug.output


def test_debug_prints_a_worker_traceback(make_site, monkeypatch):
    import lisite.build

    def from_worker(*args, **kwargs):
        error = BuildError("KeyError: 'by'")
        error.remote_traceback = 'Traceback (most recent call last):\n  File "plugins/x.py", line 5, in pick\nKeyError: \'by\'\n'
        raise error

    monkeypatch.setattr(lisite.build, "build", from_worker)
    debug = CliRunner().invoke(main, ["build", "--site", str(make_site()), "--debug"])
    assert debug.exit_code == 4
    assert "Fejlen opstod i en arbejdsproces" in debug.output and 'line 5, in pick' in debug.output
