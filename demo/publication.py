"""The demo's publication settings (issue 19): a board's ``publication:`` in its demo
file (``published`` and the ``source`` of the rule) through the publication service;
then, once the meetings are replayed, the papers' text is read and the search index
rebuilt, so the demo's search works at once (without a worker)."""

from __future__ import annotations

from publication.services import index, papers
from publication.services.publication import board_publication_set

from .files import DemoData, check_keys

PUBLICATION_KEYS = {"published", "source", "decided_by", "decided_on"}


def load_publication(data: DemoData, context) -> None:
    for file, spec in data.boards:
        setting = spec.get("publication")
        if setting is None:
            continue
        where = f"{file} board {spec['key']} publication"
        check_keys(setting, PUBLICATION_KEYS, where, required=("published",))
        board_publication_set(
            board=context.boards[spec["key"]],
            published=bool(setting["published"]),
            source=setting.get("source", ""),
            decided_by=setting.get("decided_by", ""),
            decided_on=setting.get("decided_on"),
        )


def index_record() -> None:
    papers.papers_extract_pending(limit=10_000)
    index.reindex_all()
