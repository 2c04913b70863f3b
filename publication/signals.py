"""Keeps the search index in step with the record. Connected in
``PublicationConfig.ready()``: the meetings app knows nothing of publication.

Saves that bypass signals (``QuerySet.update``, ``bulk_create``) are caught up by
``python manage.py search_reindex``; whatever the index holds, what a visitor sees is
decided at read time from the record itself (``visibility.py``)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from meetings.models import (
    AgendaItem,
    Meeting,
    MinutesEntry,
    MinutesVersion,
    Motion,
    Paper,
)

from .services import index, papers


def _meeting_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_meeting(instance)


def _item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_item(instance)


def _motion_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_item(instance.item)


def _paper_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if created:
        papers.paper_text_pending(paper=instance)
        transaction.on_commit(partial(_extract_soon, instance.pk), robust=True)
    index.index_paper(instance)


def _extract_soon(paper_id: int) -> None:
    from governance.outbox import kick

    from .tasks import paper_text_extract

    kick(paper_text_extract, (paper_id,))  # never waits on the broker


def _minutes_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_minutes(instance)


def _entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_minutes_entry(instance)


def connect() -> None:
    for model, receiver in (
        (Meeting, _meeting_saved),
        (AgendaItem, _item_saved),
        (Motion, _motion_saved),
        (Paper, _paper_saved),
        (MinutesVersion, _minutes_saved),
        (MinutesEntry, _entry_saved),
    ):
        post_save.connect(
            receiver, sender=model, dispatch_uid=f"publication.index.{model.__name__}"
        )
