"""Fuzzing region matching: only terraplan errors escape, within a time and memory budget.

Inputs are arbitrary values (text in several scripts, numbers, None, NaN, booleans), real names
with random edits, and arbitrary ``year``/``layout``/``aliases`` arguments. Whatever they are,
``match_regions`` must return a report with one row per input, or raise a TerraplanError.
"""

from __future__ import annotations

import math

from fuzz_budget import within_budget
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terraplan.territory.names import MatchReport, match_regions

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_NAMES = ["Almaty", "Алматы", "Shymkent", "Қарағанды облысы", "East Kazakhstan", "KZ-35",
          "Astana", "г. Астана", "Turkistan Region", "KZ-ALM"]  # fmt: skip
_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
) | st.sampled_from(_NAMES)
_VALUE = st.one_of(
    _TEXT,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)


@st.composite
def _edited_name(draw) -> str:
    name = draw(st.sampled_from(_NAMES))
    at = draw(st.integers(0, len(name)))
    return name[:at] + draw(st.text(max_size=3)) + name[at + draw(st.integers(0, 2)) :]


def _check(values, **options) -> None:
    result = within_budget(lambda: match_regions(values, **options), seconds=10.0)
    if isinstance(result, MatchReport):
        assert len(result.table) == len(values)


def test_warm_up():
    """Loads the registry once, so that the budgets below measure matching only."""
    _check(["Astana"])


@FAST
@given(st.lists(_VALUE, max_size=30))
def test_arbitrary_values(values):
    _check(values)


@FAST
@given(st.lists(_edited_name(), min_size=1, max_size=20))
def test_edited_names(values):
    _check(values)


@FAST
@given(
    values=st.lists(_TEXT, max_size=5),
    year=st.one_of(st.none(), st.integers(-5, 3000), st.text(max_size=4), st.floats()),
    layout=st.one_of(st.none(), st.sampled_from(["KZ-1997", "KZ-2018", "KZ-2022", "KZ-1", ""])),
    aliases=st.one_of(st.none(), st.dictionaries(_TEXT, st.sampled_from(["KZ-35", "XX"]))),
    strict=st.booleans(),
)
def test_arbitrary_arguments(values, year, layout, aliases, strict):
    if isinstance(year, float) and math.isnan(year):
        year = float("nan")
    _check(values, year=year, layout=layout, aliases=aliases, strict=strict)
