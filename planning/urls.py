from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("boards/<int:pk>/obligations/", views.obligations, name="obligations"),
    path(
        "boards/<int:pk>/obligations/new/",
        views.obligation_add,
        name="obligation_add",
    ),
    path("obligations/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("boards/<int:pk>/forward-plan/", views.forward_plan, name="forward_plan"),
    path("boards/<int:pk>/forward-plan/accept/", views.accept, name="accept"),
    path(
        "boards/<int:pk>/forward-plan.ics",
        views.plan_ics,
        name="forward_plan_ics",
    ),
    path(
        "boards/<int:pk>/forward-plan.pdf",
        views.plan_pdf,
        name="forward_plan_pdf",
    ),
]
