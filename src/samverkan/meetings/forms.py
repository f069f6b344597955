from django import forms
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded

from .agenda import CATEGORIES
from .minutes import EVALUATION_QUESTIONS, EVALUATION_SCALE
from .models import ActionStatus, Cadence, ItemKind, Level


class ReviewedField(forms.BooleanField):
    """Shown after a small-group warning: the author confirms having checked that
    nobody can be recognised from the text."""

    def __init__(self, **kwargs):
        super().__init__(
            label=gettext_lazy("Jag har bedömt att ingen kan känna igen barnet av det jag skrivit"),
            required=False,
            **kwargs,
        )


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Sorts punkt"),
        choices=ItemKind.choices,
        widget=forms.RadioSelect,
        help_text=(
            gettext_lazy(
                "Ett ärende får tas upp med namn bara om ett samtycke täcker varje verksamhet "
                "som deltar. Annars: beskriv det avidentifierat — inga namn, personnummer, "
                "adresser, telefonnummer, e-post eller enheter."
            )
        ),
    )
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=bounds.TEXT_NAME)
    text = forms.CharField(
        max_length=bounds.TEXT_DOCUMENT,
        label=gettext_lazy("Beskrivning"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    child = forms.ChoiceField(
        label=gettext_lazy("Barnet (bara för ärende med namn)"), required=False
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Vilka uppgifter tas upp (bara för ärende med namn)"),
        choices=[("", "—"), *CATEGORIES.items()],
        required=False,
    )
    reviewed = ReviewedField()

    def __init__(self, *args, child_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "—"), *child_choices]


class AttendanceForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Verksamhet"))
    present = forms.ChoiceField(
        label=gettext_lazy("Närvaro"),
        choices=[
            ("", "Inbjuden"),
            ("yes", gettext_lazy("Närvarande")),
            ("no", gettext_lazy("Frånvarande")),
        ],
        required=False,
    )
    participants = forms.CharField(
        label=gettext_lazy("Funktioner som deltar"), max_length=bounds.TEXT_LABEL, required=False
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        max_length=bounds.TEXT_DOCUMENT,
        label=gettext_lazy("Protokoll"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=(
            gettext_lazy(
                "Skriv protokollet avidentifierat; beslut om enskilda punkter skrivs vid punkten."
            )
        ),
    )
    version = bounded.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    decision = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Beslut"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(
        max_length=bounds.TEXT_DOCUMENT,
        label=gettext_lazy("Rättelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionForm(forms.Form):
    text = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Åtgärd"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsible_organisation = forms.ChoiceField(label=gettext_lazy("Ansvarig verksamhet"))
    responsible_function = bounded.needed_when(
        forms.ChoiceField(label=gettext_lazy("Ansvarig funktion")),
        gettext_lazy("krävs om ingen ansvarig person anges"),
    )
    responsible_person = bounded.needed_when(
        forms.CharField(label=gettext_lazy("Ansvarig person"), max_length=bounds.TEXT_NAME),
        gettext_lazy("krävs om ingen ansvarig funktion anges"),
    )
    due_date = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Klart senast"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, organisations=(), functions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["responsible_function"].choices = [("", "—")] + [
            (f.code, f.name) for f in functions
        ]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionStatus.choices)


class BookForm(forms.Form):
    starts_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label=gettext_lazy("Tid"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = bounded.IntegerField(
        label=gettext_lazy("Längd (minuter)"), min_value=15, max_value=480, initial=90
    )
    location = forms.CharField(
        label=gettext_lazy("Plats"), max_length=bounds.TEXT_NAME, required=False
    )


class EvaluationForm(forms.Form):
    comment = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Kommentar"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, question in EVALUATION_QUESTIONS:
            self.fields[f"q_{code}"] = forms.TypedChoiceField(
                label=question, choices=EVALUATION_SCALE, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([f"q_{code}" for code, _ in EVALUATION_QUESTIONS] + ["comment"])

    def answers(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"q_{code}"] for code, _ in EVALUATION_QUESTIONS}


class EscalationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=bounds.TEXT_NAME)
    description = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Vad gäller oenigheten"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Avidentifierat, om inte ett barn väljs nedan och ett samtycke täcker det."
        ),
    )
    counterpart = forms.ChoiceField(label=gettext_lazy("Den andra verksamheten"))
    child = forms.ChoiceField(label=gettext_lazy("Barnet (bara med samtycke)"), required=False)
    reviewed = ReviewedField()

    def __init__(self, *args, organisations=(), child_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["child"].choices = [("", "— avidentifierat —"), *child_choices]


class StepForm(forms.Form):
    positions = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Parternas ståndpunkter"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decision = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Beslut"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Utfall"),
        choices=[
            ("resolved", gettext_lazy("Frågan är avgjord")),
            ("escalate", gettext_lazy("Lyft till nästa steg")),
        ],
        widget=forms.RadioSelect,
    )


WEEKDAYS = [
    (0, gettext_lazy("Måndag")),
    (1, "Tisdag"),
    (2, "Onsdag"),
    (3, "Torsdag"),
    (4, "Fredag"),
]


class ForumForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=bounds.TEXT_NAME)
    level = forms.ChoiceField(label=gettext_lazy("Nivå"), choices=Level.choices)
    cadence = forms.ChoiceField(label=gettext_lazy("Mötesfrekvens"), choices=Cadence.choices)
    convener_function = forms.ChoiceField(
        label=gettext_lazy("Sammankallande funktion (i din verksamhet)"),
        help_text=gettext_lazy("Forumet byggs på funktioner, inte personer."),
    )
    organisations = forms.MultipleChoiceField(
        label=gettext_lazy("Verksamheter som är med"), widget=forms.CheckboxSelectMultiple
    )
    functions = forms.MultipleChoiceField(
        label=gettext_lazy("Funktioner som är med"), widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Syfte"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goals = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Mål"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    target_group = forms.CharField(
        label=gettext_lazy("Målgrupp"), max_length=bounds.TEXT_LINE, required=False
    )
    min_age = bounded.IntegerField(
        label=gettext_lazy("Ålder från"), min_value=0, max_value=25, required=False
    )
    max_age = bounded.IntegerField(
        label=gettext_lazy("Ålder till"), min_value=0, max_value=25, required=False
    )
    way_of_working = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Överenskommet arbetssätt"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Veckodag"), choices=WEEKDAYS, coerce=int, initial=1
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Klockslag"),
        initial="13:00",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    duration_minutes = bounded.IntegerField(
        label=gettext_lazy("Längd (minuter)"), min_value=15, max_value=480, initial=90
    )
    location = forms.CharField(
        label=gettext_lazy("Plats"), max_length=bounds.TEXT_NAME, required=False
    )

    def __init__(self, *args, organisations=(), functions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["functions"].choices = [(f.code, f.name) for f in functions]
        self.fields["convener_function"].choices = [(f.code, f.name) for f in functions]
