"""Tests of district matching (terraplan.territory.district_names).

The expected KATO codes are written out by hand from the district registry (name -> code as
listed in data/regions/districts.csv); the Bureau bulletin test uses the KATO codes the shared
district population file carries, which were assigned independently of this matcher.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraplan.data.districts import _population
from terraplan.errors import InputError, RegionMatchError
from terraplan.territory.district_names import district_key, match_districts
from terraplan.territory.districts import districts

SPELLINGS = {
    "Аккольский": "113200000",
    "Аккольский район": "113200000",
    "Аккольский р-н": "113200000",
    "Аккольского района": "113200000",
    "Ақкөл ауданы": "113200000",
    "Akkol district": "113200000",
    "Akkolskiy rayon": "113200000",
    "АККОЛЬСКИЙ  РАЙОН": "113200000",
    "г. Степногорск": "111800000",
    "Г.А. Степногорск": "111800000",
    "Степногор қ.ә.": "111800000",
    "Stepnogorsk city": "111800000",
    "113200000": "113200000",
    "KZ113200": "113200000",
    "113200": "113200000",
    "Aршалынский": "113400000",  # Latin A, Kazakh-based Russian form
    "Медеуский район": "751710000",  # a district of Almaty city
    "Бостандыкский р-н": "751410000",
    "Уилский": "155200000",  # Russian name far from the Kazakh "Ойыл"
    "Ойыл ауданы": "155200000",
    "г. Балхаш": "351600000",  # the city (Karaganda Region) ...
    "Балхашский район": "193600000",  # ... and the rayon (Almaty Region)
    "Бородулихинский район": "104000000",
    "Глубоковский": "634000000",
}
# names shared by districts of several regions: region given -> code
REPEATED = [
    ("Жамбылский район", "Алматинская область", "194200000"),
    ("Жамбылский район", "Jambyl Region", "314000000"),
    ("Жамбыл ауданы", "Солтүстік Қазақстан облысы", "594600000"),
    ("Абайский район", "Abai Region", "103200000"),
    ("Абайский район", "KZ-35", "353200000"),
    ("Абай ауданы", "Шымкент", "791110000"),
    ("Aksu district", "Jetisu", "333200000"),
    ("Ақсу қ.ә.", "Павлодар облысы", "551600000"),
    ("Жамбылский район", "Karaganda (borders before 2022)", None),  # no such district there
]


@pytest.mark.parametrize(("name", "code"), sorted(SPELLINGS.items()))
def test_spellings_match_their_district(name, code):
    report = match_districts([name])
    assert report.table.loc[0, "status"] == "matched", report.table.loc[0].to_dict()
    assert report.codes.tolist() == [code]


def test_repeated_names_are_ambiguous_without_a_parent():
    report = match_districts(["Жамбылский район", "Abay district", "Балхаш", "Aksu"])
    assert report.table["status"].tolist() == ["ambiguous"] * 4
    assert report.codes.tolist() == [None] * 4
    assert "194200000" in report.table.loc[0, "suggestions"]
    assert "314000000" in report.table.loc[0, "suggestions"]
    assert "give the region" in report.table.loc[0, "note"]
    with pytest.raises(RegionMatchError, match="Жамбылский район"):
        match_districts(["Жамбылский район"], strict=True)


def test_repeated_names_resolve_by_the_region_column():
    names = [n for n, _, _ in REPEATED]
    parents = [p for _, p, _ in REPEATED]
    report = match_districts(names, regions=parents)
    assert report.codes.tolist() == [c for _, _, c in REPEATED]
    assert report.table["status"].iloc[-1] == "unmatched"
    assert "KZ-35" in report.table["note"].iloc[-1]  # KZ-KAR is Karaganda + Ulytau today


def test_region_column_problems_are_reported_together():
    with pytest.raises(RegionMatchError, match="Atlantis") as info:
        match_districts(["Аккольский", "Абай"], regions=["Atlantis", "Gondwana"])
    assert "Gondwana" in str(info.value)
    with pytest.raises(InputError, match="one per name"):
        match_districts(["Аккольский"], regions=["Akmola", "Akmola"])


def test_section_rows_of_a_bulletin_set_the_parent():
    rows = [
        "Республика Казахстан",
        "Алматинская область",
        "Жамбылский район",
        "Жамбылская область",
        "Жамбылский район",
        "Алматы",  # a bare region row in a bulletin is the oblast, not the city
        "Жамбыл ауданы",
        "Алматы қаласы",
        "Алмалы ауданы",
    ]
    report = match_districts(rows, sections=True)
    assert report.table["code"].tolist() == [
        "KZ", "KZ-19", "194200000", "KZ-31", "314000000", "KZ-19", "194200000", "KZ-75",
        "751110000",
    ]  # fmt: skip
    assert report.table["method"].tolist()[:2] == ["section", "section"]
    assert report.ok


def test_the_bureau_bulletin_matches_the_kato_codes_it_carries():
    """The 2023 population bulletin (sheet 02) in its own row order: region rows head their
    districts; every district row must get the KATO code the bundled table gives it (matched
    independently, by name within region, when the table was compiled), Sauran excepted."""
    rows = _population()
    rows = rows[rows["indicator"] == "population_jan1"].reset_index(drop=True)
    report = match_districts(rows["name_source"].tolist(), sections=True)
    table = report.table.assign(key=rows["region"], level=rows["level"])
    dist = table[table["level"] == "district"]
    good = dist["code"] == dist["key"]
    assert good.sum() == 219 and len(dist) == 220
    assert dist.loc[~good, "input"].tolist() == ["Сауран ауданы"]
    assert "not in the geokz 2024 layer" in dist.loc[~good, "note"].iloc[0]
    heads = table[table["level"] != "district"]
    assert (heads["code"] == heads["key"]).all() and (heads["method"] == "section").all()


def test_kato_prefixes_and_unknown_codes():
    report = match_districts(["1132", "KZ113200", "999999999", "1010"])
    assert report.table["code"].tolist()[:2] == ["113200000", "113200000"]
    assert report.table["status"].tolist()[2:] == ["unmatched", "ambiguous"]


def test_fuzzy_respects_kind_and_known_missing_units():
    report = match_districts(["Сауран ауданы", "Лисаков", "Konaev", "Федоровскй район"])
    assert report.table.loc[0, "status"] == "unmatched"  # not the city of Saran
    assert "Sauran" in report.table.loc[0, "note"]
    assert report.codes.tolist()[1:] == ["392000000", "191000000", "396800000"]
    assert report.table["method"].tolist()[1:3] == ["fuzzy", "fuzzy"]


def test_layout_2018_and_aliases():
    report = match_districts(["г. Семей", "Семипалатинск"], layout="KZ-2018-D",
                             aliases={"Семипалатинск": "632800000"})  # fmt: skip
    assert report.codes.tolist() == ["632800000", "632800000"]
    assert match_districts(["Семей"], year=2023).codes.tolist() == ["101000000"]
    with pytest.raises(RegionMatchError, match="not a KATO code"):
        match_districts(["x"], aliases={"x": "123"})


def test_every_registry_spelling_matches_with_its_parent():
    """Each district in five spellings (en, ru, ru + type word, kk + type word, KATO), with the
    parent region given: all match their own code except bare names shared by a city and the
    rayon around it in the same region (Kostanay, Pavlodar), which stay ambiguous."""
    table = districts()
    names, parents, codes = [], [], []
    for code, row in table.iterrows():
        city = row["kind"] == "city"
        for name in (
            row["name_en"],
            row["name_ru"],
            f"г. {row['name_ru']}" if city else f"{row['name_ru']} район",
            f"{row['name_kk']} {'қ.ә.' if city else 'ауданы'}",
            code,
        ):
            names.append(name)
            parents.append(row["region"])
            codes.append(code)
    report = match_districts(names, regions=parents)
    matched = report.table["status"] == "matched"
    assert (report.table.loc[matched, "code"] == pd.Series(codes)[matched]).all()
    assert sorted(set(report.table.loc[~matched, "input"])) == [
        "Kostanay", "Pavlodar", "Костанай", "Павлодар"
    ]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SPELLINGS)), st.sampled_from(["  ", "\t", ""]), st.booleans())
def test_case_and_spacing_do_not_matter(name, pad, upper):
    text = pad + (name.upper() if upper else name.lower()) + pad
    assert match_districts([text]).codes.tolist() == [SPELLINGS[name]]


def test_district_key_folds_type_words_and_adjectives():
    assert district_key("Аккольский р-н")[1:] == ("rayon", "акол")
    assert district_key("Ақкөл ауданы")[2] == "акол"
    assert district_key("Жармаауданы")[1] == "rayon"  # glued type word
    assert match_districts(
        ["Жармаауданы", "Абайский айон"], regions=["Abai", "Abai"]
    ).codes.tolist() == [
        "104200000",
        "103200000",
    ]
    assert district_key("Г.А. Степногорск")[1] == "city"
