"""Domain errors shared by every app.

A service refuses an action by raising ``RuleViolation`` with the reason in the
users' words (or Django's ``ValidationError`` for bad values); views show it as a
message (``refusal_text``), the API answers 409 with it.
"""

from django.core.exceptions import ValidationError


class RuleViolation(Exception):
    """A rule of the terms of reference refuses the action (HTTP 409)."""

    def __init__(self, message: str, *, rule: str = ""):
        super().__init__(message)
        self.message = message
        self.rule = rule


class InvalidTransition(RuleViolation):
    """A state change that the entity's transition map does not allow."""


def refusal_messages(exc: Exception) -> list[str]:
    """A service's refusal in the users' words: each message of a
    ``ValidationError``, the reason of a ``RuleViolation``."""
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    if isinstance(exc, RuleViolation):
        return [exc.message]
    return [str(exc)]


def refusal_text(exc: Exception) -> str:
    """``refusal_messages`` as one sentence for a page's message."""
    return " ".join(refusal_messages(exc))
