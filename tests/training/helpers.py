"""Builders for training tests: a flagship online course, pools, learners and certificates."""

from __future__ import annotations

from decimal import Decimal

from peacekit.training import services
from peacekit.training.models import Course


def make_course(
    organization,
    *,
    title="Peace Officer: Realizing the True Purpose of Policing",
    published=True,
    flagship=True,
    questions=2,
    **extra,
) -> Course:
    """An online course with two pages and a knowledge check (answer 1 is right)."""
    fields = dict(
        title=title,
        modality=Course.Modality.ONLINE,
        contact_hours=Decimal("6.0"),
        ce_credits=Decimal("6.0"),
        is_flagship=flagship,
        is_published=published,
        passing_score=80,
        topics=["de_escalation", "procedural_justice"],
        learning_objectives="Explain the peace officer role.",
    )
    fields.update(extra)
    course = services.course_create(actor=None, organization=organization, **fields)
    services.module_add(
        actor=None,
        course=course,
        title="Why peace officers",
        body="Policing is about keeping the peace.",
        video_url="https://example.org/video",
    )
    services.module_add(actor=None, course=course, title="Resolving problems", body="Text.")
    for i in range(questions):
        services.question_add(
            actor=None,
            course=course,
            prompt=f"Question {i + 1}?",
            choices=["Right", "Wrong"],
            correct_index=1,
        )
    return course


def make_learner(
    organization, *, name="Officer One", email="one@example.org", category="sworn", rank="Officer"
):
    return services.learner_create(
        actor=None,
        organization=organization,
        full_name=name,
        email=email,
        category=category,
        rank=rank,
    )


def complete_online(learner, course):
    """Start the course and pass its knowledge check; returns the certificate."""
    enrollment = services.enrollment_start(learner=learner, course=course)
    answers = {q.pk: q.correct_index for q in course.questions.all()}
    services.quiz_submit(
        enrollment=enrollment, answers=answers, submission_key=f"key-{learner.pk}-{course.pk}"
    )
    enrollment.refresh_from_db()
    return enrollment.certificate
