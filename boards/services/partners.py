"""Writes for partners (the NHS bodies, councils and providers of a partnership)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import (
    Partner,
    PartnerKind,
)

# --- partners and people -------------------------------------------------------


@transaction.atomic
def partner_create(*, name: str, kind: str, short_name: str = "") -> Partner:
    name = name.strip()
    if kind not in PartnerKind.values:
        raise ValidationError({"kind": [f'"{kind}" is not a kind of partner.']})
    if Partner.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": ["A partner with this name already exists."]})
    return Partner.objects.create(name=name, kind=kind, short_name=short_name.strip())


@transaction.atomic
def partner_update(*, partner: Partner, **fields) -> Partner:
    if "name" in fields and (
        Partner.objects.filter(name__iexact=fields["name"].strip())
        .exclude(pk=partner.pk)
        .exists()
    ):
        raise ValidationError({"name": ["A partner with this name already exists."]})
    for key in ("name", "short_name", "kind", "active"):
        if key in fields:
            setattr(partner, key, fields[key])
    partner.full_clean()
    partner.save()
    return partner


# --- agreements ----------------------------------------------------------------
