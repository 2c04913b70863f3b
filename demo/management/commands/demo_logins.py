from django.core.management.base import BaseCommand

from demo import load
from governance.models import Role


class Command(BaseCommand):
    help = "Print the demo logins (after load_demo)."

    def handle(self, *args, **options):
        password, logins = load.logins()
        self.stdout.write(f"Demo logins (password: {password}):")
        for login in logins:
            self.stdout.write(f"  {Role(login['role']).label:<22} {login['email']}")
