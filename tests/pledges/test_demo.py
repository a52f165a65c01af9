"""The demo loader makes a registry with a shaded map, a checklist in progress and orders."""

import time

import pytest

from peacekit.core import demo as core_demo
from peacekit.pledges import demo, selectors
from peacekit.pledges.models import DocumentaryRequest, Promise, SymbolOrder

pytestmark = pytest.mark.django_db


def test_demo_load_makes_registry_checklist_order_and_documentary(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    context = core_demo.DemoContext()
    core_demo.load(context)
    started = time.monotonic()
    demo.load(context, progress=None)
    assert time.monotonic() - started < 30
    metro = context.organizations["metro_pd"]
    riverside = context.organizations["riverside_so"]
    assert selectors.promise_made(organization=metro)
    assert selectors.promise_made(organization=riverside)
    assert Promise.objects.get(organization=metro).verification == "email_domain"
    assert 0 < selectors.checklist_progress(organization=metro) < 1
    counts = selectors.registry_state_counts()
    assert len(counts) >= 18 and counts["KY"] >= 2
    assert Promise.objects.filter(status="pending").count() == 1
    assert SymbolOrder.objects.filter(organization=metro).exists()
    assert DocumentaryRequest.objects.filter(organization=metro).exists()
