"""Domain errors shared by every app.

A service refuses an action by raising ``RuleViolation`` with the reason in the
users' words; views show it as a message, the API answers 409 with it.
"""


class RuleViolation(Exception):
    """A rule of the terms of reference refuses the action (HTTP 409)."""

    def __init__(self, message: str, *, rule: str = ""):
        super().__init__(message)
        self.message = message
        self.rule = rule


class InvalidTransition(RuleViolation):
    """A state change that the entity's transition map does not allow."""
