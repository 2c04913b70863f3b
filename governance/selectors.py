"""Reads for the cross-cutting pages. Each app contributes its own panels through
``dashboard_panels`` in its selectors; the dashboard only assembles them."""

from importlib import import_module

DASHBOARD_APPS = ("boards", "meetings", "pooled_funds")


def dashboard_for_user(user) -> dict:
    panels = []
    for app in DASHBOARD_APPS:
        selectors = import_module(f"{app}.selectors")
        provider = getattr(selectors, "dashboard_panels", None)
        if provider is not None:
            panels.extend(provider(user))
    return {"panels": panels}
