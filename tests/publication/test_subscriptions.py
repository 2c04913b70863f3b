"""Following a board (issue 19): a visitor's address is confirmed by a link before
anything is sent; a signed-in person follows at once; a weekly digest of new
agendas, minutes and decisions goes through the outbox, once per week, and only of
what is published; every digest ends the subscription in one click."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from governance.models import OutboxMessage
from governance.outbox import outbox_relay
from meetings.models import AgendaItem, Meeting, Motion
from publication.models import Digest, Subscription
from publication.services import digests

from .world import PUBLIC, SECRETS


def _link(body: str, kind: str) -> str:
    return re.search(rf"http://\S+/public/subscriptions/\S+/{kind}/", body).group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_visitor_confirms_by_the_link_in_the_mail(client, world):
    response = client.post(
        f"/public/boards/{world.published.pk}/follow/", {"email": "Res@Example.ORG"}
    )
    assert response.status_code == 200
    sub = Subscription.objects.get(board=world.published)
    assert sub.email == "Res@example.org" and not sub.active
    message = OutboxMessage.objects.get(key__startswith=f"subscribe:{sub.pk}:")
    assert message.to == "Res@example.org"
    assert "&amp;" not in message.subject
    link = _path(_link(message.body, "confirm"))
    assert client.get(link).status_code == 200
    sub.refresh_from_db()
    assert not sub.active  # opening the link (a mail scanner) changes nothing
    assert client.post(link).status_code == 200
    sub.refresh_from_db()
    assert sub.active


def test_asking_again_does_not_flood_the_address(client, world):
    for _ in range(3):
        client.post(
            f"/public/boards/{world.published.pk}/follow/", {"email": "a@example.org"}
        )
    assert OutboxMessage.objects.filter(key__startswith="subscribe:").count() == 1


def test_a_bad_address_is_a_message(client, world):
    response = client.post(
        f"/public/boards/{world.published.pk}/follow/", {"email": "not-an-address"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Subscription.objects.exists()


def test_an_unpublished_board_cannot_be_followed(client, world):
    response = client.post(
        f"/public/boards/{world.hidden.pk}/follow/", {"email": "a@example.org"}
    )
    assert response.status_code == 404


def test_a_signed_in_person_follows_at_once(client, world):
    client.force_login(world.member)
    response = client.post(f"/public/boards/{world.published.pk}/follow/")
    assert response.status_code == 302
    sub = Subscription.objects.get(board=world.published)
    assert sub.active and sub.user == world.member


def _subscriber(world, days_ago=8):
    at = timezone.now() - datetime.timedelta(days=days_ago)
    return Subscription.objects.create(
        board=world.published,
        email="resident@example.org",
        confirmed_at=at,
        digest_from=at,
    )


def test_the_weekly_digest_lists_what_was_published_and_nothing_else(world):
    sub = _subscriber(world, days_ago=30)
    assert digests.digests_send() == 1
    digest = Digest.objects.get(subscription=sub)
    body = digest.outbox.body
    assert PUBLIC["item"] in body  # the decision
    assert f"/public/meetings/{world.held.pk}/minutes/" in body
    assert "/public/subscriptions/" in body and "/end/" in body
    for word in SECRETS.values():
        assert word not in body
    outbox_relay()
    assert mail.outbox[-1].to == ["resident@example.org"]


def test_the_digest_goes_once_a_week_however_often_beat_runs(world):
    _subscriber(world, days_ago=30)
    assert digests.digests_send() == 1
    assert digests.digests_send() == 0
    later = timezone.now() + datetime.timedelta(days=7)
    item = AgendaItem.objects.create(meeting=world.held, order=9, title="Later")
    Motion.objects.create(
        item=item, text="Later.", status="closed", outcome="carried", closed_at=later
    )
    assert digests.digests_send(now=later + datetime.timedelta(minutes=1)) == 1
    assert Digest.objects.count() == 2


def test_a_quiet_week_sends_nothing(world):
    _subscriber(world, days_ago=8)
    Meeting.objects.filter(board=world.published).update(
        agenda_published_at=timezone.now() - datetime.timedelta(days=60)
    )
    from meetings.models import MinutesVersion

    MinutesVersion.objects.update(
        circulated_at=timezone.now() - datetime.timedelta(days=60)
    )
    Motion.objects.update(closed_at=timezone.now() - datetime.timedelta(days=60))
    assert digests.digests_send() == 0
    assert not Digest.objects.exists()


def test_an_unconfirmed_or_ended_subscription_gets_nothing(world):
    sub = _subscriber(world, days_ago=30)
    Subscription.objects.filter(pk=sub.pk).update(ended_at=timezone.now())
    Subscription.objects.create(board=world.published, email="pending@example.org")
    assert digests.digests_send() == 0


def test_the_link_in_the_digest_ends_the_subscription(client, world):
    sub = _subscriber(world, days_ago=30)
    digests.digests_send()
    link = _path(_link(Digest.objects.get().outbox.body, "end"))
    assert "Stop the digest" in client.get(link).content.decode()
    client.post(link)
    sub.refresh_from_db()
    assert not sub.active


def test_beat_sends_the_digest_on_monday_mornings(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-digests"]
    assert entry["task"] == "publication.tasks.weekly_digests"
    assert entry["schedule"].day_of_week == {1}
    assert entry["schedule"].hour == {7}
