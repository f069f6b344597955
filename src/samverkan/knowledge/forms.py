"""Input validation for the knowledge pages. Rules live in services; forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded

from . import kinds
from .models import CompetenceItemStatus, EventKind, FactorDomain, FactorKind

_CHOICES = {
    ("factor", "domain"): FactorDomain.choices,
    ("factor", "kind"): FactorKind.choices,
    ("actor", "directory_type"): list(kinds.DIRECTORY_TYPES),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Sök i kunskapsstödet"), required=False, max_length=bounds.TEXT_NAME
    )
    typ = forms.ChoiceField(
        label=gettext_lazy("Visa"),
        required=False,
        choices=[("", "Allt")]
        + [(code, kind.label_plural) for code, kind in kinds.KINDS.items()]
        + [(kinds.EVENT_TYPE, gettext_lazy("Mötesplatser och utbildningar"))],
    )


def _column_length(kind, name: str, default: int = 300) -> int:
    """The bound of the model's column (e.g. an abbreviation is 30 characters), so a
    longer text is refused at the field instead of by the database."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        column = apps.get_model("knowledge", kind.model_name)._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        return default
    return getattr(column, "max_length", None) or default


class EntryForm(forms.Form):
    """Built from the kind's field list, plus the version the editor started from
    (stale writes are refused) and a comment for the history."""

    version = bounded.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=gettext_lazy("Vad har du ändrat och varför?"),
        required=False,
        max_length=bounds.TEXT_LINE,
        help_text=gettext_lazy("Visas i versionshistoriken."),
    )

    def __init__(self, *args, kind: kinds.Kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        fields = {}
        for spec in kind.fields:
            choices = _CHOICES.get((kind.code, spec.name))
            if spec.name == "is_active":
                field = forms.BooleanField(label=spec.label, required=False)
            elif choices is not None:
                field = forms.ChoiceField(label=spec.label, choices=choices, required=spec.required)
            elif spec.multiline:
                field = forms.CharField(
                    label=spec.label,
                    required=spec.required,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            else:
                field = forms.CharField(
                    label=spec.label,
                    required=spec.required,
                    max_length=_column_length(kind, spec.name),
                )
            field.help_text = spec.help_text
            fields[spec.name] = field
        # Content fields first, then the comment.
        self.fields = {
            **fields,
            "version": self.fields["version"],
            "comment": self.fields["comment"],
        }

    @property
    def content_fields(self):
        return [self[name] for name in self.kind.field_names]

    def entry_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.kind.field_names}


class ChecklistChooseForm(forms.Form):
    chosen = forms.MultipleChoiceField(
        label=gettext_lazy("Förslag"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(s.code, s.text) for s in suggestions]


class ChecklistItemForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Lägg till en egen punkt"), max_length=bounds.TEXT_LABEL
    )


class EventForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=bounds.TEXT_NAME)
    kind = forms.ChoiceField(label=gettext_lazy("Typ"), choices=EventKind.choices)
    starts_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label=gettext_lazy("Börjar"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label=gettext_lazy("Slutar"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(
        label=gettext_lazy("Plats"), required=False, max_length=bounds.TEXT_NAME
    )
    description = forms.CharField(
        max_length=bounds.TEXT_DOCUMENT,
        label=gettext_lazy("Syfte och innehåll"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    programme = forms.CharField(
        max_length=bounds.TEXT_DOCUMENT,
        label=gettext_lazy("Program"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("En punkt per rad, t.ex. 13.00 Inledning."),
    )
    capacity = bounded.IntegerField(
        label=gettext_lazy("Antal platser"), required=False, min_value=1
    )
    evaluation_url = forms.URLField(
        max_length=bounds.TEXT_LINE,
        assume_scheme="https",
        label=gettext_lazy("Länk till utvärdering"),
        required=False,
        help_text=gettext_lazy("T.ex. en enkät som deltagarna fyller i efteråt."),
    )
    invited = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Inbjudna organisationer"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        help_text=gettext_lazy("Ingen vald betyder att alla får anmäla sig."),
    )
    version = bounded.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited"].choices = [(o.pk, o.name) for o in organisations]

    def event_data(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in (
                "title",
                "kind",
                "starts_at",
                "ends_at",
                "location",
                "description",
                "programme",
                "capacity",
                "evaluation_url",
            )
        }
        data["invited_organisation_ids"] = self.cleaned_data["invited"]
        return data


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=gettext_lazy("Närvarande"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (
                str(r.public_id),
                f"{r.user.get_full_name()} ({r.function_name}, {r.organisation.name})",
            )
            for r in registrations
        ]


class CompetencePlanForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=bounds.TEXT_SHORT,
        help_text=gettext_lazy("T.ex. 2025/2026"),
    )
    goal = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Mål för perioden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompetenceItemForm(forms.Form):
    topic = forms.CharField(label=gettext_lazy("Kompetensinsats"), max_length=bounds.TEXT_NAME)
    target_group = forms.CharField(
        label=gettext_lazy("För vilka"), required=False, max_length=bounds.TEXT_NAME
    )
    due = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Klart senast"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    event = forms.ChoiceField(label=gettext_lazy("Kopplat tillfälle"), required=False, choices=[])

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "Inget")] + [
            (str(e.public_id), f"{e.title} ({e.starts_at:%Y-%m-%d})") for e in events
        ]


class CompetenceStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=CompetenceItemStatus.choices)
