"""Template context: navigation for the signed-in user and the active organization."""

from peacekit.core.navigation import nav_for, nav_menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "active_organization": None}
    organization = getattr(request, "organization", None)
    items = nav_for(user, organization.pk if organization else None)
    return {
        "nav_items": items,
        "nav_menu": nav_menu(items),
        "active_organization": organization,
        "user_organizations": getattr(request, "user_organizations", []),
    }
