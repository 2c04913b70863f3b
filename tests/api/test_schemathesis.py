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


# The generated requests above rarely name a record that exists (their numbers are
# drawn at random), so an answer that only a real record gives could go unchecked:
# every GET with a record in its path is also asked for the demo's own records.
RECORD_OF = {
    "agreements": "boards.Agreement",
    "boards": "boards.Board",
    "partners": "boards.Partner",
    "quorum-rules": "boards.QuorumRule",
    "seats": "boards.Seat",
    "people": "governance.User",
    "items": "meetings.AgendaItem",
    "meetings": "meetings.Meeting",
    "motions": "meetings.Motion",
    "decisions": "meetings.Motion",
    "funds": "pooled_funds.PooledFund",
    "fund-contributions": "pooled_funds.Contribution",
    "fund-returns": "pooled_funds.Return",
    "fund-schemes": "pooled_funds.Scheme",
}


def _get_operations_with_a_record():
    for path, methods in schema.raw_schema["paths"].items():
        if "get" in methods and "{id}" in path:
            kind = path.removeprefix("/api/v1/").removeprefix("public/").split("/")[0]
            yield path, RECORD_OF[kind]


@pytest.mark.parametrize("path, model", list(_get_operations_with_a_record()))
def test_each_get_answers_its_schema_for_the_demos_own_records(
    path, model, admin_token, _keep_connection
):
    from django.apps import apps

    numbers = list(
        apps.get_model(model).objects.order_by("pk").values_list("pk", flat=True)
    )
    assert numbers, model
    operation = schema[path]["GET"]
    for pk in dict.fromkeys(numbers[:2] + numbers[-2:]):  # first two, last two
        case = operation.Case(path_parameters={"id": pk})
        case.call_and_validate(
            headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS
        )
