from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from governance.dashboard import register_panels

        from . import selectors

        register_panels(selectors.dashboard_panels)
