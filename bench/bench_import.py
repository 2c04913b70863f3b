"""Time the return import: validate and save a 500-line and a 5,000-line file, then
re-import it with every value changed (the update path), by ``UPDATE ... FROM
(VALUES ...)`` in batches of 1,000 (``governance.bulk``, what the app does) and, in
the same run, by Django's ``bulk_update`` (CASE/WHEN, what it did before issue 17).

    .venv/bin/python bench/bench_import.py                 # SQLite, in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/bench_import.py

Runs in a throwaway test database (``test_<NAME>``), created without migrations
and dropped afterwards. Prints, per size: seconds to read and validate the CSV,
seconds for the whole first import (validate + save in one transaction) and its
queries, and seconds for each re-import (target: 5,000 lines <= 1 s) and its
queries.
"""

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def main() -> None:
    settings.MIGRATION_MODULES = _NoMigrations()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from boards.models import Agreement, Partner
    from governance.models import User
    from pooled_funds import imports
    from pooled_funds.models import PooledFund, Scheme
    from pooled_funds.services import returns

    user = User.objects.create_user("bench@example.org", name="Bench")
    partner = Partner.objects.create(name="Bench partner", kind="nhs_body")
    print(f"database: {connection.vendor}")
    print(
        f"{'lines':>6} {'validate s':>11} {'import s':>9} {'queries':>8} "
        f"{'re-import VALUES s':>19} {'queries':>8} {'re-import CASE/WHEN s':>22} "
        f"{'queries':>8}"
    )
    for n in (500, 5000):
        agreement = Agreement.objects.create(
            name=f"Bench {n}", host_partner=partner, starts_on="2015-04-01"
        )
        fund = PooledFund.objects.create(
            agreement=agreement,
            name=f"Bench fund {n}",
            host_partner=partner,
            financial_year=2015,
            pooled_total=Decimal(1000 * n),
        )
        Scheme.objects.bulk_create(
            Scheme(
                fund=fund,
                reference=f"REF {i:05d}",
                name=f"Scheme {i}",
                lead_partner=partner,
                budget=Decimal("1000"),
            )
            for i in range(n)
        )

        def content(actual, forecast, note, n=n):
            rows = imports.template_rows(
                period="2015-Q1",
                schemes=[
                    (f"REF {i:05d}", f"Scheme {i}", Decimal("1000")) for i in range(n)
                ],
            )
            for row in rows[1:-1]:
                row[5], row[6], row[8] = actual, forecast, note
            rows[-1][5] = str(Decimal(actual) * n)
            rows[-1][6] = str(Decimal(forecast) * n)
            return imports.template_csv(rows)

        first = content("250.50", "990", "On plan")
        started = time.perf_counter()
        table = imports.read_csv(first)
        result = imports.validate_rows(
            table[1:],
            period="2015-Q1",
            frequency="quarterly",
            financial_year=2015,
            schemes=returns.scheme_infos(fund),
            headings=table[0]["_headings"],
        )
        validate_s = time.perf_counter() - started
        assert result.ok, result.errors[:3]

        def timed(data, fund=fund):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                ret = returns.return_import(
                    fund=fund,
                    period="2015-Q1",
                    filename="r.csv",
                    content=data,
                    user=user,
                )
            return ret, time.perf_counter() - started, len(queries)

        ret, import_s, import_q = timed(first)
        assert ret.lines.count() == n
        again = content("260.75", "995", "Revised")
        _, values_s, values_q = timed(again)
        assert set(ret.lines.values_list("actual_to_date", flat=True)) == {
            Decimal("260.75")
        }
        # The same re-import through django-simple-history's bulk_update (the code
        # before issue 17), for the ratio in one run.
        before = returns.bulk_update_with_history
        returns.bulk_update_with_history = _case_when_update
        try:
            _, case_s, case_q = timed(content("270.25", "999", "Third"))
        finally:
            returns.bulk_update_with_history = before
        assert set(ret.lines.values_list("actual_to_date", flat=True)) == {
            Decimal("270.25")
        }
        print(
            f"{n:>6} {validate_s:>11.3f} {import_s:>9.3f} {import_q:>8} "
            f"{values_s:>19.3f} {values_q:>8} {case_s:>22.3f} {case_q:>8}"
        )


def _case_when_update(objs, model, fields, *, batch_size, default_user):
    from simple_history.utils import bulk_update_with_history

    return bulk_update_with_history(
        objs, model, fields, batch_size=batch_size, default_user=default_user
    )


if __name__ == "__main__":
    main()
