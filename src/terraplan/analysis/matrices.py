"""Region × sector matrices built from the tidy panel, each with its reference universe.

A :class:`SectorMatrix` holds one indicator (for example ``gva``) as a cube of
``years × regions × sectors`` values, plus, for every region, the sector totals of the universe
it is compared with (its *reference*). Every index of :mod:`terraplan.analysis.specialization`,
:mod:`~terraplan.analysis.shiftshare`, :mod:`~terraplan.analysis.portfolio` and
:mod:`~terraplan.analysis.advantages` is computed on such a cube, vectorized over all three axes.

Reference universes (the ``reference`` argument):

* ``"nation"``: the sum of all regions of the panel in that year (stated as
  "nation (sum of regions)");
* ``"national-row"``: the published national row (region ``"KZ"``; load the bundled panel with
  ``include_national=True``);
* ``"neighbours"``: the sum of the region's neighbours (the region itself excluded), from the
  ``neighbours`` mapping (e.g. :func:`terraplan.territory.weights.neighbours`);
* a list of region codes: one group (a peer group or a macro-region) that every region is
  compared with;
* a mapping ``{group name: [codes]}``: every region is compared with the group it belongs to
  (macro-regions).

Sector levels: the Kazakh GVA tables publish sections I, K and M–S only from 2014; 2010–2013
carry their sum as ``OTHER_SERVICES``. ``sector_level="auto"`` refuses to mix the two levels,
``"coarse"`` sums I, K, M–U into ``OTHER_SERVICES`` in every year, ``"fine"`` refuses the
coarse aggregate. Aggregate rows (``TOTAL``, ``IND``, ``GDP``, ``NET_TAXES``, ``FISIM``) are
left out: a region's total is the sum of its sections.

Example
-------
>>> import pandas as pd
>>> from terraplan.analysis.matrices import sector_matrix
>>> panel = pd.DataFrame({
...     "region": ["R1", "R1", "R2", "R2"], "year": 2023, "indicator": "gva",
...     "sector": ["A", "B", "A", "B"], "value": [30.0, 10.0, 20.0, 40.0],
...     "unit": "million KZT", "flag": ""})
>>> m = sector_matrix(panel, 2023)
>>> m.frame(2023).loc["R2"].tolist()
[20.0, 40.0]
>>> m.reference_label
'nation (sum of regions)'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from terraplan.errors import AnalysisError, InputError

#: Sector codes that are sums of sections; they are left out of the matrices.
AGGREGATE_SECTORS = frozenset({"TOTAL", "IND", "GDP", "NET_TAXES", "FISIM"})
#: The coarse services aggregate of the 2010–2013 GVA tables (and of the volume indices).
COARSE_SERVICES = "OTHER_SERVICES"
#: Sections summed into ``OTHER_SERVICES`` at the coarse level (I, K, M–S as published; T and U,
#: which appear only in 2025, are services too).
FINE_SERVICES = ("I", "K", "M", "N", "O", "P", "Q", "R", "S", "T", "U")
#: The national row of a published table.
NATIONAL = "KZ"

#: English names of the OKED (= NACE Rev. 2) sections and of the coarse services aggregate.
SECTOR_NAMES: dict[str, str] = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management",
    "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence; compulsory social security",
    "P": "Education",
    "Q": "Human health and social work activities",
    "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": "Activities of households as employers",
    "U": "Activities of extraterritorial organisations",
    COARSE_SERVICES: "Other services (I, K, M-S)",
}

Reference = str | Sequence[str] | Mapping[str, Sequence[str]]
SectorLevel = Literal["auto", "fine", "coarse"]
Missing = Literal["raise", "zero", "drop"]
Unmatched = Literal["raise", "drop"]

_MAX_LISTED = 8
#: Whole numbers below this (years) are looked up in a table indexed from 0 (no shifted copy).
_DIRECT_TABLE = 100_000


def _listing(items: Sequence[str]) -> str:
    """``a; b; c`` with at most a few items and a count of the rest."""
    shown = "; ".join(items[:_MAX_LISTED])
    rest = len(items) - _MAX_LISTED
    return shown + (f"; and {rest} more" if rest > 0 else "")


@dataclass(frozen=True, eq=False)
class SectorMatrix:
    """Values of one indicator as ``years × regions × sectors``, with each region's reference.

    Attributes
    ----------
    values : ndarray, shape (years, regions, sectors)
        The region's value in each sector (non-negative, no NaN).
    reference : ndarray, shape (years, regions, sectors)
        The sector totals of the universe each region is compared with (may be a read-only
        broadcast view when all regions share one reference).
    years, regions, sectors : tuple
        Labels of the three axes (sorted).
    indicator, unit : str
        What the values are.
    reference_label : str
        The reference universe in words, e.g. ``"nation (sum of regions)"``.
    includes_self : ndarray of bool, shape (regions,)
        Whether each region belongs to its own reference universe (``False`` for neighbours).
    sector_level : str
        ``"fine"`` (sections) or ``"coarse"`` (``OTHER_SERVICES`` for I, K, M–S).
    notes : tuple of str
        Treatments applied while building (dropped sectors or regions, filled cells).

    Example
    -------
    >>> import numpy as np
    >>> m = SectorMatrix.from_arrays(np.array([[[3.0, 1.0], [2.0, 4.0]]]), years=[2023],
    ...                              regions=["R1", "R2"], sectors=["A", "B"])
    >>> m.reference[0, 0].tolist()
    [5.0, 5.0]
    """

    values: np.ndarray
    reference: np.ndarray
    years: tuple[int, ...]
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    indicator: str = "value"
    unit: str = ""
    reference_label: str = "nation (sum of regions)"
    includes_self: np.ndarray = field(default_factory=lambda: np.ones(0, dtype=bool))
    sector_level: str = "fine"
    notes: tuple[str, ...] = ()

    @classmethod
    def from_arrays(
        cls,
        values: np.ndarray,
        *,
        years: Sequence[int],
        regions: Sequence[str],
        sectors: Sequence[str],
        indicator: str = "value",
        unit: str = "",
    ) -> SectorMatrix:
        """Wrap a ``years × regions × sectors`` array; the reference is the sum of regions.

        The values are checked like those of a panel (no NaN, no negative value, no zero total).
        """
        values = np.asarray(values, dtype=float)
        shape = (len(years), len(regions), len(sectors))
        if values.shape != shape:
            raise InputError(f"values have shape {values.shape}; the labels give {shape}")
        _check_values(values, years, regions, sectors)
        reference = np.broadcast_to(values.sum(axis=1, keepdims=True), values.shape)
        matrix = cls(
            values=values,
            reference=reference,
            years=tuple(int(y) for y in years),
            regions=tuple(map(str, regions)),
            sectors=tuple(map(str, sectors)),
            indicator=indicator,
            unit=unit,
            includes_self=np.ones(len(regions), dtype=bool),
        )
        _check_reference(matrix)
        return matrix

    @property
    def attrs(self) -> dict[str, object]:
        """Provenance for result ``attrs``: indicator, unit, years, reference, sector level."""
        return {
            "indicator": self.indicator,
            "unit": self.unit,
            "years": list(self.years),
            "reference": self.reference_label,
            "sector_level": self.sector_level,
            "notes": list(self.notes),
        }

    def year_index(self, year: int) -> int:
        """Position of ``year`` on the year axis (``AnalysisError`` if absent)."""
        try:
            return self.years.index(int(year))
        except ValueError:
            raise AnalysisError(
                f"year {year} is not in this matrix (years {list(self.years)}); "
                "build it with that year included"
            ) from None

    def select_years(self, years: Sequence[int]) -> SectorMatrix:
        """The same matrix restricted to ``years`` (in that order); no copy when unchanged."""
        wanted = tuple(int(y) for y in years)
        if wanted == self.years:
            return self
        idx = [self.year_index(y) for y in wanted]
        ref = self.compact_reference()[idx]
        return replace(
            self,
            values=self.values[idx],
            reference=np.broadcast_to(ref, (len(idx), *self.values.shape[1:])),
            years=wanted,
        )

    def compact_reference(self) -> np.ndarray:
        """The reference as ``years × 1 × sectors`` when every region shares it (a broadcast
        view), else the full cube: arithmetic broadcasts either way, the first is cheaper."""
        ref = self.reference
        if ref.shape[1] > 1 and ref.strides[1] == 0:
            return ref[:, :1, :]
        return ref

    def frame(self, year: int, *, reference: bool = False) -> pd.DataFrame:
        """One year as a wide ``region × sector`` DataFrame (the reference totals if asked)."""
        data = (self.reference if reference else self.values)[self.year_index(year)]
        out = pd.DataFrame(
            np.array(data),
            index=pd.Index(self.regions, name="region"),
            columns=pd.Index(self.sectors, name="sector"),
        )
        out.attrs = {**self.attrs, "year": int(year)}
        return out

    def to_frame(self) -> pd.DataFrame:
        """Long table: ``year, region, sector, value, reference_value``, sorted."""
        columns = {"value": self.values.copy(), "reference_value": np.array(self.reference)}
        return long_frame(self, columns, attrs=self.attrs)


def long_frame(
    matrix: SectorMatrix,
    columns: Mapping[str, np.ndarray],
    *,
    years: Sequence[int] | None = None,
    attrs: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """A long table over the cube: ``year, region, sector`` then ``columns`` (C order).

    ``region`` and ``sector`` are categoricals with sorted categories and the float columns are
    not copied (pass freshly computed arrays), so long tables stay cheap at scale. ``years``
    overrides the year labels (e.g. the end years of annual steps); arrays may have fewer
    leading axes than the cube (a single year: ``regions × sectors``).

    Example
    -------
    >>> m = SectorMatrix.from_arrays(np.ones((1, 2, 2)), years=[2023], regions=["R1", "R2"],
    ...                              sectors=["A", "B"])
    >>> long_frame(m, {"double": 2 * m.values})["double"].tolist()
    [2.0, 2.0, 2.0, 2.0]
    """
    labels = np.asarray(matrix.years if years is None else years, dtype=np.int64)
    n_y = len(labels)
    n_r, n_s = len(matrix.regions), len(matrix.sectors)
    data: dict[str, object] = {
        "year": np.repeat(labels, n_r * n_s),
        "region": _repeated_categories(matrix.regions, (n_y, n_r, n_s), axis=1),
        "sector": _repeated_categories(matrix.sectors, (n_y, n_r, n_s), axis=2),
    }
    size = n_y * n_r * n_s
    for name, column in columns.items():
        flat = np.asarray(column).reshape(-1)
        data[name] = flat if flat.size == size else np.broadcast_to(column, (n_y, n_r, n_s)).ravel()
    out = pd.DataFrame(data, copy=False)
    out.attrs = dict(attrs or {})
    return out


def _repeated_categories(
    labels: Sequence[str], shape: tuple[int, ...], axis: int
) -> pd.Categorical:
    """Categorical of ``labels`` laid along ``axis`` of a C-ordered cube of ``shape``: the codes
    are written once, in the small integer type pandas keeps them in (no conversion copy), and
    are valid by construction (no validation pass)."""
    n = len(labels)
    dtype = np.int8 if n < 127 else np.int16 if n < 32767 else np.int32
    along = [1] * len(shape)
    along[axis] = n
    codes = np.broadcast_to(np.arange(n, dtype=dtype).reshape(along), shape).ravel()
    return pd.Categorical.from_codes(codes, categories=list(labels), validate=False)


def _check_values(values: np.ndarray, years, regions, sectors) -> None:
    """Refuse NaN, negative values and zero region totals, naming every cell."""
    problems: list[str] = []
    is_nan = np.isnan(values)
    nan = np.argwhere(is_nan) if is_nan.any() else ()
    if len(nan):
        cells = [f"{regions[r]} {years[y]} {sectors[s]}" for y, r, s in nan[: _MAX_LISTED + 1]]
        problems.append(f"{len(nan)} missing value(s): {_listing(cells)}")
    below = values < 0
    negative = np.argwhere(below) if below.any() else ()
    if len(negative):
        cells = [
            f"{regions[r]} {years[y]} {sectors[s]} = {values[y, r, s]:g}"
            for y, r, s in negative[: _MAX_LISTED + 1]
        ]
        problems.append(
            f"{len(negative)} negative value(s), for which shares and quotients are not "
            f"defined: {_listing(cells)}; drop these sectors (sectors=...) or correct the data"
        )
    if not problems:
        zero = np.argwhere(values.sum(axis=2) == 0)
        if len(zero):
            cells = [f"{regions[r]} {years[y]}" for y, r in zero[: _MAX_LISTED + 1]]
            problems.append(
                f"{len(zero)} region-year(s) with a zero total over all sectors: "
                f"{_listing(cells)}; leave these regions out (regions=...)"
            )
    if problems:
        raise AnalysisError(
            "cannot build the region × sector matrix:\n  - " + "\n  - ".join(problems)
        )


def _check_reference(matrix: SectorMatrix) -> None:
    """Refuse reference universes with a zero sector total (LQ and growth would be undefined)."""
    compact = matrix.compact_reference()  # one row per year when every region shares it
    if not ((compact == 0).any() or (compact.sum(axis=2) == 0).any()):
        return
    ref = matrix.reference
    zero_total = np.argwhere(ref.sum(axis=2) == 0)
    zero_cells = np.argwhere(ref == 0)
    if len(zero_cells) == 0 and len(zero_total) == 0:
        return
    cells = [
        f"{matrix.regions[r]} {matrix.years[y]} {matrix.sectors[s]}"
        for y, r, s in zero_cells[: _MAX_LISTED + 1]
    ]
    raise AnalysisError(
        f"the reference universe ({matrix.reference_label}) has a zero total in "
        f"{len(zero_cells)} region-year-sector cell(s): {_listing(cells)}; the location quotient "
        "and the reference growth are undefined there. Leave these sectors out (sectors=...) or "
        "choose a larger reference universe"
    )


#: key columns whose text every later step compares, sorts or looks up
_TEXT_KEYS = ("region", "sector", "unit", "flag")


def _is_text(column: pd.Series) -> bool:
    return not isinstance(column.dtype, pd.CategoricalDtype) and (
        column.dtype == object or pd.api.types.is_string_dtype(column.dtype)
    )


def _categorical(values: np.ndarray) -> pd.Categorical:
    """Text values as a categorical with sorted categories, hashing every value once.

    Example
    -------
    >>> _categorical(np.array(["b", None, "a", "b"], dtype=object)).codes.tolist()
    [1, -1, 0, 1]
    """
    codes, uniques = pd.factorize(values)
    try:
        order = np.argsort(uniques.astype(str), kind="stable")
    except (TypeError, ValueError):  # mixed types: let pandas decide the order
        return pd.Categorical(values)
    rank = np.empty(len(order) + 1, dtype=codes.dtype)
    rank[order] = np.arange(len(order))
    rank[-1] = -1  # code -1 (missing) stays missing
    return pd.Categorical.from_codes(rank[codes], categories=uniques[order])


def _factorized_keys(panel: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The rows of ``indicator`` with their text keys factorized once into categoricals.

    Every later step (masks, distinct labels, positions) then works on integer codes instead of
    hashing each string again. Categorical columns are left as they are; a panel without rows
    of ``indicator`` is returned whole, for :func:`_indicator_mask` to explain.

    Example
    -------
    >>> panel = pd.DataFrame({"region": ["R1", "R2", "R1"], "indicator": ["gva", "gva", "x"],
    ...                       "sector": ["A", "B", "A"], "value": [1.0, 2.0, 3.0]})
    >>> out = _factorized_keys(panel, "gva")
    >>> len(out), out["region"].dtype.name, list(out["sector"].cat.categories)
    (2, 'category', ['A', 'B'])
    """
    text = [c for c in (*_TEXT_KEYS, "indicator") if c in panel and _is_text(panel[c])]
    if not text:
        return panel
    rows = np.ones(len(panel), dtype=bool)
    if "indicator" in text:
        rows = panel["indicator"].to_numpy(dtype=object) == indicator
        if not rows.any():
            return panel
    n = int(rows.sum())
    data = {}
    for column in panel.columns:
        if column == "indicator" and column in text:  # every kept row holds the indicator
            data[column] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [indicator])
        elif column in text:
            data[column] = _categorical(panel[column].to_numpy(dtype=object)[rows])
        else:
            data[column] = panel[column].to_numpy()[rows]
    return pd.DataFrame(data, index=panel.index[rows])


def _indicator_mask(panel: pd.DataFrame, indicator: str) -> pd.Series:
    """Rows of ``indicator`` (``AnalysisError`` when there are none)."""
    missing = [c for c in ("region", "year", "indicator", "sector", "value") if c not in panel]
    if missing:
        raise InputError(
            f"the panel lacks the column(s) {missing}; analysis needs a tidy panel with "
            "region, year, indicator, sector, value (and unit)"
        )
    mask = panel["indicator"] == indicator
    if not mask.any():
        found = sorted(map(str, pd.unique(panel["indicator"])))[:10]
        raise AnalysisError(
            f"the panel has no rows of indicator {indicator!r} (it has {found}); "
            f"load it, e.g. kazakhstan.panel([{indicator!r}])"
        )
    return mask


def _labels(column: pd.Series) -> list[str]:
    """Sorted distinct labels of a column (cheap for categoricals).

    Example
    -------
    >>> _labels(pd.Series(pd.Categorical(["u", "u"], categories=["v", "u"])))
    ['u']
    >>> _labels(pd.Series(pd.Categorical(["b", None, "a"], categories=["c", "b", "a"])))
    ['a', 'b']
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        low = codes.min() if len(codes) else -1
        if low >= 0 and low == codes.max():  # one label only (a unit, a flag)
            return [str(column.cat.categories[low])]
        if low >= 0:  # no missing value: count the codes as they are
            used = np.bincount(codes, minlength=len(column.cat.categories)) > 0
        else:
            used = np.bincount(codes[codes >= 0], minlength=len(column.cat.categories)) > 0
        return sorted(map(str, column.cat.categories[used]))
    return sorted(str(v) for v in pd.unique(column) if not pd.isna(v))


def _distinct_years(column: pd.Series) -> list[int]:
    """Sorted distinct whole numbers of an integer column (a count table, no hashing)."""
    values = column.to_numpy(dtype=np.int64)
    low, high = int(values.min()), int(values.max())
    if low >= 0 and high < _DIRECT_TABLE:  # small non-negative numbers: count them as they are
        return [int(v) for v in np.flatnonzero(np.bincount(values))]
    return [int(v) + low for v in np.flatnonzero(np.bincount(values - low))]


def _isin(column: pd.Series, values) -> pd.Series:
    """``column.isin(values)``, through a lookup table for a categorical column (by code) and
    for small non-negative whole numbers (years), without hashing every row.

    Example
    -------
    >>> _isin(pd.Series(pd.Categorical(["A", None, "TOTAL"])), AGGREGATE_SECTORS).tolist()
    [False, False, True]
    >>> _isin(pd.Series([2019, 2020, 2021]), [2020, 2030]).tolist()
    [False, True, False]
    """
    values = list(values)
    if any(pd.isna(v) for v in values):  # missing values match missing rows: leave to pandas
        return column.isin(values)
    if isinstance(column.dtype, pd.CategoricalDtype):
        hit = np.append(column.cat.categories.isin(values), False)  # code -1: missing
        found = hit[column.cat.codes.to_numpy()]
    elif (
        isinstance(column.dtype, np.dtype)
        and column.dtype.kind in "iu"
        and len(column)
        and all(isinstance(v, int | np.integer) for v in values)
    ):
        numbers = column.to_numpy()
        wanted = [int(v) for v in values]
        low, high = int(numbers.min()), int(numbers.max())
        if low < 0 or high >= _DIRECT_TABLE:
            return column.isin(values)
        table = np.zeros(high + 1, dtype=bool)
        table[[v for v in wanted if 0 <= v <= high]] = True
        found = table[numbers]
    else:
        return column.isin(values)
    return pd.Series(found, index=column.index, name=column.name, copy=False)


def _flag_notes(rows: pd.DataFrame) -> list[str]:
    """A note naming the flags (preliminary, estimated, ...) of the values used, by year."""
    if "flag" not in rows:
        return []
    flagged = (rows["flag"] != "") & rows["flag"].notna()
    if not flagged.any():
        return []
    marked = rows[flagged]
    return [
        f"flagged values used ({', '.join(_labels(marked['flag']))}) in "
        f"{_distinct_years(marked['year'])}"
    ]


def _positions(column: pd.Series, labels: Sequence) -> np.ndarray:
    """Position of every value of ``column`` in the sorted ``labels`` (-1 if absent), without
    building one Python object per row (categorical codes; a lookup table for whole numbers).
    Lookup tables are int32, so the per-row result is half the size of an index array."""
    index = pd.Index(labels)
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = index.get_indexer(column.cat.categories.astype(type(labels[0])))
        codes = column.cat.codes.to_numpy()
        lookup = np.append(lookup, -1).astype(np.int32)  # code -1 (missing) maps to the last
        return lookup[codes]
    if pd.api.types.is_integer_dtype(column.dtype):  # years: a lookup table over their range
        numbers = np.asarray(labels, dtype=np.int64)
        values = column.to_numpy(dtype=np.int64)
        low, high = int(min(numbers.min(), values.min())), int(max(numbers.max(), values.max()))
        if low >= 0 and high < _DIRECT_TABLE:  # small non-negative numbers: index from 0
            low = 0
        table = np.full(high - low + 1, -1, dtype=np.int32)
        table[numbers - low] = np.arange(len(numbers))
        return table[values - low] if low else table[values]
    return index.get_indexer(column.to_numpy())


def _apply_sector_level(rows: pd.DataFrame, level: SectorLevel) -> tuple[pd.DataFrame, str]:
    """Check the services level of every year and aggregate to the coarse level if asked."""
    sector = rows["sector"]
    is_coarse = sector == COARSE_SERVICES
    is_fine_service = _isin(sector, FINE_SERVICES)
    years_coarse = sorted(set(rows.loc[is_coarse, "year"].astype(int)))
    years_fine = sorted(set(rows.loc[is_fine_service, "year"].astype(int)))
    if level == "coarse":
        key = [rows["region"], rows["year"]]
        both = (is_coarse & (rows["value"] != 0)).groupby(key).any() & (
            is_fine_service & (rows["value"] != 0)
        ).groupby(key).any()
        if both.any():
            cells = [f"{r} {y}" for r, y in both[both].index[: _MAX_LISTED + 1]]
            raise AnalysisError(
                f"{int(both.sum())} region-year(s) report services both as {COARSE_SERVICES} "
                f"and as sections I, K, M-S: {_listing(cells)}; summing would count them twice. "
                "Drop one of the two (for the bundled data: keep_duplicates=False)"
            )
        rows = rows.assign(sector=sector.astype(str).where(~is_fine_service, COARSE_SERVICES))
        group = ["region", "year", "sector"]
        extra = {c: "first" for c in ("indicator", "unit") if c in rows}
        rows = rows.groupby(group, as_index=False, sort=False).agg(
            value=("value", lambda v: v.sum(min_count=len(v))),
            **{c: (c, f) for c, f in extra.items()},
        )
        return rows, "coarse"
    mixed = sorted(set(years_coarse) & set(years_fine))
    if level == "fine" and years_coarse:
        raise AnalysisError(
            f"sector_level='fine' was asked, but services are published only as "
            f"{COARSE_SERVICES} (I, K, M-S together) in {years_coarse}; choose years from 2014 "
            "on, or pass sector_level='coarse' to aggregate every year to that level"
        )
    if mixed:
        raise AnalysisError(
            f"in {mixed} some regions report services as {COARSE_SERVICES} (I, K, M-S together) "
            "and others as separate sections; indices would compare different sectors. Pass "
            "sector_level='coarse' to aggregate them (for the bundled data: "
            "keep_duplicates=False drops the former South Kazakhstan rows that cause this)"
        )
    if years_coarse and years_fine:
        raise AnalysisError(
            f"the years mix two sector levels: services are {COARSE_SERVICES} (I, K, M-S "
            f"together) in {years_coarse} and separate sections in {years_fine}. Indices over "
            "both would compare different sectors. Pass sector_level='coarse' to aggregate "
            "I, K, M-S into OTHER_SERVICES in every year, or choose years from one period"
        )
    return rows, "coarse" if years_coarse else "fine"


def _cube(rows: pd.DataFrame, years, regions, sectors) -> np.ndarray:
    """Scatter tidy rows into a ``years × regions × sectors`` cube (NaN where no row).

    Refuses (``InputError``) a ``(region, year, sector)`` key that appears more than once.
    """
    shape = (len(years), len(regions), len(sectors))
    positions = (
        _positions(rows["year"], years),
        _positions(rows["region"], regions),
        _positions(rows["sector"], sectors),
    )
    if any(len(p) and p.min() < 0 for p in positions):
        np.ravel_multi_index(positions, shape)  # raises on the unknown label, as it always did
    # the C-order flat index (y * regions + r) * sectors + s, built in one int array
    flat = positions[0].astype(np.intp)
    flat *= shape[1]
    flat += positions[1]
    flat *= shape[2]
    flat += positions[2]
    del positions
    counts = np.bincount(flat, minlength=int(np.prod(shape)))
    twice = np.flatnonzero(counts > 1)
    if len(twice):
        cells = [
            f"{regions[r]} {years[y]} {sectors[s]}"
            for y, r, s in zip(*np.unravel_index(twice[: _MAX_LISTED + 1], shape), strict=True)
        ]
        raise InputError(
            f"{len(twice)} (region, year, sector) key(s) appear more than once: "
            f"{_listing(cells)}; keep one row per key (for the bundled data: "
            "keep_duplicates=False)"
        )
    cube = np.full(shape, np.nan)
    cube.reshape(-1)[flat] = rows["value"].to_numpy(dtype=float)
    return cube


def _handle_missing(
    cube: np.ndarray, years, regions, sectors, present: np.ndarray, missing: Missing
) -> tuple[np.ndarray, tuple[str, ...], list[str]]:
    """Apply the ``missing`` treatment to NaN cells of regions present in that year."""
    hole = np.isnan(cube) & present[:, :, None]
    if not hole.any():
        return cube, tuple(sectors), []
    if missing == "zero":
        out = np.where(hole, 0.0, cube)
        return out, tuple(sectors), [f"{int(hole.sum())} missing cell(s) counted as 0"]
    bad_sectors = hole.any(axis=(0, 1))
    if missing == "drop":
        keep = ~bad_sectors
        dropped = [s for s, b in zip(sectors, bad_sectors, strict=True) if b]
        return (
            cube[:, :, keep],
            tuple(np.asarray(sectors)[keep]),
            [f"sector(s) {', '.join(dropped)} left out: missing in some region-year"],
        )
    lines = []
    absent_years = hole.all(axis=1) & present.any(axis=1)[:, None]  # sector absent from a year
    for s in np.flatnonzero(absent_years.any(axis=0)):
        gone = [years[y] for y in np.flatnonzero(absent_years[:, s])]
        there = [years[y] for y in np.flatnonzero(~np.isnan(cube[:, :, s]).all(axis=1))]
        lines.append(f"sector {sectors[s]} has no data in {gone} (it has in {there})")
    cells = np.argwhere(hole & ~absent_years[:, None, :])
    lines += [f"{regions[r]} {years[y]} {sectors[s]}" for y, r, s in cells[: _MAX_LISTED + 1]]
    raise AnalysisError(
        f"{int(hole.sum())} region-year-sector cell(s) have no value: {_listing(lines)}. "
        "Pass missing='drop' to leave such sectors out, missing='zero' to count them as 0, "
        "or restrict the sectors (sectors=...)"
    )


def _check_overlaps(present: np.ndarray, years, regions) -> None:
    """Refuse a former unit and its successors in the same year (e.g. KZ-YUZ with KZ-61 and
    KZ-79): every sum over regions would count that territory twice."""
    from terraplan.territory.registry import regions as registry

    successors = registry(None)["successors"].dropna().astype(str).str.split()
    index = {code: i for i, code in enumerate(regions)}
    clashes = []
    for former, codes in successors.items():
        if former not in index:
            continue
        for code in codes:
            if code in index:
                both = present[:, index[former]] & present[:, index[code]]
                if both.any():
                    clashes.append(
                        f"{former} with {code} in {[years[y] for y in np.flatnonzero(both)]}"
                    )
    if clashes:
        raise AnalysisError(
            f"the panel holds a former region beside its successors: {_listing(clashes)}; sums "
            "over regions would count that territory twice. Keep one side (for the bundled "
            "data: kazakhstan.panel(..., keep_duplicates=False))"
        )


def _reference_cube(
    values: np.ndarray,
    regions: tuple[str, ...],
    years: tuple[int, ...],
    reference: Reference,
    *,
    neighbours: Mapping[str, Sequence[str]] | None,
    national: np.ndarray | None,
    keep: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Reference sector totals for each kept region: ``(cube, includes_self, label)``.

    ``values`` covers every region of the panel (NaN where a region is absent in a year, counted
    as 0 in sums); ``keep`` marks the regions that get a row in the result.
    """
    n_keep = int(keep.sum())
    if isinstance(reference, str) and reference == "nation":
        # nansum copies the cube to zero its NaN; a complete cube is summed as it is
        has_nan = np.isnan(values).any()
        totals = (np.nansum if has_nan else np.sum)(values, axis=1, keepdims=True)
        return (
            np.broadcast_to(totals, (len(years), n_keep, values.shape[2])),
            np.ones(n_keep, dtype=bool),
            "nation (sum of regions)",
        )
    if isinstance(reference, str) and reference == "national-row":
        if national is None:
            raise AnalysisError(
                "reference='national-row' needs the published national row (region 'KZ') in "
                "the panel; load it with kazakhstan.panel(..., include_national=True)"
            )
        return (
            np.broadcast_to(national[:, None, :], (len(years), n_keep, values.shape[2])),
            np.ones(n_keep, dtype=bool),
            "nation (published national row KZ)",
        )
    index = pd.Index(regions)
    kept = [r for r, k in zip(regions, keep, strict=True) if k]
    if isinstance(reference, str) and reference == "neighbours":
        if neighbours is None:
            raise AnalysisError(
                "reference='neighbours' needs a neighbours mapping {region: [codes]}; get one "
                "from terraplan.territory.weights.neighbours(layout)"
            )
        groups = {r: list(neighbours.get(r, [])) for r in kept}
        no_nb = [r for r in kept if r not in neighbours or not neighbours[r]]
        if no_nb:
            raise AnalysisError(
                f"region(s) {', '.join(no_nb)} have no neighbours in the mapping given; use a "
                "mapping of the same layout as the panel (e.g. neighbours('KZ-2022') for 2021+)"
            )
        label, includes = "neighbours (sum of the adjacent regions)", False
    elif isinstance(reference, Mapping):
        groups, label = _named_groups(reference, kept)
        includes = None
    elif isinstance(reference, Sequence) and not isinstance(reference, str):
        members = [str(c) for c in reference]
        if not members:
            raise AnalysisError("the reference group is empty; list at least one region code")
        groups = dict.fromkeys(kept, members)
        label, includes = f"group ({', '.join(members)})", None
    else:
        raise AnalysisError(
            f"unknown reference {reference!r}: use 'nation', 'national-row', 'neighbours', a "
            "list of region codes, or a mapping {group: [codes]}"
        )
    unknown = sorted({c for members in groups.values() for c in members} - set(regions))
    if unknown:
        raise AnalysisError(
            f"reference region(s) {', '.join(unknown)} are not in the panel (regions: "
            f"{', '.join(regions)}); use codes of the panel's layout"
        )
    rows = np.repeat(np.arange(n_keep), [len(groups[r]) for r in kept])
    cols = index.get_indexer([c for r in kept for c in groups[r]])
    weights = np.zeros((n_keep, len(regions)))
    np.add.at(weights, (rows, cols), 1.0)
    absent = np.isnan(values).all(axis=2)  # (years, regions): region missing in a year
    used_absent = (weights[None, :, :] > 0) & absent[:, None, :]
    if used_absent.any():
        cells = sorted({f"{regions[c]} in {years[y]}" for y, _, c in np.argwhere(used_absent)})
        raise AnalysisError(
            f"reference region(s) have no data: {_listing(cells)}; the reference universe "
            "must exist in every year (harmonize the panel to one layout first)"
        )
    filled = np.nan_to_num(values, nan=0.0)
    ref = np.ascontiguousarray(np.einsum("rc,ycs->yrs", weights, filled, optimize=True))
    if includes is None:
        includes = np.array([r in groups[r] for r in kept], dtype=bool)
    else:
        includes = np.zeros(n_keep, dtype=bool)
    return ref, includes, label


def _named_groups(
    reference: Mapping[str, Sequence[str]], kept: list[str]
) -> tuple[dict[str, list[str]], str]:
    owner: dict[str, list[str]] = {}
    twice: list[str] = []
    for members in reference.values():
        for code in members:
            if str(code) in owner:
                twice.append(str(code))
            owner[str(code)] = [str(c) for c in members]
    outside = [r for r in kept if r not in owner]
    if twice or outside:
        parts = []
        if twice:
            parts.append(f"in more than one group: {', '.join(sorted(set(twice)))}")
        if outside:
            parts.append(f"in no group: {', '.join(outside)}")
        raise AnalysisError(
            "every region needs exactly one reference group; region(s) " + "; ".join(parts)
        )
    label = (
        "groups ("
        + "; ".join(f"{name}: {', '.join(map(str, m))}" for name, m in reference.items())
        + ")"
    )
    return {r: owner[r] for r in kept}, label


def sector_matrix(
    panel: pd.DataFrame,
    years: int | Sequence[int],
    *,
    indicator: str = "gva",
    reference: Reference = "nation",
    neighbours: Mapping[str, Sequence[str]] | None = None,
    sector_level: SectorLevel = "auto",
    missing: Missing = "raise",
    unmatched: Unmatched = "raise",
    sectors: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
) -> SectorMatrix:
    """Build the region × sector matrix of ``indicator`` for ``years`` against a reference.

    Parameters
    ----------
    panel : DataFrame
        Tidy panel (``region, year, indicator, sector, value, unit``).
    years : int or sequence of int
        One year, a pair (base, end) or a run of years.
    indicator : str
        Indicator id (default ``"gva"``).
    reference : str, list or mapping
        The reference universe (see the module docstring).
    neighbours : mapping, optional
        ``{region: [neighbour codes]}`` for ``reference="neighbours"``.
    sector_level : ``"auto"``, ``"fine"`` or ``"coarse"``
        How to treat the 2010–2013 ``OTHER_SERVICES`` aggregate (never mixed silently).
    missing : ``"raise"``, ``"zero"`` or ``"drop"``
        A region-year-sector cell without a value (no row or NaN) for a region that has data
        in that year: raise (default, listing the cells and any sector absent from a year),
        count as 0, or drop every sector with such a cell.
    unmatched : ``"raise"`` or ``"drop"``
        A region present in some of ``years`` only (a layout change): raise (default) or leave
        it out of the rows. The ``nation`` reference still sums every region of each year.
    sectors, regions : list of str, optional
        Keep only these sectors or regions as rows (the ``nation`` reference still sums all
        regions of the panel).

    Raises
    ------
    AnalysisError
        Mixed sector levels, missing years or cells, negative values, zero totals, a reference
        universe with a zero sector total; every problem of the input is listed.

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"], "year": 2023, "indicator": "gva",
    ...     "sector": ["A", "B", "A", "B"], "value": [30.0, 10.0, 20.0, 40.0], "unit": "u"})
    >>> m = sector_matrix(panel, 2023, reference=["R2"])
    >>> m.frame(2023, reference=True).loc["R1"].tolist()
    [20.0, 40.0]
    """
    year_list = [int(years)] if np.ndim(years) == 0 else [int(y) for y in years]  # type: ignore[arg-type]
    if len(set(year_list)) != len(year_list):
        raise AnalysisError(f"years {year_list} repeat a year; give each year once")
    panel = _factorized_keys(panel, indicator)
    mask = _indicator_mask(panel, indicator)
    available = _distinct_years(panel["year"] if mask.all() else panel.loc[mask, "year"])
    absent_years = [y for y in year_list if y not in available]
    if absent_years:
        raise AnalysisError(
            f"indicator {indicator!r} has no data for {absent_years}; available years: "
            f"{available[0]}-{available[-1]}"
        )
    mask &= _isin(panel["year"], year_list) & ~_isin(panel["sector"], AGGREGATE_SECTORS)
    selected = panel if mask.all() else panel[mask]
    flag_notes = _flag_notes(selected)
    rows, level = _apply_sector_level(selected, sector_level)
    if sectors is not None:
        wanted = [str(s) for s in sectors]
        present_sectors = _labels(rows["sector"])
        unknown = sorted(set(wanted) - set(present_sectors))
        if unknown:
            raise AnalysisError(
                f"sector(s) {unknown} are not in the panel at sector level {level!r}; "
                f"available: {present_sectors}"
            )
        rows = rows[rows["sector"].isin(wanted)]
    units = _labels(rows["unit"]) if "unit" in rows else [""]
    if len(units) > 1:
        raise AnalysisError(
            f"indicator {indicator!r} comes in several units {units}; convert to one unit first"
        )
    is_national = (rows["region"] == NATIONAL).to_numpy()
    national_rows = rows[is_national] if is_national.any() else rows.iloc[:0]
    if is_national.any():
        rows = rows[~is_national]
    all_regions = tuple(_labels(rows["region"]))
    sector_labels = tuple(_labels(rows["sector"]))
    years_t = tuple(sorted(year_list))
    cube = _cube(rows, years_t, all_regions, sector_labels)
    present = ~np.isnan(cube).all(axis=2)  # region has data in that year
    cube, sector_labels, notes = _handle_missing(
        cube, years_t, all_regions, sector_labels, present, missing
    )
    notes = flag_notes + notes
    _check_overlaps(present, years_t, all_regions)
    keep = present.all(axis=0)
    partial = [r for r, k in zip(all_regions, keep, strict=True) if not k]
    if partial:
        where = [
            f"{r} ({', '.join(str(y) for y, p in zip(years_t, present[:, i], strict=True) if p)})"
            for i, r in enumerate(all_regions)
            if not keep[i]
        ]
        if unmatched == "raise":
            raise AnalysisError(
                f"region(s) present in only some of the years {list(years_t)}: "
                f"{_listing(where)}. The layout changed; harmonize the panel to one layout "
                "(terraplan.harmonize) or pass unmatched='drop' (CLI: --drop-unmatched) to "
                "leave these regions out"
            )
        notes.append(f"region(s) left out, not present in every year: {', '.join(partial)}")
    if regions is not None:
        wanted_r = {str(r) for r in regions}
        unknown_r = sorted(wanted_r - set(all_regions))
        if unknown_r:
            raise AnalysisError(f"region(s) {unknown_r} are not in the panel's {indicator!r} rows")
        keep = keep & np.array([r in wanted_r for r in all_regions])
    national = None
    if isinstance(reference, str) and reference == "national-row" and len(national_rows):
        national = _cube(national_rows, years_t, (NATIONAL,), sector_labels)[:, 0, :]
        gaps = [f"{years_t[y]} {sector_labels[s]}" for y, s in np.argwhere(np.isnan(national))]
        if gaps:
            raise AnalysisError(
                f"the national row KZ has no value for {_listing(gaps)}; use "
                "reference='nation' (sum of regions) instead"
            )
    ref, includes, label = _reference_cube(
        cube, all_regions, years_t, reference, neighbours=neighbours, national=national, keep=keep
    )
    values = cube if keep.all() else np.ascontiguousarray(cube[:, keep, :])
    kept = tuple(r for r, k in zip(all_regions, keep, strict=True) if k)
    _check_values(values, years_t, kept, sector_labels)
    matrix = SectorMatrix(
        values=values,
        reference=ref,
        years=years_t,
        regions=kept,
        sectors=sector_labels,
        indicator=indicator,
        unit=units[0] if units else "",
        reference_label=label,
        includes_self=includes,
        sector_level=level,
        notes=tuple(notes),
    )
    _check_reference(matrix)
    return matrix


def as_matrix(data: pd.DataFrame | SectorMatrix, years: Sequence[int], **options) -> SectorMatrix:
    """``data`` as a :class:`SectorMatrix` over ``years`` (built from a panel, or restricted).

    Keyword ``options`` go to :func:`sector_matrix` and are refused for a ready matrix.

    Example
    -------
    >>> import numpy as np
    >>> m = SectorMatrix.from_arrays(np.ones((2, 2, 2)), years=[2022, 2023],
    ...                              regions=["R1", "R2"], sectors=["A", "B"])
    >>> as_matrix(m, [2023]).years
    (2023,)
    """
    if isinstance(data, SectorMatrix):
        given = {k: v for k, v in options.items() if v is not None and k != "neighbours"}
        defaults = {
            "indicator": "gva",
            "reference": "nation",
            "sector_level": "auto",
            "missing": "raise",
            "unmatched": "raise",
        }
        clash = sorted(k for k, v in given.items() if defaults.get(k, object()) != v)
        if clash:
            raise AnalysisError(
                f"option(s) {clash} apply when building from a panel; a SectorMatrix already "
                "fixes them (build it with sector_matrix(panel, ..., those options))"
            )
        return data.select_years(years)
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"expected a tidy panel (DataFrame) or a SectorMatrix, got {type(data).__name__}"
        )
    return sector_matrix(data, years, **{k: v for k, v in options.items() if v is not None})
