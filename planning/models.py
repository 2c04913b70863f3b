"""What a board owes and when (issue 18): its duties from the documents, each with
the clause it comes from, the evidence that discharged them, and the forward plan's
proposals accepted onto agendas. Due dates and statuses are never stored: they are
computed by ``planning/due.py`` from the records here."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from boards.models import Board, BusinessType
from meetings.models import AgendaItem


class Frequency(models.TextChoices):
    EACH_MEETING = "each_meeting", "At every meeting"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"
    THREE_YEARLY = "three_yearly", "Every three years"


class Cycle(models.TextChoices):
    FROM_LAST = "from_last", "A set time after it was last done"
    FIXED = "fixed", "On fixed dates from the first due date"


class Obligation(models.Model):
    """A recurring duty of a board, quoted from the document that imposes it."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Reviewed and agreed by the board (a decision)"
        REVIEW = "review", "Reviewed by the board (an item on its agenda)"
        RECEIVE_REPORT = "receive_report", "A report the board receives"
        SUBMIT_REPORT = "submit_report", "A report the board sends to another body"
        MINUTES = "minutes", "Recorded in the minutes of every meeting"
        FORWARD_PLAN = "forward_plan", "Kept in this product's forward plan"
        TERMS_REVIEW = "terms_review", "Terms of reference reviewed"

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="obligations"
    )
    title = models.CharField(max_length=250)
    source = models.CharField(
        max_length=200,
        help_text='The document and clause, e.g. "Portsmouth PMG ToR 2.1.5".',
    )
    quote = models.TextField(blank=True, help_text="The document's own words.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DECISION)
    frequency = models.CharField(max_length=15, choices=Frequency.choices)
    frequency_source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Blank when the document states the frequency; else where it "
        'comes from, e.g. "local practice (demo)".',
    )
    cycle = models.CharField(
        max_length=10, choices=Cycle.choices, default=Cycle.FROM_LAST
    )
    first_due = models.DateField(
        null=True,
        blank=True,
        help_text="When it first falls due (not for duties of every meeting or the "
        "terms of reference, whose dates come from the record).",
    )
    first_due_source = models.CharField(
        max_length=200,
        blank=True,
        help_text='Where the first due date comes from, e.g. "local practice (demo)".',
    )
    owner = models.CharField(
        max_length=200, blank=True, help_text="The post responsible."
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations_owned",
    )
    reports_to = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations_reported_to",
        help_text="The body a report goes to (its forward plan expects it).",
    )
    business_type = models.CharField(
        max_length=30, choices=BusinessType.choices, default=BusinessType.ROUTINE
    )
    motion_text = models.TextField(
        blank=True,
        help_text="For a duty the board agrees: the motion its agenda item carries.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "order", "id"]

    def __str__(self):
        return f"{self.board.label}: {self.title}"

    def get_absolute_url(self):
        return reverse("planning:obligations", args=[self.board_id]) + f"#o-{self.pk}"

    @property
    def dated(self) -> bool:
        """Whether the duty has its own due dates (not every meeting, the forward
        plan or the terms of reference)."""
        return (
            self.kind
            not in (
                self.Kind.MINUTES,
                self.Kind.FORWARD_PLAN,
                self.Kind.TERMS_REVIEW,
            )
            and self.frequency != Frequency.EACH_MEETING
        )


class ObligationEvidence(models.Model):
    """What discharged one occurrence of a duty, recorded by a secretary: a report
    sent, a paper on an agenda, a decision, or another record. (Items accepted from
    the forward plan and held discharge it without a record here.)"""

    class Kind(models.TextChoices):
        REPORT_SENT = "report_sent", "A report sent"
        AGENDA_ITEM = "agenda_item", "A paper on an agenda"
        DECISION = "decision", "A decision"
        RECORD = "record", "Another record"

    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    due_on = models.DateField(
        null=True, blank=True, help_text="The occurrence this discharges."
    )
    done_on = models.DateField()
    description = models.TextField()
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["obligation", "-done_on", "-id"]

    def __str__(self):
        return f"{self.obligation}: {self.get_kind_display()} on {self.done_on}"


class PlannedItem(models.Model):
    """A forward plan proposal the secretary accepted onto an agenda: the item it
    made, and the duty and occurrence it answers (if any). Once the meeting is held
    (and, for a duty the board agrees, the motion carried) it discharges the duty."""

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="planned_items"
    )
    key = models.CharField(max_length=120)
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="planned"
    )
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_items",
    )
    due_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "key"], name="unique_planned_proposal"
            )
        ]

    def __str__(self):
        return f"{self.key} on {self.agenda_item}"
