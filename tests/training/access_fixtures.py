"""URL parameters for the cross-organization walk: training objects owned by organization A."""

from datetime import date

from peacekit.training import services
from peacekit.training.models import Course, Enrollment
from tests.training.helpers import complete_online, make_course, make_learner


def _course(org_a, owner_a):
    # A draft: drafts are visible only to their own organization.
    return make_course(org_a, title="ORGA-SECRET course", published=False).pk


def _learner_obj(org_a, owner_a):
    from peacekit.training.models import Learner

    learner = Learner.objects.filter(organization=org_a, email="orga@example.org").first()
    if learner is None:
        services.licence_pool_set(actor=owner_a, organization=org_a, category="sworn", size=5)
        learner = make_learner(org_a, name="ORGA-SECRET officer", email="orga@example.org")
        services.licence_assign(actor=owner_a, learner=learner)
    return learner


def _offering(org_a, owner_a):
    course = make_course(
        org_a,
        title="ORGA-SECRET in person",
        published=False,
        modality=Course.Modality.IN_PERSON,
        questions=0,
    )
    return services.offering_create(
        actor=owner_a,
        course=course,
        organization=org_a,
        starts_on=date(2026, 5, 1),
        ends_on=date(2026, 5, 1),
        capacity=10,
        location="ORGA-SECRET hall",
    ).pk


def _enrollment(org_a, owner_a):
    from peacekit.training.models import Offering

    offering = Offering.objects.get(pk=_offering(org_a, owner_a))
    learner = _learner_obj(org_a, owner_a)
    return services.offering_enroll(actor=owner_a, offering=offering, learner=learner).pk


def _seat(org_a, owner_a):
    return _learner_obj(org_a, owner_a).seats.first().pk


def _certificate(org_a, owner_a):
    learner = _learner_obj(org_a, owner_a)
    course = make_course(org_a, title="ORGA-SECRET online", published=True, flagship=False)
    Enrollment.objects.filter(course=course).delete()
    return complete_online(learner, course).pk


def _requirement(org_a, owner_a):
    return services.requirement_save(
        actor=owner_a, kind="policy_adopted", label="ORGA-SECRET policy", threshold=0
    ).pk


def _certification(org_a, owner_a):
    from peacekit.training.models import AgencyCertification, certification_expiry, plaque_due

    today = date(2026, 1, 10)
    return AgencyCertification.objects.create(
        organization=org_a,
        certified_on=today,
        expires_on=certification_expiry(today),
        plaque_due_on=plaque_due(today),
    ).pk


KWARG_FACTORIES = {
    "course_id": _course,
    "offering_id": _offering,
    "enrollment_id": _enrollment,
    "learner_id": lambda org_a, owner_a: _learner_obj(org_a, owner_a).pk,
    "seat_id": _seat,
    "certificate_id": _certificate,
    "requirement_id": _requirement,
    "certification_id": _certification,
    "code": lambda org_a, owner_a: "ABCD-EFGH-JKLM",
}  # fmt: skip
