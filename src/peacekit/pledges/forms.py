"""Pledges forms: validation only; views hand cleaned data to services."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from peacekit.core.models import US_STATES
from peacekit.pledges.models import (
    ChecklistItem,
    DocumentaryRequest,
    InvolvementRequest,
    Promise,
    PromiseEvent,
    SymbolOrder,
    SymbolOrderLine,
)

STATE_CHOICES = [("", _("Choose a state"))] + [(code, name) for code, name in US_STATES]


class SubmissionKeyMixin(forms.Form):
    """A hidden key made when the form is shown: a resubmitted POST is recognised, not repeated."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_submission_key(self):
        value = self.cleaned_data["submission_key"].strip()
        if not value.replace("-", "").isalnum():
            raise forms.ValidationError(_("Reload the page and try again."))
        return value


class SignOnForm(SubmissionKeyMixin):
    organization_name = forms.CharField(
        label=_("Name of the agency or community"),
        max_length=200,
        help_text=_("For example: Anytown Police Department"),
    )
    kind = forms.ChoiceField(label=_("Kind of organization"), choices=Promise.Kind.choices)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES)
    city = forms.CharField(label=_("City or county"), max_length=120)
    ori_code = forms.CharField(
        label=_("ORI code (optional)"),
        max_length=9,
        required=False,
        help_text=_("Agencies: the 9-character FBI Originating Agency Identifier."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_title = forms.CharField(label=_("Your title"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("Your work email"),
        help_text=_("Use your agency's email address so we can verify the sign-on quickly."),
    )

    def clean_ori_code(self):
        return self.cleaned_data["ori_code"].strip().upper()

    def clean_state(self):
        state = self.cleaned_data["state"]
        if state not in dict(US_STATES):
            raise forms.ValidationError(_("Choose a U.S. state from the list."))
        return state


class PromiseTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Promise text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write {agency} where the organization's name goes."),
    )


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=PromiseEvent.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class ChecklistItemForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ChecklistItem.Status.choices, required=False
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name()


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class StepTemplateForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_active = forms.BooleanField(label=_("In use for new checklists"), required=False)


class ToolkitTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Placeholders: {agency}, {city}, {state}, {promise}, {event_date}. "
            'A line starting with "# " is a heading, "- " a bullet; a blank line starts a '
            "new paragraph."
        ),
    )


class DocumentaryForm(forms.ModelForm):
    class Meta:
        model = DocumentaryRequest
        fields = ["title", "length_minutes", "contact_email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class DocumentaryStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DocumentaryRequest.Status.choices)
    delivery_url = forms.URLField(
        label=_("Link to the finished film"), required=False, assume_scheme="https"
    )


class SymbolOrderForm(SubmissionKeyMixin):
    ship_to_name = forms.CharField(label=_("Ship to (name)"), max_length=200)
    address_line1 = forms.CharField(label=_("Address"), max_length=200)
    address_line2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=120)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES)
    postal_code = forms.RegexField(
        label=_("ZIP code"),
        regex=r"^\d{5}(-\d{4})?$",
        error_messages={"invalid": _("Enter a ZIP code like 42101.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in SymbolOrderLine.Item.choices:
            self.fields[f"qty_{item}"] = forms.IntegerField(
                label=_("%(item)s — quantity") % {"item": label},
                min_value=0,
                max_value=5000,
                required=False,
            )

    def quantities(self) -> dict[str, int]:
        return {
            item: self.cleaned_data.get(f"qty_{item}") or 0 for item in SymbolOrderLine.Item.values
        }

    def address(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in (
                "ship_to_name",
                "address_line1",
                "address_line2",
                "city",
                "state",
                "postal_code",
            )
        }

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"qty_{item}") for item in SymbolOrderLine.Item.values):
            raise forms.ValidationError(_("Order at least one item."))
        return cleaned


class SymbolOrderStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SymbolOrder.Status.choices)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60, required=False)


class InvolvementForm(SubmissionKeyMixin):
    kind = forms.ChoiceField(
        label=_("I would like to"),
        choices=InvolvementRequest.Kind.choices,
    )
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES)
    city = forms.CharField(label=_("City"), max_length=120)
    message = forms.CharField(
        label=_("Tell us more (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InvolvementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=InvolvementRequest.Status.choices)
