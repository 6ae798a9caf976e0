"""Read a statistics table (long, periods across, or sectors across) into the tidy panel.

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

import itertools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from terraplan.data.panel import KEY_COLUMNS, NATIONAL, PANEL_COLUMNS, TOTAL
from terraplan.data.readers.borders import decide_borders
from terraplan.data.readers.frame import NoTableError, read_frame, read_frames
from terraplan.data.readers.headers import (
    NATIONAL_NAMES,
    column_role,
    normalize_label,
    period_header,
    sector_header,
    split_mark,
    unit_in_text,
)
from terraplan.data.readers.numbers import (
    MAX_LISTED,
    NUMBER_PATTERN,
    bad_cells_message,
    parse_cells,
    shown,
)
from terraplan.errors import DataFormatError, RegionMatchError

#: The table shapes :func:`read_table` understands.
SHAPES: tuple[str, ...] = ("long", "wide_years", "wide_sectors")
#: What ``periods=`` accepts: the annual figures only (the panel's default), or every period.
PERIODS: tuple[str, ...] = ("annual", "all")
#: Flag of a formula cell saved without its value (the workbook was never recalculated).
FORMULA_FLAG = "formula_without_value"
#: Row labels that introduce a breakdown and hold no figure (``в том числе:``).
FILLER_LABELS: frozenset[str] = frozenset(
    {
        "в том числе",
        "из них",
        "в т.ч",
        "including",
        "of which",
        "оның ішінде",
        "соның ішінде",
        "области",
        "города",
        "города республиканского значения",
        "regions",
        "oblasts",
        "cities",
        "cities of republican significance",
        "облыстар",
        "республикалық маңызы бар қалалар",
    }
)

_YEAR_FIX = (
    "a period header is written 2021, 2021 г., 2021 год, 2021* (* = preliminary), "
    "I квартал 2021, I полугодие 2021, 9 месяцев 2021 or I quarter 2021"
)
_KEY = [*KEY_COLUMNS, "period"]
_PER_KEY = 10  # occurrences listed per duplicated key


def _fail(path: str, message: str) -> DataFormatError:
    return DataFormatError(message, path=path)


class _NoFigures(NoTableError):
    """The sheet's table has no period, year or sector columns (a contents or notes sheet):
    with ``sheet="all"`` it is left out and listed."""


def _numbering(frame: pd.DataFrame, column: str) -> bool:
    """A column without a heading that holds row numbers (``1``, ``2.``) or nothing."""
    return (
        column.startswith("column_")
        and frame.shape[1] > 2
        and bool(frame[column].str.fullmatch(r"\d{1,3}\.?|").all())
    )


def is_national(name: str) -> bool:
    """True for a label of the whole country (commas and a trailing "всего" allowed).

    >>> is_national("Республика Казахстан, всего"), is_national("Kazakhstan")
    (True, True)
    >>> is_national("Акмолинская")
    False
    """
    text = " ".join(normalize_label(name).replace(",", " ").split())
    return (
        text in NATIONAL_NAMES
        or text.removesuffix(" всего").removesuffix(" total") in NATIONAL_NAMES
    )


def _region_column(frame: pd.DataFrame, region_column: str | None, path: str) -> str:
    columns = list(frame.columns)
    if region_column is not None:
        if region_column not in columns:
            raise _fail(path, f"there is no column {region_column!r}; the columns are {columns}")
        return region_column
    named = [c for c in columns if column_role(c) == "region"]
    if named:
        return named[0]
    first = next(
        (c for c in columns if column_role(c) != "code" and not _numbering(frame, c)), columns[0]
    )
    if column_role(first) is None and period_header(first)[0] is None and not sector_header(first):
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
    if any(period_header(c)[0] is not None for c in frame.columns if c != region):
        return "wide_years"
    if year is not None:
        return "wide_sectors"
    raise _NoFigures(
        f"cannot tell the table's shape from its columns {list(frame.columns)}: there are no "
        f"year and value columns (a long table), no period headers (periods across; "
        f"{_YEAR_FIX}), and no year= was given for a table with sectors across. Fix: pass "
        "shape= and year=",
        path=path,
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


def _parse_periods(labels: pd.Series) -> pd.DataFrame:
    """:func:`period_header` and the footnote mark of each distinct label once."""
    codes, uniques = pd.factorize(labels.astype(str), use_na_sentinel=False)
    parsed = [(*period_header(u), split_mark(u)[1]) for u in uniques]
    table = pd.DataFrame(parsed, columns=["year", "period", "preliminary", "mark"])
    table["year"] = table["year"].astype("Int64")
    out = table.iloc[codes].reset_index(drop=True)
    out.index = labels.index
    return out


def _long_cells(
    frame: pd.DataFrame,
    region: str,
    indicator: str | None,
    unit: str | None,
    sector: str,
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
    periods = _parse_periods(frame[year_column])
    problems = []
    unread = periods["year"].isna()
    if unread.any():
        rows = frame.index[unread.to_numpy()]
        texts = frame.loc[rows, year_column]
        listed = ", ".join(
            f"row {r}: {shown(t)}" for r, t in zip(rows[:MAX_LISTED], texts, strict=False)
        )
        problems.append(
            f"{len(rows)} cell(s) of column {year_column!r} are not periods ({listed}). Fix: "
            f"write the year as 2021 (2021* for preliminary data; {_YEAR_FIX})"
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
            "year": periods["year"],
            "period": periods["period"].fillna(""),
            "preliminary": periods["preliminary"].astype(bool),
            "column_mark": periods["mark"],
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
    return cells.reset_index(drop=True), problems


def _wide_cells(
    frame: pd.DataFrame,
    region: str,
    across: str,
    labels: list[dict],
    indicator: str,
    unit: str | None,
    constant: dict[str, object],
) -> pd.DataFrame:
    """Melt the ``labels`` columns into one row per cell (``labels``: column, key, period,
    preliminary, mark)."""
    n, k = len(frame), len(labels)
    columns = [label["column"] for label in labels]
    unit_columns = [c for c in frame.columns if column_role(c) == "unit"]
    units = frame[unit_columns[0]].to_numpy() if unit_columns else np.full(n, unit or "", object)
    if unit_columns and unit:
        units = np.where(units == "", unit, units)

    def across_columns(field: str, dtype: type = object) -> np.ndarray:
        return np.tile(np.array([label[field] for label in labels], dtype=dtype), n)

    cells = pd.DataFrame(
        {
            "region_text": np.repeat(frame[region].to_numpy(), k),
            across: across_columns("key"),
            "period": across_columns("period"),
            "preliminary": across_columns("preliminary", bool),
            "column_mark": across_columns("mark"),
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
        if c != region
        and c not in wanted
        and column_role(c) not in ("unit", "code")
        and not _numbering(frame, c)
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
    path: str,
) -> pd.DataFrame:
    labels = []
    for column in frame.columns:
        if column == region:
            continue
        found, period, preliminary = period_header(column)
        if found is not None:
            labels.append(
                {
                    "column": column,
                    "key": found,
                    "period": period,
                    "preliminary": preliminary,
                    "mark": split_mark(column)[1],
                }
            )
    _unknown_columns(frame, region, [label["column"] for label in labels], "a period", path)
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
        {
            "column": c,
            "key": sector_header(c),
            "period": str(year),
            "preliminary": False,
            "mark": split_mark(c)[1],
        }
        for c in frame.columns
        if c != region and sector_header(c)
    ]
    _unknown_columns(frame, region, [label["column"] for label in labels], "a sector", path)
    if not labels:
        raise _fail(path, f"no column is headed by a sector; the columns are {list(frame.columns)}")
    return _wide_cells(frame, region, "sector", labels, indicator, unit, {"year": year})


def _row_list(rows: pd.Series) -> str:
    unique = pd.unique(rows)
    listed = ", ".join(map(str, unique[:10]))
    return (
        f"row {listed}"
        if len(unique) == 1
        else f"rows {listed}" + (", ..." if len(unique) > 10 else "")
    )


def _match(
    cells: pd.DataFrame, *, layout: str | None, aliases: Mapping[str, str] | None, path: str
) -> tuple[pd.Series, pd.Series, list[str], dict]:
    """Codes for ``region_name`` (matched once per distinct name), whether each was matched by
    its name (not a code or a user alias), problems and a summary."""
    from terraplan.territory.names import match_regions

    names = pd.Series(pd.unique(cells["region_name"]), dtype=object)
    national = names.map(is_national).astype(bool)
    report = match_regions(names[~national].tolist(), layout=layout, aliases=aliases, context=path)
    codes = pd.Series(None, index=names.index, dtype=object)
    codes[~national] = report.codes.to_numpy()
    codes[national] = NATIONAL
    table = report.table.set_index(names[~national].index)
    by_name = pd.Series(False, index=names.index)
    by_name[~national] = ~table["method"].isin(["code", "user"]).to_numpy()
    rows = cells.groupby("region_name", sort=False)["row"]
    problems = [
        f"{names[i]!r} ({_row_list(rows.get_group(names[i]))}): "
        + table.at[i, "status"].replace("_", " ")
        + (f"; {table.at[i, 'note']}" if table.at[i, "note"] else "")
        + (f"; did you mean: {table.at[i, 'suggestions']}" if table.at[i, "suggestions"] else "")
        for i in names.index[codes.isna().to_numpy()]
    ]
    fuzzy = table[table["method"].eq("fuzzy") & codes[~national].notna()]
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
        "fuzzy": [
            {"input": str(r["input"]), "code": str(r["code"]), "score": float(r["confidence"])}
            for _, r in fuzzy.iterrows()
        ],
    }
    code_of = dict(zip(names, codes, strict=True))
    named = dict(zip(names, by_name, strict=True))
    return (
        cells["region_name"].map(code_of),
        cells["region_name"].map(named).astype(bool),
        problems,
        summary,
    )


def _key_problems(cells: pd.DataFrame, keys: list[str]) -> list[str]:
    duplicated = cells.duplicated(keys, keep=False)
    if not duplicated.any():
        return []
    groups = cells[duplicated].groupby(keys, sort=True)
    lines = [
        f"  - {' / '.join(map(str, key))}: "
        + ", ".join(
            f"row {r} column {c!r}"
            for r, c in zip(g["row"][:_PER_KEY], g["column"][:_PER_KEY], strict=True)
        )
        + (f" and {len(g) - _PER_KEY} more" if len(g) > _PER_KEY else "")
        for key, g in itertools.islice(groups, MAX_LISTED)
    ]
    more = groups.ngroups - MAX_LISTED
    what = "(region, year, indicator, sector" + (", period)" if "period" in keys else ")")
    return [
        f"{groups.ngroups} {what} key(s) appear more than once:\n"
        + "\n".join(lines)
        + (f"\n  ... and {more} more" if more > 0 else "")
        + "\nFix: keep one row per region and period (a region spelt two ways counts twice; "
        "two columns headed by the same period count twice)"
    ]


def _one_or_all(column: pd.Series) -> str | list[str]:
    """The single value of a column, or its sorted distinct values when there are several."""
    distinct = sorted(column.unique().tolist())
    return distinct[0] if len(distinct) == 1 else distinct


def _distinct(series: pd.Series) -> list:
    """The distinct values of a column (without iterating over every cell in Python)."""
    return pd.unique(series.to_numpy(dtype=object)).tolist()


def _per_distinct(series: pd.Series, function) -> pd.Series:
    """``series.map(function)`` calling ``function`` once per distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [function(u) for u in uniques]
    return pd.Series(results[codes], index=series.index)


def _combinations(*parts: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """Codes of the distinct combinations of several columns, and the combinations."""
    codes = np.zeros(len(parts[0]), dtype=np.int64)
    levels = []
    for part in parts:
        part_codes, values = pd.factorize(part.astype(str), use_na_sentinel=False)
        codes = codes * max(len(values), 1) + part_codes
        levels.append(values)
    combined, distinct = pd.factorize(codes)
    combos = []
    for code in distinct:
        combo = []
        for values in reversed(levels):
            code, index = divmod(int(code), max(len(values), 1))
            combo.append(values[index])
        combos.append(tuple(reversed(combo)))
    return combined, combos


def _join_flags(*parts: pd.Series) -> pd.Series:
    """``;``-joined flag tokens of several string columns, each distinct combination once."""
    codes, combos = _combinations(*parts)
    joined = np.array([";".join(t for t in combo if t) for combo in combos], dtype=object)
    return pd.Series(joined[codes] if len(codes) else [], index=parts[0].index, dtype=str)


def _unit(given: str | None, title: list[str]) -> tuple[str | None, dict]:
    """The unit to use and what the title block says about it."""
    stated = sorted({u for u in map(unit_in_text, title) if u is not None})
    report = {"given": given, "in_title": stated}
    if given is not None:
        if stated and given not in stated:
            report["note"] = f"unit={given!r} was given; the title block says {stated}"
        return given, report
    if len(stated) == 1:
        return stated[0], report
    if stated:
        report["note"] = f"the title block names several units {stated}: pass unit="
    return None, report


_FIGURE_MARK = re.compile(r"(.*\d)\s*([¹²³⁴⁵⁶⁷⁸⁹]{1,2}|[1-9]\))")
_MARK_CHARACTERS = re.compile(r"\d\)|[¹²³⁴⁵⁶⁷⁸⁹]")
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹", "123456789")


def _figure_mark(text: str) -> tuple[str, str]:
    """A footnote mark on a figure (``123,4¹``, ``123,41)``: one digit): ``(figure, mark)``.

    >>> _figure_mark("123,4¹"), _figure_mark("1 234,51)"), _figure_mark("2021")
    (('123,4', '1'), ('1 234,5', '1'), ('2021', ''))
    """
    found = _FIGURE_MARK.fullmatch(text)
    if found is None or not NUMBER_PATTERN.fullmatch(found.group(1)):
        return text, ""
    return found.group(1), found.group(2).rstrip(")").translate(_SUPERSCRIPT_DIGITS)


def _notes(cells: pd.DataFrame, footnotes: dict[str, str]) -> tuple[pd.Series, list[str]]:
    """The footnote texts of each cell's marks (row label, column header, the figure itself),
    and marks whose text is not under the table."""
    pairs = cells[["row_mark", "column_mark", "cell_mark"]].astype(str)
    if "*" in footnotes:  # "2023*" is preliminary and the "* ..." line under the table says so
        pairs["column_mark"] = pairs["column_mark"].where(~cells["preliminary"].astype(bool), "*")
    codes, combos = _combinations(pairs["row_mark"], pairs["column_mark"], pairs["cell_mark"])
    texts = np.array(
        [
            "; ".join(
                f"{m} {footnotes[m]}" if m == "*" else f"{m}) {footnotes[m]}"
                for m in dict.fromkeys(combo)
                if m in footnotes
            )
            for combo in combos
        ],
        dtype=object,
    )
    marks = {m for combo in combos for m in combo}
    missing = sorted(m for m in marks if m and m != "*" and m not in footnotes)
    return pd.Series(texts[codes] if len(codes) else [], index=cells.index, dtype=str), missing


def _sum_check(cells: pd.DataFrame, values: pd.Series) -> dict:
    """Compare the national row with the sum of the regions wherever both are complete (a
    region's ``-`` counts as nothing, any other missing figure makes the sum incomplete)."""
    data = cells.assign(value=values.to_numpy())
    keys = ["year", "period", "indicator", "sector"]
    nation = data[data["region"].eq(NATIONAL)].groupby(keys, sort=True)["value"].first()
    regions = data[~data["region"].eq(NATIONAL)]
    # "-" says the phenomenon did not occur (or the unit did not exist yet): it adds nothing
    absent = regions["flag"].str.contains("missing:-", regex=False) & regions["value"].isna()
    parts = regions.assign(value=regions["value"].mask(absent, 0.0)).groupby(keys, sort=True)[
        "value"
    ]
    total = pd.DataFrame(
        {"sum": parts.sum(min_count=1), "n": parts.count(), "rows": parts.size()}
    ).join(nation.rename("national"), how="inner")
    total = total[(total["n"] == total["rows"]) & total["national"].notna()]
    tolerance = np.maximum(0.005 * total["national"].abs(), 0.05 * total["rows"])
    differ = total[(total["national"] - total["sum"]).abs() > tolerance]
    return {
        "compared": len(total),
        "disagreements": [
            {
                "period": key[1],
                "indicator": key[2],
                "sector": key[3],
                "national": float(r["national"]),
                "sum_of_regions": float(r["sum"]),
            }
            for key, r in differ.iterrows()
        ],
    }


def _select_periods(
    cells: pd.DataFrame, year: int | None, periods: str, shape: str, where: str
) -> tuple[pd.DataFrame, list[str]]:
    """The cells of ``year=`` and of the periods asked for, and the periods left out."""
    found_periods = sorted(set(_distinct(cells["period"])) - {""})
    annual = cells["period"].eq(cells["year"].astype(str))
    keep = pd.Series(True, index=cells.index)
    if year is not None and shape != "wide_sectors":
        keep &= cells["year"].eq(year).fillna(False).astype(bool)
    if periods == "annual":
        keep &= annual | cells["year"].isna()
    kept = cells[keep]
    if kept.empty and not cells.empty:
        if year is not None and not cells["year"].eq(year).fillna(False).any():
            raise _fail(where, f"no column is headed {year}; the periods are {found_periods}")
        raise _fail(
            where,
            f"the table holds no annual figures; its periods are {found_periods}. Fix: pass "
            "periods='all' to read quarters, half-years and cumulative months (a `period` "
            "column tells them apart)",
        )
    left_out = sorted(set(_distinct(cells.loc[~keep, "period"])) - {""})
    return kept.reset_index(drop=True), left_out


def _split_marks(cells: pd.DataFrame) -> pd.DataFrame:
    """Footnote marks off the region names and the figures: ``region_name``, ``row_mark``,
    ``cell_mark`` (and ``text`` without its mark)."""
    cells["region_name"] = _per_distinct(cells["region_text"], lambda t: split_mark(t)[0])
    cells["row_mark"] = _per_distinct(cells["region_text"], lambda t: split_mark(t)[1])
    cells["cell_mark"] = ""
    if _MARK_CHARACTERS.search("\n".join(_distinct(cells["text"]))):  # marks on figures are rare
        figure_marks = _per_distinct(cells["text"], _figure_mark)
        cells["text"] = figure_marks.str[0].astype(str)
        cells["cell_mark"] = figure_marks.str[1].astype(str)
    return cells


def _table(
    frame: pd.DataFrame,
    *,
    indicator: str | None = None,
    unit: str | None = None,
    sector: str = TOTAL,
    region_column: str | None = None,
    year: int | None = None,
    shape: str = "auto",
    layout: str | None = None,
    aliases: Mapping[str, str] | None = None,
    strict: bool = True,
    national: bool = True,
    nonnegative: bool = False,
    periods: str = "annual",
    check_sum: bool | str = "auto",
) -> pd.DataFrame:
    """The panel of one frame from :func:`read_frame` (see :func:`read_table`)."""
    source = frame.attrs["source"]
    where = source["path"] + (f", sheet {source['sheet']!r}" if source.get("sheet") else "")
    if periods not in PERIODS:
        raise _fail(where, f"unknown periods={periods!r}; use one of {PERIODS}")
    region = _region_column(frame, region_column, where)
    # the Bureau often writes the unit in the header cell over the region names
    unit, unit_report = _unit(
        unit, [*source.get("title", []), *source.get("units_in_header", []), region]
    )
    filler = _per_distinct(
        frame[region], lambda t: normalize_label(split_mark(t)[0]) in FILLER_LABELS
    ).astype(bool)
    others = frame.drop(columns=[region]).ne("").any(axis=1) if frame.shape[1] > 1 else False
    filler &= ~others
    left_out = [
        {"row": int(r), "label": str(t), "reason": "heading of a breakdown, no figures"}
        for r, t in zip(frame.index[filler], frame.loc[filler, region], strict=True)
    ]
    frame = frame[~filler]
    if shape == "auto":
        shape = _detect_shape(frame, region, year, where)
    if shape not in SHAPES:
        raise _fail(where, f"unknown shape {shape!r}; use one of {SHAPES} or 'auto'")
    problems: list[str] = []
    if shape == "long":
        cells, problems = _long_cells(frame, region, indicator, unit, sector, where)
    elif indicator is None:
        raise _fail(where, f"a {shape} table needs indicator='<id>' (the file does not name it)")
    elif shape == "wide_years":
        cells = _wide_year_cells(frame, region, indicator, unit, sector, where)
    elif year is None:
        raise _fail(where, "a table with sectors across needs year= (the year of its figures)")
    else:
        cells = _wide_sector_cells(frame, region, indicator, unit, int(year), where)
    cells, periods_left_out = _select_periods(cells, year, periods, shape, where)
    cells = _split_marks(cells)

    values, reasons, bad = parse_cells(cells["text"], stripped=True)
    if bad.any():
        problems.append(
            bad_cells_message(
                pd.Index(cells["row"][bad]),
                pd.Index(cells["column"][bad]),
                cells["text"][bad],
                reasons[bad],
            )
        )
    uncached = set(map(tuple, source.get("uncached_formulas", [])))
    formula = pd.Series(
        pd.MultiIndex.from_arrays([cells["row"], cells["column"]]).isin(list(uncached))
        if uncached
        else False,
        index=cells.index,
        dtype=bool,
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
    codes, named, match_problems, summary = _match(
        cells, layout=layout, aliases=aliases, path=where
    )
    footnotes = source.get("footnotes", {})
    codes, borders = decide_borders(
        cells.assign(code=codes, by_name=named, value=values.to_numpy()),
        footnotes=footnotes,
        notes=source.get("notes", []),
        layout=layout,
    )
    context = f"{where}, column {region!r}"
    keep = codes.ne(NATIONAL) if not national else pd.Series(True, index=codes.index)
    if not strict:
        keep &= codes.notna()
    cells, codes, values, reasons, formula = (
        x[keep] for x in (cells, codes, values, reasons, formula)
    )
    if strict and match_problems and not problems:
        raise RegionMatchError(match_problems, context=context)
    if strict and match_problems:
        problems.append(str(RegionMatchError(match_problems, context=context)))
    cells = cells.assign(region=codes.fillna(cells["region_name"]))
    problems += _key_problems(cells, _KEY if periods == "all" else list(KEY_COLUMNS))
    if problems:
        raise _fail(
            where, f"{len(problems)} kind(s) of problem in this table:\n\n" + "\n\n".join(problems)
        )

    notes, unexplained = _notes(cells, footnotes)
    flag = _join_flags(
        cells["preliminary"].map({True: "preliminary", False: ""}),
        cells["flag"],
        reasons.where(~formula, FORMULA_FLAG),
    )
    extras = [
        c
        for c in cells.columns
        if c
        not in {
            *PANEL_COLUMNS,
            "period",
            "region_text",
            "region_name",
            "row_mark",
            "column_mark",
            "cell_mark",
            "preliminary",
            "text",
            "row",
            "column",
        }
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
            "period": cells["period"].astype(str),
            "note": notes,
            # a long table's own columns; its "note" column is kept beside the footnotes
            **{(f"{c} (file)" if c == "note" else c): cells[c].astype(str) for c in extras},
        }
    )
    panel = panel.sort_values(_KEY, kind="stable").reset_index(drop=True)
    run_check = check_sum is True or (check_sum == "auto" and bool(source.get("formulas")))
    report = {
        "periods": sorted(_distinct(panel["period"])),
        "periods_left_out": periods_left_out,
        "unit": unit_report,
        "footnotes": footnotes,
        "marks_without_footnote": unexplained,
        "borders": borders,
        "formulas_without_value": [{"row": int(r), "column": str(c)} for r, c in sorted(uncached)],
        "sum_check": _sum_check(panel, panel["value"]) if run_check else None,
        "rows_left_out": left_out,
        "tables_left_out": source.get("tables_left_out", []),
    }
    panel.attrs = {
        "method": "read_table",
        "source": source,
        "shape": shape,
        "match": summary,
        "indicator": _one_or_all(panel["indicator"]),
        "unit": _one_or_all(panel["unit"]),
        "years": sorted(int(y) for y in panel["year"].unique()),
        "report": report,
    }
    return panel


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
    sheet: str | int | Sequence[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    strict: bool = True,
    national: bool = True,
    nonnegative: bool = False,
    encoding: str | None = None,
    sep: str | None = None,
    header_row: int | None = None,
    periods: str = "annual",
    check_sum: bool | str = "auto",
) -> pd.DataFrame:
    """Read a statistics table from CSV or XLSX into the tidy panel.

    The file is read by :func:`~terraplan.data.readers.read_frame` (encoding, separator, title
    block, multi-row headers, footnotes). Three shapes are understood (``shape="auto"`` tells
    them apart by their headers):

    ``long``
        columns region, year (or period), value and optionally indicator, sector, unit, flag,
        named in English or Russian (``регион``/``область``, ``год``/``период``,
        ``значение``, ``показатель``, ``отрасль``, ``ед. изм.``). With an indicator column,
        ``indicator=`` selects one. Other columns are kept as extra panel columns.
    ``wide_years``
        regions down the side, periods across: years (``2021``, ``2021 г.``, ``2021*``; ``*``
        = preliminary, flag ``preliminary``), quarters (``I квартал 2021``, ``I quarter``
        under a merged ``2021``), half-years (``I полугодие``) and cumulative months (``9
        месяцев``, ``январь-сентябрь``). ``year=`` keeps one year.
    ``wide_sectors``
        regions down the side, OKED sections across (``A``, ``C Manufacturing``, ``Всего``),
        for the single year given as ``year=``.

    Periods: every row has a ``period`` (``2008``, ``2008Q1``, ``2008H1``, ``2008M9`` for
    the 9 months from January). ``periods="annual"`` (default) keeps the annual figures, the
    others are listed in ``attrs["report"]["periods_left_out"]``; ``periods="all"`` keeps
    every period (the key is then region, year, indicator, sector and period).

    Footnote marks glued to names and headers (``Туркестанская2)``, ``20231)``) are removed
    before matching; the footnote texts under the table (``1) ...``) go to the ``note``
    column of the rows and years they mark. The unit is ``unit=``, else a unit column, else
    the unit stated in the title block (``млн. тенге`` -> ``million KZT``). Formula cells are
    read by their saved values; a formula saved without one gives ``NaN`` flagged
    ``formula_without_value``, and the national row is compared with the sum of the regions
    (``check_sum="auto"``: when the workbook has formulas; ``True``: always).

    Region names are matched once with :func:`terraplan.territory.names.match_regions`
    (``aliases``; ``layout=`` restricts them to one layout). Rows of split regions (East
    Kazakhstan, Almaty Region, Karaganda, Turkistan/South Kazakhstan) get their borders year by
    year from the table itself (:mod:`terraplan.data.readers.borders`): the decision and its
    reason are in ``attrs["report"]["borders"]``. Rows of the republic ("Республика
    Казахстан", "Kazakhstan", "Всего", "Total") get region ``KZ``; ``national=False`` drops
    them. Rows that only head a breakdown (``в том числе:``) are left out and listed.

    ``sheet="all"`` (or a list of sheet names) reads every visible worksheet of a workbook
    split into period sheets in one call: see :func:`read_workbook`.

    Every problem of the file is reported in one error: cells that are not numbers or out of
    a float's range, names that match no region (:class:`~terraplan.errors.RegionMatchError`
    when that is the only problem; ``strict=False`` drops those rows instead and lists them in
    ``attrs["match"]``), negative values when ``nonnegative=True`` (counts), and duplicated
    keys, each with its file row and column.

    Returns the panel (``region, year, indicator, sector, value, unit, flag``, then
    ``period``, ``note`` and any extra columns of a long table) sorted by its key, with
    ``attrs``: ``source`` (from :func:`read_frame`), ``shape``, ``match`` (counts, national,
    unmatched and fuzzy names, notes), ``method``, ``indicator``, ``unit``, ``years`` and
    ``report`` (periods kept and left out, unit, footnotes, borders, formulas without value,
    sum check, rows left out).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gva.csv"
    >>> _ = path.write_text("Область,A,C\\nАкмолинская,\\"1 200,5\\",-\\n", "utf-8")
    >>> panel = read_table(path, indicator="gva", year=2023)
    >>> panel[["region", "sector", "value", "flag"]].to_dict("records")
    [{'region': 'KZ-11', 'sector': 'A', 'value': 1200.5, 'flag': ''}, \
{'region': 'KZ-11', 'sector': 'C', 'value': nan, 'flag': 'missing:-'}]
    """
    options = {
        "indicator": indicator,
        "unit": unit,
        "sector": sector,
        "region_column": region_column,
        "year": year,
        "shape": shape,
        "layout": layout,
        "aliases": aliases,
        "strict": strict,
        "national": national,
        "nonnegative": nonnegative,
        "periods": periods,
        "check_sum": check_sum,
    }
    if sheet == "all" or (isinstance(sheet, Sequence) and not isinstance(sheet, str)):
        chosen = None if sheet == "all" else list(sheet)  # type: ignore[arg-type]
        return read_workbook(path, sheets=chosen, header_row=header_row, **options)
    frame = read_frame(path, sheet=sheet, encoding=encoding, sep=sep, header_row=header_row)
    return _table(frame, **options)


def _overlaps(panels: list[pd.DataFrame], names: list[str], path: str) -> tuple[pd.DataFrame, int]:
    """Concatenate sheet panels; equal overlaps are kept once, disagreeing ones refused."""
    both = pd.concat(
        [p.assign(_sheet=name) for p, name in zip(panels, names, strict=True)], ignore_index=True
    )
    repeated = both.duplicated(_KEY, keep=False)
    if not repeated.any():
        return both.drop(columns="_sheet"), 0
    groups = both[repeated].groupby(_KEY, sort=True)
    spread = groups["value"].agg(lambda v: v.max() - v.min() if v.notna().all() else np.nan)
    consistent = groups["value"].agg(lambda v: v.isna().all() or v.notna().all())
    differ = (~consistent) | (spread > 1e-9 * groups["value"].max().abs().clip(lower=1))
    if differ.any():
        lines = [
            f"  - {' / '.join(map(str, key))}: "
            + ", ".join(
                f"sheet {s!r}: {v}"
                for s, v in zip(
                    groups.get_group(key)["_sheet"], groups.get_group(key)["value"], strict=True
                )
            )
            for key in differ[differ].index[:MAX_LISTED]
        ]
        raise _fail(
            path,
            f"{int(differ.sum())} figure(s) appear on several sheets with different values:\n"
            + "\n".join(lines)
            + "\nFix: read the sheets one by one (sheet=) and choose, or correct the workbook",
        )
    return both.drop_duplicates(_KEY, keep="first").drop(columns="_sheet"), int(groups.ngroups)


def read_workbook(
    path: str | Path,
    *,
    sheets: Sequence[str] | None = None,
    header_row: int | None = None,
    **options: object,
) -> pd.DataFrame:
    """Read a workbook split into sheets (``1990-1997``, ``1998-2007``, ``2008-2023``) as one
    panel.

    Every visible worksheet (or the ``sheets`` named) is read by :func:`read_table` with the
    same ``options``; sheets without a table (contents, notes) and hidden sheets are left out
    and listed in ``attrs["report"]["sheets_left_out"]``. A figure on two sheets must agree
    (it is kept once); figures that disagree are refused, listed with their sheets. Problems of
    all sheets are reported together.

    >>> import tempfile, pathlib, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "grp.xlsx"
    >>> book = openpyxl.Workbook(); book.active.title = "1990-1997"
    >>> for row in (["Регион", 1996, 1997], ["Акмолинская", 1, 2]): book.active.append(row)
    >>> later = book.create_sheet("1997-1998")
    >>> for row in (["Регион", 1997, 1998], ["Акмолинская", 2, 3]): later.append(row)
    >>> book.save(path)
    >>> read_workbook(path, indicator="grp")[["year", "value"]].to_dict("list")
    {'year': [1996, 1997, 1998], 'value': [1.0, 2.0, 3.0]}
    """
    frames, skipped = read_frames(
        path, sheets=list(sheets) if sheets else None, header_row=header_row
    )
    where = str(path)
    panels, names, problems = [], [], []
    for frame in frames:
        name = frame.attrs["source"]["sheet"]
        try:
            panels.append(_table(frame, **options))  # type: ignore[arg-type]
            names.append(name)
        except _NoFigures:
            if sheets:
                raise
            skipped.append((name, "no table: no period, year or sector columns"))
        except (DataFormatError, RegionMatchError) as exc:
            problems.append(f"sheet {name!r}: {exc}")
    if problems:
        raise _fail(where, f"{len(problems)} sheet(s) have problems:\n\n" + "\n\n".join(problems))
    if not panels:
        raise _fail(where, f"no sheet holds a table; left out: {skipped}")
    skipped.sort()
    panel, overlaps = _overlaps(panels, names, where)
    panel = panel.sort_values(_KEY, kind="stable").reset_index(drop=True)
    panel.attrs = {
        "method": "read_workbook",
        "source": {"path": where, "format": "xlsx", "sheets": names},
        "shape": _one_or_all(pd.Series([p.attrs["shape"] for p in panels])),
        "match": {name: p.attrs["match"] for name, p in zip(names, panels, strict=True)},
        "indicator": _one_or_all(panel["indicator"]),
        "unit": _one_or_all(panel["unit"]),
        "years": sorted(int(y) for y in panel["year"].unique()),
        "report": {
            "sheets": {name: p.attrs["report"] for name, p in zip(names, panels, strict=True)},
            "sheets_left_out": [{"sheet": s, "reason": r} for s, r in skipped],
            "overlapping_figures": overlaps,
            "borders": [
                {**entry, "sheet": name}
                for name, p in zip(names, panels, strict=True)
                for entry in p.attrs["report"]["borders"]
            ],
        },
    }
    return panel
