"""Thin API views for the constitution (SPEC s.8): parse, check permission, call a
service or selector, answer. Nothing is deleted: PATCH ``active: false`` instead."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from boards.services.agreements import (
    agreement_create,
    authorised_officer_add,
    schedule_add,
)
from boards.services.boards import board_create, board_update
from boards.services.partners import partner_create, partner_update
from boards.services.quorum_rules import quorum_rule_create, quorum_rule_update
from boards.services.seats import seat_create, seat_deactivate, seat_update
from boards.services.sources import rule_source_set
from governance.models import User
from governance.services.people import person_create, person_update

from .. import selectors
from ..models import AuthorisedOfficer, Partner, QuorumRule, RuleSource, Seat
from ..permissions import (
    agreements_for_user,
    boards_for_user,
    get_agreement_for_user,
    get_board_for_user,
    require,
    require_board_links,
    require_seat_people,
    require_secretaries_change,
)
from . import serializers as s


class SchemaSafe:
    """Answer an empty queryset while drf-spectacular inspects the view (no user,
    no URL arguments)."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.visible()


def _created(serializer_class, obj):
    return Response(serializer_class(obj).data, status=status.HTTP_201_CREATED)


def _parse(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- partners ----------------------------------------------------------------------


class PartnerList(generics.ListAPIView):
    serializer_class = s.PartnerOut
    queryset = Partner.objects.order_by("name")

    @extend_schema(request=s.PartnerIn, responses={201: s.PartnerOut})
    def post(self, request):
        require(request.user, "boards.add_partner")
        return _created(s.PartnerOut, partner_create(**_parse(s.PartnerIn, request)))


class PartnerDetail(generics.RetrieveAPIView):
    serializer_class = s.PartnerOut
    queryset = Partner.objects.all()

    @extend_schema(request=s.PartnerPatch, responses={200: s.PartnerOut})
    def patch(self, request, pk):
        require(request.user, "boards.change_partner")
        partner = get_object_or_404(Partner, pk=pk)
        data = _parse(s.PartnerPatch, request)
        return Response(s.PartnerOut(partner_update(partner=partner, **data)).data)


# --- people ------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(parameters=[s.SEARCH_PARAMETER]))
class PersonList(SchemaSafe, generics.ListAPIView):
    serializer_class = s.PersonOut

    def visible(self):
        require(self.request.user, "boards.view_people")
        return selectors.people_list(self.request.query_params.get("search", ""))

    @extend_schema(request=s.PersonIn, responses={201: s.PersonOut})
    def post(self, request):
        """Any role but member is given by administrators only (the grant table,
        ``governance.grants``): a board secretary asking for one gets 403."""
        require(request.user, "boards.add_person")
        data = _parse(s.PersonIn, request)
        return _created(s.PersonOut, person_create(by=request.user, **data))


class PersonDetail(SchemaSafe, generics.RetrieveAPIView):
    serializer_class = s.PersonOut

    def visible(self):
        require(self.request.user, "boards.view_people")
        return selectors.people_list()

    @extend_schema(request=s.PersonPatch, responses={200: s.PersonOut})
    def patch(self, request, pk):
        """Change a person's name, e-mail or job title (the fields sent):
        administrators only (403 for everyone else), 400 on bad input or an e-mail
        another person already has."""
        require(request.user, "governance.manage_people")
        person = get_object_or_404(User, pk=pk)
        data = _parse(s.PersonPatch, request)
        fields = {
            "name": person.name,
            "email": person.email,
            "job_title": person.job_title,
            **data,
        }
        person = person_update(by=request.user, person=person, **fields)
        person = selectors.people_list().filter(pk=pk).first() or person
        return Response(s.PersonOut(person).data)


# --- agreements and authorised officers -----------------------------------------------


class AgreementList(SchemaSafe, generics.ListAPIView):
    serializer_class = s.AgreementOut

    def visible(self):
        return selectors.agreement_list(agreements_for_user(self.request.user))

    @extend_schema(request=s.AgreementIn, responses={201: s.AgreementOut})
    def post(self, request):
        require(request.user, "boards.add_agreement")
        data = _parse(s.AgreementIn, request)
        schedules = data.pop("schedules", [])
        agreement = agreement_create(**data)
        for schedule in schedules:
            schedule_add(agreement=agreement, **schedule)
        return _created(s.AgreementOut, selectors.agreement_detail(agreement.pk))


class AgreementDetail(generics.GenericAPIView):
    serializer_class = s.AgreementOut

    def get(self, request, pk):
        get_agreement_for_user(request.user, pk)
        return Response(s.AgreementOut(selectors.agreement_detail(pk)).data)


class AuthorisedOfficerList(SchemaSafe, generics.ListAPIView):
    serializer_class = s.AuthorisedOfficerOut

    def visible(self):
        agreement = get_agreement_for_user(self.request.user, self.kwargs["pk"])
        return AuthorisedOfficer.objects.filter(agreement=agreement).select_related(
            "partner"
        )

    @extend_schema(
        request=s.AuthorisedOfficerIn, responses={201: s.AuthorisedOfficerOut}
    )
    def post(self, request, pk):
        agreement = get_agreement_for_user(request.user, pk, manage=True)
        officer = authorised_officer_add(
            agreement=agreement, **_parse(s.AuthorisedOfficerIn, request)
        )
        return _created(s.AuthorisedOfficerOut, officer)


# --- boards ---------------------------------------------------------------------------


class BoardList(SchemaSafe, generics.ListAPIView):
    serializer_class = s.BoardOut

    def visible(self):
        return boards_for_user(self.request.user).prefetch_related(
            "partners", "secretaries"
        )

    @extend_schema(request=s.BoardIn, responses={201: s.BoardOut})
    def post(self, request):
        require(request.user, "boards.add_board")
        data = _parse(s.BoardIn, request)
        require_board_links(request.user, data)
        if "secretaries" not in data and not request.user.is_administrator:
            data["secretaries"] = [request.user]
        require_secretaries_change(request.user, data.get("secretaries"))
        return _created(s.BoardOut, board_create(**data))


class BoardDetail(generics.GenericAPIView):
    serializer_class = s.BoardDetailOut

    @extend_schema(responses={200: s.BoardDetailOut})
    def get(self, request, pk):
        board = get_board_for_user(request.user, pk)
        constitution = selectors.board_constitution(board.pk)
        return Response(
            s.BoardDetailOut(
                constitution.board, context={"constitution": constitution}
            ).data
        )

    @extend_schema(request=s.BoardIn, responses={200: s.BoardOut})
    def patch(self, request, pk):
        board = get_board_for_user(request.user, pk, manage=True)
        data = _parse(s.BoardIn, request, partial=True)
        require_board_links(request.user, data, board=board)
        require_secretaries_change(request.user, data.get("secretaries"), board=board)
        return Response(s.BoardOut(board_update(board=board, **data)).data)


class BoardSources(generics.GenericAPIView):
    """Where the board's rules come from (SPEC s.1)."""

    serializer_class = s.RuleSourceOut
    queryset = RuleSource.objects.none()  # for the schema: the rows are the board's

    @extend_schema(responses={200: s.RuleSourceOut(many=True)})
    def get(self, request, pk):
        """A page of the board's rule sources (``count``, ``next``: the schema's
        shape; it answered a bare list before)."""
        board = get_board_for_user(request.user, pk)
        rows = board.sources.order_by("rule", "seat_id", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.RuleSourceOut(page, many=True).data)

    @extend_schema(request=s.RuleSourceIn, responses={200: s.RuleSourceOut})
    def put(self, request, pk):
        board = get_board_for_user(request.user, pk, manage=True)
        row = rule_source_set(board=board, **_parse(s.RuleSourceIn, request))
        return Response(s.RuleSourceOut(row).data)


# --- seats -----------------------------------------------------------------------------


def _seat_fields(data: dict, seat: Seat | None = None) -> dict:
    """The contract's ``deputy_notified`` bool: true records today's date as the notice
    date (or keeps an earlier one for the same deputy), false clears it."""
    if "deputy_notified" in data:
        notified = data.pop("deputy_notified")
        same_deputy = seat is not None and (
            "deputy" not in data
            or (data["deputy"].pk if data["deputy"] else None) == seat.deputy_id
        )
        if not notified:
            data["deputy_notified_on"] = None
        elif same_deputy and seat.deputy_notified_on:
            data["deputy_notified_on"] = seat.deputy_notified_on
        else:
            data["deputy_notified_on"] = timezone.localdate()
    return data


class SeatList(SchemaSafe, generics.ListAPIView):
    serializer_class = s.SeatOut

    def visible(self):
        board = get_board_for_user(self.request.user, self.kwargs["pk"])
        return selectors.seats_of(board, include_inactive=True)

    @extend_schema(request=s.SeatIn, responses={201: s.SeatOut})
    def post(self, request, pk):
        board = get_board_for_user(request.user, pk, manage=True)
        data = _seat_fields(_parse(s.SeatIn, request))
        require_seat_people(request.user, board, data)
        return _created(s.SeatOut, seat_create(board=board, **data))


class SeatDetail(generics.GenericAPIView):
    serializer_class = s.SeatOut

    def _seat(self, pk, *, manage=False):
        seat = get_object_or_404(Seat, pk=pk)
        get_board_for_user(self.request.user, seat.board_id, manage=manage)
        return seat

    def get(self, request, pk):
        return Response(s.SeatOut(self._seat(pk)).data)

    @extend_schema(request=s.SeatPatch, responses={200: s.SeatOut})
    def patch(self, request, pk):
        seat = self._seat(pk, manage=True)
        data = _seat_fields(_parse(s.SeatPatch, request), seat)
        require_seat_people(request.user, seat.board, data, seat=seat)
        if data.get("active") is False:
            data.pop("active")
            if data:
                seat_update(seat=seat, **data)
            seat = seat_deactivate(seat=seat)
        else:
            seat = seat_update(seat=seat, **data)
        return Response(s.SeatOut(seat).data)


# --- quorum rules ------------------------------------------------------------------------


class QuorumRuleList(SchemaSafe, generics.ListAPIView):
    serializer_class = s.QuorumRuleOut

    def visible(self):
        board = get_board_for_user(self.request.user, self.kwargs["pk"])
        return selectors.quorum_rules_of(board)

    @extend_schema(request=s.QuorumRuleIn, responses={201: s.QuorumRuleOut})
    def post(self, request, pk):
        board = get_board_for_user(request.user, pk, manage=True)
        rule = quorum_rule_create(board=board, **_parse(s.QuorumRuleIn, request))
        return _created(s.QuorumRuleOut, rule)


class QuorumRuleDetail(generics.GenericAPIView):
    serializer_class = s.QuorumRuleOut

    def _rule(self, pk, *, manage=False):
        rule = get_object_or_404(QuorumRule, pk=pk)
        get_board_for_user(self.request.user, rule.board_id, manage=manage)
        return rule

    def get(self, request, pk):
        return Response(s.QuorumRuleOut(self._rule(pk)).data)

    @extend_schema(request=s.QuorumRulePatch, responses={200: s.QuorumRuleOut})
    def patch(self, request, pk):
        rule = self._rule(pk, manage=True)
        data = _parse(s.QuorumRulePatch, request)
        return Response(s.QuorumRuleOut(quorum_rule_update(rule=rule, **data)).data)
