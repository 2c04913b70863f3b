"""A confidential item on a coming agenda shows in the forward plan with the
paragraph of Schedule 12A that exempts it (issue 18): the page, the PDF and the
API; the iCalendar, which travels, shows the paragraph in place of its title."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.services import agenda
from planning.services.plan import proposal_accept
from tests.meetings.builders import pmg
from tests.planning.builders import risk_assessment

pytestmark = pytest.mark.django_db

TITLE = "Risk assessment: provider failure scenarios"
EXEMPTION = "exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972"


@pytest.fixture
def built():
    """PMG's risk assessment accepted onto its coming meeting, then made a
    confidential item (paragraph 3: financial or business affairs)."""
    built = pmg()
    duty = risk_assessment(built.board, days=30)
    planned = proposal_accept(
        board=built.board,
        key=f"obligation:{duty.pk}:{duty.first_due}",
        by=built.secretary,
    )
    item = planned.agenda_item
    agenda.item_update(
        item=item,
        by=built.secretary,
        title=TITLE,
        business_type=item.business_type,
        kind=item.kind,
        presenter=item.presenter,
        confidential=True,
        exempt_paragraph=3,
    )
    return built


def test_the_forward_plan_page_shows_the_paragraph(client, built):
    client.force_login(built.seats[0].holder)
    page = client.get(reverse("planning:forward_plan", args=[built.board.pk]))
    body = page.content.decode()
    assert TITLE in body and "Confidential" in body
    assert "E" + EXEMPTION[1:] in body


def test_the_forward_plan_pdf_shows_the_paragraph(client, built):
    client.force_login(built.seats[0].holder)
    pdf = client.get(reverse("planning:forward_plan_pdf", args=[built.board.pk]))
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert f"{TITLE} (confidential: {EXEMPTION})" in text


def test_the_forward_plan_calendar_shows_the_paragraph_not_the_title(client, built):
    client.force_login(built.seats[0].holder)
    ics = client.get(reverse("planning:forward_plan_ics", args=[built.board.pk]))
    body = ics.content.decode().replace("\r\n ", "")
    assert TITLE not in body
    assert f"- Exempt item: {EXEMPTION}" in body.replace("\\n", "\n")


def test_the_forward_plan_api_gives_the_exemption(api_as, built):
    response = api_as(built.seats[0].holder).get(
        f"/api/v1/boards/{built.board.pk}/forward-plan/"
    )
    [entry] = [
        e for m in response.json() for e in m["on_agenda"] if e["title"] == TITLE
    ]
    assert (entry["confidential"], entry["exemption"]) == (True, EXEMPTION)
