"""Reports: rendering (HTML/PDF/CSV), charts, report runs.

A `ReportRun` is one stored version of an initiative's Peace Initiative report (whole
initiative or one micro-community): its parameters, the analysis it was built from, the HTML
and the PDF. A `ReportShare` lets people without an account open one run until it expires.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacekit.core.models import TimeStampedModel


class ReportRun(TimeStampedModel):
    """One generated version of a Peace Initiative report."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(
        "listening.Initiative", on_delete=models.CASCADE, related_name="report_runs"
    )
    micro_community = models.ForeignKey(
        "listening.MicroCommunity", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    parameters = models.JSONField(default=dict, blank=True)
    analysis_run = models.ForeignKey(
        "listening.AnalysisRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    analysis_version = models.PositiveIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # key figures, for comparing versions
    timings = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_pages = models.PositiveIntegerField(default=0)
    job = models.ForeignKey("core.JobRun", on_delete=models.SET_NULL, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "version"], name="unique_report_version")
        ]

    def __str__(self) -> str:
        return f"Report v{self.version}"

    @property
    def scope_label(self) -> str:
        return self.micro_community.name if self.micro_community_id else str(_("Whole initiative"))


class ReportShare(models.Model):
    """A signed, expiring link to one report run for people without an account."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="shares")
    label = models.CharField(_("shared with"), max_length=200, blank=True)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share {self.pk}"

    @property
    def active(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now()
