"""Publication: which boards publish their records, the search index over the
record, the text of papers, and residents' subscriptions to a board (issue 19).

Nothing here decides what a visitor may see: that is ``visibility.py``, applied when
a page, feed, export or search reads. The index holds text for every record, public
or not, so a signed-in member's search covers what they may read; what reaches a
visitor is filtered at read time by the record's current state (the board's
publication, the item's confidentiality, the agenda's issue, the minutes' status).
"""

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from simple_history.models import HistoricalRecords

from boards.models import Board
from meetings.models import AgendaItem, Meeting, MinutesVersion, Motion, Paper


class BoardPublication(models.Model):
    """Whether a board publishes its agendas, papers, minutes, decisions and
    attendance on the public pages, with the source of that rule: a clause of a
    document (Local Government Act 1972 Part VA for a council committee; a board's
    terms of reference) or local practice, with who decided it and when (SPEC s.1:
    every rule is data with the clause it comes from). A board without a row does
    not publish."""

    board = models.OneToOneField(
        Board, on_delete=models.PROTECT, related_name="publication"
    )
    published = models.BooleanField(default=False)
    source = models.CharField(
        max_length=250,
        blank=True,
        help_text='The document and paragraph, e.g. "PMG ToR 8.1"; blank for local '
        "practice.",
    )
    decided_by = models.CharField(
        max_length=200, blank=True, help_text="For local practice: who decided."
    )
    decided_on = models.DateField(
        null=True, blank=True, help_text="For local practice: when."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["board__name"]

    def __str__(self):
        state = "published" if self.published else "not published"
        return f"{self.board.label}: {state}"

    @property
    def source_text(self) -> str:
        if self.source:
            return self.source
        parts = ["local practice"]
        if self.decided_by:
            parts.append(f"decided by {self.decided_by}")
        if self.decided_on:
            parts.append(f"on {self.decided_on:%-d %B %Y}")
        return ", ".join(parts)


class PaperText(models.Model):
    """The text of a paper, extracted from its PDF after upload (pypdf) by a worker,
    so search covers what the papers say."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for extraction"
        DONE = "done", "Extracted"
        NO_TEXT = "no_text", "No text (not a PDF, or scanned images)"
        FAILED = "failed", "Could not be read"

    paper = models.OneToOneField(Paper, on_delete=models.PROTECT, related_name="text")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    text = models.TextField(blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"Text of {self.paper} ({self.get_state_display()})"


class SearchDocument(models.Model):
    """One searchable record: a meeting's notice, an agenda item, a decision, the
    minutes of an item (or a version's summary), or a paper. Rebuilt from its
    source whenever the source is saved (``services.index``); ``search_vector`` is
    kept on PostgreSQL only (weighted: title A, body B)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        ITEM = "item", "Agenda item"
        DECISION = "decision", "Decision"
        MINUTES = "minutes", "Minutes"
        PAPER = "paper", "Paper"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    minutes_version = models.ForeignKey(
        MinutesVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(max_length=400)
    body = models.TextField(blank=True)
    date = models.DateTimeField(help_text="The meeting's start; a decision's close.")
    outcome = models.CharField(max_length=40, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["board", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "meeting"],
                condition=models.Q(kind="meeting"),
                name="one_search_document_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["kind", "item"],
                condition=models.Q(kind__in=["item", "decision"]),
                name="one_search_document_per_item_kind",
            ),
            models.UniqueConstraint(
                fields=["paper"],
                condition=models.Q(kind="paper"),
                name="one_search_document_per_paper",
            ),
            models.UniqueConstraint(
                fields=["minutes_version", "item"],
                condition=models.Q(kind="minutes", item__isnull=False),
                name="one_search_document_per_minutes_entry",
            ),
            models.UniqueConstraint(
                fields=["minutes_version"],
                condition=models.Q(kind="minutes", item__isnull=True),
                name="one_search_document_per_minutes_summary",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


def _token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """A person following a board: a weekly digest of new agendas, minutes and
    decisions. A visitor's e-mail is confirmed by a link before anything is sent;
    a signed-in person's account e-mail needs no confirmation. Each digest carries
    a link that ends the subscription."""

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="subscriptions"
    )
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_subscriptions",
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    digest_from = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The next digest covers what was published since this moment.",
    )

    class Meta:
        ordering = ["board", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "email"], name="one_subscription_per_board_email"
            )
        ]

    def __str__(self):
        return f"{self.email} follows {self.board.label}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None


class Digest(models.Model):
    """One weekly digest sent to one subscriber: the window it covered and the
    outbox row that carries it. Unique per (subscription, window end), so a beat
    run repeated sends nothing twice."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="digests"
    )
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    entries = models.PositiveIntegerField(default=0)
    outbox = models.OneToOneField(
        "governance.OutboxMessage", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_end"], name="one_digest_per_period"
            )
        ]

    def __str__(self):
        return f"Digest to {self.subscription.email} to {self.period_end}"
