"""Demo publication: the Portsmouth PMG and the West Kent Section 75 Group publish
their records (issue 19); the PMG's redistribution of BCF contributions has its
report as a paper with text, issued with the agenda of that meeting.

Sources: West Kent annex schedule 2 has the Section 75 Group formed of members of
the Local Health and Wellbeing Board, meeting concurrently with it; a Health and
Wellbeing Board is a committee of the council (Health and Social Care Act 2012
s.194), so its meetings are open under the Local Government Act 1972 Part VA. No
Portsmouth document says the PMG publishes its papers: that is local practice (demo).

Idempotent: settings are set, and the paper is added only once.
"""

import datetime

from django.core.files.base import ContentFile

from boards.models import Board
from governance.models import User
from meetings.models import AgendaItem, Meeting, Paper

from .services import index, papers
from .services.publication import board_publication_set

PMG = "Better Care & Integrated Commissioning Service Partnership Management Group"
WEST_KENT = "West Kent Section 75 Group"
SOURCES = {
    PMG: {"source": "local practice (demo): no Portsmouth document states it"},
    WEST_KENT: {
        "source": "West Kent annex schedule 2 (formed of the Local HWB, a council "
        "committee: Local Government Act 1972 Part VA)",
    },
}
REDISTRIBUTION = "Redistribution of BCF contributions between schemes"
PAPER_TITLE = "Report: redistribution of BCF contributions for hospital discharge"
PAPER_TEXT = """
<h1>Redistribution of BCF contributions between schemes</h1>
<p>Report of the Director of Adult Social Care to the Partnership Management Group.</p>
<h2>1. Purpose</h2>
<p>To ask the PMG to move £250,000 within the aggregate of the Better Care Fund pooled
contributions from the Integrated Discharge scheme to Community Equipment, so that
people leaving hospital have the equipment they need on the day of discharge.</p>
<h2>2. Hospital discharge</h2>
<p>Delayed hospital discharge has risen over the winter: 38% of delays in the last
quarter were waits for community equipment. The Integrated Discharge scheme forecasts
an underspend of £310,000 because recruitment to discharge coordinator posts slipped.</p>
<h2>3. Recommendation</h2>
<p>That the PMG moves £250,000 of the BCF pooled fund from the Integrated Discharge
scheme to Community Equipment within the aggregate of the contributions (PMG ToR
5.1.2). The redistribution stays within the aggregate and needs the agreement of
both partners (Portsmouth s75 5.1.1).</p>
"""


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html lang='en'><body>{html}</body></html>").write_pdf()


def _paper(secretary: User) -> None:
    item = (
        AgendaItem.objects.filter(meeting__board__name=PMG, title=REDISTRIBUTION)
        .select_related("meeting")
        .order_by("meeting__starts_at")
        .first()
    )
    if item is None or Paper.objects.filter(item=item, title=PAPER_TITLE).exists():
        return
    meeting = item.meeting
    if meeting.agenda_published_at is None:
        # The meeting was held: its agenda had been issued ten days before.
        Meeting.objects.filter(pk=meeting.pk).update(
            agenda_published_at=meeting.starts_at - datetime.timedelta(days=10)
        )
    content = _pdf(PAPER_TEXT)
    paper = Paper(
        item=item,
        title=PAPER_TITLE,
        content_type="application/pdf",
        size=len(content),
        page_count=1,
        uploaded_by=secretary,
    )
    paper.file.save("redistribution-hospital-discharge.pdf", ContentFile(content))
    Paper.objects.filter(pk=paper.pk).update(
        uploaded_at=meeting.starts_at - datetime.timedelta(days=11)
    )
    papers.paper_text_extract(paper_id=paper.pk)


def load() -> None:
    secretary = User.objects.filter(email="secretary@demo.example").first()
    for name, source in SOURCES.items():
        board = Board.objects.filter(name=name).first()
        if board is not None:
            board_publication_set(board=board, published=True, **source)
    if secretary is not None:
        _paper(secretary)
    papers.papers_extract_pending(limit=500)
    index.reindex_all()
