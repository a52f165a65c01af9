"""Forms for 360 evaluations: thin; validation of meaning lives in services."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from peacekit.evaluations.models import Cycle, Item, RaterGroup

NOT_OBSERVED = "na"
LANGUAGES = [("en", "English"), ("es", "Español")]
NON_SELF_GROUPS = [(v, label) for v, label in RaterGroup.choices if v != RaterGroup.SELF]


class CycleForm(forms.ModelForm):
    """Create a cycle."""

    class Meta:
        model = Cycle
        fields = ["name", "rank_target", "is_pilot", "deadline", "promotability_cutoff"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"is_pilot": _("A pilot runs with at most 10 candidates.")}


class ImportForm(forms.Form):
    """Upload a CSV of candidates and raters."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: candidate_email, candidate_name, employee_id, current_rank, rater_name, "
            "rater_email, rater_group, language; optional group:<category> columns."
        ),
    )


class CandidateForm(forms.Form):
    """Add one candidate."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    employee_id = forms.CharField(label=_("Employee ID"), max_length=40, required=False)
    current_rank = forms.CharField(label=_("Current rank"), max_length=80, required=False)


class RaterForm(forms.Form):
    """Add or nominate one rater."""

    group = forms.ChoiceField(label=_("Rater group"), choices=NON_SELF_GROUPS)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="en")


class CandidateGroupForm(forms.Form):
    """HR-supplied group membership for the four-fifths check."""

    category = forms.CharField(
        label=_("Category"), max_length=60, help_text=_("e.g. sex, race/ethnicity")
    )
    group = forms.CharField(
        label=_("Group"), max_length=80, required=False, help_text=_("Leave empty to remove.")
    )


RATING_CHOICES = [(str(v), str(v)) for v in range(1, 6)] + [(NOT_OBSERVED, _("Not observed"))]
SCORES: dict[str, int | None] = {str(v): v for v in range(1, 6)} | {NOT_OBSERVED: None}
RATING_ERRORS = {"required": _("Choose a rating or “Not observed”.")}


class RatingField(forms.ChoiceField):
    """One behaviour: 1–5 or not observed, as radio buttons.

    A ChoiceField whose choices are normalised once per process: ChoiceField normalises them
    again for the field and for its widget each time one is made, 40 times per rater form.
    """

    widget = forms.RadioSelect

    def __init__(self, *, label: str):
        forms.Field.__init__(self, label=label, error_messages=RATING_ERRORS)
        # RATING_CHOICES is already in normalised form (what normalize_choices returns).
        self._choices = self.widget._choices = RATING_CHOICES


def item_field_name(item: Item) -> str:
    return f"item_{item.pk}"


class RatingForm(forms.Form):
    """The public rater form: every item 1–5 or not observed, and two comments."""

    strengths = forms.CharField(
        label=_("What does this person do especially well?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )
    develop = forms.CharField(
        label=_("What should this person develop or do differently?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )

    def __init__(self, *args, items: Sequence[Item], spanish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item_field_name(item)] = RatingField(
                label=(item.text_es if spanish and item.text_es else item.text)
            )

    @staticmethod
    def valid_submission(
        data, items: Sequence[Item]
    ) -> tuple[dict[int, int | None], str, str] | None:
        """(answers, strengths, develop) as a bound form's `answers()` and cleaned comments
        would give them, when `data` holds a valid answer for every item; else None.

        A shortcut for the common, valid submission that skips building 40 form fields; it
        accepts only what the form accepts, with the same result. On None, bind the form: it
        gives the errors to show.
        """
        if not items:
            return None
        answers: dict[int, int | None] = {}
        for item in items:
            value = data.get(item_field_name(item))
            if not isinstance(value, str) or value not in SCORES:  # missing, empty, unknown
                return None
            answers[item.pk] = SCORES[value]
        comments = []
        for name in ("strengths", "develop"):  # CharField(required=False): stripped, no NUL
            value = data.get(name)
            if value is None:
                value = ""
            elif not isinstance(value, str) or "\x00" in value:
                return None
            comments.append(value.strip())
        return answers, comments[0], comments[1]

    def answers(self) -> dict[int, int | None]:
        out = {}
        for item in self.items:
            out[item.pk] = SCORES[self.cleaned_data[item_field_name(item)]]
        return out

    def sections(self):
        """Items grouped by competency, with their bound fields, for the template."""
        groups: dict[int, dict] = {}
        for item in self.items:
            entry = groups.setdefault(
                item.competency_id, {"competency": item.competency, "fields": []}
            )
            entry["fields"].append(self[item_field_name(item)])
        return list(groups.values())
