from django.apps import AppConfig


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publication"
    verbose_name = "Publication"

    def ready(self):
        from boards.sections import register_board_section

        from . import selectors, signals

        signals.connect()
        register_board_section(
            "publication/partials/board_section.html", selectors.board_section
        )
