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
    # --- index ---
    "ci_section": ("Composite index", "Композитный индекс", "Композиттік индекс"),
    "ci_score": ("Index score", "Значение индекса", "Индекс мәні"),
    "ci_nominal": ("Rank", "Ранг", "Орны"),
    "ci_median": ("Median rank", "Медианный ранг", "Медианалық орны"),
    "ci_interval": ("Rank, 5–95 % interval", "Ранг, интервал 5–95 %", "Орны, 5–95 % аралығы"),
    "ci_width": (
        "Width of the 5–95 % rank interval, places",
        "Ширина интервала рангов 5–95 %, мест",
        "5–95 % орын аралығының ені, орын",
    ),
    "ci_runs_note": (
        "{runs} Monte Carlo runs varying {varied}",
        "{runs} прогонов Монте-Карло; варьировались: {varied}",
        "Монте-Карло әдісімен {runs} есептеу; өзгертілгендер: {varied}",
    ),
    "ci_pillar": ("Pillar", "Компонент", "Құрамдас бөлік"),
    "ci_strengths": ("Strengths", "Сильные стороны", "Күшті жақтары"),
    "ci_weaknesses": ("Weaknesses", "Слабые стороны", "Әлсіз жақтары"),
    "ci_stage_peers": (
        "Peers at a similar stage of development",
        "Регионы на схожей стадии развития",
        "Даму кезеңі ұқсас өңірлер",
    ),
    "ci_chart_title": (
        "{name}, {year}: ranks with 5–95 % intervals",
        "{name}, {year}: ранги с интервалами 5–95 %",
        "{name}, {year}: 5–95 % аралықтары бар орындар",
    ),
    "ci_driver": (
        "Choice that moves the ranks most (total Sobol index)",
        "Выбор, сильнее всего влияющий на ранги (полный индекс Соболя)",
        "Орындарға ең көп әсер ететін таңдау (Соболь толық индексі)",
    ),
    "ci_nominal_marker": ("rank (nominal)", "ранг (базовый расчёт)", "орны (негізгі есеп)"),
    "ci_median_marker": ("median rank", "медианный ранг", "медианалық орны"),
    "ci_interval_marker": ("5–95 % interval", "интервал 5–95 %", "5–95 % аралығы"),
    "ci_f_imputation": ("imputation", "импутация пропусков", "олқылықтарды толтыру"),
    "ci_f_normalisation": ("normalisation", "нормализация", "нормалау"),
    "ci_f_aggregation": ("aggregation", "агрегирование", "агрегаттау"),
    "ci_f_weights": ("weights", "веса", "салмақтар"),
    "ci_f_leave_one_out": (
        "leaving one indicator out",
        "исключение одного показателя",
        "бір көрсеткішті алып тастау",
    ),
    # --- end index ---
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
