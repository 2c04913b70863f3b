from django.apps import AppConfig


class PooledFundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pooled_funds"
    verbose_name = "Pooled funds"

    def ready(self):
        from boards.sections import register_board_section
        from governance.dashboard import register_panels
        from governance.grants import RoleName
        from governance.permissions import register_held_roles
        from meetings.reporting import register_reporting_cycles

        from . import roles, selectors

        register_panels(selectors.dashboard_panels)
        register_reporting_cycles(selectors.reporting_cycles)
        register_board_section(
            "pooled_funds/partials/board_funds.html", selectors.board_section
        )
        register_held_roles(RoleName.FUND_MANAGER, roles.held_fund_roles)
        roles.register()
