from django.apps import AppConfig


class BoardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "boards"
    verbose_name = "Boards"

    def ready(self):
        from governance.dashboard import register_panels
        from governance.grants import RoleName
        from governance.permissions import register_held_roles
        from governance.person_page import register_person_section
        from governance.services.people import register_merge_check

        from . import permissions, person_section, roles, selectors

        register_panels(selectors.dashboard_panels)
        register_held_roles(RoleName.BOARD_SECRETARY, permissions.held_board_roles)
        roles.register()
        register_person_section(
            "boards/partials/person_section.html", person_section.person_section
        )
        register_merge_check(person_section.merge_check)
