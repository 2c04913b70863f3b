from django.urls import path

from . import views

urlpatterns = [
    path("boards/", views.BoardList.as_view(), name="api-public-boards"),
    path("boards/<int:pk>/", views.BoardDetail.as_view(), name="api-public-board"),
    path(
        "meetings/<int:pk>/", views.MeetingDetail.as_view(), name="api-public-meeting"
    ),
    path("items/<int:pk>/", views.ItemDetail.as_view(), name="api-public-item"),
    path("decisions/", views.DecisionList.as_view(), name="api-public-decisions"),
    path(
        "decisions/<int:pk>/",
        views.DecisionDetail.as_view(),
        name="api-public-decision",
    ),
    path("search/", views.Search.as_view(), name="api-public-search"),
]
