"""Demo data: a Metro City PD sergeant promotion cycle, answered and closed, with reports.

Everything is synthetic (seeded random answers, comments written for peacekit) and goes
through the same services HR and raters use. A small pilot cycle from last year gives the
cohort view its "against past cycles" percentile.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from peacekit.core.services import jobrun_execute
from peacekit.evaluations import anonymizer, services
from peacekit.evaluations.models import Cycle, Rater

STRENGTHS = [
    "Stays calm on difficult calls and slows things down so nobody gets hurt.",
    "Explains the reasons behind decisions at roll call, which the squad appreciates.",
    "Shows up at neighborhood meetings and follows up on what residents raise.",
    "Takes time after hard calls to check on officers.",
    "Treats everyone with respect, including people in crisis.",
    "Gives clear feedback on reports and helps newer officers improve.",
    "Admits mistakes openly and fixes them.",
    "Knows policy well and makes sound decisions under pressure.",
]
DEVELOP = [
    "Could delegate more instead of handling every call personally.",
    "Sometimes makes decisions before hearing everyone out.",
    "Could be more visible at community events outside work hours.",
    "Needs to recognise good work more often and more publicly.",
    "Should plan schedules with more rest between long shifts.",
    "Written updates are sometimes late or missing details.",
]

CANDIDATES = [
    # name, rank, profile shift, self bias, counts per group (responding), sex
    ("Officer Maya Thompson", "Officer II", 0.5, 0.0, (1, 4, 3, 3), "F"),
    ("Officer Luis Ortega", "Officer II", 0.2, 0.8, (1, 3, 3, 3), "M"),
    ("Officer Grace Kim", "Senior Officer", 0.7, -0.6, (1, 4, 4, 3), "F"),
    ("Officer Derek Walsh", "Officer II", -0.3, 0.9, (1, 2, 3, 3), "M"),
    ("Officer Aisha Bello", "Senior Officer", 0.3, 0.2, (1, 3, 3, 2), "F"),
    ("Officer Tom Reyes", "Officer II", 0.0, 0.4, (1, 3, 4, 3), "M"),
]
GROUPS = ("supervisor", "peer", "direct_report", "community")


def _answers(rng, items, shift, bias):
    base = {c: rng.gauss(3.6 + shift, 0.4) for c in {i.competency_id for i in items}}
    out = {}
    for item in items:
        if rng.random() < 0.07:
            out[item.pk] = None
            continue
        value = base[item.competency_id] + bias + rng.gauss(0, 0.6)
        out[item.pk] = int(min(5, max(1, round(value))))
    return out


def _run_cycle(*, admin, organization, name, rank, people, rng, past=False, close=True):
    cycle = services.cycle_create(
        actor=admin,
        organization=organization,
        name=name,
        rank_target=rank,
        is_pilot=past,
        deadline=(timezone.localdate() + timedelta(days=14)),
    )
    for n, (person, current, _shift, _bias, counts, sex) in enumerate(people):
        slug = person.split()[-1].lower()
        candidate = services.candidate_add(
            actor=admin,
            cycle=cycle,
            name=person,
            email=f"{slug}{'.2025' if past else ''}@metro-pd.demo.peacekit.org",
            employee_id=f"MPD-{4100 + n}",
            current_rank=current,
        )
        services.candidate_group_set(actor=admin, candidate=candidate, category="sex", group=sex)
        for group, responding in zip(GROUPS, counts, strict=True):
            # One more invited than answer in each anonymous group: someone always declines
            # or never answers.
            invited = max(responding, 1) if group == "supervisor" else responding + 1
            for i in range(invited):
                services.rater_add(
                    actor=admin,
                    candidate=candidate,
                    group=group,
                    name=f"{group.replace('_', ' ').title()} {i + 1} for {slug.title()}",
                    email=f"{group}{i}.{slug}{n}@example.org",
                    language="es" if (i + n) % 4 == 0 else "en",
                )
    services.cycle_open(actor=admin, cycle=cycle)
    links: dict[int, str] = {}
    services.invitations_send(actor=admin, cycle=cycle, links_out=links)
    items = services.items_for(cycle)
    profile = {p[0]: p for p in people}
    answered: dict[tuple[int, str], int] = {}
    for rater in Rater.objects.filter(cycle=cycle).select_related("candidate").order_by("pk"):
        _, _, shift, bias, counts, _ = profile[rater.candidate.name]
        token = links[rater.pk]
        target = 1 if rater.group == "self" else counts[GROUPS.index(rater.group)]
        key = (rater.candidate_id, rater.group)
        if answered.get(key, 0) >= target:
            if rng.random() < 0.5:
                services.rater_decline(token=token)
            continue
        answered[key] = answered.get(key, 0) + 1
        services.response_submit(
            token=token,
            answers=_answers(rng, items, shift, bias if rater.group == "self" else 0.0),
            strengths=rng.choice(STRENGTHS) if rng.random() < 0.85 else "",
            develop=rng.choice(DEVELOP) if rng.random() < 0.7 else "",
        )
    if not close:
        return cycle
    job = services.cycle_close(actor=admin, cycle=cycle)
    jobrun_execute(job_run_id=job.pk, worker_id="demo")
    if past:
        Cycle.objects.filter(pk=cycle.pk).update(
            created_at=timezone.now() - timedelta(days=365),
            closed_at=timezone.now() - timedelta(days=340),
        )
    return cycle


def load(context, progress=None) -> None:
    """A closed pilot from last year and this year's sergeant cycle, both with reports."""
    organization = context.organizations["metro_pd"]
    admin = context.users.get("agency_admin")
    rng = random.Random(360)
    use_ner = anonymizer.USE_NER
    anonymizer.USE_NER = False  # our own synthetic comments: the rule-based pass suffices
    try:
        services.framework_install_default(actor=None)
        past_people = [
            ("Officer Ben Carter", "Officer II", 0.1, 0.3, (1, 3, 3, 3), "M"),
            ("Officer Rosa Diaz", "Senior Officer", 0.4, 0.1, (1, 3, 3, 3), "F"),
            ("Officer Sam Patel", "Officer II", -0.2, 0.5, (1, 3, 3, 3), "M"),
            ("Officer Nora Quinn", "Officer II", 0.2, -0.2, (1, 3, 3, 3), "F"),
        ]
        _run_cycle(
            admin=admin,
            organization=organization,
            name="Sergeant promotion pilot 2025",
            rank="Sergeant",
            people=past_people,
            rng=rng,
            past=True,
        )
        _run_cycle(
            admin=admin,
            organization=organization,
            name="Sergeant promotion 2026",
            rank="Sergeant",
            people=CANDIDATES,
            rng=rng,
        )
        # Still collecting answers: the progress page and the rater links are live.
        open_people = [
            ("Sergeant Priya Nair", "Sergeant", 0.3, 0.2, (1, 2, 2, 1), "F"),
            ("Sergeant Marcus Lee", "Sergeant", 0.1, 0.5, (0, 3, 1, 2), "M"),
            ("Sergeant Elena Vargas", "Sergeant", 0.5, -0.1, (1, 1, 3, 0), "F"),
        ]
        _run_cycle(
            admin=admin,
            organization=organization,
            name="Lieutenant promotion 2026 (pilot)",
            rank="Lieutenant",
            people=open_people,
            rng=rng,
            past=False,
            close=False,
        )
        Cycle.objects.filter(name="Lieutenant promotion 2026 (pilot)").update(is_pilot=True)
    finally:
        anonymizer.USE_NER = use_ner
