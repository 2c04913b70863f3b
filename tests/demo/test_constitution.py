"""The demo constitution (demo/data/*.yaml): every board of the reference documents,
loaded through the services idempotently, with every SPEC s.3 quorum row configured
and judged by the engine."""

import pytest

from boards import quorum
from boards.models import (
    Agreement,
    AuthorisedOfficer,
    Board,
    ChairTerm,
    Partner,
    QuorumRule,
    Schedule,
    Seat,
    TermsOfReference,
)
from boards.selectors import board_constitution
from demo import load as demo
from governance.models import User

pytestmark = pytest.mark.django_db

MODELS = [
    Partner,
    Agreement,
    Schedule,
    AuthorisedOfficer,
    Board,
    Seat,
    QuorumRule,
    TermsOfReference,
    ChairTerm,
    User,
]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def loaded(db):
    demo.load(meetings=False, funds=False)


def rule(key, business_type="routine"):
    return QuorumRule.objects.get(board=demo.board(key), business_type=business_type)


def presence(board, present_titles=None, *, chair_by_deputy=False, chairing=None):
    """Seats of a demo board with the given ones present (all when None); with
    ``chairing`` (a seat title), whoever sits in that seat chairs the meeting."""
    seats = []
    for seat in board.seats.filter(active=True):
        here = present_titles is None or seat.title in present_titles
        seats.append(
            quorum.SeatPresence(
                seat_id=seat.pk,
                partner_id=seat.partner_id,
                voting=seat.voting,
                categories=frozenset(seat.categories),
                is_chair=seat.is_chair,
                represented=here,
                by_deputy=chair_by_deputy and seat.is_chair,
                chairing=None if chairing is None else seat.title == chairing,
            )
        )
    return seats


def partners(board):
    return [quorum.PartnerData(p.pk, p.name, p.kind) for p in board.partners.all()]


def judge(key, business_type="routine", present_titles=None, **kwargs):
    board = demo.board(key)
    return quorum.evaluate(
        rule(key, business_type).as_data(),
        partners(board),
        presence(board, present_titles, **kwargs),
    )


def test_load_twice_gives_the_same_counts():
    """Loading the constitution twice leaves the same number of every row."""
    demo.load(meetings=False, funds=False)
    first = counts()
    demo.load(meetings=False, funds=False)
    assert counts() == first
    assert first["Board"] == len(demo.board_names())


def test_demo_users_hold_the_pmg_cfo_seat_and_serve_as_secretary(loaded):
    """member@ holds the PMG CCG CFO voting seat with deputy@ as notified deputy;
    secretary@ is secretary of every demo board run here (other apps rely on it),
    not of the Health and Wellbeing Boards recorded only as reporting lines."""
    seat = Seat.objects.get(board=demo.board("pmg"), title="CCG Chief Finance Officer")
    assert seat.voting and seat.holder.email == "member@demo.example"
    assert seat.deputy.email == "deputy@demo.example" and seat.deputy_notified
    served = set(
        Board.objects.filter(secretaries__email="secretary@demo.example").values_list(
            "name", flat=True
        )
    )
    names = demo.board_names()
    reporting_only = {names["leics_hwb"], names["wk_hwb"]}
    assert served == set(names.values()) - reporting_only


@pytest.mark.parametrize(
    "key, rule_kw",
    [
        ("pmg", {"min_voting_per_partner": 1}),
        ("wk_s75", {"min_any_per_partner": 2}),
        ("ifpg", {"min_any_per_partner": 1}),
        (
            "ie",
            {
                "min_present": 6,
                "category_minimums": {"clinical": 1},
                "partner_kind_minimums": {"local_authority": 1, "provider": 1},
            },
        ),
        (
            "jcg",
            {
                "chair_required": True,
                "per_partner_category_minimums": {
                    "commissioning_lead": 1,
                    "finance": 1,
                },
            },
        ),
    ],
)
def test_spec_s3_quorum_rows_are_configured(loaded, key, rule_kw):
    """SPEC s.3: each board's routine quorum rule is the row of the table."""
    data = rule(key).as_data()
    for field, value in rule_kw.items():
        assert getattr(data, field) == value


def test_spec_s3_ie_joint_commissioning_row(loaded):
    """SPEC s.3 IE joint commissioning: 6 present, 1 clinical, 1 CCG, 1 County Council."""
    data = rule("ie", "joint_commissioning").as_data()
    assert data.min_present == 6
    assert data.category_minimums == {"clinical": 1}
    assert data.partner_kind_minimums == {"local_authority": 1, "nhs_body": 1}


@pytest.mark.parametrize("key", ["pmg", "wk_s75", "ifpg", "ie", "jcg"])
def test_every_demo_board_is_quorate_with_everyone_present(loaded, key):
    """With every seat represented each demo board's rule is met."""
    assert judge(key).quorate
    if key == "ie":
        assert judge(key, "joint_commissioning").quorate


def test_pmg_without_a_ccg_voting_member_is_inquorate(loaded):
    """Portsmouth 4.2: no voting representative of NHS Portsmouth CCG present."""
    result = judge(
        "pmg",
        present_titles={
            "Council Chief Executive",
            "Council s151 Officer",
            "Director of Quality and Commissioning, NHS Portsmouth CCG",
        },
    )
    assert not result.quorate
    assert "no voting representative of NHS Portsmouth CCG present" in result.unmet


def test_west_kent_needs_two_from_each_partner(loaded):
    """West Kent 3.2: one KCC officer is not enough."""
    result = judge(
        "wk_s75",
        present_titles={
            "Chief Accountable Officer",
            "Chief Financial Officer",
            "Director of Commissioning",
        },
    )
    assert not result.quorate
    assert any("Kent County Council" in line for line in result.unmet)


def test_ie_routine_needs_a_provider_but_joint_commissioning_does_not(loaded):
    """Leicestershire IE: six members without a provider are quorate for joint
    commissioning business only."""
    six = {
        "Director of Adults and Communities",
        "Director of Public Health",
        "Managing Director, West Leicestershire CCG",
        "Clinical Chair, West Leicestershire CCG",
        "Director of Resources, LCC",
        "Officer representative, District Councils",
    }
    assert not judge("ie", present_titles=six).quorate
    assert judge("ie", "joint_commissioning", present_titles=six).quorate


def test_ie_district_councils_do_not_count_as_the_county_council(loaded):
    """Leicestershire IE: '1 must be a representative from Leicestershire County
    Council' is not met by the District Councils' officer."""
    six = {
        "Managing Director, West Leicestershire CCG",
        "Clinical Chair, West Leicestershire CCG",
        "Director representative, UHL",
        "Director representative, LPT",
        "Representative of Local Healthwatch",
        "Officer representative, District Councils",
    }
    result = judge("ie", present_titles=six)
    assert not result.quorate and len(result.unmet) == 1


def test_jcg_chair_required_is_met_by_a_deputising_chair(loaded):
    """JCG 9 needs "the Chair"; JCG 7: "Deputising, in the case of absence of the
    designated Chair, can be provided from either organisation". With the designated
    chair's seat filled by a deputy and nobody recorded as chairing, the chair is
    missing; once a member is recorded as chairing (the demo JCG allows a
    deputising chair), the Group is quorate."""
    jcg = demo.board("jcg")
    assert jcg.deputising_chair
    assert not judge("jcg", chair_by_deputy=True).quorate
    deputising = "Head of Joint Commissioning, NHS West Leicestershire CCG"
    assert judge("jcg", chair_by_deputy=True, chairing=deputising).quorate


def test_demo_shows_compliance_gaps(loaded):
    """The demo leaves gaps to show: PMG terms past review and "approved on: TBC",
    the JCG's draft terms never approved, IFPG deputies missing or not notified, the
    SLG's vacant Director of Education."""
    pmg = {g.kind for g in board_constitution(demo.board("pmg").pk).gaps}
    assert pmg == {"terms_past_review", "terms_not_approved"}
    jcg = {g.kind for g in board_constitution(demo.board("jcg").pk).gaps}
    assert jcg == {"terms_not_approved"}
    ifpg = {g.kind for g in board_constitution(demo.board("ifpg").pk).gaps}
    assert ifpg == {"no_deputy", "deputy_not_notified"}
    slg = {g.kind for g in board_constitution(demo.board("wk_slg").pk).gaps}
    assert "vacant" in slg


def test_demo_board_settings(loaded):
    """Board settings as the documents state them."""
    pmg, ifpg, wk = (demo.board(k) for k in ("pmg", "ifpg", "wk_s75"))
    assert (pmg.decision_rule, pmg.minutes_deadline_days, pmg.escalation) == (
        "unanimous",
        7,
        "dispute_resolution",
    )
    assert pmg.meeting_frequency_months == 2
    assert pmg.seats.filter(is_alternate_chair=True).count() == 2
    assert (ifpg.escalation, ifpg.meeting_frequency_months, ifpg.chair_arrangement) == (
        "authorised_officers",
        3,
        "elected",
    )
    assert ifpg.reports_to == demo.board("ie")
    assert (wk.minutes_deadline_days, wk.meeting_frequency_months) == (14, 3)
    assert wk.agreement.host_partner.name == "Kent County Council"
    assert not demo.board("wk_slg").decision_making
    assert (
        demo.board("ie").reports_to.name == "Leicestershire Health and Wellbeing Board"
    )
    jcg = demo.board("jcg")
    assert (jcg.chair_arrangement, jcg.chair_term_months) == ("rotation", 6)
    assert not any(b.chair_casting_vote for b in Board.objects.all())
    assert pmg.agreement.schedules.count() >= 6


# The rules each demo board's documents state (SPEC s.1): (board, rule) -> citation.
STATED = {
    ("pmg", "absent_partner_rule"): "Portsmouth PMG ToR 4.4",
    ("pmg", "delegated_authority_rule"): "Portsmouth PMG ToR 5.2",
    ("pmg", "minutes_deadline_days"): "Portsmouth PMG ToR 4.5",
    ("wk_s75", "absent_partner_rule"): "West Kent annex 3.4",
    ("wk_s75", "decision_scope"): "West Kent annex 4.1",
    ("jcg", "deputising_chair"): "Leicestershire JCG ToR 7",
    ("ie", "decision_rule"): "local practice (demo)",
    ("ie", "minutes_deadline_days"): "local practice (demo)",
    ("jcg", "decision_rule"): "local practice (demo)",
    ("jcg", "minutes_deadline_days"): "local practice (demo)",
    ("wk_slg", "minutes_deadline_days"): "local practice (demo)",
}


def test_each_board_applies_only_the_rules_its_documents_state(loaded):
    """The absent-partner rule binds the PMG (4.4) and West Kent (3.4) only; the
    JCG alone may have a deputising chair (JCG 7); the IE and JCG decide by
    consensus (local practice: their documents state no decision rule) and so never
    go to an s75 dispute procedure; the PMG has no papers deadline (the IE's)."""
    applied = {
        key: demo.board(key)
        for key in ("pmg", "ifpg", "wk_s75", "ie", "jcg", "wk_slg", "wk_mtf")
    }
    assert {k for k, b in applied.items() if b.absent_partner_rule} == {
        "pmg",
        "wk_s75",
    }
    assert {k for k, b in applied.items() if b.deputising_chair} == {"jcg"}
    assert {k for k, b in applied.items() if b.decision_rule == "consensus"} >= {
        "ie",
        "jcg",
    }
    assert applied["pmg"].papers_working_days is None
    assert applied["ie"].papers_working_days == 4
    assert (
        not applied["wk_slg"].decision_making and not applied["wk_mtf"].decision_making
    )


def test_every_rule_on_every_demo_board_page_shows_its_source_or_not_stated(client):
    """Every rule row of every demo board page names its source (terms or local
    practice) or says "not stated in the terms of reference"; no optional rule is
    applied without a source; values no document gives are "local practice
    (demo)"."""
    demo.load(meetings=False, funds=False)
    client.force_login(User.objects.get(email="auditor@demo.example"))
    for board in Board.objects.all():
        c = board_constitution(board.pk)
        assert not [r.key for r in c.rule_rows if r.needs_source], board.name
        page = client.get(board.get_absolute_url()).content.decode()
        for row in c.rule_rows:
            start = page.index(f'id="rule-{row.key}"')
            cell = page[start : page.index("</tr>", start)]
            if row.source is None:
                assert "not stated in the terms of reference" in cell, (board, row)
            else:
                assert row.citation in cell and row.citation != "terms"
    names = demo.board_names()
    by_name = {v: k for k, v in names.items()}
    rows = {
        (by_name[b.name], r.key): r.citation
        for b in Board.objects.all()
        for r in board_constitution(b.pk).rule_rows
    }
    for key, citation in STATED.items():
        assert rows[key] == citation, key
    for seat in Seat.objects.filter(delegated_authority_limit__isnull=False):
        limit = board_constitution(seat.board_id)
        cited = next(s for s in limit.seats if s.pk == seat.pk).limit_citation
        assert cited == "local practice (demo)", seat
