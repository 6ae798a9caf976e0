"""Matching never merges two regions (issue 10, section 2).

Every expected answer is known by construction: the registry has one city (KZ-75 Almaty) and one
current region (KZ-19 Almaty Region) whose Latin names fold to the same key, and the inputs below
are spelled so that each rule alone decides the outcome.
"""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraplan.territory.names import match_regions

CYRILLIC_A_ALMATY = "\u0410lmaty"  # "Аlmaty": Cyrillic capital А, as in the Bureau's English files


def test_cyrillic_almaty_beside_the_city_is_the_region():
    report = match_regions([CYRILLIC_A_ALMATY, "Almaty city", "Karaganda"])
    assert report.ok
    assert report.codes.tolist() == ["KZ-19", "KZ-75", "KZ-35"]
    assert "row 2" in report.table.loc[0, "note"] and "Almaty city" in report.table.loc[0, "note"]


def test_bare_almaty_beside_the_city_follows_the_layout_of_the_year():
    assert match_regions(["Almaty", "Almaty city"], year=2019).codes.tolist() == [
        "KZ-ALM",
        "KZ-75",
    ]
    assert match_regions(["Almaty city", "Almaty"], layout="KZ-2022").codes.tolist() == [
        "KZ-75",
        "KZ-19",
    ]


def test_bare_almaty_beside_the_region_is_the_city():
    report = match_regions(["Almaty region", "Almaty"])
    assert report.ok and report.codes.tolist() == ["KZ-19", "KZ-75"]


def test_bare_almaty_alone_is_ambiguous_with_both_suggested():
    for name in ("Almaty", CYRILLIC_A_ALMATY, "ALMATY", "Alma-Ata"):
        report = match_regions([name, "Karaganda"])
        row = report.table.iloc[0]
        assert not report.ok
        assert row["status"] == "ambiguous" and row["code"] is None
        assert "KZ-75" in row["suggestions"] and "KZ-19" in row["suggestions"]
    # the Russian "Алматы" is the city: the region is "Алматинская" in Russian
    assert match_regions(["Алматы"]).codes.tolist() == ["KZ-75"]


def test_two_spellings_of_one_unit_in_a_column_are_an_ambiguity_with_both_rows():
    names = ["Karaganda", "Astana", "Карагандинская", "Karaganda", "Pavlodar"]
    report = match_regions(names, unique=True)
    assert not report.ok
    statuses = report.table["status"].tolist()
    assert statuses == ["ambiguous", "matched", "ambiguous", "ambiguous", "matched"]
    assert report.codes.tolist() == [None, "KZ-71", None, None, "KZ-55"]
    assert report.conflicts.to_dict("list") == {
        "code": ["KZ-35", "KZ-35"],
        "row": [1, 3],
        "input": ["Karaganda", "Карагандинская"],
    }
    problems = "\n".join(report.problems)
    assert "'Karaganda' (row 1)" in problems and "'Карагандинская' (row 3)" in problems


def test_a_repeated_spelling_is_not_a_conflict():
    """A long table repeats a name once per year: same spelling (case, spaces aside)."""
    report = match_regions(["Karaganda", "KARAGANDA ", "Karaganda", "Atyrau"] * 3, unique=True)
    assert report.ok and report.conflicts.empty


def test_without_unique_a_long_table_may_name_a_unit_two_ways():
    report = match_regions(["KZ-35", "Karaganda", "Карагандинская"])
    assert report.ok and report.codes.tolist() == ["KZ-35"] * 3


def test_a_typo_beside_the_right_name_is_caught():
    report = match_regions(["Karaganda", "Karaganada"], unique=True)
    assert not report.ok
    assert report.conflicts["input"].tolist() == ["Karaganda", "Karaganada"]


def test_a_user_alias_respects_the_type_word():
    aliases = {"Almaty": "KZ-19"}
    report = match_regions(["Almaty", "Almaty city"], aliases=aliases)
    assert report.ok
    assert report.codes.tolist() == ["KZ-19", "KZ-75"]
    assert report.table["method"].tolist() == ["user", "exact"]
    # a bare alias still captures the type word that fits its unit
    assert match_regions(["Almaty oblast"], aliases=aliases).table.loc[0, "method"] == "user"
    # an alias with a type word captures only that type word (or none)
    typed = match_regions(["Almaty", "Almaty region"], aliases={"Almaty city": "KZ-75"})
    assert typed.table["method"].tolist() == ["user", "exact"]
    assert typed.codes.tolist() == ["KZ-75", "KZ-19"]


def test_fuzzy_matches_are_listed_with_their_score():
    report = match_regions(["Karaganada", "Pavlodr", "Pavlodr", "Atyrau"])
    fuzzy = report.fuzzy
    assert fuzzy["input"].tolist() == ["Karaganada", "Pavlodr"]
    assert fuzzy["row"].tolist() == [1, 2]
    assert fuzzy["code"].tolist() == ["KZ-35", "KZ-55"]
    assert ((fuzzy["score"] >= 0.85) & (fuzzy["score"] < 1.0)).all()
    assert match_regions(["Atyrau"]).fuzzy.empty


@pytest.mark.parametrize("size", [1, 7, 1000])
def test_distinct_matching_equals_one_by_one(size):
    """Matching each distinct name once and mapping back gives every row its own answer."""
    names = ["Karaganda", "Pavlodr", None, 35, "KZ-71", "Atlantis", float("nan")]
    values = (names * (size // len(names) + 1))[:size]
    together = match_regions(values, one_column=False).table
    alone = pd.concat(
        [match_regions([v], one_column=False).table for v in values], ignore_index=True
    )
    pd.testing.assert_frame_equal(together, alone)


def test_gathered_names_take_the_official_name_when_nothing_decides():
    """A plan names "Almaty" in one list and both units elsewhere: the city's official name."""
    report = match_regions(["Almaty Region", "Алматы қаласы", "Almaty"], one_column=False)
    assert report.codes.tolist() == ["KZ-19", "KZ-75", "KZ-75"]
    assert "official name" in report.table.loc[2, "note"]


POOL = ["Karaganda", "Pavlodr", None, 35, 35.0, "KZ-71", "Atlantis", "", "Южно-Казахстанская",
        "Jetisu", "Abai Region", "г.Астана", "nan"]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=40))
def test_every_row_gets_the_answer_of_its_own_spelling(values):
    """Property: matching distinct names once and mapping back is matching each row alone
    (for names without a city/region pair, whose answer depends on the column)."""
    together = match_regions(values, one_column=False).table
    assert len(together) == len(values)
    for position, value in enumerate(values):
        alone = match_regions([value], one_column=False).table.iloc[0]
        assert together.iloc[position].drop("input").equals(alone.drop("input"))
