from django import forms

from samverkan.core import bounds
from samverkan.core import forms as bounded

from .models import ActionStatus, Cadence, ItemKind, Level
from .services import CATEGORIES, EVALUATION_QUESTIONS, EVALUATION_SCALE


class ReviewedField(forms.BooleanField):
    """Shown after a small-group warning: the author confirms having checked that
    nobody can be recognised from the text."""

    def __init__(self, **kwargs):
        super().__init__(
            label="Jag har bedömt att ingen kan känna igen barnet av det jag skrivit",
            required=False,
            **kwargs,
        )


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label="Sorts punkt",
        choices=ItemKind.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Ett ärende får tas upp med namn bara om ett samtycke täcker varje verksamhet "
            "som deltar. Annars: beskriv det avidentifierat — inga namn, personnummer, "
            "adresser, telefonnummer, e-post eller enheter."
        ),
    )
    title = forms.CharField(label="Rubrik", max_length=200)
    text = forms.CharField(
        max_length=bounds.TEXT_DOCUMENT,
        label="Beskrivning",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    child = forms.ChoiceField(label="Barnet (bara för ärende med namn)", required=False)
    category = forms.ChoiceField(
        label="Vilka uppgifter tas upp (bara för ärende med namn)",
        choices=[("", "—"), *CATEGORIES.items()],
        required=False,
    )
    reviewed = ReviewedField()

    def __init__(self, *args, child_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "—"), *child_choices]


class AttendanceForm(forms.Form):
    organisation = forms.ChoiceField(label="Verksamhet")
    present = forms.ChoiceField(
        label="Närvaro",
        choices=[("", "Inbjuden"), ("yes", "Närvarande"), ("no", "Frånvarande")],
        required=False,
    )
    participants = forms.CharField(label="Funktioner som deltar", max_length=300, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        max_length=bounds.TEXT_DOCUMENT,
        label="Protokoll",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=(
            "Skriv protokollet avidentifierat; beslut om enskilda punkter skrivs vid punkten."
        ),
    )
    version = bounded.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    decision = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH, label="Beslut", widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(
        max_length=bounds.TEXT_DOCUMENT, label="Rättelse", widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    text = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH, label="Åtgärd", widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_organisation = forms.ChoiceField(label="Ansvarig verksamhet")
    responsible_function = forms.ChoiceField(label="Ansvarig funktion", required=False)
    responsible_person = forms.CharField(label="Ansvarig person", max_length=200, required=False)
    due_date = bounded.DateField(
        window=bounds.PLANNED, label="Klart senast", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisations=(), functions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["responsible_function"].choices = [("", "—")] + [
            (f.code, f.name) for f in functions
        ]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)


class BookForm(forms.Form):
    starts_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label="Tid",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = bounded.IntegerField(
        label="Längd (minuter)", min_value=15, max_value=480, initial=90
    )
    location = forms.CharField(label="Plats", max_length=200, required=False)


class EvaluationForm(forms.Form):
    comment = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Kommentar",
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
    title = forms.CharField(label="Rubrik", max_length=200)
    description = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Vad gäller oenigheten",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Avidentifierat, om inte ett barn väljs nedan och ett samtycke täcker det.",
    )
    counterpart = forms.ChoiceField(label="Den andra verksamheten")
    child = forms.ChoiceField(label="Barnet (bara med samtycke)", required=False)
    reviewed = ReviewedField()

    def __init__(self, *args, organisations=(), child_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["child"].choices = [("", "— avidentifierat —"), *child_choices]


class StepForm(forms.Form):
    positions = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Parternas ståndpunkter",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decision = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH, label="Beslut", widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(
        label="Utfall",
        choices=[("resolved", "Frågan är avgjord"), ("escalate", "Lyft till nästa steg")],
        widget=forms.RadioSelect,
    )


WEEKDAYS = [
    (0, "Måndag"),
    (1, "Tisdag"),
    (2, "Onsdag"),
    (3, "Torsdag"),
    (4, "Fredag"),
]


class ForumForm(forms.Form):
    name = forms.CharField(label="Namn", max_length=200)
    level = forms.ChoiceField(label="Nivå", choices=Level.choices)
    cadence = forms.ChoiceField(label="Mötesfrekvens", choices=Cadence.choices)
    convener_function = forms.ChoiceField(
        label="Sammankallande funktion (i din verksamhet)",
        help_text="Forumet byggs på funktioner, inte personer.",
    )
    organisations = forms.MultipleChoiceField(
        label="Verksamheter som är med", widget=forms.CheckboxSelectMultiple
    )
    functions = forms.MultipleChoiceField(
        label="Funktioner som är med", widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH, label="Syfte", widget=forms.Textarea(attrs={"rows": 3})
    )
    goals = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Mål",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    target_group = forms.CharField(label="Målgrupp", max_length=500, required=False)
    min_age = bounded.IntegerField(label="Ålder från", min_value=0, max_value=25, required=False)
    max_age = bounded.IntegerField(label="Ålder till", min_value=0, max_value=25, required=False)
    way_of_working = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Överenskommet arbetssätt",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    weekday = forms.TypedChoiceField(label="Veckodag", choices=WEEKDAYS, coerce=int, initial=1)
    start_time = forms.TimeField(
        label="Klockslag", initial="13:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = bounded.IntegerField(
        label="Längd (minuter)", min_value=15, max_value=480, initial=90
    )
    location = forms.CharField(label="Plats", max_length=200, required=False)

    def __init__(self, *args, organisations=(), functions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["functions"].choices = [(f.code, f.name) for f in functions]
        self.fields["convener_function"].choices = [(f.code, f.name) for f in functions]
