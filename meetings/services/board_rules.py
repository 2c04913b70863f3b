"""A board's rules as the decision engine's data (``meetings.outcomes``), with the
board's own citations, for the services that decide, put motions and escalate."""

from boards.selectors import board_citations

from .. import outcomes


def board_rules(board) -> outcomes.BoardRules:
    """The board's decision rules as the engine's data, with its own citations."""
    return outcomes.BoardRules(
        decision_making=board.decision_making,
        decision_rule=board.decision_rule,
        escalation=board.escalation,
        chair_casting_vote=board.chair_casting_vote,
        absent_partner_rule=board.absent_partner_rule,
        delegated_authority_rule=board.delegated_authority_rule,
        citations=board_citations(board),
    )


def board_scope(board) -> outcomes.Scope:
    citations = board_citations(board)
    return outcomes.Scope(
        kinds=frozenset(board.decision_scope or ()),
        risk_share_only=board.risk_share_commitments_only,
        citation=citations.get("decision_scope", ""),
    )
