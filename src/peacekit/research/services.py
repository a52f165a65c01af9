"""Research writes: corpora, statute imports, term finding, classification and its review.

The only bridge between the ORM and `analysis.terminology`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.analysis import terminology
from peacekit.core.models import Organization, User
from peacekit.core.services import audit_record, jobrun_enqueue
from peacekit.research.models import (
    ImportRun,
    Jurisdiction,
    JurisdictionClassification,
    StatuteCorpus,
    StatuteSection,
    TermClass,
    TermUse,
)
from peacekit.research.parsing import ParsedUpload

# Uploads with more sections than this are imported by a background job.
SYNC_SECTION_LIMIT = 200


class ImportValidationError(Exception):
    """An upload that cannot be imported; `errors` lists (where, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@transaction.atomic
def corpus_create(
    *,
    actor: User | None,
    organization: Organization,
    name: str,
    source_note: str = "",
    is_fictional: bool = False,
) -> StatuteCorpus:
    """Start a new collection of statute sections for a survey."""
    corpus = StatuteCorpus.objects.create(
        organization=organization,
        name=name,
        source_note=source_note,
        is_fictional=is_fictional,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(actor=actor, action="research.corpus.create", obj=corpus)
    return corpus


def sections_validate(*, corpus: StatuteCorpus, parsed: ParsedUpload) -> list[dict]:
    """Check each section (code, citation, text, duplicates); raise with every error found."""
    errors = list(parsed.errors)
    codes = set(Jurisdiction.objects.values_list("code", flat=True))
    existing = set(
        StatuteSection.objects.filter(corpus=corpus).values_list("jurisdiction__code", "citation")
    )
    seen: set[tuple[str, str]] = set()
    for section in parsed.sections:
        where = section.get("where", "")
        code, citation = section.get("jurisdiction", ""), section.get("citation", "")
        if code not in codes:
            errors.append((where, _("Unknown jurisdiction code; use a two-letter code like CA.")))
            continue
        if not citation:
            errors.append((where, _("The citation is empty.")))
            continue
        if len(citation) > 200:
            errors.append((where, _("The citation is longer than 200 characters.")))
            continue
        if not section.get("text", "").strip():
            errors.append((where, _("The text is empty.")))
            continue
        key = (code, citation.lower())
        if key in seen:
            errors.append((where, _("This citation appears twice in the upload.")))
            continue
        if (code, citation) in existing:
            errors.append((where, _("This citation is already in the collection.")))
            continue
        seen.add(key)
    if not parsed.sections and not errors:
        errors.append(("", _("The upload holds no statute sections.")))
    if errors:
        raise ImportValidationError(errors)
    return parsed.sections


def import_run_create(*, actor: User, corpus: StatuteCorpus, parsed: ParsedUpload) -> ImportRun:
    """Validate an upload whole; import it now if small, else queue a job. Nothing on error."""
    sections = sections_validate(corpus=corpus, parsed=parsed)
    with transaction.atomic():
        run = ImportRun.objects.create(
            corpus=corpus,
            file_names=parsed.file_names[:500],
            payload=[{k: v for k, v in s.items() if k != "where"} for s in sections],
            section_count=len(sections),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="research.import.create",
            obj=run,
            organization=corpus.organization,
            metadata={"corpus_id": corpus.pk, "sections": len(sections)},
        )
        if len(sections) > SYNC_SECTION_LIMIT:
            run.job = jobrun_enqueue(
                kind="research.import",
                actor=actor,
                organization=corpus.organization,
                parameters={"import_run_id": run.pk},
                label=_("Import statute sections"),
            )
            run.save(update_fields=["job"])
            return run
        # Small uploads: validated, written and classified in this one transaction.
        import_run_execute(import_run=run)
    run.refresh_from_db()
    return run


@transaction.atomic
def import_run_execute(
    *, import_run: ImportRun, progress: Callable[[float, str], None] | None = None
) -> ImportRun:
    """Write a validated upload's sections and term uses, then reclassify; safe to re-run."""
    run = ImportRun.objects.select_for_update().get(pk=import_run.pk)
    if run.status == ImportRun.Status.DONE:
        return run
    codes = dict(Jurisdiction.objects.values_list("code", "pk"))
    payload = run.payload
    report = progress or (lambda percent, message="": None)
    sections = StatuteSection.objects.bulk_create(
        [
            StatuteSection(
                corpus=run.corpus,
                jurisdiction_id=codes[item["jurisdiction"]],
                import_run=run,
                citation=item["citation"],
                heading=item.get("heading", ""),
                text=item["text"],
                source_file=item.get("source_file", ""),
                source_url=item.get("source_url", ""),
            )
            for item in payload
        ]
    )
    if not all(s.pk for s in sections):  # databases that do not return ids from bulk inserts
        sections = list(StatuteSection.objects.filter(import_run=run))
    report(40, _("Finding terms"))
    uses = []
    for section in sections:
        for match in terminology.find_terms(section.text):
            uses.append(
                TermUse(
                    section=section,
                    term=match.term,
                    start=match.start,
                    end=match.end,
                    snippet=match.snippet,
                )
            )
    TermUse.objects.bulk_create(uses, batch_size=1000)
    report(70, _("Classifying jurisdictions"))
    jurisdiction_ids = {s.jurisdiction_id for s in sections}
    classifications_refresh(corpus=run.corpus, jurisdiction_ids=jurisdiction_ids)
    run.status = ImportRun.Status.DONE
    run.finished_at = timezone.now()
    run.payload = []
    run.save(update_fields=["status", "finished_at", "payload", "updated_at"])
    audit_record(
        actor=run.created_by,
        action="research.import.done",
        obj=run,
        organization=run.corpus.organization,
        metadata={"sections": len(sections), "term_uses": len(uses)},
    )
    report(100, _("Imported"))
    return run


def classifications_refresh(
    *, corpus: StatuteCorpus, jurisdiction_ids: Iterable[int] | None = None
) -> list[JurisdictionClassification]:
    """Re-run the classifier for jurisdictions; new evidence sends a reviewed one back to review."""
    ids = (
        set(jurisdiction_ids)
        if jurisdiction_ids is not None
        else set(corpus.sections.values_list("jurisdiction_id", flat=True))
    )
    by_jurisdiction: dict[int, list[StatuteSection]] = {i: [] for i in ids}
    for section in StatuteSection.objects.filter(corpus=corpus, jurisdiction_id__in=ids).only(
        "pk", "jurisdiction_id", "citation", "text"
    ):
        by_jurisdiction[section.jurisdiction_id].append(section)
    existing = {
        c.jurisdiction_id: c
        for c in JurisdictionClassification.objects.filter(corpus=corpus, jurisdiction_id__in=ids)
    }
    out = []
    for jurisdiction_id, sections in by_jurisdiction.items():
        result = terminology.classify(
            [terminology.Section(key=s.pk, citation=s.citation, text=s.text) for s in sections]
        )
        evidence = [asdict(e) for e in result.evidence[:25]]
        fields = {
            "proposed_class": result.label,
            "confidence": result.confidence,
            "explanation": result.explanation[:300],
            "evidence": evidence,
            "term_counts": result.counts,
            "classifier_version": result.version,
        }
        classification = existing.get(jurisdiction_id)
        if classification is None:
            classification = JurisdictionClassification.objects.create(
                corpus=corpus, jurisdiction_id=jurisdiction_id, **fields
            )
        else:
            for name, value in fields.items():
                setattr(classification, name, value)
            if classification.is_reviewed:
                classification.status = JurisdictionClassification.Status.PROPOSED
            classification.save()
        classification.evidence_sections.set({e["section_key"] for e in evidence})
        out.append(classification)
    if out:
        audit_record(
            actor=None,
            action="research.classification.refresh",
            obj=corpus,
            metadata={"jurisdictions": len(out), "version": terminology.VERSION},
        )
    return out


@transaction.atomic
def classification_review(
    *,
    actor: User,
    classification: JurisdictionClassification,
    final_class: str,
    note: str = "",
) -> JurisdictionClassification:
    """A reviewer confirms the proposed class or corrects it; who, when and why are kept."""
    if final_class not in TermClass.values:
        raise ValueError("unknown class")
    previous = classification.final_class
    classification.final_class = final_class
    classification.status = (
        JurisdictionClassification.Status.CONFIRMED
        if final_class == classification.proposed_class
        else JurisdictionClassification.Status.CORRECTED
    )
    classification.reviewed_by = actor
    classification.reviewed_at = timezone.now()
    classification.review_note = note
    classification.save()
    audit_record(
        actor=actor,
        action=f"research.classification.{classification.status}",
        obj=classification,
        organization=classification.corpus.organization,
        metadata={
            "jurisdiction": classification.jurisdiction.code,
            "proposed": classification.proposed_class,
            "final": final_class,
            "previous": previous,
            "has_note": bool(note),
        },
    )
    return classification
