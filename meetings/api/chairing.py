"""API for who chairs a meeting and for chair-only acts recorded on the chair's
written authority (SPEC s.1, s.8). The same services and permission helpers as the
secretary's live page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.models import Seat

from ..models import (
    AgendaItem,
    ChairAuthority,
    Guest,
    MeetingChair,
    MinutesVersion,
    Paper,
)
from ..permissions import can_record_chair_authority, get_meeting_for_user
from ..services import chairing


class ChairInSerializer(serializers.Serializer):
    seat = serializers.PrimaryKeyRelatedField(queryset=Seat.objects.all())


class MeetingChairOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingChair
        fields = ["seat", "person", "capacity", "recorded_by", "recorded_at"]


class MeetingChairView(APIView):
    @extend_schema(
        summary="Who chairs the meeting (404 while nobody is recorded)",
        responses=MeetingChairOutSerializer,
    )
    def get(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        chair = get_object_or_404(MeetingChair, meeting=meeting)
        return Response(MeetingChairOutSerializer(chair).data)

    @extend_schema(
        summary="Record who chairs the meeting: designated, alternate, or deputising "
        "where the board's terms allow it (409 otherwise, or if the seat is not "
        "represented)",
        request=ChairInSerializer,
        responses=MeetingChairOutSerializer,
    )
    def put(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk, run=True)
        data = ChairInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seat = data.validated_data["seat"]
        if seat.board_id != meeting.board_id:
            raise serializers.ValidationError(
                {"seat": f"Seat {seat.pk} is not a seat of {meeting.board.label}."}
            )
        chair = chairing.meeting_chair_set(meeting=meeting, seat=seat, by=request.user)
        return Response(MeetingChairOutSerializer(chair).data)


class ChairAuthorityInSerializer(serializers.Serializer):
    act = serializers.ChoiceField(choices=ChairAuthority.Act.choices)
    target = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The paper, guest or minutes version the act is on; for "
        "minutes_confirmation, the item 'Minutes of the previous meeting'.",
    )
    chair_name = serializers.CharField(max_length=200)
    evidence = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ChairAuthorityOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChairAuthority
        fields = [
            "id",
            "meeting",
            "act",
            "paper",
            "guest",
            "minutes_version",
            "chair_name",
            "evidence_name",
            "note",
            "recorded_by",
            "recorded_at",
        ]


TARGETS = {
    ChairAuthority.Act.LATE_PAPER: (Paper, "item__meeting"),
    ChairAuthority.Act.GUEST: (Guest, "meeting"),
    ChairAuthority.Act.MINUTES_APPROVAL: (MinutesVersion, "meeting"),
    # This meeting's item "Minutes of the previous meeting".
    ChairAuthority.Act.MINUTES_CONFIRMATION: (AgendaItem, "meeting"),
}


class ChairAuthorityView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Do a chair-only act on the chair's written authority (the secretary), "
        "with the evidence uploaded",
        request={"multipart/form-data": ChairAuthorityInSerializer},
        responses={201: ChairAuthorityOutSerializer},
    )
    def post(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        if not can_record_chair_authority(request.user, meeting):
            raise PermissionDenied(
                "Only the board's secretary records an act on the chair's authority."
            )
        data = ChairAuthorityInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        act = data.validated_data["act"]
        target = None
        if act in TARGETS:
            model, field = TARGETS[act]
            target = get_object_or_404(
                model, pk=data.validated_data["target"] or 0, **{field: meeting}
            )
        authority = chairing.chair_act(
            meeting=meeting,
            act=act,
            target=target,
            by=request.user,
            chair_name=data.validated_data["chair_name"],
            evidence=data.validated_data["evidence"],
            note=data.validated_data["note"],
        )
        return Response(
            ChairAuthorityOutSerializer(authority).data, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path(
        "meetings/<int:pk>/chair/", MeetingChairView.as_view(), name="api-meeting-chair"
    ),
    path(
        "meetings/<int:pk>/chair-authority/",
        ChairAuthorityView.as_view(),
        name="api-meeting-chair-authority",
    ),
]
