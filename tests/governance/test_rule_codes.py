"""Rule codes (the ``rule`` of a 409) are one documented enum: every code the code
raises is in ``governance.rule_codes.RuleCode``, every refusal names one, and the
OpenAPI schema documents the enum on every write operation's 409 answer.

The source is read, not imported, so a code raised on a path no test reaches is
still checked; tests/conftest.py also checks every refusal the suite raises at run
time, however its code was built."""

import ast
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

from governance.rule_codes import RuleCode
from tests.meetings import builders

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "governance", "boards", "meetings", "pooled_funds", "demo")
REFUSALS = {"RuleViolation", "InvalidTransition"}
WRITES = {"post", "put", "patch", "delete"}


def calls():
    """Every call in the apps' code (migrations aside): (place, call name, node)."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Call):
                    func = node.func
                    name = getattr(func, "id", None) or getattr(func, "attr", "")
                    place = f"{path.relative_to(ROOT)}:{node.lineno}"
                    yield place, name, node


def literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def raised_codes() -> dict[str, str]:
    """Code -> where: ``rule="..."`` in any call (RuleViolation, MotionCannotBePut,
    ...), and the second argument of a vote ``Refusal(reason, rule)``."""
    found = {}
    for place, name, node in calls():
        for keyword in node.keywords:
            if keyword.arg == "rule" and literal(keyword.value) is not None:
                found.setdefault(literal(keyword.value), place)
        if name == "Refusal" and len(node.args) > 1 and literal(node.args[1]):
            found.setdefault(literal(node.args[1]), place)
    return found


def test_every_rule_code_raised_in_the_code_is_in_the_enum():
    found = raised_codes()
    assert len(found) > 40, "the scan found the codes"
    unknown = {code: place for code, place in found.items() if code not in RuleCode}
    assert not unknown, f"add these to governance/rule_codes.py: {unknown}"


def test_every_refusal_names_its_rule():
    """A RuleViolation without a code would answer ``"rule": "RuleViolation"``."""
    unnamed = [
        place
        for place, name, node in calls()
        if name in REFUSALS
        and len(node.args) < 2
        and not any(k.arg == "rule" for k in node.keywords)
    ]
    assert not unnamed, unnamed


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_documents_the_rule_codes_as_one_enum(schema):
    """RuleCodeEnum lists every code, each with what it means."""
    enum = schema["components"]["schemas"]["RuleCodeEnum"]
    assert enum["enum"] == RuleCode.values
    for code, meaning in RuleCode.choices:
        assert f"`{code}` - {meaning}" in enum["description"]
    refusal = schema["components"]["schemas"]["RuleRefusal"]
    assert refusal["properties"]["rule"]["allOf"] == [
        {"$ref": "#/components/schemas/RuleCodeEnum"}
    ]
    assert refusal["required"] == ["detail"]


def test_every_write_operation_documents_its_409(schema):
    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in WRITES
        and operation["responses"]
        .get("409", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
        != {"$ref": "#/components/schemas/RuleRefusal"}
    ]
    assert not missing, missing


def test_a_refusal_answers_a_documented_code(api_as, db):
    """Through the API: closing a meeting that has not started is 409 with the
    code of the meeting's status rule."""
    b = builders.pmg()
    response = api_as(b.secretary).post(f"/api/v1/meetings/{b.meeting.pk}/close/")
    assert response.status_code == 409
    assert response.json()["rule"] == RuleCode.MEETING_STATUS
