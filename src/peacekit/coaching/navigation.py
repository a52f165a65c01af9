"""Coaching menu links and dashboard figures."""

from django.utils.translation import gettext_lazy as _

from peacekit.core.access import MANAGER_ROLES
from peacekit.core.models import Membership
from peacekit.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Coaching"), "coaching:home",
            _("Coaching for police leaders: your agreements and sessions."), order=60),
    NavItem(_("Coachees"), "coaching:coachee_list",
            _("Police leaders and managers in coaching, with their needs assessments."),
            roles=MANAGER_ROLES, order=61),
    NavItem(_("Coaches"), "coaching:coach_list", _("Coaches, expertise and capacity."),
            program_staff_only=True, order=62),
    NavItem(_("Coach matching"), "coaching:matching",
            _("Proposed coach matches with reasons; confirm, override, re-run."),
            program_staff_only=True, order=63),
    NavItem(_("Coaching agreements"), "coaching:agreement_list",
            _("Agreements, acceptance, sessions and check-ins."),
            roles=frozenset({*MANAGER_ROLES, Membership.Role.COACH}), order=64),
]  # fmt: skip


def dashboard_cards(request) -> list[dict]:
    """Active agreements, for program staff."""
    if not request.user.is_authenticated or not request.user.is_program_staff:
        return []
    from peacekit.coaching.selectors import coaching_summary

    summary = coaching_summary()
    if not summary["coaches"]:
        return []
    return [{"value": summary["active_agreements"], "label": _("active coaching agreements")}]
