from importlib import import_module

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = "Governance"

    def ready(self):
        # The receivers connect when their module is imported.
        import_module(f"{self.name}.signals")
