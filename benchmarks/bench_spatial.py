"""Scale benchmark of the spatial block (run by hand, not by the test suite).

Square grids of 15x15, 30x30 and 50x50 unit boxes (225, 900, 2,500 units) carry four features:
smooth spatial fields (sums of sines of the cell position) plus seeded Gaussian noise, so that
there is structure to find. For each grid the script times:

* queen weights from the polygons (``spatial_weights``);
* a k-means typology with k = 5 and 20 stability refits (``Typology``);
* global Moran's I and LISA with 999 permutations (``moran``, ``lisa``);
* regionalization into 10 groups: terraplan's SKATER, Ward with contiguity, and spopt's
  ``Skater`` beside them, once with its defaults (Manhattan dissimilarity) and once with squared
  Euclidean dissimilarity, the objective terraplan's SKATER optimizes; the within-group sum of
  squares (SSD) of both is printed, so the quality can be compared as well as the time.

Usage::

    nice python benchmarks/bench_spatial.py                      # all sizes, with spopt
    python benchmarks/bench_spatial.py --sides 15 30 --no-spopt  # quicker

The machine may be shared: run it with ``nice`` and read the times as upper bounds.
"""

from __future__ import annotations

import argparse
import time
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from terraplan.analysis.features import standardize
from terraplan.analysis.regionalize import regionalize
from terraplan.analysis.spatial import lisa, moran
from terraplan.analysis.typology import Typology
from terraplan.territory.weights import spatial_weights


def synthetic_grid(side: int, seed: int = 0) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Boxes and features with spatial structure (smooth fields) and seeded noise."""
    r, c = np.divmod(np.arange(side * side), side)
    codes = [f"u{i:05d}" for i in range(side * side)]
    geo = gpd.GeoDataFrame(
        {"code": codes}, geometry=[box(x, y, x + 1, y + 1) for y, x in zip(r, c, strict=True)]
    )
    rng = np.random.default_rng(seed)
    u, v = r / side, c / side
    fields = np.column_stack(
        [
            np.sin(3 * u) + np.cos(2 * v),
            np.sin(5 * v) * np.cos(u),
            u * v,
            np.cos(4 * (u - v)),
        ]
    )
    features = pd.DataFrame(
        fields + rng.normal(scale=0.2, size=fields.shape),
        index=codes,
        columns=["f1", "f2", "f3", "f4"],
    )
    return geo, features


def ssd(X: np.ndarray, labels: np.ndarray) -> float:
    frame = pd.DataFrame(X)
    centred = X - frame.groupby(labels).transform("mean").to_numpy()
    return float((centred**2).sum())


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run(side: int, with_spopt: bool) -> dict:
    geo, features = synthetic_grid(side)
    n = side * side
    row: dict = {"units": n}
    w, row["weights_s"] = timed(lambda: spatial_weights(geo, "queen"))
    _, row["typology_s"] = timed(lambda: Typology("kmeans", k=5, n_stability=20).fit(features))
    values = features["f1"].rename("f1")
    glob, row["moran_s"] = timed(lambda: moran(values, w, permutations=999))
    row["moran_I"] = round(float(glob["I"].iloc[0]), 3)
    _, row["lisa_s"] = timed(lambda: lisa(values, w, permutations=999))
    X = standardize(features).to_numpy()
    sk, row["skater_s"] = timed(lambda: regionalize(features, geo, method="skater", n_regions=10))
    row["skater_ssd"] = round(ssd(X, sk.labels_.to_numpy()), 2)
    row["skater_contiguous"] = bool(sk.summary_["all_contiguous"].iloc[0])
    wd, row["ward_s"] = timed(lambda: regionalize(features, geo, method="ward", n_regions=10))
    row["ward_ssd"] = round(ssd(X, wd.labels_.to_numpy()), 2)
    if with_spopt:
        from libpysal.weights import W
        from sklearn.metrics import pairwise as skm
        from spopt.region import Skater

        frame = pd.DataFrame(X, columns=features.columns)
        positions = {code: i for i, code in enumerate(w.id_order)}
        w_int = W(
            {positions[a]: [positions[b] for b in nb] for a, nb in w.neighbors.items()},
            silence_warnings=True,
        )
        for label, kwds in [
            ("spopt_default", {}),
            (
                "spopt_sqeuclid",
                {"dissimilarity": lambda a, b=None: skm.euclidean_distances(a, b, squared=True)},
            ),
        ]:
            model = Skater(
                frame, w_int, list(features.columns), n_clusters=10, spanning_forest_kwds=kwds
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _, row[f"{label}_s"] = timed(model.solve)
            row[f"{label}_ssd"] = round(ssd(X, np.asarray(model.labels_)), 2)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sides", type=int, nargs="+", default=[15, 30, 50])
    parser.add_argument("--no-spopt", action="store_true", help="skip spopt's Skater")
    args = parser.parse_args()
    rows = []
    for side in args.sides:
        rows.append(run(side, not args.no_spopt))
        print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    seconds = [c for c in table.columns if c.endswith("_s")]
    table[seconds] = table[seconds].round(2)
    print()
    print(table.T.to_string(header=False))


if __name__ == "__main__":
    main()
