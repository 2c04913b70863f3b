"""A checker for Atom 1.0 (RFC 4287): every MUST of sections 4.1.1 (feed) and 4.1.2
(entry), the date and IRI constructs (3.3, 4.2.6), text constructs (3.1), links
(4.2.7) and categories (4.2.2), plus the SHOULD of a self link. Returns the
problems found, empty for a valid feed."""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urlsplit

NS = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)
TEXT_TYPES = {"text", "html", "xhtml"}


def _count(element, name) -> int:
    return len(element.findall(NS + name))


def _absolute_iri(value: str) -> bool:
    parts = urlsplit(value or "")
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("tag", "urn"))


def _check_common(element, where: str, problems: list[str]) -> None:
    for name in ("id", "title", "updated"):
        if _count(element, name) != 1:
            problems.append(f"{where}: needs exactly one atom:{name}")
    ident = element.find(NS + "id")
    if ident is not None and not _absolute_iri((ident.text or "").strip()):
        problems.append(f"{where}: atom:id {ident.text!r} is not an absolute IRI")
    for name in ("updated", "published"):
        for date in element.findall(NS + name):
            if not RFC3339.match((date.text or "").strip()):
                problems.append(f"{where}: atom:{name} {date.text!r} is not RFC 3339")
    for name in ("title", "subtitle", "summary", "rights"):
        for text in element.findall(NS + name):
            if text.get("type", "text") not in TEXT_TYPES:
                problems.append(f"{where}: atom:{name} has a bad type")
    alternates = Counter()
    for link in element.findall(NS + "link"):
        if not link.get("href"):
            problems.append(f"{where}: atom:link without href")
        if link.get("rel", "alternate") == "alternate":
            alternates[(link.get("type"), link.get("hreflang"))] += 1
    if any(n > 1 for n in alternates.values()):
        problems.append(f"{where}: two alternate links of one type and language")
    for category in element.findall(NS + "category"):
        if not category.get("term"):
            problems.append(f"{where}: atom:category without term")
    for author in element.findall(NS + "author"):
        if _count(author, "name") != 1:
            problems.append(f"{where}: atom:author needs exactly one atom:name")


def atom_problems(document: bytes) -> list[str]:
    try:
        root = ET.fromstring(document)  # noqa: S314 - our own feed, in a test
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag != NS + "feed":
        return [f"root element is {root.tag}, not atom:feed"]
    problems: list[str] = []
    _check_common(root, "feed", problems)
    for name in ("subtitle", "icon", "logo", "rights", "generator"):
        if _count(root, name) > 1:
            problems.append(f"feed: at most one atom:{name}")
    if not any(x.get("rel") == "self" for x in root.findall(NS + "link")):
        problems.append("feed: no self link (SHOULD)")
    entries = root.findall(NS + "entry")
    if not _count(root, "author") and not all(
        _count(entry, "author") for entry in entries
    ):
        problems.append("feed: no atom:author, and not every entry has one")
    ids = Counter()
    for n, entry in enumerate(entries, start=1):
        where = f"entry {n}"
        _check_common(entry, where, problems)
        for name in ("published", "summary", "content", "rights", "source"):
            if _count(entry, name) > 1:
                problems.append(f"{where}: at most one atom:{name}")
        has_alternate = any(
            link.get("rel", "alternate") == "alternate"
            for link in entry.findall(NS + "link")
        )
        if not _count(entry, "content") and not has_alternate:
            problems.append(f"{where}: no atom:content and no alternate link")
        ident = entry.find(NS + "id")
        if ident is not None:
            ids[ident.text] += 1
    problems += [f"entry id {i!r} repeated" for i, n in ids.items() if n > 1]
    return problems
