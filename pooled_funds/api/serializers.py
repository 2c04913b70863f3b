"""Small input and output serializers for the pooled funds API (SPEC s.8). Money is
a decimal string ("3092000.00")."""

from decimal import Decimal

from rest_framework import serializers

from boards.models import Agreement, Board, Partner
from governance.api_output import DirectOutput
from governance.models import Role, User
from meetings.models import Motion

from ..models import (
    Frequency,
    FundDecision,
    FundingStream,
    Metric,
    Return,
    Scheme,
    SchemeType,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class PartnerRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class _PeriodLabels(serializers.ListField):
    """The fund's periods, its ``period_labels()`` called directly (a method
    ``source`` is inspected for its signature on every row)."""

    def get_attribute(self, instance):
        return instance.period_labels()


class FundOut(DirectOutput, serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    agreement = serializers.IntegerField(source="agreement_id")
    board = serializers.IntegerField(source="board_id", allow_null=True)
    host_partner = serializers.IntegerField(source="host_partner_id")
    manager = serializers.IntegerField(source="manager_id", allow_null=True)
    financial_year = serializers.IntegerField()
    frequency = serializers.CharField()
    due_day = serializers.IntegerField()
    pooled_total = serializers.DecimalField(**MONEY)
    finance_officers = serializers.SerializerMethodField()
    periods = _PeriodLabels(child=serializers.CharField())

    def get_finance_officers(self, fund) -> list[int]:
        # The list prefetches the officers into a list (``finance_officer_list``):
        # no related manager made per fund.
        officers = getattr(fund, "finance_officer_list", None)
        if officers is None:
            officers = fund.finance_officers.all()
        return sorted(u.pk for u in officers)


class ContributionOut(serializers.Serializer):
    id = serializers.IntegerField()
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField(source="partner.name")
    stream = serializers.CharField()
    scheme = serializers.IntegerField(source="scheme_id", allow_null=True)
    locality = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    ring_fenced = serializers.BooleanField()
    conditions = serializers.CharField()


class SchemeOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField()
    lead_partner = serializers.IntegerField(source="lead_partner_id")
    manager_responsible = serializers.CharField()
    scheme_type = serializers.CharField()
    stream = serializers.CharField()
    budget = serializers.DecimalField(**MONEY)
    locality = serializers.CharField()
    active = serializers.BooleanField()
    order = serializers.IntegerField()
    directly_funded = serializers.BooleanField()


class LineIn(serializers.Serializer):
    scheme = serializers.CharField(help_text="The scheme's id, or its reference.")
    budget = serializers.DecimalField(**MONEY, min_value=0)
    actual_to_date = serializers.DecimalField(**MONEY, min_value=0)
    forecast_outturn = serializers.DecimalField(**MONEY, min_value=0)
    original_budget = serializers.DecimalField(**MONEY, min_value=0, required=False)
    activity = serializers.CharField(required=False, allow_blank=True, max_length=300)
    commentary = serializers.CharField(required=False, allow_blank=True)
    action_plan = serializers.CharField(required=False, allow_blank=True)


class ReturnIn(serializers.Serializer):
    period = serializers.CharField(
        help_text='Quarterly funds: "2015-Q1" (financial quarter: April-June 2015); '
        'monthly funds: "2015-06" (June 2015). Must fall in the fund\'s financial year.'
    )
    lines = LineIn(many=True, allow_empty=False)
    narrative = serializers.CharField(required=False, allow_blank=True)
    difference_explanation = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Why the lines' budgets differ from the contributions to the pool; "
        "needed before submit when they do.",
    )


class SendBackIn(serializers.Serializer):
    reason = serializers.CharField()


class LineOut(serializers.Serializer):
    id = serializers.IntegerField(source="line.id")
    scheme = serializers.IntegerField(source="line.scheme_id")
    scheme_reference = serializers.CharField(source="line.scheme.reference")
    original_budget = serializers.DecimalField(**MONEY, source="line.original_budget")
    budget = serializers.DecimalField(**MONEY, source="line.budget")
    actual_to_date = serializers.DecimalField(**MONEY, source="line.actual_to_date")
    forecast_outturn = serializers.DecimalField(**MONEY, source="line.forecast_outturn")
    variance = serializers.DecimalField(**MONEY, source="derived.variance")
    variance_percent = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        source="derived.variance_percent",
        allow_null=True,
    )
    movement = serializers.DecimalField(
        **MONEY, source="derived.movement", allow_null=True
    )
    rag = serializers.CharField(source="derived.rag")
    action_plan_required = serializers.BooleanField(
        source="derived.action_plan_required"
    )
    activity = serializers.CharField(source="line.activity")
    commentary = serializers.CharField(source="line.commentary")
    action_plan = serializers.CharField(source="line.action_plan")


class ReturnOut(serializers.Serializer):
    id = serializers.IntegerField()
    fund = serializers.IntegerField(source="fund_id")
    period = serializers.CharField()
    period_label = serializers.CharField()
    status = serializers.CharField()
    submitted_by = serializers.IntegerField(source="submitted_by_id", allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.IntegerField(source="decided_by_id", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    returned_reason = serializers.CharField()
    narrative = serializers.CharField()
    difference_explanation = serializers.CharField()
    agenda_item = serializers.IntegerField(source="agenda_item_id", allow_null=True)
    paper_pending = serializers.BooleanField()
    lines = LineOut(many=True, source="line_views")


class ReturnSummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    status = serializers.CharField()


class ShareOut(serializers.Serializer):
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField(source="partner")
    overspend = serializers.DecimalField(**MONEY, source="share.overspend")
    underspend = serializers.DecimalField(**MONEY, source="share.underspend")
    net = serializers.DecimalField(**MONEY, source="share.net")


class RiskShareOut(serializers.Serializer):
    fund = serializers.IntegerField()
    period = serializers.CharField()
    return_id = serializers.IntegerField()
    status = serializers.CharField()
    partners = ShareOut(many=True)


class FundDecisionIn(serializers.Serializer):
    """A decision on money (Portsmouth PMG ToR 5.1.1-5.1.2); the schemes must be
    the fund's own (as on the page's form); the motion is checked by the service."""

    kind = serializers.ChoiceField(choices=FundDecision.Kind.choices)
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
    motion = serializers.PrimaryKeyRelatedField(queryset=Motion.objects.all())
    from_scheme = serializers.PrimaryKeyRelatedField(
        queryset=Scheme.objects.none(), required=False, allow_null=True
    )
    to_scheme = serializers.PrimaryKeyRelatedField(
        queryset=Scheme.objects.none(), required=False, allow_null=True
    )
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.none(),
        required=False,
        allow_null=True,
        help_text="Underspend returned: the contributing partner.",
    )
    ret = serializers.PrimaryKeyRelatedField(
        queryset=Return.objects.none(),
        required=False,
        allow_null=True,
        help_text="Underspend returned: the approved return showing it.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        schemes = Scheme.objects.filter(fund=fund)
        self.fields["from_scheme"].queryset = schemes
        self.fields["to_scheme"].queryset = schemes
        if fund is not None:
            self.fields["partner"].queryset = fund.agreement.partners.all()
            self.fields["ret"].queryset = Return.objects.filter(fund=fund)


class FundDecisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    fund = serializers.IntegerField(source="fund_id")
    kind = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    motion = serializers.IntegerField(source="motion_id")
    from_scheme = serializers.IntegerField(source="from_scheme_id", allow_null=True)
    to_scheme = serializers.IntegerField(source="to_scheme_id", allow_null=True)
    partner = serializers.IntegerField(source="partner_id", allow_null=True)
    ret = serializers.IntegerField(source="ret_id", allow_null=True)
    note = serializers.CharField()
    recorded_by = serializers.IntegerField(source="recorded_by_id")
    recorded_at = serializers.DateTimeField()


class MetricValueIn(serializers.Serializer):
    metric = serializers.IntegerField(help_text="The id of one of the fund's metrics.")
    actual = serializers.DecimalField(**MONEY, allow_null=True)


class MetricActualsIn(serializers.Serializer):
    """A quarter's actuals; a null actual means data not available (nothing is
    written for it), as a blank box on the page."""

    period = serializers.CharField(
        help_text='A quarter of the fund\'s year, "2015-Q2".'
    )
    values = MetricValueIn(many=True)

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fund = fund

    def validate_period(self, value):
        from .. import periods

        quarters = periods.labels("quarterly", self.fund.financial_year)
        if value not in quarters:
            raise serializers.ValidationError(
                f"Not a quarter of this fund's year: one of {', '.join(quarters)}."
            )
        return value

    def validate_values(self, rows):
        mine = set(Metric.objects.filter(fund=self.fund).values_list("pk", flat=True))
        unknown = sorted({row["metric"] for row in rows} - mine)
        if unknown:
            raise serializers.ValidationError(
                f"Not metrics of this fund: {', '.join(map(str, unknown))}."
            )
        return rows


class MetricActualOut(serializers.Serializer):
    id = serializers.IntegerField()
    metric = serializers.IntegerField(source="metric_id")
    metric_name = serializers.CharField(source="metric.name")
    period = serializers.CharField()
    actual = serializers.DecimalField(**MONEY)


class MetricActualsOut(serializers.Serializer):
    period = serializers.CharField()
    written = serializers.IntegerField()
    actuals = MetricActualOut(many=True)


class FundIn(serializers.Serializer):
    """A fund's settings (POST creates, PATCH changes the fields sent)."""

    name = serializers.CharField(max_length=250)
    agreement = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all())
    board = serializers.PrimaryKeyRelatedField(
        queryset=Board.objects.all(), required=False, allow_null=True
    )
    host_partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    finance_officers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    financial_year = serializers.IntegerField(min_value=2000, max_value=2100)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    due_day = serializers.IntegerField(min_value=1, max_value=28, default=15)
    pooled_total = serializers.DecimalField(**MONEY, min_value=Decimal("0"))

    def validate_manager(self, user):
        if user is not None and user.role not in (
            Role.FUND_MANAGER,
            Role.ADMINISTRATOR,
        ):
            raise serializers.ValidationError(
                "The manager must be a person whose role is pooled fund manager."
            )
        return user


class SchemeIn(serializers.Serializer):
    reference = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=250)
    lead_partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    manager_responsible = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    scheme_type = serializers.ChoiceField(
        choices=SchemeType.choices, default=SchemeType.NHS
    )
    stream = serializers.ChoiceField(
        choices=FundingStream.choices, required=False, allow_blank=True, default=""
    )
    locality = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    budget = serializers.DecimalField(
        **MONEY, min_value=Decimal("0"), default=Decimal("0")
    )
    active = serializers.BooleanField(default=True)
    order = serializers.IntegerField(min_value=0, max_value=32767, default=0)


class ContributionIn(serializers.Serializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    stream = serializers.ChoiceField(choices=FundingStream.choices)
    scheme = serializers.PrimaryKeyRelatedField(
        queryset=Scheme.objects.none(), required=False, allow_null=True, default=None
    )
    locality = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0"))
    ring_fenced = serializers.BooleanField(default=False)
    conditions = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(fund=fund)
