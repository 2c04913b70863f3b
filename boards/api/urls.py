from django.urls import path

from . import views

urlpatterns = [
    path("partners/", views.PartnerList.as_view(), name="api-partners"),
    path("partners/<int:pk>/", views.PartnerDetail.as_view(), name="api-partner"),
    path("people/", views.PersonList.as_view(), name="api-people"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="api-person"),
    path("agreements/", views.AgreementList.as_view(), name="api-agreements"),
    path("agreements/<int:pk>/", views.AgreementDetail.as_view(), name="api-agreement"),
    path(
        "agreements/<int:pk>/authorised-officers/",
        views.AuthorisedOfficerList.as_view(),
        name="api-authorised-officers",
    ),
    path("boards/", views.BoardList.as_view(), name="api-boards"),
    path("boards/<int:pk>/", views.BoardDetail.as_view(), name="api-board"),
    path("boards/<int:pk>/seats/", views.SeatList.as_view(), name="api-seats"),
    path(
        "boards/<int:pk>/sources/",
        views.BoardSources.as_view(),
        name="api-board-sources",
    ),
    path("seats/<int:pk>/", views.SeatDetail.as_view(), name="api-seat"),
    path(
        "boards/<int:pk>/quorum-rules/",
        views.QuorumRuleList.as_view(),
        name="api-quorum-rules",
    ),
    path(
        "quorum-rules/<int:pk>/",
        views.QuorumRuleDetail.as_view(),
        name="api-quorum-rule",
    ),
]
