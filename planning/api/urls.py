from django.urls import path

from . import views

urlpatterns = [
    path(
        "boards/<int:pk>/obligations/",
        views.BoardObligations.as_view(),
        name="api-board-obligations",
    ),
]
