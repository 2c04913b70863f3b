"""A page's form as a browser would submit it, read from the HTML (standard library
only): for tests that post a real page's form with only the fields a person fills
in changed."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    """The POST forms of a page and what a browser would send for each, untouched:
    text inputs and textareas with their values, checked boxes and radios, each
    select's selected option (or its first)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = []
            self.forms.append((a.get("action") or "", self._fields))
        if self._fields is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._fields.append((a["name"], a.get("value", default)))
        elif tag == "select":
            self._select = {"name": a["name"], "first": None, "chosen": []}
            self._multiple = "multiple" in a
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def _option(self, a):
        value = a.get("value", "")
        if self._select["first"] is None:
            self._select["first"] = value
        if "selected" in a:
            self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._multiple and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self._fields += [(self._select["name"], value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._fields.append(tuple(self._textarea))
            self._textarea = None


def page_form(html: str, path: str) -> dict[str, list[str]]:
    """The fields of the page's form that posts to ``path`` (or to itself), as a
    browser would send them."""
    parser = _FormParser()
    parser.feed(html)
    for action, fields in parser.forms:
        if action in ("", path):
            data: dict[str, list[str]] = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no form posting to {path}: {[a for a, _ in parser.forms]}")
