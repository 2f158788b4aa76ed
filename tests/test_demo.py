"""The demo site as a whole: canaries, the numbers in the texts, the security policy, determinism."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lisite import unchanged
from lisite.reuse import RECORD

from conftest import CANARY_CASE, CANARY_NAME, CANARY_WORKER, REPO
from test_engine import tree_hashes

NUMBER = re.compile(r"(?<![\w,.])-?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?![\w])")


@pytest.fixture(scope="module")
def canary_site(planted_build):
    """The demo with a planted child, case and caseworker that only some audiences may see (conftest's
    planted_build, which test_hostile_inputs reads too)."""
    return planted_build


def site_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.suffix in (".html", ".json", ".js", ".svg"))


@pytest.mark.slow
def test_canaries_only_reach_audiences_that_may_see_them(canary_site):
    texts = {audience: site_text(canary_site / audience) for audience in ("udvalg", "direktion", "ledere", "sagsbehandlere")}
    # the planted case reached the caseworkers' site, so it really flowed through the build ...
    assert CANARY_CASE in texts["sagsbehandlere"]
    assert CANARY_WORKER in texts["sagsbehandlere"]
    # ... and no other site, nor the shared files
    for audience in ("udvalg", "direktion", "ledere"):
        assert CANARY_CASE not in texts[audience], audience
    for audience in ("udvalg", "direktion"):
        assert CANARY_WORKER not in texts[audience], audience
        assert CANARY_NAME not in texts[audience], audience
    top = (canary_site / "index.html").read_text(encoding="utf-8") + (canary_site / "manifest.json").read_text(encoding="utf-8")
    assert CANARY_CASE not in top and CANARY_WORKER not in top and CANARY_NAME not in top
    # no child's name, no CPR-like number anywhere
    assert not re.search(r"\b\d{6}-\d{4}\b", "\n".join(texts.values()))


class Sections(HTMLParser):
    """Collects, per indicator section, the sentences under the heading and the table cells."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[dict] = []
        self.where: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class", "") or ""
        if tag == "section" and "indicator" in classes.split():
            self.sections.append({"explain": [], "cells": [], "title": [], "id": dict(attrs).get("id", "")})
            self.depth = 1
            self.where = []
            return
        if self.depth:
            if tag == "section":
                self.depth += 1
            if tag == "h2" and self.depth == 1 and not self.sections[-1]["title"]:
                self.where.append("title")
            elif tag == "div" and "explain" in classes.split():
                self.where.append("explain")
            elif tag == "details" and "numbers" in classes.split():
                self.where.append("numbers")
            elif tag in ("div", "details") or (tag == "h2" and self.depth == 1):
                self.where.append("")

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "section":
            self.depth -= 1
        elif tag in ("div", "details", "h2") and self.where:
            self.where.pop()

    def handle_data(self, data):
        if self.depth and self.where:
            if self.where[-1] == "title":
                self.sections[-1]["title"].append(data)
            elif self.where[-1] == "explain":
                self.sections[-1]["explain"].append(data)
            elif self.where[-1] == "numbers":
                self.sections[-1]["cells"].append(data)


def danish_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def in_millions(text: str) -> str:
    """``14.398.637`` → ``14,4``: a table's amount in kroner as the text writes it in mio. kr."""
    return f"{danish_number(text) / 1e6:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.mark.slow
def test_every_number_in_an_indicator_text_is_in_its_table(demo_build):
    """For every indicator on every page: the figures the text names are the figures the table shows."""
    checked = 0
    for page in sorted((demo_build / "_site").rglob("*.html")):
        parser = Sections()
        parser.feed(page.read_text(encoding="utf-8"))
        for section in parser.sections:
            title = "".join(section["title"]).split(" fordelt på ")[0].strip()
            # the process's normal range (mean and limits) is made from the table's months, not a row of it
            text = " ".join(p for p in section["explain"] if "ligger normalt mellem" not in p).replace(title, "")
            cells = " ".join(section["cells"])
            table_numbers = set(NUMBER.findall(cells))
            # a table keeps every krone; the text writes a million or more in millions with one decimal
            table_numbers |= {in_millions(n) for n in table_numbers if danish_number(n) >= 1e6}
            for sentence in re.split(r"(?<=\.)\s", text):
                if "målet" in sentence.lower() or "mangler" in sentence or sentence.startswith(("Der er kun tal for", "Det er for få til at skelne")):
                    continue  # the target and the distance to it, and how many months are shown, are not rows of the table
                sentence = re.sub(r"\b(19|20)\d{2}\b", "", sentence)  # years name periods, not figures
                sentence = re.sub(r"under \d+", "", sentence)  # the threshold of the hidden-cell label, not a figure
                for number in NUMBER.findall(sentence):
                    assert number in table_numbers, f"{page.name} #{section['id']}: '{number}' in '{sentence}' is not in the table"
                    checked += 1
    assert checked > 200


@pytest.mark.slow
def test_every_page_has_a_strict_content_security_policy(demo_build):
    pages = sorted((demo_build / "_site").rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html and "default-src 'none'" in html, page
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), page
        assert "fiktive" in html, f"{page} does not say the data are fictional"


@pytest.mark.slow
def test_build_without_arguments_in_repository_root_builds_the_demo_byte_for_byte(demo_build):
    """`lisite build` in the repository root builds the demo site, byte for byte the same as the shared demo build
    (another folder, another process, through the API): the build depends on nothing but its inputs. It runs as a
    user runs it, in worker processes (under pytest-xdist the shared build ran in one: conftest's one_process_builds)."""
    out = REPO / "_site"
    env = {key: value for key, value in os.environ.items() if key != "LISITE_WORKERS"}
    proc = subprocess.run([sys.executable, "-m", "lisite", "build"], cwd=REPO, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    built = tree_hashes(out)
    assert {"udvalg/index.html", "direktion/index.html", "ledere/index.html", "sagsbehandlere/index.html"} <= set(built)
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["last_attempt"]["failed"] is False and status["pages"] >= 4
    built.pop("status.json")  # it says when the build was made (the CLI writes it; the API does not)
    built.pop(unchanged.RECORD)  # the shared build has a recording plugin object: not recorded (lisite.unchanged)
    for audience in ("udvalg", "direktion", "ledere", "sagsbehandlere"):
        built.pop(f"{audience}/{RECORD}")  # the shared build has a recording plugin object, which is never reused
    assert built == tree_hashes(demo_build / "_site")
