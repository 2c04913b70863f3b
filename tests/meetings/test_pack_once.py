"""The agenda pack lays its cover out once and parses each paper once (issue 17:
it rendered the cover twice and parsed every paper twice), and the cover still
quotes the right pack page of each paper, for a one-page and a two-page cover."""

import io
import re

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
def two_pages():
    return pdf.html_to_pdf(
        '<p>First page.</p><p style="break-after: page"></p><p>Second page.</p>'
    )


def _items(n, paper):
    return [
        pdf.PackItem(
            k + 1,
            f"Item {k + 1}",
            "For decision",
            papers=[pdf.PackPaper(f"Paper {k + 1}", paper)],
        )
        for k in range(n)
    ]


@pytest.mark.parametrize("n_items, cover_pages", [(3, 1), (25, 2)])
def test_cover_laid_out_once_each_paper_parsed_once(
    monkeypatch, two_pages, n_items, cover_pages
):
    covers, parsed = [], []
    real_cover, real_reader = pdf._cover, pdf.PdfReader

    def cover(meeting, items):
        covers.append(1)
        return real_cover(meeting, items)

    def reader(stream, *args, **kwargs):
        if stream.getvalue() == two_pages:
            parsed.append(1)
        return real_reader(stream, *args, **kwargs)

    monkeypatch.setattr(pdf, "_cover", cover)
    monkeypatch.setattr(pdf, "PdfReader", reader)
    content = pdf.agenda_pack(MEETING, _items(n_items, two_pages))
    assert len(covers) == 1
    assert len(parsed) == n_items
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(content)).pages]
    assert len(pages) == cover_pages + 2 * n_items
    # The cover quotes each paper's first pack page, and that page carries it.
    cover_text = " ".join(pages[:cover_pages])
    for k in (0, n_items - 1):
        first = cover_pages + 1 + 2 * k
        assert "First page." in pages[first - 1]
        assert f"Pack page {first}" in pages[first - 1]
        assert re.search(rf"\b{first}\b", cover_text)


def test_page_numbers_are_an_appended_stream_the_papers_own_content_untouched(
    two_pages,
):
    """The stamp is a content stream added after the page's own (wrapped in q/Q),
    not a merge that parses and rewrites every page (issue 17: most of the pack's
    time); a page with no content at all (a blank page) is stamped too."""
    from tests.documents import blank_pdf

    own = [p.get_contents().get_data() for p in PdfReader(io.BytesIO(two_pages)).pages]
    items = _items(1, two_pages) + _items(1, blank_pdf(1))
    pack = PdfReader(io.BytesIO(pdf.agenda_pack(MEETING, items)))
    first = len(pack.pages) - 3
    for offset, data in enumerate(own):
        streams = [
            s.get_object().get_data() for s in pack.pages[first + offset]["/Contents"]
        ]
        assert streams[0] == b"q\n" and data in streams
        assert f"(Pack page {first + offset + 1}) Tj ET Q".encode() in streams[-1]
    assert f"Pack page {len(pack.pages)}" in pack.pages[-1].extract_text()
