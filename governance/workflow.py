"""One mechanism for state machines: allowed transitions are data on the model.

A model with a ``status`` field declares ``TRANSITIONS``: a mapping of action name
to ``Transition(sources, target, permission)``; ``TRANSITION_RULE`` names the rule
code (``governance.rule_codes``) of a refusal and ``TRANSITION_NOUN`` how the
message names the thing ("A meeting that is closed cannot ..."). As django-oscar's
order pipeline with ``set_status()`` raising ``InvalidOrderStatus``.

- ``transition(obj, action)`` sets ``obj.status`` to the action's target, or raises
  ``InvalidTransition`` (HTTP 409) when the current status does not allow it. The
  caller saves; the services still check the rules of the record (quorum, open
  motions...) around it.
- ``available_actions(obj, user)`` lists the actions the status allows and the user's
  permission (a ``rules`` permission name, checked against ``subject`` or ``obj``)
  allows: templates and the API ask it which buttons to show, instead of comparing
  status strings.

An action whose ``target`` is ``None`` changes no status but is allowed only in
the listed states (e.g. "add an item" while a meeting is scheduled or in
progress): one table says what a record in each state may still have done to it.

``allowed_actions`` and ``check`` are the pure core (table in, decision out) that
the tests table-test for every model.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from .exceptions import InvalidTransition


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None = None
    permission: str = ""

    def __init__(self, sources, target=None, permission=""):
        object.__setattr__(self, "sources", frozenset(sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "permission", permission)


Table = Mapping[str, Transition]


def allowed_actions(table: Table, status: str) -> list[str]:
    """The actions ``status`` allows, in the table's order. Pure."""
    return [name for name, t in table.items() if status in t.sources]


def check(table: Table, status: str, action: str) -> Transition | None:
    """The transition if ``status`` allows ``action``, else None. Pure. An action
    not in the table is a programming error (KeyError), not a refusal."""
    t = table[action]
    return t if status in t.sources else None


def _label(obj, status: str) -> str:
    try:
        return type(obj).Status(status).label.lower()
    except (AttributeError, ValueError):
        return str(status).replace("_", " ")


def transition(obj, action: str) -> str:
    """Apply ``action`` to ``obj`` (sets ``obj.status`` where the action has a
    target) and return the new status; ``InvalidTransition`` with the model's rule
    code when the current status does not allow it."""
    model = type(obj)
    t = check(model.TRANSITIONS, obj.status, action)
    if t is None:
        noun = getattr(model, "TRANSITION_NOUN", None) or model._meta.verbose_name
        words = action.replace("_", " ")
        if model.TRANSITIONS[action].target is not None:
            target = _label(obj, model.TRANSITIONS[action].target)
            message = (
                f"A {noun} that is {_label(obj, obj.status)} cannot become {target}."
            )
        else:
            message = (
                f"A {noun} that is {_label(obj, obj.status)} does not allow: {words}."
            )
        raise InvalidTransition(message, rule=model.TRANSITION_RULE)
    if t.target is not None:
        obj.status = t.target
    return obj.status


def require(obj, action: str) -> None:
    """Refuse (``InvalidTransition``) unless the status allows ``action``; changes
    nothing. For actions without a target (editing while scheduled...)."""
    t = check(type(obj).TRANSITIONS, obj.status, action)
    if t is None:
        transition(obj, action)  # raises with the worded message


def available_actions(obj, user=None, *, subject=None) -> list[str]:
    """The actions ``obj``'s status allows and ``user`` may take (each action's
    ``permission`` checked with ``user.has_perm(permission, subject or obj)``);
    without a user, what the status allows."""
    table = type(obj).TRANSITIONS
    names = allowed_actions(table, obj.status)
    if user is None:
        return names
    target = subject if subject is not None else obj
    cache: dict[str, bool] = {}
    result = []
    for name in names:
        perm = table[name].permission
        if perm:
            if perm not in cache:
                cache[perm] = bool(user.has_perm(perm, target))
            if not cache[perm]:
                continue
        result.append(name)
    return result
