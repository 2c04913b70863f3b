"""Migration boards 0005: existing boards keep every rule they were under, each
recorded as local practice carried over for the secretary to cite or switch off
(issue 11: "the PMG and West Kent keep their rules")."""

import importlib

import pytest

migration = importlib.import_module("boards.migrations.0005_rules_with_sources")


@pytest.mark.parametrize(
    ("board", "applied", "sources"),
    [
        (
            # The PMG: decision-making, seats with limits, 3 clear days' notice.
            {
                "decision_making": True,
                "any_limit": True,
                "papers_working_days": None,
                "extraordinary_notice_clear_days": 3,
                "reconvene_within_days": None,
            },
            {"absent_partner_rule": True, "delegated_authority_rule": True},
            [
                "absent_partner_rule",
                "delegated_authority_rule",
                "extraordinary_notice_clear_days",
            ],
        ),
        (
            # A decision-making board with no limit recorded on any seat.
            {
                "decision_making": True,
                "any_limit": False,
                "papers_working_days": 4,
                "extraordinary_notice_clear_days": None,
                "reconvene_within_days": 31,
            },
            {"absent_partner_rule": True, "delegated_authority_rule": False},
            ["absent_partner_rule", "papers_working_days", "reconvene_within_days"],
        ),
        (
            # An advisory board: neither decision rule ever applied to it.
            {
                "decision_making": False,
                "any_limit": True,
                "papers_working_days": None,
                "extraordinary_notice_clear_days": None,
                "reconvene_within_days": None,
            },
            {"absent_partner_rule": False, "delegated_authority_rule": False},
            [],
        ),
    ],
)
def test_existing_boards_keep_the_rules_they_were_under(board, applied, sources):
    kept = migration.carried_over(board)
    assert kept["settings"] == applied
    assert kept["sources"] == sources
