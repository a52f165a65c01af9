"""Permission-checked fetches for research objects: program staff only, scoped by organization."""

from __future__ import annotations

from peacekit.core.access import access_object, require_program_staff
from peacekit.core.models import User
from peacekit.research.models import ImportRun, JurisdictionClassification, StatuteCorpus


def access_corpus(user: User, corpus_id: int | str) -> StatuteCorpus:
    """A corpus of the user's organizations; research is program-staff work."""
    require_program_staff(user)
    return access_object(user, StatuteCorpus.objects.select_related("organization"), corpus_id)


def access_classification(user: User, classification_id: int | str) -> JurisdictionClassification:
    """A jurisdiction's classification, through its corpus's organization."""
    require_program_staff(user)
    return access_object(
        user,
        JurisdictionClassification.objects.select_related(
            "corpus__organization", "jurisdiction", "reviewed_by"
        ),
        classification_id,
        org_field="corpus__organization",
    )


def access_import_run(user: User, import_run_id: int | str) -> ImportRun:
    """An import run, through its corpus's organization."""
    require_program_staff(user)
    return access_object(
        user,
        ImportRun.objects.select_related("corpus__organization", "job"),
        import_run_id,
        org_field="corpus__organization",
    )
