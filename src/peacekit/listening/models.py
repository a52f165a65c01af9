"""Peace Initiatives: initiatives, micro-communities, sessions, statements, votes,
redaction review.

Raw statement text lives only in `StatementRaw` (its own table, encrypted at rest, purged by
the retention job); everything else works with `Statement.redacted_text`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacekit.core.fields import EncryptedTextField
from peacekit.core.models import Organization, TimeStampedModel


def new_public_token() -> str:
    """An unguessable token for a public link (initiative or session page)."""
    return secrets.token_urlsafe(12)


def default_end_date():
    """About six months from today."""
    return timezone.localdate() + timedelta(days=182)


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    A18_24 = "18_24", _("18–24")
    A25_34 = "25_34", _("25–34")
    A35_49 = "35_49", _("35–49")
    A50_64 = "50_64", _("50–64")
    A65_PLUS = "65_plus", _("65 or older")


class SpeakerRole(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    YOUTH = "youth", _("Young person")
    OFFICER = "officer", _("Police officer or deputy")
    BUSINESS = "business", _("Business owner")
    FAITH = "faith", _("Faith leader")
    ADVOCATE = "advocate", _("Advocate or organizer")
    OFFICIAL = "official", _("Elected or city official")
    OTHER = "other", _("Other")


class Initiative(TimeStampedModel):
    """A city-, county- or region-wide listening initiative led by an agency."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Listening")
        CLOSED = "closed", _("Closed")

    class AnonymizationPolicy(models.TextChoices):
        DIRECT = "direct", _("Direct identifiers (names, addresses, phone numbers…)")
        DIRECT_QUASI = "direct_quasi", _("Direct and indirect identifiers (places, ages, dates…)")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="initiatives",
        help_text=_("The lead agency."),
    )  # fmt: skip
    partner_organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="partner_initiatives", help_text=_("The city or county government partner."),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), default=default_end_date)
    goals = models.TextField(_("goals"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    languages = models.CharField(
        _("languages"), max_length=50, default="en,es", help_text=_("Language codes, e.g. en,es.")
    )
    retention_days = models.PositiveIntegerField(
        _("keep raw text for (days)"), default=90,
        help_text=_("Raw statement text is deleted this many days after capture, once reviewed."),
    )  # fmt: skip
    anonymization_policy = models.CharField(
        max_length=20, choices=AnonymizationPolicy.choices, default=AnonymizationPolicy.DIRECT_QUASI
    )
    # The initiative's own word lists for the anonymizer, one term per line. Readable terms
    # (neighborhoods, agencies, officials by title) are never masked; the jurisdiction, the
    # organization and the micro-communities are added to them automatically. Names to mask
    # (officer roster, local names, streets, businesses) are personal data: stored encrypted.
    anonymizer_allow_terms = models.TextField(
        _("terms to keep readable"), blank=True,
        help_text=_("One per line: neighborhood and agency names, officials by title."),
    )  # fmt: skip
    anonymizer_mask_terms = EncryptedTextField(
        _("names to always mask"), blank=True, default="",
        help_text=_("One per line: the officer roster and other local names (masked as a person)."),
    )  # fmt: skip
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)
    demo_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("listening:initiative_detail", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class InitiativeTeamMember(TimeStampedModel):
    """A facilitator or moderator on an initiative's team, with their training status."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        MODERATOR = "moderator", _("Moderator")

    class Training(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.FACILITATOR)
    training_status = models.CharField(
        max_length=20, choices=Training.choices, default=Training.NOT_STARTED
    )

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="unique_team_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class MicroCommunity(TimeStampedModel):
    """A neighborhood, precinct or stakeholder group the initiative means to reach."""

    class Kind(models.TextChoices):
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")
        PRECINCT = "precinct", _("Precinct or district")
        STAKEHOLDER = "stakeholder", _("Stakeholder group")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="micro_communities"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_share = models.DecimalField(
        _("share of population (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    under_represented = models.BooleanField(_("historically under-represented"), default=False)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "name"], name="unique_micro_community")
        ]

    def __str__(self) -> str:
        return self.name


class ListeningSession(TimeStampedModel):
    """One small facilitated session, in person or virtual."""

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="sessions")
    micro_community = models.ForeignKey(
        MicroCommunity, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    modality = models.CharField(
        _("modality"), max_length=20, choices=Modality.choices, default=Modality.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    meeting_link = models.URLField(_("meeting link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="listening_sessions"
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    attendee_count = models.PositiveIntegerField(_("attendees"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    statement_count = models.PositiveIntegerField(default=0)
    registration_open = models.BooleanField(_("public registration open"), default=True)
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("listening:session_detail", args=[self.pk])


class Registration(models.Model):
    """A public sign-up for a session; over capacity it goes on the waitlist."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")

    session = models.ForeignKey(
        ListeningSession, on_delete=models.CASCADE, related_name="registrations"
    )
    first_name = models.CharField(max_length=100, blank=True)
    contact = EncryptedTextField(blank=True)
    needs = EncryptedTextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    submission_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Registration {self.pk}"


class Statement(TimeStampedModel):
    """One thing someone said; the public sees only `redacted_text`, once published."""

    class Status(models.TextChoices):
        PENDING = "pending_review", _("Pending review")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    class Source(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator entry")
        IMPORT = "import", _("Import")
        PUBLIC = "public", _("Public page")
        API = "api", _("API")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="statements")
    session = models.ForeignKey(
        ListeningSession, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="statements",
    )  # fmt: skip
    micro_community = models.ForeignKey(
        MicroCommunity, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="statements",
    )  # fmt: skip
    redacted_text = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=20, choices=Source.choices)
    language = models.CharField(max_length=10, default="en")
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    speaker_role = models.CharField(max_length=20, choices=SpeakerRole.choices, blank=True)
    submission_key = models.CharField(max_length=64, unique=True)
    external_ref = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    raw_purged_at = models.DateTimeField(null=True, blank=True)
    #: When the anonymizer proposed redactions; null while a public submission waits for the
    #: background job (the request only stores the encrypted raw text).
    anonymized_at = models.DateTimeField(null=True, blank=True)
    # Filled by the analysis work (themes, opinion groups) later.
    embedding = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["initiative", "status"]),
            models.Index(
                fields=["created_at"],
                name="statement_awaiting_anonymizer",
                condition=models.Q(anonymized_at__isnull=True),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"Statement {self.pk}"

    @property
    def awaiting_anonymizer(self) -> bool:
        return self.anonymized_at is None


class StatementRaw(models.Model):
    """The raw text of a statement: encrypted, in its own table, purged after retention."""

    statement = models.OneToOneField(
        Statement, on_delete=models.CASCADE, primary_key=True, related_name="raw"
    )
    text = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:  # never the text
        return f"Raw text of statement {self.statement_id}"


class RedactionSpan(models.Model):
    """A character range of the raw text to mask: proposed by the anonymizer or a reviewer."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    entity_type = models.CharField(max_length=40)
    detector = models.CharField(max_length=40, blank=True)
    score = models.FloatField(default=1.0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)

    class Meta:
        ordering = ["start", "end"]

    def __str__(self) -> str:
        return f"{self.entity_type} [{self.start}, {self.end})"


class ImportBatch(TimeStampedModel):
    """An uploaded file of statements (table or transcript), processed all-or-nothing."""

    class Kind(models.TextChoices):
        TABLE = "table", _("CSV/XLSX table")
        TRANSCRIPT = "transcript", _("Transcript")
        VOTES = "votes", _("Votes (CSV)")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Rejected")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="imports")
    session = models.ForeignKey(
        ListeningSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=200)
    payload = EncryptedTextField(blank=True)  # base64 of the file; cleared once processed
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "message": "..."}]
    job = models.ForeignKey("core.JobRun", on_delete=models.SET_NULL, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_kind_display()})"


class Vote(models.Model):
    """Agree / disagree / pass on a published statement; one per participant and statement."""

    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        PASS = 0, _("Pass")
        DISAGREE = -1, _("Disagree")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant_hash = models.CharField(max_length=64)
    value = models.SmallIntegerField(choices=Value.choices)
    # The voter's role when known (a vote import with a role column); blank otherwise.
    participant_role = models.CharField(max_length=20, choices=SpeakerRole.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant_hash"], name="unique_vote_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"Vote {self.pk}"


# ----------------------------------------------------------------------------- insight
class StanceLabel(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    MIXED = "mixed", _("Mixed")


class AnalysisRun(TimeStampedModel):
    """One run of the community-insight analysis over an initiative's published statements."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="analysis_runs"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    rediscover = models.BooleanField(default=False)
    seed = models.IntegerField(default=0)
    parameters = models.JSONField(default=dict, blank=True)
    embedder = models.CharField(max_length=40, blank=True)
    timings = models.JSONField(default=dict, blank=True)  # step → seconds
    summary = models.JSONField(default=dict, blank=True)  # counts, silhouette, unclustered
    job = models.ForeignKey("core.JobRun", on_delete=models.SET_NULL, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "version"], name="unique_analysis_version"
            )
        ]

    def __str__(self) -> str:
        return f"Analysis v{self.version}"


class Theme(TimeStampedModel):
    """A theme of an initiative. Analyst edits (label, merges, splits, moves) survive re-runs."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(_("label"), max_length=200)
    description = models.CharField(_("description"), max_length=400, blank=True)
    key_phrases = models.JSONField(default=list, blank=True)
    edited = models.BooleanField(default=False)  # an analyst changed its label or members
    count = models.PositiveIntegerField(default=0)
    share = models.FloatField(default=0.0)
    mean_confidence = models.FloatField(default=0.0)
    representative_ids = models.JSONField(default=list, blank=True)  # statement ids
    factors = models.JSONField(default=list, blank=True)  # [{factor_id, score, keywords}]
    suggested_label = models.CharField(max_length=200, blank=True)  # optional LLM draft
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class StatementTheme(models.Model):
    """The theme of a published statement, with the model's confidence."""

    statement = models.OneToOneField(
        Statement, on_delete=models.CASCADE, primary_key=True, related_name="theme_link"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="links")
    confidence = models.FloatField(default=0.0)
    pinned = models.BooleanField(default=False)  # moved by an analyst: never reassigned

    def __str__(self) -> str:
        return f"Statement {self.statement_id} → theme {self.theme_id}"


class StatementSentiment(models.Model):
    """Stance toward police of a published statement."""

    statement = models.OneToOneField(
        Statement, on_delete=models.CASCADE, primary_key=True, related_name="sentiment"
    )
    label = models.CharField(max_length=10, choices=StanceLabel.choices)
    score = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return f"Statement {self.statement_id}: {self.label}"


class OpinionGroup(models.Model):
    """An opinion group of one analysis run, with its members' map points."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="groups")
    index = models.PositiveSmallIntegerField()
    size = models.PositiveIntegerField(default=0)
    points = models.JSONField(default=list, blank=True)  # [[x, y], ...] (no ids)

    class Meta:
        ordering = ["run", "index"]

    def __str__(self) -> str:
        return f"Group {self.label}"

    @property
    def label(self) -> str:
        return chr(ord("A") + self.index)


class StatementGroupStat(models.Model):
    """Per group and statement: agree/disagree rates and whether it represents the group."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="group_stats")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(OpinionGroup, on_delete=models.CASCADE, related_name="stats")
    n_agree = models.PositiveIntegerField(default=0)
    n_disagree = models.PositiveIntegerField(default=0)
    n_seen = models.PositiveIntegerField(default=0)
    p_agree = models.FloatField(default=0.0)
    p_disagree = models.FloatField(default=0.0)
    representative = models.BooleanField(default=False)
    direction = models.CharField(max_length=10, blank=True)
    repness = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "statement"], name="unique_group_stat")
        ]

    def __str__(self) -> str:
        return f"Group stat {self.pk}"


class StatementFinding(models.Model):
    """A statement singled out by a run: consensus, divisive, or common ground of two roles."""

    class Kind(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        DIVISIVE = "divisive", _("Divisive")
        COMMON_GROUND = "common_ground", _("Residents and officers agree")

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="findings")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    direction = models.CharField(max_length=10)
    score = models.FloatField(default=0.0)
    rank = models.PositiveSmallIntegerField(default=0)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["kind", "rank"]

    def __str__(self) -> str:
        return f"{self.kind} {self.statement_id}"


class Recommendation(TimeStampedModel):
    """An action drafted from themes and evidence; its progress is public."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        DECLINED = "declined", _("Declined")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="recommendations"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what should happen"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("owner"),
    )  # fmt: skip
    owner_label = models.CharField(
        _("owner (office or role, shown publicly)"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    evidence = models.ManyToManyField(Statement, blank=True, related_name="recommendations")
    factor_ids = models.JSONField(default=list, blank=True)
    public = models.BooleanField(_("show on the public accountability page"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["status", "-updated_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_display(self) -> str:
        """The public owner label, else the owner's name, else an em dash."""
        if self.owner_label:
            return self.owner_label
        if self.owner_id and self.owner:
            return self.owner.full_name or self.owner.email
        return "—"


class RecommendationNote(models.Model):
    """A progress note (and the status it set) on a recommendation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="notes"
    )
    body = models.TextField(_("progress note"))
    status = models.CharField(max_length=20, choices=Recommendation.Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note {self.pk}"
