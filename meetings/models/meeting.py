"""Meetings, agenda items, papers, guests, attendance, declarations and actions
(SPEC s.2)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards.models import Board, BusinessType, Seat
from governance.models import CacheVersioned
from governance.workflow import Transition

from .. import agenda_order


class Meeting(CacheVersioned):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinary"
        EXTRAORDINARY = "extraordinary", "Extraordinary"
        RECONVENED = "reconvened", "Reconvened (after an inquorate meeting)"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"
        INQUORATE = "inquorate", "Inquorate: to be reconvened"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.ORDINARY)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=250, blank=True)
    status = models.CharField(
        max_length=15, choices=Status.choices, default=Status.SCHEDULED
    )
    purpose = models.TextField(
        blank=True,
        help_text="For an extraordinary meeting: the matters to be discussed.",
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_called",
    )
    notice_given_at = models.DateTimeField(null=True, blank=True)
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    late_circulation_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The chair who authorised circulating the agenda after the deadline.",
    )
    late_circulation_authorised_at = models.DateTimeField(null=True, blank=True)
    reconvenes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconvened_by",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    start_reason = models.TextField(
        blank=True,
        help_text="Why the meeting was started on a day other than its scheduled "
        "day (recorded with the minutes).",
    )
    start_without_agenda_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whoever chairs, who authorised starting before the agenda was "
        "issued (or the secretary recording it on the chair's written authority).",
    )
    start_without_agenda_authorised_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    # Allowed state changes and what each state still allows, as data
    # (``governance.workflow``): the services apply them, templates and the API ask
    # ``available_actions`` which buttons to show. An action without a target
    # changes no status.
    TRANSITION_RULE = "meeting_status"
    TRANSITION_NOUN = "meeting"
    TRANSITIONS = {
        "publish": Transition({Status.SCHEDULED}, None, "meetings.run_meeting"),
        "start": Transition(
            {Status.SCHEDULED}, Status.IN_PROGRESS, "meetings.run_meeting"
        ),
        "close": Transition(
            {Status.IN_PROGRESS}, Status.CLOSED, "meetings.run_meeting"
        ),
        "inquorate": Transition(
            {Status.SCHEDULED, Status.IN_PROGRESS},
            Status.INQUORATE,
            "meetings.run_meeting",
        ),
        "cancel": Transition(
            {Status.SCHEDULED}, Status.CANCELLED, "meetings.run_meeting"
        ),
        "reconvene": Transition({Status.INQUORATE}, None, "meetings.run_meeting"),
        # Edits: the date and place before the meeting; the agenda, guests,
        # attendance and who chairs until it ends.
        "edit": Transition({Status.SCHEDULED}, None, "meetings.run_meeting"),
        "add_item": Transition(
            {Status.SCHEDULED, Status.IN_PROGRESS}, None, "meetings.run_meeting"
        ),
        "invite_guest": Transition(
            {Status.SCHEDULED, Status.IN_PROGRESS}, None, "meetings.run_meeting"
        ),
        "attendance": Transition(
            {Status.SCHEDULED, Status.IN_PROGRESS}, None, "meetings.run_meeting"
        ),
        "set_chair": Transition(
            {Status.SCHEDULED, Status.IN_PROGRESS}, None, "meetings.run_meeting"
        ),
        "send_apologies": Transition(
            {Status.SCHEDULED}, None, "meetings.send_apologies"
        ),
    }

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["board", "starts_at"])]

    def __str__(self):
        return f"{self.board.label} {timezone.localtime(self.starts_at):%d %b %Y}"

    def _held_or_planned(self):
        return Meeting.objects.filter(board_id=self.board_id).exclude(
            status=Meeting.Status.CANCELLED
        )

    def earlier_meetings(self):
        """The board's meetings before this one that were not cancelled, latest
        first."""
        return (
            self._held_or_planned()
            .filter(starts_at__lt=self.starts_at)
            .order_by("-starts_at")
        )

    def preceding(self) -> "Meeting | None":
        """The board's meeting before this one that was not cancelled: whose minutes
        this meeting confirms."""
        return self.earlier_meetings().first()

    def following(self) -> "Meeting | None":
        """The board's next meeting after this one that is not cancelled: where this
        meeting's minutes are confirmed."""
        return (
            self._held_or_planned()
            .filter(starts_at__gt=self.starts_at)
            .order_by("starts_at")
            .first()
        )

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        DECISION = "decision", "For decision"
        INFORMATION = "information", "For information"
        DISCUSSION = "discussion", "For discussion"

    class Standing(models.TextChoices):
        """The standing items every agenda gets, in order (meetings/agenda_order.py);
        "business" is every other item."""

        APOLOGIES = agenda_order.APOLOGIES, "Apologies"
        DECLARATIONS = agenda_order.DECLARATIONS, "Declarations of interest"
        PREVIOUS_MINUTES = (
            agenda_order.PREVIOUS_MINUTES,
            "Minutes of the previous meeting",
        )
        MATTERS_ARISING = agenda_order.MATTERS_ARISING, "Matters arising and action log"
        BUSINESS = agenda_order.BUSINESS, "Business"
        AOB = agenda_order.AOB, "Any other business"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    standing = models.CharField(
        max_length=20,
        choices=Standing.choices,
        default=Standing.BUSINESS,
        blank=True,
        help_text="A standing item (apologies, declarations, minutes of the previous "
        "meeting, matters arising, any other business), or business.",
    )
    title = models.CharField(max_length=300)
    business_type = models.CharField(
        max_length=30, choices=BusinessType.choices, default=BusinessType.ROUTINE
    )
    kind = models.CharField(
        max_length=15, choices=Kind.choices, default=Kind.INFORMATION
    )
    presenter = models.CharField(max_length=200, blank=True)
    confidential = models.BooleanField(
        default=False,
        help_text="Exempt: papers and minutes reach members, authorised officers and "
        "auditors only.",
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(n, f"Paragraph {n}") for n in range(1, 8)],
        help_text="The paragraph of Schedule 12A to the Local Government Act 1972 "
        "that exempts a confidential item (1-7).",
    )
    referred_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_forward_to",
        help_text="The item this one carries forward (referral or deferral).",
    )
    carried_forward_reason = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def exemption(self) -> str:
        """ "exempt under paragraph 3 of Schedule 12A to the Local Government Act
        1972", shown wherever the item is withheld."""
        if not self.confidential:
            return ""
        if self.exempt_paragraph is None:
            return "exempt (paragraph of Schedule 12A not recorded)"
        return (
            f"exempt under paragraph {self.exempt_paragraph} of Schedule 12A to the "
            "Local Government Act 1972"
        )


class Paper(models.Model):
    """A paper for an agenda item, stored privately and served only to people
    allowed to see the board (and, for a confidential item, only to members and
    auditors)."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="papers"
    )
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="papers/%Y/%m/")
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    late = models.BooleanField(default=False)
    late_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    late_authorised_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "uploaded_at", "id"]

    def __str__(self):
        return self.title


class Guest(models.Model):
    """A guest invited for specific items with the chair's prior agreement
    (Portsmouth PMG ToR 1.1)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="guests"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guest_invitations",
    )
    items = models.ManyToManyField(AgendaItem, related_name="guests")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[items])

    def __str__(self):
        return self.name


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        DEPUTY = "deputy", "Deputy attending"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attendance"
    )
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ABSENT
    )
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who sat in the seat: the holder, or the deputy.",
    )
    deputy_notified = models.BooleanField(
        default=False, help_text="The deputy was notified before the meeting."
    )
    deputy_notified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the member said their deputy will attend.",
    )
    arrived_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"], name="unique_attendance"
            )
        ]

    def __str__(self):
        return f"{self.seat}: {self.get_status_display()}"


class Declaration(models.Model):
    """A declaration of interest on an item; a member who withdrew cannot vote."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="declarations"
    )
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    interest = models.TextField()
    registered_interest = models.ForeignKey(
        "meetings.RegisteredInterest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
        help_text="The register entry this declaration was made from, if any.",
    )
    withdrew = models.BooleanField(default=False)
    declared_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.person} on {self.item}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="actions"
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:60]
