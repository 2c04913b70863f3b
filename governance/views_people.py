"""The people pages: find, invite, give and take roles, deactivate, merge (issue 15).
Thin: every write is a service, and who may give what is the grant table
(``governance.grants``), the same for these pages and the API."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import forms
from .exceptions import RuleViolation, refusal_messages, refusal_text
from .grants import GRANT_RULES, may_grant
from .models import Invitation, User
from .permissions import standing_for
from .person_page import sections_for
from .roles import roles_held
from .selectors import SignIn, people_search, sign_in_state
from .services import invitations, people, roles


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied("You may not do this.")


@require_GET
def people_list(request):
    _require(request, "governance.view_people")
    q = request.GET.get("q", "").strip()[:100]
    sign_in = request.GET.get("sign_in", "")
    if sign_in not in dict(SignIn.CHOICES):
        sign_in = ""
    duplicates = request.GET.get("duplicates") == "1"
    page = Paginator(
        people_search(q=q, sign_in=sign_in, duplicates=duplicates), 50
    ).get_page(request.GET.get("page"))
    for person in page:
        person.sign_in = sign_in_state(person)
    return render(
        request,
        "governance/people_list.html",
        {
            "page": page,
            "q": q,
            "sign_in": sign_in,
            "sign_in_choices": SignIn.CHOICES,
            "duplicates": duplicates,
            "can_invite": request.user.has_perm("governance.invite_people"),
            "can_add": request.user.has_perm("boards.add_person"),
        },
    )


def _person(request, pk) -> User:
    _require(request, "governance.view_people")
    return get_object_or_404(User.objects.select_related("merged_into"), pk=pk)


@require_GET
def person_detail(request, pk):
    person = _person(request, pk)
    standing = standing_for(request.user)
    held = [
        (
            h,
            GRANT_RULES[h.role].label,
            bool(may_grant(standing, h.role, h.target.scope_id)),
        )
        for h in roles_held(person)
    ]
    give_form = forms.GiveRoleForm(standing=standing) if person.is_active else None
    invitation_rows = [
        (i, invitations.may_manage_invitation(request.user, i))
        for i in person.invitations.select_related("invited_by", "revoked_by")
    ]
    person.pending_invitation = invitations.pending_invitation(person) is not None
    person.sign_in = sign_in_state(person)
    administrator = request.user.is_administrator
    return render(
        request,
        "governance/person_detail.html",
        {
            "person": person,
            "held": held,
            "give_form": give_form
            if give_form and give_form.fields["role"].choices
            else None,
            "invitations": invitation_rows,
            "sections": sections_for(person, request.user),
            "administrator": administrator,
            "role_form": forms.GlobalRoleForm(initial={"role": person.role})
            if administrator
            else None,
            "duplicates": User.objects.filter(merged_into=person),
        },
    )


@require_http_methods(["GET", "POST"])
def invite(request):
    _require(request, "governance.invite_people")
    standing = standing_for(request.user)
    form = forms.InvitationForm(
        request.POST or None,
        standing=standing,
        initial={k: request.GET.get(k, "")[:200] for k in ("name", "email")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role, target_id = data["role"] or (None, None)
        try:
            invitation = invitations.invitation_create(
                by=request.user,
                name=data["name"],
                email=data["email"],
                job_title=data["job_title"],
                global_role=form.requested_global_role(),
                role=role,
                target_id=target_id,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.person.email}. The link works once, "
                f"for {settings.INVITATION_VALID_DAYS} days.",
            )
            return redirect("people:detail", invitation.person.pk)
    return render(
        request,
        "governance/invite.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _apply(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _back(person) -> str:
    return reverse("people:detail", args=[person.pk])


def _change_role(request, pk, change, done) -> HttpResponseRedirect:
    """Give or take a board role: parse the posted choice, ask the service (which
    refuses by the grant table, 403, what this viewer may not change), say what
    happened, back to the person."""
    person = _person(request, pk)
    parsed = forms.parse_role(request.POST.get("role", ""))
    if parsed is None:
        messages.error(request, "Choose a role from the list.")
        return redirect(_back(person))
    role, target_id = parsed
    try:
        target = change(by=request.user, person=person, role=role, target_id=target_id)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, done(person, GRANT_RULES[role].label, target.label))
    return redirect(_back(person))


@require_POST
def role_give(request, pk):
    """The choice list offers what the grant table lets this viewer give; anything
    else posted reaches the service, which refuses it (403) by the same table."""
    return _change_role(
        request,
        pk,
        roles.role_give,
        lambda person, role, target: f"{person.name}: {role}, {target}.",
    )


@require_POST
def role_take(request, pk):
    return _change_role(
        request,
        pk,
        roles.role_take,
        lambda person, role, target: (
            f"{person.name} is no longer {role.lower()}, {target}; "
            "their sessions and API tokens have ended."
        ),
    )


@require_POST
def global_role(request, pk):
    _require(request, "governance.manage_people")
    person = _person(request, pk)
    form = forms.GlobalRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role from the list.")
        return redirect(_back(person))
    try:
        roles.person_set_role(
            by=request.user, person=person, role=form.cleaned_data["role"]
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            f"{person.name}'s usual role is now {person.get_role_display().lower()}; "
            "their sessions and API tokens have ended.",
        )
    return redirect(_back(person))


@require_POST
def deactivate(request, pk):
    _require(request, "governance.manage_people")
    person = _person(request, pk)
    try:
        people.person_deactivate(by=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            f"{person.name} is deactivated: their sessions and API tokens have ended.",
        )
    return redirect(_back(person))


@require_POST
def reactivate(request, pk):
    _require(request, "governance.manage_people")
    person = _person(request, pk)
    try:
        people.person_reactivate(by=request.user, person=person)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{person.name} is active again.")
    return redirect(_back(person))


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    _require(request, "governance.manage_people")
    person = _person(request, pk)
    form = forms.PersonEditForm(
        request.POST or None,
        initial={
            "name": person.name,
            "email": person.email,
            "job_title": person.job_title,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.person_update(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(_back(person))
    return render(
        request,
        "governance/person_form.html",
        {"form": form, "person": person, "title": f"Edit {person.name}"},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def merge(request, pk):
    _require(request, "governance.manage_people")
    keep = _person(request, pk)
    form = forms.MergeForm(request.POST or None, keep=keep)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        try:
            people.people_merge(by=request.user, keep=keep, duplicate=duplicate)
        except (ValidationError, RuleViolation) as exc:
            form.add_error("duplicate", refusal_messages(exc))
        else:
            messages.success(
                request,
                f"{duplicate.name} <{duplicate.email}> is merged into {keep.name}.",
            )
            return redirect(_back(keep))
    return render(
        request,
        "governance/person_form.html",
        {
            "form": form,
            "person": keep,
            "title": f"Merge a duplicate into {keep.name} <{keep.email}>",
            "submit": "Merge",
        },
        status=400 if request.method == "POST" else 200,
    )


def _invitation(request, pk) -> Invitation:
    _require(request, "governance.view_people")
    return get_object_or_404(Invitation.objects.select_related("person"), pk=pk)


@require_POST
def invitation_resend(request, pk):
    invitation = _invitation(request, pk)
    try:
        invitations.invitation_resend(by=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            f"A new link went to {invitation.person.email}; the old one no longer works.",
        )
    return redirect(_back(invitation.person))


@require_POST
def invitation_revoke(request, pk):
    invitation = _invitation(request, pk)
    try:
        invitations.invitation_revoke(by=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "Invitation revoked: its link no longer works.")
    return redirect(_back(invitation.person))
