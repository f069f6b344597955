"""Input parsing for the report pages. The rules are in services.py."""

from django import forms

from samverkan.core import bounds
from samverkan.core import forms as bounded
from samverkan.knowledge import selectors as knowledge

from .models import EntryKind, GuardiansInformed, Outcome, PreliminaryDecision, Urgency
from .services import EVALUATION_QUESTIONS

_TEXT = {"rows": 4}


class _ContentFields(forms.Form):
    worry = forms.CharField(
        label="Vad är du orolig för?",
        help_text="Beskriv oron med dina egna ord. Du behöver inte vara säker – det räcker "
        "med misstanke om att barnet far illa.",
        widget=forms.Textarea(attrs=_TEXT),
        max_length=8000,
    )
    observations = forms.CharField(
        label="Vad har du sett och hört?",
        help_text="Konkreta iakttagelser: när, var, vad.",
        required=False,
        widget=forms.Textarea(attrs=_TEXT),
        max_length=8000,
    )
    child_words = forms.CharField(
        label="Barnets egna ord",
        help_text="Skriv ned det barnet har sagt, så ordagrant som möjligt.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    urgency = forms.ChoiceField(
        label="Hur brådskande är det?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NORMAL,
        help_text="Är barnet i fara just nu: ring socialtjänsten eller 112 i stället.",
    )
    guardians_informed = forms.ChoiceField(
        label="Vet vårdnadshavarna att anmälan görs?",
        choices=GuardiansInformed.choices,
        widget=forms.RadioSelect,
        initial=GuardiansInformed.UNKNOWN,
    )


class _GuardianFields(forms.Form):
    do_not_inform_guardians = forms.BooleanField(
        label="Vårdnadshavarna får inte få veta att anmälan görs (risk för betydande men "
        "för barnet, t.ex. misstanke om våld eller övergrepp av en vårdnadshavare)",
        required=False,
    )
    do_not_inform_reason = forms.CharField(
        label="Varför får vårdnadshavarna inte veta?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=8000,
    )


class ReportForm(_ContentFields, _GuardianFields):
    personal_number = forms.CharField(
        label="Barnets personnummer",
        help_text="12 siffror, t.ex. 20150315-1234, eller samordningsnummer.",
        max_length=20,
    )
    child_first_name = forms.CharField(
        label="Barnets förnamn",
        help_text="Behövs bara om barnet inte finns i din verksamhets register: då följer "
        "namnet med anmälan till socialtjänsten.",
        required=False,
        max_length=100,
    )
    child_last_name = forms.CharField(
        label="Barnets efternamn",
        help_text="Behövs bara om barnet inte finns i din verksamhets register.",
        required=False,
        max_length=100,
    )
    reporter_phone = forms.CharField(label="Ditt telefonnummer", required=False, max_length=40)
    reporter_email = forms.EmailField(label="Din e-postadress", required=False)
    factors = forms.MultipleChoiceField(
        label="Risk- och skyddsfaktorer du har sett",
        help_text="Gemensamma ord gör att verksamheterna beskriver barnets situation på samma "
        "sätt. Välj de som stämmer; du kan också låta bli.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = knowledge.factor_choices()

    field_order = [
        "personal_number",
        "child_first_name",
        "child_last_name",
        "worry",
        "observations",
        "child_words",
        "urgency",
        "guardians_informed",
        "do_not_inform_guardians",
        "do_not_inform_reason",
        "reporter_phone",
        "reporter_email",
        "factors",
    ]


class PublicReportForm(_ContentFields):
    child_details = forms.CharField(
        label="Vilket barn gäller det?",
        help_text="Namn, ålder, skola eller förskola, adress – det du vet.",
        error_messages={"required": "Skriv vilket barn det gäller."},
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    reporter_name = forms.CharField(
        label="Ditt namn",
        help_text="Du får vara anonym. Lämnar du namn och telefon kan socialtjänsten "
        "ställa frågor till dig.",
        required=False,
        max_length=200,
    )
    reporter_phone = forms.CharField(label="Ditt telefonnummer", required=False, max_length=40)
    reporter_email = forms.EmailField(label="Din e-postadress", required=False)
    # A field people never see; bots fill it in.
    website = forms.CharField(max_length=bounds.TEXT_NAME, required=False, widget=forms.HiddenInput)

    field_order = [
        "child_details",
        "worry",
        "observations",
        "child_words",
        "urgency",
        "guardians_informed",
        "reporter_name",
        "reporter_phone",
        "reporter_email",
    ]


class OralReportForm(_ContentFields, _GuardianFields):
    personal_number = forms.CharField(label="Barnets personnummer", max_length=13)
    first_name = forms.CharField(label="Barnets förnamn", max_length=100)
    last_name = forms.CharField(label="Barnets efternamn", max_length=100)
    reporter_org = forms.TypedChoiceField(label="Anmälarens verksamhet", coerce=int, choices=[])
    reporter_name = forms.CharField(label="Anmälarens namn", max_length=200)
    reporter_function = forms.CharField(label="Anmälarens funktion", required=False, max_length=200)
    reporter_phone = forms.CharField(label="Anmälarens telefon", required=False, max_length=40)
    reporter_email = forms.EmailField(label="Anmälarens e-post", required=False)

    field_order = [
        "personal_number",
        "first_name",
        "last_name",
        "reporter_org",
        "reporter_name",
        "reporter_function",
        "reporter_phone",
        "reporter_email",
    ]

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter_org"].choices = [("", "Välj verksamhet"), *organisations]
        self.fields["urgency"].initial = Urgency.ACUTE


class AssignForm(forms.Form):
    handler = forms.TypedChoiceField(label="Handläggare", coerce=int, choices=[])

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = list(handlers)


class ProtectionForm(forms.Form):
    text = forms.CharField(
        label="Skyddsbedömning",
        help_text="Behöver barnet skydd omedelbart? Görs samma dag som anmälan kommer in.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Beslut efter förhandsbedömning",
        choices=PreliminaryDecision.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Motivering",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(forms.Form):
    new_due = bounded.DateField(
        window=bounds.PLANNED, label="Ny sista dag", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="Skäl till förlängningen",
        help_text="Förlängning kräver synnerliga (förhandsbedömning) eller särskilda "
        "(utredning) skäl, som dokumenteras.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=8000,
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="Hur avslutas ärendet?", choices=Outcome.choices)
    text = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Kommentar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackTextForm(forms.Form):
    text = forms.CharField(
        label="Annan återkoppling (kräver samtycke)",
        help_text="Fri text lämnas bara om ett samtycke omfattar den anmälande verksamheten "
        "för syftet återkoppling.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    category = forms.ChoiceField(
        label="Vilket slags uppgifter?",
        choices=[
            ("insatser", "Insatser"),
            ("social_situation", "Social situation och familj"),
            ("halsa", "Hälsa"),
            ("skolsituation", "Skolsituation och närvaro"),
        ],
    )


class ReporterEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="Vad vill du lämna?",
        choices=[
            (EntryKind.ADDITION, "Ny information"),
            (EntryKind.CORRECTION, "Rättelse"),
            (EntryKind.QUESTION, "Fråga till handläggaren"),
        ],
        widget=forms.RadioSelect,
        initial=EntryKind.ADDITION,
    )
    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)


class MeetingForm(forms.Form):
    starts_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label="Börjar",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label="Slutar",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label="Plats", max_length=200)
    agenda = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Dagordning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvaluationForm(forms.Form):
    comment = forms.CharField(
        label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in EVALUATION_QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                label=text,
                choices=[("ja", "Ja"), ("delvis", "Delvis"), ("nej", "Nej")],
                widget=forms.RadioSelect,
            )
        self.order_fields([key for key, _ in EVALUATION_QUESTIONS] + ["comment"])

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key, _ in EVALUATION_QUESTIONS}


class IdentifyForm(forms.Form):
    """Intake: which child the report is about (found in the register or registered)."""

    prefix = "identify"
    personal_number = forms.CharField(
        label="Barnets personnummer eller samordningsnummer",
        help_text="12 siffror, t.ex. 20150315-1234.",
        max_length=20,
    )
    first_name = forms.CharField(
        label="Förnamn",
        help_text="Behövs om barnet inte redan finns i socialtjänstens register.",
        required=False,
        max_length=100,
    )
    last_name = forms.CharField(label="Efternamn", required=False, max_length=100)
    note = forms.CharField(
        label="Hur barnet identifierades",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
