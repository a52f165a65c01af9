"""Forms for reports: validation only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class GenerateForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Scope"), queryset=None, required=False,
        empty_label=_("Whole initiative"),
    )  # fmt: skip

    def __init__(self, *args, initiative=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = initiative.micro_communities.order_by("kind", "name")


class ShareForm(forms.Form):
    label = forms.CharField(
        label=_("Shared with (for your records)"), max_length=200, required=False
    )
    days = forms.IntegerField(
        label=_("Link works for (days)"), initial=14, min_value=1, max_value=90
    )
