from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo import load


class Command(BaseCommand):
    help = (
        "Load the demo boards, people, meetings and funds from demo/data/*.yaml "
        "through the services. Safe to run again."
    )

    def handle(self, *args, **options):
        load.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        call_command("demo_logins", stdout=self.stdout)
