from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from governance.dashboard import register_panels
        from governance.person_page import register_person_section

        from . import selectors, versions
        from .selectors import members, people

        versions.connect()
        register_panels(selectors.dashboard_panels)
        register_person_section(
            "meetings/partials/person_section.html", people.person_section
        )
        register_person_section(
            "meetings/partials/person_records.html", members.person_section
        )
