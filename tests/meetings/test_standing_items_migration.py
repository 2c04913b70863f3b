"""The data migration that gives meetings not yet held their standing items
(meetings.migrations.0009_standing_items_for_meetings_not_held.py): adopts items
that already are standing items in all but name, adds the rest in order, and leaves
held meetings' agendas as they were."""

import importlib

import pytest
from django.apps import apps

from meetings.models import AgendaItem, Meeting
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "meetings.migrations.0009_standing_items_for_meetings_not_held"
)


def test_meetings_not_held_get_standing_items_and_held_ones_keep_their_agenda():
    coming = MeetingFactory()
    AgendaItemFactory(meeting=coming, title="Any other business", order=0)
    AgendaItemFactory(meeting=coming, title="Scheme review", order=1)
    AgendaItemFactory(meeting=coming, title="Apologies", order=2)
    held = MeetingFactory(status=Meeting.Status.CLOSED)
    AgendaItemFactory(meeting=held, title="Only item")
    migration.add_standing_items(apps, None)
    rows = list(
        coming.items.order_by("order").values_list("standing", "title", "order")
    )
    assert rows == [
        ("apologies", "Apologies", 0),
        ("declarations", "Declarations of interest", 1),
        ("previous_minutes", "Minutes of the previous meeting", 2),
        ("matters_arising", "Matters arising and the action log", 3),
        ("", "Scheme review", 4),
        ("aob", "Any other business", 5),
    ]
    assert list(held.items.values_list("standing", "title")) == [("", "Only item")]
    migration.add_standing_items(apps, None)  # twice: nothing more
    assert coming.items.count() == 6
    assert AgendaItem.objects.filter(meeting=held).count() == 1
