"""The people API (issue 15): roles, invitations, deactivation and merging, over the
same services and grant table as the people pages. 403 when the grant table refuses,
404 for what does not exist, 409 when a rule refuses (a merge conflict)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from .grants import GRANT_RULES, RoleName
from .models import Invitation, Role, User
from .roles import roles_held
from .services import invitations, people, roles


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied("You may not do this.")


def _person(request, pk) -> User:
    _require(request, "governance.view_people")
    return get_object_or_404(User, pk=pk)


def _parse(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


SCOPED_ROLES = [r.value for r in RoleName if GRANT_RULES[r].scope != "global"]


class RoleIn(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=SCOPED_ROLES,
        help_text="member and deputy are given at a seat; secretary and chair at a "
        "board; fund_manager and finance_officer at a fund.",
    )
    target = serializers.IntegerField(
        min_value=1, max_value=2**53, help_text="The seat, board or fund id."
    )


class RoleOut(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()
    target = serializers.IntegerField()
    scope = serializers.IntegerField()
    where = serializers.CharField()
    detail = serializers.CharField()


class PersonStateOut(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name", "email", "role", "is_active", "merged_into"]


class GlobalRoleIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class MergeIn(serializers.Serializer):
    duplicate = serializers.IntegerField(min_value=1, max_value=2**53)


class InvitationIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    job_title = serializers.CharField(max_length=200, required=False, default="")
    role = serializers.ChoiceField(choices=SCOPED_ROLES, required=False)
    target = serializers.IntegerField(min_value=1, max_value=2**53, required=False)
    global_role = serializers.ChoiceField(
        choices=Role.choices, required=False, default=Role.MEMBER
    )

    def validate(self, data):
        if ("role" in data) != ("target" in data):
            raise serializers.ValidationError("Give both role and target, or neither.")
        return data


class InvitationOut(serializers.ModelSerializer):
    status = serializers.CharField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "person",
            "invited_by",
            "role",
            "scope_id",
            "role_label",
            "status",
            "created_at",
            "expires_at",
            "last_sent_at",
            "times_sent",
            "accepted_at",
            "accepted_by_sso",
            "revoked_at",
        ]


def _roles_out(person) -> list[dict]:
    return [
        {
            "role": held.role.value,
            "label": GRANT_RULES[held.role].label,
            "target": held.target.id,
            "scope": held.target.scope_id,
            "where": held.target.label,
            "detail": held.detail,
        }
        for held in roles_held(person)
    ]


class PersonRoles(generics.GenericAPIView):
    queryset = User.objects.none()
    serializer_class = RoleOut

    @extend_schema(responses={200: RoleOut(many=True)})
    def get(self, request, pk):
        """The person's roles, a page like every list (``count``, ``results``)."""
        roles = _roles_out(_person(request, pk))
        return self.get_paginated_response(self.paginate_queryset(roles))

    @extend_schema(request=RoleIn, responses={201: RoleOut(many=True)})
    def post(self, request, pk):
        """Give a role: who may give which is the grant table (403 otherwise)."""
        person = _person(request, pk)
        data = _parse(RoleIn, request)
        roles.role_give(
            by=request.user, person=person, role=data["role"], target_id=data["target"]
        )
        return Response(_roles_out(person), status=status.HTTP_201_CREATED)


class PersonRoleRevoke(generics.GenericAPIView):
    queryset = User.objects.none()
    serializer_class = RoleOut

    @extend_schema(request=RoleIn, responses={200: RoleOut(many=True)})
    def post(self, request, pk):
        """Take a role away (the same row of the grant table); the person's sessions
        and API tokens end."""
        person = _person(request, pk)
        data = _parse(RoleIn, request)
        roles.role_take(
            by=request.user, person=person, role=data["role"], target_id=data["target"]
        )
        return Response(_roles_out(person))


class PersonGlobalRole(generics.GenericAPIView):
    queryset = User.objects.none()
    serializer_class = PersonStateOut

    @extend_schema(request=GlobalRoleIn, responses={200: PersonStateOut})
    def post(self, request, pk):
        """Administrators only: administrator, auditor or the usual role."""
        _require(request, "governance.manage_people")
        person = _person(request, pk)
        role = _parse(GlobalRoleIn, request)["role"]
        roles.person_set_role(by=request.user, person=person, role=role)
        return Response(PersonStateOut(person).data)


class PersonDeactivate(generics.GenericAPIView):
    queryset = User.objects.none()
    serializer_class = PersonStateOut

    @extend_schema(request=None, responses={200: PersonStateOut})
    def post(self, request, pk):
        _require(request, "governance.manage_people")
        person = people.person_deactivate(by=request.user, person=_person(request, pk))
        return Response(PersonStateOut(person).data)


class PersonReactivate(generics.GenericAPIView):
    queryset = User.objects.none()
    serializer_class = PersonStateOut

    @extend_schema(request=None, responses={200: PersonStateOut})
    def post(self, request, pk):
        _require(request, "governance.manage_people")
        person = people.person_reactivate(by=request.user, person=_person(request, pk))
        return Response(PersonStateOut(person).data)


class PersonMerge(generics.GenericAPIView):
    queryset = User.objects.none()
    serializer_class = PersonStateOut

    @extend_schema(request=MergeIn, responses={200: PersonStateOut})
    def post(self, request, pk):
        """Merge ``duplicate`` into this person (administrators; 409 on a conflict)."""
        _require(request, "governance.manage_people")
        keep = _person(request, pk)
        duplicate = get_object_or_404(User, pk=_parse(MergeIn, request)["duplicate"])
        people.people_merge(by=request.user, keep=keep, duplicate=duplicate)
        return Response(PersonStateOut(keep).data)


class InvitationList(generics.ListAPIView):
    serializer_class = InvitationOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        _require(self.request, "governance.view_people")
        found = Invitation.objects.order_by("-created_at")
        person = self.request.query_params.get("person", "")
        if person.isdigit():
            found = found.filter(person_id=int(person))
        return found

    @extend_schema(request=InvitationIn, responses={201: InvitationOut})
    def post(self, request):
        """Invite a person: an administrator, or a board secretary naming a seat of
        their own board (role member or deputy, target the seat)."""
        _require(request, "governance.invite_people")
        data = _parse(InvitationIn, request)
        invitation = invitations.invitation_create(
            by=request.user,
            name=data["name"],
            email=data["email"],
            job_title=data["job_title"],
            global_role=data["global_role"],
            role=data.get("role"),
            target_id=data.get("target"),
        )
        return Response(InvitationOut(invitation).data, status=status.HTTP_201_CREATED)


def _invitation(request, pk) -> Invitation:
    _require(request, "governance.view_people")
    return get_object_or_404(Invitation, pk=pk)


class InvitationResend(generics.GenericAPIView):
    queryset = Invitation.objects.none()
    serializer_class = InvitationOut

    @extend_schema(request=None, responses={200: InvitationOut})
    def post(self, request, pk):
        invitation = invitations.invitation_resend(
            by=request.user,
            invitation=_invitation(request, pk),
        )
        return Response(InvitationOut(invitation).data)


class InvitationRevoke(generics.GenericAPIView):
    queryset = Invitation.objects.none()
    serializer_class = InvitationOut

    @extend_schema(request=None, responses={200: InvitationOut})
    def post(self, request, pk):
        invitation = invitations.invitation_revoke(
            by=request.user, invitation=_invitation(request, pk)
        )
        return Response(InvitationOut(invitation).data)
