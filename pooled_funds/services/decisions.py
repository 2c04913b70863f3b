"""Decisions on a fund's money (virements and other fund decisions). Re-exported by ``pooled_funds.services``."""

from decimal import Decimal

from django.db import transaction

from governance.exceptions import RuleViolation

from ..models import (
    FundDecision,
    PooledFund,
    Scheme,
)


@transaction.atomic
def fund_decision_record(
    *,
    fund: PooledFund,
    kind: str,
    amount: Decimal,
    motion,
    user,
    from_scheme: Scheme | None = None,
    to_scheme: Scheme | None = None,
    note: str = "",
) -> FundDecision:
    """Record a decision on money. Portsmouth PMG ToR 5.1.1-5.1.2: redistributing
    contributions between schemes within the aggregate, and commitments that
    exceed (or are likely to exceed) the contributions, need the board's authority:
    refused unless ``motion`` was carried at a meeting of a decision-making board of
    the fund's agreement (an advisory board's recommendation does not authorise),
    ``amount`` is within the motion's ``financial_value`` when it has one, and no
    other decision was recorded on the same motion (one motion, one decision). A redistribution moves ``amount`` of budget from one scheme of the
    fund to another (the pooled total is unchanged). Lock: both Scheme rows."""
    from meetings.models import MotionOutcome

    if motion is None:
        raise RuleViolation(
            "A decision on money needs a carried motion of the board.",
            rule="carried_motion_required",
        )
    board = motion.item.meeting.board
    if board.agreement_id != fund.agreement_id:
        raise RuleViolation(
            "The motion was not taken by a board of this fund's agreement.",
            rule="motion_board_mismatch",
        )
    if motion.outcome != MotionOutcome.CARRIED:
        raise RuleViolation(
            "The motion was not carried: the decision cannot be recorded.",
            rule="carried_motion_required",
        )
    if motion.recommendation or not board.decision_making:
        raise RuleViolation(
            "The motion was a recommendation of an advisory board: only a "
            "decision-making board can authorise a decision on money.",
            rule="advisory_motion",
        )
    if amount is None or amount <= 0:
        raise RuleViolation("The amount must be more than nil.", rule="amount_positive")
    if motion.financial_value is not None and amount > motion.financial_value:
        raise RuleViolation(
            f"The amount (£{amount:,.2f}) is more than the motion authorised "
            f"(£{motion.financial_value:,.2f}).",
            rule="amount_exceeds_motion",
        )
    if FundDecision.objects.filter(motion=motion).exists():
        raise RuleViolation(
            "A decision on money has already been recorded for this motion.",
            rule="motion_already_used",
        )
    if kind == FundDecision.Kind.REDISTRIBUTION:
        _redistribute(
            fund=fund, amount=amount, from_scheme=from_scheme, to_scheme=to_scheme
        )
    elif kind != FundDecision.Kind.COMMITMENT:
        raise RuleViolation(f"Unknown kind of decision “{kind}”.", rule="decision_kind")
    return FundDecision.objects.create(
        fund=fund,
        kind=kind,
        amount=amount,
        from_scheme=from_scheme,
        to_scheme=to_scheme,
        motion=motion,
        note=note,
        recorded_by=user,
    )


def _redistribute(*, fund, amount, from_scheme, to_scheme) -> None:
    if from_scheme is None or to_scheme is None or from_scheme.pk == to_scheme.pk:
        raise RuleViolation(
            "A redistribution names two different schemes of the fund.",
            rule="redistribution_schemes",
        )
    schemes = {
        s.pk: s
        for s in Scheme.objects.select_for_update().filter(
            fund=fund, pk__in=[from_scheme.pk, to_scheme.pk]
        )
    }
    if len(schemes) != 2:
        raise RuleViolation(
            "Both schemes must belong to this fund.", rule="redistribution_schemes"
        )
    source, target = schemes[from_scheme.pk], schemes[to_scheme.pk]
    if source.budget < amount:
        raise RuleViolation(
            f"{source.reference} has a budget of £{source.budget:,}: it cannot give "
            f"£{amount:,}.",
            rule="redistribution_exceeds_budget",
        )
    source.budget -= amount
    target.budget += amount
    source.save(update_fields=["budget"])
    target.save(update_fields=["budget"])
