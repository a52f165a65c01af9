"""Policing Performance 360: frameworks, cycles, candidates, raters, responses, reports.

Answers are stored apart from the rater who gave them: a `RatingResponse` knows its candidate
and rater group, never its rater, so no page, export or query can say who answered what.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacekit.core.fields import EncryptedTextField
from peacekit.core.models import Organization, TimeStampedModel


class RaterGroup(models.TextChoices):
    """Rater groups of a 360, in report order."""

    SELF = "self", _("Self")
    SUPERVISOR = "supervisor", _("Supervisor")
    PEER = "peer", _("Peers")
    DIRECT_REPORT = "direct_report", _("Direct reports")
    COMMUNITY = "community", _("Community partners")
    OTHER = "other", _("Others")


GROUP_ORDER = [value for value, _label in RaterGroup.choices]


class Framework(TimeStampedModel):
    """A competency framework; organization null means the shipped default for everyone."""

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="eval_framework_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """One competency of a framework, with the training topic suggested for developing it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    course_topic = models.CharField(_("suggested course topic"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="eval_competency_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """A behavioural statement rated 1–5 or "not observed"."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("text"), max_length=300)
    text_es = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["competency__order", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Cycle(TimeStampedModel):
    """An evaluation cycle an agency's HR runs for a list of candidates."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for responses")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="evaluation_cycles"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    name = models.CharField(_("name"), max_length=200)
    rank_target = models.CharField(
        _("rank sought"), max_length=80, blank=True, help_text=_("e.g. Sergeant, Lieutenant")
    )
    is_pilot = models.BooleanField(_("pilot"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    deadline = models.DateField(_("response deadline"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    promotability_cutoff = models.FloatField(
        _("promotable at index"),
        default=60.0,
        help_text=_(
            "Index at or above which a candidate counts as promotable (four-fifths check)."
        ),
    )
    competency_weights = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluations:cycle_detail", args=[self.pk])


class Candidate(TimeStampedModel):
    """A leadership candidate in a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="candidates")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    employee_id = models.CharField(_("employee ID"), max_length=40, blank=True)
    current_rank = models.CharField(_("current rank"), max_length=80, blank=True)
    nomination_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    nomination_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "email"], name="eval_candidate_email"),
        ]

    def __str__(self) -> str:
        return self.name


class CandidateGroup(models.Model):
    """HR-supplied group membership for the adverse-impact check; never used in scoring."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="groups")
    category = models.CharField(max_length=60)
    group = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "category"], name="eval_candgroup_cat"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.group}"


class Rater(TimeStampedModel):
    """Someone asked to rate a candidate; answers by a single-purpose, expiring link."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        APPROVED = "approved", _("Approved")
        INVITED = "invited", _("Invited")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="raters")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="raters")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(_("rater group"), max_length=20, choices=RaterGroup.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(
        max_length=8, default="en", choices=[("en", "English"), ("es", "Español")]
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOMINATED)
    nominated_by_candidate = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["candidate__name", "group", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "email"], name="eval_rater_email"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_display()})"

    @property
    def link_open(self) -> bool:
        """True while the rater's link can still be used."""
        return (
            self.status == self.Status.INVITED
            and self.expires_at is not None
            and self.expires_at > timezone.now()
            and self.cycle.status == Cycle.Status.OPEN
        )


class RatingResponse(models.Model):
    """One rater's submitted answers, linked to the candidate and group only (not the rater)."""

    # A random key: a sequential id could be matched against the order raters finished.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="responses")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=20, choices=RaterGroup.choices)
    # Day only: an exact time could be matched against the rater's completion.
    submitted_on = models.DateField(default=timezone.localdate)

    class Meta:
        indexes = [models.Index(fields=["cycle", "candidate"])]

    def __str__(self) -> str:
        return f"Response ({self.get_group_display()})"


class ItemScore(models.Model):
    """An answer to one item: 1–5, or null for "not observed"."""

    # No index of its own: the unique (response, item) index serves look-ups by response, and
    # one index fewer to update makes the 40-row insert of an answer cheaper.
    response = models.ForeignKey(
        RatingResponse, on_delete=models.CASCADE, related_name="scores", db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="eval_itemscore_item"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="eval_itemscore_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score if self.score is not None else 'not observed'}"


class Comment(models.Model):
    """A rater's comment. The answer page stores it encrypted in `raw`; the worker's
    anonymizer job (seconds later, and always before a report reads it) writes the anonymized
    `text` and erases `raw`. Only `text` is ever shown."""

    response = models.ForeignKey(RatingResponse, on_delete=models.CASCADE, related_name="comments")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="comments")
    group = models.CharField(max_length=20, choices=RaterGroup.choices)
    kind = models.CharField(
        max_length=12,
        choices=[("strength", _("Strengths")), ("develop", _("To develop"))],
        default="strength",
    )
    text = models.TextField(blank=True)
    raw = EncryptedTextField(blank=True, default="")
    anonymized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["text", "pk"]  # alphabetical: the order reveals nothing about who wrote it
        indexes = [
            models.Index(
                fields=["candidate"],
                name="comment_awaiting_anonymizer",
                condition=models.Q(anonymized_at__isnull=True),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"Comment #{self.pk}"  # never the text: labels can reach audit events


class Report(TimeStampedModel):
    """A candidate's generated report: plain figures (already suppressed) as JSON."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="report")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reports")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    promotability_index = models.FloatField(null=True, blank=True)
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["candidate__name"]

    def __str__(self) -> str:
        return f"Report for {self.candidate}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:report_detail", args=[self.pk])


class ReportPdf(models.Model):
    """A report's PDF made ahead of time (the cycle's PDF job), so a download is instant.

    `fingerprint` is the SHA-256 of the print markup it was made from: when the report's data
    (or anything the PDF prints) changes, the markup changes and the stored file is stale.
    Kept apart from `Report` so listing reports never loads the files.
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="pdf")
    pdf = models.BinaryField(editable=False)
    fingerprint = models.CharField(max_length=64)
    generated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"PDF of report #{self.report_id}"
