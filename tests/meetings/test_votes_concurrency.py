"""One vote per seat under concurrent submissions (SPEC s.4): parallel requests
through the API on PostgreSQL prove no double vote and no lost vote, and that a vote
racing the close is either counted or refused, never lost silently."""

import threading
import types

import pytest
from django.db import connection
from rest_framework.test import APIClient

from meetings.models import Motion, Vote
from meetings.services import votes as votes_module
from meetings.services.motions import motion_close, motion_open
from meetings.services.votes import vote_cast
from tests.meetings.decisions_world import build


def _parallel(jobs):
    """Run each job in its own thread, released together; returns their results."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _poster(user, motion_id, body):
    def post():
        client = APIClient()
        client.force_authenticate(user)
        r = client.post(f"/api/v1/motions/{motion_id}/votes/", body, format="json")
        return r.status_code, r.json()

    return post


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_votes_for_the_same_seat_make_one_row():
    """Twelve simultaneous submissions for one seat (holder and secretary, mixed
    choices): all answered 201, exactly one row, holding one of the choices."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    choices = ["for", "against", "abstain"]
    jobs = [
        _poster(
            w.c1.holder if i % 2 else w.secretary,
            w.motion.pk,
            {"seat": w.c1.pk, "choice": choices[i % 3]},
        )
        for i in range(12)
    ]
    results = _parallel(jobs)
    assert [status for status, _ in results] == [201] * 12
    assert Vote.objects.filter(motion=w.motion, seat=w.c1).count() == 1
    assert len({body["id"] for _, body in results}) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_votes_for_different_seats_are_all_kept():
    """Every voting seat votes at the same moment, twice over: no vote is lost and
    none is doubled."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    jobs = [
        _poster(seat.holder, w.motion.pk, {"seat": seat.pk, "choice": "for"})
        for seat in w.voting
        for _ in range(2)
    ]
    results = _parallel(jobs)
    assert all(status == 201 for status, _ in results), results
    rows = Vote.objects.filter(motion=w.motion)
    assert sorted(rows.values_list("seat_id", flat=True)) == sorted(
        s.pk for s in w.voting
    )
    result = motion_close(motion=w.motion, by=w.secretary)
    assert result.motion.outcome == "carried"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_votes_racing_the_close_are_counted_or_refused():
    """Votes submitted while the secretary closes are either in the tally (201) or
    refused with 409; the stored tally matches the rows."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)

    def close():
        client = APIClient()
        client.force_authenticate(w.secretary)
        r = client.post(f"/api/v1/motions/{w.motion.pk}/close/")
        return r.status_code, r.json()

    jobs = [
        _poster(seat.holder, w.motion.pk, {"seat": seat.pk, "choice": "for"})
        for seat in w.voting
    ] + [close]
    results = _parallel(jobs)
    assert results[-1][0] == 200
    accepted = sum(1 for status, _ in results[:-1] if status == 201)
    refused = [body for status, body in results[:-1] if status == 409]
    assert accepted + len(refused) == 4
    assert all(b["rule"] == "motion_closed" for b in refused)
    motion = Motion.objects.get(pk=w.motion.pk)
    assert motion.tally["for"] == accepted == motion.votes.count()


@pytest.mark.django_db
def test_unique_constraint_race_is_answered_as_an_update(monkeypatch):
    """If an insert meets the unique (motion, seat) constraint (another request won
    the race), the existing row is updated: no 500, still one row."""
    w = build()
    motion_open(motion=w.motion, by=w.secretary)
    Vote.objects.create(motion=w.motion, seat=w.c1, choice="for", cast_by=w.c1.holder)

    class RacingManager:
        """Sees no row when it looks, as if the other request had not committed."""

        def filter(self, **kwargs):
            return types.SimpleNamespace(first=lambda: None)

        def create(self, **kwargs):
            return Vote.objects.create(**kwargs)

        def get(self, **kwargs):
            return Vote.objects.get(**kwargs)

    monkeypatch.setattr(
        votes_module,
        "Vote",
        types.SimpleNamespace(objects=RacingManager(), Choice=Vote.Choice),
    )
    vote = vote_cast(motion=w.motion, seat=w.c1, choice="against", by=w.c1.holder)
    assert vote.choice == "against"
    assert Vote.objects.filter(motion=w.motion, seat=w.c1).count() == 1
