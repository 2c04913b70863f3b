"""``{{ moment|hms }}``: an aware moment as HH:MM:SS in UK time, as Django's
``time:"H:i:s"`` gives it, at a third of the cost (it is drawn once a vote, and a
meeting page can show a thousand votes)."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def hms(moment) -> str:
    if not moment:
        return ""
    return timezone.localtime(moment).strftime("%H:%M:%S")
