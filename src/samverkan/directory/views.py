"""The directory: who works where, and contact functions with their history."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error

from . import policies, selectors, services


@login_required
def overview(request):
    if not request.actor.has_membership:
        return HttpResponseRedirect(reverse("web:choose_role"))
    organisations = list(selectors.organisation_list())
    contact_functions = list(selectors.contact_functions_for(request.actor.organisation_id))
    return render(
        request,
        "directory/overview.html",
        {
            "nav": "directory",
            "organisations": organisations,
            "contact_functions": contact_functions,
        },
    )


class AssignForm(forms.Form):
    membership = forms.TypedChoiceField(label=gettext_lazy("Ny innehavare"), coerce=int, choices=[])

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.user.get_full_name()} ({m.function.name})") for m in memberships
        ]


@login_required
@require_http_methods(["GET", "POST"])
def contact_function(request, public_id):
    actor = request.actor
    try:
        cf = selectors.contact_function_get(public_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    may_manage = policies.may_assign_contact_function(actor, cf.provider_organisation_id)
    form = None
    if may_manage:
        memberships = list(selectors.memberships_of_organisation(cf.provider_organisation_id))
        form = AssignForm(request.POST or None, memberships=memberships)
        if request.method == "POST" and form.is_valid():
            chosen = next(m for m in memberships if m.pk == form.cleaned_data["membership"])
            try:
                services.contact_function_assign(
                    actor=actor, contact_function=cf, membership=chosen
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Kontaktfunktionen har fått en ny innehavare."))
                return HttpResponseRedirect(reverse("directory:contact_function", args=[public_id]))
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "directory/contact_function.html",
        {
            "nav": "directory",
            "cf": cf,
            "history": list(selectors.contact_function_history(cf)),
            "form": form,
        },
    )
