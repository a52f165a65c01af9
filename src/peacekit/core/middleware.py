"""Sets request.organization: the organization the signed-in user is working in."""

from peacekit.core.selectors import user_organizations

SESSION_KEY = "peacekit_active_organization"


class ActiveOrganizationMiddleware:
    """Resolve the user's organizations (one query) and the active one from the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user_organizations = []
        request.organization = None
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            organizations = user_organizations(user=request.user)
            wanted = request.session.get(SESSION_KEY)
            request.user_organizations = organizations
            request.organization = next(
                (org for org in organizations if org.pk == wanted),
                organizations[0] if organizations else None,
            )
        return self.get_response(request)
