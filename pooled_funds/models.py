"""Pooled funds: contributions, funding streams, schemes, returns, metrics, the
performance payment and board decisions on money (SPEC s.6).

Derived figures (variance, RAG, risk share) are never stored: they are computed by
the pure modules ``variance.py``, ``risk_share.py`` and ``performance.py`` from the
figures entered here.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from boards.models import Agreement, Board, Partner
from governance.workflow import Transition

from . import periods

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Frequency(models.TextChoices):
    """How often the finance officers make a return (PMG monthly; IFPG, Kent
    quarterly)."""

    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class FundingStream(models.TextChoices):
    """BCF income by source (SPEC s.6, quarterly and year-end BCF reporting)."""

    NHS_MINIMUM = "nhs_minimum", "NHS minimum contribution"
    BETTER_CARE_GRANT = (
        "better_care_grant",
        "Local Authority Better Care Grant (formerly iBCF)",
    )
    DISABLED_FACILITIES_GRANT = "dfg", "Disabled Facilities Grant"
    SOCIAL_CARE_CAPITAL = "social_care_capital", "Social Care Capital Grant"
    ADDITIONAL = "additional", "Additional contribution"


class SchemeType(models.TextChoices):
    NHS = "nhs", "NHS scheme"
    LOCAL_AUTHORITY = "local_authority", "Local authority scheme"
    CAPITAL = "capital", "Capital grant"
    ENABLER = "enabler", "System enabler"


class PooledFund(models.Model):
    """A pooled fund under a section 75 agreement, hosted by one partner.

    ``financial_year`` is the year the financial year starts (2015 = 2015/16).
    ``due_day``: a return is due on this day of the month after its period ends
    (West Kent quarter April-June 2015 with due day 15: due 15 July 2015).
    ``board`` is the partnership board that receives the returns and takes the
    decisions on money; blank means the agreement's first decision-making board.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="pooled_funds"
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pooled_funds",
    )
    name = models.CharField(max_length=250, unique=True)
    host_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="hosted_funds"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funds_managed",
        help_text="The pooled fund manager: approves or returns the returns.",
    )
    finance_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="funds_as_finance_officer", blank=True
    )
    financial_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    due_day = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    pooled_total = models.DecimalField(
        **MONEY,
        validators=NOT_NEGATIVE,
        help_text="The pooled total the agreement states; contributions must add up to it.",
    )

    history = HistoricalRecords(m2m_fields=[finance_officers])

    class Meta:
        ordering = ["-financial_year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pooled_funds:detail", args=[self.pk])

    @property
    def year_label(self) -> str:
        return periods.year_label(self.financial_year)

    def period_labels(self) -> list[str]:
        return periods.labels(self.frequency, self.financial_year)


class Contribution(models.Model):
    """A partner's contribution to the pool from one funding stream, to one scheme
    (or to the pool at large) and for one locality (blank: the whole area). A
    ring-fenced stream may only be used for its purpose (West Kent 3.1: the Disabled
    Facilities Grant): ``ring_fence.py`` refuses every decision that would move it,
    and its conditions are shown wherever the money is. The partner who made a
    contribution is the one its scheme's agreed underspend returns to (Portsmouth
    cabinet report 7.2)."""

    fund = models.ForeignKey(
        PooledFund, on_delete=models.PROTECT, related_name="contributions"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    stream = models.CharField(max_length=20, choices=FundingStream.choices)
    scheme = models.ForeignKey(
        "Scheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        help_text="The scheme this money funds; blank: the pool at large.",
    )
    locality = models.CharField(
        max_length=100,
        blank=True,
        help_text="The locality the money is for (no cross-subsidy between "
        "localities, West Kent 4.1); blank: the whole area.",
    )
    amount = models.DecimalField(**MONEY, validators=NOT_NEGATIVE)
    ring_fenced = models.BooleanField(default=False)
    conditions = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "partner__name", "stream", "locality"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "partner", "stream", "scheme", "locality"],
                name="unique_contribution_line",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.partner} {self.get_stream_display()}: £{self.amount:,}"


class Scheme(models.Model):
    """A scheme funded from the pool. A budget of nil is a scheme with no direct
    funding, kept "for completeness" (West Kent WK005, WK006): it still has a line
    (of zeros) in every return. ``budget`` is the approved budget: set when the
    scheme is created, then changed only by a decision on money of the board.
    A scheme is never deleted; a closed one is made inactive and needs no line."""

    fund = models.ForeignKey(
        PooledFund, on_delete=models.PROTECT, related_name="schemes"
    )
    reference = models.CharField(max_length=40)
    name = models.CharField(max_length=250)
    lead_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+"
    )
    manager_responsible = models.CharField(max_length=200, blank=True)
    scheme_type = models.CharField(
        max_length=20, choices=SchemeType.choices, default=SchemeType.NHS
    )
    stream = models.CharField(
        max_length=20,
        choices=FundingStream.choices,
        blank=True,
        help_text="A ring-fenced stream this scheme spends, if any.",
    )
    budget = models.DecimalField(**MONEY, default=Decimal("0"), validators=NOT_NEGATIVE)
    locality = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "order", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "reference"], name="unique_scheme_reference"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    @property
    def directly_funded(self) -> bool:
        return self.budget > 0


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"


class Return(models.Model):
    """A monthly or quarterly return of the fund. Draft -> submitted -> approved
    (locked) or returned with reasons -> submitted again (``Return.TRANSITIONS``,
    applied by ``governance.workflow``; permissions checked on the fund).
    ``period`` is a label: "2015-Q1" (financial quarter) or "2015-06" (month)."""

    fund = models.ForeignKey(
        PooledFund, on_delete=models.PROTECT, related_name="returns"
    )
    period = models.CharField(max_length=10)
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    narrative = models.TextField(blank=True)
    difference_explanation = models.TextField(
        blank=True,
        help_text="Why the return's total budget differs from the contributions "
        "to the pool; required before submit when it does.",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agenda item carrying this approved return to the board.",
    )

    # Allowed state changes as data (``governance.workflow``); the permission is
    # checked on the fund (``available_actions(ret, user, subject=fund)``). Editing
    # (by form or upload) is allowed while the return is not locked.
    Status = ReturnStatus
    TRANSITION_RULE = "return_transition"
    TRANSITION_NOUN = "return"
    TRANSITIONS = {
        "edit": Transition(
            {ReturnStatus.DRAFT, ReturnStatus.RETURNED},
            None,
            "pooled_funds.enter_returns",
        ),
        "submit": Transition(
            {ReturnStatus.DRAFT, ReturnStatus.RETURNED},
            ReturnStatus.SUBMITTED,
            "pooled_funds.enter_returns",
        ),
        "approve": Transition(
            {ReturnStatus.SUBMITTED},
            ReturnStatus.APPROVED,
            "pooled_funds.approve_returns",
        ),
        "send_back": Transition(
            {ReturnStatus.SUBMITTED},
            ReturnStatus.RETURNED,
            "pooled_funds.approve_returns",
        ),
    }

    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "period"], name="unique_return_period"
            )
        ]

    def __str__(self):
        return f"{self.fund} return {self.period_label}"

    def get_absolute_url(self):
        return reverse("pooled_funds:return", args=[self.pk])

    @property
    def period_label(self) -> str:
        return periods.describe(self.period)

    @property
    def locked(self) -> bool:
        return self.status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)

    @property
    def paper_pending(self) -> bool:
        return self.status == ReturnStatus.APPROVED and self.agenda_item_id is None


class ReturnLine(models.Model):
    """One scheme's figures in a return. Variance, movement and RAG are derived
    (``variance.py``); an action plan is required where the forecast exceeds the
    budget."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="lines")
    original_budget = models.DecimalField(**MONEY, validators=NOT_NEGATIVE)
    budget = models.DecimalField(**MONEY, validators=NOT_NEGATIVE)
    actual_to_date = models.DecimalField(**MONEY, validators=NOT_NEGATIVE)
    forecast_outturn = models.DecimalField(**MONEY, validators=NOT_NEGATIVE)
    activity = models.CharField(max_length=300, blank=True)
    commentary = models.TextField(blank=True)
    action_plan = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["ret", "scheme__order", "scheme__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["ret", "scheme"], name="unique_return_scheme"
            )
        ]

    def __str__(self):
        return f"{self.scheme.reference} in {self.ret}"

    @property
    def variance(self) -> Decimal:
        return self.forecast_outturn - self.budget


class Metric(models.Model):
    """A BCF metric with its plan for the year (West Kent: non-elective admissions
    per 100,000 = 9049). ``lower_is_better``: a fall is an improvement."""

    fund = models.ForeignKey(
        PooledFund, on_delete=models.PROTECT, related_name="metrics"
    )
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=60, blank=True)
    planned = models.DecimalField(max_digits=14, decimal_places=2)
    lower_is_better = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "order", "id"]

    def __str__(self):
        return self.name


class MetricActual(models.Model):
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="actuals")
    period = models.CharField(max_length=10)
    actual = models.DecimalField(max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period"], name="unique_metric_period"
            )
        ]

    def __str__(self):
        return f"{self.metric} {self.period}: {self.actual}"


class PerformancePayment(models.Model):
    """The performance element (West Kent 4.1): £2.229m linked to a 3.5% reduction
    in non-elective admissions, calculated quarterly; the amount reflecting
    under-performance is retained by the CCG (``retained_by``). ``baseline`` is the
    metric's value before the reduction (``performance.py``)."""

    fund = models.OneToOneField(
        PooledFund, on_delete=models.PROTECT, related_name="performance_payment"
    )
    amount = models.DecimalField(**MONEY, validators=NOT_NEGATIVE)
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    target_reduction_percent = models.DecimalField(max_digits=5, decimal_places=2)
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    retained_by = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    def __str__(self):
        return f"Performance payment £{self.amount:,} ({self.fund})"


class FundDecision(models.Model):
    """A decision on money that needs a carried motion of the board (Portsmouth PMG
    ToR 5.1.1 redistribution within the aggregate; 5.1.2 commitments exceeding, or
    likely to exceed, the contributions; Portsmouth cabinet report 7.2: an agreed
    underspend returned to the partner who made the contribution)."""

    class Kind(models.TextChoices):
        REDISTRIBUTION = "redistribution", "Redistribution between schemes"
        COMMITMENT = "commitment", "Commitment beyond the contributions"
        UNDERSPEND_RETURN = (
            "underspend_return",
            "Underspend returned to the contributing partner",
        )

    fund = models.ForeignKey(
        PooledFund, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    from_scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Underspend returned: the contributing partner it goes back to.",
    )
    ret = models.ForeignKey(
        Return,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Underspend returned: the approved return that shows it.",
    )
    motion = models.ForeignKey(
        "meetings.Motion", on_delete=models.PROTECT, related_name="fund_decisions"
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion"], name="fund_decision_one_per_motion"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} £{self.amount:,}"


class ReturnReminder(models.Model):
    """A reminder sent for a fund's period; the unique constraint makes the beat
    task idempotent per (fund, period, kind)."""

    class Kind(models.TextChoices):
        DUE = "due", "Return due"
        OVERDUE = "overdue", "Return overdue"

    fund = models.ForeignKey(PooledFund, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "period", "kind"], name="unique_return_reminder"
            )
        ]

    def __str__(self):
        return f"{self.fund} {self.period} {self.kind}"


class ImportJob(models.Model):
    """A large return file imported in the background (SPEC s.7: long work runs in
    Celery and the page shows its progress, then the result). The file is kept
    with the job; the result is the return, or every error found."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Checking and saving"
        DONE = "done", "Saved"
        REJECTED = "rejected", "Rejected: nothing saved"
        FAILED = "failed", "Failed"

    fund = models.ForeignKey(PooledFund, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    errors = models.JSONField(default=list, blank=True)
    ret = models.ForeignKey(
        Return, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import of {self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("pooled_funds:import_job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (
            self.Status.DONE,
            self.Status.REJECTED,
            self.Status.FAILED,
        )
