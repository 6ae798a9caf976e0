"""CLI commands of the spatial block: typology, lisa, regionalize, peers.

They run on the bundled Kazakhstan panel and the KZ-2022 boundaries, with the default feature
set of :func:`terraplan.analysis.features.kazakhstan_features` (log GRP and investment per
capita, unemployment rate, GVA shares of A, B, C, F, G, H, O). A summary line goes to stderr,
the table to stdout.
"""

from __future__ import annotations

from enum import StrEnum

import typer

from terraplan.cli.app import app
from terraplan.cli.output import TableFormat, render


class TypologyMethod(StrEnum):
    kmeans = "kmeans"
    ward = "ward"
    gmm = "gmm"


class RegionMethod(StrEnum):
    skater = "skater"
    maxp = "maxp"
    ward = "ward"


class TypologyView(StrEnum):
    regions = "regions"
    profile = "profile"
    scores = "scores"


class RegionView(StrEnum):
    regions = "regions"
    quality = "quality"


def _panel_and_year(year: int | None):
    """The bundled panel and the year to use (default: latest year whose GRP is final)."""
    from terraplan.datasets import kazakhstan

    panel = kazakhstan.panel()
    if year is None:
        grp = panel[(panel["indicator"] == "grp") & ~panel["flag"].str.contains("preliminary")]
        year = int(grp["year"].max())
    return panel, year


def _features(year: int | None):
    from terraplan.analysis.features import kazakhstan_features

    panel, year = _panel_and_year(year)
    return kazakhstan_features(panel, year=year), panel, year


def _with_names(frame):
    from terraplan.territory.registry import display_name

    frame = frame.copy()
    frame.insert(1, "name", [display_name(c) for c in frame["region"]])
    return frame


_YEAR = typer.Option(None, help="Year of the data (default: latest year with final GRP).")
_FORMAT = typer.Option(TableFormat.table, "--format", "-f", help="Output format.")
_SEED = typer.Option(0, "--seed", help="Random seed (same seed, same result).")


@app.command("typology")
def typology_command(
    year: int | None = _YEAR,
    k: str = typer.Option("auto", "--k", help="Number of types, or 'auto' (best silhouette)."),
    method: TypologyMethod = typer.Option(TypologyMethod.kmeans, help="Clustering method."),
    show: TypologyView = typer.Option(
        TypologyView.regions, help="regions (type of each region), profile or scores."
    ),
    seed: int = _SEED,
    fmt: TableFormat = _FORMAT,
) -> None:
    """Group the regions into types on their economic structure.

    Example: terraplan typology --year 2023 --k auto --method ward --show profile
    """
    from terraplan.analysis.typology import Typology
    from terraplan.errors import InputError

    if k != "auto" and not k.isdigit():
        raise InputError(f"--k {k!r} must be 'auto' or a whole number such as 4.")
    features, _, year = _features(year)
    model = Typology(
        method=method.value, k="auto" if k == "auto" else int(k), random_state=seed
    ).fit(features)
    chosen = model.scores_[model.scores_["chosen"]].iloc[0]
    typer.echo(
        f"{year}: {model.k_} types ({method.value}), silhouette {chosen['silhouette']:.3f}, "
        f"stability (mean ARI over {model.n_stability} subsamples) {model.stability_:.2f}",
        err=True,
    )
    if show is TypologyView.profile:
        table = model.describe()
    elif show is TypologyView.scores:
        table = model.scores_
    else:
        table = _with_names(model.to_frame())
    typer.echo(render(table, fmt), nl=False)


@app.command("lisa")
def lisa_command(
    indicator: str = typer.Argument(
        ..., help="Indicator id, e.g. grp (see kazakhstan.indicators())."
    ),
    year: int | None = _YEAR,
    per_capita: bool = typer.Option(False, "--per-capita", help="Divide by population first."),
    permutations: int = typer.Option(999, help="Number of permutations."),
    alpha: float = typer.Option(0.05, help="Significance level."),
    fdr: bool = typer.Option(False, "--fdr", help="Benjamini-Hochberg correction."),
    seed: int = _SEED,
    fmt: TableFormat = _FORMAT,
) -> None:
    """Local Moran (LISA) clusters of INDICATOR on queen contiguity, with global Moran's I.

    Example: terraplan lisa grp --per-capita --year 2023 --format csv
    """
    from terraplan.analysis.features import region_features
    from terraplan.analysis.spatial import lisa, moran

    panel, year = _panel_and_year(year)
    if per_capita:
        values = region_features(panel, year=year, per_capita=[indicator])
    else:
        values = region_features(panel, year=year, indicators=[indicator])
    series = values.iloc[:, 0]
    glob = moran(series, permutations=permutations, seed=seed)
    typer.echo(
        f"{year} {series.name}: Moran's I {glob['I'].iloc[0]:.3f} "
        f"(expected {glob['expected_I'].iloc[0]:.3f}, pseudo p {glob['p_sim'].iloc[0]:.3f}, "
        f"{permutations} permutations, seed {seed})",
        err=True,
    )
    table = lisa(series, permutations=permutations, seed=seed, alpha=alpha, fdr=fdr)
    typer.echo(render(_with_names(table), fmt), nl=False)


@app.command("regionalize")
def regionalize_command(
    method: RegionMethod = typer.Option(RegionMethod.skater, help="skater, maxp or ward."),
    year: int | None = _YEAR,
    n_regions: int = typer.Option(5, "--n-regions", "-k", help="Groups (skater, ward)."),
    min_population: float | None = typer.Option(
        None, "--min-population", help="Floor: minimum population per group (skater, maxp)."
    ),
    show: RegionView = typer.Option(RegionView.regions, help="regions or quality."),
    seed: int = _SEED,
    fmt: TableFormat = _FORMAT,
) -> None:
    """Draw contiguous macro-regions of similar regions.

    Example: terraplan regionalize --method maxp --min-population 2000000 --show quality
    """
    from terraplan.analysis.features import region_features
    from terraplan.analysis.regionalize import regionalize

    features, panel, year = _features(year)
    pop = None
    if min_population is not None:
        pop = region_features(panel, year=year, indicators=["population"])["population"]
    model = regionalize(
        features,
        method=method.value,
        n_regions=n_regions,
        floor=min_population,
        floor_values=pop,
        random_state=seed,
    )
    s = model.summary_.iloc[0]
    typer.echo(
        f"{year}: {s['n_groups']} groups ({method.value}), explained {s['explained']:.2f}, "
        f"silhouette {s['silhouette']:.3f}, all contiguous: {s['all_contiguous']}",
        err=True,
    )
    table = model.quality_ if show is RegionView.quality else _with_names(model.to_frame())
    typer.echo(render(table, fmt), nl=False)


@app.command("peers")
def peers_command(
    region: str = typer.Argument(..., help="Region code or name, e.g. KZ-35 or Karaganda."),
    year: int | None = _YEAR,
    k: int = typer.Option(5, "--k", help="Number of peers."),
    fmt: TableFormat = _FORMAT,
) -> None:
    """The regions most similar to REGION on economic structure.

    Example: terraplan peers Karaganda --k 3 --format json
    """
    from terraplan.analysis.peers import peers
    from terraplan.territory.names import match_regions

    code = match_regions([region], layout="KZ-2022")
    code.raise_for_problems()
    features, _, year = _features(year)
    table = peers(features, code.codes.iloc[0], k=k)
    typer.echo(f"{year}: peers of {code.codes.iloc[0]} on {features.shape[1]} features", err=True)
    typer.echo(render(table, fmt), nl=False)
