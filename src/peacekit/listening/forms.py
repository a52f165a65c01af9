"""Forms for Peace Initiatives: validation only; views hand cleaned data to services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from peacekit.core.models import Organization
from peacekit.listening.importers import MAX_STATEMENT_CHARS
from peacekit.listening.models import (
    AgeBand,
    ImportBatch,
    Initiative,
    InitiativeTeamMember,
    ListeningSession,
    MicroCommunity,
    Recommendation,
    SpeakerRole,
    Statement,
)


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "name", "jurisdiction", "partner_organization", "starts_on", "ends_on", "goals",
            "status", "languages", "retention_days", "anonymization_policy",
            "anonymizer_allow_terms", "anonymizer_mask_terms",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "anonymizer_allow_terms": forms.Textarea(attrs={"rows": 4}),
            "anonymizer_mask_terms": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_organization"].queryset = Organization.objects.filter(
            kind=Organization.Kind.GOVERNMENT
        ).order_by("name")
        self.fields["partner_organization"].label = _("Partner government")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("The end date must be after the start date."))
        return cleaned


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=InitiativeTeamMember.Role.choices)
    training_status = forms.ChoiceField(
        label=_("Training"), choices=InitiativeTeamMember.Training.choices
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        from peacekit.core.models import User

        self.fields["user"].queryset = User.objects.filter(
            memberships__organization=initiative.organization
        ).order_by("full_name")


class MicroCommunityForm(forms.ModelForm):
    boundary_file = forms.FileField(label=_("Boundary (GeoJSON file, optional)"), required=False)

    class Meta:
        model = MicroCommunity
        fields = ["name", "kind", "population", "population_share", "under_represented"]

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        import json

        try:
            data = json.loads(upload.read(2_000_000).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise forms.ValidationError(_("The file is not valid GeoJSON.")) from exc
        if not isinstance(data, dict) or data.get("type") not in (
            "Feature", "FeatureCollection", "Polygon", "MultiPolygon",
        ):  # fmt: skip
            raise forms.ValidationError(_("The GeoJSON must be a polygon or feature."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PEACEKIT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class ImportForm(UploadForm):
    kind = forms.ChoiceField(label=_("What is in the file"), choices=ImportBatch.Kind.choices)
    session = forms.ModelChoiceField(
        label=_("Session (optional)"), queryset=ListeningSession.objects.none(), required=False
    )
    field_order = ["kind", "session", "file"]

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = initiative.sessions.all()


class SessionForm(forms.ModelForm):
    class Meta:
        model = ListeningSession
        fields = [
            "title", "micro_community", "modality", "place", "meeting_link", "starts_at",
            "facilitators", "language", "capacity", "registration_open",
        ]  # fmt: skip
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        from peacekit.core.models import User

        self.fields["micro_community"].queryset = initiative.micro_communities.all()
        self.fields["facilitators"].queryset = User.objects.filter(
            memberships__organization=initiative.organization
        ).order_by("full_name")
        self.fields["facilitators"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("modality") == ListeningSession.Modality.VIRTUAL and not cleaned.get(
            "meeting_link"
        ):
            self.add_error("meeting_link", _("A virtual session needs a meeting link."))
        if cleaned.get("modality") == ListeningSession.Modality.IN_PERSON and not cleaned.get(
            "place"
        ):
            self.add_error("place", _("An in-person session needs a place."))
        return cleaned


class CloseSessionForm(forms.Form):
    attendee_count = forms.IntegerField(label=_("Attendees"), min_value=0)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class StatementRowForm(forms.Form):
    """One row of the fast facilitator entry form."""

    text = forms.CharField(
        label=_("Statement"), required=False, max_length=MAX_STATEMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    age_band = forms.ChoiceField(
        label=_("Age band"), required=False, choices=[("", "—"), *AgeBand.choices]
    )
    speaker_role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", "—"), *SpeakerRole.choices]
    )


StatementRowFormSet = forms.formset_factory(StatementRowForm, extra=8, max_num=50)

HIDE_REASONS = [
    ("off_topic", _("Off topic")),
    ("abusive", _("Abusive or threatening")),
    ("identifying", _("Identifies someone")),
    ("duplicate", _("Duplicate")),
]


class HideForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=HIDE_REASONS)


class PublicStatementForm(forms.Form):
    """The public page: a statement, voluntary demographics, consent."""

    text = forms.CharField(
        label=_("What would you like police and city leaders to hear?"),
        max_length=MAX_STATEMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    micro_community = forms.ModelChoiceField(
        label=_("Your neighborhood or group (optional)"), queryset=MicroCommunity.objects.none(),
        required=False,
    )  # fmt: skip
    age_band = forms.ChoiceField(
        label=_("Age (optional)"), required=False, choices=[("", "—"), *AgeBand.choices]
    )
    speaker_role = forms.ChoiceField(
        label=_("You are (optional)"), required=False, choices=[("", "—"), *SpeakerRole.choices]
    )
    consent = forms.BooleanField(
        label=_("I agree that my words may be published without my name, after identifying "
                "details are removed."),
    )  # fmt: skip
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, micro_communities, **kwargs):
        """`micro_communities`: the initiative's (a queryset; only read when one is chosen)."""
        super().__init__(*args, **kwargs)
        self.fields["micro_community"].queryset = micro_communities


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("First name (optional)"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("Email or phone for a reminder (optional)"), max_length=200, required=False
    )
    needs = forms.CharField(
        label=_("Anything that would help you take part (optional)"), max_length=500,
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


# ----------------------------------------------------------------------------- insight
class AnalyzeForm(forms.Form):
    rediscover = forms.BooleanField(
        label=_("Discover themes again (replaces the current themes and your edits)"),
        required=False,
    )
    seed = forms.IntegerField(label=_("Random seed"), initial=0, min_value=0, max_value=10_000)


class ThemeForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200)
    description = forms.CharField(label=_("One-line description"), max_length=400, required=False)


class ThemeMergeForm(forms.Form):
    others = forms.ModelMultipleChoiceField(
        label=_("Merge these themes into this one"), queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = theme.initiative.themes.exclude(pk=theme.pk)


class ThemeSplitForm(forms.Form):
    parts = forms.IntegerField(label=_("Split into how many themes"), initial=2, min_value=2,
                               max_value=5)  # fmt: skip


class StatementMoveForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    theme = forms.ModelChoiceField(label=_("Move to theme"), queryset=None)

    def __init__(self, *args, initiative=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = initiative.themes.all()


class RecommendationForm(forms.ModelForm):
    factor_ids = forms.MultipleChoiceField(
        label=_("Risk or protective factors it addresses"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    evidence_ids = forms.CharField(
        label=_("Evidence: statement numbers, separated by commas"), required=False,
        help_text=_("Numbers shown as # on the Insights page."),
    )  # fmt: skip

    class Meta:
        model = Recommendation
        fields = ["title", "body", "owner", "owner_label", "status", "due_on", "themes", "public"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, initiative=None, **kwargs):
        from peacekit.analysis.factors import DEFAULT_FRAMEWORK
        from peacekit.core.models import User

        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["themes"].queryset = initiative.themes.all()
        self.fields["themes"].required = False
        self.fields["owner"].queryset = (
            User.objects.filter(memberships__organization=initiative.organization)
            .distinct()
            .order_by("full_name")
        )
        self.fields["factor_ids"].choices = [
            (f.factor_id, f"{f.name} ({f.kind})") for f in DEFAULT_FRAMEWORK.factors
        ]
        if self.instance.pk:
            self.fields["factor_ids"].initial = self.instance.factor_ids
            self.fields["evidence_ids"].initial = ", ".join(
                str(pk) for pk in self.instance.evidence.values_list("pk", flat=True)
            )

    def clean_evidence_ids(self):
        raw = self.cleaned_data.get("evidence_ids", "")
        parts = [p.strip().lstrip("#") for p in raw.replace(";", ",").split(",") if p.strip()]
        if any(not p.isdigit() for p in parts):
            raise forms.ValidationError(_("Use statement numbers such as 12, 40."))
        ids = {int(p) for p in parts}
        found = list(
            Statement.objects.filter(
                pk__in=ids, initiative=self.initiative, status=Statement.Status.PUBLISHED
            )
        )
        if len(found) != len(ids):
            raise forms.ValidationError(_("Some numbers are not published statements here."))
        return found


class RecommendationNoteForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Recommendation.Status.choices)
    body = forms.CharField(label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=4000)  # fmt: skip
