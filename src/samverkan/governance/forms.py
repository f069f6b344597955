"""Input validation for agreements and comments. Rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded
from samverkan.directory import selectors as directory
from samverkan.meetings import selectors as meetings

from . import selectors
from .models import AgreementKind, AgreementStatus, CommentKind
from .services import AgreementData

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BODY_HELP = gettext_lazy(
    "Skriv # före en rubrik (## för en underrubrik), - före en punkt i en lista och "
    "lämna en tom rad mellan stycken. Skriv aldrig något om enskilda barn här."
)


class AgreementForm(forms.Form):
    version = bounded.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=bounds.TEXT_NAME)
    kind = forms.ChoiceField(label=gettext_lazy("Sort"), choices=AgreementKind.choices)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=AgreementStatus.choices)
    summary = forms.CharField(
        label=gettext_lazy("Sammanfattning"), max_length=bounds.TEXT_LINE, required=False
    )
    body = forms.CharField(
        label=gettext_lazy("Text"),
        help_text=BODY_HELP,
        max_length=bounds.TEXT_DOCUMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
    )
    owner_organisation = bounded.ModelChoiceField(
        label=gettext_lazy("Dokumentägare: organisation"), queryset=directory.organisation_choices()
    )
    owner_function = bounded.ModelChoiceField(
        label=gettext_lazy("Dokumentägare: funktion"), queryset=directory.function_choices()
    )
    decision_forum = forms.ChoiceField(label=gettext_lazy("Beslutsorgan"), required=False)
    decided_on = bounded.needed_when(
        bounded.DateField(window=bounds.RECORDED, label=gettext_lazy("Beslutad"), widget=_DATE),
        gettext_lazy("krävs för ett gällande dokument"),
    )
    valid_until = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Giltig till"),
        required=False,
        widget=_DATE,
        help_text=gettext_lazy("Lämna tomt om dokumentet gäller tills vidare."),
    )
    review_on = bounded.DateField(
        window=bounds.PLANNED,
        label=gettext_lazy("Ses över senast"),
        required=False,
        widget=_DATE,
        help_text=gettext_lazy("Dokumentägaren får en påminnelse på sin startsida 30 dagar innan."),
    )
    parties = bounded.ModelMultipleChoiceField(
        label=gettext_lazy("Parter"),
        queryset=directory.organisation_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Personalen i parternas verksamheter kan läsa dokumentet."),
    )
    forums = forms.MultipleChoiceField(
        label=gettext_lazy("Forum som dokumentet gäller"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    knowledge_links = forms.MultipleChoiceField(
        label=gettext_lazy("Länkar till kunskapsstödet"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Vad har ändrats och varför?"),
        max_length=bounds.TEXT_LINE,
        required=False,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._forums = {str(f.public_id): f for f in meetings.forum_list(actor)}
        forum_choices = [(k, f.name) for k, f in self._forums.items()]
        self.fields["decision_forum"].choices = [("", "– Inget forum –"), *forum_choices]
        self.fields["forums"].choices = forum_choices
        self.fields["knowledge_links"].choices = selectors.knowledge_link_choices()

    def agreement_data(self) -> AgreementData:
        d = self.cleaned_data
        return AgreementData(
            title=d["title"],
            kind=d["kind"],
            status=d["status"],
            summary=d["summary"],
            body=d["body"],
            owner_organisation=d["owner_organisation"],
            owner_function=d["owner_function"],
            decision_forum=self._forums.get(d["decision_forum"]) if d["decision_forum"] else None,
            decided_on=d["decided_on"],
            valid_until=d["valid_until"],
            review_on=d["review_on"],
            parties=list(d["parties"]),
            forums=[self._forums[k] for k in d["forums"]],
            knowledge_links=list(d["knowledge_links"]),
        )

    @staticmethod
    def initial_for(agreement) -> dict:
        return {
            "version": agreement.version,
            "title": agreement.title,
            "kind": agreement.kind,
            "status": agreement.status,
            "summary": agreement.summary,
            "body": agreement.body,
            "owner_organisation": agreement.owner_organisation_id,
            "owner_function": agreement.owner_function_id,
            "decision_forum": str(agreement.decision_forum.public_id)
            if agreement.decision_forum
            else "",
            "decided_on": agreement.decided_on,
            "valid_until": agreement.valid_until,
            "review_on": agreement.review_on,
            "parties": [p.organisation_id for p in agreement.parties.all()],
            "forums": [str(f.public_id) for f in agreement.forums.all()],
            "knowledge_links": list(agreement.knowledge_links),
        }


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Vad vill du lämna?"),
        choices=CommentKind.choices,
        widget=forms.RadioSelect,
        initial=CommentKind.COMMENT,
    )
    text = forms.CharField(
        label=gettext_lazy("Synpunkt eller motivering"),
        max_length=bounds.TEXT_PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposed_body = forms.CharField(
        label=gettext_lazy("Föreslagen text (hela texten, bara för ändringsförslag)"),
        help_text=BODY_HELP,
        max_length=bounds.TEXT_DOCUMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Beslut"),
        choices=[("accept", gettext_lazy("Godta")), ("reject", gettext_lazy("Avslå"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Svar till den som skrev (krävs vid avslag)"),
        max_length=bounds.TEXT_PARAGRAPH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttachmentForm(forms.Form):
    """A file to attach; what it is and how big is checked by ``attachments.check``."""

    file = forms.FileField(
        label=gettext_lazy("Fil"),
        help_text=gettext_lazy(
            "PDF, DOCX, XLSX, ODT, PNG eller JPEG, högst 10 MB. "
            "Bifoga aldrig något med personuppgifter om barn."
        ),
        allow_empty_file=True,
        max_length=bounds.TEXT_NOTE,  # the file name as sent; it is cleaned and cut to 200
    )
