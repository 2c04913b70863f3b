"""Reads for meetings, shaped for one page or endpoint."""


def dashboard_panels(user) -> list[dict]:
    return []
