"""Research forms: thin; validation of statute content lives in parsing and services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peacekit.research.models import (
    Jurisdiction,
    JurisdictionClassification,
    StatuteCorpus,
    TermClass,
)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class CorpusForm(forms.ModelForm):
    """Name a new collection and record where its texts come from."""

    class Meta:
        model = StatuteCorpus
        fields = ["name", "source_note", "is_fictional"]
        widgets = {"source_note": forms.Textarea(attrs={"rows": 3})}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"multiple": True, "accept": ".txt,.htm,.html,.xml,.csv,.zip"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    """Statute files (TXT, HTML, XML, ZIP) or a CSV of sections, and an optional jurisdiction."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "TXT, HTML or XML files named like CA__penal-830.txt (jurisdiction, two underscores, "
            "citation), a ZIP of them, or a CSV with columns jurisdiction, citation, heading, "
            "text (and optionally source_url)."
        ),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction for files without a code in their name"),
        queryset=Jurisdiction.objects.all(),
        required=False,
        to_field_name="code",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if sum(f.size for f in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The upload is larger than 50 MB; split it."))
        return files


class ReviewForm(forms.Form):
    """Confirm the proposed class or choose another, with an optional note."""

    final_class = forms.ChoiceField(
        label=_("Class"), choices=TermClass.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (why, which section)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, classification: JurisdictionClassification, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault(
            "final_class", classification.final_class or classification.proposed_class
        )
        initial.setdefault("note", classification.review_note)
        super().__init__(*args, **kwargs)
