"""The portal's forms. Each act on a consent asks the person to confirm that they have
read what it means; the note on a revocation is bounded (core.bounds)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core import bounds


class SignForm(forms.Form):
    prefix = "sign"  # several forms on one page: unique field ids
    confirm = forms.BooleanField(
        label=_("Jag har läst vad samtycket gäller och samtycker till det."),
        error_messages={"required": _("Kryssa i rutan för att skriva under.")},
    )


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
            self.fields["categories"].choices = list(view.categories)

    def clean(self):
        data = super().clean()
        if not data.get("parties") and not data.get("categories"):
            raise forms.ValidationError(_("Välj vad du vill ta bort ur samtycket."))
        return data
