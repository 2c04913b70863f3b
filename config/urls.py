"""The root URLconf: each app's pages and its part of API version 1."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

api_v1 = [
    path("", include("governance.api_urls")),
    path("", include("boards.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("pooled_funds.api.urls")),
    path("", include("planning.api.urls")),
    path("public/", include("publication.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

urlpatterns = [
    path("", include("governance.urls")),
    path("boards/", include("boards.urls")),
    path("meetings/", include("meetings.urls")),
    path("funds/", include("pooled_funds.urls")),
    path("planning/", include("planning.urls")),
    path("public/", include("publication.urls")),
    path("publication/", include("publication.urls_manage")),
    path("api/v1/", include(api_v1)),
]

handler403 = "governance.errors.permission_denied"
handler404 = "governance.errors.page_not_found"
handler500 = "governance.errors.server_error"
