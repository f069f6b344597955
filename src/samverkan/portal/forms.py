"""The portal's forms. Each act on a consent asks the person to confirm that they have
read what it means; the note on a revocation is bounded (core.bounds)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samverkan.core import bounds
from samverkan.core import forms as bounded
from samverkan.core.forms import needed_when


class SignForm(forms.Form):
    prefix = "sign"  # several forms on one page: unique field ids
    confirm = forms.BooleanField(
        label=_("Jag har läst vad samtycket gäller och samtycker till det."),
        error_messages={"required": _("Kryssa i rutan för att skriva under.")},
    )
    # The digest of the text shown (portal.receipt): the signature is for that text.
    text_sha256 = forms.CharField(
        widget=forms.HiddenInput, max_length=bounds.TEXT_IDENTIFIER, required=False
    )

    def __init__(self, *args, shown_digest: str | None = None, **kwargs):
        """``shown_digest``: the digest of the text the page shows now; None where the
        page offers no signing (the rules engine then says why)."""
        super().__init__(*args, **kwargs)
        self.shown_digest = shown_digest
        if not self.is_bound and shown_digest:
            self.initial["text_sha256"] = shown_digest

    def clean(self):
        data = super().clean()
        if self.shown_digest is not None and data.get("text_sha256", "") != self.shown_digest:
            raise forms.ValidationError(
                _(
                    "Samtycket har ändrats sedan sidan visades. Läs igenom det igen innan du "
                    "skriver under."
                )
            )
        return data


class RevokeForm(forms.Form):
    prefix = "revoke"
    note = forms.CharField(
        label=_("Meddelande till verksamheten"),
        required=False,
        max_length=bounds.TEXT_PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Jag vill återkalla samtycket."),
        error_messages={"required": _("Kryssa i rutan för att återkalla.")},
    )


class NarrowForm(forms.Form):
    prefix = "narrow"
    parties = forms.MultipleChoiceField(
        label=_("Verksamheter som inte längre ska få uppgifter"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("Slags uppgifter som inte längre ska lämnas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(
        label=_("Jag vill inskränka samtycket."),
        error_messages={"required": _("Kryssa i rutan för att inskränka.")},
    )

    def __init__(self, *args, view=None, **kwargs):
        super().__init__(*args, **kwargs)
        if view is not None:
            self.fields["parties"].choices = [
                (str(pid), name) for pid, name, registering in view.parties if not registering
            ]
            # The standard categories' names are in the catalogue (consent.models).
            self.fields["categories"].choices = [
                (code, gettext(name)) for code, name in view.categories
            ]

    def clean(self):
        data = super().clean()
        if not data.get("parties") and not data.get("categories"):
            raise forms.ValidationError(_("Välj vad du vill ta bort ur samtycket."))
        return data


class StatementForm(forms.Form):
    """What is important to you (before the meeting), or the young person's own words
    and goals: one bounded text."""

    text = forms.CharField(
        label=_("Skriv med dina egna ord"),
        max_length=bounds.TEXT_NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Skriv något i rutan innan du skickar."),
            "max_length": _("Texten får vara högst %(limit_value)d tecken (nu %(show_value)d)."),
        },
    )

    def __init__(self, *args, prefix: str, label: str, help_text: str = "", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = help_text


class AnswerForm(forms.Form):
    """The answer to the call to the SIP meeting."""

    prefix = "answer"
    reply = forms.ChoiceField(
        label=_("Ditt svar"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett svar.")},
    )
    proposed_on = needed_when(
        bounded.DateField(
            window=bounds.PLANNED,
            label=_("Dag du föreslår"),
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": _("Skriv dagen som ÅÅÅÅ-MM-DD.")},
        ),
        _("om du föreslår en annan tid"),
    )
    proposed_time = needed_when(
        forms.TimeField(
            label=_("Tid du föreslår"),
            widget=forms.TimeInput(attrs={"type": "time"}),
            error_messages={"invalid": _("Skriv tiden som TT:MM.")},
        ),
        _("om du föreslår en annan tid"),
    )
    message = forms.CharField(
        label=_("Meddelande till samordnaren (om du vill)"),
        required=False,
        max_length=bounds.TEXT_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].choices = list(choices)

    def clean(self):
        data = super().clean()
        if data.get("reply") == "propose":
            if not data.get("proposed_on"):
                self.add_error("proposed_on", _("Skriv vilken dag du föreslår."))
            if not data.get("proposed_time"):
                self.add_error("proposed_time", _("Skriv vilken tid du föreslår."))
        return data


class ContactForm(forms.Form):
    """Where the family member wants to be told that something new waits in the portal
    (decision 0339). Both empty: nothing is sent. Checked by ``notices.contact_set``
    (Django's e-mail validator; a mobile number as the staff SMS takes it)."""

    prefix = "contact"
    email = forms.CharField(
        label=_("E-postadress"),
        required=False,
        max_length=bounds.TEXT_EMAIL,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"max_length": _("Skriv en e-postadress, till exempel namn@exempel.se.")},
    )
    sms_number = forms.CharField(
        label=_("Mobilnummer för sms"),
        required=False,
        max_length=bounds.TEXT_SHORT,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"max_length": _("Skriv ett mobilnummer, till exempel 070-123 45 67.")},
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # What is shown again is bounded too: one character past the limit still
            # fails the length check, a megabyte is not echoed back.
            data = data.copy()
            for name in ("email", "sms_number"):
                key = f"{self.prefix}-{name}"
                if key in data:
                    data[key] = data[key][: self.base_fields[name].max_length + 1]
        super().__init__(data, *args, **kwargs)
