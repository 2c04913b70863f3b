"""API plumbing shared by every app: errors never become a 500."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import RuleViolation

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
