"""Research menu links: program staff only."""

from django.utils.translation import gettext_lazy as _

from peacekit.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Statute survey"), "research:corpus_list",
            _('How each state\'s statutes use "peace officer": import, review, findings.'),
            program_staff_only=True, order=70),
    NavItem(_("Program dashboard"), "research:dashboard",
            _("Program effectiveness across initiatives, surveys, training and promises."),
            program_staff_only=True, order=71),
]  # fmt: skip
