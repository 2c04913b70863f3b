"""Plain-text mail rendered from templates: ``<name>_subject.txt`` and
``<name>_body.txt``, with HTML autoescape off (a board called "Better Care &
Integrated ..." keeps its ampersand; mail is text, not HTML) and the subject on one
line. Links in mail are absolute from ``settings.SITE_URL``
(``governance.links.absolute_url``)."""

from django.template import Context
from django.template.loader import get_template

SUBJECT_MAX = 300


def render_text(template_name: str, context: dict) -> str:
    """A template rendered as plain text: no HTML escaping, whatever the template
    says about autoescape."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def one_line(text: str) -> str:
    """A subject: whitespace (newlines included) collapsed to single spaces."""
    return " ".join(text.split())[:SUBJECT_MAX]


def render_mail(name: str, context: dict) -> tuple[str, str]:
    """Subject and body of the mail ``name`` (``emails/minutes`` reads
    ``emails/minutes_subject.txt`` and ``emails/minutes_body.txt``)."""
    subject = render_text(f"{name}_subject.txt", context)
    body = render_text(f"{name}_body.txt", context)
    return one_line(subject), body.strip() + "\n"
