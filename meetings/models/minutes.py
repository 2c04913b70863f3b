"""Minutes: versions, per-item narrative, deliveries to authorised officers, the
minutes deadline, downloads and long-running jobs (SPEC s.5).

A meeting's minutes are a series of versions. Only the newest version moves through
draft -> approved -> circulated -> confirmed; a circulated version never changes
again (its PDFs and checksums are stored), and a correction is a new version that
says what changed.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from boards.models import AuthorisedOfficer
from governance.workflow import Transition

from .meeting import AgendaItem, Meeting


class MinutesVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved for circulation"
        CIRCULATED = "circulated", "Circulated"
        CONFIRMED = "confirmed", "Confirmed as a true record"
        SUPERSEDED = "superseded", "Superseded by a correction"

    # Allowed state changes are data (``governance.workflow``; django-oscar's order
    # pipeline).
    TRANSITION_RULE = "minutes_workflow"
    TRANSITION_NOUN = "minutes version"
    TRANSITIONS = {
        "approve": Transition(
            {Status.DRAFT}, Status.APPROVED, "meetings.approve_minutes"
        ),
        "reopen": Transition(
            {Status.APPROVED}, Status.DRAFT, "meetings.approve_minutes"
        ),
        "circulate": Transition(
            {Status.APPROVED}, Status.CIRCULATED, "meetings.approve_minutes"
        ),
        "confirm": Transition(
            {Status.CIRCULATED}, Status.CONFIRMED, "meetings.approve_minutes"
        ),
        "supersede": Transition(
            {Status.CIRCULATED, Status.CONFIRMED},
            Status.SUPERSEDED,
            "meetings.approve_minutes",
        ),
    }
    FROZEN = {Status.CIRCULATED, Status.CONFIRMED, Status.SUPERSEDED}

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="minutes_versions"
    )
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    change_note = models.TextField(
        blank=True, help_text="For a correction: what changed from the version before."
    )
    summary = models.TextField(blank=True, help_text="Opening remarks, in the minutes.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_authority = models.ForeignKey(
        "meetings.ChairAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The chair's written authority the secretary approved the minutes "
        "on; empty when the chair approved them in person.",
    )
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recorded the confirmation: the chair, or the secretary on the "
        "chair's written authority.",
    )
    signed_by_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The chair who signed the minutes as a true record.",
    )
    confirmation_authority = models.ForeignKey(
        "meetings.ChairAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The chair's written authority, when the secretary recorded it.",
    )
    confirmed_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmation_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The item at the next meeting where the minutes are confirmed.",
    )
    # The shared version (no confidential items) is what officers receive; the full
    # version is for the board's members and auditors.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    full_pdf = models.BinaryField(null=True, blank=True, editable=False)
    full_pdf_sha256 = models.CharField(max_length=64, blank=True)
    # The confirmed version carries the chair's signature block: rendered once, at
    # confirmation, from the frozen record; the circulated PDFs above stay as sent.
    signed_pdf = models.BinaryField(null=True, blank=True, editable=False)
    signed_pdf_sha256 = models.CharField(max_length=64, blank=True)
    signed_full_pdf = models.BinaryField(null=True, blank=True, editable=False)
    signed_full_pdf_sha256 = models.CharField(max_length=64, blank=True)
    record = models.JSONField(
        default=dict,
        blank=True,
        help_text="The generated record, frozen at circulation.",
    )

    history = HistoricalRecords(
        excluded_fields=["pdf", "full_pdf", "signed_pdf", "signed_full_pdf"]
    )

    class Meta:
        ordering = ["meeting", "-number"]
        indexes = [
            # The auditors' page, newest circulation first (issue 17).
            models.Index(
                fields=["-circulated_at", "-id"], name="minutes_version_circulated"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="unique_minutes_version"
            )
        ]

    def __str__(self):
        return f"Minutes of {self.meeting}, version {self.number}"

    def get_absolute_url(self):
        return reverse("meetings:minutes", args=[self.meeting_id])

    @property
    def frozen(self) -> bool:
        return self.status in self.FROZEN

    @property
    def pdf_name(self) -> str:
        return (
            f"minutes-{self.meeting.board.label}-{self.meeting.starts_at:%Y-%m-%d}"
            f"-v{self.number}.pdf"
        ).replace(" ", "-")


class MinutesEntry(models.Model):
    """The secretary's narrative for one agenda item in one version."""

    version = models.ForeignKey(
        MinutesVersion, on_delete=models.PROTECT, related_name="entries"
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "item"], name="unique_minutes_entry"
            )
        ]

    def __str__(self):
        return f"{self.version}: {self.item}"


class Delivery(models.Model):
    """One minutes version (or record of decisions) sent to one authorised officer.
    The database forbids a second row for the same (version, officer, kind); the
    outbox row carries the time, message id, attempts and outcome."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", "Minutes"
        RECORD_OF_DECISIONS = "record", "Record of decisions (deadline fallback)"

    version = models.ForeignKey(
        MinutesVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MINUTES)
    officer = models.ForeignKey(
        AuthorisedOfficer, on_delete=models.PROTECT, related_name="deliveries"
    )
    email = models.EmailField()
    outbox = models.OneToOneField(
        "governance.OutboxMessage", on_delete=models.PROTECT, related_name="delivery"
    )
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "officer"],
                condition=models.Q(kind="minutes"),
                name="one_minutes_delivery_per_officer",
            ),
            models.UniqueConstraint(
                fields=["meeting", "officer"],
                condition=models.Q(kind="record"),
                name="one_record_delivery_per_officer",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email}"

    @property
    def outcome(self) -> str:
        return self.outbox.state

    @property
    def sent_at(self):
        return self.outbox.sent_at

    @property
    def message_id(self) -> str:
        return self.outbox.message_id

    @property
    def attempts(self) -> int:
        return self.outbox.attempts


class MinutesDeadline(models.Model):
    """Minutes of all decisions reach the authorised officers within the board's
    days (7: PMG, IFPG; 14: West Kent). A row per closed meeting, scanned by beat."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        SENT_ON_TIME = "sent_on_time", "Sent on time"
        SENT_LATE = "sent_late", "Sent late"
        OVERDUE = "overdue", "Overdue"

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes_deadline"
    )
    due_on = models.DateField()
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    fallback_sent_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.DUE)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # The deadlines page, newest first: its page read from the index
            # instead of sorting every deadline ever made (issue 17).
            models.Index(fields=["-due_on", "id"], name="minutes_deadline_newest"),
        ]

    def __str__(self):
        return f"Minutes of {self.meeting} due {self.due_on}"


class MinutesDownload(models.Model):
    """Who downloaded which minutes, when: the audit history of downloads."""

    class Kind(models.TextChoices):
        SHARED = "shared", "Circulated PDF"
        FULL = "full", "Full PDF (with confidential items)"
        DRAFT = "draft", "Draft PDF"
        RECORD = "record", "Record of decisions"
        EXPORT = "export", "Export archive"
        API = "api", "API download"

    version = models.ForeignKey(
        MinutesVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="downloads",
    )
    job = models.ForeignKey(
        "MinutesJob", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    sha256 = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} downloaded {self.get_kind_display()} at {self.at}"


class MinutesJob(models.Model):
    """Long work done by a worker (an agenda pack, an audit archive, a PDF rendered
    from a record); the page polls it. Claimed with ``filter(state=queued).update(state=running)``; while it runs
    the worker renews ``heartbeat_at``, and a running job whose heartbeat lapsed
    (its worker died) is claimed again."""

    class Kind(models.TextChoices):
        AGENDA_PACK = "agenda_pack", "Agenda pack"
        AUDIT_EXPORT = "audit_export", "Minutes archive"
        # Rendered once per content (params["key"]), served to every request after.
        RECORD_PDF = "record_pdf", "Record of decisions"
        DRAFT_PDF = "draft_pdf", "Draft minutes"
        # The PDFs of a version (params["version"]) missing from it, rendered from
        # its frozen record: the two circulated ones after circulation (then its
        # officers' mails released), the two signed ones after confirmation.
        CIRCULATED_PDFS = "circulated_pdfs", "Circulated minutes"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=15, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.BinaryField(null=True, blank=True, editable=False)
    result_name = models.CharField(max_length=200, blank=True)
    result_mimetype = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.progress / self.total) if self.total else 0
