"""Absolute links for mail and PDFs (``governance.links``), from ``SITE_URL``."""

from types import SimpleNamespace

import pytest

from governance.links import absolute_url


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/meetings/3/", "https://gov.example/meetings/3/"),
        ("meetings/3/", "https://gov.example/meetings/3/"),
        ("https://elsewhere.example/x", "https://elsewhere.example/x"),
        (
            SimpleNamespace(get_absolute_url=lambda: "/boards/1/"),
            "https://gov.example/boards/1/",
        ),
    ],
)
def test_absolute_url_joins_the_site_url_and_the_path(settings, path, expected):
    settings.SITE_URL = "https://gov.example"
    assert absolute_url(path) == expected
