"""Agenda distribution: each issue of a meeting's agenda (the agenda itself, then any
supplement with papers added after it) and one row per member or deputy it was
mailed to, with the outbox message that carries the sent time."""

from django.conf import settings
from django.db import models

from .meeting import Meeting


class AgendaIssue(models.Model):
    """One issue of the agenda: number 1 is the agenda and papers, 2 onwards are
    supplements. ``papers`` and ``items`` list what the issue made available, so a
    supplement carries only what is new since the previous issues."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", "Agenda and papers"
        SUPPLEMENT = "supplement", "Supplement"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="agenda_issues"
    )
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    papers = models.JSONField(default=list, blank=True)
    items = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="one_agenda_issue_per_number"
            )
        ]

    def __str__(self):
        if self.kind == self.Kind.AGENDA:
            return f"Agenda of {self.meeting}"
        return f"Supplement {self.number - 1} to the agenda of {self.meeting}"


class AgendaDistribution(models.Model):
    """One issue mailed to one member or deputy. The database forbids a second row
    for the same (issue, person); the outbox row carries the sent time, attempts and
    outcome, and survives a worker crash."""

    issue = models.ForeignKey(
        AgendaIssue, on_delete=models.PROTECT, related_name="distributions"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField()
    outbox = models.OneToOneField(
        "governance.OutboxMessage",
        on_delete=models.PROTECT,
        related_name="agenda_distribution",
    )
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issue", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "person"], name="one_agenda_distribution_per_person"
            )
        ]

    def __str__(self):
        return f"{self.issue} to {self.email}"

    @property
    def sent_at(self):
        return self.outbox.sent_at
