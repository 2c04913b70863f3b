"""Who chairs each meeting, and what the chair authorised in writing (SPEC s.1).

"Who chairs this meeting is recorded per meeting: the designated chair, an alternate
chair, or, where the board's terms allow it, a deputising chair" ("Deputising, in the
case of absence of the designated Chair, can be provided from either organisation",
Leicestershire JCG 7). What only the chair may do is done by whoever chairs, or
recorded by the secretary "on the chair's written authority" with the evidence.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from boards.models import Seat

from .meeting import Guest, Meeting, Paper


class MeetingChair(models.Model):
    class Capacity(models.TextChoices):
        DESIGNATED = "designated", "Designated chair"
        ALTERNATE = "alternate", "Alternate chair"
        DEPUTISING = "deputising", "Deputising chair"

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="chairing"
    )
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetings_chaired",
        help_text="Who sat in the seat and chaired: its holder, or its deputy.",
    )
    capacity = models.CharField(max_length=12, choices=Capacity.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.person} chairs {self.meeting} ({self.get_capacity_display()})"


class ChairAuthority(models.Model):
    """A chair-only act the secretary recorded on the chair's written authority,
    with the evidence (an e-mail) kept with it."""

    class Act(models.TextChoices):
        LATE_CIRCULATION = "late_circulation", "Late circulation of the agenda"
        LATE_PAPER = "late_paper", "A late paper"
        GUEST = "guest", "A guest"
        MINUTES_APPROVAL = "minutes_approval", "Approval of the minutes"
        MINUTES_CONFIRMATION = (
            "minutes_confirmation",
            "Confirming the previous minutes as a true record",
        )
        START_WITHOUT_AGENDA = (
            "start_without_agenda",
            "Starting the meeting before its agenda is issued",
        )

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="chair_authorities"
    )
    act = models.CharField(max_length=20, choices=Act.choices)
    paper = models.ForeignKey(
        Paper, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(
        Guest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_version = models.ForeignKey(
        "meetings.MinutesVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair_name = models.CharField(
        max_length=200, help_text="The chair who gave the written authority."
    )
    evidence = models.FileField(upload_to="chair-authority/%Y/%m/")
    evidence_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self):
        return (
            f"{self.get_act_display()} on {self.chair_name}'s written authority "
            f"({self.meeting})"
        )
