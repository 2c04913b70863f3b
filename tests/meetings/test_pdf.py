"""PDFs (SPEC s.5): the agenda pack merges every uploaded PDF paper in agenda order
after a cover and agenda, with bookmarks and pack page numbers; late papers form a
supplement and the pages before it stay the same."""

import io

import pytest
from pypdf import PdfReader

from meetings import pdf

MEETING = {
    "title": "PMG 2 March 2026",
    "board": "Partnership Management Group",
    "kind": "Ordinary",
    "starts_at": "Monday 2 March 2026, 10:00",
    "location": "Civic Offices",
}


@pytest.fixture(scope="module")
def paper_pdf():
    def make(label: str, pages: int) -> bytes:
        body = "".join(
            f'<h1>{label}</h1><p>Page {n} of the paper.</p><p style="break-after: page"></p>'
            for n in range(1, pages + 1)
        )
        return pdf.html_to_pdf(body)

    return make


def items(paper_pdf, *, late: bool):
    papers_1 = [pdf.PackPaper("BCF plan", paper_pdf("BCF plan", 3))]
    papers_2 = [
        pdf.PackPaper("Finance report", paper_pdf("Finance report", 2)),
        pdf.PackPaper("Spreadsheet", None),
    ]
    if late:
        papers_1.append(
            pdf.PackPaper("Late addendum", paper_pdf("Late addendum", 2), late=True)
        )
    return [
        pdf.PackItem(1, "Better Care Fund plan", "For decision", papers=papers_1),
        pdf.PackItem(2, "Finance report", "For information", papers=papers_2),
    ]


def texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_agenda_pack_merges_papers_in_order_with_page_numbers_and_bookmarks(paper_pdf):
    """Cover and agenda, then each paper in agenda order; every merged page carries
    its pack page number; a bookmark per item and per paper."""
    progress = []
    content = pdf.agenda_pack(
        MEETING,
        items(paper_pdf, late=False),
        progress=lambda d, t: progress.append((d, t)),
    )
    pages = texts(content)
    cover = len(pages) - 5
    assert "Agenda" in pages[0]
    assert [p for p in pages[cover:] if "BCF plan" in p][0] == pages[cover]
    for index, text in enumerate(pages[cover:], start=cover + 1):
        assert f"Pack page {index}" in text
    reader = PdfReader(io.BytesIO(content))
    titles = [
        o.title if not isinstance(o, list) else [c.title for c in o]
        for o in reader.outline
    ]
    assert titles[0] == "Cover and agenda"
    assert "1. Better Care Fund plan" in titles and ["BCF plan"] in titles
    assert "not a PDF" in pages[0]
    assert progress[-1][0] == progress[-1][1]


def test_late_papers_form_a_supplement_and_page_numbers_stay_the_same(paper_pdf):
    """Rebuilding the pack with a late paper appends a supplement: every page before
    it keeps its number and content."""
    before = texts(pdf.agenda_pack(MEETING, items(paper_pdf, late=False)))
    after = texts(pdf.agenda_pack(MEETING, items(paper_pdf, late=True)))
    assert after[: len(before)][1:] == before[1:]
    assert "Supplement" in after[len(before)]
    assert "Late addendum" in after[-1]
    assert f"Pack page {len(after)}" in after[-1]


def test_minutes_pdf_draft_watermark_only_on_drafts():
    """A draft carries DRAFT on every page; a circulated PDF does not."""
    record = {
        "board": "PMG",
        "meeting": "PMG 2 March",
        "kind": "Ordinary",
        "starts_at": "x",
        "attendance": {"present": [], "deputies": [], "apologies": [], "absent": []},
        "quorum": [],
        "items": [],
        "decisions": [],
        "actions": [],
        "confidential_withheld": 0,
    }
    version = {"number": 1, "status": "Draft"}
    assert all(
        "DRAFT" in t
        for t in texts(pdf.minutes_pdf(record, draft=True, version=version))
    )
    assert not any(
        "DRAFT" in t
        for t in texts(pdf.minutes_pdf(record, draft=False, version=version))
    )
