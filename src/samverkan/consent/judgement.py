""" "Kan jag lämna ut det här?" — the page that leads a user of an organisation with its
own matter with a child through the grounds of the catalogue for one recipient and one
category of information:

1. what already lets the information pass (a consent, a named path) — asked of
   ``access.passing.decide``, explained for the user's own organisation;
2. every ground in force, with its statutes (old and new law side by side), what it
   breaks, and whether it can be used here (direction, category, age, authorities);
3. for a ground that needs a human judgement: its conditions to confirm, the lawful
   alternatives, and, where the ground requires it, the interest-balancing (what the
   recipient needs, what the secrecy protects, the outcome and why). Recorded by
   ``legal.services.decision_record`` (audited); a decision to disclose opens that
   category to the recipient for a limited time (``legal.paths``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samverkan.access import passing
from samverkan.core import bounds
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.directory import selectors as directory
from samverkan.legal import catalogue
from samverkan.legal import selectors as legal_selectors
from samverkan.legal import services as legal
from samverkan.people import selectors as people

from .models import InformationCategory


class AskForm(forms.Form):
    to_organisation = forms.TypedChoiceField(
        label=gettext_lazy("Vem vill du lämna uppgifterna till?"), coerce=int, choices=[]
    )
    category = forms.ChoiceField(label=gettext_lazy("Vilken sorts uppgifter?"), choices=[])

    def __init__(self, *args, own_organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].choices = [
            (o.pk, o.name) for o in directory.organisation_choices() if o.pk != own_organisation_id
        ]
        self.fields["category"].choices = [
            (c.code, c.name) for c in InformationCategory.objects.filter(is_active=True)
        ]


class JudgementForm(forms.Form):
    what = forms.CharField(
        label=gettext_lazy("Vilka uppgifter gäller prövningen?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    conditions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Villkor du bekräftar"),
        help_text=gettext_lazy("Grunden kan bara användas om alla villkor är uppfyllda."),
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
        choices=[],
    )
    recipient_need = forms.CharField(
        label=gettext_lazy("Vad behöver mottagaren uppgifterna till?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
        required=False,
    )
    secrecy_interest = forms.CharField(
        label=gettext_lazy(
            "Vad skyddar sekretessen här: vilken skada kan barnet eller familjen lida "
            "om uppgifterna lämnas?"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
        required=False,
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Utfall"),
        widget=forms.RadioSelect,
        choices=[
            (legal.Outcome.DISCLOSE, gettext_lazy("Lämna ut")),
            (legal.Outcome.REFUSE, gettext_lazy("Lämna inte ut")),
        ],
    )
    motivation = forms.CharField(
        label=gettext_lazy("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
    )

    def __init__(self, *args, ground: catalogue.Ground, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conditions"].choices = list(enumerate(ground.conditions))
        if ground.balancing:
            for name in ("recipient_need", "secrecy_interest"):
                self.fields[name].required = True
        else:
            del self.fields["recipient_need"]
            del self.fields["secrecy_interest"]


def _own_matter_child(actor, child_id):
    try:
        view = people.child_get(actor, child_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not view.own_matter:
        raise Http404(
            _("Bara en verksamhet med ett eget ärende med barnet kan pröva ett utlämnande.")
        )
    return view


def _rows(view, actor, to_id: int, category: str, now):
    rows = []
    for ground in catalogue.load().in_force(timezone.localdate()):
        verdict = legal.verdict_for(
            ground=ground,
            child=view.child,
            from_organisation_id=actor.organisation_id,
            to_organisation_id=to_id,
            category=category,
            at=now,
        )
        rows.append((ground, verdict))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def can_i_disclose(request, child_id):
    actor = request.actor
    view = _own_matter_child(actor, child_id)
    ask = AskForm(request.GET or None, own_organisation_id=actor.organisation_id)
    context = {"nav": "children", "child": view.child, "ask": ask}
    names = legal_selectors.ground_names()
    context["decisions"] = legal_selectors.decisions_of_own_organisation(actor, view)
    for decision in context["decisions"]:
        decision.ground_name = names.get(decision.ground_code, decision.ground_code)
    if not ask.is_valid():
        return render(request, "consent/can_i_disclose.html", context)
    to_id, category = ask.cleaned_data["to_organisation"], ask.cleaned_data["category"]
    now = timezone.now()
    context["automatic"] = passing.decide(
        child=view.child,
        from_organisation_id=actor.organisation_id,
        to_organisation_id=to_id,
        category=category,
        purpose=None,
        viewer_organisation_id=actor.organisation_id,
    )
    context["rows"] = _rows(view, actor, to_id, category, now)
    context["query"] = urlencode({"to_organisation": to_id, "category": category})
    code = request.GET.get("grund", "")
    chosen = next(
        (g for g, v in context["rows"] if g.code == code and g.judgement and v.allowed), None
    )
    if chosen is not None:
        form = JudgementForm(request.POST if request.method == "POST" else None, ground=chosen)
        context.update({"chosen": chosen, "form": form})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                legal.decision_record(
                    actor=actor,
                    child_view=view,
                    to_organisation_id=to_id,
                    category=category,
                    ground_code=chosen.code,
                    what=data["what"],
                    confirmed=data["conditions"],
                    outcome=data["outcome"],
                    motivation=data["motivation"],
                    recipient_need=data.get("recipient_need", ""),
                    secrecy_interest=data.get("secrecy_interest", ""),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Prövningen är sparad och loggad."))
                url = reverse("consent:can_i_disclose", args=[view.child.public_id])
                return HttpResponseRedirect(f"{url}?{context['query']}")
    elif request.method == "POST":
        raise Http404
    return render(request, "consent/can_i_disclose.html", context)
