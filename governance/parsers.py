"""Request body parsing with bounds (issue 14): a body past a bound is a 400 with the
reason, never a 500 or a worker held for seconds.

- Size: at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes are read; DRF reads the raw
  stream, so Django's own check of that setting (on ``request.body``) never runs.
- Depth: at most ``MAX_JSON_DEPTH`` nested arrays/objects, judged by a scan that
  stops at the first bracket too deep, before ``json`` recurses (JSON nested 5,000
  deep raised RecursionError: a 500 on every POST endpoint).
- Length: no array longer than ``MAX_JSON_ITEMS``; longer lists name their own,
  smaller bound in their serializer (attendance: ``max_length``).
"""

import io
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32
MAX_JSON_ITEMS = 20_000
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_STRUCTURE = re.compile(rb"[^\[\]{},]+")


def json_too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``raw`` nests arrays/objects more than ``limit`` deep (strings
    ignored). Linear, and it stops at the first bracket past the limit."""
    depth = 0
    for char in _STRUCTURE.sub(b"", _STRING.sub(b"0", raw)):
        if char in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif char in b"]}":
            depth -= 1
    return False


def _longest_array(value) -> int:
    """The longest list anywhere in a parsed body, without recursion."""
    longest, stack = 0, [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            longest = max(longest, len(node))
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return longest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise ParseError(
                f"The request body is too large (at most {limit:,} bytes)."
            )
        if json_too_deep(raw):
            raise ParseError(
                f"The JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
            )
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:  # belt and braces: the scan should catch it
            raise ParseError("The JSON is nested too deeply.") from exc
        if _longest_array(data) > MAX_JSON_ITEMS:
            raise ParseError(
                f"A list in the JSON has more than {MAX_JSON_ITEMS:,} items."
            )
        return data
