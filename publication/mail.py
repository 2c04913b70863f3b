"""Plain-text mail for subscribers: subject and body rendered from
``templates/publication/emails/`` through ``governance.mail.render_mail`` (plain
text, one-line subject); links absolute from ``settings.SITE_URL``
(``governance.links.absolute_url``)."""

from governance import mail


def render_mail(name: str, context: dict) -> tuple[str, str]:
    return mail.render_mail(f"publication/emails/{name}", context)
