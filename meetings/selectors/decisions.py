"""Reads for decisions, shaped for one page or endpoint."""


def dashboard_panels(user) -> list[dict]:
    return []
