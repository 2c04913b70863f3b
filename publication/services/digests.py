"""The weekly digest: for each confirmed subscription, what its board published
since the last digest (agendas issued, minutes published, decisions taken), sent
through the outbox. Beat runs ``digests_send`` every Monday morning
(``CELERY_BEAT_SCHEDULE``).

A subscription is claimed by moving its ``digest_from`` forward with a conditional
UPDATE (``filter(pk, digest_from=old).update(...)``): a second run, or two workers at
once, find nothing left to send. The digest and its outbox row commit with the claim.
A week with nothing new sends nothing.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance.links import absolute_url
from governance.outbox import outbox_enqueue
from meetings.models import Meeting, MinutesVersion, Motion

from .. import visibility as v
from ..mail import render_mail
from ..models import Digest, Subscription

# Less than a week, so a run late one Monday and on time the next still sends.
DUE_AFTER = timedelta(days=6)


def digest_entries(board_id: int, start: datetime, end: datetime) -> dict:
    """What a board published in [start, end): public records only."""
    agendas = list(
        Meeting.objects.filter(
            v.agenda_public_q(),
            board_id=board_id,
            agenda_published_at__gte=start,
            agenda_published_at__lt=end,
        ).order_by("starts_at")
    )
    minutes = list(
        MinutesVersion.objects.filter(
            v.minutes_public_q(),
            meeting__board_id=board_id,
            circulated_at__gte=start,
            circulated_at__lt=end,
        )
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    decisions = list(
        Motion.objects.filter(
            v.decision_public_q(),
            item__meeting__board_id=board_id,
            closed_at__gte=start,
            closed_at__lt=end,
        )
        .select_related("item__meeting")
        .order_by("closed_at")
    )
    return {
        "agendas": [
            (m, absolute_url(reverse("public:meeting", args=[m.pk]))) for m in agendas
        ],
        "minutes": [
            (m, absolute_url(reverse("public:minutes", args=[m.meeting_id])))
            for m in minutes
        ],
        "decisions": [
            (d, absolute_url(reverse("public:decision", args=[d.pk])))
            for d in decisions
        ],
    }


def _send_one(sub: Subscription, end: datetime) -> bool:
    start = sub.digest_from
    with transaction.atomic():
        claimed = Subscription.objects.filter(
            pk=sub.pk, digest_from=start, ended_at__isnull=True
        ).update(digest_from=end)
        if not claimed:
            return False
        entries = digest_entries(sub.board_id, start, end)
        count = sum(len(rows) for rows in entries.values())
        if not count:
            return False
        subject, body = render_mail(
            "digest",
            {
                "board": sub.board,
                "start": timezone.localtime(start),
                "end": timezone.localtime(end),
                "count": count,
                **entries,
                "board_url": absolute_url(reverse("public:board", args=[sub.board_id])),
                "end_url": absolute_url(
                    reverse("public:subscription_end", args=[sub.token])
                ),
            },
        )
        message = outbox_enqueue(
            key=f"digest:{sub.pk}:{end:%Y%m%dT%H%M%S}",
            to=sub.email,
            subject=subject,
            body=body,
        )
        Digest.objects.create(
            subscription=sub,
            period_start=start,
            period_end=end,
            entries=count,
            outbox=message,
        )
    return True


def digests_send(*, now: datetime | None = None) -> int:
    """Send every digest due (the board still published); returns how many."""
    now = now or timezone.now()
    due = (
        Subscription.objects.filter(
            v.board_published_q("board__"),
            confirmed_at__isnull=False,
            ended_at__isnull=True,
        )
        .filter(Q(digest_from__isnull=True) | Q(digest_from__lte=now - DUE_AFTER))
        .select_related("board")
        .order_by("pk")
    )
    sent = 0
    for sub in due:
        if sub.digest_from is None:
            Subscription.objects.filter(pk=sub.pk, digest_from__isnull=True).update(
                digest_from=sub.confirmed_at
            )
            sub.digest_from = sub.confirmed_at
        sent += _send_one(sub, now)
    return sent
