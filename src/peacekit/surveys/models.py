"""Perception surveys: instruments, waves, responses, evaluation results, margins, trends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peacekit.core.models import Organization, TimeStampedModel


def _in_language(en: str, es: str) -> str:
    """The Spanish text when the active language is Spanish and one exists."""
    lang = (get_language() or "en")[:2]
    return es if lang == "es" and es else en


class Instrument(TimeStampedModel):
    """A named set of questions: a shipped library scale or an organization's own questions."""

    class Kind(models.TextChoices):
        TRUST = "trust", _("Trust and safety")
        LEGITIMACY = "legitimacy", _("Procedural justice and legitimacy")
        FEEDBACK = "feedback", _("Event or training feedback (Kirkpatrick level 1)")
        KNOWLEDGE = "knowledge", _("Knowledge check (Kirkpatrick level 2)")
        CUSTOM = "custom", _("Custom questions")

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_instruments",
        help_text=_("Empty for the shared library."),
    )
    key = models.SlugField(max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_library = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(organization=None), name="unique_library_key"
            ),
            models.UniqueConstraint(
                fields=["organization", "key"], name="unique_instrument_key_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _in_language(self.name, self.name_es)


class Question(models.Model):
    """One item of an instrument, with English and Spanish wording and its answer format."""

    class Format(models.TextChoices):
        LIKERT = "likert", _("Agreement (1–5)")
        SCALE_0_10 = "scale10", _("0–10 scale")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        OPEN = "open", _("Open text")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=60)
    text = models.CharField(_("question"), max_length=400)
    text_es = models.CharField(_("question (Spanish)"), max_length=400, blank=True)
    format = models.CharField(_("answer format"), max_length=10, choices=Format.choices)
    # [{"value": "a", "label": "…", "label_es": "…"}] for single and multiple choice.
    choices = models.JSONField(default=list, blank=True)
    # Items sharing a scale key are averaged into one scale score (e.g. "trust").
    scale = models.SlugField(max_length=40, blank=True)
    correct_value = models.CharField(max_length=40, blank=True)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["instrument_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="unique_question_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display_text(self) -> str:
        return _in_language(self.text, self.text_es)

    @property
    def is_numeric(self) -> bool:
        return self.format in (self.Format.LIKERT, self.Format.SCALE_0_10)

    @property
    def scale_range(self) -> tuple[int, int]:
        return (0, 10) if self.format == self.Format.SCALE_0_10 else (1, 5)

    def choice_options(self) -> list[tuple[str, str]]:
        """(value, label in the active language) pairs."""
        if self.format == self.Format.LIKERT:
            return [(str(v), str(label)) for v, label in LIKERT_LABELS]
        return [(c["value"], _in_language(c["label"], c.get("label_es", ""))) for c in self.choices]


LIKERT_LABELS = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]


class Survey(TimeStampedModel):
    """A survey of an organization about one target (a session, training, event, initiative)."""

    class TargetType(models.TextChoices):
        LISTENING_SESSION = "listening_session", _("Listening session")
        TRAINING_OFFERING = "training_offering", _("Training offering")
        EVENT = "event", _("Event")
        INITIATIVE = "initiative", _("Peace Initiative")
        COMMUNITY = "community", _("Community-wide survey")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    # Described generically so surveys attach to objects of any app without a foreign key.
    target_type = models.CharField(_("surveyed about"), max_length=30, choices=TargetType.choices)
    target_label = models.CharField(_("target name"), max_length=200)
    target_object_id = models.PositiveIntegerField(null=True, blank=True)
    instruments = models.ManyToManyField(Instrument, related_name="surveys")
    retrospective = models.BooleanField(
        _("retrospective post-then-pre block"),
        default=False,
        help_text=_("On the post wave, also ask how people would have answered before."),
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return _in_language(self.title, self.title_es)


class Wave(TimeStampedModel):
    """One administration of a survey: before, right after, or some time after."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Before (pre)")
        POST = "post", _("After (post)")
        FOLLOW_UP = "follow_up", _("Follow-up")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    kind = models.CharField(_("wave"), max_length=10, choices=Kind.choices)
    # Random public token in the survey link and QR code; unguessable, not an id.
    token = models.CharField(max_length=32, unique=True)
    is_open = models.BooleanField(_("accepting answers"), default=True)

    class Meta:
        ordering = ["survey_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "kind"], name="unique_wave_kind")]

    def __str__(self) -> str:
        return f"{self.survey} · {self.get_kind_display()}"

    @property
    def organization(self) -> Organization:
        return self.survey.organization

    def public_path(self) -> str:
        return reverse("surveys:public_survey", args=[self.token])


class Response(TimeStampedModel):
    """One person's answers to one wave; paired across waves only by a hashed linking code."""

    class Source(models.TextChoices):
        WEB = "web", _("Online")
        PAPER = "paper", _("Paper form, entered by staff")
        IMPORT = "import", _("Imported file")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="survey_responses"
    )
    # HMAC of the self-generated code, salted per survey; the code itself is never stored.
    linking_hash = models.CharField(max_length=64, blank=True, db_index=True)
    submission_key = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    language = models.CharField(max_length=8, default="en")
    age_group = models.CharField(max_length=20, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    race_ethnicity = models.CharField(max_length=40, blank=True)
    neighborhood = models.CharField(max_length=80, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class Answer(models.Model):
    """One answer: a number, chosen values, or anonymized open text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # True for the "thinking back to before" answer of a retrospective post-then-pre block.
    retrospective = models.BooleanField(default=False)
    value_number = models.FloatField(null=True, blank=True)
    value_choices = models.JSONField(default=list, blank=True)
    # Only the anonymized form is kept: the raw open answer is never stored.
    text_redacted = models.TextField(blank=True)

    class Meta:
        ordering = ["response_id", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "retrospective"], name="unique_answer"
            )
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


DEMOGRAPHIC_VARIABLES = ("age_group", "sex", "race_ethnicity", "neighborhood")


class TargetMargin(TimeStampedModel):
    """A population share for one level of a demographic variable (e.g. census age 18–24)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="margins")
    variable = models.CharField(
        max_length=20,
        choices=[
            ("age_group", _("Age")),
            ("sex", _("Sex")),
            ("race_ethnicity", _("Race/ethnicity")),
            ("neighborhood", _("Neighborhood")),
        ],
    )
    level = models.CharField(max_length=80)
    share = models.FloatField(help_text=_("Share of the population, 0–1."))
    quota = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["survey_id", "variable", "level"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "variable", "level"], name="unique_margin")
        ]

    def __str__(self) -> str:
        return f"{self.variable}={self.level}"

    @property
    def organization(self) -> Organization:
        return self.survey.organization


class TrendDataset(TimeStampedModel):
    """An imported series of published scores (e.g. a city's police sentiment dashboard)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="survey_trend_datasets"
    )
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=400, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    duplicates_dropped = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:trend_detail", args=[self.pk])


class TrendPoint(models.Model):
    """One published score for an area and period (0–100 index)."""

    dataset = models.ForeignKey(TrendDataset, on_delete=models.CASCADE, related_name="points")
    area = models.CharField(max_length=80)  # "City" or "District 14"
    period_start = models.DateField()
    period_end = models.DateField()
    safety = models.FloatField(null=True, blank=True)
    trust = models.FloatField(null=True, blank=True)
    trust_listen = models.FloatField(null=True, blank=True)
    trust_respect = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["dataset_id", "area", "period_start"]
        indexes = [models.Index(fields=["dataset", "area", "period_start"])]

    def __str__(self) -> str:
        return f"{self.area} {self.period_start:%Y-%m-%d}"
