"""Reads, by area. ``dashboard_panels`` gathers each area's panels."""

from . import decisions, meetings, minutes


def dashboard_panels(user) -> list[dict]:
    return [
        *meetings.dashboard_panels(user),
        *decisions.dashboard_panels(user),
        *minutes.dashboard_panels(user),
    ]
