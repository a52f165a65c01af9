"""Demo data: the catalog, Metro City PD's 122 licences (seed 004), its roster, online
completions with certificates, and certification partly met; Riverside certified and expiring."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from peacekit.training import services
from peacekit.training.models import FLAGSHIP_TITLE, Course

FIRST = ["Ana", "Ben", "Carla", "Dev", "Elena", "Frank", "Grace", "Hector", "Iris", "Jamal",
         "Kim", "Luis", "Maya", "Nate", "Olga", "Pat", "Quinn", "Rosa", "Sam", "Tara", "Uma",
         "Victor", "Wes", "Xena", "Yusuf", "Zoe"]  # fmt: skip
LAST = ["Alvarez", "Brooks", "Chen", "Dawson", "Ellis", "Flores", "Garcia", "Hughes", "Ibrahim",
        "Johnson", "Kowalski", "Lopez", "Morgan", "Nguyen", "Owens", "Patel", "Reyes", "Smith",
        "Turner", "Walker"]  # fmt: skip

FLAGSHIP_MODULES = [
    ("The true purpose of policing",
     "Police officers are peace officers: most of the work is keeping the peace — communicating, "
     "mediating, solving problems — not only enforcing the law. 71% of states already use the "
     "term in statute.", "https://example.org/peace-officer/intro"),
    ("Community engagement and procedural justice",
     "Fair process, voice, neutrality and respect build legitimacy. Listening sessions turn "
     "community feedback into recommendations for civic and police leaders.", ""),
    ("De-escalation and cultural competency",
     "Slow down, create distance, communicate. Understand the community you serve.",
     "https://example.org/peace-officer/de-escalation"),
    ("Leading the culture change",
     "Leaders model the Peace Officer Promise, adopt the model policy and measure progress with "
     "the implementation checklist.", ""),
]  # fmt: skip

FLAGSHIP_QUIZ = [
    ("What is the primary purpose of policing in the Peace Officer framework?",
     ["Keeping the peace", "Issuing citations", "Making arrests"], 1),
    ("Which is an element of procedural justice?",
     ["Speed above all", "Giving people a voice", "Avoiding explanations"], 2),
    ("A first step in de-escalation is to…",
     ["Raise your voice", "Give ultimatums", "Slow down and create distance"], 3),
    ("Community listening sessions produce…",
     ["Anonymized feedback and recommendations", "Arrest quotas", "Press releases only"], 1),
    ("The Peace Officer Promise is made…",
     ["Publicly, in front of the community", "In a sealed letter", "Only at academy"], 1),
]  # fmt: skip

DOCUMENTATION = {
    "learning_objectives": "1. Explain the peace officer role and its legal basis.\n"
    "2. Apply procedural justice in everyday contacts.\n"
    "3. Use de-escalation techniques.\n4. Lead a culture change toward keeping the peace.",
    "lesson_plan": "Module 1 (90 min): purpose of policing. Module 2 (90 min): community "
    "engagement and procedural justice. Module 3 (120 min): de-escalation and cultural "
    "competency. Module 4 (60 min): leadership. Knowledge check (30 min).",
    "assessment": "Knowledge check of multiple-choice questions; passing score 80%. Level-1 "
    "reaction survey after the course.",
    "instructor_qualifications": "Former police chiefs and certified trainers with at least ten "
    "years of law enforcement leadership and completion of the train-the-trainer course.",
}


def _people(rng: random.Random, n: int, taken: set[str]) -> list[tuple[str, str]]:
    result = []
    while len(result) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = name.lower().replace(" ", ".") + "@metro-pd.demo.peacekit.org"
        if email in taken:
            continue
        taken.add(email)
        result.append((name, email))
    return result


@transaction.atomic
def load(context, progress=None) -> None:
    """Create the training demo through the same services the pages use."""
    rng = random.Random(122)
    program = context.organizations["program"]
    metro = context.organizations["metro_pd"]
    riverside = context.organizations["riverside_so"]
    staff = context.users.get("program_admin")
    chief = context.users.get("agency_admin")

    flagship = services.course_create(
        actor=staff, organization=program, title=FLAGSHIP_TITLE, modality=Course.Modality.ONLINE,
        contact_hours=Decimal("6.0"), ce_credits=Decimal("6.0"), is_flagship=True,
        is_published=True, passing_score=80,
        topics=["community_engagement", "de_escalation", "cultural_competency",
                "procedural_justice", "leadership_development"],
        summary="The program's online training: policing as keeping the peace. Qualifies for "
        "5–8 continuing-education credits; recognized by IADLEST NCP in many states.",
        **DOCUMENTATION,
    )  # fmt: skip
    for title, body, video in FLAGSHIP_MODULES:
        services.module_add(actor=staff, course=flagship, title=title, body=body, video_url=video)
    for prompt, choices, correct in FLAGSHIP_QUIZ:
        services.question_add(
            actor=staff, course=flagship, prompt=prompt, choices=choices, correct_index=correct
        )
    live = services.course_create(
        actor=staff, organization=program, title=f"{FLAGSHIP_TITLE} (live)",
        modality=Course.Modality.IN_PERSON, contact_hours=Decimal("8.0"),
        ce_credits=Decimal("8.0"), is_flagship=True, is_published=True,
        topics=["community_engagement", "de_escalation", "procedural_justice"],
        summary="The full-day, in-person delivery of the flagship course.", **DOCUMENTATION,
    )  # fmt: skip
    services.course_create(
        actor=staff, organization=program, title="Peace Officer train-the-trainer",
        modality=Course.Modality.VIRTUAL, contact_hours=Decimal("12.0"),
        ce_credits=Decimal("10.0"), is_train_the_trainer=True, is_published=True,
        topics=["leadership_development"],
        summary="Certifies local trainers to deliver the Peace Officer course after live sessions.",
        **DOCUMENTATION,
    )  # fmt: skip
    services.course_create(
        actor=staff, organization=program, title="Cultural competency for civic leaders",
        modality=Course.Modality.VIRTUAL, contact_hours=Decimal("2.0"),
        ce_credits=Decimal("2.0"), is_published=True, topics=["cultural_competency"],
        summary="For elected officials and city staff who work with their police department.",
    )  # fmt: skip

    # Seed 004: a real funding request for 122 licences in four categories.
    for category, size in {"sworn": 80, "leader": 12, "associate": 15, "elected": 15}.items():
        services.licence_pool_set(actor=chief, organization=metro, category=category, size=size)
    taken: set[str] = set()
    rows = ["name,email,rank,category"]
    if chief is not None:
        taken.add(chief.email)
        rows.append(f"{chief.full_name},{chief.email},Chief of Police,leader")
    ranks = ["Officer", "Officer", "Officer", "Corporal", "Sergeant", "Detective"]
    for name, email in _people(rng, 64, taken):
        rows.append(f"{name},{email},{rng.choice(ranks)},sworn")
    for name, email in _people(rng, 11, taken):
        rows.append(f"{name},{email},{rng.choice(['Lieutenant', 'Captain', 'Major'])},leader")
    for name, email in _people(rng, 9, taken):
        rows.append(f"{name},{email},FOP representative,associate")
    for name, email in _people(rng, 6, taken):
        rows.append(f"{name},{email},City commissioner,elected")
    services.roster_import(
        actor=chief, organization=metro, content="\n".join(rows).encode(), assign_seats=True
    )

    from peacekit.training.models import Certificate, Enrollment, Learner

    sworn = list(Learner.objects.filter(organization=metro, category="sworn").order_by("pk"))
    answers = {q.pk: q.correct_index for q in flagship.questions.all()}
    for i, learner in enumerate(sworn[:34]):
        enrollment = services.enrollment_start(learner=learner, course=flagship)
        for module in flagship.modules.all():
            services.module_view(enrollment=enrollment, module=module)
        if i % 9 == 4:  # some needed a second try
            first = next(iter(answers))
            wrong = {**answers, first: 3 - answers[first]}
            services.quiz_submit(enrollment=enrollment, answers=wrong, submission_key=f"d{i}a")
        services.quiz_submit(enrollment=enrollment, answers=answers, submission_key=f"d{i}b")
    for learner in sworn[34:40]:
        services.enrollment_start(learner=learner, course=flagship)
    days = iter(range(60, 0, -1))
    for enrollment in Enrollment.objects.filter(organization=metro, status="completed"):
        when = timezone.now() - timedelta(days=next(days, 1))
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=when)
        Certificate.objects.filter(enrollment=enrollment).update(issued_at=when)

    today = timezone.localdate()
    offering = services.offering_create(
        actor=chief, course=live, organization=metro, starts_on=today + timedelta(days=21),
        ends_on=today + timedelta(days=21), capacity=30,
        location="Metro City PD training room, 911 Peace Ave.",
        instructors="Lt. (ret.) Morgan Hale; Dr. Rae Kim",
    )  # fmt: skip
    leaders = Learner.objects.filter(organization=metro, category="leader").order_by("pk")[:8]
    for learner in leaders:
        services.offering_enroll(actor=chief, offering=offering, learner=learner)

    # Certification: requirements configured by program staff.
    services.requirement_save(
        actor=staff, kind="flagship_completion", position=1, threshold=80,
        label="80% of sworn officers completed the flagship course",
    )  # fmt: skip
    services.requirement_save(
        actor=staff, kind="policy_adopted", position=4, label="Peace Officer model policy adopted"
    )
    # Riverside: certified almost two years ago, so its 30-day reminder is due.
    services.licence_pool_set(actor=None, organization=riverside, category="sworn", size=6)
    for name, email in _people(rng, 5, taken):
        learner = services.learner_create(
            actor=None, organization=riverside, full_name=name,
            email=email.replace("metro-pd", "riverside-so"), category="sworn", rank="Deputy",
        )  # fmt: skip
        services.licence_assign(actor=None, learner=learner)
        services.enrollment_start(learner=learner, course=flagship)
        services.quiz_submit(
            enrollment=learner.enrollments.get(), answers=answers, submission_key=f"r{learner.pk}"
        )
    services.policy_attest(
        actor=None, organization=riverside, policy_title="Peace Officer model policy",
        adopted_on=today - timedelta(days=760), evidence_url="https://example.org/rso-policy.pdf",
    )  # fmt: skip
    granted = today - timedelta(days=705)
    certification = services.certification_grant(actor=staff, organization=riverside, today=granted)
    services.plaque_mark_mailed(
        actor=staff, certification=certification, mailed_on=granted + timedelta(days=9),
        tracking="9400 1000 0000 0000 0000 00",
    )  # fmt: skip
    # Requirements added after Riverside's certification.
    services.requirement_save(
        actor=staff, kind="promise_made", position=2, label="Peace Officer Promise made"
    )
    services.requirement_save(
        actor=staff, kind="listening_session", position=3,
        label="A community listening session held",
    )  # fmt: skip
    services.requirement_save(
        actor=staff, kind="checklist_percent", position=5, threshold=60,
        label="Implementation checklist at least 60% complete",
    )  # fmt: skip
    services.policy_attest(
        actor=chief, organization=metro, policy_title="General Order 1.04: Peace Officer policy",
        adopted_on=date(today.year, 1, 15) if today.month > 1 else today - timedelta(days=30),
        evidence_url="https://example.org/metro-pd/general-order-1-04.pdf",
    )  # fmt: skip
