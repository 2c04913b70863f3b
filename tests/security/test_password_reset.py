"""Password reset (issue 15): the request hands the address to the worker and looks
nothing up, so a known and an unknown address get the same answer after the same
work; requests are throttled per client address and mails per person; a person who
was never invited gets no link."""

from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import OutboxMessage, User
from governance.services.password_reset import password_reset_send

pytestmark = pytest.mark.django_db


def ask(client, email):
    with mock.patch("governance.tasks.password_reset_mail.apply_async") as publish:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("password_reset"), {"email": email})
    return response, publish, len(queries)


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_work(
    client, make_user
):
    make_user(email="known@ccg.example")
    known, known_task, known_queries = ask(client, "known@ccg.example")
    unknown, unknown_task, unknown_queries = ask(client, "nobody@ccg.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert known_queries == unknown_queries, "no lookup in the request"
    assert known_task.call_count == unknown_task.call_count == 1
    assert known_task.call_args.kwargs["args"][0] == "known@ccg.example"


def test_requests_are_throttled_per_client_address(client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    from django.core.cache import cache

    cache.clear()
    published = [ask(client, f"p{n}@ccg.example")[1].call_count for n in range(5)]
    assert published == [1, 1, 1, 0, 0]


def test_the_worker_sends_at_most_three_mails_a_person_an_hour(make_user, settings):
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 3
    make_user(email="often@ccg.example")
    sent = [password_reset_send(email="often@ccg.example") for _ in range(5)]
    assert sent == [1, 1, 1, 0, 0]
    assert OutboxMessage.objects.filter(to="often@ccg.example").count() == 3


def test_nobody_uninvited_or_deactivated_gets_a_link(make_user):
    User.objects.create_user(email="named@ccg.example", name="On a board, no login")
    make_user(email="gone@ccg.example", is_active=False)
    for email in ("named@ccg.example", "gone@ccg.example", "nobody@ccg.example"):
        assert password_reset_send(email=email) == 0
    assert not OutboxMessage.objects.exists()


def test_the_link_is_mailed_by_the_worker_through_the_outbox(
    client, make_user, django_capture_on_commit_callbacks
):
    make_user(email="Mixed.Case@ccg.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "mixed.case@CCG.example"})
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
