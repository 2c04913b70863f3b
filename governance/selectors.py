"""Reads for the cross-cutting pages."""

from .dashboard import panels_for


def dashboard_for_user(user) -> dict:
    return {"panels": panels_for(user)}
