from django.conf import settings

from .models import Role
from .sso import sso_enabled


def navigation(request):
    """The navigation entries a person's role gives them."""
    user = getattr(request, "user", None)
    sso = {
        "sso_enabled": sso_enabled(),
        "sso_provider_name": settings.OIDC_PROVIDER_NAME,
    }
    if user is None or not user.is_authenticated:
        return {"nav_items": [], **sso}
    items = [("dashboard", "Dashboard")]
    items += [("boards:list", "Boards"), ("meetings:list", "Meetings")]
    items.append(("planning:index", "Forward plans"))
    if user.role in (
        Role.FINANCE_OFFICER,
        Role.FUND_MANAGER,
        Role.ADMINISTRATOR,
        Role.AUDITOR,
        Role.SECRETARY,
    ):
        items.append(("pooled_funds:list", "Pooled funds"))
    if user.has_perm("governance.view_people"):
        items.append(("people:list", "People"))
    if user.role not in (Role.AUDITOR, Role.ADMINISTRATOR):
        items.append(("meetings:my_records", "My records"))
    if user.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        items.append(("audit:history", "Audit history"))
    return {"nav_items": items, "Role": Role, **sso}
