"""Input parsing for the report pages. The rules are in services.py."""

from django import forms
from django.utils.translation import gettext, gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded
from samverkan.knowledge import selectors as knowledge

from .cooperation import EVALUATION_QUESTIONS
from .models import EntryKind, GuardiansInformed, Outcome, PreliminaryDecision, Urgency

_TEXT = {"rows": 4}


class _ContentFields(forms.Form):
    worry = forms.CharField(
        label=gettext_lazy("Vad är du orolig för?"),
        help_text=gettext_lazy(
            "Beskriv oron med dina egna ord. Du behöver inte vara säker – det räcker "
            "med misstanke om att barnet far illa."
        ),
        widget=forms.Textarea(attrs=_TEXT),
        max_length=bounds.TEXT_ACCOUNT,
    )
    observations = forms.CharField(
        label=gettext_lazy("Vad har du sett och hört?"),
        help_text=gettext_lazy("Konkreta iakttagelser: när, var, vad."),
        required=False,
        widget=forms.Textarea(attrs=_TEXT),
        max_length=bounds.TEXT_ACCOUNT,
    )
    child_words = forms.CharField(
        label=gettext_lazy("Barnets egna ord"),
        help_text=gettext_lazy("Skriv ned det barnet har sagt, så ordagrant som möjligt."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_ACCOUNT,
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Hur brådskande är det?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NORMAL,
        help_text=gettext_lazy(
            "Är barnet i fara just nu: ring socialtjänsten eller 112 i stället."
        ),
    )
    guardians_informed = forms.ChoiceField(
        label=gettext_lazy("Vet vårdnadshavarna att anmälan görs?"),
        choices=GuardiansInformed.choices,
        widget=forms.RadioSelect,
        initial=GuardiansInformed.UNKNOWN,
    )


class _GuardianFields(forms.Form):
    do_not_inform_guardians = forms.BooleanField(
        label=gettext_lazy(
            "Vårdnadshavarna får inte få veta att anmälan görs (risk för betydande men "
            "för barnet, t.ex. misstanke om våld eller övergrepp av en vårdnadshavare)"
        ),
        required=False,
    )
    do_not_inform_reason = forms.CharField(
        label=gettext_lazy("Varför får vårdnadshavarna inte veta?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_ACCOUNT,
    )


class ReportForm(_ContentFields, _GuardianFields):
    personal_number = forms.CharField(
        label=gettext_lazy("Barnets personnummer"),
        help_text=gettext_lazy("12 siffror, t.ex. 20150315-1234, eller samordningsnummer."),
        max_length=bounds.NUMBER_AS_TYPED,
    )
    child_first_name = forms.CharField(
        label=gettext_lazy("Barnets förnamn"),
        help_text=gettext_lazy(
            "Behövs bara om barnet inte finns i din verksamhets register: då följer "
            "namnet med anmälan till socialtjänsten."
        ),
        required=False,
        max_length=bounds.TEXT_PERSON_NAME,
    )
    child_last_name = forms.CharField(
        label=gettext_lazy("Barnets efternamn"),
        help_text=gettext_lazy("Behövs bara om barnet inte finns i din verksamhets register."),
        required=False,
        max_length=bounds.TEXT_PERSON_NAME,
    )
    reporter_phone = forms.CharField(
        label=gettext_lazy("Ditt telefonnummer"), required=False, max_length=bounds.TEXT_SHORT
    )
    reporter_email = forms.EmailField(label=gettext_lazy("Din e-postadress"), required=False)
    factors = forms.MultipleChoiceField(
        label=gettext_lazy("Risk- och skyddsfaktorer du har sett"),
        help_text=gettext_lazy(
            "Gemensamma ord gör att verksamheterna beskriver barnets situation på samma "
            "sätt. Välj de som stämmer; du kan också låta bli."
        ),
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
        label=gettext_lazy("Vilket barn gäller det?"),
        help_text=gettext_lazy("Namn, ålder, skola eller förskola, adress – det du vet."),
        error_messages={"required": gettext_lazy("Skriv vilket barn det gäller.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_ACCOUNT,
    )
    reporter_name = forms.CharField(
        label=gettext_lazy("Ditt namn"),
        help_text=gettext_lazy(
            "Du får vara anonym. Lämnar du namn och telefon kan socialtjänsten "
            "ställa frågor till dig."
        ),
        required=False,
        max_length=bounds.TEXT_NAME,
    )
    reporter_phone = forms.CharField(
        label=gettext_lazy("Ditt telefonnummer"), required=False, max_length=bounds.TEXT_SHORT
    )
    reporter_email = forms.EmailField(label=gettext_lazy("Din e-postadress"), required=False)
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
    personal_number = forms.CharField(
        label=gettext_lazy("Barnets personnummer"), max_length=bounds.IDENTITY_NUMBER
    )
    first_name = forms.CharField(
        label=gettext_lazy("Barnets förnamn"), max_length=bounds.TEXT_PERSON_NAME
    )
    last_name = forms.CharField(
        label=gettext_lazy("Barnets efternamn"), max_length=bounds.TEXT_PERSON_NAME
    )
    reporter_org = forms.TypedChoiceField(
        label=gettext_lazy("Anmälarens verksamhet"), coerce=int, choices=[]
    )
    reporter_name = forms.CharField(
        label=gettext_lazy("Anmälarens namn"), max_length=bounds.TEXT_NAME
    )
    reporter_function = forms.CharField(
        label=gettext_lazy("Anmälarens funktion"), required=False, max_length=bounds.TEXT_NAME
    )
    reporter_phone = forms.CharField(
        label=gettext_lazy("Anmälarens telefon"), required=False, max_length=bounds.TEXT_SHORT
    )
    reporter_email = forms.EmailField(label=gettext_lazy("Anmälarens e-post"), required=False)

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
        self.fields["reporter_org"].choices = [("", gettext("Välj verksamhet")), *organisations]
        self.fields["urgency"].initial = Urgency.ACUTE


class AssignForm(forms.Form):
    handler = forms.TypedChoiceField(label=gettext_lazy("Handläggare"), coerce=int, choices=[])

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = list(handlers)


class ProtectionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Skyddsbedömning"),
        help_text=gettext_lazy(
            "Behöver barnet skydd omedelbart? Görs samma dag som anmälan kommer in."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_ACCOUNT,
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Beslut efter förhandsbedömning"),
        choices=PreliminaryDecision.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(forms.Form):
    new_due = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Ny sista dag"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Skäl till förlängningen"),
        help_text=gettext_lazy(
            "Förlängning kräver synnerliga (förhandsbedömning) eller särskilda "
            "(utredning) skäl, som dokumenteras."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_ACCOUNT,
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Hur avslutas ärendet?"), choices=Outcome.choices
    )
    text = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackTextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Annan återkoppling (kräver samtycke)"),
        help_text=gettext_lazy(
            "Fri text lämnas bara om ett samtycke omfattar den anmälande verksamheten "
            "för syftet återkoppling."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_ACCOUNT,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Vilket slags uppgifter?"),
        choices=[
            ("insatser", "Insatser"),
            ("social_situation", gettext_lazy("Social situation och familj")),
            ("halsa", gettext_lazy("Hälsa")),
            ("skolsituation", gettext_lazy("Skolsituation och närvaro")),
        ],
    )


class ReporterEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Vad vill du lämna?"),
        choices=[
            (EntryKind.ADDITION, gettext_lazy("Ny information")),
            (EntryKind.CORRECTION, gettext_lazy("Rättelse")),
            (EntryKind.QUESTION, gettext_lazy("Fråga till handläggaren")),
        ],
        widget=forms.RadioSelect,
        initial=EntryKind.ADDITION,
    )
    text = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_ACCOUNT,
    )


class MeetingForm(forms.Form):
    starts_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label=gettext_lazy("Börjar"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label=gettext_lazy("Slutar"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label=gettext_lazy("Plats"), max_length=bounds.TEXT_NAME)
    agenda = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Dagordning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvaluationForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_PARAGRAPH,
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
        label=gettext_lazy("Barnets personnummer eller samordningsnummer"),
        help_text=gettext_lazy("12 siffror, t.ex. 20150315-1234."),
        max_length=bounds.NUMBER_AS_TYPED,
    )
    first_name = bounded.needed_when(
        forms.CharField(label=gettext_lazy("Förnamn"), max_length=bounds.TEXT_NAME),
        gettext_lazy("krävs om barnet inte finns i socialtjänstens register"),
    )
    last_name = bounded.needed_when(
        forms.CharField(label=gettext_lazy("Efternamn"), max_length=bounds.TEXT_NAME),
        gettext_lazy("krävs om barnet inte finns i socialtjänstens register"),
    )
    note = forms.CharField(
        label=gettext_lazy("Hur barnet identifierades"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )
