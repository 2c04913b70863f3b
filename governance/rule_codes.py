"""The rule codes: the ``rule`` of every refusal (``RuleViolation``, the API's 409).

One enum, documented in the OpenAPI schema (``RuleCodeEnum``, on every write
operation's 409 answer), so a partner's system can act on a refusal without parsing
its words. A service raising a code not listed here fails the tests
(tests/governance/test_rule_codes.py); add it here, with what it means.
"""

from django.db import models


class RuleCode(models.TextChoices):
    # Meetings: status, notice, agenda and papers (SPEC s.2)
    MEETING_STATUS = "meeting_status", "The meeting's status does not allow this"
    OPEN_MOTIONS = "open_motions", "A motion is still open for votes"
    QUORUM = "quorum", "The meeting is (or is not) quorate"
    EXTRAORDINARY_NOTICE = (
        "extraordinary_notice",
        "Too little notice for an extraordinary meeting",
    )
    EXTRAORDINARY_CALLED_BY_VOTING_MEMBER = (
        "extraordinary_called_by_voting_member",
        "Only a voting member calls an extraordinary meeting",
    )
    RECONVENE = "reconvene", "Only an inquorate meeting of the board is reconvened"
    RECONVENE_DEADLINE = (
        "reconvene_deadline",
        "An inquorate meeting is reconvened within a month",
    )
    AGENDA_EMPTY = "agenda_empty", "The agenda has no items"
    AGENDA_SUPPLEMENT_EMPTY = (
        "agenda_supplement_empty",
        "Nothing was added since the agenda was issued: no supplement to send",
    )
    PAPERS_DEADLINE = "papers_deadline", "Past (or not past) the papers deadline"
    DECISION_ITEM = "decision_item", "An item with a motion stays an item for decision"
    ATTENDANCE = "attendance", "The attendance recorded does not allow this"
    BEFORE_MEETING = "before_meeting", "Only before the meeting starts"
    MEETING_DAY = (
        "meeting_day",
        "A meeting starts on its day, or with the reason recorded",
    )
    AGENDA_NOT_ISSUED = (
        "agenda_not_issued",
        "The agenda is not issued and the chair has not authorised starting without it",
    )
    DEPUTY = "deputy", "The seat has no deputy"
    # Decisions: motions, votes, positions, escalations, chairs (SPEC s.4)
    MOTION_STATUS = "motion_status", "The motion's status does not allow this"
    MOTION_NOT_OPEN = "motion_not_open", "The motion has not been put to the vote"
    MOTION_CLOSED = "motion_closed", "Voting on the motion has closed"
    PRIOR_CONSULTATION = (
        "prior_consultation",
        "Prior consultation with another board is not recorded",
    )
    VOTE_CHOICE = "vote_choice", "A vote is for, against or abstain"
    SEAT_NOT_ON_BOARD = "seat_not_on_board", "The seat is not on the meeting's board"
    NOT_YOUR_SEAT = "not_your_seat", "A member votes for their own seat only"
    NON_VOTING_SEAT = "non_voting_seat", "Non-voting seats cannot vote"
    WITHDREW_FOR_INTEREST = (
        "withdrew_for_interest",
        "The member withdrew from the item for a declared interest",
    )
    GUEST_CANNOT_VOTE = "guest_cannot_vote", "Guests cannot vote"
    HOLDER_REPLACED_BY_DEPUTY = (
        "holder_replaced_by_deputy",
        "The deputy attends in the holder's place and votes",
    )
    HOLDER_PRESENT = "holder_present", "A deputy votes only for an absent holder"
    DEPUTY_NOT_NOTIFIED = (
        "deputy_not_notified",
        "A deputy not notified before the meeting cannot vote",
    )
    SEAT_NOT_REPRESENTED = (
        "seat_not_represented",
        "Neither the holder nor a notified deputy is recorded as attending",
    )
    NOT_DECISION = "not_decision", "Written positions are given on items for decision"
    POSITION_CHOICE = "position_choice", "A position is support, oppose or abstain"
    NOT_A_PARTNER = "not_a_partner", "Not a partner of the board"
    POSITION_AFTER_START = (
        "position_after_start",
        "A written position is given before the meeting starts",
    )
    ESCALATION_STATUS = "escalation_status", "The escalation is already resolved"
    ESCALATION_RESOLUTION = "escalation_resolution", "Say how it was resolved"
    CHAIR_ARRANGEMENT = "chair_arrangement", "The board's chair is not elected"
    CHAIR_FROM_MEMBERS = (
        "chair_from_members",
        "The chair is elected from the voting members",
    )
    CHAIR_UNANIMOUS = "chair_unanimous", "The chair is elected unanimously"
    CHAIR_ELECTION_NOT_DUE = "chair_election_not_due", "No chair election is due"
    # Members' records: the standing register of interests (issue 18)
    INTEREST_ENDED = "interest_ended", "The registered interest has already ended"
    INTEREST_NOT_CURRENT = (
        "interest_not_current",
        "The registered interest is not current at the meeting",
    )
    INTEREST_DECLARED = (
        "interest_declared",
        "The interest is already declared on the item",
    )
    # Who chairs a meeting and chair-only acts (SPEC s.1)
    CHAIR_NOT_REPRESENTED = (
        "chair_not_represented",
        "The seat is not represented at the meeting, so cannot chair it",
    )
    CHAIR_NOT_ALLOWED = (
        "chair_not_allowed",
        "Neither the chair's nor an alternate chair's seat, and the board's terms "
        "allow no deputising chair",
    )
    CHAIR_AUTHORITY_REQUIRED = (
        "chair_authority_required",
        "Done by whoever chairs, or recorded on the chair's written authority",
    )
    DECISION_SCOPE = (
        "decision_scope",
        "Outside what the board's terms allow it to decide",
    )
    # Minutes (SPEC s.5)
    MINUTES = "minutes", "The item is not on the meeting's agenda"
    MINUTES_WORKFLOW = "minutes_workflow", "The minutes' status does not allow this"
    MINUTES_IMMUTABLE = "minutes_immutable", "Only a draft is edited"
    MINUTES_MEETING = "minutes_meeting", "The meeting does not allow minutes yet"
    MINUTES_CHANGE_NOTE = "minutes_change_note", "Say what the correction changes"
    MINUTES_CONFIRM_NEXT_MEETING = (
        "minutes_confirm_next_meeting",
        "Minutes are confirmed during the next meeting, while it is in progress",
    )
    MINUTES_CONFIRMED_AT_STANDING_ITEM = (
        "minutes_confirmed_at_standing_item",
        "Minutes are confirmed only as the decision of the next meeting's item "
        "'Minutes of the previous meeting', not directly",
    )
    MINUTES_CONFIRMATION_ITEM = (
        "minutes_confirmation_item",
        "Only the item 'Minutes of the previous meeting' confirms minutes",
    )
    MINUTES_NOT_CIRCULATED = (
        "minutes_not_circulated",
        "The previous meeting has no circulated minutes to confirm",
    )
    MINUTES_PDF_PREPARING = (
        "minutes_pdf_preparing",
        "The circulated minutes' PDFs are still being rendered: try again shortly "
        "(Retry-After)",
    )
    # Pooled funds (SPEC s.6)
    RETURN_TRANSITION = "return_transition", "The return's status does not allow this"
    RETURN_LOCKED = "return_locked", "The return is locked"
    RETURN_EMPTY = "return_empty", "The return has no lines"
    ACTION_PLAN_REQUIRED = (
        "action_plan_required",
        "Each scheme forecasting an overspend needs an action plan",
    )
    APPROVE_OWN_RETURN = "approve_own_return", "Someone else approves the return"
    REASON_REQUIRED = "reason_required", "Give the reasons for sending it back"
    METRIC_PERIOD = "metric_period", "Not a period of the fund's year"
    CARRIED_MOTION_REQUIRED = (
        "carried_motion_required",
        "A decision on money needs a carried motion of the board",
    )
    MOTION_BOARD_MISMATCH = (
        "motion_board_mismatch",
        "The motion was not taken by a board of the fund's agreement",
    )
    ADVISORY_MOTION = (
        "advisory_motion",
        "An advisory board's recommendation does not authorise money",
    )
    AMOUNT_POSITIVE = "amount_positive", "The amount must be more than nil"
    AMOUNT_EXCEEDS_MOTION = (
        "amount_exceeds_motion",
        "The amount is more than the motion authorised",
    )
    MOTION_ALREADY_USED = (
        "motion_already_used",
        "A decision on money is already recorded for the motion",
    )
    DECISION_KIND = "decision_kind", "Unknown kind of decision on money"
    REDISTRIBUTION_SCHEMES = (
        "redistribution_schemes",
        "A redistribution names two different schemes of the fund",
    )
    REDISTRIBUTION_EXCEEDS_BUDGET = (
        "redistribution_exceeds_budget",
        "The scheme's budget cannot give that much",
    )
    RING_FENCED = "ring_fenced", "Ring-fenced money is not moved (West Kent 3.1)"
    LOCALITY_CROSS_SUBSIDY = (
        "locality_cross_subsidy",
        "Money is not redistributed between localities",
    )
    UNDERSPEND_RETURN_FIELDS = (
        "underspend_return_fields",
        "An underspend returned names the partner and the period",
    )
    UNDERSPEND_RETURN_UNAPPROVED = (
        "underspend_return_unapproved",
        "An underspend is returned from an approved return only",
    )
    UNDERSPEND_RETURN_EXCEEDS_SHARE = (
        "underspend_return_exceeds_share",
        "More than the partner's share of the underspend",
    )
    SCHEME_MISSING = "scheme_missing", "An active scheme has no line in the return"
    DIFFERENCE_UNEXPLAINED = (
        "difference_unexplained",
        "A difference from the pooled total needs an explanation",
    )
    # Pooled fund set-up
    PARTNER_NOT_IN_AGREEMENT = (
        "partner_not_in_agreement",
        "The partner is not a partner of the fund's agreement",
    )
    BOARD_NOT_IN_AGREEMENT = (
        "board_not_in_agreement",
        "The board does not belong to the fund's agreement",
    )
    FUND_HAS_RETURNS = (
        "fund_has_returns",
        "Once returns exist, this is changed by a decision of the board",
    )
    BUDGET_BY_DECISION = (
        "budget_by_decision",
        "Once returns exist, an approved budget changes only by a decision",
    )
    SCHEME_NOT_IN_FUND = "scheme_not_in_fund", "The scheme is not one of the fund's"
    METRIC_NOT_IN_FUND = "metric_not_in_fund", "The metric is not one of the fund's"
    DUPLICATE = "duplicate", "That would duplicate an existing record"
    # People (SPEC s.7)
    MERGED = "merged", "The person's record was merged into another"
    MERGE_CONFLICT = (
        "merge_conflict",
        "The merge would leave one person in two places on a seat",
    )
    # Obligations and forward plans (issue 18)
    FORWARD_PLAN = (
        "forward_plan",
        "The proposal is no longer in the forward plan, or its meeting is not "
        "scheduled",
    )
    OBLIGATION_EVIDENCE = (
        "obligation_evidence",
        "The product records this duty itself: no evidence is entered by hand",
    )
