from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo partnerships of the reference documents. The top layer: it loads data
    into every other app and nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
