from django.urls import path

from . import views

urlpatterns = [
    path(
        "boards/<int:pk>/obligations/",
        views.BoardObligations.as_view(),
        name="api-board-obligations",
    ),
    path(
        "boards/<int:pk>/forward-plan/",
        views.BoardForwardPlan.as_view(),
        name="api-board-forward-plan",
    ),
    path(
        "boards/<int:pk>/forward-plan/accept/",
        views.ForwardPlanAccept.as_view(),
        name="api-board-forward-plan-accept",
    ),
]
