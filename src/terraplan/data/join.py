"""Join statistics to region boundaries, with a report that accounts for every row and region.

Example
-------
>>> import pandas as pd
>>> from terraplan.data.join import join
>>> data = pd.DataFrame({"region": ["Karaganda", "г.Астана", "Atlantis"], "value": [1.0, 2.0, 3.0]})
>>> gdf, report = join(data, report=True)
>>> report.rows_matched, report.rows_unmatched, len(report.regions_without_data)
(2, 1, 18)
>>> len(gdf)  # every region of the layout, with NaN where there is no data
20
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from terraplan.errors import InputError, RegionMatchError
from terraplan.territory.names import PROBLEM_STATUSES, match_regions
from terraplan.territory.registry import CURRENT_LAYOUT, layout_regions, regions

if TYPE_CHECKING:
    import geopandas


@dataclass
class JoinReport:
    """What a join did with every data row and every region of the layout."""

    layout: str
    rows_total: int
    rows_matched: int
    unmatched: pd.DataFrame  # row, input, status, suggestions, note
    regions_without_data: list[str]
    methods: dict[str, int]
    outside_layout: list[str]
    #: every fuzzy match (row, input, code, name_en, score), so a typo is seen
    fuzzy: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["row", "input", "code", "name_en", "score"])
    )

    @property
    def rows_unmatched(self) -> int:
        """Data rows that found no region of the layout (they are not in the result)."""
        return len(self.unmatched)

    @property
    def ok(self) -> bool:
        """True when every data row found its region."""
        return self.rows_unmatched == 0

    def summary(self) -> str:
        """A readable account of the join, one fact per line."""
        lines = [
            f"join to {self.layout}: {self.rows_matched} of {self.rows_total} data rows matched",
            "  matched by: " + ", ".join(f"{k} {v}" for k, v in sorted(self.methods.items())),
        ]
        if self.rows_unmatched:
            lines.append(f"  {self.rows_unmatched} rows NOT joined (listed below)")
            for row in self.unmatched.itertuples(index=False):
                hint = f"; did you mean: {row.suggestions}" if row.suggestions else ""
                lines.append(f"    row {row.row}: {row.input!r} {row.status}{hint}")
        for row in self.fuzzy.itertuples(index=False):
            lines.append(
                f"  fuzzy match: row {row.row}: {row.input!r} -> {row.code} {row.name_en}, "
                f"score {row.score:.3f}"
            )
        if self.regions_without_data:
            lines.append(
                f"  {len(self.regions_without_data)} regions without data: "
                + ", ".join(self.regions_without_data)
            )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (for JSON and ``attrs``)."""
        return {
            "layout": self.layout,
            "rows_total": self.rows_total,
            "rows_matched": self.rows_matched,
            "rows_unmatched": self.rows_unmatched,
            "unmatched": self.unmatched.to_dict(orient="records"),
            "regions_without_data": list(self.regions_without_data),
            "methods": dict(self.methods),
            "fuzzy": self.fuzzy.to_dict(orient="records"),
        }

    def __repr__(self) -> str:
        return f"<JoinReport {self.rows_matched}/{self.rows_total} rows matched>"

    def _repr_html_(self) -> str:
        """The summary and the rows not joined (Jupyter); every value escaped."""
        import html

        out = f"<pre>{html.escape(self.summary())}</pre>"
        if self.rows_unmatched:
            out += self.unmatched.to_html(index=False, escape=True)
        return out


def join(
    data: pd.DataFrame,
    layout: str = CURRENT_LAYOUT,
    *,
    region_column: str = "region",
    boundaries: geopandas.GeoDataFrame | None = None,
    resolution: str = "full",
    aliases: dict[str, str] | None = None,
    strict: bool = False,
    report: bool = False,
) -> geopandas.GeoDataFrame | tuple[geopandas.GeoDataFrame, JoinReport]:
    """Attach region polygons to a table whose ``region_column`` names regions in any spelling.

    Every region of ``layout`` appears in the result (with missing values where the data have
    none), so a map shows the gaps; data rows whose name matches no region of the layout are
    left out of the result and listed in the :class:`JoinReport` with suggestions. Rows of a
    long table (several years or indicators per region) each get their region's polygon.

    Parameters
    ----------
    data
        A table with a column of region names or codes.
    layout
        ``KZ-2022`` (20 units), ``KZ-2018`` or ``KZ-1997``.
    boundaries
        Polygons to join to, with a ``code`` column; the bundled ones by default.
    strict
        Raise :class:`RegionMatchError` listing every unmatched row instead of reporting it.
    report
        Return ``(gdf, JoinReport)`` instead of the GeoDataFrame alone (the report is also
        kept, as plain data, in ``gdf.attrs["join_report"]``).
    """
    import geopandas as gpd

    if region_column not in data.columns:
        raise InputError(
            f"the data have no column {region_column!r} (columns: {list(data.columns)}); "
            "pass region_column= naming the column that holds region names or codes"
        )
    match = match_regions(data[region_column].tolist(), layout=layout, aliases=aliases)
    table = match.table
    ok = ~table["status"].isin(PROBLEM_STATUSES) & table["code"].notna()
    ok &= table["code"].isin(layout_regions(layout)).to_numpy()
    bad = table[~ok]
    unmatched = pd.DataFrame(
        {
            "row": (bad.index + 1).to_list(),
            "input": bad["input"].astype(str).to_list(),
            "status": bad["status"]
            .where(bad["status"].isin(PROBLEM_STATUSES), "outside_layout")
            .to_list(),
            "suggestions": bad["suggestions"].to_list(),
            "note": bad["note"].to_list(),
        }
    )
    if strict and len(unmatched):
        raise RegionMatchError(
            [
                f"row {r.row}: {r.input!r} {r.status}; {r.suggestions}"
                for r in unmatched.itertuples()
            ],
            context=f"join to {layout}",
        )
    if boundaries is None:
        from terraplan.territory.boundaries import boundaries as load_boundaries

        boundaries = load_boundaries(layout=layout, resolution=resolution)
    if "code" not in boundaries.columns:
        raise InputError("the boundaries have no 'code' column holding region codes")

    joined_data = data.loc[ok.to_numpy()].copy()
    joined_data.insert(0, "code", table.loc[ok, "code"].to_numpy())
    if region_column == "code":
        joined_data = joined_data.loc[:, ~joined_data.columns.duplicated()]
    shapes = boundaries[["code", "geometry"]]
    names = regions(layout)[["name_en"]].rename_axis("code").reset_index()
    merged = shapes.merge(names, on="code", how="left").merge(joined_data, on="code", how="left")
    merged = merged.sort_values("code", kind="mergesort").reset_index(drop=True)
    columns = ["code", "name_en", *[c for c in merged.columns if c not in ("code", "name_en")]]
    gdf = gpd.GeoDataFrame(merged[columns], geometry="geometry", crs=boundaries.crs)
    with_data = set(joined_data["code"])
    missing = sorted(set(layout_regions(layout)) - with_data)
    result = JoinReport(
        layout=layout,
        rows_total=len(data),
        rows_matched=int(ok.sum()),
        unmatched=unmatched,
        regions_without_data=missing,
        methods=table.loc[ok, "method"].value_counts().sort_index().to_dict(),
        outside_layout=sorted(
            set(table.loc[table["status"] == "outside_layout", "input"].astype(str))
        ),
        fuzzy=match.fuzzy,
    )
    gdf.attrs["join_report"] = result.as_dict()
    return (gdf, result) if report else gdf
