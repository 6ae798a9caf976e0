"""Benchmark of the district level (run by hand, not by the test suite).

* SKATER macro-zones on the 224 districts (8 zones, each with at least 500,000 people;
  ``terraplan.analysis.districts.macro_zones``), and SKATER on a 100 x 100 grid of 10,000
  units (rook adjacency, four smooth spatial fields plus seeded noise, 20 groups with a floor
  of 200 units each; ``terraplan.analysis.skater.skater``);
* queen weights of the 224 full-resolution districts, LISA of log density (999 permutations);
* sizes of the district maps (national with 3 layers, with the LISA layer, one region zoomed,
  offline), against the 1.5 MB budget of the 3-layer national map.

Usage: ``nice python benchmarks/bench_districts.py``.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from scipy import sparse


def grid_adjacency(side: int) -> sparse.csr_matrix:
    """Rook adjacency of a side x side grid."""
    n = side * side
    idx = np.arange(n).reshape(side, side)
    right = np.column_stack([idx[:, :-1].ravel(), idx[:, 1:].ravel()])
    down = np.column_stack([idx[:-1, :].ravel(), idx[1:, :].ravel()])
    pairs = np.vstack([right, down])
    data = np.ones(len(pairs))
    a = sparse.coo_matrix((data, (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return (a + a.T).tocsr()


def timed(label: str, func):
    start = time.perf_counter()
    out = func()
    print(f"{label:58s} {time.perf_counter() - start:7.2f} s")
    return out


def main() -> None:
    from terraplan.analysis.districts import district_features, macro_zones
    from terraplan.analysis.skater import skater
    from terraplan.analysis.spatial import lisa
    from terraplan.data.districts import district_panel
    from terraplan.report.district_maps import district_layers, district_lisa_layer, district_map
    from terraplan.territory.districts import district_boundaries, district_weights
    from terraplan.territory.weights import spatial_weights

    warnings.simplefilter("ignore", UserWarning)
    district_features()  # warm the caches (features, polygons, contiguity)
    timed("first district weights (queen graph of the full polygons)", lambda: district_weights())
    zones = timed("SKATER, 224 districts, 8 zones, floor 500,000 people",
                  lambda: macro_zones(8, min_population=500_000))  # fmt: skip
    print("   ", zones.summary_.to_dict("records")[0])
    side = 100
    r, c = np.divmod(np.arange(side * side), side)
    u, v = r / side, c / side
    rng = np.random.default_rng(0)
    X = np.column_stack([np.sin(3 * u) + np.cos(2 * v), np.sin(5 * v), u * v, np.cos(4 * u)])
    X = X + rng.normal(0, 0.1, X.shape)
    adjacency = grid_adjacency(side)
    labels = timed("SKATER, 10,000-unit grid, 20 groups, floor 200 units",
                   lambda: skater(X, adjacency, 20, floor=200))  # fmt: skip
    print("    groups:", len(set(labels)), " smallest:", np.bincount(labels).min())
    geo = district_boundaries()
    timed("queen weights, 224 districts (full resolution)", lambda: spatial_weights(geo))
    density = np.log10(district_panel("population_density").set_index("region")["value"])
    w = district_weights()
    timed("LISA of log density, 999 permutations", lambda: lisa(density, w, permutations=999))
    layers = district_layers()
    lisa_layer = district_lisa_layer()
    sizes = {
        "national, 3 layers (density, urban share, population)": district_map(layers),
        "national, 4 layers (+ LISA)": district_map([*layers, lisa_layer]),
        "national, 3 layers, offline (SVG)": district_map(layers, offline=True),
        "Karaganda Region zoomed, 3 layers": district_map(layers, region="KZ-35"),
    }
    for label, page in sizes.items():
        print(f"{label:58s} {len(page.encode('utf-8')) / 1e6:7.3f} MB")


if __name__ == "__main__":
    main()
