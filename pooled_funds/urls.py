from django.urls import path

from . import views

app_name = "pooled_funds"

urlpatterns = [
    path("", views.fund_list, name="list"),
    path("new/", views.fund_create, name="fund_create"),
    path("<int:pk>/edit/", views.fund_edit, name="fund_edit"),
    path("<int:pk>/schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path(
        "<int:pk>/contributions/new/",
        views.contribution_create,
        name="contribution_create",
    ),
    path(
        "contributions/<int:pk>/edit/",
        views.contribution_edit,
        name="contribution_edit",
    ),
    path("<int:pk>/", views.fund_detail, name="detail"),
    path("<int:pk>/returns/enter/", views.return_enter, name="return_enter"),
    path("<int:pk>/returns/upload/", views.return_upload, name="return_upload"),
    path(
        "<int:pk>/returns/template.<str:fmt>",
        views.return_template,
        name="return_template",
    ),
    path("<int:pk>/decisions/new/", views.decision_record, name="decision_record"),
    path("<int:pk>/metrics/", views.metric_actuals, name="metric_actuals"),
    path("returns/<int:pk>/", views.return_detail, name="return"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("returns/<int:pk>/report.pdf", views.return_report, name="return_report"),
    path("returns/<int:pk>/bcf.csv", views.return_bcf_csv, name="return_bcf_csv"),
    path("returns/<int:pk>/bcf.xlsx", views.return_bcf_xlsx, name="return_bcf_xlsx"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/approve/", views.return_approve, name="return_approve"),
    path(
        "returns/<int:pk>/send-back/", views.return_send_back, name="return_send_back"
    ),
]
