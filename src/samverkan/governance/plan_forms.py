"""Input validation for the strategy plan pages. Rules live in plan_services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded
from samverkan.directory import selectors as directory

from . import indicators
from .models import ActivityStatus, ReportKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _period_start() -> forms.DateField:
    """A period's first day, as the plan, report and situation-picture forms ask it."""
    return bounded.DateField(
        window=bounds.ANY_DATE, label=gettext_lazy("Perioden börjar"), widget=_DATE
    )


def _period_end(help_text) -> forms.DateField:
    """A period's end: the first day after it."""
    return bounded.DateField(
        window=bounds.ANY_DATE,
        label=gettext_lazy("Perioden slutar"),
        widget=_DATE,
        help_text=help_text,
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=bounds.TEXT_NAME)
    summary = forms.CharField(
        label=gettext_lazy("Sammanfattning"),
        max_length=bounds.TEXT_DOCUMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    period_start = _period_start()
    period_end = _period_end(gettext_lazy("Första dagen efter perioden."))


class GoalForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Mål"), max_length=bounds.TEXT_LINE)
    description = forms.CharField(
        label=gettext_lazy("Beskrivning"),
        max_length=bounds.TEXT_PARAGRAPH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FocusAreaForm(GoalForm):
    title = forms.CharField(label=gettext_lazy("Fokusområde"), max_length=bounds.TEXT_LINE)


class ActivityForm(forms.Form):
    focus_area = forms.ChoiceField(label=gettext_lazy("Fokusområde"))
    title = forms.CharField(label=gettext_lazy("Aktivitet"), max_length=bounds.TEXT_LINE)
    owner_organisation = bounded.ModelChoiceField(
        label=gettext_lazy("Ansvarig organisation"), queryset=directory.organisation_choices()
    )
    owner_function = bounded.ModelChoiceField(
        label=gettext_lazy("Ansvarig funktion"), queryset=directory.function_choices()
    )
    due = bounded.DateField(
        window=bounds.PLANNED, label=gettext_lazy("Klar senast"), required=False, widget=_DATE
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].choices = [
            (str(a.public_id), a.title) for a in plan.focus_areas.all()
        ]


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActivityStatus.choices)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=bounds.TEXT_NAME)
    definition = forms.ChoiceField(
        label=gettext_lazy("Hur indikatorn räknas"),
        required=False,
        help_text=gettext_lazy(
            "Välj en definition för att räkna fram värdena ur Samverkan, eller fyll i dem för hand."
        ),
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Enhet (för indikatorer som fylls i för hand)"),
        choices=[(indicators.COUNT, "Antal per månad"), (indicators.SHARE, "Andel i procent")],
        required=False,
    )
    goal = forms.ChoiceField(label=gettext_lazy("Mål"), required=False)
    baseline = forms.CharField(
        label=gettext_lazy("Utgångsvärde"), max_length=bounds.NUMBER_AS_TYPED, required=False
    )
    baseline_label = forms.CharField(
        label=gettext_lazy("Utgångsvärdet gäller"), max_length=bounds.TEXT_LINE, required=False
    )
    target = forms.CharField(
        label=gettext_lazy("Målvärde"), max_length=bounds.NUMBER_AS_TYPED, required=False
    )
    target_label = forms.CharField(
        label=gettext_lazy("Målvärdet ska nås"), max_length=bounds.TEXT_LINE, required=False
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["definition"].choices = [
            ("", "– Fylls i för hand –"),
            *indicators.choices(),
        ]
        self.fields["goal"].choices = [
            ("", "– Inget särskilt mål –"),
            *[(str(g.public_id), g.title) for g in plan.goals.all()],
        ]


class ValueForm(forms.Form):
    month = bounded.DateField(
        window=bounds.ANY_DATE,
        label=gettext_lazy("Månad"),
        widget=_MONTH,
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    value = forms.CharField(label=gettext_lazy("Värde"), max_length=bounds.NUMBER_AS_TYPED)
    note = forms.CharField(
        label=gettext_lazy("Kommentar"), max_length=bounds.TEXT_LINE, required=False
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Sort"),
        choices=ReportKind.choices,
    )
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=bounds.TEXT_NAME)
    period_start = _period_start()
    period_end = _period_end(gettext_lazy("Första dagen efter perioden."))
    analysis = forms.CharField(
        label=gettext_lazy("Analys"),
        max_length=bounds.TEXT_DOCUMENT,
        required=False,
        help_text=gettext_lazy(
            "Skriv # före en rubrik och - före en punkt. Siffrorna läggs till och låses "
            "när du sparar. Skriv aldrig något om enskilda barn."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class ItemEditForm(GoalForm):
    """Changing a goal or a focus area (``version``: the one the page was read at)."""

    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=bounds.TEXT_LINE)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class ActivityEditForm(ActivityForm):
    description = forms.CharField(
        label=gettext_lazy("Beskrivning"),
        max_length=bounds.TEXT_PARAGRAPH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActivityStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class SituationPictureForm(forms.Form):
    """The period of a crime-prevention situation picture (sent with GET: it only reads)."""

    period_start = _period_start()
    period_end = _period_end(gettext_lazy("Första dagen efter perioden. Högst 36 månader."))
