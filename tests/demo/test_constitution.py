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


def presence(board, present_titles=None, *, chair_by_deputy=False):
    """Seats of a demo board with the given ones present (all when None)."""
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


def test_jcg_needs_the_chair_in_person(loaded):
    """JCG 9: the chair's deputy does not make the chair present."""
    assert not judge("jcg", chair_by_deputy=True).quorate


def test_demo_shows_compliance_gaps(loaded):
    """The demo leaves gaps to show: PMG terms past review, IFPG deputies missing
    or not notified, the SLG's vacant Director of Education."""
    pmg = {g.kind for g in board_constitution(demo.board("pmg").pk).gaps}
    assert pmg == {"terms_past_review"}
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
