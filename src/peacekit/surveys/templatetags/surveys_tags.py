"""Number formats for survey statistics."""

import math

from django import template

register = template.Library()


@register.filter
def pvalue(value):
    """0.00001 → '< 0.001', 0.0432 → '0.043', None/NaN → '—'."""
    try:
        p = float(value)
    except (TypeError, ValueError):
        return "—"
    if math.isnan(p):
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"
