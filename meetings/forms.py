"""Forms for meetings, agenda items, papers, guests, interests and actions. They
validate input only; the rules live in the services."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone

from boards.models import Board, BusinessType, Partner, Seat

from . import scheduling
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    MotionOutcome,
    WrittenPosition,
)


def aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A UK local date and time as an aware datetime (Europe/London)."""
    return timezone.make_aware(
        datetime.datetime.combine(day, time), timezone.get_default_timezone()
    )


class _Crispy(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


def _date_input():
    """An HTML date input: its value must be ISO (2026-12-01), whatever the
    locale's display format, or the browser shows it empty."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _MeetingDate(_Crispy):
    """The date, time and the two answers the scheduling rules may ask for
    (``meetings.scheduling``): a past date is accepted only when recording a meeting
    already held; a passed papers deadline is confirmed by the secretary."""

    date = forms.DateField(widget=_date_input())
    time = forms.TimeField(widget=_time_input(), initial=datetime.time(14, 0))
    recording_past = forms.BooleanField(
        required=False,
        label="Recording a past meeting",
        help_text="Tick only to record a meeting already held.",
    )
    confirm_deadlines = forms.BooleanField(
        required=False,
        label="Schedule it even though the papers deadline has passed",
        help_text="The agenda will then need the chair's authorisation for late "
        "circulation.",
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        problem = scheduling.meeting_date_problem(
            day,
            today=timezone.localdate(),
            recording_past=bool(self.data.get(self.add_prefix("recording_past"))),
        )
        if problem and self._date_changed(day):
            raise forms.ValidationError(problem)
        return day

    def _date_changed(self, day) -> bool:
        return True

    @property
    def starts_at(self) -> datetime.datetime:
        return aware(self.cleaned_data["date"], self.cleaned_data["time"])


class MeetingForm(_MeetingDate):
    submit_label = "Schedule the meeting"
    field_order = [
        "board",
        "kind",
        "date",
        "time",
        "location",
        "purpose",
        "reconvenes",
        "recording_past",
        "confirm_deadlines",
    ]

    board = forms.ModelChoiceField(queryset=Board.objects.none())
    kind = forms.ChoiceField(
        choices=[
            (Meeting.Kind.ORDINARY, "Ordinary"),
            (Meeting.Kind.EXTRAORDINARY, "Extraordinary (called by a voting member)"),
            (Meeting.Kind.RECONVENED, "Reconvened (after an inquorate meeting)"),
        ]
    )
    location = forms.CharField(max_length=250, required=False)
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="For an extraordinary meeting: the matters to be discussed.",
    )
    reconvenes = forms.ModelChoiceField(
        queryset=Meeting.objects.filter(status=Meeting.Status.INQUORATE),
        required=False,
        help_text="For a reconvened meeting: the inquorate meeting it reconvenes.",
    )

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = (
            boards if boards is not None else Board.objects.none()
        )

    @property
    def starts_at(self) -> datetime.datetime:
        return aware(self.cleaned_data["date"], self.cleaned_data["time"])


class MeetingEditForm(_MeetingDate):
    """Move the meeting or change its place; the date is checked only when it
    changes."""

    submit_label = "Save and tell the members"
    field_order = [
        "date",
        "time",
        "location",
        "purpose",
        "recording_past",
        "confirm_deadlines",
    ]
    location = forms.CharField(max_length=250, required=False)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, current_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_date = current_date

    def _date_changed(self, day) -> bool:
        return day != self.current_date


class MeetingCancelForm(_Crispy):
    submit_label = "Cancel the meeting and tell the members"

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Sent to the members and deputies with the notice of cancellation.",
    )


class MeetingStartForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason for starting on another day",
        help_text="Recorded with the minutes.",
    )


# Part 1 of Schedule 12A to the Local Government Act 1972: the descriptions of
# exempt information, in short, so the secretary picks the paragraph by its subject.
SCHEDULE_12A = {
    1: "information relating to any individual",
    2: "information likely to reveal the identity of an individual",
    3: "the financial or business affairs of any particular person (including "
    "the authority)",
    4: "consultations or negotiations on a labour relations matter",
    5: "information subject to legal professional privilege",
    6: "a proposed notice, order or direction under an enactment",
    7: "the prevention, investigation or prosecution of crime",
}


class ItemForm(_Crispy):
    submit_label = "Save the item"

    title = forms.CharField(max_length=300)
    business_type = forms.ChoiceField(
        choices=BusinessType.choices,
        label="Kind of business",
        help_text="Quorum rules may differ by kind of business.",
    )
    kind = forms.ChoiceField(choices=AgendaItem.Kind.choices, label="For")
    presenter = forms.CharField(max_length=200, required=False)
    confidential = forms.BooleanField(
        required=False,
        label="Confidential (exempt)",
        help_text="Papers reach only the board's members and auditors; never guests.",
    )
    exempt_paragraph = forms.TypedChoiceField(
        choices=[("", "Not exempt")]
        + [(n, f"Paragraph {n}: {what}") for n, what in SCHEDULE_12A.items()],
        coerce=int,
        empty_value=None,
        required=False,
        label="Paragraph of Schedule 12A",
        help_text="For a confidential item: the paragraph of Schedule 12A to the Local "
        "Government Act 1972 that exempts it (shown wherever the item is withheld).",
    )
    motion_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Motion",
        help_text="For a decision item: the motion put to the vote.",
    )
    financial_value = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        label="Financial value (£)",
    )
    commits = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Partners the motion commits",
        help_text="Leave all unticked to commit every partner of the board.",
    )

    def __init__(self, *args, board=None, with_motion=True, **kwargs):
        super().__init__(*args, **kwargs)
        if board is not None:
            self.fields["commits"].queryset = board.partners.all()
        if not with_motion:
            for name in ("motion_text", "financial_value", "commits"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") == AgendaItem.Kind.DECISION
            and "motion_text" in self.fields
        ):
            if not (data.get("motion_text") or "").strip():
                self.add_error("motion_text", "An item for decision needs a motion.")
        return data


class PaperForm(_Crispy):
    submit_label = "Upload the paper"

    title = forms.CharField(
        max_length=300, required=False, help_text="Blank: the file name."
    )
    file = forms.FileField(
        help_text="PDF, Word or Excel, at most "
        f"{settings.PAPER_MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.doc,.xlsx,.xls"}),
    )


class GuestForm(_Crispy):
    submit_label = "Invite the guest"

    name = forms.CharField(max_length=200)
    email = forms.EmailField(
        required=False,
        help_text="A guest with a login under this address reads their items' papers.",
    )
    items = forms.ModelMultipleChoiceField(
        queryset=AgendaItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Items the guest attends for",
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["items"].queryset = meeting.items.order_by("order", "id")


class AttendanceForm(forms.Form):
    """One seat's row on the meeting page: status, arrival and departure (UK
    time of day on the day the meeting is held: ``attendance_moment``)."""

    status = forms.ChoiceField(choices=Attendance.Status.choices)
    arrived = forms.TimeField(required=False)
    left = forms.TimeField(required=False)


class DeclarationForm(forms.Form):
    seat = forms.IntegerField()
    interest = forms.CharField(max_length=2000)
    withdrew = forms.BooleanField(required=False)


class ActionForm(forms.Form):
    description = forms.CharField(max_length=2000)
    owner = forms.IntegerField(required=False)
    owner_name = forms.CharField(max_length=200, required=False)
    due_on = forms.DateField(required=False)
    item = forms.IntegerField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not (data.get("owner_name") or "").strip():
            self.add_error("owner_name", "Name who owns the action.")
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)


class NotesForm(forms.Form):
    notes = forms.CharField(required=False, max_length=20000)


class LogFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        required=False, choices=[("", "Any outcome"), *MotionOutcome.choices]
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(required=False, label="Search motion or item", max_length=200)


class PositionForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none())
    position = forms.ChoiceField(
        choices=WrittenPosition.Position.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        required=False,
        label="The partner's position in words",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="How it was resolved", widget=forms.Textarea(attrs={"rows": 3})
    )
    agreed = forms.TypedChoiceField(
        label="Was agreement reached?",
        choices=[("yes", "Yes, agreed"), ("no", "No agreement")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


class ChairElectionForm(forms.Form):
    seat = forms.ModelChoiceField(queryset=Seat.objects.none(), label="Elected chair")
    unanimous = forms.BooleanField(
        required=False,
        label="Every voting member present agreed (unanimous agreement)",
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = board.seats.filter(
            active=True, voting=True, holder__isnull=False
        ).select_related("partner", "holder")


class ChairAuthorityForm(_Crispy):
    """A chair-only act recorded by the secretary on the chair's written
    authority, with the evidence (SPEC s.1)."""

    submit_label = "Record it on the chair's written authority"

    chair_name = forms.CharField(
        max_length=200, label="The chair who gave the written authority"
    )
    evidence = forms.FileField(
        label="The chair's written authority (the e-mail or letter)",
        help_text="Kept with the record; up to 10 MB.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
