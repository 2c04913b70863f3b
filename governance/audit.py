"""The audit history: every change to the record, who made it, when, before and
after (django-simple-history). Auditors read it; nothing edits it."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, OuterRef, Subquery, prefetch_related_objects


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


def history_of(model: type[Model]):
    """``model``'s history, newest first, each record annotated with the id of the
    record before it (same object, earlier): ``page_changes`` reads them all in one
    query instead of one ``prev_record`` query a row."""
    history = model.history.model
    earlier = (
        history.objects.filter(
            **{model._meta.pk.attname: OuterRef(model._meta.pk.attname)},
            history_date__lt=OuterRef("history_date"),
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        model.history.select_related("history_user")
        .annotate(prev_history_id=Subquery(earlier))
        .order_by("-history_date", "-history_id")
    )


def page_changes(records, model: type[Model]) -> None:
    """For one page of ``history_of(model)``: set ``record.changes`` (against the
    record before it, many-to-many fields included) and ``record.shown`` (the
    object as it was, its foreign keys loaded one query per key, not one per row).
    A constant number of queries, whatever the number of rows."""
    records = list(records)
    history = model.history.model
    previous = history.objects.in_bulk(
        [r.prev_history_id for r in records if r.prev_history_id]
    )
    m2m = _m2m_rows(history, model, [*records, *previous.values()])
    for record in records:
        before = previous.get(record.prev_history_id)
        record.changes = []
        if before is not None:
            delta = record.diff_against(
                before, excluded_fields=[*m2m, *NOT_AUDITED & _history_fields(model)]
            )
            record.changes = [Change(c.field, c.old, c.new) for c in delta.changes]
            for field, rows in m2m.items():
                old, new = rows.get(before.pk, []), rows.get(record.pk, [])
                if old != new:
                    record.changes.append(Change(field, old, new))
        record.shown = record.instance
    keys = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one and f.name in _history_fields(model)
    ]
    if keys:
        prefetch_related_objects([r.shown for r in records], *keys)


# Bookkeeping that is not the record: the page cache's version of a meeting or a
# board (meetings/versions.py), bumped by UPDATE, so a historical row keeps
# whatever the saved instance held.
NOT_AUDITED = frozenset({"cache_version"})


def _m2m_rows(history, model, records) -> dict[str, dict[int, list[dict]]]:
    """The many-to-many rows each historical record kept, per field, one query a
    field (as ``diff_against`` compares them: through fields, by the related id)."""
    from simple_history.utils import get_m2m_reverse_field_name

    found = {}
    ids = [r.pk for r in records]
    if not ids:
        return found
    for field in getattr(history, "_history_m2m_fields", []):
        through = getattr(records[0], field.name).model
        names = [
            f.name
            for f in through._meta.fields
            if f.editable and f.name not in ["id", "m2m_history_id", "history"]
        ]
        reverse = get_m2m_reverse_field_name(model._meta.get_field(field.name))
        rows: dict[int, list[dict]] = {}
        for row in (
            through.objects.filter(history_id__in=ids)
            .order_by(reverse)
            .values("history_id", *names)
        ):
            rows.setdefault(row.pop("history_id"), []).append(row)
        found[field.name] = rows
    return found


def _history_fields(model: type[Model]) -> set[str]:
    return {f.name for f in model.history.model._meta.fields}
