"""Forms of the administration pages. They parse input; the rules are in
``administration`` (services), which every page calls."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded

from .administration import ASSIGNABLE_PERMISSIONS
from .imports import kinds
from .models import OrganisationType, PrincipalKind


def _text(label, *, required=True, max_length=bounds.TEXT_NAME, help_text=""):
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text
    )


def _area(label, *, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=bounds.TEXT_PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PrincipalForm(forms.Form):
    name = _text(gettext_lazy("Namn"))
    kind = forms.ChoiceField(label=gettext_lazy("Typ av huvudman"), choices=PrincipalKind.choices)
    organisation_number = _text(
        gettext_lazy("Organisationsnummer"),
        required=False,
        max_length=bounds.NUMBER_AS_TYPED,
        help_text=gettext_lazy("T.ex. 212000-0142"),
    )


class OrganisationForm(forms.Form):
    principal = forms.TypedChoiceField(label=gettext_lazy("Huvudman"), coerce=int, choices=[])
    name = _text(gettext_lazy("Namn"))
    org_type = forms.ChoiceField(
        label=gettext_lazy("Typ av verksamhet"), choices=OrganisationType.choices
    )
    description = _area(gettext_lazy("Beskrivning"))
    phone = _text(gettext_lazy("Telefon"), required=False, max_length=bounds.TEXT_SHORT)
    email = forms.EmailField(
        label=gettext_lazy("E-post"), required=False, max_length=bounds.TEXT_EMAIL
    )
    password_login = forms.BooleanField(
        label=gettext_lazy(
            "Personalen får logga in med lösenord och tvåstegsverifiering i stället för "
            "e-legitimation"
        ),
        required=False,
    )
    is_active = forms.BooleanField(label=gettext_lazy("Aktiv"), required=False, initial=True)

    def __init__(self, *args, principals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal"].choices = [(p.pk, p.name) for p in principals]


class UnitForm(forms.Form):
    name = _text(gettext_lazy("Namn"))
    description = _area(gettext_lazy("Beskrivning"))
    min_age = bounded.IntegerField(
        label=gettext_lazy("Lägsta ålder"), required=False, min_value=0, max_value=25
    )
    max_age = bounded.IntegerField(
        label=gettext_lazy("Högsta ålder"), required=False, min_value=0, max_value=25
    )
    is_active = forms.BooleanField(label=gettext_lazy("Aktiv"), required=False, initial=True)


class FunctionForm(forms.Form):
    name = _text(gettext_lazy("Namn"), max_length=bounds.TEXT_PERSON_NAME)
    description = _area(gettext_lazy("Beskrivning"))
    permissions = forms.MultipleChoiceField(
        label=gettext_lazy("Behörigheter"),
        required=False,
        choices=[(p.value, p.label) for p in ASSIGNABLE_PERMISSIONS],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Utan behörigheter ser funktionen inga uppgifter om barn."),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Aktiv"), required=False, initial=True)


class StaffForm(forms.Form):
    first_name = _text(gettext_lazy("Förnamn"), max_length=bounds.TEXT_USERNAME)
    last_name = _text(gettext_lazy("Efternamn"), max_length=bounds.TEXT_USERNAME)
    email = forms.EmailField(
        label=gettext_lazy("E-post"), required=False, max_length=bounds.TEXT_EMAIL
    )
    personnummer = _text(
        gettext_lazy("Personnummer"),
        required=False,
        max_length=bounds.IDENTITY_NUMBER,
        help_text=gettext_lazy(
            "ÅÅÅÅMMDD-NNNN. Med det känns personen igen vid inloggning med e-legitimation."
        ),
    )
    hsa_id = _text(
        gettext_lazy("HSA-id"),
        required=False,
        max_length=bounds.TEXT_IDENTIFIER,
        help_text=gettext_lazy("För SITHS-kort, t.ex. SE2321000016-1234."),
    )
    # The functions' names are data, in Swedish (as everywhere they are shown).
    function = forms.TypedChoiceField(
        label=gettext_lazy("Funktion"),
        coerce=int,
        choices=[],
        widget=forms.Select(attrs={"lang": "sv"}),
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Enhet"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args, functions=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].choices = [(f.pk, f.name) for f in functions]
        self.fields["unit"].choices = [("", _("Ingen särskild enhet"))] + [
            (u.pk, u.name) for u in units
        ]


class NewStaffForm(StaffForm):
    username = _text(
        gettext_lazy("Användarnamn"),
        required=False,
        max_length=bounds.TEXT_USERNAME,
        help_text=gettext_lazy("Lämna tomt så bildas det av namnet."),
    )
    field_order = ["first_name", "last_name", "username", "email", "personnummer", "hsa_id"]


class ContactFunctionForm(forms.Form):
    title = _text(gettext_lazy("Namn"), help_text=gettext_lazy("T.ex. Kontaktsocialsekreterare"))
    served_organisation = forms.TypedChoiceField(
        label=gettext_lazy("Verksamhet som funktionen finns för"), coerce=int, choices=[]
    )
    description = _area(gettext_lazy("Beskrivning"))
    phone = _text(gettext_lazy("Telefon"), required=False, max_length=bounds.TEXT_SHORT)
    email = forms.EmailField(
        label=gettext_lazy("E-post"), required=False, max_length=bounds.TEXT_EMAIL
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served_organisation"].choices = [(o.pk, o.name) for o in organisations]


class HandOverForm(forms.Form):
    membership = forms.TypedChoiceField(label=gettext_lazy("Ny innehavare"), coerce=int, choices=[])
    from_date = bounded.DateField(
        window=bounds.RECORDED,
        label=gettext_lazy("Från och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.user.get_full_name()} ({m.function.name})") for m in memberships
        ]
        self.fields["from_date"].initial = timezone.localdate()


class VacateForm(forms.Form):
    to_date = bounded.DateField(
        window=bounds.RECORDED,
        label=gettext_lazy("Till och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_date"].initial = timezone.localdate()


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Vad importeras"), choices=[])
    file = forms.FileField(
        label=gettext_lazy("Fil"),
        help_text=gettext_lazy(
            "CSV (UTF-8, komma eller semikolon) eller Excel (.xlsx), med rubriker på första raden."
        ),
    )

    def __init__(self, *args, allowed_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, _(v)) for k, v in kinds().items() if k in allowed_kinds]
