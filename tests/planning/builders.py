"""The duty most planning tests start from: PMG's annual risk assessment (Portsmouth
PMG ToR 2.1.5), due ``days`` from today unless a test says otherwise."""

import datetime

from django.utils import timezone

from planning.models import Obligation
from planning.services import obligations as services


def risk_assessment(board, *, days: int = 40, **fields) -> Obligation:
    values = {
        "title": "Annual risk assessment",
        "source": "Portsmouth PMG ToR 2.1.5",
        "quote": "review and agree annually a risk assessment",
        "kind": Obligation.Kind.DECISION,
        "frequency": "annually",
        "first_due": timezone.localdate() + datetime.timedelta(days=days),
        "first_due_source": "local practice (test)",
    }
    values.update(fields)
    return services.obligation_create(board=board, **values)
