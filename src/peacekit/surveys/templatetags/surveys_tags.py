"""Number formats for survey statistics."""

import math

from django import template

register = template.Library()


def format_p(value) -> str:
    """0.00001 → 'p < 0.001', 0.0432 → 'p = 0.043', None/NaN → 'p —'."""
    try:
        p = float(value)
    except (TypeError, ValueError):
        return "p —"
    if math.isnan(p):
        return "p —"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


@register.filter
def pvalue(value):
    """A p-value as text with its sign: 'p < 0.001' or 'p = 0.043'."""
    return format_p(value)
