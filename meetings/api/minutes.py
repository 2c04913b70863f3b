"""API for minutes (SPEC s.8): the latest circulated minutes as a PDF, the versions
of a meeting's minutes with checksums and deliveries, and the workflow actions
(approve, circulate, correct, confirm) through the same services as the pages."""

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import renderers, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.api import RULE_REFUSAL, ListPagination
from governance.exceptions import RuleViolation
from governance.rule_codes import RuleCode

from ..models import Delivery, MinutesDownload, MinutesVersion
from ..permissions import (
    can_approve_minutes,
    can_read_full_minutes,
    get_confirmation_item_for_user,
    get_meeting_for_user,
    get_minutes_version_for_user,
)
from ..selectors import minutes as selectors
from ..services import minutes as services


class PDFRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class DeliveryOutSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="minutes or record")
    officer_name = serializers.CharField(source="officer.name")
    partner = serializers.IntegerField(source="officer.partner_id")
    sent_at = serializers.DateTimeField(source="outbox.sent_at", allow_null=True)
    message_id = serializers.CharField(source="outbox.message_id")
    attempts = serializers.IntegerField(source="outbox.attempts")
    outcome = serializers.CharField(source="outbox.state")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "kind",
            "officer",
            "officer_name",
            "partner",
            "email",
            "queued_at",
            "sent_at",
            "message_id",
            "attempts",
            "outcome",
        ]


class VersionOutSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True,
        help_text="draft, approved, circulated, confirmed or superseded",
    )
    deliveries = DeliveryOutSerializer(many=True, read_only=True)

    class Meta:
        model = MinutesVersion
        fields = [
            "id",
            "meeting",
            "number",
            "status",
            "corrects",
            "change_note",
            "approved_at",
            "circulated_at",
            "confirmed_at",
            "confirmed_at_meeting",
            "confirmation_item",
            "confirmed_by",
            "signed_by_name",
            "pdf_sha256",
            "full_pdf_sha256",
            "signed_pdf_sha256",
            "signed_full_pdf_sha256",
            "deliveries",
        ]


class CorrectInSerializer(serializers.Serializer):
    change_note = serializers.CharField()


NOT_CIRCULATED = inline_serializer(
    "MinutesNotCirculated", {"detail": serializers.CharField()}
)


# Seconds a client waits before asking again for minutes still being rendered.
PREPARING_RETRY_AFTER = 5


class MinutesPdfView(APIView):
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    def handle_exception(self, exc):
        """Errors are JSON whatever the client asked for (``Accept: application/pdf``
        included)."""
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    @extend_schema(
        summary="The latest circulated minutes of a meeting",
        description="The stored PDF sent to the authorised officers (no confidential "
        "items); `?full=1` gives the full version to the board's members and "
        "auditors. 404 with a JSON reason if no version has been circulated; 409 "
        "(rule `minutes_pdf_preparing`, with `Retry-After` in seconds) for the few "
        "seconds after circulation while a worker renders the PDF, and after "
        "confirmation while it renders the signed PDF (the record once confirmed).",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(NOT_CIRCULATED),
            409: RULE_REFUSAL,
        },
    )
    def get(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        version = selectors.latest_circulated(meeting)
        if version is None:
            raise NotFound("No minutes of this meeting have been circulated.")
        full = request.query_params.get("full") == "1"
        if full and not can_read_full_minutes(request.user, meeting):
            raise PermissionDenied("The full minutes reach the board's members only.")
        try:
            content, checksum = services.stored_pdf(version, include_confidential=full)
        except RuleViolation as exc:
            if exc.rule != RuleCode.MINUTES_PDF_PREPARING:
                raise
            # Circulated (or confirmed) a moment ago, its PDFs (or its signed PDFs)
            # still being rendered by a worker: not the previous version
            # (superseded by this one), nor the unsigned copy, but a retry.
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = "application/json"
            return Response(
                {"detail": exc.message, "rule": exc.rule},
                status=status.HTTP_409_CONFLICT,
                headers={"Retry-After": str(PREPARING_RETRY_AFTER)},
            )
        services.minutes_download_record(
            user=request.user,
            kind=MinutesDownload.Kind.API,
            version=version,
            sha256=checksum,
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{version.pdf_name}"'
        response["X-Content-SHA256"] = checksum
        return response


class MinutesVersionsView(ListPagination, APIView):
    @extend_schema(
        summary="Versions of a meeting's minutes with checksums and deliveries",
        responses=VersionOutSerializer(many=True),
    )
    def get(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        context = selectors.minutes_page(meeting, request.user)
        versions = context["versions"]
        if not can_read_full_minutes(request.user, meeting):
            versions = [v for v in versions if v.frozen]
        return self.paginated(versions, VersionOutSerializer)

    @extend_schema(
        summary="Start drafting the minutes (or return the current version)",
        request=None,
        responses={201: VersionOutSerializer},
    )
    def post(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        if not can_approve_minutes(request.user, meeting):
            raise PermissionDenied(
                "Only the board's chair or secretary drafts minutes."
            )
        version = services.minutes_start(meeting=meeting, by=request.user)
        return Response(
            VersionOutSerializer(version).data, status=status.HTTP_201_CREATED
        )


def _action(service, *, serializer=None, created=False):
    class ActionView(APIView):
        @extend_schema(
            request=serializer,
            responses={201 if created else 200: VersionOutSerializer},
        )
        def post(self, request, pk):
            version = get_minutes_version_for_user(request.user, pk, manage=True)
            kwargs = {}
            if serializer is not None:
                data = serializer(data=request.data)
                data.is_valid(raise_exception=True)
                kwargs = data.validated_data
            result = service(version=version, by=request.user, **kwargs)
            return Response(
                VersionOutSerializer(result).data,
                status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            )

    ActionView.__name__ = f"Minutes{service.__name__.title().replace('_', '')}View"
    return ActionView.as_view()


class ConfirmAtMeetingView(APIView):
    @extend_schema(
        summary="Confirm the previous meeting's minutes as a true record: the "
        "decision of this meeting's item 'Minutes of the previous meeting'",
        description="Whoever chairs the meeting, while it is in progress, confirms "
        "and signs the previous meeting's circulated minutes (the secretary records "
        "it on the chair's written authority through "
        "`/meetings/{id}/chair-authority/`, act `minutes_confirmation`). 403 for "
        "others on the board; 409 with the rule that refuses otherwise. The signed "
        "PDFs are rendered by a worker after the answer: `signed_pdf_sha256` is "
        "empty until they are stored, and `minutes.pdf` answers 409 "
        "`minutes_pdf_preparing` meanwhile.",
        request=None,
        responses={200: VersionOutSerializer},
    )
    def post(self, request, pk):
        item = get_confirmation_item_for_user(request.user, pk)
        version = services.minutes_confirm_at_meeting(item=item, by=request.user)
        return Response(VersionOutSerializer(version).data)


urlpatterns = [
    path(
        "items/<int:pk>/confirm-minutes/",
        ConfirmAtMeetingView.as_view(),
        name="minutes-confirm-at-meeting",
    ),
    path("meetings/<int:pk>/minutes.pdf", MinutesPdfView.as_view(), name="minutes-pdf"),
    path(
        "meetings/<int:pk>/minutes/",
        MinutesVersionsView.as_view(),
        name="minutes-versions",
    ),
    path(
        "minutes/<int:pk>/approve/",
        _action(services.minutes_approve),
        name="minutes-approve",
    ),
    path(
        "minutes/<int:pk>/circulate/",
        _action(services.minutes_circulate),
        name="minutes-circulate",
    ),
    path(
        "minutes/<int:pk>/correct/",
        _action(services.minutes_correct, serializer=CorrectInSerializer, created=True),
        name="minutes-correct",
    ),
    path(
        "minutes/<int:pk>/confirm/",
        _action(services.minutes_confirm),
        name="minutes-confirm",
    ),
]
