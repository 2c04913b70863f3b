"""API for meetings, items, attendance and quorum (SPEC s.8)."""

urlpatterns: list = []
