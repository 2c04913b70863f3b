"""The record of ``world.py``, built once per test module inside a transaction
rolled back at its end; each test runs in a savepoint inside it. Its papers' files
live in a directory of the module's own."""

import pytest
from django.db import transaction
from django.test import override_settings

from .world import build_world


@pytest.fixture(scope="module")
def _media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, _media):
    with (
        override_settings(MEDIA_ROOT=_media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(_world, _media, db, settings):
    settings.MEDIA_ROOT = _media
    return _world
