"""API for decisions (SPEC s.8)."""

urlpatterns: list = []
