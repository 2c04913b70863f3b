"""Writes to the constitution (SPEC s.1, s.3), one module per concept: partners,
agreements (schedules, authorised officers), boards, seats, quorum rules,
terms of reference and chair terms. Import the module that defines a service. People
are written by ``governance.services.people`` (who may give which role is
``governance.grants``).

Every function takes keyword-only arguments and runs in a transaction. Invalid input
raises ``django.core.exceptions.ValidationError`` with a field dict (the API answers
400 with it, forms show it on the field); a rule of the terms that refuses an action
raises ``RuleViolation`` (409). Nothing is ever hard-deleted: partners, officers,
seats and boards are made inactive.
"""
