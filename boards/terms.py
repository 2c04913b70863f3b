"""Terms of reference reviews (SPEC s.1). Pure: no ORM, no clock.

Portsmouth PMG ToR: "Review due: At least every three years or earlier should business
needs require it." When a secretary records a version without a review date, the
review falls due three years after it was reviewed (or approved). The product reminds
the board's secretaries ``REMINDER_DAYS`` (60) days before a review falls due, once
per version and review date.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

REVIEW_EVERY_YEARS = 3
REMINDER_DAYS = 60


def default_review_due(
    *, reviewed_on: date | None, approved_on: date | None, today: date
) -> date:
    """Three years after the latest of reviewed / approved (or today)."""
    base = max([d for d in (reviewed_on, approved_on) if d] or [today])
    return base + relativedelta(years=REVIEW_EVERY_YEARS)


@dataclass(frozen=True)
class ReviewStatus:
    state: str  # "ok", "due_soon", "overdue"
    days_left: int

    @property
    def needs_attention(self) -> bool:
        return self.state != "ok"


def review_status(review_due: date, today: date) -> ReviewStatus:
    days = (review_due - today).days
    if days < 0:
        return ReviewStatus("overdue", days)
    if days <= REMINDER_DAYS:
        return ReviewStatus("due_soon", days)
    return ReviewStatus("ok", days)


def reminder_window(today: date) -> date:
    """Reviews due on or before this date get a reminder today."""
    return today + timedelta(days=REMINDER_DAYS)
