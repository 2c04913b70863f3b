"""The audit history page costs the same queries for a page of 3 changes and a
page of 50: each row's previous record and each foreign key are read once for the
page (issue 17: it was 3 queries a row), and each row still shows what changed."""

import pytest
from django.urls import reverse

from boards.models import Board
from tests.boards.factories import BoardFactory
from tests.query_counts import SESSION_QUERIES, USER_QUERIES

pytestmark = pytest.mark.django_db

# The session and the user (unless cached: tests/query_counts.py), then 2 count of the
# model's changes, 3 one page of changes (the author joined, the id of each row's
# previous record by a subquery), 4 those previous records, 5 the secretaries and
# 6 the partners each of them kept (one query a many-to-many field), 7 the boards'
# agreements (one query a foreign key, never one a row).
AUDIT_PAGE = SESSION_QUERIES + USER_QUERIES + 6


def _changes(n):
    for k in range(n):
        board = BoardFactory(name=f"Audited board {k}")
        board.purpose = f"Purpose {k}"
        board.save()


@pytest.mark.parametrize("changes", [2, 30])
def test_audit_history_queries_do_not_grow_with_rows(
    client, auditor, changes, django_assert_num_queries
):
    _changes(changes)
    client.force_login(auditor)
    with django_assert_num_queries(AUDIT_PAGE):
        response = client.get(reverse("audit:history"), {"model": "boards.board"})
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.object_list) == min(50, 2 * changes)
    edited = [r for r in page.object_list if r.history_type == "~"]
    assert edited and all(
        [(c.field, c.new) for c in r.changes] == [("purpose", r.purpose)]
        for r in edited
    )
    created = [r for r in page.object_list if r.history_type == "+"]
    assert all(r.changes == [] for r in created)
    assert Board.objects.count() == changes
