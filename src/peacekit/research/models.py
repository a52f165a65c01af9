"""Research: jurisdictions, statute corpora and their imports, sections, term uses, and the
reviewed classification of each jurisdiction's use of "peace officer"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peacekit.core.models import Organization, TimeStampedModel

TERRITORIES = {"AS", "GU", "MP", "PR", "VI"}


class TermClass(models.TextChoices):
    """How a jurisdiction's statutes use "peace officer" (see analysis.terminology)."""

    DEFINED = "defined", _("Defined in statute (covers police)")
    GENERAL = "general", _("Used for police officers generally")
    LIMITED = "limited", _("Used only for some law-enforcement roles")
    NOT_USED = "not_used", _("Not used")


class Jurisdiction(models.Model):
    """A state, the District of Columbia or a territory (seeded from core.models.US_STATES)."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        DISTRICT = "district", _("Federal district")
        TERRITORY = "territory", _("Territory")

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatuteCorpus(TimeStampedModel):
    """A collection of statute sections studied together (e.g. "Penal codes, 2026 survey")."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="statute_corpora"
    )
    name = models.CharField(_("name"), max_length=200)
    source_note = models.TextField(
        _("source and licence"),
        blank=True,
        help_text=_("Where the texts come from and under what terms (e.g. public domain)."),
    )
    is_fictional = models.BooleanField(
        _("fictional demo texts"),
        default=False,
        help_text=_("Written for a demonstration; not real statute text."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "statute corpora"

    def __str__(self) -> str:
        return self.name


class ImportRun(TimeStampedModel):
    """One upload of statute texts into a corpus: validated whole, then written all at once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    corpus = models.ForeignKey(StatuteCorpus, on_delete=models.CASCADE, related_name="imports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_names = models.JSONField(default=list, blank=True)
    payload = models.JSONField(default=list, blank=True)  # validated sections awaiting the job
    section_count = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(
        "core.JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.corpus} · import {self.pk}"


class StatuteSection(TimeStampedModel):
    """One section of a jurisdiction's statutes, with where it came from."""

    corpus = models.ForeignKey(StatuteCorpus, on_delete=models.CASCADE, related_name="sections")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="sections"
    )
    citation = models.CharField(_("citation"), max_length=200)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    class Meta:
        ordering = ["jurisdiction__name", "citation"]
        constraints = [
            models.UniqueConstraint(
                fields=["corpus", "jurisdiction", "citation"], name="research_unique_citation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code} {self.citation}"


class TermUse(models.Model):
    """One use of a term in a section: the term, its span in the text and the words around it."""

    section = models.ForeignKey(StatuteSection, on_delete=models.CASCADE, related_name="term_uses")
    term = models.CharField(max_length=40, db_index=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    snippet = models.TextField()

    class Meta:
        ordering = ["section_id", "start"]

    def __str__(self) -> str:
        return f"{self.term} @ {self.start}"


class JurisdictionClassification(TimeStampedModel):
    """The classifier's proposal for one jurisdiction in one corpus, and its review."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting review")
        CONFIRMED = "confirmed", _("Confirmed")
        CORRECTED = "corrected", _("Corrected")

    corpus = models.ForeignKey(
        StatuteCorpus, on_delete=models.CASCADE, related_name="classifications"
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    proposed_class = models.CharField(max_length=10, choices=TermClass.choices)
    confidence = models.FloatField(default=0)
    explanation = models.CharField(max_length=300, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    evidence_sections = models.ManyToManyField(StatuteSection, blank=True, related_name="+")
    term_counts = models.JSONField(default=dict, blank=True)
    classifier_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    final_class = models.CharField(max_length=10, choices=TermClass.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["jurisdiction__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["corpus", "jurisdiction"], name="research_unique_classification"
            )
        ]

    def __str__(self) -> str:
        return f"{self.corpus} · {self.jurisdiction.code}"

    @property
    def is_reviewed(self) -> bool:
        return self.status != self.Status.PROPOSED

    def get_final_class_display_or_blank(self) -> str:
        return TermClass(self.final_class).label if self.final_class else ""
