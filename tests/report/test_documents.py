"""Word and PDF documents: the plan annex of ``terraplan build`` and single profiles in ru/kk.

The expected headings, names and counts come from the profile dictionaries and the message
catalogue (``terraplan.report.i18n.text``), so a document in the wrong language, without its
tables or pictures, or without headings fails.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from terraplan.report.i18n import text
from terraplan.territory.registry import display_name, layout_regions

CODES = layout_regions("KZ-2022")


def _docx(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def _headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _pdf_text(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def kk_profile(analysis):
    from terraplan.report.profile import region_profile

    return region_profile(analysis, "KZ-35", lang="kk")


def test_annex_docx_has_a_heading_table_and_pictures_per_region(built):
    document = _docx((built / "plan-annex.docx").read_bytes())
    # the national overview, then one part per region (Heading 1 -> Word's TOC)
    contents = [p.text for p in document.paragraphs if p.style.name == "TOC Heading"]
    assert contents == [text("contents", "en")]
    assert _headings(document, 1) == [
        text("national_overview", "en"),
        *[display_name(c, "en") for c in CODES],
    ]
    assert _headings(document, 2).count(text("key_indicators", "en")) == 20
    xml = document.element.xml
    assert 'TOC \\o "1-2"' in xml  # a table-of-contents field over the heading styles
    # overview table (20 regions + header) and per region: key indicators and structure
    assert len(document.tables) == 1 + 2 * 20
    overview = document.tables[0]
    assert len(overview.rows) == 21
    assert [row.cells[0].text for row in overview.rows[1:]] == [display_name(c) for c in CODES]
    # pictures: a static map and the Moran scatterplot, then three charts per region
    assert len(document.inline_shapes) == 2 + 3 * 20
    assert document.core_properties.created == datetime(2000, 1, 1, tzinfo=UTC)


def test_annex_pdf_starts_every_region_on_a_page_and_names_it(built):
    pages, body = _pdf_text((built / "plan-annex.pdf").read_bytes())
    assert pages > 20
    for code in CODES:
        assert display_name(code, "en") in body
    assert text("national_overview", "en") in body


def test_kazakh_profile_docx_is_in_kazakh(analysis, kk_profile):
    from terraplan.report.documents import profile_document

    document = _docx(profile_document(analysis, kk_profile, "docx"))
    assert _headings(document, 1) == ["Қарағанды облысы"]
    assert text("key_indicators", "kk") in _headings(document, 2)
    assert text("structure", "kk") in _headings(document, 2)
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header[0] == text("indicator", "kk") and header[3] == text("rank", "kk")
    assert "kk-KZ" in document.styles.element.xml  # spelling language of the document
    assert len(document.inline_shapes) == 3


def test_russian_profile_pdf_text_is_russian_and_reproducible(analysis):
    from pypdf import PdfReader

    from terraplan.report.documents import profile_document
    from terraplan.report.profile import region_profile

    profile = region_profile(analysis, "KZ-35", lang="ru")
    images = {}  # charts are tested elsewhere; the text and layout are what matter here
    data = profile_document(analysis, profile, "pdf", images=images)
    assert data == profile_document(analysis, profile, "pdf", images=images)
    pages, body = _pdf_text(data)
    assert pages >= 1
    for words in ("Карагандинская область", text("key_indicators", "ru"), text("sources", "ru")):
        assert words in body
    assert "Key indicators" not in body
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata["/CreationDate"].startswith("D:20000101")
    assert reader.outline[0]["/Title"] == "Карагандинская область"


def test_profile_command_writes_word_and_pdf(tmp_path):
    from typer.testing import CliRunner

    from terraplan.cli.app import app

    for fmt in ("docx", "pdf"):
        result = CliRunner().invoke(
            app, ["profile", "Астана", "--format", fmt, "--lang", "kk", "--out", str(tmp_path)]
        )
        assert result.exit_code == 0, result.output
    document = _docx((tmp_path / "KZ-71.docx").read_bytes())
    assert _headings(document, 1) == ["Астана қаласы"]
    _pages, body = _pdf_text((tmp_path / "KZ-71.pdf").read_bytes())
    assert "Астана қаласы" in body and text("key_indicators", "kk") in body


def test_unknown_document_format_is_an_output_error():
    from terraplan.errors import OutputError
    from terraplan.report.documents import Heading, render_document

    with pytest.raises(OutputError, match="use one of docx, pdf"):
        render_document([Heading("x")], "rtf", title="t", lang="en")
