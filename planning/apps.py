from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """What each board owes and when: obligations from its documents, the forward
    plan of its meetings. Above pooled funds (a plan draws on funds' reporting
    cycles and on meetings' referred items and actions); pages below show its
    content through the registrations here."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
    verbose_name = "Obligations and forward plans"

    def ready(self):
        from boards.sections import register_board_section
        from governance.dashboard import register_panels

        from . import selectors

        register_panels(selectors.dashboard_panels)
        register_board_section(
            "planning/partials/board_obligations.html", selectors.board_section
        )
