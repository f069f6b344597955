"""Input parsing for the SIP pages. The rules are in services.py."""

from django import forms

from samverkan.core import bounds
from samverkan.core import forms as bounded

from .models import EffortStatus, OtherPlanKind

_DATE = {"type": "date"}


class StartForm(forms.Form):
    called = forms.TypedMultipleChoiceField(
        label="Vilka verksamheter kallas?",
        help_text="Kallade verksamheter är skyldiga att delta. Din egen verksamhet ingår alltid.",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    invited = forms.CharField(
        label="Inbjudna aktörer",
        help_text="Andra som bjuds in men inte är skyldiga att delta, t.ex. Försäkringskassan, "
        "Arbetsförmedlingen eller en förening. En per rad.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    purpose = forms.CharField(
        label="Syfte med mötet", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    question = forms.CharField(
        label="Frågan som mötet ska besvara",
        help_text="Gärna med barnets eller familjens egna ord.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    long_term_goal = forms.CharField(
        label="Barnets långsiktiga mål",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    meeting_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label="Tid för mötet",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    meeting_place = forms.CharField(label="Plats", required=False, max_length=300)
    video_link = forms.URLField(
        label="Länk till videomöte", required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, organisations=(), own_organisation_id=None, **kw):
        super().__init__(*args, **kw)
        self.fields["called"].choices = [
            (o.pk, o.name) for o in organisations if o.pk != own_organisation_id
        ]


class AcknowledgeForm(forms.Form):
    unit = forms.TypedChoiceField(
        label="Lämna kallelsen vidare till enhet",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[],
    )
    note = forms.CharField(label="Anteckning", required=False, max_length=1000)

    def __init__(self, *args, units=(), **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].choices = [("", "Ingen särskild enhet")] + [
            (u.pk, u.name) for u in units
        ]


class PrepareForm(forms.Form):
    important_to_child = forms.CharField(
        label="Vad är viktigt för dig? – barnet",
        help_text="Skriv med barnets egna ord.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    important_to_guardians = forms.CharField(
        label="Vad är viktigt för er? – vårdnadshavarna",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class PlanForm(forms.Form):
    version = bounded.IntegerField(widget=forms.HiddenInput)
    needs = forms.CharField(
        label="Behov",
        help_text="Ett behov per rad.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )
    long_term_goal = forms.CharField(
        label="Barnets långsiktiga mål", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    short_term_goals = forms.CharField(
        label="Kortsiktiga mål",
        help_text="Ett mål per rad.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    others_do = forms.CharField(
        label="Vad andra än kommun och region gör",
        help_text="T.ex. Försäkringskassan, en förening, släkt.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    responsible_organisation = forms.TypedChoiceField(
        label="Verksamhet med huvudansvar", coerce=int, choices=[]
    )
    coordinator = forms.TypedChoiceField(
        label="Samordnare",
        help_text="Väljs på mötet bland de deltagande verksamheternas personal.",
        coerce=int,
        choices=[],
    )
    participants = forms.CharField(
        label="Deltagare på mötet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    disagreements = forms.CharField(
        label="Oenighet",
        help_text="Det som deltagarna inte var överens om.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    follow_up_on = bounded.DateField(
        window=bounds.PLANNED, label="Datum för uppföljning", widget=forms.DateInput(_DATE)
    )
    child_words = forms.CharField(
        label="Barnets egna ord",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    factors = forms.MultipleChoiceField(
        label="Risk- och skyddsfaktorer",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    comment = forms.CharField(label="Kommentar till versionen", required=False, max_length=300)

    def __init__(self, *args, organisations=(), coordinators=(), factor_choices=(), **kw):
        super().__init__(*args, **kw)
        self.fields["responsible_organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["coordinator"].choices = list(coordinators)
        self.fields["factors"].choices = [
            (code, name) for _group, items in factor_choices for code, name in items
        ]


class EffortForm(forms.Form):
    key = forms.CharField(max_length=bounds.TEXT_CODE, widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="Insats", required=False, max_length=300)
    organisation = forms.TypedChoiceField(
        label="Ansvarig verksamhet", coerce=int, required=False, empty_value=None, choices=[]
    )
    responsible = forms.CharField(
        label="Ansvarig person eller funktion", required=False, max_length=300
    )
    starts_on = bounded.DateField(
        window=bounds.RECORDED, label="Från", required=False, widget=forms.DateInput(_DATE)
    )
    ends_on = bounded.DateField(
        window=bounds.RECORDED, label="Till", required=False, widget=forms.DateInput(_DATE)
    )
    status = forms.ChoiceField(label="Status", choices=EffortStatus.choices, required=False)

    def __init__(self, *args, organisations=(), **kw):
        super().__init__(*args, **kw)
        self.fields["organisation"].choices = [("", "–")] + [(o.pk, o.name) for o in organisations]


EffortFormSet = forms.formset_factory(EffortForm, extra=2, max_num=40)


class FollowUpForm(forms.Form):
    held_on = bounded.DateField(
        window=bounds.PAST_EVENT, label="Uppföljningen hölls", widget=forms.DateInput(_DATE)
    )
    note = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label="Anteckning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_follow_up_on = bounded.DateField(
        window=bounds.PLANNED,
        label="Nästa uppföljning",
        required=False,
        widget=forms.DateInput(_DATE),
    )

    def __init__(self, *args, efforts=(), **kw):
        super().__init__(*args, **kw)
        self.effort_fields = []
        for e in efforts:
            status = f"status_{e['key']}"
            effect = f"effect_{e['key']}"
            self.fields[status] = forms.ChoiceField(
                label=f"Status: {e['title']}", choices=EffortStatus.choices, initial=e["status"]
            )
            self.fields[effect] = forms.CharField(
                label=f"Effekt: {e['title']}", required=False, max_length=2000
            )
            self.effort_fields.append((e, self[status], self[effect]))


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Varför avslutas planen?", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class OtherPlanForm(forms.Form):
    kind = forms.ChoiceField(label="Slags plan", choices=OtherPlanKind.choices)
    purpose = forms.CharField(
        label="Planens syfte", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    valid_until = bounded.DateField(
        window=bounds.PLANNED, label="Gäller till", required=False, widget=forms.DateInput(_DATE)
    )
