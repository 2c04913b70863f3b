"""Reads, by area. ``dashboard_panels`` gathers each area's panels."""


def dashboard_panels(user) -> list[dict]:
    # Imported here: the quorum adapter reads ``selectors.eligibility``, and the
    # area modules read the quorum adapter.
    from . import decisions, meetings, minutes

    return [
        *meetings.dashboard_panels(user),
        *decisions.dashboard_panels(user),
        *minutes.dashboard_panels(user),
    ]
