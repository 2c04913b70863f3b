"""Small input and output serializers for the constitution API (SPEC s.8). Inputs only
parse and type-check; the services own the rules."""

from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from governance.api_output import DirectOutput
from governance.models import Role, User
from governance.selectors import has_password

from .. import quorum
from ..models import (
    Agreement,
    AuthorisedOfficer,
    Board,
    BusinessType,
    DecisionKind,
    Partner,
    PartnerKind,
    QuorumRule,
    RuleSource,
    Seat,
    SeatCategory,
)

# --- outputs -----------------------------------------------------------------------


class PartnerOut(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "short_name", "kind", "active"]


class PersonOut(serializers.ModelSerializer):
    has_login = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name", "email", "role", "job_title", "has_login"]

    def get_has_login(self, obj) -> bool:
        """A password set, or an invitation accepted (perhaps by single sign-on)."""
        return bool(getattr(obj, "accepted_invitation", False)) or has_password(obj)


class ScheduleOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()


class AgreementOut(serializers.ModelSerializer):
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    schedules = ScheduleOut(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "name",
            "kind",
            "partners",
            "host_partner",
            "starts_on",
            "ends_on",
            "status",
            "dispute_resolution",
            "schedules",
        ]


class AuthorisedOfficerOut(serializers.ModelSerializer):
    class Meta:
        model = AuthorisedOfficer
        fields = ["id", "agreement", "partner", "name", "email", "active"]


class BoardOut(DirectOutput, serializers.ModelSerializer):
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    secretaries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Board
        fields = [
            "id",
            "name",
            "short_name",
            "agreement",
            "partners",
            "decision_making",
            "decision_rule",
            "minutes_deadline_days",
            "escalation",
            "chair_casting_vote",
            "absent_partner_rule",
            "delegated_authority_rule",
            "deputising_chair",
            "decision_scope",
            "risk_share_commitments_only",
            "reports_to",
            "purpose",
            "meeting_frequency_months",
            "extraordinary_notice_clear_days",
            "clear_days_working_only",
            "papers_working_days",
            "reconvene_within_days",
            "chair_arrangement",
            "chair_term_months",
            "secretaries",
            "active",
        ]


class ChairOut(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    seat = serializers.IntegerField(source="seat_id", allow_null=True)
    partner = serializers.IntegerField(source="partner_id", allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class NextChairChangeOut(serializers.Serializer):
    what = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    partner = serializers.IntegerField(source="partner_id", allow_null=True)
    seat = serializers.IntegerField(source="seat_id", allow_null=True)


class GapOut(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    seat = serializers.IntegerField(source="seat_id", allow_null=True)


class SourceOut(serializers.Serializer):
    kind = serializers.CharField()
    document = serializers.CharField()
    paragraph = serializers.CharField()
    quote = serializers.CharField()
    decided_by = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)


class RuleOut(serializers.Serializer):
    """A rule of the board: the setting in words, whether it is applied, and where it
    comes from ("not stated in the terms of reference" where nowhere)."""

    rule = serializers.CharField(source="key")
    label = serializers.CharField()
    setting = serializers.CharField()
    applied = serializers.BooleanField()
    citation = serializers.CharField()
    source = SourceOut(allow_null=True)


class BoardDetailOut(BoardOut):
    """A board with its chair today, the next chair change, its compliance gaps and
    each rule with its source."""

    chair = serializers.SerializerMethodField()
    next_chair_change = serializers.SerializerMethodField()
    gaps = serializers.SerializerMethodField()
    rules = serializers.SerializerMethodField()

    class Meta(BoardOut.Meta):
        fields = [*BoardOut.Meta.fields, "chair", "next_chair_change", "gaps", "rules"]

    @extend_schema_field(RuleOut(many=True))
    def get_rules(self, obj):
        return RuleOut(self._c().rule_rows, many=True).data

    def _c(self):
        return self.context["constitution"]

    @extend_schema_field(ChairOut(allow_null=True))
    def get_chair(self, obj):
        chair = self._c().chair
        return ChairOut(chair).data if chair else None

    @extend_schema_field(NextChairChangeOut(allow_null=True))
    def get_next_chair_change(self, obj):
        change = self._c().next_chair_change
        return NextChairChangeOut(change).data if change else None

    @extend_schema_field(GapOut(many=True))
    def get_gaps(self, obj):
        return GapOut(self._c().gaps, many=True).data


class SeatOut(serializers.ModelSerializer):
    deputy_notified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Seat
        fields = [
            "id",
            "board",
            "title",
            "partner",
            "voting",
            "categories",
            "holder",
            "deputy",
            "deputy_notified",
            "deputy_notified_on",
            "delegated_authority_limit",
            "is_chair",
            "is_alternate_chair",
            "order",
            "active",
        ]


class QuorumRuleOut(serializers.ModelSerializer):
    description = serializers.SerializerMethodField()

    class Meta:
        model = QuorumRule
        fields = [
            "id",
            "board",
            "business_type",
            "min_present",
            "min_voting_per_partner",
            "min_any_per_partner",
            "category_minimums",
            "per_partner_category_minimums",
            "partner_kind_minimums",
            "chair_required",
            "description",
        ]

    def get_description(self, obj) -> list[str]:
        return quorum.describe(obj.as_data())


# --- inputs -------------------------------------------------------------------------


class PartnerIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PartnerKind.choices)
    short_name = serializers.CharField(max_length=40, required=False, default="")


class PartnerPatch(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=PartnerKind.choices, required=False)
    short_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


SEARCH_PARAMETER = OpenApiParameter(
    "search", str, description="Words that each match the name or the e-mail."
)


class PersonIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    role = serializers.ChoiceField(
        choices=Role.choices, required=False, default=Role.MEMBER
    )
    job_title = serializers.CharField(max_length=200, required=False, default="")


class PersonPatch(serializers.Serializer):
    """A person's name, e-mail and job title: the fields sent change (their roles
    change through /people/{id}/roles/ and /people/{id}/global-role/)."""

    name = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(required=False)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ScheduleIn(serializers.Serializer):
    number = serializers.CharField(max_length=20, required=False, default="")
    name = serializers.CharField(max_length=250)
    description = serializers.CharField(required=False, default="")


class AgreementIn(serializers.Serializer):
    name = serializers.CharField(max_length=250)
    kind = serializers.ChoiceField(
        choices=Agreement.Kind.choices, required=False, default=Agreement.Kind.S75
    )
    partners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Partner.objects.filter(active=True), allow_empty=False
    )
    host_partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.filter(active=True)
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=Agreement.Status.choices,
        required=False,
        default=Agreement.Status.ACTIVE,
    )
    dispute_resolution = serializers.CharField(required=False, default="")
    schedules = ScheduleIn(many=True, required=False, default=list)


class AuthorisedOfficerIn(serializers.Serializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()


BOARD_OPTIONAL = {
    "short_name": serializers.CharField(
        max_length=40, required=False, allow_blank=True
    ),
    "purpose": serializers.CharField(required=False, allow_blank=True),
    "meeting_frequency_months": serializers.IntegerField(min_value=1, required=False),
    "extraordinary_notice_clear_days": serializers.IntegerField(
        min_value=0, required=False, allow_null=True
    ),
    "clear_days_working_only": serializers.BooleanField(required=False),
    "papers_working_days": serializers.IntegerField(
        min_value=0, required=False, allow_null=True
    ),
    "reconvene_within_days": serializers.IntegerField(
        min_value=1, required=False, allow_null=True
    ),
    "chair_arrangement": serializers.ChoiceField(
        choices=Board.ChairArrangement.choices, required=False
    ),
    "chair_term_months": serializers.IntegerField(
        min_value=1, required=False, allow_null=True
    ),
}


class BoardIn(serializers.Serializer):
    name = serializers.CharField(max_length=250)
    partners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Partner.objects.filter(active=True), allow_empty=False
    )
    decision_making = serializers.BooleanField(required=False, default=True)
    decision_rule = serializers.ChoiceField(
        choices=Board.DecisionRule.choices, required=False, default="unanimous"
    )
    minutes_deadline_days = serializers.IntegerField(
        min_value=1, max_value=365, required=False, default=7
    )
    escalation = serializers.ChoiceField(
        choices=Board.Escalation.choices, required=False, default="dispute_resolution"
    )
    chair_casting_vote = serializers.BooleanField(required=False, default=False)
    # Applied only where the board's terms state them (SPEC s.1, s.8).
    absent_partner_rule = serializers.BooleanField(required=False, default=False)
    delegated_authority_rule = serializers.BooleanField(required=False, default=False)
    deputising_chair = serializers.BooleanField(required=False, default=False)
    decision_scope = serializers.ListField(
        child=serializers.ChoiceField(choices=DecisionKind.choices),
        required=False,
        default=list,
    )
    risk_share_commitments_only = serializers.BooleanField(
        required=False, default=False
    )
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.all(), required=False, allow_null=True
    )
    reports_to = serializers.PrimaryKeyRelatedField(
        queryset=Board.objects.all(), required=False, allow_null=True
    )
    secretaries = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True), required=False
    )
    short_name = BOARD_OPTIONAL["short_name"]
    purpose = BOARD_OPTIONAL["purpose"]
    meeting_frequency_months = BOARD_OPTIONAL["meeting_frequency_months"]
    extraordinary_notice_clear_days = BOARD_OPTIONAL["extraordinary_notice_clear_days"]
    clear_days_working_only = BOARD_OPTIONAL["clear_days_working_only"]
    papers_working_days = BOARD_OPTIONAL["papers_working_days"]
    reconvene_within_days = BOARD_OPTIONAL["reconvene_within_days"]
    chair_arrangement = BOARD_OPTIONAL["chair_arrangement"]
    chair_term_months = BOARD_OPTIONAL["chair_term_months"]


class SeatIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    voting = serializers.BooleanField(required=False, default=True)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=SeatCategory.choices),
        required=False,
        default=list,
    )
    holder = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    deputy_notified = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true records that the deputy was notified to the partners today.",
    )
    delegated_authority_limit = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
    )
    is_chair = serializers.BooleanField(required=False, default=False)
    is_alternate_chair = serializers.BooleanField(required=False, default=False)


class SeatPatch(SeatIn):
    """Every field optional; ``active: false`` deactivates the seat."""

    active = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False
            f.default = serializers.empty


class Minimums(serializers.DictField):
    child = serializers.IntegerField(min_value=0)


class QuorumRuleIn(serializers.Serializer):
    business_type = serializers.ChoiceField(
        choices=BusinessType.choices, required=False, default=BusinessType.ROUTINE
    )
    min_present = serializers.IntegerField(min_value=0, required=False, default=0)
    min_voting_per_partner = serializers.IntegerField(
        min_value=0, required=False, default=0
    )
    min_any_per_partner = serializers.IntegerField(
        min_value=0, required=False, default=0
    )
    category_minimums = Minimums(required=False, default=dict)
    per_partner_category_minimums = Minimums(required=False, default=dict)
    partner_kind_minimums = Minimums(required=False, default=dict)
    chair_required = serializers.BooleanField(required=False, default=False)


class QuorumRulePatch(QuorumRuleIn):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("business_type")
        for f in self.fields.values():
            f.required = False
            f.default = serializers.empty


class RuleSourceIn(serializers.Serializer):
    """Where one rule of the board comes from: its terms (document and paragraph)
    or local practice (who decided, when)."""

    rule = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=RuleSource.Kind.choices)
    seat = serializers.PrimaryKeyRelatedField(
        queryset=Seat.objects.all(), required=False, allow_null=True, default=None
    )
    document = serializers.CharField(max_length=200, required=False, default="")
    paragraph = serializers.CharField(max_length=60, required=False, default="")
    quote = serializers.CharField(required=False, default="", allow_blank=True)
    decided_by = serializers.CharField(max_length=200, required=False, default="")
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)


class RuleSourceOut(serializers.ModelSerializer):
    citation = serializers.CharField(read_only=True)

    class Meta:
        model = RuleSource
        fields = [
            "id",
            "board",
            "rule",
            "seat",
            "kind",
            "document",
            "paragraph",
            "quote",
            "decided_by",
            "decided_on",
            "citation",
        ]
