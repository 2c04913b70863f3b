"""Signed-in pages of the publication app, under /publication/."""

from django.urls import path

from .views import manage

app_name = "publication"

urlpatterns = [
    path("boards/<int:pk>/", manage.publication_edit, name="board_publication"),
]
