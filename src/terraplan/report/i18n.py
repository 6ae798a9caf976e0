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
    "index_base": ("index, {year} = 100", "индекс, {year} = 100", "индекс, {year} = 100"),
    "ss_national_share": ("National growth", "Общенациональный рост", "Жалпыұлттық өсу"),
    "ss_industry_mix": ("Industry mix", "Отраслевая структура", "Салалық құрылым"),
    "ss_competitive_shift": ("Competitive shift", "Конкурентный сдвиг", "Бәсекелік ығысу"),
    "ss_chart_title": (
        "Shift-share of value added by sector, {years}, {unit}",
        "Сдвиг-долевой анализ добавленной стоимости по отраслям, {years}, {unit}",
        "Салалар бойынша қосылған құнның ығысу-үлестік талдауы, {years}, {unit}",
    ),
    "q_rising": ("rising strength", "растущая сила", "өсіп келе жатқан күш"),
    "q_declining": ("declining strength", "ослабевающая сила", "әлсіреп бара жатқан күш"),
    "q_emerging": ("emerging", "развивающиеся", "дамып келе жатқан"),
    "q_lagging": ("lagging", "отстающие", "артта қалған"),
    "portfolio_title": (
        "Sector portfolio, {years}",
        "Отраслевой портфель, {years}",
        "Салалық портфель, {years}",
    ),
    "portfolio_x": (
        "growth against the country, percentage points per year",
        "рост относительно страны, процентных пунктов в год",
        "елмен салыстырғандағы өсу, жылына пайыздық тармақ",
    ),
    "portfolio_y": (
        "location quotient, {year}",
        "коэффициент локализации, {year}",
        "локализация коэффициенті, {year}",
    ),
    "portfolio_size": (
        "Circle area: the sector's share of the region's value added.",
        "Площадь круга: доля отрасли в добавленной стоимости региона.",
        "Шеңбер ауданы: саланың өңірдің қосылған құнындағы үлесі.",
    ),
    "not_plotted": (
        "not plotted (no growth rate): {items}",
        "не показаны (нет темпа роста): {items}",
        "көрсетілмеген (өсу қарқыны жоқ): {items}",
    ),
    "moran_title": (
        "Moran scatterplot: {name}, {year}",
        "Диаграмма рассеяния Морана: {name}, {year}",
        "Моран шашырау диаграммасы: {name}, {year}",
    ),
    "moran_x": ("standardized value", "стандартизованное значение", "стандартталған мән"),
    "moran_y": (
        "spatial lag (mean of the neighbours)",
        "пространственный лаг (среднее по соседям)",
        "кеңістіктік лаг (көршілердің орташасы)",
    ),
    "moran_i": ("Moran's I = {value}", "I Морана = {value}", "Моран I = {value}"),
    "lisa_High-High": ("High-High", "Высокий–высокий", "Жоғары–жоғары"),
    "lisa_Low-Low": ("Low-Low", "Низкий–низкий", "Төмен–төмен"),
    "lisa_High-Low": ("High-Low", "Высокий–низкий", "Жоғары–төмен"),
    "lisa_Low-High": ("Low-High", "Низкий–высокий", "Төмен–жоғары"),
    "lisa_Not significant": ("Not significant", "Незначимо", "Мәнсіз"),
    "trends": (
        "Trends against the country",
        "Динамика в сравнении со страной",
        "Елмен салыстырғандағы серпін",
    ),
    "charts": ("Charts", "Диаграммы", "Диаграммалар"),
    "lisa_page": (
        "Spatial clusters (LISA)",
        "Пространственные кластеры (LISA)",
        "Кеңістіктік кластерлер (LISA)",
    ),
    "lisa_cluster": ("Cluster", "Кластер", "Кластер"),
    "p_value": ("p-value", "p-значение", "p-мәні"),
    "region": ("Region", "Регион", "Өңір"),
    "compare_title": ("Comparison of regions", "Сравнение регионов", "Өңірлерді салыстыру"),
    "annex_title": (
        "Annex: profiles of the regions",
        "Приложение: профили регионов",
        "Қосымша: өңірлердің профильдері",
    ),
    "national_overview": ("National overview", "Обзор по стране", "Ел бойынша шолу"),
    "contents": ("Contents", "Содержание", "Мазмұны"),
    "toc_hint": (
        "Update the field (F9) to fill in the table of contents.",
        "Обновите поле (F9), чтобы заполнить оглавление.",
        "Мазмұнды толтыру үшін өрісті жаңартыңыз (F9).",
    ),
    "page": ("Page {page}", "Страница {page}", "{page}-бет"),
    "documents": ("Documents", "Документы", "Құжаттар"),
    "annex_intro": (
        "Key indicators of the {n} regions in {year} and the country's trends; one profile "
        "per region follows.",
        "Ключевые показатели {n} регионов в {year} году и динамика по стране; далее — профиль "
        "каждого региона.",
        "{year} жылғы {n} өңірдің негізгі көрсеткіштері және ел бойынша серпін; әрі қарай әр "
        "өңірдің профилі.",
    ),
    "rank_in_brackets": (
        "In brackets: rank among the {n} regions (1 = best).",
        "В скобках: место среди {n} регионов (1 — лучшее).",
        "Жақшада: {n} өңір арасындағы орны (1 — ең жақсы).",
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
