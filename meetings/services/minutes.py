"""Writes for minutes: the only place their state changes (SPEC s.5).

Workflow: draft -> approved for circulation (chair or secretary) -> circulated ->
confirmed as a true record at the next meeting. A circulated version is immutable; a
correction is a new version (with a note of what changed) that supersedes it when it
is circulated in turn.

Dispatch: circulating changes the state in the request, with no PDF rendered
there: it freezes the record and writes one ``Delivery`` and one *held* outbox row
per authorised officer, keyed ``minutes:<version id>:officer:<officer id>``, and a
``MinutesJob`` (kind ``circulated_pdfs``). A worker renders the two circulated PDFs
from the frozen record, stores them with their SHA-256 and, in that same
transaction, releases the held rows with the PDF attached; the outbox relay
(Celery, beat) sends them. The key, the ``Delivery`` unique constraint and a release
that only moves rows still held mean retries, worker restarts and duplicated tasks
never send a version twice to the same officer; beat's sweep makes a new job for
any circulated version whose PDFs are still missing, so none is left unsent.

Confirmation at the next meeting works the same way: the request records it and
queues the same job, whose worker renders and stores the signed PDFs; until they
exist the version's PDF is refused as being prepared, never served unsigned.

Authorised officers receive the full version, confidential (exempt) items included,
marked confidential with a covering note: "minutes of all decisions" (Portsmouth PMG
ToR 4.5, IFPG) means all (SPEC s.2). Only the published version (and what a guest
reads) leaves them out, each marked with its paragraph of Schedule 12A.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from boards.models import Seat
from boards.selectors import authorised_officers_for_board
from governance import workflow
from governance.exceptions import InvalidTransition, RuleViolation
from governance.links import absolute_url
from governance.mail import render_mail
from governance.models import OutboxMessage
from governance.outbox import Attachment, outbox_enqueue, outbox_release

from .. import pdf
from ..minutes_confirmation import confirmation_refusal
from ..models import (
    AgendaItem,
    Delivery,
    Meeting,
    MeetingChair,
    MinutesDeadline,
    MinutesDownload,
    MinutesEntry,
    MinutesVersion,
)
from ..record import meeting_record

Status = MinutesVersion.Status
HELD = (Meeting.Status.CLOSED, Meeting.Status.INQUORATE)


def _transition(version: MinutesVersion, new: str) -> None:
    """Apply the action of ``MinutesVersion.TRANSITIONS`` that leads to ``new``
    (``governance.workflow``)."""
    action = next(
        (
            name
            for name, t in MinutesVersion.TRANSITIONS.items()
            if t.target == new and version.status in t.sources
        ),
        None,
    )
    if action is None:
        raise InvalidTransition(
            f"Minutes that are {version.get_status_display().lower()} cannot become "
            f"{Status(new).label.lower()}.",
            rule="minutes_workflow",
        )
    workflow.transition(version, action)


def _locked(version: MinutesVersion) -> MinutesVersion:
    """Lock: the version's row, FOR UPDATE, for the rest of the transaction."""
    return MinutesVersion.objects.select_for_update().get(pk=version.pk)


def _editable(version: MinutesVersion) -> None:
    if version.status != Status.DRAFT:
        raise RuleViolation(
            "Only a draft can be edited: circulated minutes never change; "
            "make a correction instead.",
            rule="minutes_immutable",
        )


def minutes_officers(meeting: Meeting):
    """Every active authorised officer of every partner of the board, under the
    board's agreement (the same set that receives escalations)."""
    return authorised_officers_for_board(meeting.board)


def version_record(version: MinutesVersion, *, include_confidential: bool) -> dict:
    """The frozen record for a circulated version, else the live one."""
    if version.frozen and version.record:
        key = "full" if include_confidential else "shared"
        if key in version.record:
            return version.record[key]
    narratives = {e.item_id: e.text for e in version.entries.all()}
    return meeting_record(
        version.meeting,
        include_confidential=include_confidential,
        narratives=narratives,
        summary=version.summary,
    )


def version_meta(version: MinutesVersion) -> dict:
    circulated = (
        timezone.localtime(version.circulated_at).strftime("%-d %B %Y %H:%M")
        if version.circulated_at
        else ""
    )
    meta = {
        "number": version.number,
        "status": version.get_status_display(),
        "circulated_at": circulated,
        "change_note": version.change_note,
        "corrects": version.corrects.number if version.corrects_id else "",
        "confirmed": None,
    }
    if version.status == Status.CONFIRMED and version.confirmed_at_meeting_id:
        meta["confirmed"] = _confirmation_meta(version)
    return meta


def _confirmation_meta(version: MinutesVersion) -> dict:
    """The signature block: at which meeting, who signed, on what day."""
    return {
        "meeting": _when(version.confirmed_at_meeting),
        "signed_by": version.signed_by_name,
        "signed_on": f"{timezone.localtime(version.confirmed_at):%-d %B %Y}",
        "on_authority": version.confirmation_authority_id is not None,
    }


def stored_pdf(
    version: MinutesVersion, *, include_confidential: bool, as_circulated: bool = False
):
    """(content, SHA-256) of a circulated version's stored PDF: the signed one once
    it is confirmed, else the one circulated; ``as_circulated``: the copy as it was
    circulated whatever happened since (what the officers received, for the audit).
    Refused (``minutes_pdf_preparing``) while the worker is still rendering the
    circulated ones, or the signed ones of a version just confirmed (never the
    unsigned copy in place of the record)."""
    signed = version.status == Status.CONFIRMED and not as_circulated
    if signed and signed_pdfs_pending(version):
        raise RuleViolation(
            "These minutes were confirmed a moment ago and their signed PDF is "
            "still being prepared: try again in a few seconds.",
            rule="minutes_pdf_preparing",
        )
    if signed and version.signed_pdf_sha256:
        if include_confidential:
            return bytes(version.signed_full_pdf), version.signed_full_pdf_sha256
        return bytes(version.signed_pdf), version.signed_pdf_sha256
    if circulated_pdfs_pending(version):
        raise RuleViolation(
            "These minutes were circulated a moment ago and their PDF is still "
            "being prepared: try again in a few seconds.",
            rule="minutes_pdf_preparing",
        )
    if include_confidential:
        return bytes(version.full_pdf), version.full_pdf_sha256
    return bytes(version.pdf), version.pdf_sha256


def version_pdf(version: MinutesVersion, *, include_confidential: bool) -> bytes:
    """The stored PDF of a circulated version (the signed one once confirmed); a
    draft is rendered now, watermarked."""
    if version.frozen:
        return stored_pdf(version, include_confidential=include_confidential)[0]
    record = version_record(version, include_confidential=include_confidential)
    return pdf.minutes_pdf(record, draft=True, version=version_meta(version))


# --- drafting -------------------------------------------------------------------


@transaction.atomic
def minutes_start(*, meeting: Meeting, by) -> MinutesVersion:
    """The meeting's current draft, created (version 1) if there is none yet."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise RuleViolation(
            "A cancelled meeting has no minutes.", rule="minutes_meeting"
        )
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    latest = meeting.minutes_versions.order_by("-number").first()
    if latest is not None:
        return latest
    return MinutesVersion.objects.create(meeting=meeting, number=1, created_by=by)


@transaction.atomic
def minutes_entry_save(
    *, version: MinutesVersion, item: AgendaItem, text: str, by
) -> MinutesEntry:
    version = _locked(version)
    _editable(version)
    if item.meeting_id != version.meeting_id:
        raise RuleViolation("The item is not on this meeting's agenda.", rule="minutes")
    entry, _ = MinutesEntry.objects.update_or_create(
        version=version, item=item, defaults={"text": text.strip()}
    )
    return entry


@transaction.atomic
def minutes_summary_save(
    *, version: MinutesVersion, summary: str, by
) -> MinutesVersion:
    version = _locked(version)
    _editable(version)
    version.summary = summary.strip()
    version.save(update_fields=["summary"])
    return version


@transaction.atomic
def minutes_approve(
    *, version: MinutesVersion, by, now: datetime | None = None, authority=None
) -> MinutesVersion:
    """Approved for circulation by whoever chaired the meeting, or by the secretary
    on the chair's written authority (``authority``, with its evidence; SPEC s.1)."""
    from .chairing import chair_act_check

    version = _locked(version)
    chair_act_check(
        meeting=version.meeting,
        by=by,
        act="minutes_approval",
        authority=authority,
    )
    if version.meeting.status not in HELD:
        raise RuleViolation(
            "Minutes are approved once the meeting has closed.", rule="minutes_meeting"
        )
    _transition(version, Status.APPROVED)
    version.approved_by = by
    version.approved_at = now or timezone.now()
    version.approval_authority = authority
    version.save(
        update_fields=["status", "approved_by", "approved_at", "approval_authority"]
    )
    return version


@transaction.atomic
def minutes_reopen(*, version: MinutesVersion, by) -> MinutesVersion:
    """Back to draft from approved, before circulation."""
    version = _locked(version)
    _transition(version, Status.DRAFT)
    version.approved_by = None
    version.approved_at = None
    version.approval_authority = None
    version.save(
        update_fields=["status", "approved_by", "approved_at", "approval_authority"]
    )
    return version


# --- circulation ------------------------------------------------------------------


def officers_attachment(version: MinutesVersion) -> Attachment:
    """The authorised officers' copy: the full minutes, confidential items included
    (marked confidential in the PDF)."""
    full = version.record.get("full", {}) if version.record else {}
    if full.get("confidential_included"):
        name = version.pdf_name.replace(".pdf", "-confidential.pdf")
        return Attachment(name=name, content=bytes(version.full_pdf))
    return Attachment(name=version.pdf_name, content=bytes(version.pdf))


def _officer_mail(
    version_or_meeting, officer, *, kind: str, record: dict | None = None
) -> tuple[str, str]:
    context = {"officer": officer, "kind": kind, "record": record or {}}
    if isinstance(version_or_meeting, MinutesVersion):
        version = version_or_meeting
        full = (version.record or {}).get("full", {})
        context |= {
            "version": version,
            "meeting": version.meeting,
            "record": full,
            "sha256": (
                version.full_pdf_sha256
                if full.get("confidential_included")
                else version.pdf_sha256
            ),
        }
    else:
        context["meeting"] = version_or_meeting
    return render_mail("emails/minutes", context)


def _deadline_met(meeting: Meeting, when: datetime) -> None:
    from .. import deadlines

    deadline = minutes_deadline_ensure(meeting=meeting)
    if deadline.met_at is not None:
        return
    deadline.met_at = when
    deadline.status = deadlines.deadline_status(
        deadlines.DeadlineState(due_on=deadline.due_on, sent_at=when), now=when
    ).value
    deadline.save(update_fields=["met_at", "status"])


def _confirmation_item(version: MinutesVersion) -> AgendaItem | None:
    """The next meeting's standing item "Minutes of the previous meeting", where
    the minutes are confirmed as a true record (added, with the other standing
    items, to a next meeting not yet held that lacks it)."""
    from .agenda import agenda_standing_items_add, standing_item

    if version.confirmation_item_id:
        return version.confirmation_item
    following = version.meeting.following()
    if following is None:
        return None
    item = standing_item(following, AgendaItem.Standing.PREVIOUS_MINUTES)
    if item is None and following.status in (
        Meeting.Status.SCHEDULED,
        Meeting.Status.IN_PROGRESS,
    ):
        agenda_standing_items_add(meeting=following)
        item = standing_item(following, AgendaItem.Standing.PREVIOUS_MINUTES)
    return item


@dataclass(frozen=True)
class FrozenPdfs:
    """The records a version freezes and their PDFs, each with its SHA-256: the
    shared copy (confidential items withheld) and members' full copy (the same
    bytes when nothing is withheld)."""

    record: dict
    pdf: bytes
    pdf_sha256: str
    full_pdf: bytes
    full_pdf_sha256: str


def frozen_pdfs(
    version: MinutesVersion, *, meta: dict | None = None, progress=None
) -> FrozenPdfs:
    """Render both copies of a version as it stands (circulated or signed), from
    its frozen record; ``meta`` overrides the version's own header (the circulated
    copies show it as circulated, whatever happened to it since)."""
    meta = meta or version_meta(version)
    report = progress or (lambda done, total: None)
    shared = version_record(version, include_confidential=False)
    full = version_record(version, include_confidential=True)
    shared_pdf = pdf.minutes_pdf(shared, draft=False, version=meta)
    shared_sha = pdf.sha256(shared_pdf)
    report(1, CIRCULATION_STEPS)
    if full["items"] == shared["items"]:
        full_pdf, full_sha = shared_pdf, shared_sha
    else:
        full_pdf = pdf.minutes_pdf(full, draft=False, version=meta)
        full_sha = pdf.sha256(full_pdf)
    report(2, CIRCULATION_STEPS)
    return FrozenPdfs(
        {"shared": shared, "full": full}, shared_pdf, shared_sha, full_pdf, full_sha
    )


# Rendering the shared copy, the full copy, then storing them (and releasing the
# officers' mails): the steps the minutes page shows while the circulated PDFs, or
# the signed ones, are prepared (two more renders when both are).
RENDERS_PER_SET = 2
CIRCULATION_STEPS = RENDERS_PER_SET + 1


def circulated_meta(version: MinutesVersion) -> dict:
    """The header of the circulated copies: the version as it was circulated (its
    number, date, correction note never change after), not as it stands now."""
    return version_meta(version) | {
        "status": Status.CIRCULATED.label,
        "confirmed": None,
    }


def circulated_pdfs_pending(version: MinutesVersion) -> bool:
    """Circulated, its PDFs not stored yet: a worker is rendering them."""
    return version.circulated_at is not None and not version.pdf_sha256


def signed_pdfs_pending(version: MinutesVersion) -> bool:
    """Confirmed at a meeting, its signed PDFs not stored yet: a worker is
    rendering them (whatever became of the version since, e.g. superseded)."""
    return version.confirmed_at_meeting_id is not None and not version.signed_pdf_sha256


def minutes_pdfs_pending(version: MinutesVersion) -> bool:
    """The PDF the version is served as (``stored_pdf``) is not stored yet: its
    circulated copies, or, once it is confirmed, its signed ones."""
    return circulated_pdfs_pending(version) or (
        version.status == Status.CONFIRMED and signed_pdfs_pending(version)
    )


def signed_meta(version: MinutesVersion) -> dict:
    """The header of the signed copies: confirmed, with who signed, when and at
    which meeting (never changes after, whatever happens to the version)."""
    return version_meta(version) | {
        "status": Status.CONFIRMED.label,
        "confirmed": _confirmation_meta(version),
    }


@transaction.atomic
def minutes_circulate(
    *, version: MinutesVersion, by, now: datetime | None = None
) -> MinutesVersion:
    """Circulate an approved version. In this transaction, with the version's row
    locked (FOR UPDATE, so two clicks circulate once): the status, who and when,
    the frozen record (what the PDFs will show, never the live meeting again), the
    version it corrects superseded, its confirmation on the next meeting's agenda,
    one ``Delivery`` and one held outbox row per authorised officer (keyed
    ``minutes:<version id>:officer:<officer id>``), the deadline met, and a
    ``MinutesJob`` (kind ``circulated_pdfs``).

    No PDF is rendered here (WeasyPrint takes a second or more for a large
    meeting): the job renders both copies from the frozen record, stores them with
    their SHA-256 and, in the same transaction, releases the officers' mails with
    the PDF attached (``circulated_pdfs_finish``). Until then the held rows are
    never sent; the job is retried (acks_late) and beat's sweep
    (``minutes_jobs.circulation_sweep``) makes a new one for any circulated version
    whose PDFs are still missing, so no circulation is left unsent."""
    from . import minutes_jobs

    now = now or timezone.now()
    version = _locked(version)
    _transition(version, Status.CIRCULATED)
    version.circulated_by = by
    version.circulated_at = now
    version.record = {
        "shared": version_record(version, include_confidential=False),
        "full": version_record(version, include_confidential=True),
    }
    version.confirmation_item = _confirmation_item(version)
    version.save()
    if version.corrects_id:
        # Saved row by row (not QuerySet.update) so the change has its history row.
        for old in MinutesVersion.objects.filter(
            pk=version.corrects_id, status__in=[Status.CIRCULATED, Status.CONFIRMED]
        ):
            old.status = Status.SUPERSEDED
            old.save(update_fields=["status"])
    for officer in minutes_officers(version.meeting):
        subject, body = _officer_mail(version, officer, kind="minutes")
        message = outbox_enqueue(
            key=f"minutes:{version.pk}:officer:{officer.pk}",
            to=officer.email,
            subject=subject,
            body=body,
            held=True,
        )
        Delivery.objects.get_or_create(
            version=version,
            officer=officer,
            kind=Delivery.Kind.MINUTES,
            defaults={
                "meeting": version.meeting,
                "email": officer.email,
                "outbox": message,
            },
        )
    _deadline_met(version.meeting, now)
    minutes_jobs.circulation_job(version=version, by_id=by.pk)
    return version


def circulated_pdfs_finish(*, version_id: int, progress=None) -> int:
    """The worker's half of circulation and of confirmation: render whichever of
    the version's PDFs are missing from its frozen record (outside any lock): the
    two circulated copies, then, once it is confirmed, the two signed ones. Then in
    one transaction, the version's row locked, store them with their SHA-256 and
    release every held mail of the version with the officers' copy attached.
    Idempotent: PDFs already stored are kept (a second run renders nothing), and
    only rows still held are released, so a crash or a retry at any point sends no
    mail twice. Returns how many mails it released."""
    report = progress or (lambda done, total: None)
    version = MinutesVersion.objects.select_related(
        "meeting__board", "confirmed_at_meeting"
    ).get(pk=version_id)
    if version.circulated_at is None:
        return 0
    wanted = [
        (name, meta)
        for name, pending, meta in (
            ("circulated", circulated_pdfs_pending, circulated_meta),
            ("signed", signed_pdfs_pending, signed_meta),
        )
        if pending(version)
    ]
    if wanted and not version.record:
        raise RuleViolation(
            "A circulated version without its frozen record.",
            rule="minutes_workflow",
        )
    # Two renders per set of copies, then the store (and the mails' release).
    total = RENDERS_PER_SET * len(wanted) + 1
    rendered = {}
    for done, (name, meta) in enumerate(wanted):
        offset = done * RENDERS_PER_SET
        rendered[name] = frozen_pdfs(
            version,
            meta=meta(version),
            progress=lambda step, _, offset=offset: report(offset + step, total),
        )
    with transaction.atomic():
        version = (
            MinutesVersion.objects.select_for_update(of=("self",))
            .select_related("meeting__board")
            .get(pk=version_id)
        )
        circulated = rendered.get("circulated")
        if circulated is not None and not version.pdf_sha256:
            version.pdf, version.pdf_sha256 = circulated.pdf, circulated.pdf_sha256
            version.full_pdf = circulated.full_pdf
            version.full_pdf_sha256 = circulated.full_pdf_sha256
            version.save(
                update_fields=["pdf", "pdf_sha256", "full_pdf", "full_pdf_sha256"]
            )
        signed = rendered.get("signed")
        if signed is not None and not version.signed_pdf_sha256:
            version.signed_pdf = signed.pdf
            version.signed_pdf_sha256 = signed.pdf_sha256
            version.signed_full_pdf = signed.full_pdf
            version.signed_full_pdf_sha256 = signed.full_pdf_sha256
            version.save(
                update_fields=[
                    "signed_pdf",
                    "signed_pdf_sha256",
                    "signed_full_pdf",
                    "signed_full_pdf_sha256",
                ]
            )
        released = 0
        if version.pdf_sha256:
            attachment = officers_attachment(version)
            for delivery in Delivery.objects.filter(
                version=version,
                kind=Delivery.Kind.MINUTES,
                outbox__state=OutboxMessage.State.HELD,
            ).select_related("officer__partner"):
                subject, body = _officer_mail(version, delivery.officer, kind="minutes")
                released += outbox_release(
                    delivery.outbox_id,
                    subject=subject,
                    body=body,
                    attachment=attachment,
                )
    report(total, total)
    return released


@transaction.atomic
def minutes_correct(*, version: MinutesVersion, by, change_note: str) -> MinutesVersion:
    """A new draft version correcting a circulated one; the note says what changed.
    The narrative is copied; the circulated version stays as it is."""
    version = _locked(version)
    if version.status not in (Status.CIRCULATED, Status.CONFIRMED):
        raise RuleViolation(
            "Only circulated minutes are corrected; edit the draft instead.",
            rule="minutes_workflow",
        )
    if not change_note.strip():
        raise RuleViolation(
            "Say what the correction changes.", rule="minutes_change_note"
        )
    latest = version.meeting.minutes_versions.order_by("-number").first()
    if latest.pk != version.pk:
        raise RuleViolation(
            f"Version {latest.number} already corrects these minutes.",
            rule="minutes_workflow",
        )
    correction = MinutesVersion.objects.create(
        meeting=version.meeting,
        number=version.number + 1,
        corrects=version,
        change_note=change_note.strip(),
        summary=version.summary,
        created_by=by,
    )
    MinutesEntry.objects.bulk_create(
        MinutesEntry(version=correction, item_id=e.item_id, text=e.text)
        for e in version.entries.all()
    )
    return correction


def _when(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.starts_at):%-d %B %Y}"


def minutes_confirm(*, version: MinutesVersion, by, **_) -> MinutesVersion:
    """Refused: minutes are not confirmed directly. They are confirmed as a true
    record at the next meeting, as the decision of its standing item "Minutes of
    the previous meeting", by whoever chairs it (``minutes_confirm_at_meeting``)."""
    following = version.meeting.following()
    where = (
        f"the next meeting ({_when(following)}, /meetings/{following.pk}/): "
        if following is not None
        else "the next meeting, once it is scheduled: "
    )
    raise RuleViolation(
        "Minutes are confirmed as a true record at "
        + where
        + "whoever chairs it confirms them, while it is in progress, as the decision "
        "of its item “Minutes of the previous meeting”.",
        rule="minutes_confirmed_at_standing_item",
    )


def _signer_name(by, authority) -> str:
    if authority is not None:
        return authority.chair_name
    return (by.name or by.email) if by else ""


@transaction.atomic
def minutes_confirm_at_meeting(
    *, item: AgendaItem, by, authority=None, now: datetime | None = None
) -> MinutesVersion:
    """The decision of the standing item "Minutes of the previous meeting": the
    previous meeting's circulated minutes are confirmed as a true record and signed
    by whoever chairs this meeting (or recorded by the secretary on the chair's
    written authority), during this meeting. Records who signed, when and at which
    meeting, and queues the ``MinutesJob`` (kind ``circulated_pdfs``) whose worker
    renders the signed PDFs (``circulated_pdfs_finish``; the circulated ones stay
    as sent). No PDF is rendered here, with the rows locked: until the worker has
    stored them the version's PDF is refused as being prepared
    (``minutes_pdf_preparing``), and beat's sweep makes a new job for a confirmed
    version whose signed PDFs are still missing.

    Lock: the meeting's row, then the version's row (FOR UPDATE)."""
    from . import minutes_jobs
    from .chairing import chair_act_check

    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("board")
        .get(pk=item.meeting_id)
    )
    previous = meeting.preceding()
    latest = previous.minutes_versions.order_by("-number").first() if previous else None
    refusal = confirmation_refusal(
        item_standing=item.standing,
        item_title=item.title,
        meeting_status=meeting.status,
        meeting_status_label=meeting.get_status_display(),
        minutes_status=latest.status if latest else None,
        previous_meeting_on=_when(previous) if previous else "",
    )
    if refusal is not None:
        raise RuleViolation(refusal.reason, rule=refusal.rule)
    chair_act_check(
        meeting=meeting, by=by, act="minutes_confirmation", authority=authority
    )
    version = _locked(latest)
    _transition(version, Status.CONFIRMED)
    version.confirmed_at = now
    version.confirmed_by = by
    version.signed_by_name = _signer_name(by, authority)
    version.confirmation_authority = authority
    version.confirmed_at_meeting = meeting
    version.confirmation_item = item
    version.save(
        update_fields=[
            "status",
            "confirmed_at",
            "confirmed_by",
            "signed_by_name",
            "confirmation_authority",
            "confirmed_at_meeting",
            "confirmation_item",
        ]
    )
    minutes_jobs.circulation_job(version=version, by_id=by.pk)
    if authority is not None and authority.minutes_version_id is None:
        authority.minutes_version = version
        authority.save(update_fields=["minutes_version"])
    return version


# --- deadlines --------------------------------------------------------------------


def minutes_deadline_ensure(*, meeting: Meeting) -> MinutesDeadline:
    """The meeting's deadline row, made on first need (idempotent)."""
    from .. import deadlines

    deadline, _ = MinutesDeadline.objects.get_or_create(
        meeting=meeting,
        defaults={
            "due_on": deadlines.minutes_due_on(
                meeting.starts_at, meeting.board.minutes_deadline_days
            )
        },
    )
    return deadline


def _reminder_recipients(meeting: Meeting) -> list:
    """The board's secretaries (who write the minutes) and the chair: whoever
    chaired the meeting (recorded; alternate chairs, a deputising chair) and the
    holder of the board's chair seat, each once, active and with an address."""
    people = {u.pk: u for u in meeting.board.secretaries.all()}
    for seat in Seat.objects.filter(
        board_id=meeting.board_id, active=True, is_chair=True, holder__isnull=False
    ).select_related("holder"):
        people[seat.holder_id] = seat.holder
    chaired = (
        MeetingChair.objects.filter(meeting=meeting, person__isnull=False)
        .select_related("person")
        .first()
    )
    if chaired is not None:
        people[chaired.person_id] = chaired.person
    return [p for p in people.values() if p.email and p.is_active]


def _remind(deadline: MinutesDeadline, now: datetime) -> int:
    meeting = deadline.meeting
    sent = 0
    for person in _reminder_recipients(meeting):
        context = {
            "person": person,
            "meeting": meeting,
            "deadline": deadline,
            "link": absolute_url(reverse("meetings:minutes", args=[meeting.pk])),
        }
        subject, body = render_mail("emails/reminder", context)
        outbox_enqueue(
            key=f"minutes-reminder:{deadline.pk}:user:{person.pk}",
            to=person.email,
            subject=subject,
            body=body,
        )
        sent += 1
    deadline.reminder_sent_at = now
    deadline.save(update_fields=["reminder_sent_at"])
    return sent


def _send_record(deadline: MinutesDeadline, now: datetime) -> int:
    """The deadline fallback: the generated record of decisions to every officer."""
    meeting = deadline.meeting
    record = meeting_record(meeting, include_confidential=True)
    content = pdf.record_of_decisions_pdf(record)
    name = f"record-of-decisions-{meeting.board.label}-{meeting.starts_at:%Y-%m-%d}.pdf"
    attachment = Attachment(name=name.replace(" ", "-"), content=content)
    sent = 0
    for officer in minutes_officers(meeting):
        subject, body = _officer_mail(meeting, officer, kind="record", record=record)
        message = outbox_enqueue(
            key=f"record:{meeting.pk}:officer:{officer.pk}",
            to=officer.email,
            subject=subject,
            body=body,
            attachment=attachment,
        )
        Delivery.objects.get_or_create(
            meeting=meeting,
            officer=officer,
            kind=Delivery.Kind.RECORD_OF_DECISIONS,
            defaults={"email": officer.email, "outbox": message},
        )
        sent += 1
    deadline.fallback_sent_at = now
    deadline.save(update_fields=["fallback_sent_at"])
    _deadline_met(meeting, now)
    return sent


def minutes_deadlines_scan(*, now: datetime | None = None) -> dict[str, int]:
    """Beat's sweep: make missing deadline rows for held meetings (closed or
    inquorate) and for any meeting not cancelled whose start is past (a meeting
    left in progress or never started still owes its minutes), remind two days
    before, send the record of decisions on the deadline day if nothing has been
    circulated, and mark missed deadlines overdue. Each deadline is handled in its
    own transaction with its row locked (FOR UPDATE SKIP LOCKED), so two sweeps
    never act twice on one deadline."""
    from .. import deadlines

    now = now or timezone.now()
    counts = {"created": 0, "reminded": 0, "fallback": 0, "overdue": 0}
    owing = Q(status__in=HELD) | (
        Q(starts_at__lt=now) & ~Q(status=Meeting.Status.CANCELLED)
    )
    for meeting in (
        Meeting.objects.filter(owing, minutes_deadline__isnull=True)
        .select_related("board")
        .order_by("pk")
    ):
        minutes_deadline_ensure(meeting=meeting)
        counts["created"] += 1
    pending = MinutesDeadline.objects.filter(met_at__isnull=True).values_list(
        "pk", flat=True
    )
    for pk in list(pending):
        with transaction.atomic():
            deadline = (
                MinutesDeadline.objects.select_for_update(skip_locked=True)
                .select_related("meeting__board")
                .filter(pk=pk, met_at__isnull=True)
                .first()
            )
            if deadline is None:
                continue
            state = deadlines.DeadlineState(
                due_on=deadline.due_on,
                reminder_sent_at=deadline.reminder_sent_at,
                fallback_sent_at=deadline.fallback_sent_at,
            )
            actions = deadlines.deadline_actions(state, now=now)
            if deadlines.Action.REMIND in actions:
                _remind(deadline, now)
                counts["reminded"] += 1
            if deadlines.Action.SEND_RECORD in actions:
                _send_record(deadline, now)
                counts["fallback"] += 1
                continue
            status = deadlines.deadline_status(state, now=now)
            if status != deadline.status:
                deadline.status = status.value
                deadline.save(update_fields=["status"])
                counts["overdue"] += status == deadlines.DeadlineStatus.OVERDUE
    return counts


# --- downloads --------------------------------------------------------------------


def minutes_download_record(
    *, user, kind: str, version: MinutesVersion | None = None, job=None, sha256=""
) -> MinutesDownload:
    """Every download goes into the audit history: who, when, which version."""
    return MinutesDownload.objects.create(
        user=user, kind=kind, version=version, job=job, sha256=sha256
    )
