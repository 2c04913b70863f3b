"""Forms for the constitution pages (crispy, bootstrap5). Forms only parse; the views
pass ``cleaned_data`` to the services, and a service's ValidationError is put back on
the form's fields so nothing typed is lost."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from governance.exceptions import RuleViolation
from governance.models import Role, User

from .models import (
    Agreement,
    Board,
    BusinessType,
    DecisionKind,
    Partner,
    PartnerKind,
    QuorumRule,
    RuleSource,
    SeatCategory,
)


def apply_errors(form: forms.Form, exc: ValidationError | RuleViolation) -> None:
    """Put a service's refusal on the form: a ValidationError on the form's fields
    (or the form), a RuleViolation (a rule of the terms) on the form."""
    if isinstance(exc, RuleViolation):
        form.add_error(None, exc.message)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class CrispyForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", self.submit_label))


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people_choices():
    """People one may pick: active, not a merged duplicate; labelled with the e-mail
    so two people of the same name can be told apart."""
    return User.objects.filter(is_active=True, merged_into__isnull=True).order_by(
        "name", "email"
    )


FILTERABLE = {"data-filter": "people", "class": "form-select"}


class PersonChoice(forms.ModelChoiceField):
    widget = forms.Select(attrs=FILTERABLE)

    def label_from_instance(self, obj):
        return f"{obj.name} <{obj.email}>"


class PeopleChoice(forms.ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={**FILTERABLE, "size": 8})

    def label_from_instance(self, obj):
        return f"{obj.name} <{obj.email}>"


class PartnerForm(CrispyForm):
    name = forms.CharField(max_length=200)
    short_name = forms.CharField(max_length=40, required=False)
    kind = forms.ChoiceField(choices=PartnerKind.choices)
    active = forms.BooleanField(required=False, initial=True)


class PersonForm(CrispyForm):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    job_title = forms.CharField(max_length=200, required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    submit_label = "Add person"


class AgreementForm(CrispyForm):
    name = forms.CharField(max_length=250)
    kind = forms.ChoiceField(choices=Agreement.Kind.choices)
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    host_partner = forms.ModelChoiceField(queryset=Partner.objects.filter(active=True))
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE, required=False)
    status = forms.ChoiceField(choices=Agreement.Status.choices)
    dispute_resolution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ScheduleForm(CrispyForm):
    number = forms.CharField(max_length=20, required=False)
    name = forms.CharField(max_length=250)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    submit_label = "Add schedule"


class AuthorisedOfficerForm(CrispyForm):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none())
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    submit_label = "Add officer"

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = agreement.partners.all()


class BoardForm(CrispyForm):
    name = forms.CharField(max_length=250)
    short_name = forms.CharField(max_length=40, required=False)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.all(), required=False)
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    reports_to = forms.ModelChoiceField(
        queryset=Board.objects.filter(active=True),
        required=False,
        label="Reports to",
    )
    decision_making = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Holds delegated authority; leave unticked for an advisory board.",
    )
    decision_rule = forms.ChoiceField(choices=Board.DecisionRule.choices)
    escalation = forms.ChoiceField(
        choices=Board.Escalation.choices,
        help_text="Where an item goes when unanimity fails a second time.",
    )
    chair_casting_vote = forms.BooleanField(required=False)
    absent_partner_rule = forms.BooleanField(
        required=False,
        label="Absent-partner rule",
        help_text="Tick only where the terms state it (Portsmouth PMG ToR 4.4, West "
        "Kent 3.4): no commitment for a partner not present without a written "
        "position.",
    )
    delegated_authority_rule = forms.BooleanField(
        required=False,
        label="Delegated-authority rule",
        help_text="Tick only where the terms state it (Portsmouth PMG ToR 5.2): a "
        "matter beyond a member's limit is deferred; a voting seat with no limit "
        "has no authority.",
    )
    deputising_chair = forms.BooleanField(
        required=False,
        label="Deputising chair",
        help_text="Tick only where the terms allow another member to chair in the "
        "designated chair's absence (JCG 7).",
    )
    decision_scope = forms.MultipleChoiceField(
        choices=DecisionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What the board may decide",
        help_text="Tick only where the terms limit it (West Kent 4.1); none ticked: "
        "not limited.",
    )
    risk_share_commitments_only = forms.BooleanField(
        required=False,
        label="Commitments only in accordance with the risk sharing",
        help_text="Leicestershire IFPG.",
    )
    minutes_deadline_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        initial=7,
        help_text="Days after a meeting by which minutes reach the authorised officers.",
    )
    meeting_frequency_months = forms.IntegerField(min_value=1, max_value=12, initial=2)
    extraordinary_notice_clear_days = forms.IntegerField(
        min_value=0,
        required=False,
        help_text="Leave blank where the terms state no notice for an extraordinary "
        "meeting (Portsmouth PMG ToR 4.6: 3).",
    )
    clear_days_working_only = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Clear days exclude weekends and bank holidays.",
    )
    papers_working_days = forms.IntegerField(
        min_value=0,
        required=False,
        help_text="Leave blank where the terms state no papers deadline (IE: 4).",
    )
    reconvene_within_days = forms.IntegerField(
        min_value=1,
        required=False,
        help_text="Leave blank where the terms state no period (IFPG: one month, 31).",
    )
    chair_arrangement = forms.ChoiceField(choices=Board.ChairArrangement.choices)
    chair_term_months = forms.IntegerField(min_value=1, required=False)
    secretaries = PeopleChoice(
        queryset=people_choices(),
        required=False,
        help_text="Type in the box to find a person by name or e-mail. Only "
        "administrators name a board's secretaries.",
    )
    active = forms.BooleanField(required=False, initial=True)

    def __init__(
        self,
        *args,
        board: Board | None = None,
        may_name_secretaries: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not may_name_secretaries:
            self.fields["secretaries"].disabled = True
        if board is not None:
            self.fields["reports_to"].queryset = Board.objects.filter(
                active=True
            ).exclude(pk=board.pk)


class SeatForm(CrispyForm):
    title = forms.CharField(max_length=200)
    partner = forms.ModelChoiceField(queryset=Partner.objects.none())
    voting = forms.BooleanField(required=False, initial=True)
    categories = forms.MultipleChoiceField(
        choices=SeatCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    holder = PersonChoice(queryset=people_choices(), required=False)
    deputy = PersonChoice(queryset=people_choices(), required=False)
    deputy_notified_on = forms.DateField(
        widget=DATE, required=False, label="Deputy notified to the partners on"
    )
    delegated_authority_limit = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        label="Delegated authority limit (£)",
        help_text="Blank: no limit.",
    )
    is_alternate_chair = forms.BooleanField(required=False, label="Alternate chair")
    order = forms.IntegerField(min_value=0, required=False)

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = board.partners.all()


class QuorumRuleForm(CrispyForm):
    """A quorum rule with one number per category, per-partner category and partner
    kind, so a secretary types numbers, never JSON."""

    business_type = forms.ChoiceField(choices=BusinessType.choices)
    min_present = forms.IntegerField(
        min_value=0, initial=0, label="Members present (voting or not)"
    )
    min_voting_per_partner = forms.IntegerField(
        min_value=0, initial=0, label="Voting representatives from each partner"
    )
    min_any_per_partner = forms.IntegerField(
        min_value=0, initial=0, label="Representatives of any kind from each partner"
    )
    chair_required = forms.BooleanField(
        required=False, label="The chair must be present"
    )

    GROUPS = (
        ("category_minimums", SeatCategory.choices, "{label} members present"),
        (
            "per_partner_category_minimums",
            SeatCategory.choices,
            "{label} representatives from each partner",
        ),
        ("partner_kind_minimums", PartnerKind.choices, "Members from: {label}"),
    )

    def __init__(self, *args, rule: QuorumRule | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for group, choices, label in self.GROUPS:
            current = getattr(rule, group, None) or {}
            for value, text in choices:
                self.fields[f"{group}__{value}"] = forms.IntegerField(
                    min_value=0,
                    required=False,
                    label=label.format(label=text),
                    initial=current.get(value) or None,
                )
        if rule is not None:
            self.fields["business_type"].disabled = True

    def service_fields(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in (
                "min_present",
                "min_voting_per_partner",
                "min_any_per_partner",
                "chair_required",
            )
        }
        for group, choices, _ in self.GROUPS:
            data[group] = {
                value: self.cleaned_data[f"{group}__{value}"]
                for value, _ in choices
                if self.cleaned_data.get(f"{group}__{value}")
            }
        return data


class TermsForm(CrispyForm):
    version = forms.CharField(max_length=20)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reviewed_by = forms.CharField(max_length=200, required=False)
    reviewed_on = forms.DateField(widget=DATE, required=False)
    approved_by = forms.CharField(max_length=200, required=False)
    approved_on = forms.DateField(widget=DATE, required=False)
    review_due = forms.DateField(
        widget=DATE,
        required=False,
        help_text="Blank: three years after it was reviewed or approved.",
    )
    submit_label = "Record version"


class ChairTermForm(CrispyForm):
    seat = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The seat the chair holds, if any."
    )
    person = PersonChoice(
        queryset=people_choices(),
        required=False,
        help_text="Blank: the holder of the seat.",
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        help_text="Blank: the seat's partner.",
    )
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE, required=False)
    submit_label = "Start term"

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = board.seats.filter(active=True).select_related(
            "partner"
        )
        self.fields["partner"].queryset = board.partners.all()

    def clean(self):
        data = super().clean()
        seat, person = data.get("seat"), data.get("person")
        if person is None and (seat is None or seat.holder is None):
            self.add_error("person", "Choose the chair, or a seat that has a holder.")
        return data


class RuleSourceForm(CrispyForm):
    """Where one rule comes from: the terms (document and paragraph, in the terms'
    own words if wished) or local practice (who decided, and when)."""

    kind = forms.ChoiceField(
        choices=RuleSource.Kind.choices,
        widget=forms.RadioSelect,
        label="The rule is",
    )
    document = forms.CharField(
        max_length=200,
        required=False,
        help_text='The document that states it, e.g. "Portsmouth PMG ToR".',
    )
    paragraph = forms.CharField(max_length=60, required=False, help_text="e.g. 4.4")
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="The clause, in its own words",
    )
    decided_by = forms.CharField(
        max_length=200,
        required=False,
        label="Local practice: decided by",
        help_text="e.g. the board at its meeting of 3 March 2025",
    )
    decided_on = forms.DateField(
        required=False,
        label="Local practice: decided on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
