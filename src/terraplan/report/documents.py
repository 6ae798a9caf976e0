"""Word and PDF documents for the plan: one region's profile, or the plan annex of all regions.

A document is first described as a list of blocks (:class:`Heading`, :class:`Paragraph`,
:class:`Table`, :class:`Image`, :class:`PageBreak`), built from the same profile dictionary as
the HTML profile (:func:`terraplan.report.profile.region_profile`) and the same charts
(:mod:`terraplan.report.charts`); then written as

* ``.docx`` with python-docx: real Word tables, the charts as pictures, headings in Word's
  heading styles (so Word builds the table of contents from them; the annex starts with a
  table-of-contents field), the document language set for spelling;
* ``.pdf`` with fpdf2: the same blocks, bookmarks for the headings, and a font with Cyrillic
  and Kazakh letters (DejaVu Sans, read from matplotlib's own copy, a dependency already).

Both are deterministic: fixed creation and modification dates, fixed file ids, and (docx) fixed
timestamps of the zip members, so the same inputs give the same bytes.

Example
-------
>>> blocks = [Heading("Караганда", 1), Paragraph("Ключевые показатели"),
...           Table(["Показатель", "Значение"], [["ВРП", "9 170,5"]], [False, True])]
>>> docx_bytes(blocks, title="Профиль", lang="ru")[:2], pdf_bytes(blocks, title="П", lang="ru")[:5]
(b'PK', b'%PDF-')
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terraplan.errors import OutputError
from terraplan.report.classify import format_number
from terraplan.report.i18n import check_language, text

if TYPE_CHECKING:
    from terraplan.pipeline import Analysis

__all__ = [
    "FORMATS",
    "Heading",
    "Image",
    "PageBreak",
    "Paragraph",
    "Table",
    "annex_document",
    "docx_bytes",
    "pdf_bytes",
    "profile_blocks",
    "profile_document",
]

FORMATS = ("docx", "pdf")
#: The date written into every document's metadata (documents are reproducible, not dated).
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
#: Word's language tags of the output languages (spell checking, hyphenation).
WORD_LANGUAGES = {"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ"}


@dataclass(frozen=True)
class Heading:
    """A heading of ``level`` 1 (document part), 2 (section) or 3."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``note`` paragraphs are set smaller and grey."""

    text: str
    note: bool = False


@dataclass(frozen=True)
class Table:
    """A table: header row, body rows of text, and which columns hold numbers (right-aligned)."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)


@dataclass(frozen=True)
class Image:
    """A PNG picture ``width_cm`` wide."""

    png: bytes
    width_cm: float = 16.0


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


# ----------------------------------------------------------------------------- blocks


def _fmt(value: Any, decimals: int, lang: str) -> str:
    """A number as text in ``lang`` ('–' when missing); text passes through.

    >>> _fmt(21813.4, 1, "ru"), _fmt(None, 1, "en"), _fmt(0.52, 2, "kk")
    ('21\\xa0813', '–', '0,52')
    """
    if value is None or isinstance(value, bool):
        return "–" if value is None else str(value)
    if isinstance(value, (int, float)):
        number = float(value)
        if number != number:  # NaN
            return "–"
        return format_number(number, 0 if abs(number) >= 1000 else decimals, lang)
    return str(value)


def profile_blocks(profile: dict[str, Any], images: dict[str, bytes] | None = None) -> list:
    """The blocks of one region's profile (``images``: chart PNGs by name, optional).

    >>> p = {"lang": "en", "region": {"name": "X", "code": "KZ-0", "admin_centre": "Y"},
    ...      "year": 2023, "base_year": 2021, "key_indicators": [], "structure": None,
    ...      "typology": None, "neighbours": None, "sources": []}
    >>> [type(b).__name__ for b in profile_blocks(p)][:3]
    ['Heading', 'Paragraph', 'Heading']
    """
    lang = profile["lang"]
    images = images or {}
    region = profile["region"]
    years = f"{profile['base_year']}–{profile['year']}"
    blocks: list = [
        Heading(region["name"], 1),
        Paragraph(
            f"{text('profile_title', lang)} · {region['code']} · {region.get('admin_centre', '')}"
            f" · {profile['year']} ({years})"
        ),
        Heading(text("key_indicators", lang), 2),
    ]
    rows = []
    for k in profile["key_indicators"]:
        rank = "–" if k["rank"] is None else text("rank_of", lang, rank=k["rank"], n=k["ranked"])
        value = _fmt(k["value"], 1, lang) + ("*" if k.get("flag") else "")
        rows.append([k["name"], value, k["unit"], rank, _fmt(k["change_since_base_pct"], 1, lang)])
    blocks.append(
        Table(
            [
                text("indicator", lang),
                f"{text('value', lang)}, {profile['year']}",
                text("unit", lang),
                text("rank", lang),
                f"{years}, %",
            ],
            rows,
            [False, True, False, True, True],
        )
    )
    if "trends" in images:
        blocks += [Heading(text("trends", lang), 3), Image(images["trends"])]
    structure = profile.get("structure")
    if structure:
        blocks.append(Heading(text("structure", lang), 2))
        blocks.append(
            Table(
                [
                    text("sector", lang),
                    text("share_region", lang),
                    text("share_country", lang),
                    "LQ",
                ],
                [
                    [
                        f"{s['sector']} · {s['name']}",
                        _fmt(s["share_pct"], 1, lang),
                        _fmt(s["country_share_pct"], 1, lang),
                        _fmt(s["lq"], 2, lang),
                    ]
                    for s in structure["sectors"]
                ],
                [False, True, True, True],
            )
        )
        if "portfolio" in images:
            blocks.append(Image(images["portfolio"], 15.0))
    if "shift_share" in images:
        blocks += [Heading(f"{text('shift_share', lang)} {years}", 2), Image(images["shift_share"])]
    typology = profile.get("typology")
    if typology:
        blocks.append(Heading(text("typology", lang), 2))
        blocks.append(
            Paragraph(
                f"{text('type', lang)} {typology['type']} / {typology['k']}: "
                f"{typology['distinguishing']}"
            )
        )
        same = ", ".join(r["name"] for r in typology["same_type"])
        if same:
            blocks.append(Paragraph(same))
    if profile.get("neighbours"):
        blocks.append(Heading(text("neighbours", lang), 2))
        blocks.append(Paragraph(", ".join(r["name"] for r in profile["neighbours"])))
    if profile.get("sources"):
        blocks.append(Heading(text("sources", lang), 2))
        for s in profile["sources"]:
            title = f", “{s['title']}”" if s.get("title") else ""
            blocks.append(Paragraph(f"{s['id']}: {s['publisher']}{title}", note=True))
    return blocks


def overview_blocks(analysis: Analysis, images: dict[str, bytes] | None = None) -> list:
    """The national overview opening the annex: every region's key indicators in the run's year
    (value and rank), and the pictures given in ``images`` (maps, the Moran scatterplot)."""
    from terraplan.pipeline import indicator_meta, rank_regions
    from terraplan.territory.registry import display_name

    lang = analysis.lang
    panel = analysis.panel
    rows = panel[
        panel["indicator"].isin(analysis.indicators)
        & (panel["year"] == analysis.year)
        & (panel["sector"] == "TOTAL")
        & panel["region"].isin(analysis.regions)
    ]
    wide = rows.pivot(index="region", columns="indicator", values="value").reindex(analysis.regions)
    columns = [text("region", lang)]
    for indicator in analysis.indicators:
        meta = indicator_meta(indicator, lang)
        columns.append(f"{meta['name']}, {meta['unit']}")
    body = []
    ranks = {
        ind: rank_regions(wide[ind], indicator_meta(ind, lang)["polarity"])
        for ind in analysis.indicators
        if ind in wide.columns
    }
    for code in analysis.regions:
        line = [display_name(code, lang)]
        for ind in analysis.indicators:
            value = wide.at[code, ind] if ind in wide.columns else None
            rank = ranks[ind].get(code) if ind in ranks else None
            cell = _fmt(None if value is None else float(value), 1, lang)
            if rank is not None and rank == rank:
                cell += f" ({int(rank)})"
            line.append(cell)
        body.append(line)
    blocks: list = [
        Heading(text("national_overview", lang), 1),
        Paragraph(text("annex_intro", lang, n=len(analysis.regions), year=analysis.year)),
        Table(columns, body, [False] + [True] * len(analysis.indicators)),
        Paragraph(text("rank_in_brackets", lang, n=len(analysis.regions)), True),
    ]
    for png in (images or {}).values():
        blocks.append(Image(png, 16.0))
    return blocks


# ----------------------------------------------------------------------------- Word


def _normalized_zip(data: bytes) -> bytes:
    """Rewrite a zip with every member dated 1980-01-01 (python-docx stamps the current time).

    >>> raw = io.BytesIO()
    >>> with zipfile.ZipFile(raw, "w") as z:
    ...     z.writestr("a.txt", "x")
    >>> zipfile.ZipFile(io.BytesIO(_normalized_zip(raw.getvalue()))).infolist()[0].date_time
    (1980, 1, 1, 0, 0, 0)
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _toc_field(paragraph, hint: str) -> None:
    """A Word table-of-contents field over the heading styles 1–2 (Word fills it in)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def element(tag: str, **attrs: str):
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(key), value)
        return el

    run = paragraph.add_run()
    run._r.append(element("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"}))
    instr = element("w:instrText", **{"xml:space": "preserve"})
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    run._r.append(instr)
    run._r.append(element("w:fldChar", **{"w:fldCharType": "separate"}))
    hint_run = paragraph.add_run(hint)
    hint_run.italic = True
    paragraph.add_run()._r.append(element("w:fldChar", **{"w:fldCharType": "end"}))


def _set_language(document, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = document.styles.element.find(qn("w:docDefaults"))
    rpr = rpr.find(qn("w:rPrDefault")).find(qn("w:rPr")) if rpr is not None else None
    if rpr is None:
        return
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        rpr.append(tag)
    for key in ("w:val", "w:eastAsia", "w:bidi"):
        tag.set(qn(key), WORD_LANGUAGES[lang])


def docx_bytes(blocks: list, *, title: str, lang: str, toc: bool = False) -> bytes:
    """Write ``blocks`` as a Word document; ``toc`` opens it with a table-of-contents field."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    check_language(lang)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    document.styles["Normal"].font.size = Pt(10)
    _set_language(document, lang)
    props = document.core_properties
    props.title = title
    props.language = WORD_LANGUAGES[lang]
    props.author = props.last_modified_by = "terraplan"
    props.created = props.modified = props.last_printed = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1
    if toc:
        document.add_paragraph(text("contents", lang), style="TOC Heading")  # not in the TOC
        _toc_field(document.add_paragraph(), text("toc_hint", lang))
        document.add_page_break()
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            para = document.add_paragraph(block.text)
            if block.note:
                for run in para.runs:
                    run.font.size = Pt(8)
                    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        elif isinstance(block, Table):
            table = document.add_table(rows=1, cols=len(block.columns))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            right = [j < len(block.numeric) and block.numeric[j] for j in range(len(block.columns))]
            for j, cell in enumerate(table.rows[0].cells):
                run = cell.paragraphs[0].add_run(block.columns[j])
                run.bold = True
                run.font.size = Pt(8.5)
            for row in block.rows:
                for j, cell in enumerate(table.add_row().cells):  # row by row: linear time
                    run = cell.paragraphs[0].add_run(row[j])
                    run.font.size = Pt(8.5)
                    if right[j]:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            document.add_paragraph()
        elif isinstance(block, Image):
            document.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        elif isinstance(block, PageBreak):
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalized_zip(buffer.getvalue())


# ----------------------------------------------------------------------------- PDF


@cache
def _font_files() -> dict[str, Path]:
    """DejaVu Sans (regular, bold) from matplotlib's data folder: Cyrillic and Kazakh letters.

    >>> sorted(_font_files())
    ['', 'B']
    """
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    fonts = {"": folder / "DejaVuSans.ttf", "B": folder / "DejaVuSans-Bold.ttf"}
    missing = [str(p) for p in fonts.values() if not p.is_file()]
    if missing:
        raise OutputError(
            f"the PDF font is missing ({', '.join(missing)}); reinstall matplotlib "
            "(pip install --force-reinstall matplotlib) or write .docx instead"
        )
    return fonts


def pdf_bytes(blocks: list, *, title: str, lang: str) -> bytes:
    """Write ``blocks`` as a PDF (A4, DejaVu Sans, bookmarks for headings, page numbers)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    check_language(lang)
    page_label = text("page", lang, page="{nb}")

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=7)
            self.set_text_color(120)
            self.cell(0, 5, page_label.replace("{nb}", str(self.page_no())), align="C")
            self.set_text_color(0)

    pdf = _Pdf(format="A4", unit="mm")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    for style, path in _font_files().items():
        pdf.add_font("DejaVu", style, str(path))
    pdf.set_creation_date(FIXED_DATE)
    pdf.file_id = lambda: "<" + "0" * 32 + "><" + "0" * 32 + ">"  # fixed trailer /ID
    pdf.set_title(title)
    pdf.set_author("terraplan")
    pdf.set_creator("terraplan")
    pdf.set_producer("terraplan")
    pdf.set_lang(WORD_LANGUAGES[lang])
    pdf.add_page()
    width = pdf.epw
    sizes = {1: 16, 2: 12.5, 3: 10.5}
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1 and pdf.get_y() > 30:
                pdf.add_page()
            pdf.start_section(block.text, level=block.level - 1)
            pdf.set_font("DejaVu", "B", sizes.get(block.level, 10))
            pdf.ln(2)
            pdf.multi_cell(
                width, sizes.get(block.level, 10) * 0.5, block.text, new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font("DejaVu", size=7.5 if block.note else 9.5)
            pdf.set_text_color(90 if block.note else 0)
            pdf.multi_cell(
                width, 4.2 if block.note else 5, block.text, new_x="LMARGIN", new_y="NEXT"
            )
            pdf.set_text_color(0)
            pdf.ln(1)
        elif isinstance(block, Table):
            pdf.set_font("DejaVu", size=7 if len(block.columns) > 5 else 8)
            aligns = [
                "RIGHT" if j < len(block.numeric) and block.numeric[j] else "LEFT"
                for j in range(len(block.columns))
            ]
            first = 2.2 if len(block.columns) > 2 else 1.5
            widths = [first] + [1.0] * (len(block.columns) - 1)
            with pdf.table(
                col_widths=widths,
                text_align=aligns,
                headings_style=FontFace(emphasis="BOLD", fill_color=(236, 241, 246)),
                line_height=4.2,
                width=width,
            ) as table:
                table.row(block.columns)
                for row in block.rows:
                    table.row(row)
            pdf.ln(3)
        elif isinstance(block, Image):
            w = min(block.width_cm * 10, width)
            pdf.image(io.BytesIO(block.png), w=w, x=pdf.l_margin + (width - w) / 2)
            pdf.ln(2)
        elif isinstance(block, PageBreak):
            pdf.add_page()
    return bytes(pdf.output())


# ----------------------------------------------------------------------------- documents


def _chart_pngs(analysis: Analysis, profile: dict[str, Any], dpi: int = 110) -> dict[str, bytes]:
    from terraplan.report.charts import chart_png, profile_charts

    figures = profile_charts(analysis, profile)
    return {name: chart_png(fig, dpi=dpi) for name, fig in figures.items() if fig is not None}


def render_document(blocks: list, fmt: str, *, title: str, lang: str, toc: bool = False) -> bytes:
    """``blocks`` as ``docx`` or ``pdf`` bytes.

    >>> render_document([Heading("x")], "odt", title="t", lang="en")
    Traceback (most recent call last):
    terraplan.errors.OutputError: unknown document format 'odt'; use one of docx, pdf
    """
    if fmt == "docx":
        return docx_bytes(blocks, title=title, lang=lang, toc=toc)
    if fmt == "pdf":
        return pdf_bytes(blocks, title=title, lang=lang)
    raise OutputError(f"unknown document format {fmt!r}; use one of {', '.join(FORMATS)}")


def profile_document(
    analysis: Analysis,
    profile: dict[str, Any],
    fmt: str,
    *,
    images: dict[str, bytes] | None = None,
) -> bytes:
    """One region's profile as a Word or PDF document (charts drawn unless ``images`` given)."""
    images = _chart_pngs(analysis, profile) if images is None else images
    title = f"{profile['region']['name']} – {text('profile_title', profile['lang'])}"
    return render_document(profile_blocks(profile, images), fmt, title=title, lang=profile["lang"])


def annex_document(
    analysis: Analysis,
    profiles: list[tuple[dict[str, Any], dict[str, bytes]]],
    fmt: str,
    *,
    overview_images: dict[str, bytes] | None = None,
) -> bytes:
    """The plan annex: a national overview, then every region's profile, each from a new page.

    ``profiles`` holds (profile, chart PNGs) pairs in the order they appear.
    """
    lang = analysis.lang
    blocks = overview_blocks(analysis, overview_images)
    for profile, images in profiles:
        blocks.append(PageBreak())
        blocks.extend(profile_blocks(profile, images))
    return render_document(blocks, fmt, title=text("annex_title", lang), lang=lang, toc=True)
