"""The constitution pages: thin views over the same permission helpers and services
as the API. Secretaries and administrators work here, never in Django admin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.grants import RoleName
from governance.services import people
from governance.services.roles import require_grant

from . import citations, forms, selectors
from .models import (
    AuthorisedOfficer,
    BusinessType,
    Partner,
    QuorumRule,
    RuleSource,
    Seat,
)
from .permissions import (
    agreements_for_user,
    boards_for_user,
    get_agreement_for_user,
    get_board_for_user,
    require,
    require_board_links,
    require_seat_people,
    require_secretaries_change,
)
from .sections import sections_for
from .services import (
    agreements,
    chairs,
    partners,
    quorum_rules,
    seats,
    sources,
    terms_of_reference,
)
from .services import boards as board_services

FORM_TEMPLATE = "boards/form.html"


def _form_page(request, form, *, title, save, back, intro="", success=""):
    """Show ``form``; on a valid POST call ``save(cleaned_data)``. A service's
    ValidationError lands on the form's fields and the page is shown again with
    everything typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            if success:
                messages.success(request, success)
            return redirect(target)
    return render(
        request,
        FORM_TEMPLATE,
        {"form": form, "title": title, "back": resolve_url(back), "intro": intro},
        status=400 if request.method == "POST" else 200,
    )


# --- boards --------------------------------------------------------------------------


# Boards a page of the list (a national administrator or auditor reads hundreds).
BOARDS_PAGE = 50


@require_GET
def board_list(request):
    boards = boards_for_user(request.user).order_by("name", "pk")
    page = Paginator(boards, BOARDS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "boards/board_list.html",
        {
            "rows": selectors.board_list_rows(page.object_list),
            "page": page,
            "can_add": request.user.has_perm("boards.add_board"),
            "can_add_partner": request.user.has_perm("boards.add_partner"),
        },
    )


@require_GET
def board_detail(request, pk):
    board = get_board_for_user(request.user, pk)
    constitution = selectors.board_constitution(board.pk)
    # The secretaries are loaded already: the manage check needs no query of its own.
    constitution.board._secretary_ids = {u.pk for u in constitution.secretaries}
    return render(
        request,
        "boards/board_detail.html",
        {
            "c": constitution,
            "board": constitution.board,
            "can_manage": request.user.has_perm(
                "boards.manage_board", constitution.board
            ),
            "sections": sections_for(constitution.board),
        },
    )


def _board_fields(data: dict) -> dict:
    data = dict(data)
    return {
        "partners": data.pop("partners"),
        "secretaries": data.pop("secretaries"),
        **data,
    }


@require_http_methods(["GET", "POST"])
def board_create(request):
    require(request.user, "boards.add_board")
    administrator = request.user.is_administrator
    form = forms.BoardForm(
        request.POST or None,
        initial={"secretaries": [] if administrator else [request.user]},
        may_name_secretaries=administrator,
    )

    def save(data):
        fields = _board_fields(data)
        require_board_links(request.user, fields)
        if not fields["secretaries"] and not administrator:
            fields["secretaries"] = [request.user]
        require_secretaries_change(request.user, fields["secretaries"])
        board = board_services.board_create(**fields)
        return board.get_absolute_url()

    return _form_page(
        request,
        form,
        title="New board",
        save=save,
        back="boards:list",
        success="Board created. Add its seats, quorum rules and terms of reference.",
        intro="Set how the board decides; add seats and quorum rules on its page next.",
    )


@require_http_methods(["GET", "POST"])
def board_edit(request, pk):
    board = get_board_for_user(request.user, pk, manage=True)
    initial = {name: getattr(board, name) for name in board_services.BOARD_FIELDS}
    initial["partners"] = list(board.partners.all())
    initial["secretaries"] = list(board.secretaries.all())
    form = forms.BoardForm(
        request.POST or None,
        initial=initial,
        board=board,
        may_name_secretaries=request.user.is_administrator,
    )

    def save(data):
        fields = _board_fields(data)
        require_board_links(request.user, fields, board=board)
        require_secretaries_change(request.user, fields["secretaries"], board=board)
        board_services.board_update(board=board, **fields)
        return board.get_absolute_url()

    return _form_page(
        request,
        form,
        title=f"Settings of {board.name}",
        save=save,
        back=board.get_absolute_url(),
        success="Board settings saved.",
    )


# --- seats ----------------------------------------------------------------------------


def _seat_for_user(user, pk) -> Seat:
    seat = get_object_or_404(Seat.objects.select_related("board"), pk=pk)
    get_board_for_user(user, seat.board_id, manage=True)
    return seat


@require_http_methods(["GET", "POST"])
def seat_add(request, pk):
    board = get_board_for_user(request.user, pk, manage=True)
    form = forms.SeatForm(request.POST or None, board=board)

    def save(data):
        require_seat_people(request.user, board, data)
        seats.seat_create(board=board, **data)
        return board.get_absolute_url()

    return _form_page(
        request,
        form,
        title=f"New seat on {board.name}",
        save=save,
        back=board.get_absolute_url(),
        success="Seat added.",
    )


@require_http_methods(["GET", "POST"])
def seat_edit(request, pk):
    seat = _seat_for_user(request.user, pk)
    initial = {name: getattr(seat, name) for name in seats.SEAT_FIELDS}
    form = forms.SeatForm(request.POST or None, initial=initial, board=seat.board)

    def save(data):
        require_seat_people(request.user, seat.board, data, seat=seat)
        seats.seat_update(seat=seat, **data)
        return seat.board.get_absolute_url()

    return _form_page(
        request,
        form,
        title=f"{seat.title}: {seat.board.name}",
        save=save,
        back=seat.board.get_absolute_url(),
        success="Seat saved.",
        intro="Naming a different deputy clears the notice date until it is recorded.",
    )


@require_POST
def seat_notify_deputy(request, pk):
    seat = _seat_for_user(request.user, pk)
    try:
        seats.seat_deputy_notify(seat=seat)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Deputy for {seat.title} recorded as notified today."
        )
    return redirect(seat.board.get_absolute_url())


@require_POST
def seat_deactivate(request, pk):
    seat = _seat_for_user(request.user, pk)
    seats.seat_deactivate(seat=seat)
    messages.success(request, f"{seat.title} is no longer a seat on the board.")
    return redirect(seat.board.get_absolute_url())


# --- quorum rules, terms, chairs ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def quorum_rule_add(request, pk):
    board = get_board_for_user(request.user, pk, manage=True)
    form = forms.QuorumRuleForm(request.POST or None)

    def save(data):
        quorum_rules.quorum_rule_create(
            board=board, business_type=data["business_type"], **form.service_fields()
        )
        return board.get_absolute_url()

    return _form_page(
        request,
        form,
        title=f"New quorum rule for {board.name}",
        save=save,
        back=board.get_absolute_url(),
        success="Quorum rule added.",
        intro="Leave a number blank or 0 where the terms set no minimum.",
    )


@require_http_methods(["GET", "POST"])
def quorum_rule_edit(request, pk):
    rule = get_object_or_404(QuorumRule.objects.select_related("board"), pk=pk)
    board = get_board_for_user(request.user, rule.board_id, manage=True)
    initial = {
        name: getattr(rule, name)
        for name in (
            "business_type",
            "min_present",
            "min_voting_per_partner",
            "min_any_per_partner",
            "chair_required",
        )
    }
    form = forms.QuorumRuleForm(request.POST or None, initial=initial, rule=rule)

    def save(data):
        quorum_rules.quorum_rule_update(rule=rule, **form.service_fields())
        return board.get_absolute_url()

    return _form_page(
        request,
        form,
        title=f"{rule}",
        save=save,
        back=board.get_absolute_url(),
        success="Quorum rule saved.",
    )


@require_http_methods(["GET", "POST"])
def rule_source(request, pk, rule):
    """Record where one of the board's rules comes from (SPEC s.1)."""
    board = get_board_for_user(request.user, pk, manage=True)
    if rule not in sources.rule_keys():
        raise Http404("No such rule.")
    existing = board.sources.filter(rule=rule, seat=None).first()
    initial = {"kind": RuleSource.Kind.TERMS}
    if existing is not None:
        initial = {
            name: getattr(existing, name)
            for name in (
                "kind",
                "document",
                "paragraph",
                "quote",
                "decided_by",
                "decided_on",
            )
        }
    form = forms.RuleSourceForm(request.POST or None, initial=initial)
    label = citations.LABELS.get(rule) or (
        "Quorum: " + BusinessType(rule.split(".", 1)[1]).label
        if rule.startswith("quorum.")
        else rule
    )

    def save(data):
        sources.rule_source_set(board=board, rule=rule, **data)
        return board.get_absolute_url() + f"#rule-{rule}"

    return _form_page(
        request,
        form,
        title=f"{board.label}: where “{label}” comes from",
        save=save,
        back=board.get_absolute_url(),
        success="Source recorded.",
    )


@require_http_methods(["GET", "POST"])
def terms_add(request, pk):
    board = get_board_for_user(request.user, pk, manage=True)
    form = forms.TermsForm(request.POST or None)

    def save(data):
        terms_of_reference.terms_add(board=board, **data)
        return board.get_absolute_url()

    return _form_page(
        request,
        form,
        title=f"Terms of reference of {board.name}",
        save=save,
        back=board.get_absolute_url(),
        success="Terms of reference version recorded.",
    )


@require_http_methods(["GET", "POST"])
def chair_term_add(request, pk):
    board = get_board_for_user(request.user, pk, manage=True)
    form = forms.ChairTermForm(request.POST or None, board=board)

    def save(data):
        seat = data["seat"]
        require_grant(request.user, RoleName.CHAIR, board.pk)
        chairs.chair_term_start(
            board=board,
            person=data["person"] or seat.holder,
            seat=seat,
            partner=data["partner"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        return board.get_absolute_url()

    return _form_page(
        request,
        form,
        title=f"New chair of {board.name}",
        save=save,
        back=board.get_absolute_url(),
        success="Chair's term recorded.",
        intro="The term in force ends the day before the new one starts.",
    )


# --- partners, people, agreements ------------------------------------------------------------


@require_GET
def partner_list(request):
    require(request.user, "boards.view_people")
    return render(
        request,
        "boards/partner_list.html",
        {
            "partners": selectors.partner_list(),
            "can_add": request.user.has_perm("boards.add_partner"),
        },
    )


@require_http_methods(["GET", "POST"])
def partner_add(request):
    require(request.user, "boards.add_partner")
    form = forms.PartnerForm(request.POST or None)

    def save(data):
        data = dict(data)
        data.pop("active")
        partners.partner_create(**data)
        return "boards:partners"

    return _form_page(
        request,
        form,
        title="New partner",
        save=save,
        back="boards:partners",
        success="Partner added.",
    )


@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    require(request.user, "boards.change_partner")
    partner = get_object_or_404(Partner, pk=pk)
    initial = {k: getattr(partner, k) for k in ("name", "short_name", "kind", "active")}
    form = forms.PartnerForm(request.POST or None, initial=initial)

    def save(data):
        partners.partner_update(partner=partner, **data)
        return "boards:partners"

    return _form_page(
        request,
        form,
        title=partner.name,
        save=save,
        back="boards:partners",
        success="Partner saved.",
        intro="Partners are never deleted: untick Active instead.",
    )


@require_http_methods(["GET", "POST"])
def person_add(request):
    require(request.user, "boards.add_person")
    form = forms.PersonForm(request.POST or None)
    if not request.user.is_administrator:
        form.fields["role"].choices = [("member", "Member")]

    def save(data):
        people.person_create(by=request.user, **data)
        return request.GET.get("next") if _safe_next(request) else "boards:list"

    return _form_page(
        request,
        form,
        title="New person",
        save=save,
        back="boards:list",
        success="Person added, without a login: invite them from the People page "
        "when they should sign in.",
    )


def _safe_next(request) -> bool:
    target = request.GET.get("next")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    )


@require_GET
def agreement_list(request):
    return render(
        request,
        "boards/agreement_list.html",
        {
            "agreements": selectors.agreement_list(agreements_for_user(request.user)),
            "can_add": request.user.has_perm("boards.add_agreement"),
        },
    )


@require_GET
def agreement_detail(request, pk):
    agreement = get_agreement_for_user(request.user, pk)
    return render(
        request,
        "boards/agreement_detail.html",
        {
            "agreement": selectors.agreement_detail(agreement.pk),
            "can_manage": request.user.has_perm("boards.manage_agreement", agreement),
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_add(request):
    require(request.user, "boards.add_agreement")
    form = forms.AgreementForm(request.POST or None)

    def save(data):
        agreement = agreements.agreement_create(**data)
        return reverse("boards:agreement", args=[agreement.pk])

    return _form_page(
        request,
        form,
        title="New agreement",
        save=save,
        back="boards:agreements",
        success="Agreement recorded.",
    )


@require_http_methods(["GET", "POST"])
def schedule_add(request, pk):
    agreement = get_agreement_for_user(request.user, pk, manage=True)
    form = forms.ScheduleForm(request.POST or None)

    def save(data):
        agreements.schedule_add(agreement=agreement, **data)
        return reverse("boards:agreement", args=[agreement.pk])

    return _form_page(
        request,
        form,
        title=f"New schedule of {agreement}",
        save=save,
        back="boards:agreements",
        success="Schedule added.",
    )


@require_http_methods(["GET", "POST"])
def officer_add(request, pk):
    agreement = get_agreement_for_user(request.user, pk, manage=True)
    form = forms.AuthorisedOfficerForm(request.POST or None, agreement=agreement)

    def save(data):
        agreements.authorised_officer_add(agreement=agreement, **data)
        return reverse("boards:agreement", args=[agreement.pk])

    return _form_page(
        request,
        form,
        title=f"New authorised officer for {agreement}",
        save=save,
        back="boards:agreements",
        success="Authorised officer added.",
        intro="Authorised officers receive minutes and escalations by e-mail; "
        "they need no login.",
    )


@require_POST
def officer_deactivate(request, pk):
    officer = get_object_or_404(AuthorisedOfficer, pk=pk)
    get_agreement_for_user(request.user, officer.agreement_id, manage=True)
    agreements.authorised_officer_deactivate(officer=officer)
    messages.success(request, f"{officer.name} no longer receives minutes.")
    return redirect("boards:agreement", officer.agreement_id)
