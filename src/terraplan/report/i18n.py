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
    # --- opportunities ---
    "opportunities": ("Growth opportunities", "Возможности роста", "Өсу мүмкіндіктері"),
    "opp_related": (
        "related to {sectors}, where the region is specialized",
        "связана с отраслями {sectors}, в которых регион специализирован",
        "өңір мамандандырылған {sectors} салаларымен байланысты",
    ),
    "opp_peers": (
        "present in {n} of its {k} peers",
        "развита у {n} из {k} регионов-аналогов",
        "{k} ұқсас өңірдің {n}-інде дамыған",
    ),
    "opp_neighbours": (
        "in {n} of its {k} neighbours",
        "у {n} из {k} соседних регионов",
        "{k} көрші өңірдің {n}-інде",
    ),
    "opp_grew": (
        "grew {pct} % nationally",
        "выросла на {pct} % по стране",
        "ел бойынша {pct} %-ға өсті",
    ),
    "opp_fell": (
        "fell {pct} % nationally",
        "сократилась на {pct} % по стране",
        "ел бойынша {pct} %-ға қысқарды",
    ),
    "opp_rank": ("Rank", "Место", "Орны"),
    "opp_score": ("Score", "Балл", "Балл"),
    "opp_feasibility": ("Feasibility", "Реализуемость", "Іске асырылуы"),
    "opp_attractiveness": ("Attractiveness", "Привлекательность", "Тартымдылығы"),
    "opp_quadrant": ("Quadrant", "Квадрант", "Квадрант"),
    "opp_evidence": ("Evidence", "Обоснование", "Негіздеме"),
    "opp_strength": ("strength", "сильная сторона", "күшті жақ"),
    "opp_opportunity": ("opportunity", "возможность", "мүмкіндік"),
    "opp_stretch": ("stretch", "дальний шаг", "алыс қадам"),
    "opp_vulnerable": ("vulnerable", "уязвимое место", "осал тұс"),
    "opp_x_axis": (
        "relative presence (RCA, log scale)",
        "относительное присутствие (RCA, логарифмическая шкала)",
        "салыстырмалы қатысу (RCA, логарифмдік шкала)",
    ),
    "opp_y_axis": (
        "fit (relatedness density)",
        "соответствие (плотность связанности)",
        "сәйкестік (байланыс тығыздығы)",
    ),
    "opp_method": (
        "Sectors where the region is not yet specialized (LQ < 1), scored {base_year}–{year} "
        "by feasibility (relatedness density, presence among peers and neighbours) and "
        "attractiveness (national growth, complexity, opportunity gain, size); preset: {preset}.",
        "Отрасли, в которых регион пока не специализирован (LQ < 1), оценены за {base_year}–"
        "{year} по реализуемости (плотность связанности, развитие у аналогов и соседей) и "
        "привлекательности (рост по стране, сложность, выигрыш в возможностях, размер); "
        "режим: {preset}.",
        "Өңір әлі мамандандырылмаған салалар (LQ < 1) {base_year}–{year} жылдар бойынша іске "
        "асырылуы (байланыс тығыздығы, ұқсас және көрші өңірлерде дамуы) және тартымдылығы "
        "(ел бойынша өсім, күрделілік, мүмкіндік ұтысы, көлемі) бойынша бағаланды; режим: "
        "{preset}.",
    ),
    "opp_indicative": (
        "Economic complexity (ECI/PCI) is indicative only here: under small perturbations of "
        "the data the rank correlation of ECI falls to {low}.",
        "Экономическая сложность (ECI/PCI) здесь носит лишь ориентировочный характер: при "
        "малых возмущениях данных ранговая корреляция ECI падает до {low}.",
        "Экономикалық күрделілік (ECI/PCI) мұнда тек бағдарлық сипатта: деректер аздап "
        "өзгергенде ECI рангтық корреляциясы {low} дейін төмендейді.",
    ),
    "opp_density_map": (
        "Relatedness density: {sector}, {year}",
        "Плотность связанности: {sector}, {year}",
        "Байланыс тығыздығы: {sector}, {year}",
    ),
    "opp_preset_low-hanging": (
        "low-hanging fruit",
        "низко висящие плоды",
        "оңай қолжетімді мүмкіндіктер",
    ),
    "opp_preset_balanced": (
        "balanced portfolio",
        "сбалансированный портфель",
        "теңгерімді портфель",
    ),
    "opp_preset_long-jumps": ("long jumps", "длинные прыжки", "ұзақ секірістер"),
    # --- end opportunities ---
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
