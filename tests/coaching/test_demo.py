"""The coaching demo loads through the services, quickly, with what the issue asks for."""

import time

from peacekit.coaching import demo
from peacekit.coaching.models import Agreement, Coach, Coachee, CoachingSession, NeedsAssessment
from peacekit.core import demo as core_demo


def test_demo_load_creates_coaches_coachees_and_an_accepted_agreement(db):
    context = core_demo.DemoContext()
    core_demo.load(context)
    start = time.perf_counter()
    demo.load(context)
    assert time.perf_counter() - start < 10
    assert Coach.objects.count() == 8 and Coachee.objects.count() == 15
    assert NeedsAssessment.objects.filter(status="submitted").count() == 15
    active = Agreement.objects.get(status=Agreement.Status.ACTIVE)
    assert active.coach.user == context.users["coach"]
    assert active.coach_accepted_at and active.coachee_accepted_at
    assert CoachingSession.objects.filter(agreement=active).count() == 3
