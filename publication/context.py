"""What every public page shows of the organisation that publishes: its name and
logo (settings ``ORGANISATION_NAME`` and ``ORGANISATION_LOGO``, a static file path,
since the content security policy loads images from this site only)."""

from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static


def organisation() -> dict:
    logo = getattr(settings, "ORGANISATION_LOGO", "")
    return {
        "name": getattr(settings, "ORGANISATION_NAME", "Partnership Governance"),
        "logo": static(logo) if logo else "",
    }


def render_public(request, template: str, context: dict, **kwargs):
    return render(
        request, template, {"organisation": organisation(), **context}, **kwargs
    )
