"""Does the password reset page answer a known address and an unknown one alike?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/bench_password_reset.py

Runs in a throwaway test database (``test_<NAME>``), created without migrations and
dropped afterwards, with 1,000 people on record. Posts the reset form 200 times for a
known address and 200 times for unknown ones, interleaved, through the Django test
client (the full middleware stack) with the worker task's publish replaced by a no-op
(the broker's own time is the same for both). Prints the median and 90th percentile
of each, their difference, and the SQL queries per request.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = 200


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def main() -> None:
    settings.MIGRATION_MODULES = _NoMigrations()
    settings.PASSWORD_RESET_PER_ADDRESS = 10**6
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from django.test import Client

    from governance.models import User

    User.objects.bulk_create(
        User(email=f"person{n}@partner.example", name=f"Person {n}", password="x")
        for n in range(1000)
    )
    client = Client()
    timings = {"known": [], "unknown": []}
    queries = {}
    with mock.patch("governance.tasks.password_reset_mail.apply_async"):
        for n in range(ROUNDS):
            for kind, email in (
                ("known", f"person{n}@partner.example"),
                ("unknown", f"nobody{n}@partner.example"),
            ):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.post(
                        "/accounts/password_reset/", {"email": email}
                    )
                    timings[kind].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 302
                queries[kind] = len(captured)
    for kind, values in timings.items():
        values.sort()
        print(
            f"{kind:8} median {statistics.median(values):6.2f} ms  "
            f"p90 {values[int(len(values) * 0.9)]:6.2f} ms  "
            f"queries {queries[kind]}"
        )
    gap = statistics.median(timings["known"]) - statistics.median(timings["unknown"])
    print(f"difference of medians: {gap:+.2f} ms")


if __name__ == "__main__":
    main()
