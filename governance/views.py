from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import audit
from .selectors import dashboard_for_user


@require_GET
def dashboard(request):
    return render(
        request, "governance/dashboard.html", dashboard_for_user(request.user)
    )


@require_GET
@permission_required("governance.view_audit", raise_exception=True)
def audit_history(request):
    """Auditors browse every model's history, newest first, with what changed."""
    models = audit.audited_models()
    label = request.GET.get("model") or (models[0]._meta.label_lower if models else "")
    model = audit.audited_model(label)
    page = None
    if model is not None:
        page = Paginator(audit.history_of(model), 50).get_page(request.GET.get("page"))
        audit.page_changes(page.object_list, model)
    return render(
        request,
        "governance/audit_history.html",
        {
            "models": [
                (
                    m._meta.label_lower,
                    f"{m._meta.app_config.verbose_name}: {m._meta.verbose_name}",
                )
                for m in models
            ],
            "selected": label,
            "page": page,
        },
    )
