"""Coaching: expertise areas, coaches, coachees, needs assessments, matching, agreements."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peacekit.core.fields import EncryptedTextField
from peacekit.core.models import Organization, TimeStampedModel


class Role(models.TextChoices):
    """Leadership roles a coachee holds and a coach has held."""

    CHIEF = "chief", _("Chief of police")
    SHERIFF = "sheriff", _("Sheriff")
    DEPUTY_CHIEF = "deputy_chief", _("Deputy or assistant chief / undersheriff")
    COMMANDER = "commander", _("Commander, captain or lieutenant")
    SERGEANT = "sergeant", _("Sergeant or first-line supervisor")
    CITY_MANAGER = "city_manager", _("City manager or administrator")
    COUNTY_MANAGER = "county_manager", _("County manager or administrator")


class AgencyType(models.TextChoices):
    """Kinds of agencies and governments a coach knows and a coachee works in."""

    MUNICIPAL = "municipal_police", _("Municipal police department")
    SHERIFF = "sheriff_office", _("Sheriff's office")
    COUNTY_POLICE = "county_police", _("County police")
    STATE = "state_police", _("State police or highway patrol")
    CAMPUS = "campus_police", _("Campus police")
    TRIBAL = "tribal_police", _("Tribal police")
    CITY_GOVERNMENT = "city_government", _("City government")
    COUNTY_GOVERNMENT = "county_government", _("County government")


class Region(models.TextChoices):
    """Regions used for in-person matching."""

    NORTHEAST = "northeast", _("Northeast")
    SOUTHEAST = "southeast", _("Southeast")
    MIDWEST = "midwest", _("Midwest")
    SOUTHWEST = "southwest", _("Southwest")
    WEST = "west", _("West")


LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("vi", _("Vietnamese")),
    ("zh", _("Chinese")),
    ("ht", _("Haitian Creole")),
    ("ko", _("Korean")),
    ("ar", _("Arabic")),
]


def language_names(codes) -> str:
    """'en, es' → 'English, Spanish' (unknown codes are shown as they are)."""
    names = dict(LANGUAGES)
    return ", ".join(str(names.get(code, code)) for code in codes)


class ExpertiseArea(models.Model):
    """An area of leadership practice: coaches' expertise and coachees' needs use the same list."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    question = models.CharField(_("question"), max_length=300)
    question_es = models.CharField(_("question (Spanish)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str = "en") -> str:
        return self.name_es if language == "es" and self.name_es else self.name

    def question_text(self, language: str = "en") -> str:
        return self.question_es if language == "es" and self.question_es else self.question


class Coach(TimeStampedModel):
    """An experienced police leader who coaches; belongs to the program that runs coaching."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coaches", verbose_name=_("program")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coach_profiles",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    ranks_held = models.JSONField(_("roles held"), default=list, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("years of leadership experience"), default=0, validators=[MaxValueValidator(70)]
    )
    agency_types = models.JSONField(_("agency types"), default=list, blank=True)
    expertise = models.JSONField(_("expertise"), default=dict, blank=True)  # slug → 0..1
    languages = models.JSONField(_("languages"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    virtual = models.BooleanField(_("coaches virtually"), default=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (concurrent coachees)"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    conflicts = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        verbose_name=_("conflicts (agencies they must not coach)"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coaching:coach_detail", args=[self.pk])

    @property
    def language_names(self) -> str:
        return language_names(self.languages)


class Coachee(TimeStampedModel):
    """A police leader or city/county manager who asked for coaching."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coachees", verbose_name=_("agency")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coachee_profiles",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    agency_type = models.CharField(_("agency type"), max_length=30, choices=AgencyType.choices)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    virtual_ok = models.BooleanField(_("can meet virtually"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coaching:coachee_detail", args=[self.pk])

    @property
    def language_names(self) -> str:
        return language_names(self.languages)


class NeedsAssessment(TimeStampedModel):
    """A coachee's questionnaire answers and the needs profile made from them (staff may adjust)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, waiting for answers")
        SUBMITTED = "submitted", _("Submitted")

    coachee = models.OneToOneField(Coachee, on_delete=models.CASCADE, related_name="assessment")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    answers = models.JSONField(default=dict, blank=True)  # slug → 0..4, "priority" → slug
    computed_profile = models.JSONField(default=dict, blank=True)  # slug → 0..1
    profile = models.JSONField(default=dict, blank=True)  # slug → 0..1, after staff adjustment
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by_staff = models.BooleanField(default=False)
    adjusted_at = models.DateTimeField(null=True, blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Needs assessment of {self.coachee}"

    @property
    def organization(self) -> Organization:
        return self.coachee.organization


class MatchRun(TimeStampedModel):
    """One run of the matcher: its parameters, the job that ran it, and its totals."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coaching_match_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(
        "core.JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    total_fit = models.FloatField(default=0)
    n_coachees = models.PositiveIntegerField(default=0)
    n_coaches = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    unmatched = models.JSONField(default=list, blank=True)  # [{coachee_id, reason, compatible}]
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Match run #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("coaching:match_run_detail", args=[self.pk])


class ProposedMatch(TimeStampedModel):
    """A coachee–coach pair proposed by a run, then confirmed or overridden by staff."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        OVERRIDDEN = "overridden", _("Overridden by staff")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="matches")
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="matches")
    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="matches")
    fit = models.FloatField(default=0)
    contributions = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=400, blank=True)
    fixed = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["coachee__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "coachee"], name="coaching_one_match_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.coachee} ↔ {self.coach}"

    @property
    def organization(self) -> Organization:
        return self.run.organization

    @property
    def is_decided(self) -> bool:
        return self.status != self.Status.PROPOSED


class Agreement(TimeStampedModel):
    """A 3- to 6-month coaching agreement, in force once both coach and coachee accept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for acceptance")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="coaching_agreements",
        verbose_name=_("coachee's agency"),
    )
    coach = models.ForeignKey(Coach, on_delete=models.PROTECT, related_name="agreements")
    coachee = models.ForeignKey(Coachee, on_delete=models.PROTECT, related_name="agreements")
    match = models.OneToOneField(
        ProposedMatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreement"
    )
    goals = models.JSONField(_("goals"), default=list)  # list of short goal statements
    cadence = models.CharField(_("cadence"), max_length=12, choices=Cadence.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    coach_accepted_at = models.DateTimeField(null=True, blank=True)
    coachee_accepted_at = models.DateTimeField(null=True, blank=True)
    coachee_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    evaluation_url = models.URLField(_("end-of-engagement evaluation link"), blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"Agreement: {self.coach} coaching {self.coachee}"

    def get_absolute_url(self) -> str:
        return reverse("coaching:agreement_detail", args=[self.pk])


class CoachingSession(TimeStampedModel):
    """A logged coaching session; its notes are encrypted and readable only by coach and coachee."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    private_notes = EncryptedTextField(_("private notes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "submission_key"], name="coaching_session_once"
            )
        ]

    def __str__(self) -> str:
        return f"Session on {self.date}"

    @property
    def organization(self) -> Organization:
        return self.agreement.organization


class GoalCheckIn(TimeStampedModel):
    """Progress on one goal of an agreement, recorded by the coach or the coachee."""

    class Progress(models.IntegerChoices):
        NOT_STARTED = 0, _("Not started")
        SOME = 1, _("Some progress")
        GOOD = 2, _("Good progress")
        ACHIEVED = 3, _("Achieved")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="checkins")
    goal_index = models.PositiveSmallIntegerField(_("goal"))
    progress = models.PositiveSmallIntegerField(_("progress"), choices=Progress.choices)
    private_note = EncryptedTextField(_("private note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Check-in on goal {self.goal_index + 1}"

    @property
    def organization(self) -> Organization:
        return self.agreement.organization
