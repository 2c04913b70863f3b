"""Plain-text mail for subscribers: subject and body rendered from
``templates/publication/emails/`` (autoescape off: a board called "Better Care &
Integrated ..." keeps its ampersand); links absolute from ``settings.SITE_URL``
(``governance.links.absolute_url``)."""

from django.template.loader import render_to_string


def render_mail(name: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"publication/emails/{name}_subject.txt", context)
    body = render_to_string(f"publication/emails/{name}_body.txt", context)
    return " ".join(subject.split())[:300], body.strip() + "\n"
