"""Read a statistics table (long, years across, or sectors across) into the tidy panel.

Example
-------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "grp.csv"
>>> text = "Регион;2022;2023*\\nг.Астана;10 500,5;x\\nРеспублика Казахстан;100;…\\n"
>>> _ = path.write_text(text, "utf-8")
>>> panel = read_table(path, indicator="grp", unit="million KZT")
>>> panel[["region", "year", "value", "flag"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'region': 'KZ', 'year': 2022, 'value': 100.0, 'flag': ''},
 {'region': 'KZ', 'year': 2023, 'value': nan, 'flag': 'preliminary;missing:…'},
 {'region': 'KZ-71', 'year': 2022, 'value': 10500.5, 'flag': ''},
 {'region': 'KZ-71', 'year': 2023, 'value': nan, 'flag': 'preliminary;missing:x'}]
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from terraplan.data.panel import KEY_COLUMNS, NATIONAL, PANEL_COLUMNS, TOTAL
from terraplan.data.readers.frame import read_frame
from terraplan.data.readers.headers import (
    NATIONAL_NAMES,
    column_role,
    normalize_label,
    parse_years,
    sector_header,
    year_header,
)
from terraplan.data.readers.numbers import MAX_LISTED, bad_cells_message, parse_cells
from terraplan.errors import DataFormatError, RegionMatchError

#: The table shapes :func:`read_table` understands.
SHAPES: tuple[str, ...] = ("long", "wide_years", "wide_sectors")

_YEAR_FIX = "a year header is written 2021, 2021 г., 2021 год or 2021* (* = preliminary)"


def _fail(path: str, message: str) -> DataFormatError:
    return DataFormatError(message, path=path)


def _region_column(frame: pd.DataFrame, region_column: str | None, path: str) -> str:
    columns = list(frame.columns)
    if region_column is not None:
        if region_column not in columns:
            raise _fail(path, f"there is no column {region_column!r}; the columns are {columns}")
        return region_column
    named = [c for c in columns if column_role(c) == "region"]
    if named:
        return named[0]
    first = columns[0]
    if column_role(first) is None and year_header(first)[0] is None and not sector_header(first):
        return first
    raise _fail(
        path,
        f"no region column: no header reads region/регион/область and the first column "
        f"({first!r}) is not one. Fix: pass region_column= (one of {columns})",
    )


def _detect_shape(frame: pd.DataFrame, region: str, year: int | None, path: str) -> str:
    roles = {column_role(c) for c in frame.columns}
    if {"year", "value"} <= roles:
        return "long"
    if any(year_header(c)[0] is not None for c in frame.columns if c != region):
        return "wide_years"
    if year is not None:
        return "wide_sectors"
    raise _fail(
        path,
        f"cannot tell the table's shape from its columns {list(frame.columns)}: there are no "
        f"year and value columns (a long table), no year headers (years across; {_YEAR_FIX}), "
        "and no year= was given for a table with sectors across. Fix: pass shape= and year=",
    )


def _only(frame: pd.DataFrame, role: str, path: str, *, required: bool) -> str | None:
    found = [c for c in frame.columns if column_role(c) == role]
    if len(found) > 1:
        raise _fail(path, f"several columns hold the {role}: {found}. Fix: keep one of them")
    if not found and required:
        raise _fail(
            path, f"a long table needs a {role} column; the columns are {list(frame.columns)}"
        )
    return found[0] if found else None


def _long_cells(
    frame: pd.DataFrame,
    region: str,
    indicator: str | None,
    unit: str | None,
    sector: str,
    year: int | None,
    path: str,
) -> tuple[pd.DataFrame, list[str]]:
    """One row per value cell of a long table, and the problems found in its year column."""
    year_column = _only(frame, "year", path, required=True)
    value_column = _only(frame, "value", path, required=True)
    indicator_column = _only(frame, "indicator", path, required=False)
    sector_column = _only(frame, "sector", path, required=False)
    unit_column = _only(frame, "unit", path, required=False)
    flag_column = _only(frame, "flag", path, required=False)
    if indicator_column is not None and indicator is not None:
        chosen = frame[indicator_column].eq(indicator)
        if not chosen.any():
            known = sorted(frame[indicator_column].unique())
            raise _fail(
                path,
                f"no row has indicator {indicator!r}; the file holds {known}. Fix: pass one of "
                "them as indicator=, or indicator=None for all",
            )
        frame = frame[chosen]
    elif indicator_column is None and indicator is None:
        raise _fail(path, "the table has no indicator column. Fix: pass indicator='<id>'")
    years, preliminary = parse_years(frame[year_column])
    problems = []
    if years.isna().any():
        rows = frame.index[years.isna().to_numpy()]
        texts = frame.loc[rows, year_column]
        listed = ", ".join(
            f"row {r}: {t!r}" for r, t in zip(rows[:MAX_LISTED], texts, strict=False)
        )
        problems.append(
            f"{len(rows)} cell(s) of column {year_column!r} are not years ({listed}). Fix: "
            f"write the year as 2021 (2021* for preliminary data)"
        )
    used = {
        region,
        year_column,
        value_column,
        indicator_column,
        sector_column,
        unit_column,
        flag_column,
    }
    cells = pd.DataFrame(
        {
            "region_text": frame[region],
            "year": years,
            "preliminary": preliminary,
            "indicator": frame[indicator_column] if indicator_column else indicator,
            "sector": frame[sector_column] if sector_column else sector,
            "unit": frame[unit_column].where(frame[unit_column] != "", unit or "")
            if unit_column
            else unit or "",
            "flag": frame[flag_column] if flag_column else "",
            "text": frame[value_column],
            "row": frame.index,
            "column": value_column,
        },
        index=frame.index,
    )
    for extra in (c for c in frame.columns if c not in used):
        cells[extra] = frame[extra]
    if year is not None:
        cells = cells[cells["year"].eq(year).fillna(False)]
    return cells.reset_index(drop=True), problems


def _wide_cells(
    frame: pd.DataFrame,
    region: str,
    across: str,
    labels: list[tuple[str, object, bool]],
    indicator: str,
    unit: str | None,
    constant: dict[str, object],
) -> pd.DataFrame:
    """Melt the ``labels`` columns (``(column, key, preliminary)``) into one row per cell."""
    n, k = len(frame), len(labels)
    columns = [c for c, _, _ in labels]
    unit_columns = [c for c in frame.columns if column_role(c) == "unit"]
    units = frame[unit_columns[0]].to_numpy() if unit_columns else np.full(n, unit or "", object)
    if unit_columns and unit:
        units = np.where(units == "", unit, units)
    cells = pd.DataFrame(
        {
            "region_text": np.repeat(frame[region].to_numpy(), k),
            across: np.tile(np.array([key for _, key, _ in labels], dtype=object), n),
            "preliminary": np.tile(np.array([p for _, _, p in labels], dtype=bool), n),
            "indicator": indicator,
            "unit": np.repeat(units, k),
            "flag": "",
            "text": frame[columns].to_numpy(dtype=object).ravel(),
            "row": np.repeat(frame.index.to_numpy(), k),
            "column": np.tile(np.array(columns, dtype=object), n),
        }
    )
    for name, value in constant.items():
        cells[name] = value
    return cells


def _unknown_columns(
    frame: pd.DataFrame, region: str, wanted: list[str], what: str, path: str
) -> None:
    other = [
        c
        for c in frame.columns
        if c != region and c not in wanted and column_role(c) not in ("unit", "code")
    ]
    if other:
        raise _fail(
            path,
            f"column(s) {other} are neither the region column nor {what}. Fix: delete them, "
            f"or rename them ({_YEAR_FIX}; a sector header is an OKED letter such as C or "
            "'C Manufacturing', or TOTAL)",
        )


def _wide_year_cells(
    frame: pd.DataFrame,
    region: str,
    indicator: str,
    unit: str | None,
    sector: str,
    year: int | None,
    path: str,
) -> pd.DataFrame:
    labels = []
    for column in frame.columns:
        found, preliminary = year_header(column) if column != region else (None, False)
        if found is not None and (year is None or found == year):
            labels.append((column, found, preliminary))
    _unknown_columns(
        frame,
        region,
        [c for c in frame.columns if year_header(c)[0] is not None],
        "a year",
        path,
    )
    if not labels:
        raise _fail(path, f"no column is headed {year}; the columns are {list(frame.columns)}")
    return _wide_cells(frame, region, "year", labels, indicator, unit, {"sector": sector})


def _wide_sector_cells(
    frame: pd.DataFrame,
    region: str,
    indicator: str,
    unit: str | None,
    year: int,
    path: str,
) -> pd.DataFrame:
    labels = [
        (c, sector_header(c), False) for c in frame.columns if c != region and sector_header(c)
    ]
    _unknown_columns(frame, region, [c for c, _, _ in labels], "a sector", path)
    if not labels:
        raise _fail(path, f"no column is headed by a sector; the columns are {list(frame.columns)}")
    return _wide_cells(frame, region, "sector", labels, indicator, unit, {"year": year})


def _matching_year(years: pd.Series) -> int | None:
    """The first year when all years fall in one layout's period (so names resolve by year)."""
    from terraplan.territory.registry import layouts

    if years.isna().all():
        return None
    starts = np.sort(layouts()["first_year"].astype(int).to_numpy())
    low, high = int(years.min()), int(years.max())
    same = np.searchsorted(starts, low, "right") == np.searchsorted(starts, high, "right")
    return low if same else None


def _row_list(rows: pd.Series) -> str:
    unique = pd.unique(rows)
    shown = ", ".join(map(str, unique[:10]))
    return (
        f"row {shown}"
        if len(unique) == 1
        else f"rows {shown}" + (", ..." if len(unique) > 10 else "")
    )


def _match(
    cells: pd.DataFrame, *, layout: str | None, aliases: Mapping[str, str] | None, path: str
) -> tuple[pd.Series, list[str], dict]:
    """Codes for ``region_text`` (matched once per distinct name), problems and a summary."""
    from terraplan.territory.names import match_regions

    names = pd.Series(pd.unique(cells["region_text"]), dtype=object)
    national = names.map(lambda name: normalize_label(name) in NATIONAL_NAMES).astype(bool)
    year = _matching_year(cells["year"]) if layout is None else None
    report = match_regions(
        names[~national].tolist(), layout=layout, year=year, aliases=aliases, context=path
    )
    codes = pd.Series(None, index=names.index, dtype=object)
    codes[~national] = report.codes.to_numpy()
    codes[national] = NATIONAL
    table = report.table.set_index(names[~national].index)
    rows = cells.groupby("region_text", sort=False)["row"]
    problems = [
        f"{names[i]!r} ({_row_list(rows.get_group(names[i]))}): "
        + table.at[i, "status"].replace("_", " ")
        + (f"; {table.at[i, 'note']}" if table.at[i, "note"] else "")
        + (f"; did you mean: {table.at[i, 'suggestions']}" if table.at[i, "suggestions"] else "")
        for i in names.index[codes.isna().to_numpy()]
    ]
    summary = {
        "names": len(names),
        "matched": int(codes.notna().sum()),
        "national_names": [str(n) for n in names[codes.eq(NATIONAL)]],
        "unmatched": [str(n) for n in names[codes.isna()]],
        "layout": report.layout,
        "notes": [
            f"{name}: {note}"
            for name, note in zip(names[~national], table["note"], strict=True)
            if note
        ],
        "method": report.table["method"].value_counts().to_dict(),
    }
    by_name = dict(zip(names, codes, strict=True))
    return cells["region_text"].map(by_name), problems, summary


def _key_problems(cells: pd.DataFrame, keys: list[str]) -> list[str]:
    duplicated = cells.duplicated(keys, keep=False)
    if not duplicated.any():
        return []
    groups = cells[duplicated].groupby(keys, sort=True)
    lines = [
        f"  - {' / '.join(map(str, key))}: "
        + ", ".join(f"row {r} column {c!r}" for r, c in zip(g["row"], g["column"], strict=True))
        for key, g in list(groups)[:MAX_LISTED]
    ]
    more = groups.ngroups - MAX_LISTED
    return [
        f"{groups.ngroups} (region, year, indicator, sector) key(s) appear more than once:\n"
        + "\n".join(lines)
        + (f"\n  ... and {more} more" if more > 0 else "")
        + "\nFix: keep one row per region and year (a region spelt two ways counts twice; "
        "two columns headed by the same year count twice)"
    ]


def _one_or_all(column: pd.Series) -> str | list[str]:
    """The single value of a column, or its sorted distinct values when there are several."""
    distinct = sorted(column.unique().tolist())
    return distinct[0] if len(distinct) == 1 else distinct


def _join_flags(preliminary: pd.Series, given: pd.Series, reasons: pd.Series) -> pd.Series:
    """``;``-joined flag tokens (``preliminary``, the file's own flags, the missing reason).

    Each distinct combination is joined once.
    """
    given_codes, given_values = pd.factorize(given.astype(str))
    reason_codes, reason_values = pd.factorize(reasons.astype(str))
    n_given, n_reasons = len(given_values), len(reason_values)
    prelim = preliminary.to_numpy(dtype=bool).astype(np.int64)
    codes, combos = pd.factorize((prelim * n_given + given_codes) * n_reasons + reason_codes)
    prelim_of, rest = np.divmod(combos, n_given * n_reasons)
    given_of, reason_of = np.divmod(rest, n_reasons)
    tokens = zip(
        np.where(prelim_of == 1, "preliminary", ""),
        given_values[given_of],
        reason_values[reason_of],
        strict=True,
    )
    joined = np.array([";".join(t for t in combo if t) for combo in tokens], dtype=object)
    return pd.Series(joined[codes], index=preliminary.index, dtype=str)


def read_table(
    path: str | Path,
    *,
    indicator: str | None = None,
    unit: str | None = None,
    sector: str = TOTAL,
    region_column: str | None = None,
    year: int | None = None,
    shape: str = "auto",
    layout: str | None = None,
    sheet: str | int | None = None,
    aliases: Mapping[str, str] | None = None,
    strict: bool = True,
    national: bool = True,
    nonnegative: bool = False,
    encoding: str | None = None,
    sep: str | None = None,
    header_row: int | None = None,
) -> pd.DataFrame:
    """Read a statistics table from CSV or XLSX into the tidy panel.

    The file is read by :func:`~terraplan.data.readers.read_frame` (encoding, separator, title
    block and notes handled there). Three shapes are understood (``shape="auto"`` tells them
    apart by their headers):

    ``long``
        columns region, year, value and optionally indicator, sector, unit, flag, named in
        English or Russian (``регион``/``область``, ``год``, ``значение``, ``показатель``,
        ``отрасль``, ``ед. изм.``). With an indicator column, ``indicator=`` selects one.
        Other columns are kept as extra panel columns.
    ``wide_years``
        regions down the side, years across (``2021``, ``2021 г.``, ``2021*``; the ``*`` of
        preliminary data becomes the flag ``preliminary``). ``year=`` keeps one year.
    ``wide_sectors``
        regions down the side, OKED sections across (``A``, ``C Manufacturing``, ``Всего``),
        for the single year given as ``year=``.

    Values are parsed by :func:`~terraplan.data.readers.parse_number`; missing-value marks give
    ``NaN`` and the flag ``missing:<mark>``. Region names (column ``region_column``, else the one
    headed region/регион/область, else the first column) are matched once with
    :func:`terraplan.territory.names.match_regions` (``layout``, ``aliases``; without a layout,
    a table whose years all fall in one layout's period is matched on that layout, so
    "Карагандинская область" of 2019 is ``KZ-KAR``). Rows of the republic ("Республика
    Казахстан", "Kazakhstan", "Всего", "Total") get region ``KZ``; ``national=False`` drops them.

    Every problem of the file is reported in one error: cells that are not numbers, names that
    match no region (:class:`~terraplan.errors.RegionMatchError` when that is the only problem;
    ``strict=False`` drops those rows instead and lists them in ``attrs["match"]``), negative
    values when ``nonnegative=True`` (counts), and duplicated (region, year, indicator, sector)
    keys, each with its file row and column.

    Returns the panel (``region, year, indicator, sector, value, unit, flag`` and any extra
    columns of a long table) sorted by its key, with ``attrs``: ``source`` (from
    :func:`read_frame`), ``shape``, ``match`` (counts, national and unmatched names, notes),
    ``method``, ``indicator``, ``unit``, ``years``.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gva.csv"
    >>> _ = path.write_text("Область,A,C\\nАкмолинская,\\"1 200,5\\",-\\n", "utf-8")
    >>> panel = read_table(path, indicator="gva", year=2023)
    >>> panel[["region", "sector", "value", "flag"]].to_dict("records")
    [{'region': 'KZ-11', 'sector': 'A', 'value': 1200.5, 'flag': ''}, \
{'region': 'KZ-11', 'sector': 'C', 'value': nan, 'flag': 'missing:-'}]
    """
    frame = read_frame(path, sheet=sheet, encoding=encoding, sep=sep, header_row=header_row)
    where = frame.attrs["source"]["path"]
    region = _region_column(frame, region_column, where)
    if shape == "auto":
        shape = _detect_shape(frame, region, year, where)
    if shape not in SHAPES:
        raise _fail(where, f"unknown shape {shape!r}; use one of {SHAPES} or 'auto'")
    problems: list[str] = []
    if shape == "long":
        cells, problems = _long_cells(frame, region, indicator, unit, sector, year, where)
    elif indicator is None:
        raise _fail(where, f"a {shape} table needs indicator='<id>' (the file does not name it)")
    elif shape == "wide_years":
        cells = _wide_year_cells(frame, region, indicator, unit, sector, year, where)
    elif year is None:
        raise _fail(where, "a table with sectors across needs year= (the year of its figures)")
    else:
        cells = _wide_sector_cells(frame, region, indicator, unit, int(year), where)

    values, reasons, bad = parse_cells(cells["text"], stripped=True)
    if bad.any():
        problems.append(
            bad_cells_message(
                pd.Index(cells["row"][bad]), pd.Index(cells["column"][bad]), cells["text"][bad]
            )
        )
    if nonnegative and (values < 0).any():
        negative = cells[values < 0].head(MAX_LISTED)
        listed = "\n".join(
            f"  - row {r}, column {c!r}: {t!r}"
            for r, c, t in zip(negative["row"], negative["column"], negative["text"], strict=True)
        )
        what = indicator or "this indicator"
        problems.append(
            f"{int((values < 0).sum())} value(s) are negative, but {what} is a count "
            f"(nonnegative=True):\n{listed}\nFix: correct these cells"
        )
    codes, match_problems, summary = _match(cells, layout=layout, aliases=aliases, path=where)
    context = f"{where}, column {region!r}"
    keep = codes.ne(NATIONAL) if not national else pd.Series(True, index=codes.index)
    if not strict:
        keep &= codes.notna()
    cells, codes, values, reasons = (x[keep] for x in (cells, codes, values, reasons))
    if strict and match_problems and not problems:
        raise RegionMatchError(match_problems, context=context)
    if strict and match_problems:
        problems.append(str(RegionMatchError(match_problems, context=context)))
    cells = cells.assign(region=codes.fillna(cells["region_text"]))
    problems += _key_problems(cells, list(KEY_COLUMNS))
    if problems:
        raise _fail(
            where, f"{len(problems)} kind(s) of problem in this table:\n\n" + "\n\n".join(problems)
        )

    flag = _join_flags(cells["preliminary"], cells["flag"], reasons)
    extras = [
        c
        for c in cells.columns
        if c not in {*PANEL_COLUMNS, "region_text", "preliminary", "text", "row", "column"}
    ]
    panel = pd.DataFrame(
        {
            "region": cells["region"].astype(str),
            "year": cells["year"].astype("int64"),
            "indicator": cells["indicator"].astype(str),
            "sector": cells["sector"].astype(str),
            "value": values.astype(float),
            "unit": cells["unit"].astype(str),
            "flag": flag,
            **{c: cells[c].astype(str) for c in extras},
        }
    )
    panel = panel.sort_values(list(KEY_COLUMNS), kind="stable").reset_index(drop=True)
    panel.attrs = {
        "method": "read_table",
        "source": frame.attrs["source"],
        "shape": shape,
        "match": summary,
        "indicator": _one_or_all(panel["indicator"]),
        "unit": _one_or_all(panel["unit"]),
        "years": sorted(int(y) for y in panel["year"].unique()),
    }
    return panel
