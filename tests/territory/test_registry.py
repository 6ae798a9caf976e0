"""The registry against pycountry (ISO 3166-2) and against its own layouts."""

import pycountry
import pytest

from terraplan.errors import LayoutError
from terraplan.territory.names import get_region
from terraplan.territory.registry import (
    LAYOUTS,
    display_name,
    layout_regions,
    layouts,
    regions,
)


def test_current_units_are_exactly_pycountrys_kazakh_subdivisions():
    iso = {s.code: s for s in pycountry.subdivisions.get(country_code="KZ")}
    reg = regions("KZ-2022")
    assert sorted(iso) == sorted(reg.index)
    for code, row in reg.iterrows():
        assert row["iso_name"] == iso[code].name, code
        assert row["name_kk_latn"] == iso[code].name, code
        assert row["kind"] == ("city" if iso[code].type == "City" else "oblast"), code


def test_layout_sizes_and_membership():
    assert [len(layout_regions(x)) for x in LAYOUTS] == [16, 17, 20]
    assert "KZ-YUZ" in layout_regions("KZ-1997")
    assert {"KZ-61", "KZ-79"} <= set(layout_regions("KZ-2018"))
    assert "KZ-YUZ" not in layout_regions("KZ-2018")
    assert {"KZ-VOS", "KZ-ALM", "KZ-KAR"} <= set(layout_regions("KZ-2018"))
    assert not {"KZ-VOS", "KZ-ALM", "KZ-KAR", "KZ-YUZ"} & set(layout_regions("KZ-2022"))
    assert layouts().loc["KZ-2022", "first_year"] == 2022


def test_historic_units_link_to_successors_and_back():
    reg = regions(None)
    historic = reg[reg["valid_until"].notna()]
    assert sorted(historic.index) == ["KZ-ALM", "KZ-KAR", "KZ-VOS", "KZ-YUZ"]
    for code, row in historic.iterrows():
        successors = row["successors"].split()
        assert len(successors) == 2
        for successor in successors:
            assert code in reg.loc[successor, "predecessors"].split()


def test_each_layout_partitions_the_same_territory():
    # by construction of the layouts: each historic unit is replaced by exactly its successors
    reg = regions(None)
    older = set(layout_regions("KZ-1997"))
    for layout in ("KZ-2018", "KZ-2022"):
        newer = set(layout_regions(layout))
        for gone in older - newer:
            assert set(reg.loc[gone, "successors"].split()) <= newer | {
                s for h in older - newer for s in reg.loc[h, "successors"].split()
            }
        older = newer


def test_unknown_layout_names_the_known_ones():
    with pytest.raises(LayoutError, match="KZ-2018"):
        layout_regions("KZ-2030")


def test_names_and_get_region():
    assert display_name("KZ-62", "kk") == "Ұлытау облысы"
    assert display_name("KZ-33", "en") == "Jetisu Region"
    region = get_region("Туркестанская область")
    assert region.code == "KZ-61" and region.predecessors == ("KZ-YUZ",)
    assert get_region("KZ-YUZ").historic


def test_kato_codes_follow_the_classifiers_pattern_and_say_how_sure_they_are():
    reg = regions(None)
    assert set(reg["kato_status"]) <= {"confirmed", "inferred", "unverified"}
    assert reg["kato"].str.fullmatch(r"\d{2}0{7}").all()  # a unit's own code: prefix + 7 zeros
    current = regions("KZ-2022")
    # the KATO prefix of every current unit equals the numeric part of its ISO code
    assert (current["kato"].str[:2] == current.index.str[3:]).all()
    assert reg.loc["KZ-YUZ", "kato_status"] == "inferred"
