"""Reads shaped for one page or endpoint."""


def dashboard_panels(user) -> list[dict]:
    """Panels this app adds to a person's dashboard."""
    return []
