from django.core.management.base import BaseCommand

from publication.services import index, papers


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the record (after a bulk load or a restore), "
        "extracting the text of papers not yet read."
    )

    def handle(self, *args, **options):
        extracted = papers.papers_extract_pending(limit=100_000)
        documents = index.reindex_all()
        self.stdout.write(f"{extracted} paper(s) read; {documents} search documents.")
