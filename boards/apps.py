from django.apps import AppConfig


class BoardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "boards"
    verbose_name = "Boards"

    def ready(self):
        from governance.dashboard import register_panels

        from . import selectors

        register_panels(selectors.dashboard_panels)
