"""Forms for members' records: register entries, their end, the yearly review, a
declaration from the register, the attendance period. Input only; the rules live
in the services (``meetings/services/interests.py``)."""

import datetime

from django import forms
from django.utils import timezone

from .models import Action, RegisteredInterest


class InterestForm(forms.Form):
    category = forms.ChoiceField(choices=RegisteredInterest.Category.choices)
    organisation = forms.CharField(max_length=250)
    description = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    declared_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class InterestEndForm(forms.Form):
    ended_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class ReviewForm(forms.Form):
    note = forms.CharField(max_length=300, required=False)


class DeclareFromRegisterForm(forms.Form):
    seat = forms.IntegerField()
    entry = forms.IntegerField()
    withdrew = forms.BooleanField(required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The period ends before it starts.")
        return data

    def period(self, default: tuple[datetime.date, datetime.date]):
        if not self.is_valid():
            return default
        return (
            self.cleaned_data.get("start") or default[0],
            self.cleaned_data.get("end") or default[1],
        )


class TrackerStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    back = forms.ChoiceField(
        choices=[("tracker", "tracker"), ("run", "run")], required=False
    )
