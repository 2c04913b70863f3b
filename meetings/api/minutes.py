"""API for minutes (SPEC s.8)."""

urlpatterns: list = []
