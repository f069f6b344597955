"""The retention page for the system administrator (``directory.system``): the schedule
as it is applied, and legal holds on a record type (e.g. during an inspection). A hold on
one child is placed with ``samverkan retention hold add --child`` by operations: a page
that looked children up by personnummer would tell an administrator, who has no matter
with any child, whether a child is in Samverkan."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core import bounds
from samverkan.core.errors import DomainError, NotFound
from samverkan.directory import policies as directory_policies

from . import registry, schedule, services


def _require_system_admin(request):
    if not directory_policies.is_system_admin(request.actor):
        raise Http404("Sidan finns inte.")


class HoldForm(forms.Form):
    record_type = forms.ChoiceField(label="Posttyp", choices=[])
    reason = forms.CharField(
        label="Skäl",
        help_text="T.ex. tillsyn av IVO, en begäran om allmän handling som prövas.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    reference = forms.CharField(
        label="Referens (diarienummer)", required=False, max_length=bounds.TEXT_NAME
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [
            (rule.record_type, rule.title)
            for rule in schedule.load().rules
            if rule.action == schedule.THIN
        ]


class ReleaseForm(forms.Form):
    reason = forms.CharField(label="Skäl att häva spärren", max_length=bounds.TEXT_PARAGRAPH)


@login_required
@require_http_methods(["GET", "POST"])
def holds(request):
    _require_system_admin(request)
    form = HoldForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.hold_place(
                actor=request.actor,
                placed_by=request.actor.label,
                record_type=form.cleaned_data["record_type"],
                reason=form.cleaned_data["reason"],
                reference=form.cleaned_data["reference"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Spärren gäller från nu. Inget av posttypen gallras.")
            return HttpResponseRedirect(reverse("retention:holds"))
    plan = schedule.load()
    titles = {rule.record_type: rule.title for rule in plan.rules}
    return render(
        request,
        "retention/holds.html",
        {
            "nav": "administration",
            "plan": plan,
            "rules": [
                (rule, schedule.ACTION_LABELS[rule.action], registry.get(rule.record_type))
                for rule in plan.rules
            ],
            "holds": [
                (hold, titles.get(hold.record_type, hold.record_type))
                for hold in services.holds_active()
            ],
            "form": form,
            "release_form": ReleaseForm(),
        },
    )


@login_required
@require_POST
def hold_release(request, public_id):
    _require_system_admin(request)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Skriv skälet att häva spärren.")
        return HttpResponseRedirect(reverse("retention:holds"))
    try:
        services.hold_release(
            actor=request.actor,
            public_id=public_id,
            released_by=request.actor.label,
            reason=form.cleaned_data["reason"],
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Spärren är hävd. Posterna gallras vid nästa körning.")
    return HttpResponseRedirect(reverse("retention:holds"))
