"""Celery tasks for publication: thin, take ids, call one service."""

from celery import shared_task

from .services import digests, papers


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def paper_text_extract(paper_id: int) -> None:
    papers.paper_text_extract(paper_id=paper_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def papers_extract_pending() -> int:
    return papers.papers_extract_pending()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def weekly_digests() -> int:
    return digests.digests_send()
