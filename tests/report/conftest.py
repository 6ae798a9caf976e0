"""Fixtures of the output tests: one analysis of the bundled data and one small build.

The build uses a reduced configuration (three indicators, no stability refits, offline maps)
so that the whole area stays fast; the full default build is measured by hand
(``time terraplan build``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from terraplan.config import parse_config

#: A build small enough for tests; offline so the browser test needs no network.
SMALL_BUILD = {
    "indicators": ["grp_per_capita", "unemployment_rate", "population"],
    "typology": {"n_stability": 0},
    "outputs": {"offline": True},
}


@pytest.fixture(scope="session")
def small_config():
    return parse_config(SMALL_BUILD)


@pytest.fixture(scope="session")
def analysis(small_config):
    from terraplan.pipeline import analyze

    return analyze(small_config)


@pytest.fixture(scope="session")
def geo():
    from terraplan.territory.boundaries import boundaries

    return boundaries(resolution="simplified")


@pytest.fixture(scope="session")
def built(tmp_path_factory, small_config) -> Path:
    """Output folder of one small build (shared by the build and browser tests)."""
    from terraplan.report.build import build

    out = tmp_path_factory.mktemp("build") / "maps"
    build(small_config, out, progress=False)
    return out
