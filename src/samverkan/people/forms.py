"""Input validation for the children pages. Rules live in services; forms only parse."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded

from . import contexts, identity
from .models import CustodyType, IdentityCheck, InvolvementContext


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Personnummer eller namn"),
        required=False,
        max_length=bounds.TEXT_PERSON_NAME,
    )


class LookupForm(forms.Form):
    personal_number = forms.CharField(
        label=gettext_lazy("Personnummer eller samordningsnummer"),
        max_length=bounds.NUMBER_AS_TYPED,
        help_text=gettext_lazy("12 siffror, t.ex. 20120315-1234"),
    )


class RegisterForm(forms.Form):
    personal_number = forms.CharField(
        label=gettext_lazy("Personnummer eller samordningsnummer"),
        max_length=bounds.NUMBER_AS_TYPED,
    )
    first_name = forms.CharField(label=gettext_lazy("Förnamn"), max_length=bounds.TEXT_PERSON_NAME)
    last_name = forms.CharField(label=gettext_lazy("Efternamn"), max_length=bounds.TEXT_PERSON_NAME)
    context = forms.ChoiceField(
        label=gettext_lazy("Varför har verksamheten kontakt med barnet?"),
        choices=InvolvementContext.choices,
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Enhet"), required=False, coerce=int, empty_value=None, choices=[]
    )
    note = forms.CharField(
        max_length=bounds.TEXT_PARAGRAPH,
        label=gettext_lazy("Anteckning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    protected_identity = forms.BooleanField(
        label=gettext_lazy("Barnet har skyddade personuppgifter"), required=False
    )
    street_address = forms.CharField(
        label=gettext_lazy("Gatuadress"), required=False, max_length=bounds.TEXT_NAME
    )
    postal_code = forms.CharField(
        label=gettext_lazy("Postnummer"), required=False, max_length=bounds.POSTAL_CODE
    )
    city = forms.CharField(
        label=gettext_lazy("Ort"), required=False, max_length=bounds.TEXT_PERSON_NAME
    )

    def __init__(self, *args, units=(), org_type: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_contexts(self, org_type)
        self.fields["unit"].choices = [("", _("Ingen särskild enhet"))] + [
            (u.pk, u.name) for u in units
        ]


class GuardianForm(forms.Form):
    prefix = "guardian"
    first_name = forms.CharField(label=gettext_lazy("Förnamn"), max_length=bounds.TEXT_PERSON_NAME)
    last_name = forms.CharField(label=gettext_lazy("Efternamn"), max_length=bounds.TEXT_PERSON_NAME)
    personal_number = forms.CharField(
        label=gettext_lazy("Personnummer"), required=False, max_length=bounds.NUMBER_AS_TYPED
    )
    custody_type = forms.ChoiceField(label=gettext_lazy("Vårdnad"), choices=CustodyType.choices)
    phone = forms.CharField(
        label=gettext_lazy("Telefon"), required=False, max_length=bounds.TEXT_SHORT
    )
    email = forms.EmailField(label=gettext_lazy("E-post"), required=False)


class GuardianCorrectForm(GuardianForm):
    """Correct the organisation's record of one guardian. The prefix names the guardian,
    so that every form on the child's page has its own field ids."""

    prefix = None
    reason = forms.CharField(
        label=gettext_lazy("Varför rättas uppgifterna?"),
        help_text=gettext_lazy("T.ex. felstavat namn eller fel personnummer. Sparas i historiken."),
        max_length=bounds.TEXT_LINE,
    )


class CustodyEndForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Varför avslutas vårdnaden?"),
        help_text=gettext_lazy("T.ex. ändrad vårdnad enligt dom, eller registrerad av misstag."),
        max_length=bounds.TEXT_LINE,
    )


class GuardianReplaceForm(GuardianForm):
    """Replace one guardian with another person (the old custody ends)."""

    prefix = None
    reason = forms.CharField(
        label=gettext_lazy("Varför ersätts vårdnadshavaren?"),
        help_text=gettext_lazy("T.ex. fel person registrerad, eller vårdnaden har flyttats."),
        max_length=bounds.TEXT_LINE,
    )


def guardian_prefix(guardian_public_id, action: str) -> str:
    return f"g{str(guardian_public_id).replace('-', '')[:12]}-{action}"


def guardian_action_forms(custodies) -> list[tuple]:
    """Per current guardian: the correct, end and replace forms, each with its own
    prefix (and so its own field ids)."""
    actions = []
    for c in custodies:
        g = c.guardian
        actions.append(
            (
                c,
                GuardianCorrectForm(
                    prefix=guardian_prefix(g.public_id, "ratta"),
                    initial={
                        "first_name": g.first_name,
                        "last_name": g.last_name,
                        "personal_number": identity.parse(g.personal_number).display
                        if g.personal_number
                        else "",
                        "custody_type": c.custody_type,
                        "phone": g.phone,
                        "email": g.email,
                    },
                ),
                CustodyEndForm(prefix=guardian_prefix(g.public_id, "avsluta")),
                GuardianReplaceForm(
                    prefix=guardian_prefix(g.public_id, "ersatt"),
                    initial={"custody_type": c.custody_type},
                ),
            )
        )
    return actions


class EidasLinkForm(forms.Form):
    """Link a guardian's foreign eID (eIDAS) to the organisation's record of them, after
    checking their identity in person (decision 0310)."""

    identifier = forms.CharField(
        label=gettext_lazy("Koden från e-tjänsten"),
        help_text=gettext_lazy(
            "Vårdnadshavaren får koden när hen loggar in på familjens sidor med sin utländska "
            "e-legitimation, t.ex. DE:abc123."
        ),
        max_length=bounds.TEXT_NAME,
    )
    checked_how = forms.ChoiceField(
        label=gettext_lazy("Hur kontrollerade du identiteten?"),
        choices=[("", gettext_lazy("Välj")), *IdentityCheck.choices],
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Jag har träffat personen, kontrollerat handlingen och att namnet stämmer med "
            "vårdnadshavaren."
        ),
    )


class EidasRevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Varför tas kopplingen bort?"),
        help_text=gettext_lazy("T.ex. fel person, eller vårdnadshavaren har fått personnummer."),
        max_length=bounds.TEXT_LINE,
    )


def eidas_prefix(link_public_id) -> str:
    return f"l{str(link_public_id).replace('-', '')[:12]}-eidasav"


class EnrolmentForm(forms.Form):
    prefix = "enrol"
    school_year = forms.CharField(
        label=gettext_lazy("Årskurs eller avdelning"),
        required=False,
        max_length=bounds.NUMBER_AS_TYPED,
    )
    class_name = forms.CharField(
        label=gettext_lazy("Klass"), required=False, max_length=bounds.TEXT_SHORT
    )
    start_date = bounded.DateField(
        window=bounds.RECORDED,
        label=gettext_lazy("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ProtectedNeedForm(forms.Form):
    prefix = "need"
    need = forms.CharField(
        label=gettext_lazy("Varför behöver verksamheten barnets adress och skola?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_NOTE,
    )


class EndInvolvementForm(forms.Form):
    prefix = "end"
    reason = forms.CharField(
        label=gettext_lazy("Anledning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )


class ContextForm(forms.Form):
    prefix = "ctx"
    context = forms.ChoiceField(
        label=gettext_lazy("Ärendet gäller nu"), choices=InvolvementContext.choices
    )
    reason = forms.CharField(
        label=gettext_lazy("Anledning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_NOTE,
    )

    def __init__(self, *args, org_type: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_contexts(self, org_type)


def _offer_contexts(form: forms.Form, org_type: str | None) -> None:
    """Offer only the characters the organisation type may give a matter
    (data/matter_contexts.yaml). The field still parses every character: one the
    organisation may not use is refused by the service, with the reason in Swedish."""
    if org_type is not None:
        form.fields["context"].widget.choices = contexts.choices_for(org_type)
