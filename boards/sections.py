"""Sections that apps above this one add to a board's page (the pooled funds app:
each fund the board oversees). Registered in ``AppConfig.ready()``, so the boards app
imports none of them. A section is a template and a function giving its context."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BoardSection:
    template: str
    context: Callable[[object], dict]


_sections: list[BoardSection] = []


def register_board_section(template: str, context: Callable[[object], dict]) -> None:
    section = BoardSection(template, context)
    if section not in _sections:
        _sections.append(section)


def sections_for(board) -> list[tuple[str, dict]]:
    """(template, context) for each registered section of ``board``'s page."""
    return [(s.template, s.context(board)) for s in _sections]
