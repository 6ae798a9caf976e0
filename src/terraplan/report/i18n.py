"""Words of the outputs (legends, tooltips, profile headings) in English, Russian and Kazakh.

Region names come from the registry (``display_name``) and sector names from the OKED table
(:mod:`terraplan.data.sectors`); every other word lives in the gettext message catalogue
(:mod:`terraplan.report.catalogue`, ``report/locale/*.po``) that translators edit without touching
code. Numbers, percentages and dates are formatted per locale with Babel (:func:`number`,
:func:`percent`, :func:`date`): "21 813" and "50,2 %" in Russian and Kazakh.

New texts may be added to ``_TEXT`` below as ``key: (en, ru, kk)`` in a block marked
``# --- NAME ---``; ``scripts/i18n_catalogue.py`` moves such entries into the catalogue.

Example
-------
>>> text("no_data", "ru")
'Нет данных'
>>> text("rank_of", "en", rank=3, n=20)
'3 of 20'
"""

from __future__ import annotations

from terraplan.errors import ConfigError
from terraplan.report.catalogue import lookup, term

LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")

_TEXT: dict[str, tuple[str, str, str]] = {
    # key: (en, ru, kk)
    # --- forecasts ---
    "forecasts": ("Forecasts", "Прогнозы", "Болжамдар"),
    "fan_legend": (
        "line: actual; dashes: forecast; bands: {inner} % and {outer} % intervals",
        "линия: факт; штрих: прогноз; полосы: интервалы {inner} % и {outer} %",
        "сызық: нақты; үзік сызық: болжам; жолақтар: {inner} % және {outer} % аралықтар",
    ),
    "forecast_about": (
        "Forecast from {origin} by the {method} method, reconciled with the national forecast.",
        "Прогноз от {origin} г. методом «{method}», согласован с национальным прогнозом.",
        "{origin} жылдан бастап «{method}» әдісімен болжам, ұлттық болжаммен келістірілген.",
    ),
    "forecast_choice": (
        "The method forecast this indicator best when tried on past years (mean error "
        "{mase} times the typical change from one year to the next).",
        "Метод лучше других прогнозировал этот показатель на прошлых годах (средняя ошибка "
        "{mase} от типичного изменения за год).",
        "Әдіс өткен жылдарда бұл көрсеткішті басқалардан жақсы болжады (орташа қате бір "
        "жылдағы әдеттегі өзгерістің {mase} еселігі).",
    ),
    "forecast_estimated": (
        "Years before the region's present borders are estimated (the former region split "
        "by shares).",
        "Годы до нынешних границ региона оценены (прежний регион разделён по долям).",
        "Өңірдің қазіргі шекараларына дейінгі жылдар бағаланған (бұрынғы өңір үлестер "
        "бойынша бөлінген).",
    ),
    "forecast_mean": ("Forecast", "Прогноз", "Болжам"),
    "interval_lo": (
        "{level} % interval, low",
        "Интервал {level} %, нижняя",
        "{level} % аралық, төменгі",
    ),
    "interval_hi": (
        "{level} % interval, high",
        "Интервал {level} %, верхняя",
        "{level} % аралық, жоғарғы",
    ),
    "method_naive": ("naive (last value)", "наивный (последнее значение)", "аңғал (соңғы мән)"),
    "method_drift": ("drift (average change)", "дрейф (средний прирост)", "дрейф (орташа өсім)"),
    "method_trend": ("linear trend", "линейный тренд", "сызықтық тренд"),
    "method_ses": (
        "exponential smoothing",
        "экспоненциальное сглаживание",
        "экспоненциалдық тегістеу",
    ),
    "method_holt": ("Holt's trend", "тренд Холта", "Холт тренді"),
    "method_damped": ("damped trend", "затухающий тренд", "бәсеңдейтін тренд"),
    "method_ets": (
        "exponential smoothing",
        "экспоненциальное сглаживание",
        "экспоненциалдық тегістеу",
    ),
    "method_aggregate": ("sum of the regions", "сумма регионов", "өңірлер қосындысы"),
    "p_target_layer": (
        "Probability of reaching the target",
        "Вероятность достижения цели",
        "Мақсатқа жету ықтималдығы",
    ),
    "fs_likely": ("likely", "вероятно", "ықтимал"),
    "fs_uncertain": ("uncertain", "неопределённо", "белгісіз"),
    "fs_unlikely": ("unlikely", "маловероятно", "екіталай"),
    "fs_observed": ("actual value known", "фактическое значение известно", "нақты мәні белгілі"),
    "fs_no_forecast": ("no forecast", "нет прогноза", "болжам жоқ"),
    "fs_note": (
        "forecast of each indicator, reconciled with the national forecast; likely from "
        "p = 0.75, unlikely below 0.25",
        "прогноз каждого показателя, согласованный с национальным; вероятно при p от 0,75, "
        "маловероятно при p ниже 0,25",
        "әр көрсеткіштің ұлттық болжаммен келістірілген болжамы; p 0,75-тен бастап ықтимал, "
        "0,25-тен төмен болса екіталай",
    ),
    "m.forecast": (
        "forecast (method chosen by a back-test on past years, reconciled)",
        "прогноз (метод выбран проверкой на прошлых годах, согласован)",
        "болжам (әдіс өткен жылдардағы сынақпен таңдалған, келістірілген)",
    ),
    "sheet.forecasts": ("forecasts", "прогнозы", "болжамдар"),
    "col.mean": ("Forecast", "Прогноз", "Болжам"),
    "col.lo_80": ("80 % interval, low", "Интервал 80 %, нижняя", "80 % аралық, төменгі"),
    "col.hi_80": ("80 % interval, high", "Интервал 80 %, верхняя", "80 % аралық, жоғарғы"),
    "col.lo_95": ("95 % interval, low", "Интервал 95 %, нижняя", "95 % аралық, төменгі"),
    "col.hi_95": ("95 % interval, high", "Интервал 95 %, верхняя", "95 % аралық, жоғарғы"),
    "col.method": ("Method", "Метод", "Әдіс"),
    "col.forecast": ("Forecast", "Прогноз", "Болжам"),
    "col.forecast_lo": ("Forecast, 80 % low", "Прогноз, 80 % нижняя", "Болжам, 80 % төменгі"),
    "col.forecast_hi": ("Forecast, 80 % high", "Прогноз, 80 % верхняя", "Болжам, 80 % жоғарғы"),
    "col.p_target": (
        "Probability of reaching the target",
        "Вероятность достижения цели",
        "Мақсатқа жету ықтималдығы",
    ),
    "col.forecast_status": ("Forecast status", "Статус по прогнозу", "Болжам бойынша мәртебе"),
    "val.naive": ("naive (last value)", "наивный (последнее значение)", "аңғал (соңғы мән)"),
    "val.drift": ("drift (average change)", "дрейф (средний прирост)", "дрейф (орташа өсім)"),
    "val.aggregate": ("sum of the regions", "сумма регионов", "өңірлер қосындысы"),
    "val.likely": ("likely", "вероятно", "ықтимал"),
    "val.uncertain": ("uncertain", "неопределённо", "белгісіз"),
    "val.unlikely": ("unlikely", "маловероятно", "екіталай"),
    "val.observed": ("actual value known", "фактическое значение известно", "нақты мәні белгілі"),
    "val.no_forecast": ("no forecast", "нет прогноза", "болжам жоқ"),
    "across_break": ("across a break", "через разрыв ряда", "қатар үзілісі арқылы"),
    "preliminary_origin": (
        "last value preliminary",
        "последнее значение предварительное",
        "соңғы мән алдын ала",
    ),
    # --- end forecasts ---
    # --- matching ---
    "col.region_name": ("Region", "Регион", "Өңір"),
    "change_pct": ("%", "%", "%"),
    "change_pp": ("pp", "п.п.", "п.т."),
    "change_head": ("change {base}–{year}", "изменение {base}–{year}", "өзгеріс {base}–{year}"),
    "user_data": ("your data", "ваши данные", "сіздің деректеріңіз"),
    # --- districts ---
    "boundaries_attribution": (
        "District boundaries: geokz (A. Rodionov), CC BY 4.0, after UN OCHA COD-AB Kazakhstan",
        "Границы районов: geokz (А. Родионов), CC BY 4.0, по данным UN OCHA COD-AB Казахстан",
        "Аудан шекаралары: geokz (А. Родионов), CC BY 4.0, UN OCHA COD-AB Қазақстан деректері "
        "бойынша",
    ),
    "districts_title": ("Districts of Kazakhstan", "Районы Казахстана", "Қазақстан аудандары"),
    "districts_of": ("Districts: {region}", "Районы: {region}", "Аудандар: {region}"),
    "district_lisa": (
        "Local clusters (LISA): {indicator}",
        "Локальные кластеры (LISA): {indicator}",
        "Жергілікті кластерлер (LISA): {indicator}",
    ),
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

    ``_TEXT`` entries (not yet moved to the catalogue) win over the catalogue. An unknown key
    raises ``KeyError``.

    >>> text("rank_of", "kk", rank=1, n=20)
    '20 ішінен 1'
    """
    check_language(lang)
    if key in _TEXT:
        template = _TEXT[key][LANGUAGES.index(lang)]
    else:
        found = lookup(key, lang)
        if found is None:
            raise KeyError(f"no text {key!r} in the message catalogue (report/locale)")
        template = found
    return template.format(**fields) if fields else template


def has_text(key: str) -> bool:
    """True when ``key`` is in ``_TEXT`` or in the catalogue.

    >>> has_text("no_data"), has_text("no such key")
    (True, False)
    """
    return key in _TEXT or lookup(key, "en") is not None


def unit(english: str, lang: str = "en") -> str:
    """A unit of measurement (as the data spell it in English) in ``lang``.

    >>> unit("thousand KZT per person", "ru")
    'тыс. тенге на человека'
    """
    check_language(lang)
    return term("unit", english, lang)


_LOCALES = {"en": "en", "ru": "ru", "kk": "kk"}


def number(value: float | None, decimals: int = 0, lang: str = "en") -> str:
    """``value`` with ``decimals`` decimals and the locale's separators ("–" when missing).

    >>> number(21813, 0, "ru"), number(3.614, 2, "kk"), number(-1234.5, 1)
    ('21\xa0813', '3,61', '-1,234.5')
    """
    import math

    from babel.numbers import format_decimal

    if value is None or not math.isfinite(float(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_LOCALES[lang])


def percent(value_pct: float | None, decimals: int = 1, lang: str = "en") -> str:
    """A percentage given in percent (``50.2`` → "50.2%", "50,2 %") per locale.

    >>> percent(50.2, 1, "en"), percent(50.2, 1, "ru")
    ('50.2%', '50,2\xa0%')
    """
    import math

    from babel import Locale
    from babel.numbers import format_percent

    if value_pct is None or not math.isfinite(float(value_pct)):
        return "–"
    pattern = Locale.parse(_LOCALES[lang]).percent_formats[None].pattern
    digits = "0." + "0" * decimals if decimals > 0 else "0"
    pattern = pattern.replace("#,##0", "#,##" + digits, 1)
    return format_percent(value_pct / 100.0, format=pattern, locale=_LOCALES[lang])


def date(value: object, lang: str = "en") -> str:
    """A date in the locale's long form.

    >>> import datetime
    >>> date(datetime.date(2023, 5, 1), "ru")
    '1 мая 2023\\u202fг.'
    """
    from babel.dates import format_date

    return format_date(value, "long", locale=_LOCALES[lang])


def check_language(lang: str) -> str:
    """Return ``lang`` if it is supported, else raise ConfigError naming the choices.

    >>> check_language("kk")
    'kk'
    """
    if lang not in LANGUAGES:
        raise ConfigError(f"language {lang!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return lang
