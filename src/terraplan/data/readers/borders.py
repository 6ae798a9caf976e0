"""Which borders a region row of a table stands for, year by year, decided from the table.

The Bureau keeps a row label when a region is split: "Восточно-Казахстанская" is East
Kazakhstan with Abai before June 2022 (``KZ-VOS``) and without it after (``KZ-63``), and the
same holds for Almaty Region and Jetisu (``KZ-ALM``/``KZ-19``), Karaganda and Ulytau
(``KZ-KAR``/``KZ-35``), South Kazakhstan or "Туркестанская" and Shymkent (``KZ-YUZ``/``KZ-61``).
Republished series put old years on new borders. So the year alone does not tell; the table
does. For each row matched by its name to a continuing unit or to its historic predecessor, and
each year:

1. the label itself (``... (в границах до 2022 г.)``), a footnote that states the borders
   (``в новых границах``, ``in the borders before 2022``) attached to the row's or the year's
   mark, or a note under the table without a mark, wins;
2. else, when the table has a row for a split-off unit (Abai, Jetisu, Ulytau; Shymkent), the
   parent is on the new borders in the years where that row has a figure, on the old ones
   where it has none;
3. else the borders in force that year (the registry's ``valid_from``) for a continuing
   unit's name, the old borders for the historic unit's own name ("South Kazakhstan").

A table with rows for both names ("Южно-Казахстанская" and "Туркестанская") tells them apart
itself: after a statement of the borders, each row is the unit it names.

A value on old borders gets the historic code, never a current one. Rows matched by a code or
a user alias, and tables read with ``layout=``, keep the code they were given.

Example
-------
>>> import pandas as pd
>>> cells = pd.DataFrame({
...     "region_name": ["Карагандинская", "Карагандинская", "Улытауская", "Улытауская"],
...     "code": ["KZ-35", "KZ-35", "KZ-62", "KZ-62"], "by_name": True,
...     "year": [2021, 2022, 2021, 2022], "value": [10.0, 7.0, float("nan"), 3.0],
...     "row_mark": "", "column_mark": ""})
>>> codes, report = decide_borders(cells, footnotes={}, notes=[], layout=None)
>>> codes.tolist()
['KZ-KAR', 'KZ-35', 'KZ-62', 'KZ-62']
>>> [(r["year"], r["code"]) for r in report]
[(2021, 'KZ-KAR'), (2022, 'KZ-35')]
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from terraplan.data.readers.headers import borders_in_note, footnote


@cache
def split_units() -> dict[str, tuple[str, tuple[str, ...]]]:
    """``{continuing unit: (historic unit, units split off)}`` from the registry.

    The continuing unit of a historic one is its successor with the same statistics code, else
    its only successor of the same kind (South Kazakhstan -> Turkistan Region, not Shymkent).

    >>> split_units()["KZ-63"], split_units()["KZ-61"]
    (('KZ-VOS', ('KZ-10',)), ('KZ-YUZ', ('KZ-79',)))
    """
    from terraplan.territory.registry import regions

    table = regions(None)
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for code, row in table[table["successors"].ne("")].iterrows():
        successors = row["successors"].split()
        same = [s for s in successors if table.at[s, "stat_code"] == row["stat_code"]]
        same = same or [s for s in successors if table.at[s, "kind"] == row["kind"]]
        if len(same) == 1:
            out[same[0]] = (str(code), tuple(s for s in successors if s != same[0]))
    return out


def _stated(text: str, year: int) -> str | None:
    """``"new"``/``"old"`` when ``text`` states the borders of ``year``, else None."""
    said, years = borders_in_note(text)
    return said if said is not None and (not years or year in years) else None


@cache
def _names(codes: tuple[str, ...]) -> str:
    from terraplan.territory.registry import region_record

    return ", ".join(region_record(code).name_en for code in codes)


@cache
def _valid_from(code: str) -> int:
    from terraplan.territory.registry import region_record

    return region_record(code).valid_from


def _decide(
    code: str,
    year: int,
    label: str,
    historic_label: bool,
    marks: list[str],
    notes: tuple[dict[str, str], list[str]],
    split_off_present: bool,
    figures: set[tuple[str, int]],
    both_named: bool = False,
) -> tuple[str, str]:
    """``("new" | "old", reason)`` for one row label of continuing unit ``code`` in ``year``
    (``historic_label``: the label is the historic unit's own name; ``both_named``: the table
    has rows for both names, so each row is the unit it names)."""
    footnotes, unmarked = notes
    said = _stated(label, year)
    if said:
        return said, f"the label says so: {label}"
    for mark in (m for m in marks if m in footnotes):
        said = _stated(footnotes[mark], year)
        if said:
            return said, f"footnote {mark}) {footnotes[mark]}"
    for line in unmarked:
        said = _stated(line, year)
        if said:
            return said, f"note: {line}"
    historic, split_off = split_units()[code]
    names = _names(split_off)
    if both_named:
        return (
            "old" if historic_label else "new",
            f"the table has rows for both {code} and {historic}: each is the unit it names",
        )
    if split_off_present:
        if any((s, year) in figures for s in split_off):
            return "new", f"{names} has figures in {year}"
        return "old", f"{names} has no figure in {year}"
    if historic_label:
        return "old", f"no {names} row in the table: the label names the unit on its old borders"
    decided = "new" if year >= _valid_from(code) else "old"
    return decided, f"no {names} row in the table: the borders in force in {year}"


def decide_borders(
    cells: pd.DataFrame, *, footnotes: dict[str, str], notes: list[str], layout: str | None
) -> tuple[pd.Series, list[dict]]:
    """Codes with the per-year border decision applied, and the decision for each row and year.

    ``cells`` has the columns ``region_name``, ``code`` (matched), ``by_name`` (matched by its
    name), ``year``, ``value``, ``row_mark`` and ``column_mark``. The report lists one
    ``{"label", "year", "code", "reason"}`` per parent row and year.
    """
    codes = cells["code"].copy()
    units = split_units()
    continuing = {historic: code for code, (historic, _) in units.items()}
    subject = cells["code"].isin([*units, *continuing]) & cells["by_name"].astype(bool)
    subject &= cells["year"].notna()
    if not subject.any():
        return codes, []
    unmarked = [line for line in notes if footnote(line) is None]
    present = set(pd.unique(cells["code"].dropna().to_numpy(dtype=object)))
    split_off_codes = [s for _, others in units.values() for s in others]
    evidence = cells["value"].notna() & cells["year"].notna() & cells["code"].isin(split_off_codes)
    with_figures = cells.loc[evidence, ["code", "year"]].drop_duplicates()
    figures = set(
        zip(
            with_figures["code"].tolist(),
            with_figures["year"].astype("int64").tolist(),
            strict=True,
        )
    )
    keys = ["region_name", "code", "year"]
    marks = (
        pd.concat(
            [
                cells.loc[subject, [*keys, "row_mark"]].rename(columns={"row_mark": "mark"}),
                cells.loc[subject, [*keys, "column_mark"]].rename(columns={"column_mark": "mark"}),
            ]
        )
        .drop_duplicates()
        .groupby(keys, sort=True)["mark"]
        .agg(list)
    )
    named = set(pd.unique(cells.loc[subject, "code"].to_numpy(dtype=object)))
    both = {code for code, (historic, _) in units.items() if {code, historic} <= named}
    report, chosen = [], {}
    for (label, matched, year), marked in marks.items():
        code = continuing.get(matched, matched)
        historic, split_off = units[code]
        year = int(year)
        if layout is not None:
            decided, reason = ("old" if matched == historic else "new"), f"{layout=}"
        else:
            decided, reason = _decide(
                code,
                year,
                label,
                matched == historic,
                marked,
                (footnotes, unmarked),
                bool(present & set(split_off)),
                figures,
                both_named=code in both,
            )
        chosen[(label, matched, year)] = code if decided == "new" else historic
        report.append(
            {"label": label, "year": year, "code": chosen[(label, matched, year)], "reason": reason}
        )
    where = pd.MultiIndex.from_arrays(
        [
            cells.loc[subject, "region_name"],
            cells.loc[subject, "code"],
            cells.loc[subject, "year"].astype(int),
        ]
    )
    codes[subject] = pd.Series(chosen).reindex(where).to_numpy()
    return codes, report
