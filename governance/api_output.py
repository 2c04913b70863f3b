"""API output read directly, with DRF's own answer (issue 17: lists at scale).

A page of 100 rows through DRF's ``Serializer.to_representation`` spends most of
its time in the field machinery: every field of every row walks its ``source``
generically, checks for callables, looks the time zone up, and so on. The lists
that grow at scale (meetings, a board's decisions, boards, funds) use
``DirectOutput``: once per serializer, each field gets a reader and a converter
that do for plain values exactly what DRF does (an attribute or a dotted path, a
foreign key's id, ``int``/``str``/``bool``, a choice, an ISO 8601 time in the
current time zone, JSON as it is); anything else (a method field, a custom
``get_attribute``, a missing attribute, a value that is callable) goes through
DRF's own code for that field. ``tests/governance/test_api_output.py`` compares
both on every serializer that uses it.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable
from typing import Any

from rest_framework import fields as drf_fields
from rest_framework import relations
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

_DRF = object()  # a reader's answer: read this value DRF's way


def iso_datetime(value, zone) -> str:
    """DRF's ISO 8601 output of an aware time in ``zone`` (``Z`` for UTC)."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _reader(field) -> Callable[[Any], Any] | None:
    """How to read the field's value off an instance plainly, or None when only
    DRF's ``get_attribute`` may (a method field, a whole-object source...)."""
    attrs = field.source_attrs
    if not attrs or field.source == "*":
        return None
    if isinstance(field, relations.PrimaryKeyRelatedField):
        if type(field) is not relations.PrimaryKeyRelatedField:
            return None
        parent = operator.attrgetter(".".join(attrs[:-1])) if attrs[:-1] else None
        name = attrs[-1]

        def read_pk(instance):
            owner = parent(instance) if parent else instance
            value = owner.serializable_value(name)
            return _DRF if callable(value) or hasattr(value, "pk") else value

        return read_pk
    if isinstance(field, relations.ManyRelatedField):
        return _many_pks_reader(field)
    if type(field).get_attribute is not drf_fields.Field.get_attribute:
        return None
    get = operator.attrgetter(".".join(attrs))

    def read(instance):
        value = get(instance)
        return _DRF if callable(value) else value

    return read


def _many_pks_reader(field) -> Callable[[Any], Any] | None:
    """The ids of a prefetched many-to-many, in the prefetch's order (what DRF
    reads through ``.all()`` on it); DRF's way when it was not prefetched."""
    child = field.child_relation
    if (
        len(field.source_attrs) != 1
        or type(field) is not relations.ManyRelatedField
        or type(child) is not relations.PrimaryKeyRelatedField
        or child.pk_field is not None
    ):
        return None
    name = field.source_attrs[0]

    def read_pks(instance):
        cache = getattr(instance, "_prefetched_objects_cache", None)
        if not cache or name not in cache or instance.pk is None:
            return _DRF
        return [related.pk for related in cache[name]]

    return read_pks


def _converter(field) -> Callable[[Any], Any]:
    """The field's ``to_representation`` for a value that is not None: DRF's own,
    or a shorter path to the same answer for the plain field classes."""
    kind = type(field)
    if kind is drf_fields.IntegerField:
        return int
    if kind is drf_fields.CharField:
        return str
    if kind is drf_fields.JSONField and not field.binary:
        return lambda value: value
    if kind is relations.ManyRelatedField:
        return lambda value: value  # the ids, read by _many_pks_reader
    if kind is relations.PrimaryKeyRelatedField:
        if field.pk_field is not None:
            return field.pk_field.to_representation
        return lambda value: value
    if (
        kind is drf_fields.DateTimeField
        and getattr(field, "format", api_settings.DATETIME_FORMAT)
        == drf_fields.ISO_8601
        and not hasattr(field, "timezone")
    ):
        zone = field.default_timezone()
        if zone is not None:

            def aware_to_iso(value):
                if (
                    isinstance(value, datetime.datetime)
                    and value.utcoffset() is not None
                ):
                    return iso_datetime(value, zone)
                return field.to_representation(value)  # naive, a string...

            return aware_to_iso
    return field.to_representation


class DirectOutput:
    """A serializer mixin: ``to_representation`` without DRF's per-field
    machinery for plain fields (module docstring); same keys, same values."""

    def _direct_plan(self):
        plan = [
            (field.field_name, field, _reader(field), _converter(field))
            for field in self._readable_fields
        ]
        self.__dict__["_direct"] = plan
        return plan

    def to_representation(self, instance):
        plan = self.__dict__.get("_direct") or self._direct_plan()
        out = {}
        for name, field, read, convert in plan:
            value = _DRF
            if read is not None:
                try:
                    value = read(instance)
                except Exception:  # DRF's own way, below, says what failed
                    value = _DRF
            if value is _DRF:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                is_none = (
                    attribute.pk is None
                    if isinstance(attribute, PKOnlyObject)
                    else attribute is None
                )
                out[name] = None if is_none else field.to_representation(attribute)
            else:
                out[name] = None if value is None else convert(value)
        return out
