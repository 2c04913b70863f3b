"""The constitution: partners, agreements, authorised officers, boards, terms of
reference, seats (holders and deputies), chair terms and quorum rules (SPEC s.1, s.3)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from governance.models import CacheVersioned


class PartnerKind(models.TextChoices):
    NHS_BODY = "nhs_body", "NHS body"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PROVIDER = "provider", "Provider"
    OTHER = "other", "Other"


class SeatCategory(models.TextChoices):
    """Categories quorum rules count (Leicestershire IE: clinical, provider; JCG:
    commissioning lead, finance)."""

    CLINICAL = "clinical", "Clinical"
    FINANCE = "finance", "Finance"
    COMMISSIONING_LEAD = "commissioning_lead", "Commissioning lead"
    PROVIDER = "provider", "Provider"
    PUBLIC_HEALTH = "public_health", "Public health"
    SOCIAL_CARE = "social_care", "Social care"
    PERFORMANCE = "performance", "Performance"
    LAY = "lay", "Lay / elected member"


class BusinessType(models.TextChoices):
    """The kind of business an agenda item is; quorum rules may differ by kind
    (Leicestershire IE routine vs joint commissioning)."""

    ROUTINE = "routine", "Routine business"
    JOINT_COMMISSIONING = "joint_commissioning", "Joint commissioning"
    POOLED_FUND = "pooled_fund", "Pooled fund"
    CONSTITUTIONAL = "constitutional", "Constitutional"


class DecisionKind(models.TextChoices):
    """What a motion asks the board to decide. A board's terms may limit it to some
    kinds (West Kent 4.1: "to authorise a Lead Commissioner to enter into any contract
    for services necessary for the provision of Services under an Individual
    Scheme"); Portsmouth PMG ToR 5.1.1-5.1.5 and 2.1.4 name the others."""

    SCHEME_CONTRACT = (
        "scheme_contract",
        "A contract for services under an Individual Scheme",
    )
    REDISTRIBUTION = "redistribution", "Redistribution between schemes"
    COMMITMENT = "commitment", "A commitment of money"
    PLAN = "plan", "How to give effect to the plan"
    TIMESCALES = "timescales", "Revised timescales for a scheme"
    VARIATION = "variation", "A variation of the agreement"
    OTHER = "other", "Other business"


class Partner(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    active = models.BooleanField(
        default=True,
        help_text="Partners are never deleted; a former partner is made inactive.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Agreement(models.Model):
    class Kind(models.TextChoices):
        S75 = "s75", "Section 75 (NHS Act 2006)"
        S256 = "s256", "Section 256"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "In force"
        ENDED = "ended", "Ended"

    name = models.CharField(max_length=250)
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.S75)
    partners = models.ManyToManyField(Partner, related_name="agreements")
    host_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="hosted_agreements"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    dispute_resolution = models.TextField(
        blank=True, help_text="The agreement's dispute resolution procedure, in brief."
    )

    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Schedule(models.Model):
    """A schedule of an agreement (Portsmouth: BCF, CHC, children's, ...)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="schedules"
    )
    number = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=250)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number", "name"]

    def __str__(self):
        return f"{self.number} {self.name}".strip()


class AuthorisedOfficer(models.Model):
    """A partner's named officer for an agreement: receives minutes and escalations
    by e-mail and may have no login."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="authorised_officers"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="authorised_officers"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "partner", "email"], name="unique_officer_email"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.partner})"


class Board(CacheVersioned):
    """``cache_version`` (CacheVersioned) is bumped when anything of the board that its
    meetings' pages show changes: seats, quorum rules, chairs, secretaries, partners'
    labels (meetings/versions.py)."""

    class DecisionRule(models.TextChoices):
        UNANIMOUS = "unanimous", "Unanimous (every voting seat present votes for)"
        MAJORITY = "majority", "Majority of voting seats present"
        CONSENSUS = "consensus", "Consensus (carried unless a member present objects)"

    class Escalation(models.TextChoices):
        DISPUTE_RESOLUTION = "dispute_resolution", "Dispute resolution procedure"
        AUTHORISED_OFFICERS = (
            "authorised_officers",
            "Authorised officers, then dispute resolution",
        )

    class ChairArrangement(models.TextChoices):
        ELECTED = "elected", "Elected by unanimous agreement, re-elected yearly"
        ROTATION = "rotation", "Rotates between partners"
        ALTERNATION = "alternation", "Alternates between named seats"
        ALTERNATE_CHAIRS = "alternate_chairs", "Alternate chairs"
        APPOINTED = "appointed", "Appointed"

    name = models.CharField(max_length=250, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="boards",
        null=True,
        blank=True,
    )
    partners = models.ManyToManyField(Partner, related_name="boards")
    decision_making = models.BooleanField(
        default=True, help_text="Holds delegated authority; advisory boards do not."
    )
    decision_rule = models.CharField(
        max_length=10, choices=DecisionRule.choices, default=DecisionRule.UNANIMOUS
    )
    escalation = models.CharField(
        max_length=20, choices=Escalation.choices, default=Escalation.DISPUTE_RESOLUTION
    )
    chair_casting_vote = models.BooleanField(default=False)
    # Rules applied only where the board's terms state them (SPEC s.1, s.4): a new
    # board starts with none of them.
    absent_partner_rule = models.BooleanField(
        default=False,
        help_text="No commitment on behalf of a partner not present without its "
        "prior written position (Portsmouth PMG ToR 4.4, West Kent 3.4).",
    )
    delegated_authority_rule = models.BooleanField(
        default=False,
        help_text="A matter beyond a member's delegated authority is deferred "
        "(Portsmouth PMG ToR 5.2); a voting seat with no limit recorded has none.",
    )
    deputising_chair = models.BooleanField(
        default=False,
        help_text="Another member may chair in the designated chair's absence "
        "(JCG 7: deputising can be provided from either organisation).",
    )
    decision_scope = models.JSONField(
        default=list,
        blank=True,
        help_text="The kinds of decision the terms allow; empty: not limited by them.",
    )
    risk_share_commitments_only = models.BooleanField(
        default=False,
        help_text="Commitments only in accordance with the risk-sharing arrangements "
        "of the agreement (Leicestershire IFPG).",
    )
    minutes_deadline_days = models.PositiveSmallIntegerField(default=7)
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporting_boards",
    )
    purpose = models.TextField(blank=True)
    meeting_frequency_months = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1)]
    )
    extraordinary_notice_clear_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Clear days' notice of an extraordinary meeting, called by a voting "
        "member (Portsmouth PMG ToR 4.6); blank: not stated, not applied.",
    )
    clear_days_working_only = models.BooleanField(
        default=True,
        help_text="Clear days exclude weekends and bank holidays (Elitestone, 1993).",
    )
    papers_working_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Working days before the meeting by which the agenda and papers are "
        "issued (Leicestershire IE: 4); blank: not stated, not applied.",
    )
    reconvene_within_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days within which an inquorate meeting is reconvened "
        "(Leicestershire IFPG: one month); blank: not stated, not applied.",
    )
    chair_arrangement = models.CharField(
        max_length=20,
        choices=ChairArrangement.choices,
        default=ChairArrangement.APPOINTED,
    )
    chair_term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="boards_as_secretary", blank=True
    )
    active = models.BooleanField(default=True)

    history = HistoricalRecords(m2m_fields=[partners, secretaries])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("boards:detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.short_name or self.name


class TermsOfReference(models.Model):
    """A version of a board's terms of reference. Portsmouth: reviewed at least
    every three years."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="terms")
    version = models.CharField(max_length=20)
    summary = models.TextField(blank=True)
    reviewed_by = models.CharField(max_length=200, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    approved_by = models.CharField(max_length=200, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    review_due = models.DateField()
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="The document this version is recorded from, or 'local practice'.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "-review_due"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "version"], name="unique_tor_version"
            )
        ]

    def __str__(self):
        return f"{self.board.label} ToR v{self.version}"

    def is_past_review(self, today) -> bool:
        return self.review_due < today

    @property
    def approved(self) -> bool:
        return bool(self.approved_by) and self.approved_on is not None


class Seat(models.Model):
    """A post on a board belonging to a partner. Voting seats must have a deputy
    "who has delegated authority to act on their behalf and exercise their voting
    rights" (Portsmouth PMG ToR 1.1); the deputy counts and votes only if notified
    in advance of the meeting (Leicestershire IFPG)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="seats")
    title = models.CharField(max_length=200)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="seats")
    voting = models.BooleanField(default=True)
    categories = models.JSONField(default=list, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seats_held",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seats_deputised",
    )
    deputy_notified_on = models.DateField(null=True, blank=True)
    delegated_authority_limit = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Largest financial commitment the seat may agree. On a board with "
        "the delegated-authority rule, blank means no authority recorded.",
    )
    is_chair = models.BooleanField(default=False)
    is_alternate_chair = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "order", "id"]

    def __str__(self):
        return f"{self.title} ({self.partner.label})"

    @property
    def deputy_notified(self) -> bool:
        return self.deputy_id is not None and self.deputy_notified_on is not None


class ChairTerm(models.Model):
    """Who chairs a board and for how long (IFPG: elected, re-elected after each
    anniversary; JCG: rotates every six months; IE: alternates every two years)."""

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="chair_terms"
    )
    seat = models.ForeignKey(
        Seat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chair_terms",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chair_terms"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the term is recorded (a document and paragraph), or "
        "'local practice'.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "-starts_on"]

    def __str__(self):
        return f"{self.person} chairs {self.board.label} from {self.starts_on}"


class QuorumRule(models.Model):
    """Quorum as data (SPEC s.3). ``min_present`` counts every seat represented;
    the per-partner voting minimum counts voting seats only."""

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="quorum_rules"
    )
    business_type = models.CharField(
        max_length=30, choices=BusinessType.choices, default=BusinessType.ROUTINE
    )
    min_present = models.PositiveSmallIntegerField(default=0)
    min_voting_per_partner = models.PositiveSmallIntegerField(default=0)
    min_any_per_partner = models.PositiveSmallIntegerField(default=0)
    category_minimums = models.JSONField(default=dict, blank=True)
    per_partner_category_minimums = models.JSONField(default=dict, blank=True)
    partner_kind_minimums = models.JSONField(default=dict, blank=True)
    chair_required = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "business_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "business_type"],
                name="unique_quorum_rule_per_business",
            )
        ]

    def __str__(self):
        return f"{self.board.label}: quorum for {self.get_business_type_display()}"

    def as_data(self):
        """The rule as the quorum engine's dataclass."""
        from .quorum import QuorumRuleData

        return QuorumRuleData(
            business_type=self.business_type,
            min_present=self.min_present,
            min_voting_per_partner=self.min_voting_per_partner,
            min_any_per_partner=self.min_any_per_partner,
            category_minimums=dict(self.category_minimums or {}),
            per_partner_category_minimums=dict(
                self.per_partner_category_minimums or {}
            ),
            partner_kind_minimums=dict(self.partner_kind_minimums or {}),
            chair_required=self.chair_required,
        )


class RuleSource(models.Model):
    """Where a rule of a board comes from (SPEC s.1): its terms (a document and
    paragraph, e.g. "Portsmouth PMG ToR" "4.4") or local practice (who decided, and
    when). ``rule`` names a board setting (``absent_partner_rule``), a quorum rule
    (``quorum.routine``) or, with ``seat``, a seat's ``delegated_authority_limit``.
    A rule with no source is "not stated in the terms of reference"."""

    class Kind(models.TextChoices):
        TERMS = "terms", "Stated in the terms"
        LOCAL_PRACTICE = "local_practice", "Local practice"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="sources")
    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="sources"
    )
    rule = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    document = models.CharField(max_length=200, blank=True)
    paragraph = models.CharField(max_length=60, blank=True)
    quote = models.TextField(blank=True, help_text="The clause, in its own words.")
    decided_by = models.CharField(max_length=200, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "rule", "seat_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "rule"],
                condition=models.Q(seat__isnull=True),
                name="one_source_per_board_rule",
            ),
            models.UniqueConstraint(
                fields=["board", "rule", "seat"],
                condition=models.Q(seat__isnull=False),
                name="one_source_per_seat_rule",
            ),
        ]

    def __str__(self):
        return f"{self.board.label} {self.rule}: {self.citation}"

    def as_data(self):
        from .citations import Source

        return Source(
            kind=self.kind,
            document=self.document,
            paragraph=self.paragraph,
            quote=self.quote,
            decided_by=self.decided_by,
            decided_on=self.decided_on,
        )

    @property
    def citation(self) -> str:
        from .citations import cite

        return cite(self.as_data())
