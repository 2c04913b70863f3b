"""API for meetings, items, attendance and quorum (SPEC s.8). Thin: serializers
in and out, the same permission helpers and services as the pages."""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.models import Board, BusinessType, DecisionKind, Partner, Seat
from boards.permissions import boards_for_user
from governance import workflow
from governance.api import ListPagination
from governance.api_output import DirectOutput

from .. import eligibility
from ..models import AgendaItem, Attendance, Meeting, MeetingChair
from ..permissions import (
    board_roles,
    can_run_meeting,
    get_item_for_user,
    get_meeting_for_user,
)
from ..quorum_snapshot import meeting_quorum
from ..selectors.eligibility import attendance_data
from ..selectors.meetings import meeting_items_for_api, visible_items
from ..services import agenda, attendance, lifecycle

# --- serializers --------------------------------------------------------------


class MeetingInSerializer(serializers.Serializer):
    board = serializers.PrimaryKeyRelatedField(queryset=Board.objects.all())
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    starts_at = serializers.DateTimeField()
    location = serializers.CharField(required=False, allow_blank=True, default="")
    purpose = serializers.CharField(required=False, allow_blank=True, default="")
    reconvenes = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    recording_past = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Recording a meeting already held: a past date is accepted.",
    )
    confirm_deadlines = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Schedule an ordinary meeting although its papers deadline has "
        "passed (refused with rule papers_deadline otherwise).",
    )


class MeetingStartInSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the meeting starts on another day than its own (refused with "
        "rule meeting_day without it); recorded with the minutes.",
    )


class MeetingCancelInSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Sent to the members with the notice of cancellation.",
    )


class MeetingListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        """The user's role on every board of the page in two queries, so each
        meeting's ``actions`` asks none (``meetings.permissions.board_roles``)."""
        request = self.context.get("request")
        rows = list(data.all() if hasattr(data, "all") else data)
        if request is not None:
            board_roles(request.user, {m.board_id for m in rows})
        return super().to_representation(rows)


class MeetingOutSerializer(DirectOutput, serializers.ModelSerializer):
    actions = serializers.SerializerMethodField(
        help_text="What the meeting's status and your permissions allow now "
        "(Meeting.TRANSITIONS): start, close, inquorate, cancel, edit, add_item..."
    )

    def get_actions(self, meeting) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if hasattr(meeting, "recorded_chair_person"):
            # The list annotates who chairs, so the permission asks no query.
            meeting.__dict__["_recorded_chair"] = meeting.recorded_chair_person
        return workflow.available_actions(meeting, user)

    class Meta:
        model = Meeting
        list_serializer_class = MeetingListSerializer
        fields = [
            "id",
            "board",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "location",
            "purpose",
            "called_by",
            "notice_given_at",
            "agenda_published_at",
            "reconvenes",
            "started_at",
            "start_reason",
            "cancelled_reason",
            "actions",
        ]


class MotionInSerializer(serializers.Serializer):
    text = serializers.CharField()
    financial_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    commits = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), many=True, required=False
    )
    decision_kind = serializers.ChoiceField(
        choices=DecisionKind.choices, required=False, default=DecisionKind.OTHER
    )
    within_risk_share = serializers.BooleanField(required=False, default=False)


class ItemInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    business_type = serializers.ChoiceField(
        choices=BusinessType.choices, default=BusinessType.ROUTINE
    )
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices, required=False)
    presenter = serializers.CharField(required=False, allow_blank=True, default="")
    confidential = serializers.BooleanField(required=False, default=False)
    exempt_paragraph = serializers.IntegerField(
        min_value=1,
        max_value=7,
        required=False,
        allow_null=True,
        default=None,
        help_text="Schedule 12A paragraph exempting a confidential item (required "
        "when confidential).",
    )
    motion = MotionInSerializer(required=False, allow_null=True)


class MotionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    financial_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True
    )
    commits = serializers.SerializerMethodField()
    status = serializers.CharField()
    outcome = serializers.CharField()
    recommendation = serializers.BooleanField(
        help_text="Put to an advisory board: a recommendation, not a decision."
    )
    decision_kind = serializers.CharField()

    def get_commits(self, motion) -> list[int]:
        return sorted(p.pk for p in motion.commits.all())


class ItemOutSerializer(serializers.ModelSerializer):
    motion = serializers.SerializerMethodField()
    exemption = serializers.CharField(read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "order",
            "standing",
            "title",
            "business_type",
            "kind",
            "presenter",
            "confidential",
            "exempt_paragraph",
            "exemption",
            "referred_from",
            "motion",
        ]

    @extend_schema_field(MotionOutSerializer(allow_null=True))
    def get_motion(self, item) -> dict | None:
        motion = getattr(item, "motion", None)
        return MotionOutSerializer(motion).data if motion is not None else None


# More rows than any board has seats; checked before a row is looked up (20,000
# rows, a query each, held a worker for 30 s).
MAX_ATTENDANCE_ROWS = 500


class AttendanceInSerializer(serializers.Serializer):
    seat = serializers.PrimaryKeyRelatedField(queryset=Seat.objects.all())
    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    arrived_at = serializers.DateTimeField(required=False, allow_null=True)
    left_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_seat(self, seat):
        meeting = self.context["meeting"]
        if seat.board_id != meeting.board_id:
            raise serializers.ValidationError(
                f"Seat {seat.pk} is not a seat of {meeting.board.label}."
            )
        return seat


class AttendanceOutSerializer(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = [
            "id",
            "seat",
            "status",
            "attendee",
            "deputy_notified",
            "arrived_at",
            "left_at",
            "counts",
            "note",
        ]

    def get_counts(self, record) -> bool:
        """Whether the seat is represented now, for quorum and votes alike: the
        eligibility engine's rule (``meetings.eligibility.presence``)."""
        return eligibility.presence(
            [attendance_data(record)], timezone.now()
        ).represented

    def get_note(self, record) -> str:
        if record.status == Attendance.Status.DEPUTY and not record.deputy_notified:
            return (
                "Recorded, but the deputy does not count towards quorum or vote: the "
                "deputy was not notified to the partners before the meeting."
            )
        return ""


class QuorumOutSerializer(serializers.Serializer):
    quorate = serializers.BooleanField()
    unmet = serializers.ListField(child=serializers.CharField())
    present = serializers.IntegerField()
    business_type = serializers.CharField()


# --- views --------------------------------------------------------------------


def _item_out(item_pk: int) -> dict:
    item = meeting_items_for_api().get(pk=item_pk)
    return ItemOutSerializer(item).data


class MeetingListCreate(ListPagination, APIView):
    @extend_schema(responses=MeetingOutSerializer(many=True))
    def get(self, request):
        meetings = Meeting.objects.filter(
            board__in=boards_for_user(request.user)
        ).annotate(
            recorded_chair_person=Subquery(
                MeetingChair.objects.filter(meeting=OuterRef("pk")).values("person_id")[
                    :1
                ]
            )
        )
        return self.paginated(
            meetings.order_by("-starts_at", "-pk"),
            MeetingOutSerializer,
            context={"request": request},
        )

    @extend_schema(request=MeetingInSerializer, responses={201: MeetingOutSerializer})
    def post(self, request):
        data = MeetingInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = data.validated_data["board"]
        kind = data.validated_data["kind"]
        may_run = can_run_meeting(request.user, board)
        member_calls = (
            kind == Meeting.Kind.EXTRAORDINARY
            and board.seats.filter(
                active=True, voting=True, holder=request.user
            ).exists()
        )
        if not (may_run or member_calls):
            raise PermissionDenied("You may not schedule meetings of this board.")
        meeting = lifecycle.meeting_schedule(
            board=board,
            kind=kind,
            starts_at=data.validated_data["starts_at"],
            location=data.validated_data["location"],
            purpose=data.validated_data["purpose"],
            reconvenes=data.validated_data.get("reconvenes"),
            by=request.user,
            recording_past=data.validated_data["recording_past"],
            deadlines_confirmed=data.validated_data["confirm_deadlines"],
        )
        return Response(
            MeetingOutSerializer(meeting, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class MeetingDetail(APIView):
    @extend_schema(responses=MeetingOutSerializer)
    def get(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        return Response(
            MeetingOutSerializer(meeting, context={"request": request}).data
        )


class MeetingItems(ListPagination, APIView):
    @extend_schema(responses=ItemOutSerializer(many=True))
    def get(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        items = visible_items(request.user, meeting, meeting_items_for_api())
        return self.paginated(items, ItemOutSerializer)

    @extend_schema(request=ItemInSerializer, responses={201: ItemOutSerializer})
    def post(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk, run=True)
        data = ItemInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        motion = data.validated_data.get("motion")
        item = agenda.item_add(
            meeting=meeting,
            title=data.validated_data["title"],
            business_type=data.validated_data["business_type"],
            kind=data.validated_data.get("kind"),
            presenter=data.validated_data["presenter"],
            confidential=data.validated_data["confidential"],
            exempt_paragraph=data.validated_data["exempt_paragraph"],
            motion=agenda.MotionInput(
                text=motion["text"],
                financial_value=motion.get("financial_value"),
                commits=motion.get("commits") or None,
                decision_kind=motion["decision_kind"],
                within_risk_share=motion["within_risk_share"],
            )
            if motion
            else None,
            by=request.user,
        )
        return Response(_item_out(item.pk), status=status.HTTP_201_CREATED)


class ItemDetail(APIView):
    @extend_schema(responses=ItemOutSerializer)
    def get(self, request, pk):
        item = get_item_for_user(request.user, pk)
        return Response(_item_out(item.pk))


class MeetingAttendance(ListPagination, APIView):
    @extend_schema(responses=AttendanceOutSerializer(many=True))
    def get(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        return self.paginated(_attendance(meeting), AttendanceOutSerializer)

    @extend_schema(
        request=AttendanceInSerializer(many=True, max_length=MAX_ATTENDANCE_ROWS),
        responses=AttendanceOutSerializer(many=True),
    )
    def put(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk, run=True)
        data = AttendanceInSerializer(
            data=request.data,
            many=True,
            max_length=MAX_ATTENDANCE_ROWS,
            context={"meeting": meeting},
        )
        data.is_valid(raise_exception=True)
        attendance.attendance_record_many(
            meeting=meeting,
            changes=[
                attendance.AttendanceChange(
                    seat=row["seat"],
                    status=row["status"],
                    arrived_at=row.get("arrived_at"),
                    left_at=row.get("left_at"),
                )
                for row in data.validated_data
            ],
            by=request.user,
        )
        return Response(AttendanceOutSerializer(_attendance(meeting), many=True).data)


def _attendance(meeting):
    return Attendance.objects.filter(meeting=meeting).order_by("seat__order", "seat_id")


class MeetingQuorum(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "business_type",
                str,
                enum=BusinessType.values,
                description="Kind of business; routine when omitted.",
            )
        ],
        responses=QuorumOutSerializer,
    )
    def get(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        business_type = request.query_params.get("business_type") or "routine"
        if business_type not in BusinessType.values:
            raise serializers.ValidationError(
                {"business_type": f"Unknown kind of business {business_type!r}."}
            )
        result = meeting_quorum(meeting, business_type=business_type)
        return Response(QuorumOutSerializer(result.as_dict()).data)


class OwnSeatInSerializer(serializers.Serializer):
    seat = serializers.PrimaryKeyRelatedField(queryset=Seat.objects.all())


def _own_seat(user, meeting, seat: Seat) -> Seat:
    """As on the meeting page: a member answers only for a seat they hold on this
    board (secretaries record attendance with PUT .../attendance/)."""
    if seat.board_id != meeting.board_id or seat.holder_id != user.pk:
        raise PermissionDenied("You answer only for a seat you hold.")
    return seat


def _member_action(service, summary: str, name: str):
    class MemberAction(APIView):
        @extend_schema(
            summary=summary,
            request=OwnSeatInSerializer,
            responses=AttendanceOutSerializer,
        )
        def post(self, request, pk):
            meeting = get_meeting_for_user(request.user, pk)
            if not meeting.board.seats.filter(holder=request.user).exists():
                raise PermissionDenied("You answer only for a seat you hold.")
            data = OwnSeatInSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            seat = _own_seat(request.user, meeting, data.validated_data["seat"])
            record = service(meeting=meeting, seat=seat, by=request.user)
            return Response(AttendanceOutSerializer(record).data)

    MemberAction.__name__ = name
    return MemberAction.as_view()


def _status_action(service, summary: str, body=None):
    """A status change of the meeting; ``body`` (a serializer) gives the
    service's extra keyword arguments (a reason)."""

    class StatusAction(APIView):
        @extend_schema(summary=summary, request=body, responses=MeetingOutSerializer)
        def post(self, request, pk):
            meeting = get_meeting_for_user(request.user, pk, run=True)
            extra = {}
            if body is not None:
                data = body(data=request.data)
                data.is_valid(raise_exception=True)
                extra = dict(data.validated_data)
            service(meeting=meeting, by=request.user, **extra)
            meeting.refresh_from_db()
            return Response(
                MeetingOutSerializer(meeting, context={"request": request}).data
            )

    StatusAction.__name__ = f"Meeting{service.__name__.title().replace('_', '')}"
    return StatusAction.as_view()


# The same status actions as the meeting page (SPEC s.7: the API covers the same
# operations as the browser); closing a meeting is what lets its minutes be approved.
STATUS_ACTIONS = {
    # action (``lifecycle.STATUS_SERVICES``): summary, request body
    "start": (
        "Start the meeting: on its day (or with a reason), once its agenda is "
        "issued (or with the chair's authority), and quorate",
        MeetingStartInSerializer,
    ),
    "close": ("Close the meeting", None),
    "inquorate": ("Record the meeting as inquorate (refused while quorate)", None),
    "cancel": (
        "Cancel the meeting (the members are mailed)",
        MeetingCancelInSerializer,
    ),
    "publish": ("Issue the agenda and papers", None),
}

urlpatterns = [
    *[
        path(
            f"meetings/<int:pk>/{action}/",
            _status_action(lifecycle.STATUS_SERVICES[action], summary, body),
            name=f"api-meeting-{action}",
        )
        for action, (summary, body) in STATUS_ACTIONS.items()
    ],
    path("meetings/", MeetingListCreate.as_view(), name="api-meetings"),
    path("meetings/<int:pk>/", MeetingDetail.as_view(), name="api-meeting"),
    path("meetings/<int:pk>/items/", MeetingItems.as_view(), name="api-meeting-items"),
    path(
        "meetings/<int:pk>/attendance/",
        MeetingAttendance.as_view(),
        name="api-meeting-attendance",
    ),
    path(
        "meetings/<int:pk>/quorum/", MeetingQuorum.as_view(), name="api-meeting-quorum"
    ),
    path("items/<int:pk>/", ItemDetail.as_view(), name="api-item"),
    # The member's own answers before the meeting, as on the meeting page.
    path(
        "meetings/<int:pk>/apologies/",
        _member_action(
            attendance.apologies_send,
            "Send apologies for a seat you hold (before the meeting starts)",
            "MeetingApologies",
        ),
        name="api-meeting-apologies",
    ),
    path(
        "meetings/<int:pk>/deputy/",
        _member_action(
            attendance.deputy_will_attend,
            "Record that your deputy will attend (the advance notification)",
            "MeetingDeputyAttends",
        ),
        name="api-meeting-deputy",
    ),
]
