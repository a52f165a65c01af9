"""Bench-only URLconf: all of peacekit, plus `/bench/bare-insert/` (one row, no CSRF, no template).

The bare insert is the anchor of bench/load.py: the cheapest Django view that writes one row
through the same server, middleware and database, measured in the same run.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from peacekit.core.models import AuditEvent


@csrf_exempt
@login_not_required
def bare_insert(request):
    """Insert one audit row keyed by the client's submission key; 201."""
    AuditEvent.objects.create(
        action="bench.bare_insert", object_id=request.POST.get("key", "")[:64]
    )
    return HttpResponse("ok", status=201, content_type="text/plain")


urlpatterns = [
    path("bench/bare-insert/", bare_insert),
    path("", include("peacekit.urls")),
]
