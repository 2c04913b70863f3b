"""Thin API views for obligations: permission helper, selector, serializer."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.permissions import get_board_for_user
from meetings.models import Meeting

from ..permissions import require_accept
from ..selectors.obligations import board_obligation_rows
from ..selectors.plan import board_plan
from ..services.plan import proposal_accept
from . import serializers as s


class BoardObligations(APIView):
    """The board's duties from its documents: each with its clause, frequency, next
    due date, status (``overdue``, ``due``, ``up_to_date``) and evidence. Anyone who
    may see the board may read them (403 otherwise; 404 for no such board)."""

    @extend_schema(responses={200: s.ObligationOut(many=True)})
    def get(self, request, pk):
        board = get_board_for_user(request.user, pk)
        return Response(s.ObligationOut(board_obligation_rows(board), many=True).data)


class BoardForwardPlan(APIView):
    """The board's forward plan for the next twelve months, as on its page: each
    coming meeting with what is on its agenda and what is proposed for it. Anyone
    who may see the board (403 otherwise; 404 for no such board)."""

    @extend_schema(responses={200: s.PlannedMeetingOut(many=True)})
    def get(self, request, pk):
        board = get_board_for_user(request.user, pk)
        plan = board_plan(board).plan
        return Response(s.PlannedMeetingOut(plan.meetings, many=True).data)


class ForwardPlanAccept(APIView):
    """Put a proposal on the agenda of the meeting the plan proposes (or
    ``meeting``, another scheduled meeting of the board) in one step: the
    board's secretary, chair or an administrator (403 for others). 409 with the
    rule ``forward_plan`` when the proposal is no longer in the plan or its
    meeting is not scheduled."""

    @extend_schema(request=s.AcceptIn, responses={201: s.AcceptedOut})
    def post(self, request, pk):
        board = get_board_for_user(request.user, pk)
        data = s.AcceptIn(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = None
        if data.validated_data.get("meeting"):
            meeting = get_object_or_404(
                Meeting, pk=data.validated_data["meeting"], board=board
            )
        require_accept(request.user, meeting or board)
        planned = proposal_accept(
            board=board,
            key=data.validated_data["key"],
            meeting=meeting,
            by=request.user,
        )
        return Response(s.AcceptedOut(planned).data, status=status.HTTP_201_CREATED)
