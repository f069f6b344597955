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
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core import bounds
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.directory import policies as directory_policies

from . import registry, schedule, services


def _require_system_admin(request):
    if not directory_policies.is_system_admin(request.actor):
        raise Http404("Sidan finns inte.")


class HoldForm(forms.Form):
    record_type = forms.ChoiceField(label=gettext_lazy("Posttyp"), choices=[])
    reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        help_text=gettext_lazy("T.ex. tillsyn av IVO, en begäran om allmän handling som prövas."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_PARAGRAPH,
    )
    reference = forms.CharField(
        label=gettext_lazy("Referens (diarienummer)"), required=False, max_length=bounds.TEXT_NAME
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [
            (rule.record_type, rule.title)
            for rule in schedule.load().rules
            if rule.action == schedule.THIN
        ]


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Skäl att häva spärren"),
        max_length=bounds.TEXT_PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _release_id(public_id) -> str:
    return f"release-{public_id}-%s"  # one form per hold on the page: ids of its own


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
            add_domain_error(form, exc)
        else:
            messages.success(
                request, gettext("Spärren gäller från nu. Inget av posttypen gallras.")
            )
            return HttpResponseRedirect(reverse("retention:holds"))
    return _holds_page(request, form, status=422 if request.method == "POST" else 200)


def _holds_page(request, form, *, refused=None, release_form=None, status=200):
    """The page; ``refused`` is the hold whose release was refused, its form as sent."""
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
                (
                    hold,
                    titles.get(hold.record_type, hold.record_type),
                    release_form
                    if hold.public_id == refused
                    else ReleaseForm(auto_id=_release_id(hold.public_id)),
                )
                for hold in services.holds_active()
            ],
            "form": form,
            "refused": refused,
        },
        status=status,
    )


@login_required
@require_POST
def hold_release(request, public_id):
    """Release a hold. Refused (no reason, a reason too long): the page again with the
    reason as typed and what is wrong at the field."""
    _require_system_admin(request)
    form = ReleaseForm(request.POST, auto_id=_release_id(public_id))
    if form.is_valid():
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
            add_domain_error(form, exc)
        else:
            messages.success(
                request, gettext("Spärren är hävd. Posterna gallras vid nästa körning.")
            )
            return HttpResponseRedirect(reverse("retention:holds"))
    return _holds_page(request, HoldForm(), refused=public_id, release_form=form, status=422)
