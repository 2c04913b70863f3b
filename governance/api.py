"""API plumbing shared by every app: errors never become a 500, and every write
documents its 409 answer with the rule codes (governance/rule_codes.py)."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import RuleViolation
from .rule_codes import RuleCode

log = logging.getLogger(__name__)


def exception_handler(exc, context):
    """400 with field messages, 403, 404, or 409 with the rule that refused."""
    if isinstance(exc, RuleViolation):
        return Response(
            {"detail": exc.message, "rule": exc.rule or type(exc).__name__},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        body = (
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {"non_field_errors": exc.messages}
        )
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        log.info("integrity error answered as 409: %s", exc)
        return Response(
            {"detail": "This conflicts with a record that already exists."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, PermissionDenied | Http404):
        return drf_exception_handler(exc, context)
    return drf_exception_handler(exc, context)


class RuleRefusalSerializer(serializers.Serializer):
    """The body of a 409: why, and which rule refused."""

    detail = serializers.CharField(help_text="Why, in the users' words.")
    rule = serializers.ChoiceField(
        choices=RuleCode.choices,
        required=False,
        help_text="The rule that refused. Absent only when the database refused a "
        "record that already exists.",
    )


RULE_REFUSAL = OpenApiResponse(
    response=RuleRefusalSerializer,
    description="A rule refused the action; `rule` names it (RuleCodeEnum).",
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the 409 answer on every write operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            responses.setdefault(
                "409", self._get_response_for_code(RULE_REFUSAL, "409", None, direction)
            )
        return responses


class PaginatedGetSchema(AutoSchema):
    """The schema of a view whose GET answers a page of a list and whose other
    methods answer a plain list (``PUT .../attendance/``): only GET is paginated."""

    def _get_paginator(self):
        return super()._get_paginator() if self.method == "GET" else None


class ListPagination:
    """For an ``APIView`` whose GET answers a list: the same pagination as the
    generic list views (``count``, ``next``, ``previous``, ``results``; ``limit``
    and ``offset``), so no list endpoint answers its whole history at once. The
    schema shows the page because the view has a ``pagination_class``."""

    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS
    schema = PaginatedGetSchema()

    def paginated(self, rows, serializer_class, **kwargs) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, self.request, view=self)
        return paginator.get_paginated_response(
            serializer_class(page, many=True, **kwargs).data
        )
