"""HTML -> PDF with WeasyPrint (templates under templates/meetings/pdf/), and the
agenda pack: a WeasyPrint cover and agenda, then every uploaded PDF paper merged in
agenda order with pypdf, bookmarks per item and paper, and pack page numbers stamped
on every page.

Late papers form a supplement at the end of the pack (SPEC s.2): the papers issued
on time keep their pages, so the page numbers quoted in the browser and in the PDF
do not change when the pack is rebuilt with the supplement.
"""

import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from weasyprint import CSS, HTML

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@lru_cache(maxsize=4)
def _stylesheet(name: str) -> CSS:
    path = finders.find(f"meetings/css/{name}")
    if path is None:
        raise FileNotFoundError(name)
    return CSS(filename=path)


def html_to_pdf(html: str, *, stylesheet: str = "pdf.css") -> bytes:
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[_stylesheet(stylesheet)]
    )


def minutes_html(record: dict, *, draft: bool, version: dict) -> str:
    return render_to_string(
        "meetings/pdf/minutes.html",
        {"record": record, "draft": draft, "version": version},
    )


def minutes_pdf(record: dict, *, draft: bool, version: dict) -> bytes:
    """The minutes; a draft carries a DRAFT watermark on every page."""
    return html_to_pdf(minutes_html(record, draft=draft, version=version))


def record_of_decisions_pdf(record: dict) -> bytes:
    """The generated record of decisions: what was decided, with the votes, quorum
    statements and actions; sent when the narrative minutes miss the deadline."""
    return html_to_pdf(
        render_to_string("meetings/pdf/record_of_decisions.html", {"record": record})
    )


# The agenda pack ---------------------------------------------------------------


@dataclass
class PackPaper:
    title: str
    content: bytes | None  # None: not a PDF, listed but not merged
    late: bool = False
    pages: int = 0
    first_page: int = 0


@dataclass
class PackItem:
    number: int
    title: str
    kind: str
    presenter: str = ""
    confidential: bool = False
    exemption: str = ""  # the Schedule 12A paragraph of a confidential item
    papers: list[PackPaper] = field(default_factory=list)


def _page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def _cover(meeting: dict, items: list[PackItem]):
    """The cover and agenda laid out (a WeasyPrint document: its pages counted
    before it is written, so a cover is laid out once when its length was right)."""
    html = render_to_string(
        "meetings/pdf/agenda_cover.html", {"meeting": meeting, "items": items}
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[_stylesheet("pdf.css")]
    )


# Rows of the agenda table that fit on the cover's first page, and on each further
# page (templates/meetings/pdf/agenda_cover.html with pdf.css, measured with items
# of one paper and a one-line title): a guess only, so the cover is laid out once
# for most agendas; a wrong guess costs one more layout, never a wrong page number.
COVER_FIRST_PAGE_ROWS = 17
COVER_PAGE_ROWS = 20


def _cover_pages_guess(items: list[PackItem]) -> int:
    rows = sum(max(1, len(item.papers)) for item in items)
    if rows <= COVER_FIRST_PAGE_ROWS:
        return 1
    return 1 + -(-(rows - COVER_FIRST_PAGE_ROWS) // COVER_PAGE_ROWS)


def _supplement(meeting: dict, items: list[PackItem], first_page: int) -> bytes:
    html = render_to_string(
        "meetings/pdf/agenda_supplement.html",
        {"meeting": meeting, "items": items, "first_page": first_page},
    )
    return html_to_pdf(html)


def _number_stamp(text: str, box) -> PageObject:
    """A transparent page the size of ``box`` carrying only ``text`` at the bottom
    right on a white patch, in Helvetica (a standard font: nothing to embed). Drawn
    directly, because laying out one WeasyPrint page per number took most of the
    pack's time."""
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    page = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FPack"): font})}
    )
    x, y = left + width - 28 - 4.5 * len(text), bottom + 14
    stream = DecodedStreamObject()
    stream.set_data(
        (
            f"q 1 1 1 rg {x - 3:.1f} {y - 3:.1f} {4.5 * len(text) + 6:.1f} 12 re f Q "
            f"BT 0.2 0.2 0.2 rg /FPack 8 Tf {x:.1f} {y:.1f} Td ({text}) Tj ET"
        ).encode("ascii")
    )
    page[NameObject("/Contents")] = stream
    return page


def agenda_pack(
    meeting: dict, items: list[PackItem], *, progress: Progress | None = None
) -> bytes:
    """One PDF: cover and agenda, the papers issued on time in agenda order, then
    the supplement of late papers. Bookmarks: one per item, one per paper."""
    progress = progress or (lambda done, total: None)
    # Each paper is parsed once: the reader that counts its pages also merges them.
    papers, readers = [], {}
    for paper in (p for i in items for p in i.papers if p.content is not None):
        try:
            reader = PdfReader(io.BytesIO(paper.content))
            paper.pages = len(reader.pages)
        except Exception:  # noqa: BLE001 - pypdf raises many kinds on bad input
            # Stored before papers were checked at upload: listed, not merged.
            log.warning("paper %r is not a readable PDF; not merged", paper.title)
            paper.content = None
            continue
        readers[id(paper)] = reader
        papers.append(paper)
    total = len(papers) + 3

    def lay_out(start: int, late: bool) -> int:
        page = start
        for item in items:
            for paper in item.papers:
                if paper.content is not None and paper.late == late:
                    paper.first_page = page
                    page += paper.pages
        return page

    # The cover quotes the papers' pages, which follow the cover: laid out once
    # for a cover of the pages guessed (one page, or what the agenda's rows
    # suggest), again only if it came out longer or shorter.
    cover_pages = _cover_pages_guess(items)
    lay_out(cover_pages + 1, late=False)
    cover = _cover(meeting, items)
    for _ in range(2):
        if len(cover.pages) == cover_pages:
            break
        cover_pages = len(cover.pages)
        lay_out(cover_pages + 1, late=False)
        cover = _cover(meeting, items)
    progress(1, total)

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover.write_pdf())), import_outline=False)
    writer.add_outline_item(title="Cover and agenda", page_number=0)
    done = 1

    def add_stamped(reader: PdfReader) -> int:
        """Append pages stamped with their pack page numbers; returns the index
        of the first."""
        start = len(writer.pages)
        for number, page in enumerate(reader.pages, start=start + 1):
            added = writer.add_page(page)
            added.merge_page(_number_stamp(f"Pack page {number}", added.mediabox))
        return start

    def merge(late: bool):
        nonlocal done
        for item in items:
            item_mark = None
            for paper in item.papers:
                if paper.content is None or paper.late != late:
                    continue
                start = add_stamped(readers[id(paper)])
                if item_mark is None:
                    item_mark = writer.add_outline_item(
                        title=f"{item.number}. {item.title}", page_number=start
                    )
                writer.add_outline_item(
                    title=paper.title, page_number=start, parent=item_mark
                )
                done += 1
                progress(done, total)

    merge(late=False)
    late_items = [
        i for i in items if any(p.late and p.content is not None for p in i.papers)
    ]
    if late_items:
        supplement_start = len(writer.pages) + 1
        supplement = _supplement(meeting, late_items, supplement_start)
        lay_out(supplement_start + _page_count(supplement), late=True)
        supplement = _supplement(meeting, late_items, supplement_start)
        start = add_stamped(PdfReader(io.BytesIO(supplement)))
        writer.add_outline_item(title="Supplement: late papers", page_number=start)
        merge(late=True)
    progress(total - 1, total)
    out = io.BytesIO()
    writer.write(out)
    progress(total, total)
    return out.getvalue()
