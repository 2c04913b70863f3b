"""Small helpers shared by the meeting service modules."""

from datetime import date, datetime

from django.utils import timezone


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()
