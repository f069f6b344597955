"""The forms of a handover: whom to (a GET form), and the packet (a POST form built for
the chosen kind and ground)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from samverkan.consent import sharing
from samverkan.core import bounds
from samverkan.core.forms import needed_when
from samverkan.directory import selectors as directory
from samverkan.legal import catalogue

from . import kinds
from .models import GuardianNotice


class RecipientForm(forms.Form):
    till = forms.TypedChoiceField(
        label=gettext_lazy("Vilken verksamhet flyttar barnet till?"), coerce=int, choices=[]
    )

    def __init__(self, *args, own_organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["till"].choices = [
            (o.pk, o.name) for o in directory.organisation_choices() if o.pk != own_organisation_id
        ]


class PacketForm(forms.Form):
    conditions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Villkor du bekräftar"),
        help_text=gettext_lazy("Grunden kan bara användas om alla villkor är uppfyllda."),
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
        choices=[],
    )
    guardian_notice = forms.ChoiceField(
        label=gettext_lazy("Vårdnadshavarna"), widget=forms.RadioSelect, choices=[]
    )
    guardian_notice_note = forms.CharField(
        label=gettext_lazy("Varför ska vårdnadshavarna inte få veta om överlämningen?"),
        help_text=gettext_lazy("Bara när det kan skada barnet att de får veta."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
        required=False,
    )

    attached = forms.MultipleChoiceField(
        label=gettext_lazy("Bifoga en kopia av en SIP"),
        help_text=gettext_lazy(
            "Planer som din verksamhet har upprättat för barnet. Kopian följer med som den "
            "ser ut nu och prövas mot grunden som de andra uppgifterna."
        ),
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        required=False,
    )

    def __init__(
        self,
        *args,
        kind: kinds.Kind,
        ground: catalogue.Ground,
        carried,
        attachable=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if attachable:
            self.fields["attached"].choices = list(attachable)
        else:
            del self.fields["attached"]
        self.item_names = []
        for code, name in carried:
            field_name = f"item_{code}"
            # Each item may stay empty, but one must be written (handover.services).
            self.fields[field_name] = needed_when(
                forms.CharField(
                    label=gettext_lazy(name),
                    widget=forms.Textarea(attrs={"rows": 4}),
                    max_length=bounds.TEXT_PARAGRAPH,
                ),
                gettext_lazy("krävs i minst en av uppgifterna"),
            )
            self.item_names.append(field_name)
        if ground.judgement:
            self.fields["conditions"].choices = list(enumerate(ground.conditions))
        else:
            del self.fields["conditions"]
        if ground.code == sharing.CONSENT:
            del self.fields["guardian_notice"]
            del self.fields["guardian_notice_note"]
        else:
            choices = [(GuardianNotice.INFORMED, GuardianNotice.INFORMED.label)]
            if kind.may_withhold_notice:
                choices.append((GuardianNotice.WITHHELD, GuardianNotice.WITHHELD.label))
            else:
                del self.fields["guardian_notice_note"]
            self.fields["guardian_notice"].choices = choices

    def item_fields(self):
        return [self[name] for name in self.item_names]


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Varför avvisar ni överlämningen?"),
        help_text=gettext_lazy(
            "Till exempel: fel skola, eller barnet kommer inte hit. Avsändaren får se skälet."
        ),
        max_length=bounds.TEXT_PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Skriv varför överlämningen avvisas."),
            "max_length": gettext_lazy("Skälet får vara högst %(limit_value)d tecken."),
        },
    )
