"""Members' records (issue 18): the standing register of interests of each person,
and its yearly reviews. Rules in ``meetings/interests.py``."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class RegisteredInterest(models.Model):
    """One entry on a person's standing register of interests: declared, updated,
    ended (never deleted), offered when declarations are taken on an item."""

    class Category(models.TextChoices):
        # NHS England, "Managing Conflicts of Interest in the NHS" (2017).
        FINANCIAL = "financial", "Financial interest"
        PROFESSIONAL = "professional", "Non-financial professional interest"
        PERSONAL = "personal", "Non-financial personal interest"
        INDIRECT = "indirect", "Indirect interest (close family member or associate)"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registered_interests",
    )
    category = models.CharField(max_length=15, choices=Category.choices)
    organisation = models.CharField(
        max_length=250, help_text="The body or company the interest is in."
    )
    description = models.TextField(help_text="What the interest is.")
    declared_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-declared_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("declared_on")),
                name="interest_ends_after_declared",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.description[:60]}"

    @property
    def declaration_text(self) -> str:
        """The words a declaration made from this entry records."""
        return (
            f"{self.get_category_display()}: {self.organisation}, "
            f"{self.description} (from the register of interests)"
        )


class RegisterReview(models.Model):
    """A person confirmed their register complete and correct on a day (at least
    yearly), nil returns included."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="register_reviews",
    )
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.person} register reviewed {self.reviewed_on}"
