"""Pages for decisions (thin: forms and services)."""

urlpatterns: list = []
