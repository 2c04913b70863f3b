from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from governance import demo

# Each app's demo module builds on the ones before it.
DEMO_MODULES = (
    "boards.demo",
    "meetings.demo",
    "meetings.demo_decisions",
    "meetings.demo_minutes",
    "pooled_funds.demo",
)


class Command(BaseCommand):
    help = "Load the demo boards, people, meetings and funds. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        logins = demo.load()
        for name in DEMO_MODULES:
            import_module(name).load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password: {demo.DEMO_PASSWORD}):")
        for email, role in logins:
            self.stdout.write(f"  {role:<22} {email}")
