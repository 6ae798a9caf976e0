"""What table headers and labels mean: column names (English, Russian, Kazakh), periods, sectors,
footnote marks, units and what notes say about borders.

Example
-------
>>> column_role("Регион"), column_role("Год"), column_role("Значение"), column_role("2021")
('region', 'year', 'value', None)
>>> period_header("2024*"), period_header("I квартал 2024 года")
((2024, '2024', True), (2024, '2024Q1', False))
>>> sector_header("С Обрабатывающая промышленность")
'C'
"""

from __future__ import annotations

import re

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
    >>> column_role("Регион1)")
    'region'

    """
    return COLUMN_ROLES.get(normalize_label(split_mark(str(label))[0]))


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


# --------------------------------------------------------------------------- footnote marks

_YEAR_MARK = re.compile(r"((?:19|20)\d\d)(\d{1,2})\)")
_TEXT_MARK = re.compile(r"(.*?\D)\s*(\d{1,2})\)")
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_SUPER_MARK = re.compile(r"(.*?)\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
#: A footnote line under a table: ``1) text``, ``2)text``, ``* text``, ``¹ text``.
FOOTNOTE_LINE = re.compile(r"\s*(\d{1,2}\)|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹]+)\s*(\S.*)", re.DOTALL)
#: First words of the lines under a table that are notes, never data rows.
NOTE_WORDS = re.compile(
    r"\s*(примечани[ея]|сноск[аи]|источник|note|notes|source|ескерту|дереккөз)\b",
    re.IGNORECASE,
)


def split_mark(text: str) -> tuple[str, str]:
    """Split a footnote mark glued to a header or a name: ``(text, mark)`` (mark ``""``: none).

    A mark is ``1)`` .. ``99)`` after a year or a word, or superscript digits (``¹``). A
    trailing ``*`` is not a mark here: on a year it means preliminary data.

    >>> split_mark("19901)"), split_mark("Туркестанская2)"), split_mark("Unemployment rate1)")
    (('1990', '1'), ('Туркестанская', '2'), ('Unemployment rate', '1'))
    >>> split_mark("Алматинская¹"), split_mark("2023"), split_mark("I квартал 20082)")
    (('Алматинская', '1'), ('2023', ''), ('I квартал 2008', '2'))
    """
    text = str(text).strip()
    if not text.endswith(")") and not text[-1:].translate(_SUPERSCRIPTS).isdigit():
        return text, ""
    found = re.fullmatch(rf"(.*?)\s*{_YEAR_MARK.pattern}", text, re.DOTALL)
    if found is not None:
        return f"{found.group(1)} {found.group(2)}".strip(), found.group(3)
    found = _TEXT_MARK.fullmatch(text)
    if found is not None and found.group(1).strip() and not found.group(1).rstrip().endswith("("):
        return found.group(1).strip(), found.group(2)
    found = _SUPER_MARK.fullmatch(text)
    if found is not None and found.group(1):
        return found.group(1).strip(), found.group(2).translate(_SUPERSCRIPTS)
    return text, ""


def footnote(line: str) -> tuple[str, str] | None:
    """``(mark, text)`` of a footnote line (``"1) Оценка"`` -> ``("1", "Оценка")``), else None.

    >>> footnote("2) Данные в новых границах"), footnote("* предварительные данные")
    (('2', 'Данные в новых границах'), ('*', 'предварительные данные'))
    >>> footnote("Акмолинская") is None
    True
    """
    found = FOOTNOTE_LINE.fullmatch(str(line))
    if found is None:
        return None
    mark = found.group(1).rstrip(")").translate(_SUPERSCRIPTS)
    return mark, found.group(2).strip()


# --------------------------------------------------------------------------- periods

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4, "і": 1, "іі": 2}
_ORDINAL = r"(?:\s*-?\s*(?:й|ый|ой|ий|е|ое|ье|st|nd|rd|th))?"
_NUMBER = r"(iv|iii|ii|i|і{1,2}|[1-4])"
_QUARTER = re.compile(
    rf"(?<![\w]){_NUMBER}{_ORDINAL}\s*(?:квартал\w*|кв\.?|quarter\w*|qtr\.?|тоқсан\w*)"
    r"|(?<![a-z])q\s*([1-4])(?!\d)"
    r"|(first|second|third|fourth)\s+quarter\w*"
)
_HALF = re.compile(
    rf"(?<![\w]){_NUMBER}{_ORDINAL}\s*(?:полугоди\w*|half\w*|жарты\s*жыл\w*|жартыжылдық\w*)"
    r"|(?<![a-z])h\s*([12])(?!\d)"
    r"|(first|second)\s+half\w*"
)
_MONTHS_COUNT = re.compile(r"(?<!\d)(\d{1,2})\s*(?:месяц\w*|мес\.?|months?|ай\w*)(?!\w)")
_MONTH_STEMS: dict[str, int] = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма[йя]": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}  # fmt: skip
# Russian and Kazakh months by their stems (any ending); English ones spelt out or abbreviated
# only, so that "market" or "decrease" are not March and December
_ENGLISH_MONTHS = (
    r"january|jan\.?|february|feb\.?|march|mar\.?|april|apr\.?|may|june|jun\.?|july|jul\.?|"
    r"august|aug\.?|september|sept?\.?|october|oct\.?|november|nov\.?|december|dec\.?"
)
_LOCAL_STEMS = "|".join(stem for stem in _MONTH_STEMS if not stem.isascii())
_MONTH = rf"((?:{_LOCAL_STEMS})\w*|(?:{_ENGLISH_MONTHS})(?!\w))"
_MONTH_RANGE = re.compile(rf"(?<!\w)(?:январ\w*|january|jan\.?|қаңтар\w*)\s*[-–—]\s*{_MONTH}")
_ONE_MONTH = re.compile(rf"(?<!\w){_MONTH}")
_ONE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\.0+)?(?!\d)")
_FILLER = re.compile(
    r"(?<!\w)(?:г|гг|год|года|годы|году|годов|year|years|y|annual|жыл|жылы|жылғы|жылдар|за|в|"
    r"of|for|the|всего|итого|total|барлығы|жиыны|период|period|отчетный|"
    r"cumulative|нарастающим|итогом|с|начала)(?!\w)\.?"
)
_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
#: Words that mark a period's figures as preliminary (like ``*``): ``2023 (оценка)``.
_PRELIMINARY = re.compile(
    r"\(?\s*(?:оценка|предварительн\w*|предв\.?|estimate[sd]?|preliminary|prelim\.?|"
    r"бағалау|алдын\s+ала)\s*\)?",
    re.IGNORECASE,
)
_CYRILLIC_ROMAN = re.compile(r"(?<![^\W\d_])[іi]{1,3}v?(?![^\W\d_])")


def _ordinal(groups: tuple[str | None, ...]) -> int:
    for group in groups:
        if group:
            return _WORDS.get(group) or _ROMAN[group]
    raise ValueError(groups)


def _month_index(word: str) -> int:
    for pattern, index in _MONTH_STEMS.items():
        if re.fullmatch(pattern + r"\w*", word.rstrip(".")):
            return index
    raise ValueError(word)


def period_header(label: str) -> tuple[int | None, str | None, bool]:
    """Read a period header: ``(year, period, preliminary)``.

    ``period`` is the year itself for annual data (``"2008"``), ``"2008Q1"`` .. ``"2008Q4"``
    for quarters, ``"2008H1"``/``"2008H2"`` for half-years and ``"2008M<n>"`` for the
    cumulative months from January (``9 месяцев``, ``январь-сентябрь``): ``M3`` is written
    ``Q1``, ``M6`` ``H1`` and ``M12`` the year, because they are the same periods; a single
    month is ``"2008-03"`` (``март 2008``). A label with
    a period word but no year (``I квартал``, ``year``) gives ``(None, "Q1", False)``, to be
    completed by a year found above it. Footnote marks are ignored; ``*`` means preliminary.
    Anything else (two years, other words) gives ``(None, None, False)``.

    >>> period_header("2008 год"), period_header("I квартал 2008 года")
    ((2008, '2008', False), (2008, '2008Q1', False))
    >>> period_header("I полугодие 2008 года"), period_header("9 месяцев 2008 года")
    ((2008, '2008H1', False), (2008, '2008M9', False))
    >>> period_header("I quarter"), period_header("year"), period_header("19901)")
    ((None, 'Q1', False), (None, '', False), (1990, '1990', False))
    >>> period_header("январь-июнь 2023*"), period_header("2021-2023"), period_header("Регион")
    ((2023, '2023H1', True), (None, None, False), (None, None, False))
    >>> period_header("ІІІ тоқсан 2023 жыл"), period_header("January-September 2023")
    ((2023, '2023Q3', False), (2023, '2023M9', False))
    >>> period_header("2023 (оценка)"), period_header("2024 preliminary")
    ((2023, '2023', True), (2024, '2024', True))
    >>> period_header("март 2023 г."), period_header("December 2023")
    ((2023, '2023-03', False), (2023, '2023-12', False))
    >>> period_header("на 1 мая 2023"), period_header("market 2023")
    ((None, None, False), (None, None, False))
    """
    text = normalize_label(split_mark(str(label))[0])
    # Kazakh tables write roman numerals with the Cyrillic І (І тоқсан, ІІ жартыжылдық)
    text = _CYRILLIC_ROMAN.sub(lambda m: m.group().replace("і", "i"), text)
    preliminary = "*" in text or bool(_PRELIMINARY.search(text))
    text = _PRELIMINARY.sub(" ", text.replace("*", " "))
    years = _ONE_YEAR.findall(text)
    if len(years) > 1:
        return None, None, False
    rest = _ONE_YEAR.sub(" ", text)
    period = ""
    for pattern, make in (
        (_QUARTER, lambda m: f"Q{_ordinal(m.groups())}"),
        (_HALF, lambda m: f"H{_ordinal(m.groups())}"),
        (_MONTH_RANGE, lambda m: f"M{_month_index(m.group(1))}"),
        (_MONTHS_COUNT, lambda m: f"M{int(m.group(1))}"),
        (_ONE_MONTH, lambda m: f"-{_month_index(m.group(1)):02d}"),
    ):
        found = pattern.search(rest)
        if found is not None:
            period = make(found)
            rest = rest[: found.start()] + " " + rest[found.end() :]
            break
    period = {"M3": "Q1", "M6": "H1", "M12": ""}.get(period, period)
    if not 1 <= int(period[1:] or 1) <= 12:
        return None, None, False
    rest = _FILLER.sub(" ", rest)
    if re.search(r"[^\W\d_]|\d", rest):
        return None, None, False
    if not years:
        has_word = bool(period) or bool(_FILLER.search(text.replace("/", " ")))
        return (None, period, False) if has_word and text.strip(" -/.") else (None, None, False)
    year = int(years[0])
    return year, f"{year}{period}", preliminary


# --------------------------------------------------------------------------- units

_UNITS: tuple[tuple[str, str], ...] = (
    (r"млрд\.?\s*(?:тенге|теңге)|billion\s+tenge|bln\.?\s*tenge|bn\.?\s*tenge", "billion KZT"),
    (r"млн\.?\s*(?:тенге|теңге)|mln\.?\s*tenge|million\s+tenge", "million KZT"),
    (r"тыс\.?\s*(?:тенге|теңге)|мың\s+теңге|thousand\s+tenge|thous\.?\s*tenge", "thousand KZT"),
    (r"млн\.?\s*долл\w*\.?\s*сша|mln\.?\s*us[d$]|million\s+us\s+dollars", "million USD"),
    (r"тыс\.?\s*долл\w*\.?\s*сша|thousand\s+us\s+dollars|thous\.?\s*us[d$]", "thousand USD"),
    (r"долл\w*\.?\s*сша|us\s+dollars?|(?<!\w)usd(?!\w)|ақш\s+доллар\w*", "USD"),
    (r"(?<!\w)(?:в\s+)?(?:тенге|теңге|tenge)(?!\w)|(?<!\w)kzt(?!\w)", "KZT"),
    (r"тыс\.?\s*человек|мың\s+адам|thousand\s+(?:persons|people)", "thousand persons"),
    (r"(?<!\w)(?:человек|чел\.|persons|people|адам)(?!\w)", "persons"),
    (r"в\s+процентах|процент\w*|(?<!\w)percent\w*|пайыз\w*|(?<!\w)%", "percent"),
    (r"тыс\.?\s*тонн|thousand\s+tonn?es", "thousand tonnes"),
    (r"(?<!\w)(?:тонн\w*|tonn?es)(?!\w)", "tonnes"),
)  # fmt: skip
_UNIT_PATTERNS = tuple((re.compile(p, re.IGNORECASE), unit) for p, unit in _UNITS)


def unit_in_text(text: str) -> str | None:
    """The unit a title line states (``mln.tenge`` -> ``million KZT``), or ``None``.

    The first (most specific) unit found wins within one line.

    >>> unit_in_text("ВРП по регионам, млн.тенге"), unit_in_text("GRP, mln.tenge")
    ('million KZT', 'million KZT')
    >>> unit_in_text("тыс.тенге"), unit_in_text("в долларах США"), unit_in_text("Регионы")
    ('thousand KZT', 'USD', None)
    """
    folded = " ".join(str(text).split()).casefold()
    for pattern, unit in _UNIT_PATTERNS:
        if pattern.search(folded):
            return unit
    return None


# --------------------------------------------------------------------------- borders in notes

_NEW_BORDERS = re.compile(
    r"нов\w*\s+границ|new\s+(?:borders?|boundaries)|current\s+(?:borders?|boundaries)|"
    r"жаңа\s+шекара|в\s+границах\s+(?:на\s+|с\s+)?2022|с\s+учетом\s+(?:образования|выделения)",
    re.IGNORECASE,
)
_OLD_BORDERS = re.compile(
    r"(?:стар|прежн|бывш)\w*\s+границ|(?:old|former|previous)\s+(?:borders?|boundaries)|"
    r"borders?\s+before|в\s+границах\s+до|до\s+(?:образования|выделения|разделения)|"
    r"ескі\s+шекара|включая\s+(?:г\.\s*)?(?:шымкент|абай|жетысу|улытау)|"
    r"including\s+(?:the\s+city\s+of\s+)?(?:shymkent|abai|jetisu|ulytau)",
    re.IGNORECASE,
)
_NOTE_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\s*[-–—]\s*((?:19|20)\d\d))?(?!\d)")
# "в границах до 2022 г.", "borders of 2022": a year that dates the borders, not the data
_BORDER_DATE = re.compile(
    r"(?:границ\w*|borders?|boundaries|шекара\w*)\s+(?:до|на|с|before|of|as\s+of|since|after)?"
    r"\s*(?:19|20)\d\d",
    re.IGNORECASE,
)


def borders_in_note(text: str) -> tuple[str | None, list[int]]:
    """What a note says about borders: ``("new" | "old" | None, years it names)``.

    >>> borders_in_note("Данные за 2018-2021 годы приведены в новых границах")
    ('new', [2018, 2019, 2020, 2021])
    >>> borders_in_note("in the borders before 2022"), borders_in_note("оценка")
    (('old', []), (None, []))
    """
    new, old = _NEW_BORDERS.search(text), _OLD_BORDERS.search(text)
    if bool(new) == bool(old):
        return None, []
    years: list[int] = []
    for first, last in _NOTE_YEARS.findall(_BORDER_DATE.sub(" ", text)):
        years.extend(range(int(first), int(last or first) + 1))
    return ("new" if new else "old"), sorted(set(years))
