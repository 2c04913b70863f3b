"""The state-transition mechanism (``governance.workflow``) and each model's table:
every (status, action) pair is allowed or refused as the table says, a refusal is an
``InvalidTransition`` with the model's rule code, and ``available_actions`` filters
by the user's permission."""

from types import SimpleNamespace

import pytest

from governance import workflow
from governance.exceptions import InvalidTransition
from governance.rule_codes import RuleCode
from governance.workflow import Transition
from meetings.models import Meeting, MinutesVersion, Motion
from pooled_funds.models import Return, ReturnStatus

M, MO, MV, R = Meeting.Status, Motion.Status, MinutesVersion.Status, ReturnStatus

TOY = {
    "go": Transition({"a"}, "b", "perm.go"),
    "stop": Transition({"a", "b"}, "c"),
    "note": Transition({"b"}, None, "perm.note"),
}


class Toy:
    TRANSITIONS = TOY
    TRANSITION_RULE = "meeting_status"
    TRANSITION_NOUN = "toy"

    def __init__(self, status):
        self.status = status


class User:
    def __init__(self, *perms):
        self.perms = set(perms)
        self.asked = []

    def has_perm(self, perm, obj):
        self.asked.append((perm, obj))
        return perm in self.perms


@pytest.mark.parametrize(
    "status, expected",
    [("a", ["go", "stop"]), ("b", ["stop", "note"]), ("c", [])],
)
def test_allowed_actions_read_the_table_in_order(status, expected):
    assert workflow.allowed_actions(TOY, status) == expected


@pytest.mark.parametrize(
    "status, action, after",
    [("a", "go", "b"), ("a", "stop", "c"), ("b", "stop", "c"), ("b", "note", "b")],
)
def test_transition_sets_the_target_or_keeps_the_status(status, action, after):
    toy = Toy(status)
    assert workflow.transition(toy, action) == after
    assert toy.status == after


@pytest.mark.parametrize(
    "status, action", [("b", "go"), ("c", "go"), ("c", "stop"), ("a", "note")]
)
def test_transition_refuses_with_the_models_rule_and_changes_nothing(status, action):
    toy = Toy(status)
    with pytest.raises(InvalidTransition) as refused:
        workflow.transition(toy, action)
    assert refused.value.rule == "meeting_status"
    assert "toy" in refused.value.message
    assert toy.status == status


def test_an_unknown_action_is_a_programming_error_not_a_refusal():
    with pytest.raises(KeyError):
        workflow.transition(Toy("a"), "fly")


def test_available_actions_filter_by_permission_on_the_subject():
    subject = SimpleNamespace()
    user = User("perm.note")
    assert workflow.available_actions(Toy("b"), user, subject=subject) == [
        "stop",
        "note",
    ]
    assert user.asked == [("perm.note", subject)]
    assert workflow.available_actions(Toy("a"), User()) == ["stop"]
    assert workflow.available_actions(Toy("a"), User("perm.go")) == ["go", "stop"]
    assert workflow.available_actions(Toy("a")) == ["go", "stop"]


# --- each model's table ----------------------------------------------------------

MEETING = [
    # status, actions the status allows
    (
        M.SCHEDULED,
        {
            "publish",
            "start",
            "inquorate",
            "cancel",
            "edit",
            "add_item",
            "invite_guest",
            "attendance",
            "set_chair",
            "send_apologies",
        },
    ),
    (
        M.IN_PROGRESS,
        {"close", "inquorate", "add_item", "invite_guest", "attendance", "set_chair"},
    ),
    (M.CLOSED, set()),
    (M.CANCELLED, set()),
    (M.INQUORATE, {"reconvene"}),
]
MEETING_TARGETS = {
    "start": M.IN_PROGRESS,
    "close": M.CLOSED,
    "inquorate": M.INQUORATE,
    "cancel": M.CANCELLED,
}
MOTION = [
    (MO.DRAFT, {"put", "withdraw", "edit", "written_position"}),
    (MO.OPEN, {"close", "withdraw", "vote"}),
    (MO.CLOSED, set()),
]
MINUTES = [
    (MV.DRAFT, {"approve"}),
    (MV.APPROVED, {"reopen", "circulate"}),
    (MV.CIRCULATED, {"confirm", "supersede"}),
    (MV.CONFIRMED, {"supersede"}),
    (MV.SUPERSEDED, set()),
]
RETURN = [
    (R.DRAFT, {"edit", "submit"}),
    (R.SUBMITTED, {"approve", "send_back"}),
    (R.RETURNED, {"edit", "submit"}),
    (R.APPROVED, set()),
]
TABLES = [
    (Meeting, MEETING),
    (Motion, MOTION),
    (MinutesVersion, MINUTES),
    (Return, RETURN),
]


@pytest.mark.parametrize(
    "model, status, allowed",
    [(model, status, allowed) for model, rows in TABLES for status, allowed in rows],
)
def test_each_models_table_allows_exactly_these_actions(model, status, allowed):
    assert set(workflow.allowed_actions(model.TRANSITIONS, status)) == allowed


@pytest.mark.parametrize("model, rows", TABLES)
def test_each_model_lists_every_status_and_a_known_rule_code(model, rows):
    assert {status for status, _ in rows} == set(model.Status.values)
    assert model.TRANSITION_RULE in RuleCode.values
    for t in model.TRANSITIONS.values():
        assert t.sources <= set(model.Status.values)
        assert t.target is None or t.target in model.Status.values


@pytest.mark.parametrize("action, target", MEETING_TARGETS.items())
def test_meeting_status_changes(action, target):
    meeting = Meeting(status=M.SCHEDULED if action != "close" else M.IN_PROGRESS)
    workflow.transition(meeting, action)
    assert meeting.status == target


@pytest.mark.parametrize(
    "status, action",
    [
        (M.CLOSED, "start"),
        (M.CANCELLED, "start"),
        (M.INQUORATE, "start"),
        (M.SCHEDULED, "close"),
        (M.IN_PROGRESS, "cancel"),
        (M.CLOSED, "add_item"),
        (M.INQUORATE, "invite_guest"),
        (M.CANCELLED, "edit"),
    ],
)
def test_a_finished_meeting_refuses_with_meeting_status(status, action):
    with pytest.raises(InvalidTransition) as refused:
        workflow.require(Meeting(status=status), action)
    assert refused.value.rule == "meeting_status"


@pytest.mark.parametrize(
    "model, status, action, rule",
    [
        (Motion, MO.CLOSED, "put", "motion_status"),
        (Motion, MO.DRAFT, "close", "motion_status"),
        (MinutesVersion, MV.DRAFT, "circulate", "minutes_workflow"),
        (Return, R.APPROVED, "submit", "return_transition"),
        (Return, R.DRAFT, "approve", "return_transition"),
    ],
)
def test_other_models_refuse_with_their_rule(model, status, action, rule):
    with pytest.raises(InvalidTransition) as refused:
        workflow.transition(model(status=status), action)
    assert refused.value.rule == rule


@pytest.mark.parametrize(
    "status, shown",
    [(MO.DRAFT, "put withdraw"), (MO.OPEN, "close withdraw"), (MO.CLOSED, "")],
)
def test_templates_ask_the_table_which_buttons_to_show(status, shown):
    from django.template import Context, Template

    page = Template(
        "{% load workflow %}{% for a in actions %}{% if motion|allows:a %}{{ a }} "
        "{% endif %}{% endfor %}"
    ).render(
        Context(
            {"motion": Motion(status=status), "actions": ["put", "close", "withdraw"]}
        )
    )
    assert page.strip() == shown
