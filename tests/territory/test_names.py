"""Name matching: every official name and alias, the Bureau's labels, and invariance properties."""

import time

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from terraplan._resources import data_dir
from terraplan.errors import RegionMatchError
from terraplan.territory.names import match_regions, normalize_name
from terraplan.territory.registry import regions

REGISTRY = regions(None)
ALIASES = pd.read_csv(data_dir() / "aliases.csv", dtype=str, keep_default_na=False)
CURRENT = regions("KZ-2022")


def _layout_of(code: str) -> str | None:
    if code == "KZ":
        return None
    if code == "KZ-YUZ":
        return "KZ-1997"
    return "KZ-2018" if code in ("KZ-VOS", "KZ-ALM", "KZ-KAR") else "KZ-2022"


OFFICIAL = [
    (code, column, REGISTRY.loc[code, column])
    for code in REGISTRY.index
    for column in ("name_en", "name_ru", "name_kk", "name_kk_latn", "iso_name", "stat_code")
    if REGISTRY.loc[code, column]
]


def _city_and_region(name: str) -> bool:
    """A bare Latin name shared by a city and a region ("Almaty", "Alma-Ata"): ambiguous alone."""
    key, kind = normalize_name(name)
    return kind is None and key in ("almati", "almaata")


def _assert_resolves(name: str, code: str, layout: str | None = None) -> None:
    report = match_regions([name], layout=layout)
    if _city_and_region(name):
        row = report.table.iloc[0]
        assert row["status"] == "ambiguous" and "KZ-75" in row["suggestions"], row.to_dict()
    else:
        assert report.codes.tolist() == [code], report.table.to_dict("records")


@pytest.mark.parametrize(("code", "column", "name"), OFFICIAL)
def test_every_official_name_resolves_to_its_code(code, column, name):
    _assert_resolves(name, code, _layout_of(code))


@pytest.mark.parametrize(
    ("alias", "code"), list(zip(ALIASES["alias"], ALIASES["code"], strict=True))
)
def test_every_alias_resolves_to_its_code(alias, code):
    _assert_resolves(alias, code, _layout_of(code))


@pytest.mark.parametrize(
    ("label", "code"),
    [
        # Bureau of National Statistics Russian labels
        ("Акмолинская", "KZ-11"),
        ("г.Астана", "KZ-71"),
        ("г. Алматы", "KZ-75"),
        ("Туркестанская область", "KZ-61"),
        ("Западно-Казахстанская обл.", "KZ-27"),
        # English variants named in the issue
        ("Aqmola", "KZ-11"),
        ("Akmolinskaya", "KZ-11"),
        ("Jambyl", "KZ-31"),
        ("Zhambyl region", "KZ-31"),
        ("Jetisu", "KZ-33"),
        ("Zhetysu oblast", "KZ-33"),
        ("Zhetisu", "KZ-33"),
        ("Abay", "KZ-10"),
        ("Abai Region", "KZ-10"),
        ("Nur-Sultan", "KZ-71"),
        ("Shygys Kazakhstan", "KZ-63"),
        ("Soltustik Kazakhstan", "KZ-59"),
        ("North Kazakhstan region", "KZ-59"),
        ("Batys Kazakhstan", "KZ-27"),
        ("West Kazakhstan Oblast", "KZ-27"),
        # codes
        ("KZ-35", "KZ-35"),
        ("kz35", "KZ-35"),
        ("35", "KZ-35"),
        ("350000000", "KZ-35"),
        ("KRG", "KZ-35"),
        # Latin words with Cyrillic look-alike letters, as in the Bureau's English files
        ("Аktobе region", "KZ-15"),  # А and е are Cyrillic
        ("Кaragandy", "KZ-35"),  # К is Cyrillic
        # the city and the region of Almaty stay apart
        ("Almaty city", "KZ-75"),
        ("Алматы", "KZ-75"),  # in Russian the region is "Алматинская"
        ("Almaty region", "KZ-19"),
        ("Алматы облысы", "KZ-19"),
        ("Алматинская", "KZ-19"),
        ("Республика Казахстан", "KZ"),
    ],
)
def test_labels_analysts_meet(label, code):
    assert match_regions([label]).codes.tolist() == [code]


def test_historic_units_are_never_mapped_silently_to_a_successor():
    names = ["South Kazakhstan", "Южно-Казахстанская область"]
    table = match_regions(names, one_column=False).table
    assert table["code"].tolist() == ["KZ-YUZ", "KZ-YUZ"]
    assert table["status"].tolist() == ["historic", "historic"]
    inside = match_regions(["South Kazakhstan"], layout="KZ-2022")
    assert not inside.ok and inside.codes.tolist() == [None]
    assert "KZ-61" in inside.table.loc[0, "suggestions"]
    assert "KZ-79" in inside.table.loc[0, "suggestions"]
    # a name shared by a current and a historic unit follows the layout or year
    assert match_regions(["East Kazakhstan"], year=2020).codes.tolist() == ["KZ-VOS"]
    assert match_regions(["East Kazakhstan"], layout="KZ-2022").codes.tolist() == ["KZ-63"]
    default = match_regions(["Карагандинская"]).table.iloc[0]
    assert default["code"] == "KZ-35" and "KZ-KAR" in default["note"]


def test_unmatched_and_fuzzy_come_with_method_confidence_and_suggestions():
    table = match_regions(["Pavlodr", "Kostanaj", "Atlantis", "", None]).table
    assert table["method"].tolist()[:2] == ["fuzzy", "fuzzy"]
    assert table["code"].tolist()[:2] == ["KZ-55", "KZ-39"]
    assert 0.85 <= table.loc[0, "confidence"] < 1.0
    assert table["status"].tolist()[2:] == ["unmatched"] * 3
    assert table["code"].iloc[2:].isna().all()
    near = match_regions(["Karaganda Oblystan"]).table.iloc[0]
    assert near["status"] == "unmatched" or near["code"] == "KZ-35"


def test_methods_are_reported():
    # "Aqmola" folds to the key of "Akmola Region" (q->k), so it is an exact match
    table = match_regions(["KZ-10", "Aqmola", "Akmolinskaya", "Akmolga"]).table
    assert table["method"].tolist() == ["code", "exact", "alias", "fuzzy"]
    assert table["confidence"].tolist()[:3] == [1.0, 1.0, 1.0]


def test_strict_mode_lists_every_problem_at_once():
    with pytest.raises(RegionMatchError) as caught:
        match_regions(
            ["Atlantis", "Karaganda", "Mordor", "South Kazakhstan"], layout="KZ-2022", strict=True
        )
    assert len(caught.value.problems) == 3
    message = str(caught.value)
    assert "Atlantis" in message and "Mordor" in message and "South Kazakhstan" in message


def test_user_aliases_come_first():
    report = match_regions(["Qaragandy obl", "Region X"], aliases={"Region X": "KZ-62"})
    assert report.codes.tolist() == ["KZ-35", "KZ-62"]
    assert report.table.loc[1, "method"] == "user"


def test_matching_is_deterministic_and_fast():
    names = (list(CURRENT["name_en"]) + list(CURRENT["name_ru"]) + list(ALIASES["alias"])) * 60
    names = names[:10_000]
    first = match_regions(names)
    start = time.perf_counter()
    second = match_regions(names)
    elapsed = time.perf_counter() - start
    pd.testing.assert_frame_equal(first.table, second.table)
    assert elapsed < 1.0


_KINDS = {
    "oblast": ["region", "Region", "oblast", "oblysy", "область", "облысы", "obl."],
    "city": ["city", "г.", "қаласы"],
}
_LOOKALIKE = str.maketrans("aeopcxAEOPCXKMT", "аеорсхАЕОРСХКМТ")


@st.composite
def current_name(draw):
    code = draw(st.sampled_from(sorted(CURRENT.index)))
    column = draw(st.sampled_from(["name_en", "name_ru", "name_kk", "name_kk_latn"]))
    return code, CURRENT.loc[code, column]


@given(current_name(), st.sampled_from(["upper", "lower", "title", "swapcase"]))
def test_case_does_not_change_the_match(pair, case):
    code, name = pair
    _assert_resolves(getattr(name, case)(), code)


@given(current_name())
def test_diacritics_do_not_change_the_match(pair):
    import unicodedata

    code, name = pair
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )
    _assert_resolves(stripped, code)


@given(current_name(), st.data())
def test_type_words_do_not_change_the_match(pair, data):
    code, name = pair
    word = data.draw(st.sampled_from(_KINDS[CURRENT.loc[code, "kind"]]))
    base, _ = normalize_name(name)
    assert match_regions([f"{name} {word}"]).codes.tolist() == [code]
    assert normalize_name(f"{name} {word}")[0] == base


@given(current_name(), st.data())
def test_cyrillic_lookalikes_in_latin_names_do_not_change_the_match(pair, data):
    code, name = pair
    if not name.isascii():
        name = CURRENT.loc[code, "name_en"]
    positions = data.draw(st.sets(st.integers(0, len(name) - 1), max_size=3))
    mixed = "".join(ch.translate(_LOOKALIKE) if i in positions else ch for i, ch in enumerate(name))
    _assert_resolves(mixed, code)
