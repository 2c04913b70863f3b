"""Who may see and run a meeting, see an item and read a paper (django-rules
predicates), and the helpers views and the API use to fetch an object the user may
see or raise ``PermissionDenied``.

Rules chosen (SPEC s.2 and s.7, where the spec is silent):

- A meeting is visible to the board's members (holders and deputies of its active
  seats), its secretaries, administrators and auditors, and to a guest whose
  invitation the chair approved (they see only the items they are invited to).
- A meeting is run (agenda, attendance, quorum, interests, actions, notes) by the
  board's secretaries, the holder of the chair's seat (or an alternate chair) and
  administrators. Auditors never run anything.
- Late papers and guests are authorised by the chair (or an alternate chair) or an
  administrator.
- Papers of a confidential (exempt) item reach only the board's members, its
  secretaries, administrators and auditors: never guests, even guests invited to
  that item. A guest reads only the papers of the items they are invited to.

Other areas (decisions, minutes) append their predicates at the end of this file.
Role look-ups are cached per user object, so a page asks the database once per
board however many items or papers it checks.
"""

from dataclasses import dataclass
from datetime import timedelta

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from boards.models import Board
from governance.cache import database_id
from governance.permissions import is_administrator, is_auditor, reads_everything

from . import page_cache
from .models import AgendaItem, Guest, Meeting, Paper


@dataclass(frozen=True)
class BoardRole:
    """A person's standing on one board."""

    secretary: bool = False
    member: bool = False
    chair: bool = False
    seat_ids: frozenset[int] = frozenset()

    @property
    def staff(self) -> bool:
        return self.secretary or self.member


def _role_cache(user) -> dict:
    """The roles read for this request, kept on the user itself: ``request.user``
    is a lazy wrapper, and ``has_perm`` (the rules backend, the workflow's
    ``available_actions``) is handed the user inside it, so a cache on the wrapper
    read the roles twice per request (issue 17). Wrappers may nest (django-otp
    wraps the authentication middleware's)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user.__dict__.setdefault("_board_roles", {})


def board_role(user, board_id: int) -> BoardRole:
    """The user's role on a board, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return BoardRole()
    cache = _role_cache(user)
    if board_id not in cache:
        board_roles(user, [board_id])
    return cache[board_id]


def board_roles(user, board_ids) -> dict[int, BoardRole]:
    """The user's role on each of many boards in two queries (whatever the number
    of boards), cached on the user object as ``board_role`` reads it."""
    if user is None or not user.is_authenticated:
        return {board_id: BoardRole() for board_id in board_ids}
    cache = _role_cache(user)
    missing = [b for b in board_ids if b not in cache]
    if missing:
        from boards.models import Board, Seat

        secretary_of = set(
            Board.secretaries.through.objects.filter(
                board_id__in=missing, user_id=user.pk
            ).values_list("board_id", flat=True)
        )
        seats: dict[int, list] = {}
        for row in (
            Seat.objects.filter(board_id__in=missing, active=True)
            .filter(Q(holder_id=user.pk) | Q(deputy_id=user.pk))
            .values_list(
                "board_id", "id", "holder_id", "is_chair", "is_alternate_chair"
            )
        ):
            seats.setdefault(row[0], []).append(row[1:])
        for board_id in missing:
            held = seats.get(board_id, [])
            cache[board_id] = BoardRole(
                secretary=board_id in secretary_of,
                member=bool(held),
                chair=any(
                    holder == user.pk and (chair or alternate)
                    for _, holder, chair, alternate in held
                ),
                seat_ids=frozenset(s[0] for s in held),
            )
    return {board_id: cache[board_id] for board_id in board_ids}


def guest_item_ids(user, meeting_id: int) -> frozenset[int]:
    """Items of a meeting the user is an approved guest for (cached per user)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_guest_items", {})
    if meeting_id not in cache:
        cache[meeting_id] = frozenset(
            Guest.items.through.objects.filter(
                guest__meeting_id=meeting_id,
                guest__user_id=user.pk,
                guest__approved_at__isnull=False,
            ).values_list("agendaitem_id", flat=True)
        )
    return cache[meeting_id]


def _board_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Board):
        return obj.pk
    if isinstance(obj, Meeting):
        return obj.board_id
    if isinstance(obj, AgendaItem):
        return obj.meeting.board_id
    if isinstance(obj, Paper):
        return obj.item.meeting.board_id
    return getattr(obj, "board_id", None)


@rules.predicate
def is_meeting_secretary(user, meeting) -> bool:
    board_id = _board_id(meeting)
    return board_id is not None and board_role(user, board_id).secretary


@rules.predicate
def is_meeting_member(user, meeting) -> bool:
    """Holds or deputises for an active seat on the meeting's board."""
    board_id = _board_id(meeting)
    return board_id is not None and board_role(user, board_id).member


def _meeting_of(obj) -> Meeting | None:
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, AgendaItem):
        return obj.meeting
    if isinstance(obj, Paper):
        return obj.item.meeting
    if isinstance(obj, Guest):
        return obj.meeting
    return getattr(obj, "meeting", None) if not isinstance(obj, Board) else None


def recorded_chair_id(meeting: Meeting) -> int | None:
    """The person recorded as chairing the meeting, if any (cached on it)."""
    if "_recorded_chair" not in meeting.__dict__:
        from .models import MeetingChair

        meeting.__dict__["_recorded_chair"] = (
            MeetingChair.objects.filter(meeting_id=meeting.pk)
            .values_list("person_id", flat=True)
            .first()
        )
    return meeting.__dict__["_recorded_chair"]


@rules.predicate
def is_meeting_chair(user, meeting) -> bool:
    """Chairs the meeting: the person recorded as chairing it (designated,
    alternate or deputising chair, SPEC s.1); with nobody recorded, the holder of
    the chair's seat or an alternate chair's seat on the board."""
    board_id = _board_id(meeting)
    if board_id is None or user is None or not user.is_authenticated:
        return False
    found = _meeting_of(meeting)
    if found is not None and found.pk is not None:
        chair_id = recorded_chair_id(found)
        if chair_id is not None:
            return chair_id == user.pk
    return board_role(user, board_id).chair


@rules.predicate
def is_meeting_guest(user, meeting) -> bool:
    return isinstance(meeting, Meeting) and bool(guest_item_ids(user, meeting.pk))


@rules.predicate
def is_guest_for_item(user, item) -> bool:
    return item is not None and item.pk in guest_item_ids(user, item.meeting_id)


@rules.predicate
def is_item_confidential(user, item) -> bool:
    return item is not None and item.confidential


can_view_meeting = (
    reads_everything | is_meeting_secretary | is_meeting_member | is_meeting_guest
)
can_run_meeting = is_administrator | is_meeting_secretary | is_meeting_chair
can_chair_meeting = is_administrator | is_meeting_chair
# Records a chair-only act "on the chair's written authority", with the evidence: the
# board's secretary, or an administrator (as a secretary on every board).
can_record_chair_authority = is_administrator | is_meeting_secretary
# Board-wide visibility: everything on the agenda, papers included.
can_view_whole_agenda = reads_everything | is_meeting_secretary | is_meeting_member
can_view_item = (
    reads_everything | is_meeting_secretary | is_meeting_member | is_guest_for_item
)
can_read_item_papers = (
    reads_everything
    | is_meeting_secretary
    | is_meeting_member
    | (is_guest_for_item & ~is_item_confidential)
)
# A member answers for their own seat: apologies, "my deputy will attend".
can_send_apologies = is_meeting_member & ~is_auditor

rules.add_perm("meetings.view_meeting", can_view_meeting)
rules.add_perm("meetings.run_meeting", can_run_meeting)
rules.add_perm("meetings.chair_meeting", can_chair_meeting)
rules.add_perm("meetings.view_item", can_view_item)
rules.add_perm("meetings.read_item_papers", can_read_item_papers)
rules.add_perm("meetings.send_apologies", can_send_apologies)


def _recorded_chair_of(meeting_ref):
    from .models import MeetingChair

    return Subquery(
        MeetingChair.objects.filter(meeting_id=meeting_ref).values("person_id")[:1]
    )


def _read_with_the_meeting(user, meeting: Meeting, chair_id) -> None:
    """What the permission asks, read with the meeting (issue 17: the meeting page
    reads its version with the permission): who chairs it (a subquery of the
    meeting's query), and the user's role on its board from the cache, keyed on the
    board's version, which every change to its seats and secretaries bumps
    (``meetings/versions.py``)."""
    meeting.__dict__["_recorded_chair"] = chair_id
    if user is None or not user.is_authenticated:
        return
    roles = _role_cache(user)
    board = meeting.board
    if board.pk in roles:
        return
    key = f"board-role:{database_id()}:{board.pk}.{board.cache_version}:{user.pk}"
    role = page_cache.get(key)
    if isinstance(role, BoardRole):
        roles[board.pk] = role
    else:
        page_cache.put(
            key,
            board_roles(user, [board.pk])[board.pk],
            timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS),
        )


def _meeting_read(pk: int) -> Meeting:
    """The meeting with its board and who chairs it (a subquery), in one query."""
    return get_object_or_404(
        Meeting.objects.select_related("board").annotate(
            recorded_chair=_recorded_chair_of(OuterRef("pk"))
        ),
        pk=pk,
    )


def _meeting_versions(pk: int) -> tuple[int, int] | None:
    """The meeting's and its board's versions (``meetings/versions.py``): one
    small statement, written out so that it costs no query building."""
    quote = connection.ops.quote_name
    meeting, board = quote(Meeting._meta.db_table), quote(Board._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.cache_version, b.cache_version FROM {meeting} m "  # noqa: S608 - table names quoted, the id bound
            f"JOIN {board} b ON b.id = m.board_id WHERE m.id = %s",
            [int(pk)],
        )
        return cursor.fetchone()


def _meeting_read_versioned(pk: int) -> Meeting:
    """``_meeting_read`` for the pages cached under the meeting's version (the
    run page, the member's page, the polled panels): the meeting's row, its
    board's and who chairs it change only with one of the two versions
    (``meetings/versions.py``), so the meeting read under a pair of versions is
    kept with them (``page_cache``) and a request reads the two versions only."""
    versions = _meeting_versions(pk)
    if versions is None:
        raise Http404("No meeting matches the given query.")
    key = f"meeting-row:{database_id()}:{pk}.{versions[0]}.{versions[1]}"
    meeting = page_cache.get(key)
    if meeting is None:
        meeting = _meeting_read(pk)
        page_cache.put(
            f"meeting-row:{database_id()}:{pk}.{meeting.cache_version}"
            f".{meeting.board.cache_version}",
            meeting,
            timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS),
        )
    return meeting


def get_meeting_for_user(
    user, pk: int, *, run: bool = False, versioned: bool = False
) -> Meeting:
    """The meeting if the user may see it (or run it, with ``run=True``); 404 if
    it does not exist, PermissionDenied otherwise. ``versioned``: the page is
    cached under the meeting's version, and so may the meeting itself be
    (``_meeting_read_versioned``)."""
    meeting = _meeting_read_versioned(pk) if versioned else _meeting_read(pk)
    _read_with_the_meeting(user, meeting, meeting.recorded_chair)
    if run:
        if not can_run_meeting(user, meeting):
            raise PermissionDenied(
                "Only the board's secretary or chair runs a meeting."
            )
    elif not can_view_meeting(user, meeting):
        raise PermissionDenied("You do not have access to this meeting.")
    return meeting


def get_item_for_user(user, pk: int, *, run: bool = False) -> AgendaItem:
    """The agenda item if the user may see it (or run its meeting)."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__board").annotate(
            recorded_chair=_recorded_chair_of(OuterRef("meeting_id"))
        ),
        pk=pk,
    )
    _read_with_the_meeting(user, item.meeting, item.recorded_chair)
    if run:
        if not can_run_meeting(user, item.meeting):
            raise PermissionDenied(
                "Only the board's secretary or chair runs a meeting."
            )
    elif not can_view_item(user, item):
        raise PermissionDenied("You do not have access to this item.")
    return item


def get_paper_for_user(user, pk: int) -> Paper:
    """The paper if the user may read it: board members, secretaries, auditors and
    administrators; guests only for their own non-confidential items."""
    paper = get_object_or_404(
        Paper.objects.select_related("item__meeting__board"), pk=pk
    )
    if not can_read_item_papers(user, paper.item):
        raise PermissionDenied("You may not read this paper.")
    return paper


# --- minutes (appended by the minutes area) ----------------------------------------
# Rules chosen: the chair or a secretary approves, circulates, corrects and confirms
# minutes (administrators too). The full version (with confidential items) and drafts
# reach the board's members, secretaries, auditors and administrators; guests see
# the circulated shared version only. Auditors list every circulated version and
# export archives.

can_approve_minutes = is_administrator | is_meeting_secretary | is_meeting_chair
can_read_full_minutes = reads_everything | is_meeting_secretary | is_meeting_member
can_read_shared_minutes = can_view_meeting
can_audit_minutes = reads_everything

rules.add_perm("meetings.approve_minutes", can_approve_minutes)
rules.add_perm("meetings.read_full_minutes", can_read_full_minutes)
rules.add_perm("meetings.audit_minutes", reads_everything)


def get_minutes_version_for_user(user, pk: int, *, manage: bool = False):
    """A minutes version the user may see (or manage, with ``manage=True``): a
    draft only to those who read the full minutes."""
    from .models import MinutesVersion

    version = get_object_or_404(
        MinutesVersion.objects.select_related("meeting__board", "corrects"), pk=pk
    )
    if manage:
        if not can_approve_minutes(user, version.meeting):
            raise PermissionDenied(
                "Only the board's chair or secretary manages minutes."
            )
    elif not (
        can_read_full_minutes(user, version.meeting)
        or (version.frozen and can_read_shared_minutes(user, version.meeting))
    ):
        raise PermissionDenied("You do not have access to these minutes.")
    return version


def get_confirmation_item_for_user(user, pk: int) -> AgendaItem:
    """The item "Minutes of the previous meeting" where the previous minutes are
    confirmed: the board's chair or secretary (and administrators) act on it; the
    service then lets only whoever chairs the meeting sign, or the secretary on the
    chair's written authority (409 otherwise). Others who see the meeting: 403."""
    item = get_item_for_user(user, pk)
    if not can_approve_minutes(user, item.meeting):
        raise PermissionDenied(
            "Only whoever chairs the meeting confirms the previous minutes."
        )
    return item


# --- decisions (appended by the decisions area) -------------------------------
# Rules chosen: motions are put, closed and withdrawn by whoever runs the meeting
# (secretary, chair, administrator); a show of hands is recorded by the board's
# secretary or an administrator; escalations are resolved by the board's secretary,
# chair or an administrator. Auditors see decisions and change nothing.

can_put_motion = can_run_meeting
can_record_show_of_hands = is_administrator | is_meeting_secretary
can_resolve_escalation = (
    is_administrator | is_meeting_secretary | is_meeting_chair
) & ~is_auditor

rules.add_perm("meetings.put_motion", can_put_motion)
rules.add_perm("meetings.record_show_of_hands", can_record_show_of_hands)
rules.add_perm("meetings.resolve_escalation", can_resolve_escalation)


def can_file_position(user, item, partner) -> bool:
    """A voting member (holder or deputy) of one of the partner's active voting
    seats on the item's board, or the board's secretary recording a notification
    received, or an administrator."""
    if user is None or not user.is_authenticated or is_auditor(user):
        return False
    if is_administrator(user) or is_meeting_secretary(user, item):
        return True
    from boards.models import Seat

    return (
        Seat.objects.filter(
            board_id=item.meeting.board_id,
            partner_id=getattr(partner, "pk", partner),
            voting=True,
            active=True,
        )
        .filter(Q(holder_id=user.pk) | Q(deputy_id=user.pk))
        .exists()
    )


def get_motion_for_user(user, pk: int, *, run: bool = False):
    """The motion if the user may see its item (or put it, with ``run=True``)."""
    from .models import Motion

    motion = get_object_or_404(
        Motion.objects.select_related("item__meeting__board"), pk=pk
    )
    if run:
        if not can_put_motion(user, motion.item):
            raise PermissionDenied(
                "Only the board's secretary or chair puts and closes a motion."
            )
    elif not can_view_item(user, motion.item):
        raise PermissionDenied("You do not have access to this motion.")
    return motion


def get_escalation_for_user(user, pk: int, *, resolve: bool = False):
    """The escalation if the user may see its board (or resolve it)."""
    from .models import Escalation

    escalation = get_object_or_404(
        Escalation.objects.select_related("board", "motion__item__meeting"), pk=pk
    )
    if resolve:
        if not can_resolve_escalation(user, escalation):
            raise PermissionDenied(
                "Only the board's secretary or chair records an escalation resolved."
            )
    elif not (reads_everything(user) or board_role(user, escalation.board_id).staff):
        raise PermissionDenied("You do not have access to this escalation.")
    return escalation


# --- members' records (appended by the members' records area) ----------------------
# Rules chosen: a person's register of interests is read by the person, by the
# secretaries and members of the boards they sit on, administrators and auditors;
# it is kept (entries added, ended, the yearly review) by the person, the
# secretaries of a board they sit on, and administrators. A member declares a
# register entry on an item themselves (for a seat they hold or deputise); the
# secretary or chair may do it for anyone in the meeting.


def _boards_of(person):
    return Board.objects.filter(
        Q(seats__holder=person, seats__active=True)
        | Q(seats__deputy=person, seats__active=True)
    )


def can_read_register(viewer, person) -> bool:
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or reads_everything(viewer):
        return True
    return (
        _boards_of(person)
        .filter(
            Q(secretaries=viewer)
            | Q(seats__holder=viewer, seats__active=True)
            | Q(seats__deputy=viewer, seats__active=True)
        )
        .exists()
    )


def can_keep_register(viewer, person) -> bool:
    if viewer is None or not viewer.is_authenticated or is_auditor(viewer):
        return False
    if viewer.pk == person.pk or is_administrator(viewer):
        return True
    return _boards_of(person).filter(secretaries=viewer).exists()


def get_person_register_for_user(viewer, pk: int, *, keep: bool = False):
    """The person whose register the viewer may read (or keep)."""
    from django.contrib.auth import get_user_model

    person = get_object_or_404(get_user_model(), pk=pk)
    allowed = can_keep_register if keep else can_read_register
    if not allowed(viewer, person):
        raise PermissionDenied("You may not see this person's register of interests.")
    return person
