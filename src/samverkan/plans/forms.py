"""Input parsing for the SIP pages. The rules are in services.py."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded

from .models import EffortStatus, OtherPlanKind

_DATE = {"type": "date"}


class StartForm(forms.Form):
    called = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Vilka verksamheter kallas?"),
        help_text=gettext_lazy(
            "Kallade verksamheter är skyldiga att delta. Din egen verksamhet ingår alltid."
        ),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    invited = forms.CharField(
        label=gettext_lazy("Inbjudna aktörer"),
        help_text=gettext_lazy(
            "Andra som bjuds in men inte är skyldiga att delta, t.ex. Försäkringskassan, "
            "Arbetsförmedlingen eller en förening. En per rad."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_NOTE,
    )
    purpose = forms.CharField(
        label=gettext_lazy("Syfte med mötet"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )
    question = forms.CharField(
        label=gettext_lazy("Frågan som mötet ska besvara"),
        help_text=gettext_lazy("Gärna med barnets eller familjens egna ord."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )
    long_term_goal = forms.CharField(
        label=gettext_lazy("Barnets långsiktiga mål"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )
    meeting_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label=gettext_lazy("Tid för mötet"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    meeting_place = forms.CharField(
        label=gettext_lazy("Plats"), required=False, max_length=bounds.TEXT_LABEL
    )
    video_link = forms.URLField(
        label=gettext_lazy("Länk till videomöte"),
        required=False,
        max_length=bounds.TEXT_LINE,
        assume_scheme="https",
    )

    def __init__(self, *args, organisations=(), own_organisation_id=None, **kw):
        super().__init__(*args, **kw)
        self.fields["called"].choices = [
            (o.pk, o.name) for o in organisations if o.pk != own_organisation_id
        ]


class AcknowledgeForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Lämna kallelsen vidare till enhet"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[],
    )
    note = forms.CharField(
        label=gettext_lazy("Anteckning"), required=False, max_length=bounds.TEXT_NOTE
    )

    def __init__(self, *args, units=(), **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].choices = [("", _("Ingen särskild enhet"))] + [
            (u.pk, u.name) for u in units
        ]


class PrepareForm(forms.Form):
    important_to_child = forms.CharField(
        label=gettext_lazy("Vad är viktigt för dig? – barnet"),
        help_text=gettext_lazy("Skriv med barnets egna ord."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    important_to_guardians = forms.CharField(
        label=gettext_lazy("Vad är viktigt för er? – vårdnadshavarna"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
    )


class PlanForm(forms.Form):
    version = bounded.IntegerField(widget=forms.HiddenInput)
    needs = forms.CharField(
        label=gettext_lazy("Behov"),
        help_text=gettext_lazy("Ett behov per rad."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=bounds.TEXT_ACCOUNT,
    )
    long_term_goal = forms.CharField(
        label=gettext_lazy("Barnets långsiktiga mål"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )
    short_term_goals = forms.CharField(
        label=gettext_lazy("Kortsiktiga mål"),
        help_text=gettext_lazy("Ett mål per rad."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_ACCOUNT,
    )
    others_do = forms.CharField(
        label=gettext_lazy("Vad andra än kommun och region gör"),
        help_text=gettext_lazy("T.ex. Försäkringskassan, en förening, släkt."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    responsible_organisation = forms.TypedChoiceField(
        label=gettext_lazy("Verksamhet med huvudansvar"), coerce=int, choices=[]
    )
    coordinator = forms.TypedChoiceField(
        label=gettext_lazy("Samordnare"),
        help_text=gettext_lazy("Väljs på mötet bland de deltagande verksamheternas personal."),
        coerce=int,
        choices=[],
    )
    participants = forms.CharField(
        label=gettext_lazy("Deltagare på mötet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    disagreements = forms.CharField(
        label=gettext_lazy("Oenighet"),
        help_text=gettext_lazy("Det som deltagarna inte var överens om."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    follow_up_on = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Datum för uppföljning"),
        widget=forms.DateInput(_DATE),
    )
    child_words = forms.CharField(
        label=gettext_lazy("Barnets egna ord"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    factors = forms.MultipleChoiceField(
        label=gettext_lazy("Risk- och skyddsfaktorer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    comment = forms.CharField(
        label=gettext_lazy("Kommentar till versionen"), required=False, max_length=bounds.TEXT_LABEL
    )

    def __init__(self, *args, organisations=(), coordinators=(), factor_choices=(), **kw):
        super().__init__(*args, **kw)
        self.fields["responsible_organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["coordinator"].choices = list(coordinators)
        self.fields["factors"].choices = [
            (code, name) for _group, items in factor_choices for code, name in items
        ]


class EffortForm(forms.Form):
    key = forms.CharField(max_length=bounds.TEXT_CODE, widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=gettext_lazy("Insats"), required=False, max_length=bounds.TEXT_LABEL
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Ansvarig verksamhet"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[],
    )
    responsible = forms.CharField(
        label=gettext_lazy("Ansvarig person eller funktion"),
        required=False,
        max_length=bounds.TEXT_LABEL,
    )
    starts_on = bounded.DateField(
        window=bounds.RECORDED,
        label=gettext_lazy("Från"),
        required=False,
        widget=forms.DateInput(_DATE),
    )
    ends_on = bounded.DateField(
        window=bounds.RECORDED,
        label=gettext_lazy("Till"),
        required=False,
        widget=forms.DateInput(_DATE),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=EffortStatus.choices, required=False
    )

    def __init__(self, *args, organisations=(), **kw):
        super().__init__(*args, **kw)
        self.fields["organisation"].choices = [("", "–")] + [(o.pk, o.name) for o in organisations]


EffortFormSet = forms.formset_factory(EffortForm, extra=2, max_num=40)


class FollowUpForm(forms.Form):
    held_on = bounded.DateField(
        window=bounds.PAST_EVENT,
        label=gettext_lazy("Uppföljningen hölls"),
        widget=forms.DateInput(_DATE),
    )
    note = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Anteckning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_follow_up_on = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Nästa uppföljning"),
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
                label=_("Status: %(value)s") % {"value": e["title"]},
                choices=EffortStatus.choices,
                initial=e["status"],
            )
            self.fields[effect] = forms.CharField(
                label=_("Effekt: %(value)s") % {"value": e["title"]},
                required=False,
                max_length=bounds.TEXT_NOTE,
            )
            self.effort_fields.append((e, self[status], self[effect]))


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Varför avslutas planen?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )


class OtherPlanForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Slags plan"), choices=OtherPlanKind.choices)
    purpose = forms.CharField(
        label=gettext_lazy("Planens syfte"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )
    valid_until = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Gäller till"),
        required=False,
        widget=forms.DateInput(_DATE),
    )


class FollowUpMeetingForm(forms.Form):
    """The coordinator sets the time and place of the next follow-up meeting (0336)."""

    meeting_at = bounded.DateTimeField(
        window=bounds.PLANNED,
        label=gettext_lazy("Dag och tid för uppföljningsmötet"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": gettext_lazy("Skriv dag och tid för mötet."),
            "invalid": gettext_lazy("Skriv dag och tid som ÅÅÅÅ-MM-DD TT:MM."),
        },
    )
    place = forms.CharField(
        label=gettext_lazy("Plats"),
        help_text=gettext_lazy("Till exempel skolan och rummet, eller att mötet hålls på video."),
        max_length=bounds.TEXT_LABEL,
        error_messages={"required": gettext_lazy("Skriv var mötet hålls.")},
    )
