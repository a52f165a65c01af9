"""Coaching forms: validation only; views hand cleaned data to services."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from peacekit.coaching.models import (
    LANGUAGES,
    AgencyType,
    Agreement,
    Coach,
    CoachingSession,
    ExpertiseArea,
    GoalCheckIn,
    Region,
    Role,
)
from peacekit.core.models import Organization

ANSWER_CHOICES = [
    (0, _("Not a need")),
    (1, _("A small need")),
    (2, _("A moderate need")),
    (3, _("A strong need")),
    (4, _("An urgent need")),
]


def _agencies():
    return Organization.objects.exclude(kind=Organization.Kind.PROGRAM).filter(is_active=True)


class CoachForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("If a peacekit account has this email, it is linked to the coach."),
    )
    ranks_held = forms.MultipleChoiceField(
        label=_("Roles held"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    years_experience = forms.IntegerField(label=_("Years of leadership"), min_value=0, max_value=70)
    agency_types = forms.MultipleChoiceField(
        label=_("Agency types worked in"),
        choices=AgencyType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, initial=["en"]
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Region.choices])
    virtual = forms.BooleanField(label=_("Coaches virtually"), required=False, initial=True)
    capacity = forms.IntegerField(
        label=_("Capacity (concurrent coachees)"), min_value=0, max_value=20, initial=2
    )
    conflicts = forms.ModelMultipleChoiceField(
        label=_("Conflicts: agencies this coach must not coach"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, areas: list[ExpertiseArea], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.fields["conflicts"].queryset = _agencies()
        for area in areas:
            self.fields[f"expertise_{area.slug}"] = forms.IntegerField(
                label=_("Expertise: %(area)s (0–100)") % {"area": area.name},
                min_value=0,
                max_value=100,
                initial=0,
            )

    @classmethod
    def initial_for(cls, coach: Coach) -> dict:
        initial = {
            f: getattr(coach, f)
            for f in ("name", "email", "ranks_held", "years_experience", "agency_types",
                      "languages", "region", "virtual", "capacity", "is_active")
        }  # fmt: skip
        initial["conflicts"] = list(coach.conflicts.all())
        for slug, value in coach.expertise.items():
            initial[f"expertise_{slug}"] = round(value * 100)
        return initial

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["expertise"] = {a.slug: data.pop(f"expertise_{a.slug}") / 100 for a in self.areas}
        data.pop("conflicts")
        return data


class CoacheeForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Agency or city/county"), queryset=Organization.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("If a peacekit account has this email, it is linked to the coachee."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    agency_type = forms.ChoiceField(label=_("Agency type"), choices=AgencyType.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, initial=["en"]
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Region.choices])
    virtual_ok = forms.BooleanField(label=_("Can meet virtually"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _agencies()


class AssessmentForm(forms.Form):
    """The needs questionnaire: one 0–4 answer per expertise area, and a top priority."""

    def __init__(self, *args, areas: list[ExpertiseArea], language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            self.fields[area.slug] = forms.TypedChoiceField(
                label=area.label(language),
                help_text=area.question_text(language),
                choices=ANSWER_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields["priority"] = forms.ChoiceField(
            label=_("If you could pick one area to work on first, which would it be?"),
            choices=[("", _("No single priority"))] + [(a.slug, a.label(language)) for a in areas],
            required=False,
        )

    def area_fields(self):
        return [self[a.slug] for a in self.areas]


class ProfileAdjustForm(forms.Form):
    """Staff adjust a needs profile, one 0–100 value per area."""

    def __init__(self, *args, areas: list[ExpertiseArea], profile: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            self.fields[area.slug] = forms.IntegerField(
                label=area.name,
                min_value=0,
                max_value=100,
                initial=round(profile.get(area.slug, 0) * 100),
            )

    def profile(self) -> dict[str, float]:
        return {a.slug: self.cleaned_data[a.slug] / 100 for a in self.areas}


class MatchRunForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Shared language"),
        choices=[("hard", _("Required")), ("soft", _("Preferred"))],
        initial="hard",
    )
    location = forms.ChoiceField(
        label=_("Same region or virtual"),
        choices=[("hard", _("Required")), ("soft", _("Preferred"))],
        initial="hard",
    )


class OverrideForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=Coach.objects.none())

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches


class AgreementForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals (one per line, up to six)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Agreement.Cadence.choices)
    start_date = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("End"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("3 to 6 months after the start."),
    )
    evaluation_url = forms.URLField(
        label=_("End-of-engagement evaluation link"),
        required=False,
        assume_scheme="https",
        help_text=_("A survey link from the surveys app, if there is one."),
    )

    def goal_list(self) -> list[str]:
        return [line for line in self.cleaned_data["goals"].splitlines() if line.strip()]


class SessionForm(forms.ModelForm):
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = CoachingSession
        fields = ["date", "duration_minutes", "format", "private_notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "private_notes": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "private_notes": _("Encrypted; only you and the other party of this agreement see it.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4().hex


class CheckInForm(forms.Form):
    goal_index = forms.TypedChoiceField(label=_("Goal"), coerce=int, choices=[])
    progress = forms.TypedChoiceField(
        label=_("Progress"), coerce=int, choices=GoalCheckIn.Progress.choices
    )
    private_note = forms.CharField(
        label=_("Private note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted; only the coach and the coachee see it."),
    )

    def __init__(self, *args, goals: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_index"].choices = [(i, g[:80]) for i, g in enumerate(goals)]


class FinishForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(Agreement.Status.COMPLETED, _("Completed")),
                 (Agreement.Status.CANCELLED, _("Cancelled"))],
    )  # fmt: skip


class EvaluationLinkForm(forms.Form):
    evaluation_url = forms.URLField(
        label=_("End-of-engagement evaluation link"),
        assume_scheme="https",
        help_text=_("A survey link from the surveys app."),
    )
