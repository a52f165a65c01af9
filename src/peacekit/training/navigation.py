"""Training menu links and dashboard figures."""

from django.utils.translation import gettext_lazy as _

from peacekit.core.access import MANAGER_ROLES, STAFF_ROLES
from peacekit.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Training"), "training:course_list", _("Courses, offerings and online training."),
            order=50),
    NavItem(_("Licences"), "training:my_licences", _("Licence seats by category and their use."),
            roles=STAFF_ROLES, order=51),
    NavItem(_("Learners"), "training:my_learners",
            _("Your training roster: seats, links, transcripts, exports."),
            roles=STAFF_ROLES, order=52),
    NavItem(_("Certification"), "training:my_certification",
            _("Agency certification checklist, renewal and plaque."), roles=MANAGER_ROLES,
            order=53),
    NavItem(_("Certification admin"), "training:certification_admin",
            _("Requirements, expiring certifications, plaques overdue."),
            program_staff_only=True, order=54),
    NavItem(_("My training"), "training:my_home", _("Your courses and certificates."), order=55),
]  # fmt: skip


def dashboard_cards(request) -> list[dict]:
    """Seats in use and completions for the active agency."""
    organization = getattr(request, "organization", None)
    if organization is None or not request.user.is_authenticated:
        return []
    from peacekit.core.access import has_role

    if not has_role(request.user, organization.pk, STAFF_ROLES):
        return []
    from peacekit.training.selectors import training_stats

    stats = training_stats(organization=organization)
    if not stats["seats"]["total"] and not stats["completions"]:
        return []
    return [
        {"value": f"{stats['seats']['used']}/{stats['seats']['total']}",
         "label": _("licence seats in use")},
        {"value": stats["completions"], "label": _("courses completed")},
    ]  # fmt: skip
