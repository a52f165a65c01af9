"""Menu entries for Peace Initiatives."""

from django.utils.translation import gettext_lazy as _

from peacekit.core.navigation import NavItem
from peacekit.listening.access import REVIEW_ROLES

NAV_ITEMS = [
    NavItem(
        _("Peace Initiatives"),
        "listening:initiative_list",
        _("Plan listening sessions, capture statements, track coverage."),
        order=10,
    ),
    NavItem(
        _("Redaction review"),
        "listening:review_queue",
        _("Check proposed redactions and publish statements."),
        roles=REVIEW_ROLES,
        order=11,
    ),
]


def dashboard_cards(request):
    from peacekit.listening.access import initiatives_for
    from peacekit.listening.models import Statement

    if not request.user.is_authenticated:
        return []
    initiatives = initiatives_for(request.user)
    pending = Statement.objects.filter(
        initiative__in=initiatives, status=Statement.Status.PENDING
    ).count()
    return [
        {"value": initiatives.count(), "label": _("Peace Initiatives")},
        {"value": pending, "label": _("Statements awaiting redaction review")},
    ]
