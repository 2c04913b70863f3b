"""Absolute links for what leaves the site (mail, PDFs, calendar feeds): the
``SITE_URL`` setting joined with a path, so a link works from an officer's mailbox.
"""

from django.conf import settings


def absolute_url(path_or_object) -> str:
    """``/meetings/3/`` (or an object with ``get_absolute_url``) as
    ``https://governance.example.org/meetings/3/``; an absolute URL is returned as
    it is."""
    path = (
        path_or_object.get_absolute_url()
        if hasattr(path_or_object, "get_absolute_url")
        else str(path_or_object)
    )
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"
