from django import forms

from boards.models import Board
from meetings.models import MotionOutcome

from .models import SearchDocument


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, max_length=200, strip=True)
    board = forms.ModelChoiceField(
        label="Board", queryset=Board.objects.none(), required=False, empty_label="All"
    )
    kind = forms.ChoiceField(
        label="Type of record",
        required=False,
        choices=[("", "All")] + list(SearchDocument.Kind.choices),
    )
    outcome = forms.ChoiceField(
        label="Decision outcome",
        required=False,
        choices=[("", "Any")] + list(MotionOutcome.choices),
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        if boards is not None:
            self.fields["board"].queryset = boards


class FollowForm(forms.Form):
    email = forms.EmailField(label="Your e-mail address", max_length=254)


class PublicationForm(forms.Form):
    published = forms.BooleanField(
        label="Publish this board's agendas, papers, minutes, decisions and attendance",
        required=False,
    )
    source = forms.CharField(
        label="Source (document and paragraph)",
        required=False,
        max_length=250,
        help_text='E.g. "Local Government Act 1972 Part VA" or "PMG ToR 8.1". Leave '
        "blank for local practice and say who decided it and when.",
    )
    decided_by = forms.CharField(label="Local practice: decided by", required=False)
    decided_on = forms.DateField(
        label="Local practice: decided on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
