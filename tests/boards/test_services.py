"""Constitution services: validation as field errors, nothing hard-deleted, chair
terms, terms of reference reminders (SPEC s.1)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from boards.models import ChairTerm, Seat
from boards.services.agreements import (
    authorised_officer_add,
    authorised_officer_deactivate,
)
from boards.services.boards import board_update
from boards.services.chairs import chair_term_start
from boards.services.seats import (
    seat_create,
    seat_deactivate,
    seat_deputy_notify,
    seat_update,
)
from boards.services.terms_of_reference import terms_add, tor_review_reminders_send
from governance.models import OutboxMessage, Role
from tests.boards.factories import (
    BoardFactory,
    PartnerFactory,
    SeatFactory,
    TermsOfReferenceFactory,
)
from tests.governance.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return BoardFactory(
        partners=[
            PartnerFactory(kind="local_authority"),
            PartnerFactory(kind="nhs_body"),
        ]
    )


def test_seat_partner_must_belong_to_the_board(board):
    with pytest.raises(ValidationError) as exc:
        seat_create(board=board, title="S", partner=PartnerFactory())
    assert "partner" in exc.value.message_dict


def test_only_one_chair_seat_per_board(board):
    partner = board.partners.first()
    first = seat_create(board=board, title="A", partner=partner, is_chair=True)
    seat_create(board=board, title="B", partner=partner, is_chair=True)
    first.refresh_from_db()
    assert not first.is_chair


def test_new_deputy_is_not_notified_until_recorded(board):
    """IFPG: a deputy counts only if notified in advance; naming a new one clears
    the notice date."""
    seat = SeatFactory(
        board=board,
        partner=board.partners.first(),
        deputy=UserFactory(),
        deputy_notified_on=datetime.date(2026, 1, 1),
    )
    seat = seat_update(seat=seat, deputy=UserFactory())
    assert seat.deputy_notified_on is None
    seat = seat_deputy_notify(seat=seat, on=datetime.date(2026, 2, 1))
    assert seat.deputy_notified


def test_notify_without_deputy_is_refused(board):
    seat = SeatFactory(board=board, partner=board.partners.first())
    with pytest.raises(ValidationError):
        seat_deputy_notify(seat=seat)


def test_partner_with_seats_cannot_leave_the_board(board):
    council, ccg = board.partners.all()
    SeatFactory(board=board, partner=ccg)
    with pytest.raises(ValidationError) as exc:
        board_update(board=board, partners=[council])
    assert "partners" in exc.value.message_dict


def test_board_cannot_report_to_a_board_below_it():
    parent = BoardFactory()
    child = BoardFactory(reports_to=parent)
    with pytest.raises(ValidationError) as exc:
        board_update(board=parent, reports_to=child)
    assert "reports_to" in exc.value.message_dict


def test_deactivating_keeps_the_row(board):
    """Nothing is hard-deleted (SPEC s.7)."""
    seat = SeatFactory(board=board, partner=board.partners.first(), is_chair=True)
    seat_deactivate(seat=seat)
    seat.refresh_from_db()
    assert not seat.active and not seat.is_chair and Seat.objects.count() == 1


def test_chair_term_start_ends_the_previous_term_and_marks_the_seat(board):
    partner = board.partners.first()
    old = SeatFactory(board=board, partner=partner, is_chair=True)
    new = SeatFactory(board=board, partner=partner)
    chair_term_start(
        board=board, person=old.holder, seat=old, starts_on=datetime.date(2025, 1, 1)
    )
    chair_term_start(
        board=board, person=new.holder, seat=new, starts_on=datetime.date(2025, 7, 1)
    )
    first, second = ChairTerm.objects.order_by("starts_on")
    assert first.ends_on == datetime.date(2025, 6, 30) and second.ends_on is None
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.is_chair and not old.is_chair
    # Each seat's change is in the audit history (SPEC s.7).
    assert old.history.latest().is_chair is False
    assert new.history.latest().is_chair is True


def test_terms_default_review_is_three_years(board):
    """Portsmouth: terms reviewed at least every three years."""
    terms = terms_add(board=board, version="1", approved_on=datetime.date(2024, 5, 1))
    assert terms.review_due == datetime.date(2027, 5, 1)
    with pytest.raises(ValidationError):
        terms_add(board=board, version="1")


def test_review_reminder_sent_60_days_before_once(board, make_user):
    """Secretaries are e-mailed 60 days before review falls due, once per version."""
    secretary = make_user(Role.SECRETARY)
    board.secretaries.add(secretary)
    today = datetime.date(2026, 3, 1)
    TermsOfReferenceFactory(
        board=board, version="1", review_due=datetime.date(2026, 5, 1)
    )  # 61 days away
    assert tor_review_reminders_send(today=today) == 0
    later = today + datetime.timedelta(days=1)
    assert tor_review_reminders_send(today=later) == 1
    assert tor_review_reminders_send(today=later) == 0
    message = OutboxMessage.objects.get()
    assert message.to == secretary.email and board.name in message.subject


def test_reminder_only_for_the_current_version(board, make_user):
    """A superseded version past review does not trigger a reminder."""
    board.secretaries.add(make_user(Role.SECRETARY))
    TermsOfReferenceFactory(
        board=board, version="old", review_due=datetime.date(2020, 1, 1)
    )
    TermsOfReferenceFactory(
        board=board, version="new", review_due=datetime.date(2029, 1, 1)
    )
    assert tor_review_reminders_send(today=datetime.date(2026, 1, 1)) == 0


def test_beat_task_runs_the_reminder(board, make_user, settings):
    """The beat schedule runs the reminder task."""
    from boards.tasks import terms_review_reminders

    assert any(
        entry["task"] == "boards.tasks.terms_review_reminders"
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )
    board.secretaries.add(make_user(Role.SECRETARY))
    TermsOfReferenceFactory(board=board, review_due=datetime.date(2000, 1, 1))
    assert terms_review_reminders.delay().get() == 1


def test_authorised_officer_reactivated_not_duplicated(board):
    agreement = board.agreement
    partner = agreement.host_partner
    officer = authorised_officer_add(
        agreement=agreement, partner=partner, name="A", email="a@x.example"
    )
    authorised_officer_deactivate(officer=officer)
    again = authorised_officer_add(
        agreement=agreement, partner=partner, name="A B", email="A@x.example"
    )
    assert again.pk == officer.pk and again.active
    with pytest.raises(ValidationError):
        authorised_officer_add(
            agreement=agreement, partner=partner, name="A", email="a@x.example"
        )


def test_history_is_kept_for_constitution_changes(board):
    """SPEC s.7: every change to the constitution is in the audit history."""
    seat = SeatFactory(board=board, partner=board.partners.first())
    seat_update(seat=seat, voting=False)
    assert seat.history.count() == 2


def test_chair_on_a_meeting_date(board):
    """SPEC s.1: the product says who chairs a given meeting."""
    from boards.selectors import chair_on

    first, second = UserFactory(), UserFactory()
    chair_term_start(board=board, person=first, starts_on=datetime.date(2025, 1, 1))
    chair_term_start(board=board, person=second, starts_on=datetime.date(2025, 7, 1))
    assert chair_on(board, datetime.date(2025, 3, 1)).person == first
    assert chair_on(board, datetime.date(2025, 7, 1)).person == second
    assert chair_on(board, datetime.date(2024, 12, 31)) is None


def test_seat_update_with_blank_order_keeps_position(board):
    seat = SeatFactory(board=board, partner=board.partners.first(), order=3)
    seat = seat_update(seat=seat, order=None, title="Renamed")
    assert seat.order == 3 and seat.title == "Renamed"


def test_a_new_chair_seat_unsets_the_old_one_with_history():
    """boards: only one chair seat; the old chair seat's change has history."""
    partner = PartnerFactory()
    board = BoardFactory(partners=[partner])
    first = seat_create(board=board, title="A", partner=partner, is_chair=True)
    seat_create(board=board, title="B", partner=partner, is_chair=True)
    assert first.history.filter(is_chair=False).exists()
