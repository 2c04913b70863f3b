"""Writes to the constitution: the only place its state changes (SPEC s.1, s.3).

Every function takes keyword-only arguments and runs in a transaction. Invalid input
raises ``django.core.exceptions.ValidationError`` with a field dict (the API answers
400 with it, forms show it on the field); a rule of the terms that refuses an action
raises ``RuleViolation`` (409). Nothing is ever hard-deleted: partners, officers,
seats and boards are made inactive.
"""

from .boards import (
    BOARD_FIELDS,
    SEAT_FIELDS,
    _check_reports_to,
    _only_chair,
    _validate_seat,
    board_create,
    board_update,
    seat_create,
    seat_deactivate,
    seat_deputy_notify,
    seat_update,
)
from .partners import (
    agreement_create,
    authorised_officer_add,
    authorised_officer_deactivate,
    partner_create,
    partner_update,
    person_create,
    schedule_add,
)
from .quorum_terms import (
    QUORUM_FIELDS,
    _clean_minimums,
    _validate_minimums,
    chair_term_start,
    quorum_rule_create,
    quorum_rule_update,
    terms_add,
    tor_review_reminders_send,
)

__all__ = [
    "partner_create",
    "partner_update",
    "person_create",
    "agreement_create",
    "schedule_add",
    "authorised_officer_add",
    "authorised_officer_deactivate",
    "BOARD_FIELDS",
    "_check_reports_to",
    "board_create",
    "board_update",
    "_validate_seat",
    "_only_chair",
    "seat_create",
    "SEAT_FIELDS",
    "seat_update",
    "seat_deputy_notify",
    "seat_deactivate",
    "QUORUM_FIELDS",
    "_validate_minimums",
    "_clean_minimums",
    "quorum_rule_create",
    "quorum_rule_update",
    "terms_add",
    "tor_review_reminders_send",
    "chair_term_start",
]
