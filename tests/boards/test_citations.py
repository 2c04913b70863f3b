"""Each board's rules with where they come from (``boards.citations``, SPEC s.1), and
the compliance gaps the new rules add (``boards.compliance``). Pure: no database."""

from datetime import date

import pytest

from boards import citations, compliance
from boards.citations import BoardSettings, Source, cite, rule_rows

PMG_4_4 = Source(kind="terms", document="Portsmouth PMG ToR", paragraph="4.4")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (None, "not stated in the terms of reference"),
        (PMG_4_4, "Portsmouth PMG ToR 4.4"),
        (Source(kind="terms", document="West Kent annex"), "West Kent annex"),
        (Source(kind="local_practice", decided_by="demo"), "local practice (demo)"),
        (
            Source(
                kind="local_practice",
                decided_by="the board",
                decided_on=date(2025, 3, 3),
            ),
            "local practice (the board, 3 March 2025)",
        ),
        (Source(kind="local_practice"), "local practice"),
    ],
)
def test_cite(source, expected):
    assert cite(source) == expected


def rows(settings, sources=None):
    return {r.key: r for r in rule_rows(settings, sources or {})}


def test_a_new_board_applies_no_optional_rule():
    """SPEC s.1: a new board starts with no optional rule applied, each shown as not
    stated in the terms of reference."""
    found = rows(BoardSettings())
    for key in (
        "absent_partner_rule",
        "delegated_authority_rule",
        "deputising_chair",
        "decision_scope",
        "extraordinary_notice_clear_days",
        "papers_working_days",
        "reconvene_within_days",
    ):
        assert not found[key].applied, key
        assert found[key].citation == "not stated in the terms of reference"
        assert not found[key].needs_source


def test_every_rule_shows_its_source_or_not_stated():
    found = rows(
        BoardSettings(absent_partner_rule=True),
        {"absent_partner_rule": PMG_4_4},
    )
    assert found["absent_partner_rule"].applied
    assert found["absent_partner_rule"].citation == "Portsmouth PMG ToR 4.4"
    assert found["decision_rule"].citation == "not stated in the terms of reference"


def test_an_optional_rule_applied_without_a_source_needs_one():
    found = rows(BoardSettings(papers_working_days=4))
    assert found["papers_working_days"].needs_source
    assert "4 working days" in found["papers_working_days"].setting


def test_advisory_boards_list_no_decision_rules():
    """An advisory board agrees recommendations by consensus of everyone present: no
    decision rule, escalation, absent-partner or authority rule is listed."""
    found = rows(BoardSettings(decision_making=False))
    assert "decision_rule" not in found and "absent_partner_rule" not in found
    assert "consensus of every member present" in found["decision_making"].setting


def test_a_consensus_board_lists_no_escalation():
    """IE and JCG: a failure goes back to the next meeting, never escalated."""
    found = rows(BoardSettings(decision_rule="consensus"))
    assert "escalation" not in found
    assert "unless a member present objects" in found["decision_rule"].setting


def test_scope_in_words():
    found = rows(
        BoardSettings(decision_scope=("scheme_contract",)),
    )
    assert found["decision_scope"].applied
    assert "contracts for services under an Individual Scheme" in (
        found["decision_scope"].setting
    )


def seat(**kwargs):
    facts = {
        "id": 1,
        "title": "CFO",
        "partner": "CCG",
        "voting": True,
        "has_holder": True,
        "has_deputy": True,
        "deputy_notified": True,
        "has_limit": True,
        **kwargs,
    }
    return compliance.SeatFacts(**facts)


def gaps(**kwargs):
    args = {
        "seats": [seat()],
        "terms_review_due": date(2030, 1, 1),
        "has_chair": True,
        "decision_making": True,
        "has_routine_quorum_rule": True,
        "today": date(2026, 1, 1),
        **kwargs,
    }
    return {g.kind for g in compliance.gaps(**args)}


def test_no_limit_is_a_gap_only_under_the_delegated_authority_rule():
    """SPEC s.4: on a board with the rule, a voting seat with no limit recorded has
    no authority (a compliance gap); elsewhere a limit means nothing."""
    assert "no_authority" in gaps(
        seats=[seat(has_limit=False)], delegated_authority_rule=True
    )
    assert "no_authority" not in gaps(seats=[seat(has_limit=False)])
    assert "no_authority" not in gaps(
        seats=[seat(has_limit=False, voting=False)], delegated_authority_rule=True
    )


def test_terms_with_no_approval_recorded_are_a_gap():
    """Portsmouth PMG: "Current Version approved on: TBC"."""
    assert "terms_not_approved" in gaps(terms_approved=False)
    assert "terms_not_approved" not in gaps()


def test_a_rule_applied_without_a_source_is_a_gap():
    assert "rule_without_source" in gaps(unsourced_rules=("Agenda and papers",))


def test_labels_cover_every_rule():
    assert set(citations.LABELS) == {key for key, _, _ in citations.RULES}
