"""Pages for minutes (thin: forms and services)."""

urlpatterns: list = []
