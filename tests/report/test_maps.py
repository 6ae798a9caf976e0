"""Interactive maps: every region with its class and tooltip, escaping, missing data, size."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest

from terraplan.report.maps import MapLayer, admin_centres, indicator_layer, interactive_map
from terraplan.territory.registry import layout_regions

CODES = layout_regions("KZ-2022")
PAYLOAD = "<script>alert(1)</script>"


def folium_features(page: str) -> dict[str, dict]:
    """The GeoJSON properties embedded in a folium page, by region code (first layer wins)."""
    found: dict[str, dict] = {}
    for raw in re.findall(r'"properties": (\{[^{}]*\})', page):
        props = json.loads(raw)
        found.setdefault(props["code"], props)
    return found


def offline_regions(page: str, layer: str = "layer0") -> dict[str, dict]:
    """The ``<use>`` elements of one layer of an offline page, by region code."""
    block = re.search(rf'<g id="{layer}" class="tp-layer".*?</g>', page, re.S).group(0)
    out = {}
    for m in re.finditer(
        r'<use [^>]*data-region="([^"]+)" data-class="(-?\d+)" data-tip="([^"]*)"'
        r"[^>]*><title>([^<]*)</title>",
        block,
    ):
        out[m.group(1)] = {"cls": int(m.group(2)), "tip": html.unescape(m.group(3)),
                           "title": html.unescape(m.group(4))}  # fmt: skip
    return out


@pytest.fixture(scope="module")
def known_layer():
    # values 1..20 in code order, one region (KZ-79) missing, KZ-71 preliminary: with 4 equal
    # intervals over 1..19 the breaks are 5.5, 10, 14.5, 19
    values = pd.Series(np.arange(1.0, 21.0), index=CODES)
    values["KZ-79"] = np.nan
    flags = pd.Series("", index=CODES)
    flags["KZ-71"] = "preliminary"
    return MapLayer.numeric(
        "Test indicator", values, unit="t", scheme="equal_interval", k=4, flags=flags
    )


def expected_class(v: float) -> int:
    if np.isnan(v):
        return -1
    return int(np.searchsorted([5.5, 10.0, 14.5, 19.0], v, side="left"))


@pytest.fixture(scope="module")
def folium_page(known_layer, geo):
    return interactive_map([known_layer], boundaries=geo, centres=True)


@pytest.fixture(scope="module")
def offline_page(known_layer, geo):
    return interactive_map([known_layer], boundaries=geo, offline=True)


def test_folium_map_has_every_region_with_class_and_tooltip(folium_page, known_layer, geo):
    features = folium_features(folium_page)
    assert sorted(features) == CODES
    names = geo.set_index("code")["name_en"]
    for code, value in known_layer.values.items():
        props = features[code]
        assert props["cls"] == expected_class(value), code
        assert f"<b>{names[code]}</b>" in props["tip"]
    assert "<br>3.00 t<br>" in features["KZ-15"]["tip"]  # third region in code order
    assert "<br>20.00 t" not in features["KZ-79"]["tip"]


def test_offline_map_has_every_region_with_class_and_tooltip(offline_page, known_layer):
    regions = offline_regions(offline_page)
    assert sorted(regions) == CODES
    for code, value in known_layer.values.items():
        assert regions[code]["cls"] == expected_class(value), code
    assert regions["KZ-15"]["title"] == "Aktobe Region: 3.00 t"


def test_missing_values_are_drawn_and_named_as_missing(folium_page, offline_page):
    assert folium_features(folium_page)["KZ-79"]["missing"] is True
    assert "No data" in folium_features(folium_page)["KZ-79"]["tip"]
    assert 'data-region="KZ-79" data-class="-1"' in offline_page
    assert "url(#tp-hatch)" in offline_page
    for page in (folium_page, offline_page):
        assert "tp-swatch tp-missing" in page and "No data" in page


def test_preliminary_values_are_marked(folium_page, offline_page):
    tip = folium_features(folium_page)["KZ-71"]["tip"]
    assert "18.00 t*" in tip  # KZ-71 is 18th in code order and "* preliminary" in tip
    for page in (folium_page, offline_page):
        assert "* marks values flagged preliminary or estimated" in page


def test_user_text_is_escaped_in_both_variants(geo):
    values = pd.Series(1.0, index=CODES)
    values.iloc[0] = 2.0
    layer = MapLayer.numeric(PAYLOAD, values, unit=PAYLOAD, note=PAYLOAD, k=2)
    category = MapLayer.categorical("c", pd.Series(PAYLOAD, index=CODES))
    for offline in (False, True):
        page = interactive_map([layer, category], boundaries=geo, offline=offline, title=PAYLOAD)
        assert PAYLOAD not in page
        assert "alert(1)" in page  # the text is there, as text


def test_russian_and_kazakh_names_in_tooltips(known_layer, geo):
    ru = folium_features(interactive_map([known_layer], boundaries=geo, lang="ru"))
    kk = offline_regions(interactive_map([known_layer], boundaries=geo, lang="kk", offline=True))
    assert "<b>Карагандинская область</b>" in ru["KZ-35"]["tip"]
    assert kk["KZ-35"]["title"].startswith("Қарағанды облысы: ")


def test_pages_are_deterministic(known_layer, geo):
    a = interactive_map([known_layer], boundaries=geo)
    b = interactive_map([known_layer], boundaries=geo)
    assert a == b


def test_layers_and_centres(geo):
    from terraplan.datasets import kazakhstan
    from terraplan.pipeline import with_derived

    panel = with_derived(kazakhstan.panel())
    layers = [
        indicator_layer(panel, ind, year=2023, regions=CODES)
        for ind in ("grp_per_capita", "population", "unemployment_rate", "investment", "employed")
    ]
    page = interactive_map(layers, boundaries=geo)
    # five switchable layers within the size budget (folium on the simplified polygons, with
    # Leaflet's 160 kB inside the page)
    assert page.count('"type": "FeatureCollection"') == 5
    assert len(page.encode()) < 760_000
    # administrative centres: one marker per region, except the three cities of national
    # significance, which get a call-out in every layer (3 x 5) and one label each
    assert page.count("L.circleMarker(") == 17 + 3 * 5
    assert page.count('"pane": "tp-cities"') == 3 * 5
    assert page.count('class=\\"tp-city-label') == 3
    offline = interactive_map(layers, boundaries=geo, offline=True)
    assert offline.count('class="tp-centre"') == 17
    assert offline.count('class="tp-city"') == 3 * 5
    assert offline.count('class="tp-city-label"') == 3
    # nothing loaded from the network: no script, stylesheet or image from outside the page
    # (Leaflet's attribution is a plain link to leafletjs.com, not a request)
    for html_page in (page, offline):
        assert "<link " not in html_page
        for external in ("http://", "https://", "//cdn"):
            assert f'src="{external}' not in html_page and f"url({external}" not in html_page
    assert 'href="http' not in offline


def test_indicator_layer_reads_flags_and_units():
    panel = pd.DataFrame(
        {
            "region": ["KZ-35", "KZ-71"],
            "year": 2024,
            "indicator": "grp",
            "sector": "TOTAL",
            "value": [10.0, 20.0],
            "unit": "million KZT, current prices",
            "flag": ["preliminary", ""],
        }
    )
    layer = indicator_layer(panel, "grp", year=2024, k=2)
    assert layer.name == "Gross regional product, 2024"
    assert layer.unit == "million KZT, current prices"
    assert layer.flagged()["KZ-35"] and not layer.flagged()["KZ-71"]
    assert layer.values.isna().sum() == 18  # the other 18 regions are missing, not dropped


def test_admin_centres_lie_inside_their_regions():
    import geopandas as gpd

    from terraplan.territory.boundaries import boundaries

    full = boundaries(resolution="full").set_index("code")
    table = admin_centres()
    assert sorted(table["code"]) == CODES
    points = gpd.GeoSeries(gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326")
    inside = [
        full.geometry[code].contains(point)
        for code, point in zip(table["code"], points, strict=True)
    ]
    assert all(inside), table.loc[[not i for i in inside], "code"].tolist()


def test_regions_missing_from_a_layer_are_drawn_as_missing(geo):
    layer = MapLayer.numeric("two regions", pd.Series({"KZ-71": 1.0, "KZ-75": 2.0}), k=2)
    features = folium_features(interactive_map([layer], boundaries=geo, centres=False))
    offline = offline_regions(interactive_map([layer], boundaries=geo, offline=True))
    for found in (features, offline):
        assert sorted(found) == CODES
        assert found["KZ-35"]["cls"] == -1 and found["KZ-75"]["cls"] == 1
