"""Training forms: validation only; views hand cleaned data to services."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from peacekit.core.models import Organization
from peacekit.training.models import (
    CertificationRequirement,
    Course,
    LearnerCategory,
    Topic,
)
from peacekit.training.services import COURSE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class CourseForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Course
        fields = list(COURSE_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "summary",
                "learning_objectives",
                "lesson_plan",
                "assessment",
                "instructor_qualifications",
            )
        }


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Page title"), max_length=200)
    body = forms.CharField(
        label=_("Page text"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    video_url = forms.URLField(label=_("Video link"), required=False)


class QuestionForm(forms.Form):
    prompt = forms.CharField(label=_("Question"), max_length=500)
    choices = forms.CharField(
        label=_("Choices, one per line"), widget=forms.Textarea(attrs={"rows": 4})
    )
    correct_index = forms.IntegerField(label=_("Correct choice (1 = first line)"), min_value=1)

    def clean_choices(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) < 2:
            raise forms.ValidationError(_("Give at least two choices."))
        return lines


class OfferingForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Host organization"), queryset=Organization.objects.none()
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    location = forms.CharField(label=_("Location or meeting link"), max_length=300, required=False)
    instructors = forms.CharField(label=_("Instructors"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations or Organization.objects.none()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned


class PoolForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=LearnerCategory.choices)
    size = forms.IntegerField(label=_("Seats"), min_value=0, max_value=100000)


class LearnerForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    rank = forms.CharField(label=_("Rank or title"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=LearnerCategory.choices)


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster (CSV)"),
        help_text=_("Columns: name, email, rank, category (sworn, leader, associate, elected, "
                    "civilian). UTF-8."),
    )  # fmt: skip
    assign_seats = forms.BooleanField(
        label=_("Assign a seat to everyone without one"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PEACEKIT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class EnrollForm(forms.Form):
    learner = forms.IntegerField(widget=forms.HiddenInput)


class RequirementForm(forms.ModelForm):
    class Meta:
        model = CertificationRequirement
        fields = ["kind", "label", "threshold", "position", "is_active"]


class PolicyForm(forms.Form):
    policy_title = forms.CharField(label=_("Policy title"), max_length=200)
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False)
    evidence_file = forms.FileField(label=_("Evidence document (PDF)"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("evidence_url") and not cleaned.get("evidence_file"):
            raise forms.ValidationError(_("Attach the adopted policy or link to it as evidence."))
        upload = cleaned.get("evidence_file")
        if upload and upload.size > settings.PEACEKIT_MAX_UPLOAD_BYTES:
            self.add_error("evidence_file", _("The file is too large."))
        return cleaned


class PlaqueForm(forms.Form):
    mailed_on = forms.DateField(label=_("Mailed on"), widget=DATE)
    tracking = forms.CharField(label=_("Tracking number"), max_length=100, required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=20)


class QuizForm(forms.Form):
    """The knowledge check: one radio group per question, plus a submission key."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4().hex
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.prompt,
                choices=[(i, text) for i, text in enumerate(question.choices, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}
