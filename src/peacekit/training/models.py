"""Training: courses, offerings, licences, learners, enrollments, certificates, certification."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacekit.core.models import Organization, TimeStampedModel

FLAGSHIP_TITLE = "Peace Officer: Realizing the True Purpose of Policing"
CERTIFICATION_YEARS = 2
PLAQUE_MAILING_DAYS = 14
REMINDER_DAYS = (90, 30)


class Topic(models.TextChoices):
    COMMUNITY_ENGAGEMENT = "community_engagement", _("Community engagement")
    DE_ESCALATION = "de_escalation", _("De-escalation")
    CULTURAL_COMPETENCY = "cultural_competency", _("Cultural competency")
    PROCEDURAL_JUSTICE = "procedural_justice", _("Procedural justice")
    LEADERSHIP = "leadership_development", _("Leadership development")


class LearnerCategory(models.TextChoices):
    SWORN = "sworn", _("Sworn officers")
    LEADER = "leader", _("Police leaders")
    ASSOCIATE = "associate", _("Associates / representatives")
    ELECTED = "elected", _("Elected officials")
    CIVILIAN = "civilian", _("Civilian staff")


class Course(TimeStampedModel):
    """A course in the catalog, with what a state board or IADLEST NCP reviewer needs to see."""

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual (live)")
        ONLINE = "online", _("Online, self-paced")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="training_courses",
        help_text=_("The provider that owns this course."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    modality = models.CharField(_("modality"), max_length=12, choices=Modality.choices)
    contact_hours = models.DecimalField(
        _("contact hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    ce_credits = models.DecimalField(
        _("continuing-education credits"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    learning_objectives = models.TextField(_("learning objectives"), blank=True)
    lesson_plan = models.TextField(_("lesson plan"), blank=True)
    assessment = models.TextField(_("assessment method"), blank=True)
    instructor_qualifications = models.TextField(_("instructor qualifications"), blank=True)
    is_flagship = models.BooleanField(
        _("flagship course"),
        default=False,
        help_text=_("Counts toward the agency certification's completion requirement."),
    )
    is_train_the_trainer = models.BooleanField(
        _("train-the-trainer"),
        default=False,
        help_text=_("Completing it certifies the learner as a local trainer."),
    )
    passing_score = models.PositiveSmallIntegerField(
        _("passing score (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    is_published = models.BooleanField(_("published in the catalog"), default=False)

    class Meta:
        ordering = ["-is_flagship", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return self.modality == self.Modality.ONLINE

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics]


class CourseModule(TimeStampedModel):
    """One page of an online course: text and an optional video link."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("page text"), blank=True)
    video_url = models.URLField(_("video link"), blank=True)

    class Meta:
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(TimeStampedModel):
    """A multiple-choice question of a course's knowledge check."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    prompt = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list)
    correct_index = models.PositiveSmallIntegerField(_("correct choice (1 = first)"))

    class Meta:
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.prompt[:80]


class Offering(TimeStampedModel):
    """A scheduled delivery of a course (in person or virtual) hosted for an organization."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="offerings")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="training_offerings"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    location = models.CharField(_("location or meeting link"), max_length=300, blank=True)
    instructors = models.CharField(_("instructors"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:offering_detail", args=[self.pk])


class Learner(TimeStampedModel):
    """A person an agency trains; needs no account (a personal course link is enough)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="training_learners"
    )
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    rank = models.CharField(_("rank or title"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=LearnerCategory.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_learners",
    )
    # Only the hash of the personal course link's token is stored.
    link_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    is_trainer = models.BooleanField(_("certified local trainer"), default=False)

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"], name="unique_learner_email")
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("training:learner_detail", args=[self.pk])


class LicencePool(TimeStampedModel):
    """Seats an agency bought in one category; alerts fire when 75% and 100% are in use."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="licence_pools"
    )
    category = models.CharField(_("category"), max_length=12, choices=LearnerCategory.choices)
    size = models.PositiveIntegerField(_("seats"))
    purchased_on = models.DateField(_("purchased on"), default=date.today)
    # The highest threshold (0, 75, 100) already alerted; lowered when use drops below it,
    # so each new crossing alerts once.
    alert_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organization", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "category"], name="unique_pool_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.size})"


class Seat(TimeStampedModel):
    """One licence seat: unassigned → assigned → activated → revoked (and reassignable)."""

    class Status(models.TextChoices):
        UNASSIGNED = "unassigned", _("Unassigned")
        ASSIGNED = "assigned", _("Assigned")
        ACTIVATED = "activated", _("Activated")
        REVOKED = "revoked", _("Revoked")

    IN_USE = (Status.ASSIGNED, Status.ACTIVATED)

    pool = models.ForeignKey(LicencePool, on_delete=models.CASCADE, related_name="seats")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.UNASSIGNED, db_index=True
    )
    learner = models.ForeignKey(
        Learner, null=True, blank=True, on_delete=models.SET_NULL, related_name="seats"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pool", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "number"], name="unique_seat_number"),
            models.UniqueConstraint(
                fields=["learner"],
                condition=Q(status__in=["assigned", "activated"]),
                name="one_active_seat_per_learner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool.get_category_display()} #{self.number}"


class Enrollment(TimeStampedModel):
    """A learner taking a course (online, or in an offering): attendance, score, completion."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="enrollments")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    offering = models.ForeignKey(
        Offering, null=True, blank=True, on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.ENROLLED, db_index=True
    )
    attended = models.BooleanField(_("attended"), default=False)
    modules_viewed = models.JSONField(default=list, blank=True)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    ce_credits = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("0"))

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=Q(offering__isnull=True),
                name="one_online_enrollment",
            ),
            models.UniqueConstraint(
                fields=["learner", "offering"],
                condition=Q(offering__isnull=False),
                name="one_offering_enrollment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.course}"


class QuizAttempt(TimeStampedModel):
    """One submitted knowledge check; the submission key makes a retried POST count once."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    submission_key = models.CharField(max_length=64, unique=True)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.score}%"


class Certificate(TimeStampedModel):
    """A certificate of completion, verifiable by anyone with its code."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="certificate"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, unique=True)
    # Snapshots: the certificate says what was true when it was issued.
    learner_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200)
    contact_hours = models.DecimalField(max_digits=5, decimal_places=1)
    ce_credits = models.DecimalField(max_digits=4, decimal_places=1)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CertificationRequirement(TimeStampedModel):
    """A requirement for agency certification, configured by program staff."""

    class Kind(models.TextChoices):
        FLAGSHIP_COMPLETION = "flagship_completion", _("% of sworn officers completed flagship")
        PROMISE_MADE = "promise_made", _("Peace Officer Promise made")
        LISTENING_SESSION = "listening_session", _("Listening session held")
        POLICY_ADOPTED = "policy_adopted", _("Policy adopted (attested with evidence)")
        CHECKLIST_PERCENT = "checklist_percent", _("Promise checklist ≥ threshold % complete")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200)
    threshold = models.PositiveSmallIntegerField(
        _("threshold (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("For percentage requirements."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class PolicyAttestation(TimeStampedModel):
    """An agency's attestation that it adopted a policy, with evidence."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="policy_attestations"
    )
    policy_title = models.CharField(_("policy title"), max_length=200)
    adopted_on = models.DateField(_("adopted on"))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(
        _("evidence document"), upload_to="training/policies/%Y/", blank=True
    )
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-adopted_on", "-pk"]

    def __str__(self) -> str:
        return self.policy_title


class AgencyCertification(TimeStampedModel):
    """A two-year Peace Officer Agency Certification, with its reminders and plaque."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RENEWED = "renewed", _("Renewed")
        EXPIRED = "expired", _("Expired")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="certifications"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    certified_on = models.DateField()
    expires_on = models.DateField()
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    renewal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewed_by"
    )
    reminder_90_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_30_sent_at = models.DateTimeField(null=True, blank=True)
    plaque_due_on = models.DateField()
    plaque_mailed_on = models.DateField(null=True, blank=True)
    plaque_tracking = models.CharField(_("tracking number"), max_length=100, blank=True)

    class Meta:
        ordering = ["-certified_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.certified_on:%Y-%m-%d}–{self.expires_on:%Y-%m-%d}"

    def plaque_is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.plaque_mailed_on is None and today > self.plaque_due_on

    @property
    def plaque_overdue(self) -> bool:
        return self.plaque_is_overdue()

    def days_left(self, today: date | None = None) -> int:
        return (self.expires_on - (today or timezone.localdate())).days


def certification_expiry(start: date) -> date:
    """Two years after the start date (Feb 29 falls back to Feb 28)."""
    try:
        return start.replace(year=start.year + CERTIFICATION_YEARS)
    except ValueError:
        return start.replace(year=start.year + CERTIFICATION_YEARS, day=28)


def plaque_due(start: date) -> date:
    return start + timedelta(days=PLAQUE_MAILING_DAYS)
