"""The demo loader builds the issue's story quickly, through the services."""

import time

from peacekit.core import demo as core_demo
from peacekit.training import demo, selectors
from peacekit.training.models import AgencyCertification, Certificate


def test_demo_load_metro_buys_122_seats_trains_officers_and_is_partly_certified(db):
    context = core_demo.DemoContext()
    core_demo.load(context)
    started = time.monotonic()
    demo.load(context)
    assert time.monotonic() - started < 10
    metro = context.organizations["metro_pd"]
    usage = selectors.licence_usage(organization=metro)
    assert [u.pool.size for u in usage] == [80, 12, 15, 15]
    assert Certificate.objects.filter(organization=metro).count() == 34
    checklist = selectors.certification_checklist(organization=metro)
    assert any(item.met for item in checklist) and not all(item.met for item in checklist)
    riverside = context.organizations["riverside_so"]
    assert AgencyCertification.objects.get(organization=riverside).days_left() < 90
