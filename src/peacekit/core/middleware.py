"""Sets request.organization: the organization the signed-in user is working in."""

import json

from django.http import HttpResponseBadRequest, JsonResponse

from peacekit.core.models import TwoFactorDevice
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


TWO_FACTOR_SESSION_KEY = "peacekit_two_factor_ok"
_EXEMPT_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")


class TwoFactorMiddleware:
    """Ask for an authenticator code after the password, and make staff roles set one up.

    A session is fully signed in once its code is checked. Until then pages redirect to the code
    page and the API treats the session as anonymous (token-authenticated API calls are not
    affected: tokens are personal secrets of their own).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib.auth.models import AnonymousUser
        from django.shortcuts import redirect

        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(TWO_FACTOR_SESSION_KEY)
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            device = TwoFactorDevice.objects.filter(user=user).first()
            confirmed = device is not None and device.confirmed_at is not None
            required = settings.PEACEKIT_REQUIRE_TWO_FACTOR and _is_staff_role(user)
            if confirmed or required:
                if request.path.startswith("/api/"):
                    request.user = AnonymousUser()
                elif confirmed:
                    return redirect(f"/accounts/two-factor/?next={request.get_full_path()}")
                else:
                    return redirect("/accounts/two-factor/setup/")
            else:
                request.session[TWO_FACTOR_SESSION_KEY] = True  # nothing to ask: skip next time
        return self.get_response(request)


def _is_staff_role(user) -> bool:
    from peacekit.core.models import Membership

    staff = {Membership.Role.PROGRAM_ADMIN, Membership.Role.AGENCY_ADMIN}
    return user.is_superuser or bool(staff & set(user.role_map.values()))


class RejectNulMiddleware:
    """Answer 400 to addresses and JSON bodies carrying NUL characters (PostgreSQL cannot store
    or compare them, and no legitimate link or API payload contains one) instead of failing
    deep inside a query. Form fields are already covered by Django's
    ProhibitNullCharactersValidator; JSON bodies (the API) are checked here, before the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").upper():
            return HttpResponseBadRequest(
                "The address contains a NUL character.", content_type="text/plain"
            )
        if _is_json(request) and _json_body_has_nul(request.body):
            return JsonResponse(
                {"detail": "The request body contains a NUL character (\\u0000); remove it."},
                status=400,
            )
        return self.get_response(request)


def _is_json(request) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _json_body_has_nul(body: bytes) -> bool:
    """True when the body holds a raw NUL byte, or a JSON string or key that decodes to one.

    Cheap for ordinary bodies (two byte searches); only a body that mentions `\\u0000`
    is decoded, so an escaped backslash followed by "u0000" (harmless text) is not refused.
    A body that is not valid JSON is left to the view, which answers its own parse error.
    """
    if b"\x00" in body:
        return True
    if b"\\u0000" not in body:
        return False
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return False
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
