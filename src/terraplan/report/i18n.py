"""Words of the outputs (legends, tooltips, profile headings) in English, Russian and Kazakh.

Region names come from the registry (``display_name``); this catalogue holds only the fixed text.

Example
-------
>>> text("no_data", "ru")
'Нет данных'
>>> text("rank_of", "en", rank=3, n=20)
'3 of 20'
"""

from __future__ import annotations

from terraplan.errors import ConfigError

LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")

_TEXT: dict[str, tuple[str, str, str]] = {
    # key: (en, ru, kk)
    "no_data": ("No data", "Нет данных", "Деректер жоқ"),
    "preliminary": ("preliminary", "предварительные данные", "алдын ала деректер"),
    "estimated": ("estimated", "оценка", "бағалау"),
    "flag_note": (
        "* marks values flagged preliminary or estimated",
        "* отмечены предварительные или оценочные значения",
        "* алдын ала немесе бағалау мәндері белгіленген",
    ),
    "classes_note": (
        "classes include their upper bound",
        "верхняя граница входит в класс",
        "жоғарғы шек сыныпқа кіреді",
    ),
    "hover": (
        "Point at a region to see its value.",
        "Наведите курсор на регион, чтобы увидеть значение.",
        "Мәнін көру үшін өңірге меңзерді апарыңыз.",
    ),
    "admin_centres": ("Administrative centres", "Административные центры", "Әкімшілік орталықтар"),
    "rank_of": ("{rank} of {n}", "{rank} из {n}", "{n} ішінен {rank}"),
    "profile_title": ("Region profile", "Профиль региона", "Өңір профилі"),
    "key_indicators": ("Key indicators", "Ключевые показатели", "Негізгі көрсеткіштер"),
    "indicator": ("Indicator", "Показатель", "Көрсеткіш"),
    "value": ("Value", "Значение", "Мәні"),
    "unit": ("Unit", "Единица", "Бірлік"),
    "rank": ("Rank", "Ранг", "Орны"),
    "trend": ("Trend", "Динамика", "Серпін"),
    "year": ("Year", "Год", "Жыл"),
    "structure": (
        "Structure of value added",
        "Структура валовой добавленной стоимости",
        "Жалпы қосылған құн құрылымы",
    ),
    "sector": ("Sector", "Отрасль", "Сала"),
    "share_region": ("Share in region, %", "Доля в регионе, %", "Өңірдегі үлесі, %"),
    "share_country": ("Share in country, %", "Доля в стране, %", "Елдегі үлесі, %"),
    "advantages": (
        "Competitive advantages",
        "Конкурентные преимущества",
        "Бәсекелестік артықшылықтар",
    ),
    "typology": ("Type and peers", "Тип и регионы-аналоги", "Түрі және ұқсас өңірлер"),
    "types": ("Typology of regions", "Типология регионов", "Өңірлер типологиясы"),
    "type": ("Type", "Тип", "Түрі"),
    "peers": ("Peers", "Аналоги", "Ұқсас өңірлер"),
    "neighbours": ("Neighbours", "Соседние регионы", "Көрші өңірлер"),
    "shift_share": ("Shift-share", "Сдвиг-долевой анализ", "Ығысу-үлестік талдау"),
    "monitoring": ("Plan monitoring", "Мониторинг плана", "Жоспар мониторингі"),
    "locator": ("Location", "Расположение", "Орналасуы"),
    "sources": ("Sources", "Источники", "Дереккөздер"),
    "not_available": (
        "Section not available",
        "Раздел недоступен",
        "Бөлім қолжетімсіз",
    ),
    "country": ("Kazakhstan", "Казахстан", "Қазақстан"),
    # --- docs ---
    "cities": (
        "Cities of national significance",
        "Города республиканского значения",
        "Республикалық маңызы бар қалалар",
    ),
    # --- end docs ---
}


def text(key: str, lang: str = "en", **fields: object) -> str:
    """Return the catalogue text ``key`` in ``lang``, with ``{fields}`` filled in.

    >>> text("rank_of", "kk", rank=1, n=20)
    '20 ішінен 1'
    """
    check_language(lang)
    return _TEXT[key][LANGUAGES.index(lang)].format(**fields)


def check_language(lang: str) -> str:
    """Return ``lang`` if it is supported, else raise ConfigError naming the choices.

    >>> check_language("kk")
    'kk'
    """
    if lang not in LANGUAGES:
        raise ConfigError(f"language {lang!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return lang
