"""API robustness (issue 8; SPEC s.8 "never 500"): schemathesis generates requests
for every operation of the app's own OpenAPI schema, as an administrator with a
token over the demo data, and checks that no answer is a server error and every
answer conforms to the schema. Examples are bounded to keep CI under two minutes."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from config.wsgi import application
from governance.models import User
from tests.demo_copy import load_demo

MAX_EXAMPLES = 8
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin_token(_demo_data, db):
    user = User.objects.get(email="admin@demo.example")
    return Token.objects.get_or_create(user=user)[0].key


@pytest.fixture
def _keep_connection():
    """The raw WSGI app closes the database connection after each request (Django's
    own test client switches that off); keep it open, since the test's transaction
    lives on it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _served_schema() -> dict:
    """The same document ``/api/v1/schema/`` serves, built without a request so the
    tests can be collected before a database exists."""
    generator = SchemaGenerator()
    document = generator.get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# The coverage phase (boundary values per parameter) is unbounded by max_examples;
# CI runs the examples and fuzzing phases only, MAX_EXAMPLES per operation.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"enabled": False}},
        "generation": {"max-examples": MAX_EXAMPLES},
    }
)
schema = schemathesis.openapi.from_dict(_served_schema(), config=CONFIG)
schema.app = application


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_answers_match_the_schema(
    case, admin_token, _keep_connection
):
    """Every generated request gets a 2xx/4xx that matches the schema, never a 500."""
    case.call_and_validate(
        headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS
    )
