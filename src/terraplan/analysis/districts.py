"""District-level analysis: features of the 224 districts, macro-zones with a population floor.

The region-level tools work on any polygons with a ``code`` column and any weights, so at the
district level they take :func:`~terraplan.territory.districts.district_boundaries` and
:func:`~terraplan.territory.districts.district_weights`: ``moran``/``lisa`` (values indexed by
KATO), :class:`~terraplan.analysis.typology.Typology`, ``regionalize``, ``zonal_stats(raster,
district_boundaries())``. This module adds what is specific to districts: a feature table from
the bundled district data, and macro-zones (contiguous groups of districts, each with at least
a minimum population).

Example
-------
>>> from terraplan.analysis.districts import district_features
>>> features = district_features()
>>> features.shape, list(features.columns)
((219, 4), ['log_density', 'urban_share', 'women_share', 'log_population'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from terraplan.errors import InputError

if TYPE_CHECKING:
    from terraplan.analysis.regionalize import _Regionalizer

__all__ = ["district_features", "macro_zones"]


def district_features(panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per district with data (index ``region``, the KATO code), four features.

    ``log_density`` (log10 persons per km²), ``urban_share`` (%), ``women_share`` (% of the
    population), ``log_population`` (log10 persons), from the bundled 1 January 2023 bulletin
    (``panel`` defaults to :func:`terraplan.data.districts.district_panel`). The five districts
    created after that date have no row; districts flagged ``borders_before_split`` are listed
    in ``attrs["flagged"]``.

    >>> f = district_features()
    >>> float(f.loc["751110000", "log_density"]) > 4  # Almaly, Almaty: over 10,000 per km²
    True
    """
    from terraplan.data.districts import district_panel

    needed = ["population_jan1", "population_jan1_women", "population_density", "urban_share"]
    panel = district_panel(needed) if panel is None else panel
    missing = [i for i in needed if i not in set(panel["indicator"])]
    if missing:
        raise InputError(f"the district panel lacks {missing}; use district_panel()")
    wide = panel[panel["indicator"].isin(needed)].pivot_table(
        index="region", columns="indicator", values="value", aggfunc="first"
    )
    wide = wide.dropna()
    out = pd.DataFrame(
        {
            "log_density": np.log10(wide["population_density"]),
            "urban_share": wide["urban_share"],
            "women_share": wide["population_jan1_women"] / wide["population_jan1"] * 100,
            "log_population": np.log10(wide["population_jan1"]),
        },
        index=wide.index.rename("region"),
    ).sort_index()
    flags = panel[panel["indicator"] == "population_jan1"].set_index("region")["flag"]
    out.attrs = {
        "source": "district panel, 1 January 2023",
        "flagged": sorted(flags.index[flags.str.contains("borders_before_split")]),
    }
    return out


def macro_zones(
    n_zones: int = 8,
    *,
    min_population: float = 500_000,
    features: pd.DataFrame | None = None,
    method: str = "skater",
    region: str | None = None,
) -> _Regionalizer:
    """Contiguous macro-zones of districts, each with at least ``min_population`` people.

    Districts are grouped on their (standardized) ``features`` (default
    :func:`district_features`) with queen contiguity; the floor uses the population on
    1 January 2023. ``region`` limits the zoning to one region's districts. Returns the fitted
    regionalizer (``labels_``, ``summary_``, ``to_frame()``).

    >>> zones = macro_zones(6, min_population=1_000_000)
    >>> int(zones.summary_["n_groups"].iloc[0]), bool(zones.summary_["all_contiguous"].iloc[0])
    (6, True)
    """
    from terraplan.analysis.regionalize import regionalize
    from terraplan.data.districts import district_panel
    from terraplan.territory.districts import district_boundaries, district_weights

    features = district_features() if features is None else features
    geo = district_boundaries(region=region)
    keep = features.index.intersection(geo["code"])
    if region is not None:
        features = features.loc[keep]
    w = district_weights(region=region, transform="b")
    # districts without data (created after the bulletin) leave the graph, and so do those
    # left without a neighbour (Semey city, an enclave of the new Zharasemey district)
    keep = set(features.index) & set(w.id_order)
    while lonely := {c for c in keep if not keep.intersection(w.neighbors[c])}:
        keep -= lonely
    dropped = sorted(set(w.id_order) - keep)
    if dropped:
        import warnings

        from libpysal.weights import W

        warnings.warn(
            f"left out of the macro-zones (no data, or no neighbour with data): {dropped}",
            UserWarning,
            stacklevel=2,
        )
        kept = [c for c in w.id_order if c in keep]
        w = W({c: [n for n in w.neighbors[c] if n in keep] for c in kept}, silence_warnings=True)
    population = district_panel("population_jan1").set_index("region")["value"]
    return regionalize(
        features.loc[list(w.id_order)],
        geo[geo["code"].isin(w.id_order)],
        method=method,
        n_regions=n_zones,
        floor=min_population,
        floor_values=population.reindex(w.id_order),
        w=w,
    )
