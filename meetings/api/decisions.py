"""API for decisions (SPEC s.8): written positions, opening, votes, closing and
withdrawing motions, consultation, escalations, decision logs and chair election.
Thin: serializers in and out, the same permission helpers and services as the
pages; a rule that refuses answers 409 with the rule's reason."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.models import Board, Partner, Seat
from boards.permissions import get_board_for_user
from governance.api import ListPagination
from governance.api_output import DirectOutput

from ..forms import LogFilterForm
from ..models import Escalation, Motion, MotionOutcome, Vote, WrittenPosition
from ..permissions import (
    get_escalation_for_user,
    get_item_for_user,
    get_meeting_for_user,
    get_motion_for_user,
)
from ..selectors import decisions as selectors
from ..services import (
    chair_elections,
    consultations,
    escalations,
    motions,
    positions,
    votes,
)

# --- serializers --------------------------------------------------------------


class PositionInSerializer(serializers.Serializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    position = serializers.ChoiceField(choices=WrittenPosition.Position.choices)
    text = serializers.CharField(required=False, allow_blank=True, default="")


class PositionOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = WrittenPosition
        fields = ["id", "item", "partner", "position", "text", "filed_by", "filed_at"]


class VoteInSerializer(serializers.Serializer):
    seat = serializers.PrimaryKeyRelatedField(queryset=Seat.objects.all())
    choice = serializers.ChoiceField(choices=Vote.Choice.choices)


class VoteOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vote
        fields = [
            "id",
            "motion",
            "seat",
            "choice",
            "cast_by",
            "recorded_by_secretary",
            "cast_at",
        ]


class MotionDetailSerializer(serializers.ModelSerializer):
    commits = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Motion
        fields = [
            "id",
            "item",
            "text",
            "financial_value",
            "commits",
            "consult_board",
            "consultation_recorded_at",
            "status",
            "opened_at",
            "closed_at",
            "outcome",
            "outcome_reasons",
            "recommendation",
            "tally",
            "quorum_snapshot",
            "referred_to_item",
        ]


class CloseOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=MotionOutcome.choices)
    reasons = serializers.ListField(child=serializers.CharField())
    recommendation = serializers.BooleanField()
    referred_to_item = serializers.IntegerField(allow_null=True)
    escalation = serializers.IntegerField(allow_null=True)
    tally = serializers.DictField()
    quorum = serializers.DictField()


class WithdrawInSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ConsultationInSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConsultBoardInSerializer(serializers.Serializer):
    board = serializers.PrimaryKeyRelatedField(
        queryset=Board.objects.all(), allow_null=True
    )


class EscalationOutSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="motion.item_id", read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "motion",
            "item",
            "board",
            "path",
            "status",
            "opened_at",
            "resolved_at",
            "resolved_by",
            "resolution",
            "agreed",
            "previous",
        ]


class ResolveInSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    agreed = serializers.BooleanField()


class ResolveOutSerializer(serializers.Serializer):
    escalation = EscalationOutSerializer()
    next_escalation = EscalationOutSerializer(allow_null=True)


class ChairElectionInSerializer(serializers.Serializer):
    seat = serializers.PrimaryKeyRelatedField(queryset=Seat.objects.all())
    unanimous = serializers.BooleanField()


class ChairTermOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    board = serializers.IntegerField(source="board_id")
    seat = serializers.IntegerField(source="seat_id")
    person = serializers.IntegerField(source="person_id")
    starts_on = serializers.DateField()
    elected_at_meeting = serializers.IntegerField(source="election.meeting_id")


class DecisionLogSerializer(DirectOutput, serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="item.meeting_id")
    meeting_date = serializers.DateTimeField(source="item.meeting.starts_at")
    title = serializers.CharField(source="item.title")

    class Meta:
        model = Motion
        fields = [
            "id",
            "item",
            "meeting",
            "meeting_date",
            "title",
            "text",
            "financial_value",
            "outcome",
            "outcome_reasons",
            "recommendation",
            "tally",
            "closed_at",
            "referred_to_item",
        ]


def _motion_out(motion: Motion) -> dict:
    return MotionDetailSerializer(Motion.objects.get(pk=motion.pk)).data


# --- views --------------------------------------------------------------------


class ItemPositions(ListPagination, APIView):
    @extend_schema(responses=PositionOutSerializer(many=True))
    def get(self, request, pk):
        item = get_item_for_user(request.user, pk)
        rows = WrittenPosition.objects.filter(item=item).order_by("id")
        return self.paginated(rows, PositionOutSerializer)

    @extend_schema(request=PositionInSerializer, responses={201: PositionOutSerializer})
    def post(self, request, pk):
        """A partner's written position on an item, before the meeting starts
        (Portsmouth PMG ToR 4.4)."""
        item = get_item_for_user(request.user, pk)
        data = PositionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = positions.position_file(item=item, by=request.user, **data.validated_data)
        return Response(PositionOutSerializer(row).data, status=status.HTTP_201_CREATED)


class MotionDetail(APIView):
    @extend_schema(responses=MotionDetailSerializer)
    def get(self, request, pk):
        return Response(_motion_out(get_motion_for_user(request.user, pk)))


class MotionOpen(APIView):
    @extend_schema(request=None, responses=MotionDetailSerializer)
    def post(self, request, pk):
        """Put the motion to the vote (the board's secretary or chair)."""
        motion = get_motion_for_user(request.user, pk, run=True)
        return Response(
            _motion_out(motions.motion_open(motion=motion, by=request.user))
        )


class MotionVotes(ListPagination, APIView):
    @extend_schema(responses=VoteOutSerializer(many=True))
    def get(self, request, pk):
        motion = get_motion_for_user(request.user, pk)
        rows = motion.votes.order_by("seat__order", "seat_id")
        return self.paginated(rows, VoteOutSerializer)

    @extend_schema(request=VoteInSerializer, responses={201: VoteOutSerializer})
    def post(self, request, pk):
        """Cast a vote for a seat: a member for their own seat (holder, or notified
        deputy for an absent holder); a secretary for any seat (show of hands).
        Voting again before the motion closes changes the same vote (answered 201
        with the vote's id either way)."""
        motion = get_motion_for_user(request.user, pk)
        data = VoteInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vote = votes.vote_cast(motion=motion, by=request.user, **data.validated_data)
        return Response(VoteOutSerializer(vote).data, status=status.HTTP_201_CREATED)


class MotionClose(APIView):
    @extend_schema(request=None, responses=CloseOutSerializer)
    def post(self, request, pk):
        """Close the vote: the outcome (SPEC s.4), the item it was referred or
        deferred to, and the escalation opened, if any."""
        motion = get_motion_for_user(request.user, pk, run=True)
        result = motions.motion_close(motion=motion, by=request.user)
        m = result.motion
        return Response(
            {
                "id": m.pk,
                "outcome": m.outcome,
                "reasons": m.outcome_reasons,
                "recommendation": m.recommendation,
                "referred_to_item": result.referred_to_item.pk
                if result.referred_to_item
                else None,
                "escalation": result.escalation.pk if result.escalation else None,
                "tally": m.tally,
                "quorum": {
                    "quorate": m.quorum_snapshot.get("quorate"),
                    "unmet": m.quorum_snapshot.get("unmet", []),
                    "at": m.quorum_snapshot.get("at"),
                },
            }
        )


class MotionWithdraw(APIView):
    @extend_schema(request=WithdrawInSerializer, responses=MotionDetailSerializer)
    def post(self, request, pk):
        """Withdraw a motion not yet closed (outcome ``withdrawn``)."""
        motion = get_motion_for_user(request.user, pk, run=True)
        data = WithdrawInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        motion = motions.motion_withdraw(
            motion=motion, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(_motion_out(motion))


class MotionConsultation(APIView):
    @extend_schema(request=ConsultationInSerializer, responses=MotionDetailSerializer)
    def post(self, request, pk):
        """Record the prior consultation of the board named on the motion (IFPG)."""
        motion = get_motion_for_user(request.user, pk, run=True)
        data = ConsultationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        motion = consultations.consultation_record(
            motion=motion, by=request.user, note=data.validated_data["note"]
        )
        return Response(_motion_out(motion))


class MotionConsultBoard(APIView):
    @extend_schema(request=ConsultBoardInSerializer, responses=MotionDetailSerializer)
    def post(self, request, pk):
        """Name the board that must be consulted before the motion is put (IFPG ->
        IE), or ``null`` for none; only while the motion is a draft."""
        motion = get_motion_for_user(request.user, pk, run=True)
        data = ConsultBoardInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        motion = consultations.consultation_require(
            motion=motion, by=request.user, board=data.validated_data["board"]
        )
        return Response(_motion_out(motion))


class EscalationList(ListPagination, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=["open", "resolved", "all"],
                description="open (default), resolved or all",
            )
        ],
        responses=EscalationOutSerializer(many=True),
    )
    def get(self, request):
        wanted = request.query_params.get("status", "open")
        if wanted not in ("open", "resolved", "all"):
            raise serializers.ValidationError(
                {"status": ["Must be open, resolved or all."]}
            )
        rows = selectors.escalations_for(
            request.user, status="" if wanted == "all" else wanted
        )
        return self.paginated(rows, EscalationOutSerializer)


class EscalationResolve(APIView):
    @extend_schema(request=ResolveInSerializer, responses=ResolveOutSerializer)
    def post(self, request, pk):
        """Record an escalation resolved; no agreement on the authorised officers'
        path opens the dispute resolution step."""
        escalation = get_escalation_for_user(request.user, pk, resolve=True)
        data = ResolveInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        following = escalations.escalation_resolve(
            escalation=escalation, by=request.user, **data.validated_data
        )
        escalation.refresh_from_db()
        return Response(
            {
                "escalation": EscalationOutSerializer(escalation).data,
                "next_escalation": EscalationOutSerializer(following).data
                if following
                else None,
            }
        )


class BoardDecisions(ListPagination, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("outcome", str),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
            OpenApiParameter("q", str),
        ],
        responses=DecisionLogSerializer(many=True),
    )
    def get(self, request, pk):
        """The board's decision log (JCG), newest first."""

        board = get_board_for_user(request.user, pk)
        form = LogFilterForm(
            {
                "outcome": request.query_params.get("outcome", ""),
                "date_from": request.query_params.get("from", ""),
                "date_to": request.query_params.get("to", ""),
                "q": request.query_params.get("q", ""),
            }
        )
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        rows = selectors.decision_log(board=board, for_page=False, **form.cleaned_data)
        return self.paginated(rows, DecisionLogSerializer)


class MeetingChairElection(APIView):
    @extend_schema(
        request=ChairElectionInSerializer, responses={201: ChairTermOutSerializer}
    )
    def post(self, request, pk):
        """Record the chair elected by unanimous agreement (Leicestershire IFPG)."""
        meeting = get_meeting_for_user(request.user, pk, run=True)
        data = ChairElectionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        term = chair_elections.chair_elect(
            meeting=meeting, by=request.user, **data.validated_data
        )
        return Response(
            ChairTermOutSerializer(term).data, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path(
        "items/<int:pk>/positions/", ItemPositions.as_view(), name="api-item-positions"
    ),
    path("motions/<int:pk>/", MotionDetail.as_view(), name="api-motion"),
    path("motions/<int:pk>/open/", MotionOpen.as_view(), name="api-motion-open"),
    path("motions/<int:pk>/votes/", MotionVotes.as_view(), name="api-motion-votes"),
    path("motions/<int:pk>/close/", MotionClose.as_view(), name="api-motion-close"),
    path(
        "motions/<int:pk>/withdraw/",
        MotionWithdraw.as_view(),
        name="api-motion-withdraw",
    ),
    path(
        "motions/<int:pk>/consultation/",
        MotionConsultation.as_view(),
        name="api-motion-consultation",
    ),
    path(
        "motions/<int:pk>/consult-board/",
        MotionConsultBoard.as_view(),
        name="api-motion-consult-board",
    ),
    path("escalations/", EscalationList.as_view(), name="api-escalations"),
    path(
        "escalations/<int:pk>/resolve/",
        EscalationResolve.as_view(),
        name="api-escalation-resolve",
    ),
    path(
        "boards/<int:pk>/decisions/",
        BoardDecisions.as_view(),
        name="api-board-decisions",
    ),
    path(
        "meetings/<int:pk>/chair-election/",
        MeetingChairElection.as_view(),
        name="api-meeting-chair-election",
    ),
]
