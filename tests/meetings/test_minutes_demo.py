"""The demo (issue 6 "done"): closing a meeting and circulating its minutes puts a
PDF in each authorised officer's mailbox; a PMG meeting has minutes in draft near its
deadline; loading again changes nothing."""

import io
import time

from django.core import mail
from django.core.management import call_command

from governance.models import User
from meetings.models import Delivery, MinutesDeadline, MinutesVersion
from meetings.selectors.minutes import deadline_rows


def test_demo_has_circulated_minutes_with_deliveries_and_a_draft_near_its_deadline(db):
    """Past meetings' minutes are circulated on time with one delivery per officer,
    sent; a PMG draft waits two days before its deadline; loading twice is a no-op."""
    started = time.monotonic()
    call_command("load_demo", stdout=io.StringIO())
    print(f"load_demo: {time.monotonic() - started:.1f}s")
    circulated = MinutesVersion.objects.filter(status="circulated")
    assert circulated.exists()
    assert Delivery.objects.filter(version__in=circulated).exists()
    assert all(d.outcome == "sent" for d in Delivery.objects.select_related("outbox"))
    assert any(
        m.attachments and m.attachments[0][0].startswith("minutes-")
        for m in mail.outbox
    )
    draft = MinutesVersion.objects.get(
        status="draft", meeting__board__name__startswith="Better Care"
    )
    deadline = MinutesDeadline.objects.get(meeting=draft.meeting)
    assert deadline.status == "due"
    secretary = User.objects.get(email="secretary@demo.example")
    statuses = {r.status for r in deadline_rows(secretary)}
    assert "due" in statuses and "sent_on_time" in statuses
    count = MinutesVersion.objects.count(), Delivery.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert (MinutesVersion.objects.count(), Delivery.objects.count()) == count
