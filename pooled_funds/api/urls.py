from django.urls import path

from . import views

urlpatterns = [
    path("funds/", views.FundList.as_view(), name="api-funds"),
    path("funds/<int:pk>/", views.FundDetail.as_view(), name="api-fund"),
    path(
        "funds/<int:pk>/schemes/", views.SchemeList.as_view(), name="api-fund-schemes"
    ),
    path(
        "funds/<int:pk>/contributions/",
        views.ContributionList.as_view(),
        name="api-fund-contributions",
    ),
    path(
        "funds/<int:pk>/returns/", views.FundReturns.as_view(), name="api-fund-returns"
    ),
    path(
        "funds/<int:pk>/risk-share/",
        views.RiskShare.as_view(),
        name="api-fund-risk-share",
    ),
    path(
        "funds/<int:pk>/decisions/",
        views.FundDecisions.as_view(),
        name="api-fund-decisions",
    ),
    path(
        "funds/<int:pk>/metric-actuals/",
        views.MetricActuals.as_view(),
        name="api-fund-metric-actuals",
    ),
    path(
        "fund-returns/<int:pk>/", views.ReturnDetail.as_view(), name="api-fund-return"
    ),
    path(
        "fund-schemes/<int:pk>/", views.SchemeDetail.as_view(), name="api-fund-scheme"
    ),
    path(
        "fund-contributions/<int:pk>/",
        views.ContributionDetail.as_view(),
        name="api-fund-contribution",
    ),
    path(
        "fund-returns/<int:pk>/submit/",
        views.ReturnSubmit.as_view(),
        name="api-fund-return-submit",
    ),
    path(
        "fund-returns/<int:pk>/approve/",
        views.ReturnApprove.as_view(),
        name="api-fund-return-approve",
    ),
    path(
        "fund-returns/<int:pk>/send-back/",
        views.ReturnSendBack.as_view(),
        name="api-fund-return-send-back",
    ),
]
