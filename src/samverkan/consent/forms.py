"""Input parsing for the consent pages. The rules are in services.py."""

from django import forms
from django.utils.translation import gettext, gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded
from samverkan.core.errors import DomainError
from samverkan.people import identity
from samverkan.people import selectors as people
from samverkan.people import services as people_services

from .models import ConsentContext, ConsentForm, InformationCategory, Purpose
from .services import NewGuardian


class GiveForm(forms.Form):
    parties = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Mellan vilka verksamheter får uppgifter lämnas?"),
        help_text=gettext_lazy("Din egen verksamhet ingår alltid."),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Vilka slags uppgifter?"),
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    purposes = forms.MultipleChoiceField(
        label=gettext_lazy("För vilka syften?"), widget=forms.CheckboxSelectMultiple, choices=[]
    )
    exclusions = forms.CharField(
        label=gettext_lazy("Vad samtycket inte omfattar"),
        help_text=gettext_lazy("Skriv med familjens egna ord, t.ex. ”inget om mammans hälsa”."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    form = forms.ChoiceField(label=gettext_lazy("Hur ges samtycket?"), choices=ConsentForm.choices)
    context = forms.ChoiceField(
        label=gettext_lazy("I vilket sammanhang ges samtycket?"),
        help_text=gettext_lazy(
            "Ett samtycke som ges vid frivilliga insatser gäller inte om ärendet blir en "
            "anmälan eller utredning."
        ),
        choices=ConsentContext.choices,
    )
    valid_from = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Gäller från"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_until = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Gäller till och med"),
        required=False,
        help_text=gettext_lazy("Lämna tomt för standardtiden."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    child_views = forms.CharField(
        label=gettext_lazy("Barnets egna synpunkter"),
        help_text=gettext_lazy("Ska dokumenteras när barnet är 12 år eller äldre."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    note = forms.CharField(
        label=gettext_lazy("Anteckning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    givers = forms.MultipleChoiceField(
        label=gettext_lazy("Vem har redan samtyckt?"),
        help_text=gettext_lazy("Lämna tomt om formuläret ska skrivas ut och undertecknas först."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    given_on = bounded.DateField(
        window=bounds.PAST_EVENT,
        label=gettext_lazy("Datum för samtycket"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Hur samtycket gavs"), choices=ConsentForm.choices, required=False
    )

    def __init__(self, *args, organisations=(), own_organisation_id=None, giver_choices=(), **kw):
        super().__init__(*args, **kw)
        self.fields["parties"].choices = [
            (o.pk, o.name) for o in organisations if o.pk != own_organisation_id
        ]
        self.fields["categories"].choices = [
            (c.code, gettext(c.name)) for c in InformationCategory.objects.filter(is_active=True)
        ]
        self.fields["purposes"].choices = [
            (p.code, gettext(p.name)) for p in Purpose.objects.filter(is_active=True)
        ]
        self.fields["givers"].choices = list(giver_choices)


class SignForm(forms.Form):
    givers = forms.MultipleChoiceField(
        label=gettext_lazy("Vem har samtyckt?"), widget=forms.CheckboxSelectMultiple, choices=[]
    )
    given_on = bounded.DateField(
        window=bounds.PAST_EVENT,
        label=gettext_lazy("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    method = forms.ChoiceField(label=gettext_lazy("Hur"), choices=ConsentForm.choices)

    def __init__(self, *args, giver_choices=(), **kw):
        super().__init__(*args, **kw)
        self.fields["givers"].choices = list(giver_choices)


class RevokeForm(forms.Form):
    prefix = "revoke"
    givers = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Vem återkallar?"),
        help_text=gettext_lazy("Det räcker att en person återkallar för att inget mer ska delas."),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    note = forms.CharField(
        label=gettext_lazy("Anteckning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )

    def __init__(self, *args, giver_choices=(), **kw):
        super().__init__(*args, **kw)
        self.fields["givers"].choices = list(giver_choices)


class NewGuardianForm(forms.Form):
    """A guardian's identity, given on the consent form when the organisation has not
    recorded the child's guardians (recorded in its own register when saved)."""

    first_name = forms.CharField(label=gettext_lazy("Förnamn"), max_length=bounds.TEXT_PERSON_NAME)
    last_name = forms.CharField(label=gettext_lazy("Efternamn"), max_length=bounds.TEXT_PERSON_NAME)
    personal_number = forms.CharField(
        label=gettext_lazy("Personnummer"), max_length=bounds.NUMBER_AS_TYPED
    )
    custody_type = forms.ChoiceField(
        label=gettext_lazy("Vårdnad"), choices=people.custody_type_choices
    )
    consented = forms.BooleanField(label=gettext_lazy("Har samtyckt"), required=False)

    def clean_personal_number(self):
        try:
            return identity.parse(self.cleaned_data["personal_number"]).number
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


# Up to two rows; a row left empty is skipped.
NewGuardianFormSet = forms.formset_factory(NewGuardianForm, extra=2, max_num=2)


def registered_initial(registered) -> list[dict]:
    """The guardian rows pre-filled from the population register's answer."""
    if registered is None:
        return []
    return [
        {
            "first_name": g.first_name,
            "last_name": g.last_name,
            "personal_number": f"{g.personal_number[:8]}-{g.personal_number[8:]}",
            "custody_type": registered.custody_type,
        }
        for g in registered.guardians
    ]


def new_guardians(formset, registered, given_on, method) -> list:
    """The guardians given on the form (rows left empty are skipped); a row exactly as
    the population register gave it is recorded with the register as its source."""
    if formset is None or not formset.is_bound:
        return []
    from_register = {
        (g.first_name, g.last_name, g.personal_number)
        for g in (registered.guardians if registered else ())
    }
    result = []
    for row in formset.cleaned_data:
        if not row:
            continue
        number = row["personal_number"]  # normalised by the form
        result.append(
            NewGuardian(
                guardian=people_services.GuardianInput(
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    personal_number=number,
                    custody_type=row["custody_type"],
                ),
                consented=row["consented"],
                given_on=given_on,
                method=method,
                source="population_register"
                if (row["first_name"], row["last_name"], number) in from_register
                else "manual",
            )
        )
    return result
