"""The JSON API: django-ninja at /api/, OpenAPI docs at /api/docs.

Authentication: the browser session (with CSRF on writes) or a personal access token sent as
`Authorization: Bearer pk_...`. Each app adds a `router` in its own api.py.
"""

import importlib

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from peacekit.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """Personal access tokens (stored hashed; revocable)."""

    def authenticate(self, request, token):
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
            return user
        return None


api = NinjaAPI(
    title="peacekit API",
    version="1",
    description="Organizations, jobs and the program's data. Authenticate with your session "
    "or a personal access token (Account → API tokens) as `Authorization: Bearer <token>`.",
    auth=[django_auth, TokenAuth()],
    urls_namespace="api",
)

for app in settings.PEACEKIT_APPS:
    try:
        module = importlib.import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        continue
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{app.rsplit('.', 1)[-1]}/", router)
