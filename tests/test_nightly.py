"""A nightly job (issue 13, point 4): `lisite build --quiet --log FILE`, exit codes, and `_site/status.json`."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from click.testing import CliRunner

from lisite import nightly
from lisite.cli import main

BAD_DATA = "maaned;team;antal;sags_id\n2026-09;A;x;S-1\n2026-09;B;y;S-2\n"
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d (\S+) ")


@pytest.fixture
def runner():
    return CliRunner()


def quiet(runner, site, *more):
    return runner.invoke(main, ["build", "--site", str(site), "--quiet", *map(str, more)])


def snapshot(folder):
    """Every file of a built site but status.json, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "status.json"}


def test_a_quiet_build_that_succeeds_prints_nothing(runner, make_site):
    site = make_site()
    result = quiet(runner, site)
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""
    assert (site / "_site" / "udvalg" / "index.html").is_file()
    loud = runner.invoke(main, ["build", "--site", str(site)])
    assert loud.exit_code == 0 and "Uændret:" in loud.stdout  # without --quiet it says what it did (nothing had changed)


def test_bad_data_exits_1_with_one_line_per_problem(runner, make_site):
    site = make_site({"data/tal.csv": BAD_DATA})
    result = quiet(runner, site)
    assert result.exit_code == nightly.BAD_DATA == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("fejl: data/tal.csv, række 2, kolonne 'antal': ") and "række 3" in lines[1]


def test_bad_config_exits_3_with_one_line(runner, make_site):
    site = make_site(config="[site]\ntitel = 'x'\n")
    result = quiet(runner, site)
    assert result.exit_code == nightly.BAD_CONFIG == 3
    assert result.stderr.splitlines() == [
        "lisite.toml: ukendt nøgle 'site.titel'. Tilladt her: site.title, site.language, site.theme, site.synthetic, "
        "site.output, site.content."]


def test_an_internal_error_exits_4_with_one_line(runner, make_site):
    broken = "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n    return {}['by']\n"
    site = make_site({"plugins/broken.py": broken})
    result = quiet(runner, site)
    assert result.exit_code == nightly.INTERNAL == 4
    assert result.stderr.splitlines() == ["Plugin 'broken' fejlede i lisite_pages: KeyError: 'by'"]
    assert "Traceback" not in result.output


def test_the_codes_do_not_clash_with_clicks_usage_error(runner, make_site):
    result = runner.invoke(main, ["build", "--site", str(make_site()), "--quiett"])
    assert result.exit_code == nightly.USAGE == 2
    assert len({nightly.OK, nightly.BAD_DATA, nightly.USAGE, nightly.BAD_CONFIG, nightly.INTERNAL}) == 5
    assert "1  fejl i data" in runner.invoke(main, ["build", "--help"]).stdout  # documented where they are used


def test_the_same_codes_without_quiet(runner, make_site):
    result = runner.invoke(main, ["build", "--site", str(make_site(config="[site]\ntitel = 'x'\n"))])
    assert result.exit_code == 3 and "Fejl: lisite.toml: ukendt nøgle" in result.output


def test_the_log_gets_one_dated_line_per_build(runner, make_site, tmp_path):
    site = make_site()
    log = tmp_path / "logs" / "lisite.log"
    assert quiet(runner, site, "--log", log).exit_code == 0
    (site / "data" / "tal.csv").write_text(BAD_DATA, encoding="utf-8")
    assert quiet(runner, site, "--log", log).exit_code == 1
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [LINE.match(line).group(1) for line in lines] == ["ok", "bad-data"]
    assert re.search(r" ok period=2026-09 pages=\d+ warnings=\d+ seconds=\d+\.\d$", lines[0])
    assert int(re.search(r"pages=(\d+)", lines[0]).group(1)) == sum(
        1 for _ in (site / "_site").rglob("*.html") if _.parent != site / "_site")
    assert "exit=1" in lines[1] and "data/tal.csv, række 2, kolonne 'antal'" in lines[1] and lines[1].endswith("(+1 more)")


def test_status_after_a_success_names_the_inputs_and_their_hashes(runner, make_site):
    site = make_site()
    assert quiet(runner, site).exit_code == 0
    status = json.loads((site / "_site" / "status.json").read_text(encoding="utf-8"))
    assert status["last_attempt"]["failed"] is False and status["last_attempt"]["at"] == status["built"]
    files = {entry["file"]: entry["sha256"] for entry in status["inputs"]}
    for name in ("lisite.toml", "data/tal.csv"):
        assert files[name] == hashlib.sha256((site / name).read_bytes()).hexdigest()


def test_a_failed_build_keeps_the_site_and_says_so_in_status(runner, make_site):
    site = make_site()
    assert quiet(runner, site).exit_code == 0
    before = snapshot(site / "_site")
    good = json.loads((site / "_site" / "status.json").read_text(encoding="utf-8"))
    (site / "data" / "tal.csv").write_text(BAD_DATA, encoding="utf-8")
    assert quiet(runner, site).exit_code == 1
    assert snapshot(site / "_site") == before  # the last good site, byte for byte
    status = json.loads((site / "_site" / "status.json").read_text(encoding="utf-8"))
    assert status["built"] == good["built"] and status["inputs"] == good["inputs"]  # what the site still is
    attempt = status["last_attempt"]
    assert attempt["failed"] is True and attempt["outcome"] == "bad-data" and attempt["exit_code"] == 1
    assert attempt["why"] == "bad data: 2 problem(s), the first in data/tal.csv, row 2, column 'antal'"
    assert "\n" not in attempt["why"]
    assert not list((site / "_site").glob(".status.json.*"))  # no temporary file left


def test_status_holds_no_value_from_the_data_nor_the_configuration(runner, make_site):
    secret = "postgresql://lisite:hemmeligt-kodeord@db.kommune.dk/dw"
    site = make_site({"data/tal.csv": "maaned;team;antal;sags_id\n2026-09;A;Emma Canarysen;S-1\n"})
    assert quiet(runner, site).exit_code == 1  # a name where a number should be: quoted in the message
    (site / "lisite.toml").write_text((site / "lisite.toml").read_text(encoding="utf-8") + f'\n[forbindelse]\nurl = "{secret}"\n')
    assert quiet(runner, site).exit_code == 3
    text = (site / "_site" / "status.json").read_text(encoding="utf-8")
    assert "Emma" not in text and "hemmeligt" not in text and "postgresql" not in text
    assert json.loads(text)["last_attempt"]["why"] == "bad configuration (lisite.toml or the site's folders)"


def test_a_first_build_that_fails_leaves_only_a_status_and_the_next_build_succeeds(runner, make_site):
    site = make_site({"data/tal.csv": BAD_DATA})
    assert quiet(runner, site).exit_code == 1
    assert sorted(p.name for p in (site / "_site").iterdir()) == ["status.json"]
    status = json.loads((site / "_site" / "status.json").read_text(encoding="utf-8"))
    assert status["built"] is None and status["last_attempt"]["failed"] is True
    (site / "data" / "tal.csv").write_text("maaned;team;antal;sags_id\n2026-09;A;3;S-1\n", encoding="utf-8")
    assert quiet(runner, site).exit_code == 0
    assert json.loads((site / "_site" / "status.json").read_text(encoding="utf-8"))["last_attempt"]["failed"] is False


def test_status_is_never_written_into_a_folder_of_other_files(runner, make_site, tmp_path):
    site = make_site({"data/tal.csv": BAD_DATA})
    other = tmp_path / "andet"
    other.mkdir()
    (other / "vigtigt.txt").write_text("x", encoding="utf-8")
    assert quiet(runner, site, "--output", other).exit_code == 3  # refused before anything is read
    assert sorted(p.name for p in other.iterdir()) == ["vigtigt.txt"]
