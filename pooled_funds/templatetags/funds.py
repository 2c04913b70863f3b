"""Money and RAG in templates."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """£3,092,000.00; negative as -£1,250.00; blank for None."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


@register.filter
def signed_money(value) -> str:
    """+£1,250.00 for an overspend or a rise, -£1,250.00 for the opposite."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    return ("+" if value > 0 else "") + money(value)


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{'+' if value > 0 else ''}{value}%"
