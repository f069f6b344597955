"""Input validation for the survey pages. Rules live in surveys.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core import bounds
from samverkan.core.forms import DateField
from samverkan.directory import selectors as directory
from samverkan.meetings import selectors as meetings

from . import surveys
from .survey_models import QuestionKind, SurveyAudience

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=bounds.TEXT_NAME)
    introduction = forms.CharField(
        label=_("Inledning till den som svarar"),
        max_length=bounds.TEXT_PARAGRAPH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    audience = forms.ChoiceField(
        label=_("Vilka ska svara?"),
        choices=[(a.value, a.label) for a in surveys.BUILDER_AUDIENCES],
        widget=forms.RadioSelect,
    )
    forum = forms.ChoiceField(
        label=_("Forum (om medlemmarna i ett forum ska svara)"), required=False
    )
    forum_levels = forms.MultipleChoiceField(
        label=_("Efter möten i forum på de här nivåerna (om enkäten skickas efter möten)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    org_types = forms.MultipleChoiceField(
        label=_("Verksamheter"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Om personal i valda verksamheter ska svara: välj minst en. Efter möten eller "
            "avslutade ärenden: bara de här får enkäten (ingen vald: alla)."
        ),
    )
    closes_on = DateField(
        label=_("Sista dag att svara"), required=False, widget=_DATE, window=bounds.PLANNED
    )
    min_group = forms.IntegerField(
        label=_("Minsta gruppstorlek som visas"),
        min_value=surveys.MIN_GROUP_FLOOR,
        max_value=surveys.MIN_GROUP_CEILING,
        initial=5,
        help_text=_(
            "En verksamhet med färre svar än så visas inte för sig, så att ingen kan kännas igen."
        ),
    )
    with_climate_questions = forms.BooleanField(
        label=_("Börja med frågorna för en temperaturmätning av samverkansklimatet"),
        required=False,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._forums = {str(f.public_id): f for f in meetings.forum_list(actor)}
        self.fields["forum"].choices = [("", _("– Inget forum –"))] + [
            (k, f.name) for k, f in self._forums.items()
        ]
        self.fields["org_types"].choices = list(directory.organisation_type_labels().items())
        self.fields["forum_levels"].choices = list(meetings.forum_levels().items())

    def clean(self):
        data = super().clean()
        if data.get("audience") == SurveyAudience.FORUM and not data.get("forum"):
            self.add_error("forum", _("Välj ett forum."))
        if data.get("audience") == SurveyAudience.ORG_TYPES and not data.get("org_types"):
            self.add_error("org_types", _("Välj minst en sorts verksamhet."))
        if data.get("audience") == SurveyAudience.AFTER_MEETING and not data.get("forum_levels"):
            self.add_error(
                "forum_levels", _("Välj efter möten i vilka sorters forum enkäten ska skickas.")
            )
        return data

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["forum"] = self._forums.get(d["forum"]) if d.get("forum") else None
        return d


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Sorts fråga"),
        choices=[(k.value, k.label) for k in surveys.BUILDER_KINDS],
        initial=QuestionKind.YES_NO,
    )
    text = forms.CharField(label=_("Fråga"), max_length=bounds.TEXT_LINE)


YES_NO = [(1, _("Ja")), (0, _("Nej"))]
SCALE5 = [(n, str(n)) for n in range(1, 6)]


class AnswerForm(forms.Form):
    """One field per question, named ``q<position>``."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        for question in survey.questions.all():
            name = f"q{question.position}"
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=bounds.TEXT_PARAGRAPH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("Frivilligt. Skriv inget som kan peka ut dig eller någon annan."),
                )
            else:
                choices = YES_NO if question.kind == QuestionKind.YES_NO else SCALE5
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text, choices=choices, coerce=int, widget=forms.RadioSelect
                )

    def answers(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}
