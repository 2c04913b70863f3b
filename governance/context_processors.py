from .models import Role


def navigation(request):
    """The navigation entries a person's role gives them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("dashboard", "Dashboard")]
    items += [("boards:list", "Boards"), ("meetings:list", "Meetings")]
    if user.role in (
        Role.FINANCE_OFFICER,
        Role.FUND_MANAGER,
        Role.ADMINISTRATOR,
        Role.AUDITOR,
        Role.SECRETARY,
    ):
        items.append(("pooled_funds:list", "Pooled funds"))
    if user.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        items.append(("audit:history", "Audit history"))
    return {"nav_items": items, "Role": Role}
