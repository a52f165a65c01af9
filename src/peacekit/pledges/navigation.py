"""Pledges menu links and dashboard figures."""

from django.utils.translation import gettext_lazy as _

from peacekit.core.access import MANAGER_ROLES
from peacekit.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        _("Peace Officer Promise"),
        "pledges:overview",
        _("Your Promise, event, certificate, checklist, toolkit, documentary and decals."),
        order=40,
    ),
    NavItem(
        _("Promise checklist"),
        "pledges:checklist_home",
        _("Work through the implementation checklist and attach evidence."),
        order=41,
    ),
    NavItem(
        _("Promise toolkit"),
        "pledges:toolkit",
        _("Press release, social media plan, proclamation and more with your name."),
        order=42,
    ),
    NavItem(
        _("Documentary"),
        "pledges:documentary_list",
        _("Request a mini-documentary and upload footage."),
        roles=MANAGER_ROLES,
        order=43,
    ),
    NavItem(
        _("Decals and emblems"),
        "pledges:order_list",
        _("Order Peace Officer symbols for vehicles, uniforms and equipment."),
        roles=MANAGER_ROLES,
        order=44,
    ),
    NavItem(
        _("Promise sign-ons"),
        "pledges:promise_list",
        _("Verify organizations that signed on to the Promise."),
        program_staff_only=True,
        order=45,
    ),
    NavItem(
        _("Community requests"),
        "pledges:involvement_list",
        _("People who offered to host events, asked for mediation or to start a group."),
        program_staff_only=True,
        order=46,
    ),
    NavItem(
        _("Promise registry"),
        "pledges:registry",
        _("The public list and map of organizations that made the Promise."),
        order=47,
    ),
]


def dashboard_cards(request) -> list[dict]:
    """The active organization's checklist progress; pending sign-ons for program staff."""
    from peacekit.pledges import selectors
    from peacekit.pledges.models import Promise

    cards = []
    organization = getattr(request, "organization", None)
    if organization is not None and selectors.promise_made(organization=organization):
        progress = selectors.checklist_progress(organization=organization)
        cards.append({"value": f"{progress * 100:.0f}%", "label": _("Promise checklist done")})
    if request.user.is_authenticated and request.user.is_program_staff:
        pending = Promise.objects.filter(status=Promise.Status.PENDING).count()
        cards.append({"value": pending, "label": _("Promise sign-ons to verify")})
    return cards
