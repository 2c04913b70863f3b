"""The decisions demo: a PMG item already referred once and a West Kent escalation
open, built through the services, and loading twice changes nothing."""

import pytest
from django.core.management import call_command

from governance.models import OutboxMessage
from meetings.models import AgendaItem, Escalation, Motion

pytestmark = pytest.mark.django_db


def test_demo_decisions_loads_idempotently():
    """load_demo leaves one referred PMG item on a later agenda and one open West
    Kent escalation to dispute resolution with mail queued to the officers; a second
    load adds nothing."""
    call_command("load_demo")
    counts = (
        Motion.objects.count(),
        Escalation.objects.count(),
        OutboxMessage.objects.count(),
    )
    call_command("load_demo")
    assert counts == (
        Motion.objects.count(),
        Escalation.objects.count(),
        OutboxMessage.objects.count(),
    )
    pmg = Motion.objects.get(
        item__title__startswith="Redistribution of BCF", status="closed"
    )
    assert pmg.outcome == "referred"
    referred = AgendaItem.objects.get(referred_from=pmg.item)
    assert referred.meeting.starts_at > pmg.item.meeting.starts_at
    assert referred.motion.status == "draft"
    esc = Escalation.objects.get(board__name="West Kent Section 75 Group")
    assert esc.status == "open" and esc.path == "dispute_resolution"
    assert esc.motion.outcome == "escalated_dispute_resolution"
    assert OutboxMessage.objects.filter(
        key__startswith=f"escalation:{esc.pk}:"
    ).exists()
