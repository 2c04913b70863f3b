"""bench/load.py's server: the production settings with one more URL, a trivial
view behind every middleware (``/bench/trivial/``), so a page can be compared with
a Django view that does nothing but what every request does (session, user,
CSRF, security headers), beside ``/healthz``, which the first middleware answers."""

from config.settings import *  # noqa: F403 - the production settings, unchanged

ROOT_URLCONF = "load_urls"
