"""``governance.bulk``: a re-import's update by ``UPDATE ... FROM (VALUES ...)``
in batches writes exactly what Django's ``bulk_update`` would (decimals, blanks,
text with quotes, every row of every batch) and the audit history of each row,
copied in the database with the same values simple-history would write, by the
user, for the changed lines only; on SQLite the update falls back to
``bulk_update`` and the history copy is the same."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from governance.bulk import (
    bulk_update_values,
    bulk_update_with_history,
    db_value_preparer,
    history_insert_select,
)
from pooled_funds.models import ReturnLine
from pooled_funds.services.returns import LINE_FIELDS, return_enter
from tests.pooled_funds.conftest import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(fund, officer):
    rows = [line(s.reference, s.budget, 1, s.budget) for s in fund.schemes.all()]
    ret = return_enter(fund=fund, period="2015-Q1", rows=rows, user=officer)
    return list(ret.lines.order_by("pk"))


def test_update_writes_every_value_of_every_batch(lines, officer):
    for n, row in enumerate(lines):
        row.actual_to_date = Decimal("1234.56") + n
        row.forecast_outturn = Decimal("0.01")
        row.commentary = f'It\'s line {n}; "quoted"'
        row.action_plan = ""
    with CaptureQueriesContext(connection) as queries:
        updated = bulk_update_values(
            lines,
            ReturnLine,
            ["actual_to_date", "forecast_outturn", "commentary", "action_plan"],
            batch_size=2,
        )
    assert updated == len(lines) == 3
    assert len(queries) == 2  # two batches: 2 rows, then 1
    if connection.vendor == "postgresql":
        assert "FROM (VALUES" in queries.captured_queries[0]["sql"]
    for n, row in enumerate(ReturnLine.objects.order_by("pk")):
        assert row.actual_to_date == Decimal("1234.56") + n
        assert row.forecast_outturn == Decimal("0.01")
        assert row.commentary == f'It\'s line {n}; "quoted"'
        assert row.action_plan == ""


def test_update_with_history_keeps_before_and_after(lines, officer):
    lines[0].budget = Decimal("7")
    bulk_update_with_history(lines[:1], ReturnLine, ["budget"], default_user=officer)
    latest = ReturnLine.history.filter(id=lines[0].pk).order_by("-history_id")[0]
    assert (latest.history_type, latest.budget, latest.history_user) == (
        "~",
        Decimal("7"),
        officer,
    )
    changes = latest.diff_against(latest.prev_record).changes
    assert [(c.field, c.new) for c in changes] == [("budget", Decimal("7"))]


def test_nothing_to_update_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_update_values([], ReturnLine, ["budget"]) == 0


def _history(pk):
    return list(ReturnLine.history.filter(id=pk).order_by("history_id"))


def test_reimport_writes_one_history_record_per_changed_line_by_the_user(
    fund, officer, make_user
):
    rows = [line(s.reference, s.budget, 1, s.budget) for s in fund.schemes.all()]
    ret = return_enter(fund=fund, period="2015-Q1", rows=rows, user=officer)
    first = {row.pk: row for row in ret.lines.all()}
    reviser = make_user()
    rows[0]["actual_to_date"], rows[0]["commentary"] = "250.50", "Revised"
    rows[2]["forecast_outturn"] = str(Decimal(rows[2]["budget"]) + 1)
    rows[2]["action_plan"] = "Hold recruitment."
    return_enter(fund=fund, period="2015-Q1", rows=rows, user=reviser)
    after = {row.scheme.reference: row for row in ret.lines.select_related("scheme")}
    changed = [after[rows[0]["scheme"]], after[rows[2]["scheme"]]]
    unchanged = after[rows[1]["scheme"]]
    assert (changed[0].actual_to_date, changed[0].commentary) == (
        Decimal("250.50"),
        "Revised",
    )
    assert changed[1].action_plan == "Hold recruitment."
    for row in changed:
        created, updated = _history(row.pk)
        assert (created.history_type, created.history_user) == ("+", officer)
        assert (updated.history_type, updated.history_user) == ("~", reviser)
        assert updated.history_change_reason == ""
        assert updated.history_date > created.history_date
        for field in ["ret_id", "scheme_id", *LINE_FIELDS]:
            assert getattr(updated, field) == getattr(row, field), field
    assert [h.history_type for h in _history(unchanged.pk)] == ["+"]
    untouched = first[unchanged.pk]
    assert [getattr(unchanged, f) for f in LINE_FIELDS] == [
        getattr(untouched, f) for f in LINE_FIELDS
    ]


def test_history_copied_in_the_database_matches_simple_historys_own(lines, officer):
    """The same objects recorded both ways give the same values in every tracked
    column, in batches (2 rows, then 1)."""
    for n, row in enumerate(lines):
        row.budget = Decimal("10.05") * (n + 1)
        row.commentary = f"Line {n}: it's “quoted”"
    bulk_update_values(lines, ReturnLine, ["budget", "commentary"])
    ReturnLine.history.bulk_history_create(lines, update=True, default_user=officer)
    with CaptureQueriesContext(connection) as queries:
        written = history_insert_select(
            ReturnLine,
            [row.pk for row in lines],
            history_type="~",
            user=officer,
            batch_size=2,
        )
    assert written == 3
    assert len(queries) == 2
    tracked = [f.attname for f in ReturnLine.history.model.tracked_fields]
    for row in lines:
        *_, theirs, ours = _history(row.pk)
        assert [getattr(ours, f) for f in tracked] == [
            getattr(theirs, f) for f in tracked
        ]
        assert (ours.history_type, ours.history_user, ours.history_change_reason) == (
            theirs.history_type,
            theirs.history_user,
            theirs.history_change_reason,
        )


def test_an_object_with_its_own_history_user_keeps_it(lines, officer, make_user):
    someone = make_user()
    lines[0].budget, lines[0]._history_user = Decimal("8"), someone
    lines[1].budget = Decimal("9")
    bulk_update_with_history(lines[:2], ReturnLine, ["budget"], default_user=officer)
    assert _history(lines[0].pk)[-1].history_user == someone
    assert _history(lines[1].pk)[-1].history_user == officer
    assert _history(lines[1].pk)[-1].budget == Decimal("9")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("budget", Decimal("12.34")),
        ("budget", Decimal("0")),
        ("budget", 7),
        ("budget", "5.10"),
        ("budget", None),
        ("commentary", "It's"),
        ("commentary", ""),
        ("commentary", gettext_lazy("Revised")),
        ("commentary", None),
        ("id", 3),
        ("id", "3"),
        ("scheme", 4),
        ("scheme", None),
    ],
)
def test_values_are_prepared_as_the_field_prepares_them(name, value):
    field = ReturnLine._meta.get_field(name)
    expected = field.get_db_prep_save(value, connection)
    prepared = db_value_preparer(field)(value)
    assert (type(prepared), prepared) == (type(expected), expected)


def test_a_figure_that_is_not_a_number_is_refused_as_the_field_refuses_it():
    field = ReturnLine._meta.get_field("budget")
    with pytest.raises(ValidationError):
        field.get_db_prep_save(Decimal("NaN"), connection)
    with pytest.raises(ValidationError):
        db_value_preparer(field)(Decimal("NaN"))
