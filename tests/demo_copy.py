"""The demo for tests that need it, loaded once per test process.

``manage.py load_demo`` takes half a minute (it runs the real services: every vote,
every minutes PDF, the audit history), and about twenty tests or modules need the
demo. On PostgreSQL the first ``load_demo()`` in a test process runs the command and
keeps a copy of every table (``COPY ... TO STDOUT``, in this process's memory) and of
the files it wrote; later calls empty the tables and copy the rows and files back,
in about a second. What the tests see is the command's own result: the copy is of
the database as the command left it. On SQLite the command runs every time.

Two copies are kept, because the demo leaves the database differently in the two
ways tests hold it: inside a transaction that is rolled back (``db`` tests and
module fixtures: after-commit work such as sending the outbox never runs) and in
autocommit (``transactional_db``, the browser journeys: it has run). A copy is
only ever restored in the way it was taken.

The rows come back with the numbers they had, so whatever this process or the
shared cache keeps under those numbers (pages, signed-in people) is dropped on each
restore; content types and permissions are not copied (below). ``tests/demo/test_history.py`` tests the command itself and
runs it for real.
"""

import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction

from governance.cache import database_id


@dataclass
class _Copy:
    tables: dict[str, tuple[list[str], bytes]] = field(default_factory=dict)
    media: Path | None = None


_copies: dict[bool, _Copy] = {}


def load_demo() -> None:
    """The database (and MEDIA_ROOT) as ``manage.py load_demo`` leaves it."""
    if connection.vendor != "postgresql":
        call_command("load_demo", stdout=io.StringIO())
        return
    in_transaction = connection.in_atomic_block
    copy = _copies.get(in_transaction)
    if copy is None:
        call_command("load_demo", stdout=io.StringIO())
        if not in_transaction:
            from governance.outbox import kicks_wait

            kicks_wait(timeout=30)  # the mail it queued is sent before the copy
        _copies[in_transaction] = _take()
    else:
        _restore(copy)


# Made by migrations, not by the demo, and numbered anew after each flush of a
# transactional test: left as they are, so their numbers (and Django's cache of
# them) stay true whenever the copy is restored. Nothing of the demo refers to them.
NOT_COPIED = {"django_content_type", "auth_permission"}


def _tables() -> list[str]:
    return sorted(
        set(
            connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
        )
        - NOT_COPIED
    )


def _columns(cursor, table: str) -> list[str]:
    description = connection.introspection.get_table_description(cursor, table)
    return [column.name for column in description]


def _take() -> _Copy:
    copy = _Copy()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            columns = _columns(cursor, table)
            buffer = io.BytesIO()
            cursor.copy_expert(
                f"COPY {quote(table)} ({', '.join(map(quote, columns))}) TO STDOUT",
                buffer,
            )
            copy.tables[table] = (columns, buffer.getvalue())
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        copy.media = Path(tempfile.mkdtemp(prefix="demo-media-"))
        shutil.copytree(media, copy.media, dirs_exist_ok=True)
    return copy


def _restore(copy: _Copy) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Every table at once; the sequences go on from where they are, so rows
        # made after this never reuse a number the copy holds.
        cursor.execute(f"TRUNCATE {', '.join(map(quote, copy.tables))} CASCADE")
        for table, (columns, rows) in copy.tables.items():
            if rows:
                cursor.copy_expert(
                    f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN",
                    io.BytesIO(rows),
                )
    if copy.media is not None:
        shutil.copytree(copy.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    caches["local"].clear()
    shared = caches["default"]
    if hasattr(shared, "delete_pattern"):
        shared.delete_pattern(f"*:{database_id()}:*")
    else:
        shared.clear()
