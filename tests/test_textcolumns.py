"""A build's text columns are Python's strings whatever pandas is set to (pyarrow's strings, where pyarrow is installed,
made the demo's first build a quarter slower: see lisite.textcolumns), and the caller's own setting is put back.

Without pyarrow (as in CI) the setting "pyarrow" makes pandas fail on the first column of texts, so a build that did not
choose Python's strings itself fails here; with pyarrow its columns would be pyarrow's."""

from __future__ import annotations

import pandas as pd

import lisite
from lisite.build import build
from lisite.check import check


class Storage:
    """What the plugins see: the storage of the loaded text columns and pandas' setting while the build runs."""

    def __init__(self) -> None:
        self.columns: set[str] = set()
        self.setting: set[str] = set()

    @lisite.hookimpl
    def lisite_prepare(self, data, config):
        self.setting.add(pd.get_option("mode.string_storage"))
        for frame in data.values():
            self.columns.update(frame[column].dtype.storage for column in frame.columns
                                if isinstance(frame[column].dtype, pd.StringDtype))


def test_a_build_reads_its_texts_as_pythons_strings_and_puts_the_callers_setting_back(make_site):
    site = make_site()
    seen = Storage()
    with pd.option_context("mode.string_storage", "pyarrow"):
        report = build(site, extra_plugins=[("storage", seen)])
        assert pd.get_option("mode.string_storage") == "pyarrow"
    assert report.pages["udvalg"] > 0
    assert seen.setting == {"python"} and seen.columns == {"python"}
    # the figures are those of the data: team C's 20 in September reached the leaders' page
    page = (site / "_site" / "ledere" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert ">20<" in page


def test_lisite_check_reads_them_alike(make_site):
    site = make_site()
    with pd.option_context("mode.string_storage", "pyarrow"):
        problems = check(site)
        assert pd.get_option("mode.string_storage") == "pyarrow"
    assert [p for p in problems if p.severity == "error"] == []
