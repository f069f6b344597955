"""Loggkontroll's forms: who (a child's personnummer, sent with POST), and the filters
(period, unit, user, action, outcome), validated and bounded."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core import bounds
from samverkan.core import forms as bounded
from samverkan.core.errors import ValidationFailed

from .models import Action, Outcome
from .selectors import LogFilter


class SubjectForm(forms.Form):
    personnummer = forms.CharField(
        label=_("Barnets personnummer"), max_length=bounds.NUMBER_AS_TYPED
    )


def _bounded(value):
    try:
        return bounds.check_date(value, window=bounds.PAST_EVENT)
    except ValidationFailed as exc:
        raise forms.ValidationError(exc.message, code="bounds") from exc


class LogFilterForm(forms.Form):
    date_from = bounded.DateField(
        window=bounds.RECORDED,
        label=_("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = bounded.DateField(
        window=bounds.RECORDED,
        label=_("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    unit = forms.ChoiceField(label=_("Enhet"), required=False)
    username = forms.CharField(
        label=_("Användarnamn"),
        required=False,
        max_length=bounds.TEXT_USERNAME,
        widget=forms.TextInput(attrs={"list": "usernames", "autocomplete": "off"}),
    )
    action = forms.ChoiceField(
        label=_("Åtgärd"), required=False, choices=[("", _("Alla")), *Action.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Utfall"), required=False, choices=[("", _("Alla")), *Outcome.choices]
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Alla")), *((u, u) for u in units)]

    def clean_date_from(self):
        return _bounded(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return _bounded(self.cleaned_data.get("date_to"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Slutdatumet kan inte vara före startdatumet."))
        return data

    def filters(self) -> LogFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return LogFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            unit=data.get("unit") or "",
            username=(data.get("username") or "").strip(),
            action=data.get("action") or "",
            outcome=data.get("outcome") or "",
        )

    def fields_to_resend(self) -> list[tuple[str, str]]:
        """The filters as (name, value) pairs, for the pager and the export buttons."""
        if not self.is_bound:
            return []
        return [(name, self.data.get(name)) for name in self.fields if self.data.get(name)]
