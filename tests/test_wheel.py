"""A non-editable install works from anywhere: build the wheel, install it in a fresh venv, build the demo."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_builds_demo_outside_repo(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, text=True)
    wheel = next(dist.glob("lisite-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("lisite/_data/plugins/themes/administration.py", "lisite/_data/themes/default/templates/base.html",
                     "lisite/_data/plugins/reports/sammenligning/static/kommuner.js",  # the map's boundaries
                     "lisite/_data/lisite.toml", "lisite/_data/sample_data/ydelser.csv", "lisite/locales/da/engine.toml", "lisite/_data/locales/en/site.toml"):
        assert expected in names, f"{expected} missing from the wheel"

    venv = tmp_path / "venv"
    # no pip of its own (installing pip into a new venv takes longer than the rest of the install):
    # this environment's pip installs into it with --python, as a user's pip would
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # lisite itself only from the wheel; its dependencies from this environment (no download), made
    # visible after the install so pip cannot mistake this environment's lisite for the new one.
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    target = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    parents = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    (target / "zz_parent_env.pth").write_text("\n".join(sorted(parents)) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}  # a checkout's src/ is not the wheel
    where = subprocess.run([python, "-c", "import lisite; print(lisite.__file__)"], cwd=elsewhere, env=env,
                           check=True, capture_output=True, text=True).stdout
    assert str(venv) in where, f"lisite was imported from {where}, not from the installed wheel"
    result = subprocess.run([venv / "bin" / "lisite", "demo", "minkommune", "--no-open"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    out = elsewhere / "minkommune" / "_site"
    assert (out / "index.html").is_file()
    for audience in ("udvalg", "direktion", "ledere", "sagsbehandlere"):
        assert (out / audience / "index.html").is_file()
        assert (out / audience / "assets" / "vega.js").is_file()
    assert "fiktive" in (out / "udvalg" / "index.html").read_text(encoding="utf-8")
