"""The administration pages for an organisation's contact functions: creating or
changing one, and its page (who holds it and held it, handing it over to a new holder,
leaving it vacant)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.core.errors import DomainError

from . import admin_forms as forms
from . import administration, selectors
from .admin_views import _deny, _form_error, _org_url, _organisation, _render_form, admin_required


@admin_required
@require_http_methods(["GET", "POST"])
def contact_function_edit(request, public_id, cf_id=None):
    org = _organisation(request, public_id)
    cf = selectors.contact_function_get(cf_id) if cf_id else None
    if cf is not None and cf.provider_organisation_id != org.pk:
        _deny()
    organisations = list(selectors.organisation_choices())
    initial = (
        {
            "title": cf.title,
            "served_organisation": cf.served_organisation_id,
            "description": cf.description,
            "phone": cf.phone,
            "email": cf.email,
        }
        if cf
        else {}
    )
    form = forms.ContactFunctionForm(
        request.POST or None, initial=initial, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["served_organisation"] = next(
            o for o in organisations if o.pk == data["served_organisation"]
        )
        try:
            saved = administration.contact_function_save(
                actor=request.actor, provider_organisation=org, contact_function=cf, **data
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Kontaktfunktionen är sparad."))
            return HttpResponseRedirect(
                reverse("administration:contact_function", args=[org.public_id, saved.public_id])
            )
    return _render_form(
        request,
        form,
        title=_("Ändra %(title)s") % {"title": cf.title} if cf else _("Ny kontaktfunktion"),
        intro=_("Funktion, inte person: kontaktfunktionen finns kvar när innehavaren byts."),
        back=_org_url(org, "kontaktfunktioner"),
        organisation=org,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def contact_function(request, public_id, cf_id):
    org = _organisation(request, public_id)
    cf = selectors.contact_function_get(cf_id)
    if cf.provider_organisation_id != org.pk:
        _deny()
    memberships = list(selectors.memberships_of_organisation(org.pk))
    hand_over = forms.HandOverForm(
        request.POST if request.POST.get("step") == "hand_over" else None,
        memberships=memberships,
        prefix="hand_over",
    )
    vacate = forms.VacateForm(
        request.POST if request.POST.get("step") == "vacate" else None, prefix="vacate"
    )
    if request.method == "POST":
        try:
            if request.POST.get("step") == "hand_over" and hand_over.is_valid():
                chosen = next(
                    m for m in memberships if m.pk == hand_over.cleaned_data["membership"]
                )
                administration.contact_function_hand_over(
                    actor=request.actor,
                    contact_function=cf,
                    membership=chosen,
                    from_date=hand_over.cleaned_data["from_date"],
                )
                messages.success(request, _("Kontaktfunktionen har fått en ny innehavare."))
                return HttpResponseRedirect(request.path)
            if request.POST.get("step") == "vacate" and vacate.is_valid():
                administration.contact_function_vacate(
                    actor=request.actor, contact_function=cf, to_date=vacate.cleaned_data["to_date"]
                )
                messages.success(request, _("Innehavet är avslutat. Funktionen är vakant."))
                return HttpResponseRedirect(request.path)
        except DomainError as exc:
            _form_error(hand_over if request.POST.get("step") == "hand_over" else vacate, exc)
    return render(
        request,
        "directory/admin/contact_function.html",
        {
            "nav": "administration",
            "organisation": org,
            "cf": cf,
            "history": list(selectors.contact_function_history(cf)),
            "current": selectors.current_holder(cf),
            "hand_over": hand_over,
            "vacate": vacate,
        },
    )
