"""Writes for agreements between partners, their schedules and each partner's
authorised officers (who receive minutes and escalations, SPEC s.1)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import (
    Agreement,
    AuthorisedOfficer,
    Partner,
    Schedule,
)


@transaction.atomic
def agreement_create(
    *,
    name: str,
    partners: Iterable[Partner],
    host_partner: Partner,
    starts_on: date,
    kind: str = Agreement.Kind.S75,
    ends_on: date | None = None,
    status: str = Agreement.Status.ACTIVE,
    dispute_resolution: str = "",
) -> Agreement:
    """The host partner is one of the partners (West Kent: KCC hosts the pool)."""
    partners = list(partners)
    errors = {}
    if host_partner not in partners:
        errors["host_partner"] = ["The host partner must be one of the partners."]
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = ["An agreement cannot end before it starts."]
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.create(
        name=name,
        kind=kind,
        host_partner=host_partner,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        dispute_resolution=dispute_resolution,
    )
    agreement.partners.set(partners)
    return agreement


@transaction.atomic
def schedule_add(
    *, agreement: Agreement, name: str, number: str = "", description: str = ""
) -> Schedule:
    return Schedule.objects.create(
        agreement=agreement, number=number, name=name, description=description
    )


@transaction.atomic
def authorised_officer_add(
    *, agreement: Agreement, partner: Partner, name: str, email: str
) -> AuthorisedOfficer:
    """Each partner names authorised officers for an agreement (SPEC s.1); they
    receive minutes and escalations and may have no login."""
    email = email.strip().lower()
    if not agreement.partners.filter(pk=partner.pk).exists():
        raise ValidationError(
            {"partner": ["This partner is not party to the agreement."]}
        )
    existing = AuthorisedOfficer.objects.filter(
        agreement=agreement, partner=partner, email=email
    ).first()
    if existing and existing.active:
        raise ValidationError(
            {"email": ["This officer is already named for the partner."]}
        )
    if existing:
        existing.name, existing.active = name, True
        existing.save()
        return existing
    return AuthorisedOfficer.objects.create(
        agreement=agreement, partner=partner, name=name, email=email
    )


@transaction.atomic
def authorised_officer_deactivate(*, officer: AuthorisedOfficer) -> AuthorisedOfficer:
    officer.active = False
    officer.save(update_fields=["active"])
    return officer
