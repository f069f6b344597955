"""The administration pages for an organisation's staff: a new member of staff,
changing one (name, identity, function, unit), ending a membership, a new password."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core.errors import DomainError

from . import admin_forms as forms
from . import administration, policies, selectors
from .admin_views import _form_error, _org_url, _organisation, _render_form, admin_required


def _staff_form_choices(actor, org):
    functions = [
        f
        for f in selectors.functions_for(org.pk)
        if policies.is_system_admin(actor) or not policies.RESERVED.intersection(f.permissions)
    ]
    return functions, list(selectors.units_of(org.pk, active_only=True))


@admin_required
@require_http_methods(["GET", "POST"])
def staff_new(request, public_id):
    org = _organisation(request, public_id)
    functions, units = _staff_form_choices(request.actor, org)
    form = forms.NewStaffForm(request.POST or None, functions=functions, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["function"] = next(f for f in functions if f.pk == data["function"])
        data["unit"] = next((u for u in units if u.pk == data["unit"]), None)
        try:
            membership = administration.staff_account_create(
                actor=request.actor, organisation=org, **data
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s är upplagd med användarnamnet %(username)s.")
                % {
                    "person": membership.user.get_full_name(),
                    "username": membership.user.username,
                },
            )
            return HttpResponseRedirect(_org_url(org, "personal"))
    return _render_form(
        request,
        form,
        title=_("Ny person i %(name)s") % {"name": org.name},
        intro=_(
            "Personen loggar in med e-legitimation och känns igen på personnummer eller "
            "HSA-id. Ingen kan logga in utan att vara upplagd här."
        ),
        back=_org_url(org, "personal"),
        organisation=org,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def staff_edit(request, public_id, membership_id):
    org = _organisation(request, public_id)
    membership = selectors.membership_get(
        org.pk, membership_id, actor=request.actor if request.method == "GET" else None
    )
    functions, units = _staff_form_choices(request.actor, org)
    identity = getattr(membership.user, "staff_identity", None)
    initial = {
        "first_name": membership.user.first_name,
        "last_name": membership.user.last_name,
        "email": membership.user.email,
        "personnummer": getattr(identity, "personnummer", "") or "",
        "hsa_id": getattr(identity, "hsa_id", "") or "",
        "function": membership.function_id,
        "unit": membership.unit_id,
    }
    form = forms.StaffForm(request.POST or None, initial=initial, functions=functions, units=units)
    if membership.function not in functions:
        # An administrator's own function: only a system administrator changes it.
        form.fields["function"].choices = [(membership.function_id, membership.function.name)]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["function"] = next(
            (f for f in functions if f.pk == data["function"]), membership.function
        )
        data["unit"] = next((u for u in units if u.pk == data["unit"]), None)
        try:
            administration.staff_account_update(actor=request.actor, membership=membership, **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Uppgifterna är sparade."))
            return HttpResponseRedirect(_org_url(org, "personal"))
    return render(
        request,
        "directory/admin/staff.html",
        {
            "nav": "administration",
            "organisation": org,
            "membership": membership,
            "form": form,
            "active": membership.valid_until is None
            or membership.valid_until >= timezone.localdate(),
        },
    )


@admin_required
@require_POST
def staff_deactivate(request, public_id, membership_id):
    org = _organisation(request, public_id)
    membership = selectors.membership_get(org.pk, membership_id)
    try:
        administration.staff_account_deactivate(actor=request.actor, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(
            reverse("administration:staff_edit", args=[org.public_id, membership.public_id])
        )
    messages.success(
        request,
        _(
            "%(person)s arbetar inte längre i %(name)s. Kontot finns kvar, "
            "eftersom loggen hänvisar till det."
        )
        % {"person": membership.user.get_full_name(), "name": org.name},
    )
    return HttpResponseRedirect(_org_url(org, "personal"))


@admin_required
@require_POST
def staff_password(request, public_id, membership_id):
    org = _organisation(request, public_id)
    membership = selectors.membership_get(org.pk, membership_id)
    try:
        password = administration.staff_password_reset(actor=request.actor, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(
            reverse("administration:staff_edit", args=[org.public_id, membership.public_id])
        )
    return render(
        request,
        "directory/admin/password.html",
        {
            "nav": "administration",
            "organisation": org,
            "membership": membership,
            "password": password,
        },
    )
