"""The analyst's own data: files read into the panel, with their indicator's name, unit, polarity.

A file is any table :func:`~terraplan.data.readers.read_table` reads (a tidy panel CSV, a
years-across table, a workbook sheet). What the indicator is comes, in this order, from the
caller (``terraplan.toml``'s ``[data.<id>]`` table, or :class:`DataSource` fields), from a small
sidecar next to the file (``<file>.toml``, e.g. ``doctors.csv.toml``), and from the file
itself (the unit of its title block; the id from the file name). Keys of a sidecar or a
``[data.<id>]`` table::

    indicator = "doctors"                 # id (the table name in terraplan.toml)
    name = "Doctors per 10,000 people"    # name_ru, name_kk for the other languages
    unit = "per 10,000 people"
    polarity = "higher_is_better"         # or lower_is_better, neutral
    sheet = "2023"                        # and other read options: year, sector, layout,
                                          # region_column, shape, header_row, encoding, sep

While a run uses such data, :func:`current_indicators` tells
:func:`terraplan.pipeline.indicator_meta` the indicator's name (marked "your data"), unit and
polarity, so maps, ranks and profiles treat it like a bundled one. :func:`data_diff` lists what
a new file changes against the data in use.

Example
-------
>>> import pandas as pd
>>> old = pd.DataFrame({"region": ["KZ-35", "KZ-23"], "year": 2023, "indicator": "x",
...                     "value": [1.0, 2.0]})
>>> new = pd.DataFrame({"region": ["KZ-35", "KZ-71"], "year": 2023, "indicator": "x",
...                     "value": [1.5, 3.0]})
>>> data_diff(old, new)[["region", "status", "old", "new"]].values.tolist()
[['KZ-23', 'disappeared', 2.0, nan], ['KZ-35', 'changed', 1.0, 1.5], ['KZ-71', 'added', nan, 3.0]]
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from terraplan.data.panel import KEY_COLUMNS, PANEL_COLUMNS, validate_panel
from terraplan.errors import ConfigError, InputError

POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
#: Options passed on to read_table.
READ_OPTIONS = (
    "sheet",
    "year",
    "sector",
    "layout",
    "region_column",
    "shape",
    "header_row",
    "encoding",
    "sep",
)
_META = ("indicator", "name", "name_en", "name_ru", "name_kk", "unit", "polarity")
_USER: ContextVar[Mapping[str, Mapping[str, str]]] = ContextVar("terraplan_user_indicators")


@dataclass(frozen=True)
class DataSource:
    """One file of the analyst's and what its indicator is (``None``: from sidecar or file)."""

    file: Path
    indicator: str | None = None
    name: str | None = None
    name_ru: str | None = None
    name_kk: str | None = None
    unit: str | None = None
    polarity: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, where: str = "") -> DataSource:
        """A source from a ``[data.<id>]`` table or a sidecar (unknown keys are refused).

        >>> DataSource.from_mapping({"file": "d.csv", "polarity": "lower_is_better"}).polarity
        'lower_is_better'
        """
        allowed = {"file", *_META, *READ_OPTIONS}
        unknown = sorted(set(data) - allowed)
        listed = ", ".join(sorted(allowed))
        problems = [f"{key}: unknown key (allowed: {listed})" for key in unknown]
        polarity = data.get("polarity")
        if polarity is not None and polarity not in POLARITIES:
            problems.append(f"polarity: {polarity!r} is not one of {', '.join(POLARITIES)}")
        if "file" not in data:
            problems.append("file: missing (the path of the data file)")
        if problems:
            raise ConfigError(
                f"{where or 'data source'}: {len(problems)} problem(s):\n"
                + "\n".join(f"  - {p}" for p in problems)
            )
        return cls(
            file=Path(str(data["file"])),
            indicator=data.get("indicator"),
            name=data.get("name") or data.get("name_en"),
            name_ru=data.get("name_ru"),
            name_kk=data.get("name_kk"),
            unit=data.get("unit"),
            polarity=polarity,
            options={k: data[k] for k in READ_OPTIONS if k in data},
        )


def sidecar_path(file: Path) -> Path:
    """The sidecar of ``file``: ``doctors.csv`` -> ``doctors.csv.toml``.

    >>> sidecar_path(Path("data/doctors.csv")).as_posix()
    'data/doctors.csv.toml'
    """
    return file.with_name(file.name + ".toml")


def with_sidecar(source: DataSource) -> DataSource:
    """Fill what ``source`` leaves open from its sidecar, if there is one."""
    path = sidecar_path(source.file)
    if not path.is_file():
        return source
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    side = DataSource.from_mapping({"file": str(source.file), **data}, where=str(path))
    values = {
        key: getattr(source, key) if getattr(source, key) is not None else getattr(side, key)
        for key in ("indicator", "name", "name_ru", "name_kk", "unit", "polarity")
    }
    return DataSource(file=source.file, options={**side.options, **source.options}, **values)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_source(source: DataSource) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read one source into a tidy panel; return it and its record (for the manifest).

    The indicator id is the source's (or its sidecar's), else the file's own indicator column,
    else the file name's stem.
    """
    from terraplan.data.readers import read_table

    source = with_sidecar(source)
    if not source.file.is_file():
        raise InputError(
            f"data file {source.file} not found; give the path of a CSV or XLSX file "
            "(relative paths in terraplan.toml are relative to that file)"
        )
    indicator = source.indicator or _id_from_name(source.file.stem)
    options = dict(source.options)
    if source.indicator is not None:
        panel = read_table(source.file, indicator=indicator, unit=source.unit, **options)
    else:  # a long file may name its indicator(s); otherwise the file name does
        try:
            panel = read_table(source.file, indicator=None, unit=source.unit, **options)
        except InputError:
            panel = read_table(source.file, indicator=indicator, unit=source.unit, **options)
    if panel.empty:
        raise InputError(f"data file {source.file}: no values were read")
    if source.indicator is None and panel["indicator"].nunique() == 1:
        indicator = str(panel["indicator"].iloc[0])
    panel = panel[list(PANEL_COLUMNS)].copy()
    units = sorted(set(panel["unit"]) - {""})
    record = {
        "file": source.file.name,
        "path": str(source.file),
        "sha256": file_sha256(source.file),
        "bytes": source.file.stat().st_size,
        "indicator": indicator,
        "indicators": sorted(panel["indicator"].unique()),
        "name_en": source.name or indicator,
        "name_ru": source.name_ru or source.name or indicator,
        "name_kk": source.name_kk or source.name or indicator,
        "unit": source.unit or (units[0] if units else ""),
        "polarity": source.polarity or "neutral",
        "polarity_given": source.polarity is not None,
        "sheet": options.get("sheet"),
        "read_options": {k: options[k] for k in sorted(options)},
        "sidecar": sidecar_path(source.file).name if sidecar_path(source.file).is_file() else None,
        "rows": len(panel),
        "years": sorted(int(y) for y in panel["year"].unique()),
    }
    return panel, record


def _id_from_name(stem: str) -> str:
    """An indicator id from a file name: ``Doctors 2023`` -> ``doctors_2023``.

    >>> _id_from_name("Doctors per 10k (2023)")
    'doctors_per_10k_2023'
    """
    import re

    return re.sub(r"[^0-9a-z]+", "_", stem.casefold()).strip("_") or "user_data"


def load_sources(sources: Sequence[DataSource]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Read every source; problems of all files are reported together."""
    frames, records, problems = [], [], []
    for source in sources:
        try:
            frame, record = read_source(source)
        except (InputError, ConfigError) as exc:
            problems.append(f"{source.file}: {exc}")
            continue
        frames.append(frame)
        records.append(record)
    ids = [r["indicator"] for r in records]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        problems.append(
            f"indicator(s) {', '.join(twice)} come from more than one file; give each file its "
            "own indicator id (indicator = ... in its sidecar or [data.<id>])"
        )
    if problems:
        raise InputError(
            f"{len(problems)} problem(s) reading your data:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    panel = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PANEL_COLUMNS)
    return panel, records


def merge_user_panel(base: pd.DataFrame, user: pd.DataFrame) -> pd.DataFrame:
    """``base`` with the user's rows added; a user indicator replaces a bundled one of the same
    id entirely (the analyst's file is the data in use for it)."""
    if user.empty:
        return base
    kept = base[~base["indicator"].isin(set(user["indicator"]))]
    return pd.concat([kept, user[kept.columns.intersection(user.columns)]], ignore_index=True)


def indicator_records(records: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Indicator id -> the metadata :func:`terraplan.pipeline.indicator_meta` needs."""
    out: dict[str, dict[str, str]] = {}
    for record in records:
        for indicator in record["indicators"]:
            out[indicator] = {
                "name_en": record["name_en"],
                "name_ru": record["name_ru"],
                "name_kk": record["name_kk"],
                "unit": record["unit"],
                "polarity": record["polarity"],
                "source": f"user:{record['file']}",
                "file": record["file"],
            }
    return out


def current_indicators() -> Mapping[str, Mapping[str, str]]:
    """The user indicators of the run in progress (empty outside one)."""
    return _USER.get({})


def set_indicators(indicators: Mapping[str, Mapping[str, str]]) -> None:
    """Make ``indicators`` the user indicators of the current run (``{}`` clears them)."""
    _USER.set(dict(indicators))


@contextmanager
def using_indicators(indicators: Mapping[str, Mapping[str, str]]) -> Iterator[None]:
    """Use ``indicators`` inside a ``with`` block only.

    >>> with using_indicators({"x": {"name_en": "X"}}):
    ...     sorted(current_indicators())
    ['x']
    >>> sorted(current_indicators())
    []
    """
    token = _USER.set(dict(indicators))
    try:
        yield
    finally:
        _USER.reset(token)


def data_diff(old: pd.DataFrame, new: pd.DataFrame, *, rtol: float = 0.0) -> pd.DataFrame:
    """Every value of ``new`` that differs from ``old``: ``changed``, ``added``, ``disappeared``.

    Compared by key (region, year, indicator, sector), only for the indicators of ``new``;
    ``disappeared`` keys are those of ``old`` in the years ``new`` covers. Two missing values
    are equal; a changed flag alone (``preliminary`` dropped) is a change too. Returns
    ``region, year, indicator, sector, status, old, new, change, old_flag, new_flag`` sorted by
    key, with ``attrs`` counting each status.
    """
    old = validate_panel(old, name="the data in use")
    new = validate_panel(new, name="the new file")
    key = list(KEY_COLUMNS)
    new_years = new.groupby("indicator")["year"].agg(["min", "max"])
    old = old[old["indicator"].isin(new_years.index)]
    span = new_years.reindex(old["indicator"])
    old = old[(old["year"].to_numpy() >= span["min"].to_numpy())
              & (old["year"].to_numpy() <= span["max"].to_numpy())]  # fmt: skip
    merged = old[[*key, "value", "flag"]].merge(
        new[[*key, "value", "flag"]], on=key, how="outer", suffixes=("_old", "_new"),
        indicator=True,
    )  # fmt: skip
    for side in ("old", "new"):
        merged[f"flag_{side}"] = merged[f"flag_{side}"].fillna("").astype(str)
    a, b = merged["value_old"].to_numpy(float), merged["value_new"].to_numpy(float)
    both_nan = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore"):
        same = both_nan | (np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)))
    same &= merged["flag_old"].to_numpy() == merged["flag_new"].to_numpy()
    status = np.select(
        [merged["_merge"].eq("left_only"), merged["_merge"].eq("right_only"), ~same],
        ["disappeared", "added", "changed"],
        default="same",
    )
    out = pd.DataFrame(
        {
            **{c: merged[c] for c in key},
            "status": status,
            "old": a,
            "new": b,
            "change": b - a,
            "old_flag": merged["flag_old"],
            "new_flag": merged["flag_new"],
        }
    )
    out = out[out["status"] != "same"].sort_values(key, kind="mergesort", ignore_index=True)
    out.attrs = {
        "method": "data diff (by region, year, indicator, sector)",
        "counts": {s: int((out["status"] == s).sum()) for s in ("changed", "added", "disappeared")},
        "compared": len(merged),
        "years": {str(i): f"{int(r['min'])}-{int(r['max'])}" for i, r in new_years.iterrows()},
    }
    return out
