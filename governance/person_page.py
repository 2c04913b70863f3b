"""Sections that apps above this one add to a person's page (the boards app: seats,
secretaryships and terms of office; the meetings app: attendance and declarations).
Registered in ``AppConfig.ready()``, so governance imports none of them. A section is
a template and a function of (person, viewer) giving its context; the function shows
only what the viewer may see."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonSection:
    template: str
    context: Callable[[object, object], dict]


_sections: list[PersonSection] = []


def register_person_section(
    template: str, context: Callable[[object, object], dict]
) -> None:
    section = PersonSection(template, context)
    if section not in _sections:
        _sections.append(section)


def sections_for(person, viewer) -> list[tuple[str, dict]]:
    return [(s.template, s.context(person, viewer)) for s in _sections]
