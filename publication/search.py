"""Full-text search over the record (issue 19): agendas, items, decisions, minutes
and the text of papers, for a visitor what is published, for a signed-in person also
what they may read (the boards they sit on or serve as secretary; everything for
auditors and administrators).

PostgreSQL: ``websearch_to_tsquery`` over the weighted ``search_vector`` (title A,
body B), ranked by ``ts_rank`` and highlighted by ``ts_headline``. Elsewhere (SQLite)
every word must appear in the title or the text, titles rank first, and the
highlight is cut in Python. A page of results costs the same queries however many
results there are: the permitted boards (signed in only), the count, the page's ids,
its rows.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boards.models import Board
from governance.permissions import reads_everything
from meetings.models import MinutesVersion

from . import visibility as v
from .models import SearchDocument
from .services.index import search_config, uses_postgres

Kind = SearchDocument.Kind
PAGE_SIZE = 20
START, STOP = "\x02", "\x03"
SNIPPET = 220
_WORD = re.compile(r'"([^"]+)"|(\S+)')
_STRIP = re.compile(r"^[^\w£]+|[^\w%]+$")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    board: int | None = None
    kind: str = ""
    outcome: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def empty(self) -> bool:
        return not (self.q.strip() or self.board or self.kind or self.outcome)


@dataclass
class Result:
    kind: str
    kind_label: str
    title: str
    snippet: SafeString
    board: str
    date: datetime
    outcome: str
    url: str
    public: bool


@dataclass
class Page:
    results: list[Result] = field(default_factory=list)
    page: object = None
    total: int = 0
    engine: str = ""


def public_q() -> Q:
    """Documents a visitor may find (``visibility.py``, through each document's
    source record, as it is now)."""
    return (
        (Q(kind=Kind.MEETING) & v.meeting_listed_q("meeting__"))
        | (Q(kind=Kind.ITEM) & v.item_public_q("item__"))
        | (Q(kind=Kind.DECISION) & v.decision_public_q("motion__"))
        | (Q(kind=Kind.PAPER) & v.paper_public_q("paper__"))
        | (
            Q(kind=Kind.MINUTES)
            & v.minutes_public_q("minutes_version__")
            & (Q(item__isnull=True) | Q(item__confidential=False))
        )
    )


def permitted_board_ids(user) -> list[int] | None:
    """Boards whose whole record the user reads; None: every board."""
    if user is None or not user.is_authenticated:
        return []
    if reads_everything(user):
        return None
    return list(
        Board.objects.filter(
            Q(secretaries=user)
            | Q(seats__holder=user, seats__active=True)
            | Q(seats__deputy=user, seats__active=True)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def searchable_boards(user):
    """Boards the user may filter by: the published ones and those they read."""
    boards = permitted_board_ids(user)
    published = v.board_published_q("")
    if boards is None:
        return Board.objects.order_by("name")
    return Board.objects.filter(published | Q(pk__in=boards)).order_by("name")


def visible_q(user) -> tuple[Q, Q]:
    """(what the user may find, what of it is public)."""
    public = public_q()
    boards = permitted_board_ids(user)
    current = ~Q(kind=Kind.MINUTES) | ~Q(
        minutes_version__status=MinutesVersion.Status.SUPERSEDED
    )
    if boards is None:
        return current, public
    if not boards:
        return public, public
    return public | (Q(board_id__in=boards) & current), public


def terms(q: str) -> list[str]:
    """Words and "quoted phrases" of a query, lower-cased, punctuation trimmed."""
    found = []
    for phrase, word in _WORD.findall(q):
        if word.startswith("-"):
            continue  # websearch's "not this word": the fallback ignores it
        term = _STRIP.sub("", (phrase or word).strip().lower())
        if term and term not in ("or", "and"):
            found.append(term)
    return found[:12]


def snippet(text: str, words: list[str], width: int = SNIPPET) -> SafeString:
    """A piece of ``text`` around the first match, escaped, matches in <mark>."""
    text = " ".join(text.split())
    lower = text.lower()
    hits = [lower.find(w) for w in words if lower.find(w) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = text[start : start + width]
    html = escape(piece)
    for word in sorted(set(words), key=len, reverse=True):
        html = re.sub(
            f"({re.escape(escape(word))})",
            START + r"\1" + STOP,
            html,
            flags=re.IGNORECASE,
        )
    html = html.replace(START, "<mark>").replace(STOP, "</mark>")
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - escaped above


def _headline(raw: str | None) -> SafeString:
    """ts_headline's output, escaped, its match markers turned into <mark>."""
    html = escape((raw or "").replace("\n", " "))
    html = html.replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above


def _filtered(docs, f: Filters):
    if f.board:
        docs = docs.filter(board_id=f.board)
    if f.kind in Kind.values:
        docs = docs.filter(kind=f.kind)
    if f.outcome:
        docs = docs.filter(kind=Kind.DECISION, outcome=f.outcome)
    tz = timezone.get_current_timezone()
    if f.date_from:
        docs = docs.filter(date__gte=datetime.combine(f.date_from, time.min, tz))
    if f.date_to:
        docs = docs.filter(date__lte=datetime.combine(f.date_to, time.max, tz))
    return docs


def _url(kind: str, row: dict, public: bool) -> str:
    item, meeting = row["item_id"], row["meeting_id"]
    if public:
        if kind == Kind.DECISION:
            return reverse("public:decision", args=[row["motion_id"]])
        if kind == Kind.PAPER:
            return reverse("public:paper", args=[row["paper_id"]])
        if kind == Kind.MINUTES:
            anchor = f"#item-{item}" if item else ""
            return reverse("public:minutes", args=[meeting]) + anchor
        if kind == Kind.ITEM:
            return reverse("public:item", args=[item])
        return reverse("public:meeting", args=[meeting])
    if kind == Kind.PAPER:
        return reverse("meetings:paper", args=[row["paper_id"]])
    if kind == Kind.MINUTES:
        return reverse("meetings:minutes", args=[meeting])
    return reverse("meetings:detail", args=[meeting]) + (
        f"#item-{item}" if item else ""
    )


def search(user, f: Filters, page_number=1) -> Page:
    """One page of results for ``f``, what ``user`` may find (a visitor: only what
    is published).

    Two steps, so the sort never carries the texts: the page's ids are chosen by
    rank over narrow rows (id, rank, date), then those rows are read with their
    highlights. Queries: the permitted boards (signed in), the count, the ids, the
    rows."""
    allowed, public = visible_q(user)
    docs = _filtered(SearchDocument.objects.filter(allowed), f)
    words = terms(f.q)
    postgres = uses_postgres()
    query = None
    if words and postgres:
        query = SearchQuery(f.q, search_type="websearch", config=search_config())
        docs = docs.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
        docs = docs.order_by("-rank", "-date", "id")
    elif words:
        for word in words:
            docs = docs.filter(Q(title__icontains=word) | Q(body__icontains=word))
        docs = docs.annotate(
            title_hits=sum(
                (
                    Case(
                        When(title__icontains=w, then=Value(1)),
                        default=Value(0),
                        output_field=IntegerField(),
                    )
                    for w in words
                ),
                Value(0),
            )
        ).order_by("-title_hits", "-date", "id")
    else:
        docs = docs.order_by("-date", "id")
    paginator = Paginator(docs.values_list("pk", flat=True), PAGE_SIZE)
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    rows = SearchDocument.objects.filter(pk__in=ids).annotate(
        is_public=ExpressionWrapper(public, output_field=BooleanField())
    )
    if query is not None:
        rows = rows.annotate(
            headline=SearchHeadline(
                "body",
                query,
                config=search_config(),
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
            title_headline=SearchHeadline(
                "title",
                query,
                config=search_config(),
                start_sel=START,
                stop_sel=STOP,
                highlight_all=True,
            ),
        )
    by_id = {doc.pk: doc for doc in rows.select_related("board")}
    results = []
    for doc in (by_id[pk] for pk in ids if pk in by_id):
        row = {
            "item_id": doc.item_id,
            "meeting_id": doc.meeting_id,
            "motion_id": doc.motion_id,
            "paper_id": doc.paper_id,
        }
        if query is not None:
            title = _headline(doc.title_headline)
            text = _headline(doc.headline)
        else:
            title = snippet(doc.title, words, width=400) if words else escape(doc.title)
            text = snippet(doc.body, words)
        results.append(
            Result(
                kind=doc.kind,
                kind_label=doc.get_kind_display(),
                title=title,
                snippet=text,
                board=doc.board.label,
                date=doc.date,
                outcome=doc.outcome,
                url=_url(doc.kind, row, bool(doc.is_public)),
                public=bool(doc.is_public),
            )
        )
    return Page(
        results=results,
        page=page,
        total=paginator.count,
        engine="postgresql" if postgres else "fallback",
    )
