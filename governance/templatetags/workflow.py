"""Templates ask the transition table (``governance.workflow``) whether a record's
status allows an action, instead of comparing status strings:
``{% if motion|allows:"put" and can_run %}``. Who may is the page's permission
variable, or ``available_actions(obj, user)`` passed by the view."""

from django import template

from governance import workflow

register = template.Library()


@register.filter
def allows(obj, action: str) -> bool:
    """Whether ``obj``'s status allows ``action`` (its model's ``TRANSITIONS``)."""
    if obj is None:
        return False
    return workflow.check(type(obj).TRANSITIONS, obj.status, action) is not None
