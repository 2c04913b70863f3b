"""Writes for people: creating one (no login until invited), deactivating and
reactivating, and merging a duplicate into the person it duplicates."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ..exceptions import RuleViolation
from ..models import Invitation, Role, User
from .roles import require_global_role
from .sessions import sign_out_everywhere


@transaction.atomic
def person_create(
    *,
    by: User | None,
    name: str,
    email: str,
    role: str = Role.MEMBER,
    job_title: str = "",
) -> User:
    """A person without a login (an unusable password) until invited; e-mail
    addresses are unique, compared without case. Any role but member is an
    administrator's to give (the grant table), on the page and the API alike.
    ``by`` None is the system itself (the demo loader); every page and API call
    passes the person acting."""
    if by is not None:
        require_global_role(by, Role.MEMBER, role)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["A person with this e-mail already exists."]})
    return User.objects.create_user(
        email=email, name=name.strip(), role=role, job_title=job_title
    )


@transaction.atomic
def person_update(
    *, by: User, person: User, name: str, email: str, job_title: str
) -> User:
    """A person's name, e-mail (unique, without case) and job title: an
    administrator's act, on the page and the API alike."""
    if not by.is_administrator:
        raise PermissionDenied("Only administrators change a person's details.")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        raise ValidationError({"email": ["A person with this e-mail already exists."]})
    person.name, person.email, person.job_title = name.strip(), email, job_title
    person.save(update_fields=["name", "email", "job_title"])
    return person


@transaction.atomic
def person_deactivate(*, by: User, person: User) -> User:
    """Nobody is deleted: a person who leaves is deactivated. Their sessions and API
    tokens end at once and a pending invitation stops working."""
    if person.pk == by.pk:
        raise ValidationError({"person": ["You cannot deactivate yourself."]})
    person.is_active = False
    person.save(update_fields=["is_active"])
    sign_out_everywhere(person)
    _revoke_pending(person, by=by)
    return person


@transaction.atomic
def person_reactivate(*, by: User, person: User) -> User:
    if person.merged_into_id:
        raise RuleViolation(
            "A merged duplicate stays inactive: use the person it was merged into.",
            rule="merged",
        )
    person.is_active = True
    person.save(update_fields=["is_active"])
    return person


def _revoke_pending(person: User, *, by: User) -> None:
    now = timezone.now()
    for invitation in Invitation.objects.filter(
        person=person, accepted_at__isnull=True, revoked_at__isnull=True
    ):
        invitation.revoked_at, invitation.revoked_by = now, by
        invitation.token_hash = ""
        invitation.save(update_fields=["revoked_at", "revoked_by", "token_hash"])


CREDENTIAL_APPS = ("authtoken", "otp_totp", "otp_static")

# Checks the apps above register (``AppConfig.ready()``): each returns the reasons a
# merge would break one of their rules (the same person holding and deputising one
# seat, say).
_merge_checks: list = []


def register_merge_check(check) -> None:
    if check not in _merge_checks:
        _merge_checks.append(check)


def _links_to_people() -> list[tuple[type[models.Model], models.Field]]:
    """Every foreign key and many-to-many field of the record that points at a person,
    history tables excepted (the history is kept as it was)."""
    found = []
    for relation in User._meta.get_fields(include_hidden=True):
        if not relation.is_relation or not relation.auto_created or relation.concrete:
            continue
        model, field = relation.related_model, relation.field
        if getattr(model, "_meta", None) is None:
            continue
        if model.__name__.startswith("Historical") or model._meta.auto_created:
            continue
        if model is Invitation or (model is User and field.name == "merged_into"):
            continue
        found.append((model, field))
    return found


@transaction.atomic
def people_merge(*, by: User, keep: User, duplicate: User) -> User:
    """Merge ``duplicate`` into ``keep``: every seat, deputyship, chair term,
    secretaryship, fund role and recorded act of the duplicate moves to ``keep``, row
    by row so each change has its own history entry; the duplicate is deactivated and
    marked as merged, never deleted, so its history stays readable. A global role is
    not carried over (that is an administrator's separate decision).

    Refused (409) when both records hold the same row of a kind that allows one per
    person (two votes on one seat, say): nothing is changed then."""
    if not by.is_administrator:
        raise PermissionDenied("Only administrators merge people.")
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": ["Choose a different person."]})
    if duplicate.merged_into_id:
        raise ValidationError({"duplicate": ["This person was merged already."]})
    if duplicate.pk == by.pk:
        raise ValidationError({"duplicate": ["You cannot merge yourself away."]})
    problems = [reason for check in _merge_checks for reason in check(keep, duplicate)]
    if problems:
        raise RuleViolation(" ".join(problems), rule="merge_conflict")
    for model, field in _links_to_people():
        try:
            with transaction.atomic():
                _move(model, field, duplicate, keep)
        except IntegrityError as exc:
            raise RuleViolation(
                f"Both records have the same {model._meta.verbose_name} "
                f"({field.verbose_name}); settle that first.",
                rule="merge_conflict",
            ) from exc
    duplicate.merged_into = keep
    duplicate.is_active = False
    duplicate.save(update_fields=["merged_into", "is_active"])
    _revoke_pending(duplicate, by=by)
    sign_out_everywhere(duplicate)
    sign_out_everywhere(keep)
    return keep


def _move(model, field, duplicate: User, keep: User) -> None:
    if field.many_to_many:
        for obj in model._default_manager.filter(**{field.name: duplicate}):
            manager = getattr(obj, field.name)
            manager.add(keep)
            manager.remove(duplicate)
        return
    if field.one_to_one or model._meta.app_label in CREDENTIAL_APPS:
        # Credentials are the duplicate's own (its API token, an authenticator):
        # they are dropped, never handed to the person kept.
        model._default_manager.filter(**{field.name: duplicate}).delete()
        return
    for obj in model._default_manager.filter(**{field.name: duplicate}):
        setattr(obj, field.name, keep)
        obj.save(update_fields=[field.name])
