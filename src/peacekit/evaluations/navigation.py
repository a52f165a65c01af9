"""Menu entry for 360 evaluations (HR: agency administrators)."""

from django.utils.translation import gettext_lazy as _

from peacekit.core.navigation import NavItem
from peacekit.evaluations.access import EVALUATION_ROLES

NAV_ITEMS = [
    NavItem(
        _("360 evaluations"),
        "evaluations:cycle_list",
        _("Promotion cycles, raters, progress and promotability reports."),
        roles=frozenset(EVALUATION_ROLES),
        order=40,
    ),
]
