"""Thin API views for obligations: permission helper, selector, serializer."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.permissions import get_board_for_user

from ..selectors.obligations import board_obligation_rows
from . import serializers as s


class BoardObligations(APIView):
    """The board's duties from its documents: each with its clause, frequency, next
    due date, status (``overdue``, ``due``, ``up_to_date``) and evidence. Anyone who
    may see the board may read them (403 otherwise; 404 for no such board)."""

    @extend_schema(responses={200: s.ObligationOut(many=True)})
    def get(self, request, pk):
        board = get_board_for_user(request.user, pk)
        return Response(s.ObligationOut(board_obligation_rows(board), many=True).data)
