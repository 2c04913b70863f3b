"""Forms for the obligations register and the forward plan: input only; the rules
live in the services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from boards.models import Board, BusinessType

from .models import Cycle, Frequency, Obligation, ObligationEvidence


class ObligationForm(forms.ModelForm):
    class Meta:
        model = Obligation
        fields = [
            "title",
            "source",
            "quote",
            "kind",
            "frequency",
            "frequency_source",
            "cycle",
            "first_due",
            "first_due_source",
            "owner",
            "reports_to",
            "business_type",
            "motion_text",
        ]
        widgets = {
            "first_due": forms.DateInput(attrs={"type": "date"}),
            "quote": forms.Textarea(attrs={"rows": 3}),
            "motion_text": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "source": "Source (document and clause)",
            "frequency_source": "Where the frequency comes from, if not the document",
            "first_due_source": "Where the first due date comes from",
        }

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports_to"].queryset = Board.objects.exclude(pk=board.pk)
        self.fields["frequency"].choices = Frequency.choices
        self.fields["cycle"].choices = Cycle.choices
        self.fields["business_type"].choices = BusinessType.choices
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save the duty"))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ObligationEvidence.Kind.choices, label="What discharged it"
    )
    done_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        label="Done on",
    )
    description = forms.CharField(
        max_length=2000, label="What was done (e.g. report sent to whom)"
    )


class AcceptForm(forms.Form):
    key = forms.CharField(max_length=120)
    meeting = forms.IntegerField(required=False)


class PlanForm(forms.Form):
    months = forms.TypedChoiceField(
        choices=[
            (3, "3 months"),
            (6, "6 months"),
            (12, "12 months"),
            (24, "24 months"),
        ],
        coerce=int,
        initial=12,
        required=False,
        label="Look ahead",
    )
