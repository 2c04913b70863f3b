"""Decisions on a fund's money: redistribution between schemes, commitments beyond
the contributions, and agreed underspends returned to the contributing partner."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from boards.models import Partner
from governance.exceptions import RuleViolation

from .. import ring_fence
from ..models import (
    Contribution,
    FundDecision,
    FundingStream,
    PooledFund,
    Return,
    ReturnLine,
    ReturnStatus,
    Scheme,
)
from ..risk_share import SchemeContribution, SchemeForecast, underspend_owners


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
    partner: Partner | None = None,
    ret: Return | None = None,
    note: str = "",
) -> FundDecision:
    """Record a decision on money. Portsmouth PMG ToR 5.1.1-5.1.2: redistributing
    contributions between schemes within the aggregate, and commitments that
    exceed (or are likely to exceed) the contributions, need the board's authority:
    refused unless ``motion`` was carried at a meeting of a decision-making board of
    the fund's agreement (an advisory board's recommendation does not authorise),
    ``amount`` is within the motion's ``financial_value`` when it has one, and no
    other decision was recorded on the same motion (one motion, one decision).

    - A redistribution moves ``amount`` of approved budget from one scheme of the
      fund to another (the pooled total is unchanged); refused out of a ring-fenced
      stream (``ring_fence.py``, West Kent 3.1) and between localities (West Kent
      4.1: "no cross subsidy across CCG localities"). Lock: both Scheme rows.
    - A commitment drawing on a ring-fenced scheme (``from_scheme``) for another
      scheme (``to_scheme``) is refused the same way.
    - An underspend returned (Portsmouth cabinet report 7.2: "agreed underspends
      can ... be returned to the partner who made the contribution") names the
      approved return (``ret``), the underspent scheme (``from_scheme``) and the
      contributing ``partner``; ``amount`` is at most that partner's share of the
      scheme's underspend in that return, less what was already returned; never
      out of a ring-fenced stream."""
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
    elif kind == FundDecision.Kind.COMMITMENT:
        if from_scheme is not None:
            _check_ring_fence(fund, from_scheme, to_scheme)
    elif kind == FundDecision.Kind.UNDERSPEND_RETURN:
        _check_underspend_return(
            fund=fund, amount=amount, scheme=from_scheme, partner=partner, ret=ret
        )
    else:
        raise RuleViolation(f"Unknown kind of decision “{kind}”.", rule="decision_kind")
    return FundDecision.objects.create(
        fund=fund,
        kind=kind,
        amount=amount,
        from_scheme=from_scheme,
        to_scheme=to_scheme,
        partner=partner if kind == FundDecision.Kind.UNDERSPEND_RETURN else None,
        ret=ret if kind == FundDecision.Kind.UNDERSPEND_RETURN else None,
        motion=motion,
        note=note,
        recorded_by=user,
    )


def _check_ring_fence(fund, source: Scheme, target: Scheme | None) -> None:
    contributions = [
        ring_fence.StreamMoney(stream, fenced, ref, conditions)
        for stream, fenced, ref, conditions in Contribution.objects.filter(
            fund=fund
        ).values_list("stream", "ring_fenced", "scheme__reference", "conditions")
    ]
    refusal = ring_fence.refuse_move(
        source=ring_fence.SchemeStream(source.reference, source.stream),
        target=None
        if target is None
        else ring_fence.SchemeStream(target.reference, target.stream),
        contributions=contributions,
        stream_labels=dict(FundingStream.choices),
    )
    if refusal:
        raise RuleViolation(refusal, rule="ring_fenced")


def _check_underspend_return(*, fund, amount, scheme, partner, ret) -> None:
    if scheme is None or partner is None or ret is None:
        raise RuleViolation(
            "An underspend returned names the approved return, the scheme and the "
            "contributing partner.",
            rule="underspend_return_fields",
        )
    if ret.fund_id != fund.pk or scheme.fund_id != fund.pk:
        raise RuleViolation(
            "The return and the scheme must be this fund's.",
            rule="underspend_return_fields",
        )
    if ret.status != ReturnStatus.APPROVED:
        raise RuleViolation(
            "Only an approved return's underspend can be returned.",
            rule="underspend_return_unapproved",
        )
    _check_ring_fence(fund, scheme, None)
    line = ReturnLine.objects.filter(ret=ret, scheme=scheme).first()
    if line is None:
        raise RuleViolation(
            f"The return has no line for {scheme.reference}.",
            rule="underspend_return_fields",
        )
    given = Contribution.objects.filter(fund=fund, scheme=scheme).values_list(
        "partner_id", "amount"
    )
    owners = underspend_owners(
        SchemeForecast(
            scheme.reference, scheme.lead_partner_id, line.budget, line.forecast_outturn
        ),
        [SchemeContribution(scheme.reference, p, a) for p, a in given],
    )
    returned = FundDecision.objects.filter(
        kind=FundDecision.Kind.UNDERSPEND_RETURN,
        ret=ret,
        from_scheme=scheme,
        partner=partner,
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    available = owners.get(partner.pk, Decimal("0")) - returned
    if amount > available:
        raise RuleViolation(
            f"{partner} may have back at most £{max(available, Decimal(0)):,.2f} of "
            f"the underspend on {scheme.reference} in {ret.period_label} (its share "
            "as contributor, less what was already returned; Portsmouth cabinet "
            "report 7.2).",
            rule="underspend_return_exceeds_share",
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
    _check_ring_fence(fund, source, target)
    if source.locality != target.locality:
        raise RuleViolation(
            f"{source.reference} ({source.locality or 'whole area'}) and "
            f"{target.reference} ({target.locality or 'whole area'}) are in different "
            "localities: there is no cross-subsidy between localities (West Kent "
            "4.1).",
            rule="locality_cross_subsidy",
        )
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
