"""Minutes are confirmed as a true record at the next meeting (SPEC s.5; issue 13):
as the decision of its standing item "Minutes of the previous meeting", while it is
in progress, by whoever chairs it (or the secretary on the chair's written
authority), recording who signed, when and at which meeting; never straight after
circulation. The signed minutes show who chaired, when the meeting opened and
closed, and carry the chair's signature block."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from pypdf import PdfReader
from rest_framework.test import APIClient

from governance.exceptions import RuleViolation
from meetings.models import AgendaItem, ChairAuthority, Meeting, MinutesVersion
from meetings.permissions import get_confirmation_item_for_user
from meetings.services import agenda, chairing
from meetings.services import minutes as services
from tests.governance.factories import UserFactory
from tests.meetings.factories import MeetingFactory
from tests.meetings.minutes_scenario import MEETING_AT, circulated_version, confirm

Status = MinutesVersion.Status
pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's words, one space apart (a long name wraps lines)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


@pytest.fixture
def following(scenario):
    """The board's next meeting, scheduled, with its standing items."""
    meeting = MeetingFactory(
        board=scenario.board, starts_at=MEETING_AT + dt.timedelta(days=60)
    )
    agenda.agenda_standing_items_add(meeting=meeting)
    return meeting


def minutes_item(meeting: Meeting) -> AgendaItem:
    return meeting.items.get(standing=AgendaItem.Standing.PREVIOUS_MINUTES)


def under_way(meeting: Meeting) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.IN_PROGRESS,
        started_at=meeting.starts_at,
    )
    meeting.refresh_from_db()
    return meeting


def test_circulating_links_the_minutes_to_the_next_meetings_standing_item(
    scenario, following
):
    version = circulated_version(scenario)
    assert version.confirmation_item == minutes_item(following)
    assert following.items.count() == 5  # no second "minutes" item


def test_the_direct_confirm_is_refused_after_circulation_and_points_to_the_next_meeting(
    scenario, following
):
    """Today's shortcut (the secretary confirms straight after circulation) is gone,
    even while the next meeting is under way: the refusal says where it happens."""
    version = circulated_version(scenario)
    for by in (scenario.secretary, scenario.chair):
        with pytest.raises(RuleViolation) as refused:
            services.minutes_confirm(version=version, by=by)
        assert refused.value.rule == "minutes_confirmed_at_standing_item"
        assert f"/meetings/{following.pk}/" in refused.value.message
        assert "Minutes of the previous meeting" in refused.value.message
    under_way(following)
    with pytest.raises(RuleViolation):
        services.minutes_confirm(version=version, by=scenario.chair)
    version.refresh_from_db()
    assert version.status == Status.CIRCULATED


def test_confirming_is_refused_before_the_next_meeting_starts(scenario, following):
    circulated_version(scenario)
    with pytest.raises(RuleViolation) as refused:
        services.minutes_confirm_at_meeting(
            item=minutes_item(following), by=scenario.chair
        )
    assert refused.value.rule == "minutes_confirm_next_meeting"


def test_confirming_is_refused_after_the_next_meeting_closed(scenario, following):
    circulated_version(scenario)
    Meeting.objects.filter(pk=following.pk).update(status=Meeting.Status.CLOSED)
    with pytest.raises(RuleViolation) as refused:
        services.minutes_confirm_at_meeting(
            item=minutes_item(following), by=scenario.chair
        )
    assert refused.value.rule == "minutes_confirm_next_meeting"


def test_only_the_minutes_item_confirms(scenario, following):
    circulated_version(scenario)
    under_way(following)
    apologies = following.items.get(standing="apologies")
    with pytest.raises(RuleViolation) as refused:
        services.minutes_confirm_at_meeting(item=apologies, by=scenario.chair)
    assert refused.value.rule == "minutes_confirmation_item"


def test_nothing_to_confirm_until_the_minutes_are_circulated(scenario, following):
    under_way(following)
    with pytest.raises(RuleViolation) as refused:
        services.minutes_confirm_at_meeting(
            item=minutes_item(following), by=scenario.chair
        )
    assert refused.value.rule == "minutes_not_circulated"


def test_the_chair_confirms_at_the_next_meeting_and_the_signer_is_recorded(
    scenario, following
):
    version = circulated_version(scenario)
    under_way(following)
    now = following.starts_at + dt.timedelta(minutes=10)
    confirmed = confirm(minutes_item(following), by=scenario.chair, now=now)
    assert confirmed.pk == version.pk
    assert confirmed.status == Status.CONFIRMED
    assert confirmed.confirmed_by == scenario.chair
    assert confirmed.signed_by_name == scenario.chair.name
    assert confirmed.confirmed_at == now
    assert confirmed.confirmed_at_meeting == following
    assert confirmed.confirmation_item == minutes_item(following)
    # The circulated PDFs stay as sent; the signed ones are new.
    assert confirmed.pdf_sha256 == version.pdf_sha256
    assert confirmed.signed_pdf_sha256 not in ("", version.pdf_sha256)


def test_a_member_who_does_not_chair_is_refused_403(scenario, following):
    circulated_version(scenario)
    under_way(following)
    with pytest.raises(PermissionDenied):
        get_confirmation_item_for_user(scenario.member, minutes_item(following).pk)


def test_the_secretary_needs_the_chairs_written_authority(scenario, following):
    circulated_version(scenario)
    under_way(following)
    item = minutes_item(following)
    with pytest.raises(RuleViolation) as refused:
        services.minutes_confirm_at_meeting(item=item, by=scenario.secretary)
    assert refused.value.rule == "chair_authority_required"
    authority = chairing.chair_act(
        meeting=following,
        act=ChairAuthority.Act.MINUTES_CONFIRMATION,
        target=item,
        by=scenario.secretary,
        chair_name="Carol Chair",
        evidence=SimpleUploadedFile("chair.eml", b"I confirm the minutes."),
    )
    version = MinutesVersion.objects.get(meeting=scenario.meeting)
    assert version.status == Status.CONFIRMED
    assert version.signed_by_name == "Carol Chair"
    assert version.confirmed_by == scenario.secretary
    assert version.confirmation_authority == authority
    authority.refresh_from_db()
    assert authority.minutes_version == version


def test_the_earlier_minutes_page_says_where_and_by_whom_they_were_confirmed(
    client, scenario, following
):
    circulated_version(scenario)
    under_way(following)
    services.minutes_confirm_at_meeting(item=minutes_item(following), by=scenario.chair)
    client.force_login(scenario.member)
    body = client.get(f"/meetings/{scenario.meeting.pk}/minutes/").content.decode()
    assert (
        f"confirmed at the meeting of {following.starts_at:%-d %B %Y}, signed by "
        f"{escape(scenario.chair.name)}" in body
    )


def test_signed_pdf_says_who_chaired_opened_closed_and_carries_the_signature(
    scenario, following
):
    Meeting.objects.filter(pk=scenario.meeting.pk).update(
        started_at=MEETING_AT + dt.timedelta(minutes=2),
        closed_at=MEETING_AT + dt.timedelta(hours=1, minutes=47),
    )
    version = circulated_version(scenario)
    circulated = pdf_text(bytes(version.pdf))
    assert "Chaired by" in circulated and scenario.chair.name in circulated
    assert "Opened at 10:02" in circulated and "Closed at 11:47" in circulated
    assert "To be confirmed as a true record" in circulated
    under_way(following)
    version = confirm(minutes_item(following), by=scenario.chair)
    signed = pdf_text(services.version_pdf(version, include_confidential=False))
    assert (
        f"Confirmed as a true record at the meeting of {following.starts_at:%-d %B %Y}"
        in signed
    )
    assert f"Signed: {scenario.chair.name}, chair" in signed
    assert "Opened at 10:02" in signed


def test_the_next_meetings_minutes_record_the_confirmation(scenario, following):
    from meetings.record import meeting_record

    circulated_version(scenario)
    under_way(following)
    services.minutes_confirm_at_meeting(item=minutes_item(following), by=scenario.chair)
    record = meeting_record(following, include_confidential=True)
    item = next(e for e in record["items"] if e["standing"] == "previous_minutes")
    assert item["confirmation"] == [
        f"The minutes of the meeting of {MEETING_AT:%-d %B %Y} (version 1) were "
        f"confirmed as a true record and signed by {scenario.chair.name}."
    ]


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_confirm_at_the_item_by_the_chair_and_refusals(scenario, following):
    version = circulated_version(scenario)
    under_way(following)
    item = minutes_item(following)
    url = f"/api/v1/items/{item.pk}/confirm-minutes/"
    assert _api(scenario.member).post(url).status_code == 403
    assert _api(UserFactory()).post(url).status_code == 403
    assert (
        _api(scenario.chair).post("/api/v1/items/999999/confirm-minutes/").status_code
        == 404
    )
    refused = _api(scenario.secretary).post(url)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "chair_authority_required"
    direct = _api(scenario.secretary).post(f"/api/v1/minutes/{version.pk}/confirm/")
    assert direct.status_code == 409
    assert direct.json()["rule"] == "minutes_confirmed_at_standing_item"
    done = _api(scenario.chair).post(url)
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "confirmed"
    assert body["confirmed_at_meeting"] == following.pk
    assert body["signed_by_name"] == scenario.chair.name
    assert body["confirmed_by"] == scenario.chair.pk


def test_the_run_page_offers_the_chair_confirm_and_sign_during_the_meeting(
    client, scenario, following
):
    """The item "Minutes of the previous meeting" shows the circulated minutes; the
    chair's button confirms them (a page POST), the secretary is offered the chair's
    written authority instead."""
    circulated_version(scenario)
    under_way(following)
    item = minutes_item(following)
    client.force_login(scenario.secretary)
    body = client.get(f"/meetings/{following.pk}/run/").content.decode()
    assert "Confirm on the chair's written authority" in body
    assert "Confirm and sign as a true record" not in body
    client.force_login(scenario.chair)
    body = client.get(f"/meetings/{following.pk}/run/").content.decode()
    assert "Confirm and sign as a true record" in body
    answer = client.post(f"/meetings/items/{item.pk}/confirm-minutes/", follow=True)
    assert "are confirmed as a true record, signed by" in answer.content.decode()
    version = MinutesVersion.objects.get(meeting=scenario.meeting)
    assert version.status == Status.CONFIRMED
    body = client.get(f"/meetings/{following.pk}/run/").content.decode()
    assert "Confirm and sign as a true record" not in body
    assert f"signed by {escape(scenario.chair.name)}" in body
