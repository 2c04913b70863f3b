"""The public API, /api/v1/public/ (issue 19): published boards, meetings, items and
decisions, and search, as JSON; no token, read only, documented in the OpenAPI
schema. The same selectors (and so the same visibility rules) as the public pages;
nothing that is not public is found (404)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from meetings.models import MotionOutcome

from .. import search as search_selector
from .. import selectors
from .. import visibility as v
from . import serializers as out


class OpenToAll:
    """No authentication at all: what these answer is the same for everyone, so a
    web page on any site may read it too (no credentials are ever sent)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class PublicAPIView(OpenToAll, APIView):
    pass


def _abs(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def board_data(request, board) -> dict:
    publication = board.publication
    return {
        "id": board.pk,
        "name": board.name,
        "short_name": board.short_name,
        "purpose": board.purpose,
        "decision_making": board.decision_making,
        "partners": [{"name": p.name, "kind": p.kind} for p in board.partners.all()],
        "publication_source": publication.source_text,
        "url": _abs(request, "public:board", board.pk),
        "api_url": _abs(request, "api-public-board", board.pk),
        "feed_url": _abs(request, "public:board_feed", board.pk),
        "calendar_url": _abs(request, "public:board_ics", board.pk),
        "decisions_csv_url": _abs(request, "public:board_decisions_csv", board.pk),
    }


def meeting_summary(request, meeting, minutes_published: bool) -> dict:
    return {
        "id": meeting.pk,
        "board": meeting.board_id,
        "kind": meeting.kind,
        "status": meeting.status,
        "starts_at": meeting.starts_at,
        "location": meeting.location,
        "agenda_issued": v.agenda_public(selectors.facts(meeting)),
        "minutes_published": minutes_published,
        "url": _abs(request, "public:meeting", meeting.pk),
        "api_url": _abs(request, "api-public-meeting", meeting.pk),
    }


def paper_data(request, paper) -> dict:
    return {
        "id": paper.pk,
        "title": paper.title,
        "content_type": paper.content_type,
        "size": paper.size,
        "page_count": paper.page_count,
        "late": paper.late,
        "url": _abs(request, "public:paper", paper.pk),
    }


def item_data(request, item) -> dict:
    """An item of a public agenda: in full, or (exempt) only its number and label."""
    exempt = not item.public
    motion = getattr(item, "motion", None)
    return {
        "id": item.pk,
        "meeting": item.meeting_id,
        "number": item.number,
        "exempt": exempt,
        "exempt_label": item.exempt_label if exempt else "",
        "title": None if exempt else item.title,
        "kind": None if exempt else item.kind,
        "business_type": None if exempt else item.business_type,
        "presenter": None if exempt else item.presenter,
        "recommendation": motion.text if motion is not None and not exempt else None,
        "papers": [paper_data(request, p) for p in item.public_papers],
        "decision": item.public_decision.pk if item.public_decision else None,
        "url": None if exempt else _abs(request, "public:item", item.pk),
        "api_url": None if exempt else _abs(request, "api-public-item", item.pk),
    }


def decision_data(request, motion, *, detail: bool = False) -> dict:
    meeting = motion.item.meeting
    data = {
        "id": motion.pk,
        "board": meeting.board_id,
        "meeting": meeting.pk,
        "item": motion.item_id,
        "title": motion.item.title,
        "motion": motion.text,
        "financial_value": motion.financial_value,
        "outcome": motion.outcome,
        "outcome_label": motion.get_outcome_display(),
        "recommendation": motion.recommendation,
        "reasons": [str(r) for r in motion.outcome_reasons or []],
        "decided_at": motion.closed_at,
        "tally": motion.tally or None,
        "url": _abs(request, "public:decision", motion.pk),
        "api_url": _abs(request, "api-public-decision", motion.pk),
    }
    if detail:
        snapshot = motion.quorum_snapshot or {}
        data |= {
            "commits": [p.name for p in motion.commits.all()],
            "votes": [
                {
                    "seat": vote.seat.title,
                    "partner": vote.seat.partner.label,
                    "choice": vote.choice,
                }
                for vote in motion.votes.all()
            ],
            "quorate": snapshot.get("quorate"),
        }
    return data


class BoardList(PublicAPIView):
    @extend_schema(
        operation_id="public_boards_list",
        responses=out.BoardSerializer(many=True),
        auth=[],
    )
    def get(self, request):
        """Every board that publishes its records."""
        boards = selectors.published_boards().prefetch_related("partners")
        data = [board_data(request, b) for b in boards]
        return Response(out.BoardSerializer(data, many=True).data)


class BoardDetail(PublicAPIView):
    @extend_schema(
        operation_id="public_boards_retrieve",
        responses=out.BoardDetailSerializer,
        auth=[],
    )
    def get(self, request, pk):
        """A published board and its meetings, newest first."""
        board = selectors.public_board(pk)
        meetings = list(selectors.public_meetings(board).order_by("-starts_at"))
        with_minutes = selectors.published_minutes_meeting_ids(meetings)
        data = board_data(request, board) | {
            "meetings": [
                meeting_summary(request, m, m.pk in with_minutes) for m in meetings
            ]
        }
        return Response(out.BoardDetailSerializer(data).data)


class MeetingDetail(PublicAPIView):
    @extend_schema(
        operation_id="public_meetings_retrieve",
        responses=out.MeetingSerializer,
        auth=[],
    )
    def get(self, request, pk):
        """A published meeting: its agenda once issued (exempt items as a label
        only), papers, decisions taken and attendance once held."""
        meeting = selectors.public_meeting(pk)
        page = selectors.meeting_page(meeting)
        minutes = page["minutes"]
        data = meeting_summary(request, meeting, minutes is not None) | {
            "board_name": meeting.board.name,
            "purpose": meeting.purpose,
            "agenda_issued_at": meeting.agenda_published_at,
            "items": [item_data(request, item) for item in page["items"]],
            "attendance": [
                {
                    "seat": row.seat.title,
                    "partner": row.seat.partner.label,
                    "voting": row.seat.voting,
                    "status": row.status,
                }
                for row in page["attendance"]
            ],
            "minutes_url": _abs(request, "public:minutes", meeting.pk)
            if minutes
            else None,
        }
        return Response(out.MeetingSerializer(data).data)


class ItemDetail(PublicAPIView):
    @extend_schema(
        operation_id="public_items_retrieve", responses=out.ItemSerializer, auth=[]
    )
    def get(self, request, pk):
        """A published agenda item (never an exempt one: 404)."""
        meeting = selectors.public_item(pk).meeting
        page = selectors.meeting_page(meeting)
        item = next(i for i in page["items"] if i.pk == pk)
        return Response(out.ItemSerializer(item_data(request, item)).data)


class DecisionQuery(serializers.Serializer):
    board = serializers.IntegerField(required=False, min_value=1)
    outcome = serializers.ChoiceField(choices=MotionOutcome.choices, required=False)
    decided_from = serializers.DateField(required=False)
    decided_to = serializers.DateField(required=False)


class DecisionPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 500


class DecisionList(OpenToAll, ListAPIView):
    serializer_class = out.DecisionSerializer
    pagination_class = DecisionPagination
    filter_backends = []

    @extend_schema(
        operation_id="public_decisions_list",
        parameters=[
            OpenApiParameter("board", int, description="A board's id"),
            OpenApiParameter("outcome", str, enum=MotionOutcome.values),
            OpenApiParameter("decided_from", OpenApiTypes.DATE),
            OpenApiParameter("decided_to", OpenApiTypes.DATE),
        ],
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        """Published decisions of every published board, newest first."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = DecisionQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        motions = selectors.public_decisions()
        if "board" in params:
            motions = motions.filter(item__meeting__board_id=params["board"])
        if "outcome" in params:
            motions = motions.filter(outcome=params["outcome"])
        if "decided_from" in params:
            motions = motions.filter(closed_at__date__gte=params["decided_from"])
        if "decided_to" in params:
            motions = motions.filter(closed_at__date__lte=params["decided_to"])
        return motions

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = [decision_data(request, m) for m in page]
        return self.get_paginated_response(self.get_serializer(data, many=True).data)


class DecisionDetail(PublicAPIView):
    @extend_schema(
        operation_id="public_decisions_retrieve",
        responses=out.DecisionDetailSerializer,
        auth=[],
    )
    def get(self, request, pk):
        """A published decision with its votes."""
        motion = selectors.public_decision(pk)
        data = decision_data(request, motion, detail=True)
        return Response(out.DecisionDetailSerializer(data).data)


class SearchQueryIn(serializers.Serializer):
    q = serializers.CharField(max_length=200)
    board = serializers.IntegerField(required=False, min_value=1)
    kind = serializers.ChoiceField(choices=search_selector.Kind.choices, required=False)
    outcome = serializers.ChoiceField(choices=MotionOutcome.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    page = serializers.IntegerField(required=False, min_value=1, default=1)


class Search(PublicAPIView):
    @extend_schema(
        operation_id="public_search",
        parameters=[SearchQueryIn],
        responses=out.SearchPageSerializer,
        auth=[],
    )
    def get(self, request):
        """Full-text search of the published record (ranked, matches marked)."""
        query = SearchQueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        number = params.pop("page")
        result = search_selector.search(None, search_selector.Filters(**params), number)
        data = {
            "count": result.total,
            "page": result.page.number,
            "pages": result.page.paginator.num_pages,
            "engine": result.engine,
            "results": [
                {
                    "kind": r.kind,
                    "title": str(r.title),
                    "snippet": str(r.snippet),
                    "board": r.board,
                    "date": r.date,
                    "outcome": r.outcome,
                    "url": request.build_absolute_uri(r.url),
                }
                for r in result.results
            ],
        }
        return Response(out.SearchPageSerializer(data).data)
