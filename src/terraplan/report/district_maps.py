"""District maps: all 224 districts of Kazakhstan, or one region's districts zoomed in.

The districts are drawn from the simplified bundled polygons, the region borders on top of
them (the dissolve of the same simplified districts, so borders coincide), with district
names and type words in the reader's language in the tooltips, and the CC BY 4.0 credit of
the boundaries.

Example
-------
>>> from terraplan.report.district_maps import district_layers, district_map
>>> page = district_map(district_layers(["urban_share"]), region="KZ-75", offline=True)
>>> page.startswith("<!DOCTYPE html>"), "751110000" in page, "geokz" in page
(True, True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from terraplan.report.i18n import check_language, text

if TYPE_CHECKING:
    import geopandas as gpd

    from terraplan.report.maps import MapLayer

__all__ = ["district_layers", "district_lisa_layer", "district_map", "district_shapes"]

# the conventional LISA colours, as in terraplan.report.build
_LISA_COLORS = {
    "High-High": "#d7191c",
    "Low-Low": "#2c7bb6",
    "High-Low": "#fdae61",
    "Low-High": "#abd9e9",
    "Not significant": "#eeeeee",
}


def district_shapes(
    region: str | None = None, lang: str = "en", layout: str = "KZ-2024-D"
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Simplified district polygons (names with type words in ``lang``) and region outlines.

    >>> districts, regions = district_shapes()
    >>> len(districts), len(regions)
    (224, 20)
    """
    import geopandas as gpd
    import shapely

    from terraplan.territory.districts import district_boundaries, district_labels

    check_language(lang)
    gdf = district_boundaries(layout, "simplified", region=region)
    gdf[f"name_{lang}"] = district_labels(gdf["code"], lang, layout).to_numpy()
    groups = gdf.groupby("region", sort=True)
    outlines = gpd.GeoDataFrame(
        {"code": list(groups.groups)},
        geometry=[shapely.coverage_union_all(g.geometry.to_numpy()) for _, g in groups],
        crs=gdf.crs,
    )
    return gdf, outlines


def district_layers(
    indicators: Sequence[str] = ("population_density", "urban_share", "population_jan1"),
    *,
    lang: str = "en",
    k: int = 5,
) -> list[MapLayer]:
    """Choropleth layers of bundled district indicators (quantile classes, flags shown).

    >>> [layer.name for layer in district_layers(["urban_share"])]
    ['Urban share of population, 2023']
    """
    from terraplan.data.districts import district_catalog, district_panel
    from terraplan.report.maps import MapLayer

    check_language(lang)
    catalog = district_catalog()
    panel = district_panel(list(indicators))
    layers = []
    for indicator in indicators:
        rows = panel[panel["indicator"] == indicator].set_index("region")
        year = int(rows["year"].max())
        layers.append(
            MapLayer.numeric(
                f"{catalog.loc[indicator, f'name_{lang}']}, {year}",
                rows["value"],
                unit=catalog.loc[indicator, "unit"],
                k=k,
                flags=rows["flag"],
                note=catalog.loc[indicator, "caveats"],
                lang=lang,
            )
        )
    return layers


def district_lisa_layer(
    indicator: str = "population_density",
    *,
    lang: str = "en",
    log: bool = True,
    permutations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
) -> MapLayer:
    """LISA clusters of a district indicator on queen contiguity (log10 of it by default).

    Districts without a value, or with no neighbour that has one, are drawn as missing.

    >>> layer = district_lisa_layer(permutations=99)
    >>> {"High-High", "Low-Low"} <= set(layer.values.dropna())
    True
    """
    import warnings

    import numpy as np

    from terraplan.analysis.spatial import lisa
    from terraplan.data.districts import district_catalog, district_panel
    from terraplan.report.maps import MapLayer
    from terraplan.territory.districts import district_weights

    check_language(lang)
    values = district_panel(indicator).set_index("region")["value"]
    if log:
        values = np.log10(values.where(values > 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # excluded districts are drawn missing
        table = lisa(values, district_weights(), permutations=permutations, seed=seed, alpha=alpha)
    name = district_catalog().loc[indicator, f"name_{lang}"]
    labels = table.set_index("region")["label"]
    order = [c for c in _LISA_COLORS if c in set(labels)]
    return MapLayer.categorical(
        text("district_lisa", lang, indicator=name),
        labels,
        categories=order,
        colors=_LISA_COLORS,
        note=f"local Moran{' of log10' if log else ''}, {permutations} permutations, p < {alpha}",
        lang=lang,
    )


def district_map(
    layers: Sequence[MapLayer],
    *,
    region: str | None = None,
    lang: str = "en",
    title: str = "",
    offline: bool = False,
    tiles: str | None = "OpenStreetMap",
    layout: str = "KZ-2024-D",
) -> str:
    """Render district ``layers`` nationally, or zoomed on ``region``'s districts.

    ``layers`` hold values by KATO code (see :func:`district_layers`); districts a layer lacks
    are drawn as missing. Region borders are drawn on top. Coordinates are rounded to 0.01
    degree on the national map and 0.001 on a region's. Returns the HTML text.
    """
    from terraplan.report.maps import interactive_map
    from terraplan.territory.names import get_region

    gdf, outlines = district_shapes(region, lang, layout)
    codes = set(gdf["code"])
    layers = [_restricted(layer, codes) for layer in layers]
    if not title:
        if region is None:
            title = text("districts_title", lang)
        else:
            name = get_region(str(gdf["region"].iloc[0])).name(lang)
            title = text("districts_of", lang, region=name)
    return interactive_map(
        layers,
        boundaries=gdf,
        lang=lang,
        title=title,
        centres=False,
        offline=offline,
        tiles=tiles,
        outlines=outlines,
        # 0.01 degree (about 1 km, under a pixel at the national zoom) keeps the national page
        # of 224 districts within its 1.5 MB budget now that Leaflet is inside the page
        precision=3 if region is not None else 2,
    )


def _restricted(layer: MapLayer, codes: set[str]) -> MapLayer:
    """``layer`` keeping only the districts drawn (a zoomed map shows one region)."""
    import dataclasses

    keep = [c for c in layer.values.index if c in codes]
    if len(keep) == len(layer.values):
        return layer
    classes = layer.classification.classes
    return dataclasses.replace(
        layer,
        values=layer.values.loc[keep],
        classification=dataclasses.replace(
            layer.classification, classes=classes.loc[[c for c in keep if c in classes.index]]
        ),
        flags=None if layer.flags is None else layer.flags.reindex(keep),
    )
