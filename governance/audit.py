"""The audit history: every change to the record, who made it, when, before and
after (django-simple-history). Auditors read it; nothing edits it."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


def audited_models() -> list[type[Model]]:
    """Every model that keeps history, in app order."""
    found = []
    for model in apps.get_models():
        history = getattr(model, "_meta", None) and getattr(
            model._meta, "simple_history_manager_attribute", None
        )
        if history:
            found.append(model)
    return sorted(found, key=lambda m: (m._meta.app_label, m._meta.model_name))


def audited_model(label: str) -> type[Model] | None:
    """The audited model for ``app_label.model_name``, or None."""
    for model in audited_models():
        if model._meta.label_lower == label:
            return model
    return None


def changes(record) -> list[Change]:
    """What one historical record changed compared with the one before it."""
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [Change(c.field, c.old, c.new) for c in delta.changes]
