"""What table headers and labels mean: column names (English, Russian, Kazakh), years, sectors.

Example
-------
>>> column_role("Регион"), column_role("Год"), column_role("Значение"), column_role("2021")
('region', 'year', 'value', None)
>>> year_header("2024*")
(2024, True)
>>> sector_header("С Обрабатывающая промышленность")
'C'
"""

from __future__ import annotations

import re

import pandas as pd

#: Normalized header text -> the panel column it holds (long tables; region column anywhere).
COLUMN_ROLES: dict[str, str] = {
    **dict.fromkeys(
        (
            "region",
            "regions",
            "region name",
            "oblast",
            "territory",
            "регион",
            "регионы",
            "область",
            "области",
            "территория",
            "наименование региона",
            "наименование",
            "облыс",
            "өңір",
            "аймақ",
        ),
        "region",
    ),
    **dict.fromkeys(("year", "years", "год", "годы", "жыл", "period", "период"), "year"),
    **dict.fromkeys(("value", "values", "значение", "величина", "мән"), "value"),
    **dict.fromkeys(("indicator", "показатель", "көрсеткіш"), "indicator"),
    **dict.fromkeys(
        (
            "sector",
            "sectors",
            "oked",
            "nace",
            "отрасль",
            "окэд",
            "секция",
            "вид деятельности",
            "вид экономической деятельности",
        ),
        "sector",
    ),
    **dict.fromkeys(
        ("unit", "units", "единица", "единица измерения", "ед. изм", "ед.изм", "өлшем бірлігі"),
        "unit",
    ),
    **dict.fromkeys(("flag", "flags", "признак"), "flag"),
    **dict.fromkeys(("code", "код", "kato", "като", "iso", "№", "no", "n", "№ п/п"), "code"),
}

#: Region labels that stand for the whole country; their rows become region ``KZ``.
NATIONAL_NAMES: frozenset[str] = frozenset(
    {
        "республика казахстан",
        "республика казахстан всего",
        "казахстан",
        "рк",
        "republic of kazakhstan",
        "kazakhstan",
        "kz",
        "қазақстан республикасы",
        "қазақстан",
        "всего",
        "итого",
        "всего по республике",
        "total",
        "жиыны",
        "барлығы",
    }
)

#: A year header: ``2021``, ``2021 г.``, ``2021 год``, ``2021*`` (``*`` marks preliminary data).
YEAR_PATTERN = re.compile(r"((?:19|20)\d\d)\s*(?:г|гг|год|годы|жыл|y)?\.?\s*(\*+)?", re.IGNORECASE)

_CYRILLIC_LOOKALIKES = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")
_SECTION = re.compile(
    r"(?:секция|раздел|section)?\s*([A-UА-Я])\.?(?:(?:\s*[.:)\-–—]|\s)\s*\S.*)?"
    r"|([A-Z][A-Z0-9_]*)",
    re.IGNORECASE | re.DOTALL,
)
_TOTAL_WORDS = frozenset({"всего", "итого", "total", "барлығы", "жиыны"})


def normalize_label(text: str) -> str:
    """Case-folded, single-spaced, ``ё`` as ``е``, without trailing ``.``/``:``/``,``.

    >>> normalize_label("  Ед.  изм.: ")
    'ед. изм'
    """
    text = " ".join(str(text).split()).casefold().replace("ё", "е")
    return text.rstrip(".:,").strip()


def column_role(label: str) -> str | None:
    """The panel column a header names (``region``, ``year``, ``value``, ...), or ``None``.

    >>> column_role("Ед. изм."), column_role("Жыл"), column_role("Население")
    ('unit', 'year', None)
    """
    return COLUMN_ROLES.get(normalize_label(label))


def year_header(label: str) -> tuple[int | None, bool]:
    """``(year, preliminary)`` when ``label`` is a year header, else ``(None, False)``.

    >>> year_header("2021 г."), year_header("2023**"), year_header("2021-2023")
    ((2021, False), (2023, True), (None, False))
    """
    found = YEAR_PATTERN.fullmatch(str(label).strip())
    if found is None:
        return None, False
    return int(found.group(1)), bool(found.group(2))


def parse_years(labels: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorized :func:`year_header`: ``(year as nullable Int64, preliminary as bool)``.

    >>> years, prelim = parse_years(pd.Series(["2021", "2022 г.", "2023*", "abc"]))
    >>> years.tolist(), prelim.tolist()
    ([2021, 2022, 2023, <NA>], [False, False, True, False])
    """

    def parse(distinct: pd.Series) -> pd.Series:
        parts = (
            distinct.astype(str)
            .str.strip()
            .str.extract(f"^(?:{YEAR_PATTERN.pattern})$", flags=re.IGNORECASE)
        )
        years = pd.to_numeric(parts[0], errors="coerce").astype("Int64")
        return pd.DataFrame({"year": years, "preliminary": parts[1].notna() & years.notna()})

    codes, uniques = pd.factorize(labels, use_na_sentinel=False)
    parsed = parse(pd.Series(uniques, dtype=object)).iloc[codes]
    parsed.index = labels.index
    return parsed["year"], parsed["preliminary"].astype(bool)


def sector_header(label: str) -> str | None:
    """The sector id a header names, or ``None``.

    OKED section letters (Latin or their Cyrillic look-alikes), alone or followed by the
    section's name (``"A"``, ``"A."``, ``"C Manufacturing"``, ``"Секция F"``); upper-case ids
    (``TOTAL``, ``IND``, ``OTHER_SERVICES``); "Всего"/"Total" as ``TOTAL``.

    >>> labels = ["A", "b. Mining", "Всего", "OTHER_SERVICES", "Region", "Секция F", "Х"]
    >>> [sector_header(x) for x in labels]
    ['A', 'B', 'TOTAL', 'OTHER_SERVICES', None, 'F', None]
    """
    text = " ".join(str(label).split())
    if normalize_label(text) in _TOTAL_WORDS:
        return "TOTAL"
    found = _SECTION.fullmatch(text)
    if found is None:
        return None
    if found.group(2) is not None:
        return found.group(2) if found.group(2).isupper() else None
    letter = found.group(1).upper().translate(_CYRILLIC_LOOKALIKES)
    return letter if "A" <= letter <= "U" else None
