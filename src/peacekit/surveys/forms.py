"""Survey forms: create a survey, answer a wave (public or paper entry), import files."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from peacekit.surveys.models import Instrument, Question, Survey, Wave

AGE_GROUPS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
SEXES = [("female", _("Female")), ("male", _("Male")), ("other", _("Another way"))]
RACES = [
    ("black", _("Black or African American")),
    ("hispanic", _("Hispanic or Latino")),
    ("white", _("White")),
    ("asian", _("Asian")),
    ("other", _("Another race or more than one")),
]
MONTHS = [(f"{m:02d}", f"{m:02d}") for m in range(1, 13)]


class SurveyForm(forms.ModelForm):
    """A new survey: what it is about, which instruments, which waves."""

    instruments = forms.ModelMultipleChoiceField(
        queryset=Instrument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Instruments"),
    )
    waves = forms.MultipleChoiceField(
        choices=Wave.Kind.choices,
        initial=[Wave.Kind.PRE, Wave.Kind.POST],
        widget=forms.CheckboxSelectMultiple,
        label=_("Waves"),
    )

    class Meta:
        model = Survey
        fields = ["title", "title_es", "target_type", "target_label", "retrospective"]

    def __init__(self, *args, instruments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].queryset = instruments
        self.fields["instruments"].label_from_instance = lambda i: i.display_name


def _choice_field(question: Question, required: bool) -> forms.Field:
    label = question.display_text
    if question.format == Question.Format.SCALE_0_10:
        return forms.TypedChoiceField(
            label=label,
            choices=[(str(v), str(v)) for v in range(11)],
            coerce=int,
            empty_value=None,
            required=required,
            widget=forms.RadioSelect(attrs={"class": "pk-scale10"}),
        )
    if question.format == Question.Format.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            choices=question.choice_options(),
            required=required,
            widget=forms.CheckboxSelectMultiple,
        )
    if question.format == Question.Format.OPEN:
        return forms.CharField(
            label=label,
            required=required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Please do not write names, addresses or phone numbers."),
        )
    return forms.ChoiceField(
        label=label, choices=question.choice_options(), required=required, widget=forms.RadioSelect
    )


class _ResponseMethods:
    """What a response form gives the view: the empty-post rule and the cleaned answers."""

    questions: list[Question]
    retrospective_questions: list[Question]

    def clean(self):
        """A response needs at least one answered question: an empty post is not stored."""
        cleaned = super().clean()
        names = [f"q{q.pk}" for q in self.questions]
        names += [f"r{q.pk}" for q in self.retrospective_questions]
        if (
            names
            and not any(name in self.errors for name in names)
            and all(cleaned.get(name) in (None, "", []) for name in names)
        ):
            raise forms.ValidationError(_("Answer at least one question."), code="empty")
        return cleaned

    def linking_code(self) -> str:
        d = self.cleaned_data
        return (
            f"{d.get('mother_letters', '')}{d.get('birth_month', '')}{d.get('street_letters', '')}"
        )

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def retrospective_answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"r{q.pk}") for q in self.retrospective_questions}

    def demographics(self) -> dict[str, str]:
        names = ["age_group", "sex", "race_ethnicity", "neighborhood"]
        return {n: self.cleaned_data.get(n) or "" for n in names if n in self.fields}


class ResponseForm(_ResponseMethods, forms.Form):
    """Answers to one wave; question fields are named q<id>, retrospective ones r<id>."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    mother_letters = forms.CharField(
        label=_("First two letters of your mother's first name"),
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 2}),
    )
    birth_month = forms.ChoiceField(
        label=_("The month you were born"),
        choices=[("", "—"), *MONTHS],
        required=False,
    )
    street_letters = forms.CharField(
        label=_("First two letters of the street you grew up on"),
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 2}),
    )
    age_group = forms.ChoiceField(
        label=_("Your age"), choices=[("", "—"), *[(a, a) for a in AGE_GROUPS]], required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *SEXES], required=False)
    race_ethnicity = forms.ChoiceField(
        label=_("Race or ethnicity"), choices=[("", "—"), *RACES], required=False
    )
    neighborhood = forms.ChoiceField(label=_("Neighborhood"), required=False, choices=[])

    def __init__(self, *args, questions, retrospective=False, neighborhoods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["submission_key"].initial = uuid.uuid4().hex
        self.fields["neighborhood"].choices = [("", "—"), *[(n, n) for n in neighborhoods]]
        if not neighborhoods:
            del self.fields["neighborhood"]
        for q in questions:
            self.fields[f"q{q.pk}"] = _choice_field(q, q.required)
        self.retrospective_questions = (
            [q for q in questions if q.is_numeric and q.instrument.kind != "feedback"]
            if retrospective
            else []
        )
        for q in self.retrospective_questions:
            field = _choice_field(q, False)
            field.label = _("Thinking back to before: %(q)s") % {"q": q.display_text}
            self.fields[f"r{q.pk}"] = field

    def code_fields(self):
        return [self[n] for n in ("mother_letters", "birth_month", "street_letters")]

    def demographic_fields(self):
        names = ["age_group", "sex", "race_ethnicity", "neighborhood"]
        return [self[n] for n in names if n in self.fields]

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]

    def retrospective_fields(self):
        return [self[f"r{q.pk}"] for q in self.retrospective_questions]


class ResponseCheck(_ResponseMethods, forms.BaseForm):
    """Validates a posted response with a ResponseForm's fields, shared instead of copied.

    A form copies its fields for each request because rendering may change them; this one is
    never rendered (a page with errors is rendered from a ResponseForm), and validating does not
    change a field, so the fields of one form built per question list serve every post. Same
    fields, same rules, same messages as ResponseForm.
    """

    base_fields: dict = {}

    def __init__(self, data, *, questions, retrospective=False, neighborhoods=()):
        super().__init__(data)
        fields, retrospective_questions = _shared_fields(questions, retrospective, neighborhoods)
        self.fields = dict(fields)
        self.questions = questions
        self.retrospective_questions = retrospective_questions


#: Fields of a ResponseForm per (question list, neighborhood list, retrospective), by identity:
#: the public form's lists come from a per-process cache, so each is built once while cached.
_field_sets: dict[tuple, tuple] = {}


def _shared_fields(questions, retrospective, neighborhoods):
    key = (id(questions), id(neighborhoods), bool(retrospective))
    hit = _field_sets.get(key)
    # The entry keeps its lists alive, so a matching identity is the same lists, not a reuse.
    if hit is None or hit[0] is not questions or hit[1] is not neighborhoods:
        form = ResponseForm(
            questions=questions, retrospective=retrospective, neighborhoods=neighborhoods
        )
        if len(_field_sets) > 256:
            _field_sets.clear()
        hit = (questions, neighborhoods, form.fields, form.retrospective_questions)
        _field_sets[key] = hit
    return hit[2], hit[3]


class UploadForm(forms.Form):
    """A CSV or XLSX file (5 MB at most)."""

    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return f


class MarginsForm(forms.Form):
    """Target margins typed in (one "variable,level,share[,quota]" per line) or a CSV file."""

    text = forms.CharField(
        label=_("Margins"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: variable,level,share[,quota] — e.g. sex,female,0.52"),
    )
    file = forms.FileField(label=_("or a CSV file"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("text") and not data.get("file"):
            raise forms.ValidationError(_("Type the margins or choose a CSV file."))
        return data

    def csv_bytes(self) -> bytes:
        """The margins as CSV bytes with a header, whichever way they came."""
        if self.cleaned_data.get("file"):
            return self.cleaned_data["file"].read()
        body = self.cleaned_data["text"].strip()
        if not body.lower().startswith("variable"):
            body = "variable,level,share,quota\n" + body
        return body.encode()


class TrendImportForm(UploadForm):
    """A police sentiment scores file to import as a trend dataset."""

    name = forms.CharField(label=_("Dataset name"), max_length=200)
    source = forms.CharField(label=_("Source and licence"), max_length=400, required=False)
