from django.core.management.base import BaseCommand

from governance import demo


class Command(BaseCommand):
    help = "Print the demo logins (after load_demo)."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins (password: {demo.DEMO_PASSWORD}):")
        for email, _name, role, _title in demo.DEMO_LOGINS:
            self.stdout.write(f"  {role.label:<22} {email}")
