"""Template helpers: USWDS classes on form widgets, small number formats."""

from django import template

register = template.Library()

_CLASSES = {
    "select": "usa-select",
    "selectmultiple": "usa-select",
    "textarea": "usa-textarea",
    "checkbox": "usa-checkbox__input",
    "radioselect": "",
    "checkboxselectmultiple": "",
    "clearablefile": "usa-file-input",
    "file": "usa-file-input",
}


@register.filter
def usa_widget(field):
    """Render a bound field's widget with the USWDS class for its type and aria hints."""
    css = _CLASSES.get(field.widget_type, "usa-input")
    attrs = {}
    existing = field.field.widget.attrs.get("class", "")
    if css:
        attrs["class"] = f"{css} {existing}".strip()
    if field.errors:
        attrs["class"] = attrs.get("class", "") + " usa-input--error"
        attrs["aria-invalid"] = "true"
    if field.help_text:
        attrs["aria-describedby"] = f"{field.id_for_label}-hint"
    return field.as_widget(attrs=attrs)


@register.filter
def percent(value, digits=0):
    """0.523 → '52%'."""
    try:
        return f"{float(value) * 100:.{int(digits)}f}%"
    except (TypeError, ValueError):
        return "—"
