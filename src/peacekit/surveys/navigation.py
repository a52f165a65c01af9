"""Survey pages in the header menu and a figure on the dashboard."""

from django.utils.translation import gettext_lazy as _

from peacekit.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("Surveys"),
        "surveys:survey_list",
        _("Pre/post perception surveys, evaluations and quotas."),
        order=30,
    ),
    NavItem(
        _("Trust trends"),
        "surveys:trend_list",
        _("Trust and safety over time by district."),
        order=31,
    ),
]


def dashboard_cards(request) -> list[dict]:
    """Survey responses collected for the active organization."""
    from peacekit.surveys.models import Response

    organization = getattr(request, "organization", None)
    if organization is None:
        return []
    n = Response.objects.filter(organization=organization).count()
    return [{"value": n, "label": _("survey responses")}]
