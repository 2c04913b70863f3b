"""Forms for entering a return by hand, uploading it, sending it back, and
recording a decision on money. They collect input; the services decide."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MinValueValidator

from .models import (
    Contribution,
    FundDecision,
    PooledFund,
    Return,
    ReturnStatus,
    Scheme,
)

MONEY_FIELD = {
    "max_digits": 14,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "localize": False,
}


def _period_choices(fund: PooledFund):
    from . import periods

    return [(label, periods.describe(label)) for label in fund.period_labels()]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Period")
    narrative = forms.CharField(
        label="Narrative for the board (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    difference_explanation = forms.CharField(
        label="Why the budgets differ from the contributions to the pool",
        help_text="Needed before submitting when the return's budgets do not add "
        "up to the contributions (for example, a grant still to be confirmed).",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, fund: PooledFund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _period_choices(fund)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ReturnLineForm(forms.Form):
    """One scheme's row. Labels name the scheme so a screen reader user hears which
    scheme each box belongs to."""

    scheme = forms.CharField(widget=forms.HiddenInput)
    original_budget = forms.DecimalField(
        widget=forms.HiddenInput, required=False, **MONEY_FIELD
    )
    budget = forms.DecimalField(label="Current budget (£)", **MONEY_FIELD)
    actual_to_date = forms.DecimalField(label="Actual to date (£)", **MONEY_FIELD)
    forecast_outturn = forms.DecimalField(label="Forecast outturn (£)", **MONEY_FIELD)
    activity = forms.CharField(label="Activity", max_length=300, required=False)
    commentary = forms.CharField(
        label="Commentary", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_plan = forms.CharField(
        label="Action plan (required if the forecast exceeds the budget)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def scheme_label(self) -> str:
        return self.initial.get("scheme_label") or self.data.get(
            self.add_prefix("scheme"), ""
        )


ReturnLineFormSet = forms.formset_factory(ReturnLineForm, extra=0)


class UploadForm(forms.Form):
    period = forms.ChoiceField(label="Period")
    file = forms.FileField(
        label="Return file (.csv or .xlsx, in the template)",
        help_text="Every row is checked before anything is saved.",
    )

    def __init__(self, *args, fund: PooledFund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _period_choices(fund)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 10 MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload the template as .csv or .xlsx.")
        return upload


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label="Reasons for sending the return back",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of decision", choices=FundDecision.Kind.choices
    )
    amount = forms.DecimalField(
        label="Amount (£)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    from_scheme = forms.ModelChoiceField(
        label="From scheme (redistribution)",
        queryset=Scheme.objects.none(),
        required=False,
    )
    to_scheme = forms.ModelChoiceField(
        label="To scheme (redistribution)",
        queryset=Scheme.objects.none(),
        required=False,
    )
    partner = forms.ModelChoiceField(
        label="Contributing partner (underspend returned)",
        queryset=None,
        required=False,
    )
    ret = forms.ModelChoiceField(
        label="Approved return showing the underspend (underspend returned)",
        queryset=None,
        required=False,
    )
    motion = forms.ModelChoiceField(
        label="Motion of the board",
        queryset=None,
        help_text="The carried motion that authorised this decision.",
    )
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, fund: PooledFund, **kwargs):
        super().__init__(*args, **kwargs)
        schemes = Scheme.objects.filter(fund=fund)
        self.fields["from_scheme"].queryset = schemes
        self.fields["to_scheme"].queryset = schemes
        self.fields["partner"].queryset = fund.agreement.partners.all()
        self.fields["ret"].queryset = Return.objects.filter(
            fund=fund, status=ReturnStatus.APPROVED
        )
        self.fields["motion"].queryset = _motions(fund)
        self.fields["motion"].label_from_instance = _motion_label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _motions(fund: PooledFund):
    from meetings.models import Motion

    return (
        Motion.objects.filter(item__meeting__board__agreement_id=fund.agreement_id)
        .select_related("item__meeting__board")
        .order_by("-item__meeting__starts_at")
    )


def _motion_label(motion) -> str:
    meeting = motion.item.meeting
    outcome = motion.get_outcome_display() or motion.get_status_display()
    return f"{meeting.board.label} {meeting.starts_at:%d %b %Y}: {motion.text[:60]} ({outcome})"


class MetricActualsForm(forms.Form):
    """One box per metric for a quarter; blank means data not available."""

    period = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, fund: PooledFund, metrics, **kwargs):
        from . import periods

        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (label, periods.describe(label))
            for label in periods.labels("quarterly", fund.financial_year)
        ]
        self.metric_fields = []
        for metric in metrics:
            name = f"metric_{metric.pk}"
            unit = f" ({metric.unit})" if metric.unit else ""
            self.fields[name] = forms.DecimalField(
                label=f"{metric.name}{unit}: planned {metric.planned}",
                max_digits=14,
                decimal_places=2,
                required=False,
                localize=False,
            )
            self.metric_fields.append((metric.pk, name))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def values(self) -> dict:
        return {pk: self.cleaned_data.get(name) for pk, name in self.metric_fields}


class FundForm(forms.ModelForm):
    """A fund's settings. Partners, boards and people are limited to sensible
    choices; the service checks that they belong to the fund's agreement."""

    class Meta:
        model = PooledFund
        fields = [
            "name",
            "agreement",
            "board",
            "host_partner",
            "manager",
            "finance_officers",
            "financial_year",
            "frequency",
            "due_day",
            "pooled_total",
        ]
        help_texts = {
            "financial_year": "The year it starts: 2015 for 2015/16.",
            "manager": "Only administrators give or take away the pooled fund manager.",
            "finance_officers": "Given and taken away by administrators and the "
            "fund's manager; whoever is removed is signed out everywhere.",
        }

    def __init__(self, *args, **kwargs):
        from governance.models import Role, User

        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.FUND_MANAGER, Role.ADMINISTRATOR]
        ).order_by("name")
        self.fields["finance_officers"].queryset = User.objects.filter(
            is_active=True, role=Role.FINANCE_OFFICER
        ).order_by("name")
        self.fields["finance_officers"].label_from_instance = _person_label
        self.fields["manager"].label_from_instance = _person_label
        self.fields["pooled_total"].localize = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _person_label(user) -> str:
    return f"{user.name} <{user.email}>"


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "reference",
            "name",
            "lead_partner",
            "manager_responsible",
            "scheme_type",
            "stream",
            "locality",
            "budget",
            "active",
            "order",
        ]
        labels = {
            "budget": "Approved budget (£)",
            "active": "Active (has a line in each return)",
        }

    def __init__(self, *args, fund: PooledFund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_partner"].queryset = fund.agreement.partners.all()
        self.fields["budget"].localize = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = [
            "partner",
            "stream",
            "scheme",
            "locality",
            "amount",
            "ring_fenced",
            "conditions",
        ]
        labels = {"amount": "Amount (£)"}

    def __init__(self, *args, fund: PooledFund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = fund.agreement.partners.all()
        self.fields["scheme"].queryset = Scheme.objects.filter(fund=fund)
        self.fields["amount"].localize = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
