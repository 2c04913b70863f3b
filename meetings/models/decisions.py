"""Motions, votes, written positions and escalations (SPEC s.4)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from boards.models import Board, ChairTerm, DecisionKind, Partner, Seat
from governance.workflow import Transition

from .meeting import AgendaItem


class MotionOutcome(models.TextChoices):
    """The closed set of outcomes (SPEC s.4; API contract words)."""

    CARRIED = "carried", "Carried"
    REFERRED = "referred", "Not unanimous: referred to the next meeting"
    ESCALATED_AUTHORISED_OFFICERS = (
        "escalated_authorised_officers",
        "Escalated to the authorised officers",
    )
    ESCALATED_DISPUTE_RESOLUTION = (
        "escalated_dispute_resolution",
        "Escalated to dispute resolution",
    )
    DEFERRED_DELEGATED_AUTHORITY = (
        "deferred_delegated_authority",
        "Deferred: a member lacks delegated authority",
    )
    DEFERRED_ABSENT_PARTNER = (
        "deferred_absent_partner",
        "Deferred: a committed partner is absent without a written position",
    )
    INQUORATE = "inquorate", "Not put: the meeting was inquorate"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Motion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Not yet put"
        OPEN = "open", "Open for votes"
        CLOSED = "closed", "Closed"

    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="motion"
    )
    text = models.TextField()
    financial_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    commits = models.ManyToManyField(Partner, related_name="+", blank=True)
    decision_kind = models.CharField(
        max_length=20,
        choices=DecisionKind.choices,
        default=DecisionKind.OTHER,
        help_text="What the motion decides; a board's terms may limit it (West Kent "
        "4.1).",
    )
    within_risk_share = models.BooleanField(
        default=False,
        help_text="The commitment is in accordance with the risk-sharing arrangements "
        "of the agreement (Leicestershire IFPG).",
    )
    consult_board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A board that must be consulted before the motion is put (IFPG → IE).",
    )
    consultation_recorded_at = models.DateTimeField(null=True, blank=True)
    consultation_note = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=40, choices=MotionOutcome.choices, blank=True, default=""
    )
    outcome_reasons = models.JSONField(default=list, blank=True)
    quorum_snapshot = models.JSONField(default=dict, blank=True)
    tally = models.JSONField(default=dict, blank=True)
    recommendation = models.BooleanField(
        default=False,
        help_text="Put to an advisory board: agreed by consensus of the members "
        "present and recorded as a recommendation, not a decision.",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referred_to_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[commits])

    def __str__(self):
        return self.text[:80]

    # Allowed state changes as data (``governance.workflow``): a motion is put,
    # then closed; a draft may also be withdrawn without being put. The permission is
    # checked on the motion's item (``available_actions(..., subject=item)``).
    TRANSITION_RULE = "motion_status"
    TRANSITION_NOUN = "motion"
    TRANSITIONS = {
        "put": Transition({Status.DRAFT}, Status.OPEN, "meetings.put_motion"),
        "close": Transition({Status.OPEN}, Status.CLOSED, "meetings.put_motion"),
        "withdraw": Transition(
            {Status.DRAFT, Status.OPEN}, Status.CLOSED, "meetings.put_motion"
        ),
        "edit": Transition({Status.DRAFT}, None, "meetings.put_motion"),
        "vote": Transition({Status.OPEN}, None, ""),
        "written_position": Transition({Status.DRAFT}, None, ""),
    }


class Vote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="votes")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_secretary = models.BooleanField(default=False)
    cast_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["motion", "seat"], name="one_vote_per_seat")
        ]

    def __str__(self):
        return f"{self.seat}: {self.choice}"


class WrittenPosition(models.Model):
    """A partner's prior written notification of its intended position on an item
    (Portsmouth PMG ToR 4.4, West Kent 3.4)."""

    class Position(models.TextChoices):
        SUPPORT = "support", "Support"
        OPPOSE = "oppose", "Oppose"
        ABSTAIN = "abstain", "Abstain"

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="written_positions"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=10, choices=Position.choices)
    text = models.TextField(blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "partner"], name="one_position_per_partner"
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.position}"


class Escalation(models.Model):
    """A motion not unanimous a second time, escalated along the board's path; stays
    open until recorded as resolved."""

    class Path(models.TextChoices):
        AUTHORISED_OFFICERS = "authorised_officers", "Authorised officers"
        DISPUTE_RESOLUTION = "dispute_resolution", "Dispute resolution procedure"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    motion = models.ForeignKey(
        Motion, on_delete=models.PROTECT, related_name="escalations"
    )
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="escalations"
    )
    path = models.CharField(max_length=20, choices=Path.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(blank=True)
    agreed = models.BooleanField(
        null=True, blank=True, help_text="Whether the escalation ended in agreement."
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_steps",
        help_text="The authorised officers' escalation this dispute follows (IFPG).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.motion} → {self.get_path_display()}"


class ChairElection(models.Model):
    """The election of a chair at a meeting (Leicestershire IFPG: "At the first
    meeting ... the members will elect from their number, by unanimous agreement, a
    Chairperson"). The term itself is the board's ``ChairTerm``; this records the
    meeting that elected it."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="chair_elections"
    )
    term = models.OneToOneField(
        ChairTerm, on_delete=models.PROTECT, related_name="election"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.term} (elected at {self.meeting})"
