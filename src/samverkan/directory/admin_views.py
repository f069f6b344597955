"""The administration pages (not Django admin): a system administrator's huvudmän and
organisations, and every organisation's units, functions, staff, contact functions,
import and export. Thin: check who may administer (``policies``, deny by default,
404 for anything else), parse the form, call ``administration`` or ``imports``.

Here: the start page, huvudmän, organisations, units and functions, and what the other
pages share (``admin_required``, the form page). Staff are in ``admin_staff_views``,
contact functions in ``admin_contact_views``, import and export in
``admin_import_views``; ``admin_urls`` imports each."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.core.errors import DomainError, NotFound
from samverkan.core.refusals import refuse

from . import admin_forms as forms
from . import administration, policies, selectors


def _deny():
    raise Http404(_("Sidan finns inte."))


def admin_required(view):
    """Logged in with a role that administers something; 403 with the reason for
    everyone else (the administration pages are no secret: docs/security.md)."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        actor = request.actor
        if not policies.administers_anything(actor):
            raise refuse(actor, _("administrationen"))
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def _organisation(request, public_id):
    organisation = selectors.organisation_get(public_id)
    if not policies.may_administer(request.actor, organisation.pk):
        _deny()
    return organisation


def _form_error(form, error: DomainError) -> None:
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


def _render_form(request, form, *, title, intro="", back, organisation=None, submit=None):
    submit = submit or _("Spara")
    return render(
        request,
        "directory/admin/form.html",
        {
            "nav": "administration",
            "form": form,
            "title": title,
            "intro": intro,
            "back": back,
            "organisation": organisation,
            "submit": submit,
        },
    )


def _org_url(organisation, anchor: str = "") -> str:
    url = reverse("administration:organisation", args=[organisation.public_id])
    return f"{url}#{anchor}" if anchor else url


# Start -------------------------------------------------------------------------------


@admin_required
def index(request):
    actor = request.actor
    if not policies.is_system_admin(actor):
        organisation = selectors.organisation_by_pk(actor.organisation_id)
        return HttpResponseRedirect(_org_url(organisation))
    return render(
        request,
        "directory/admin/index.html",
        {
            "nav": "administration",
            "principals": list(selectors.principals_all()),
            "organisations": list(selectors.organisations_all()),
        },
    )


# Huvudmän (system administrator) -------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def principal_edit(request, public_id=None):
    if not policies.is_system_admin(request.actor):
        _deny()
    principal = selectors.principal_get(public_id) if public_id else None
    initial = (
        {
            "name": principal.name,
            "kind": principal.kind,
            "organisation_number": principal.organisation_number,
        }
        if principal
        else {}
    )
    form = forms.PrincipalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            administration.principal_save(
                actor=request.actor, principal=principal, **form.cleaned_data
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Huvudmannen är sparad."))
            return HttpResponseRedirect(reverse("administration:index"))
    return _render_form(
        request,
        form,
        title=_("Ändra %(name)s") % {"name": principal.name} if principal else _("Ny huvudman"),
        intro=_(
            "Huvudmannen är den juridiska person som ansvarar för verksamheterna, "
            "t.ex. kommunen eller regionen."
        ),
        back=reverse("administration:index"),
    )


# Organisations -----------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, public_id=None):
    if not policies.is_system_admin(request.actor):
        _deny()
    organisation = selectors.organisation_get(public_id) if public_id else None
    initial = {"is_active": True}
    if organisation:
        initial = {
            "principal": organisation.principal_id,
            "name": organisation.name,
            "org_type": organisation.org_type,
            "description": organisation.description,
            "phone": organisation.phone,
            "email": organisation.email,
            "password_login": organisation.password_login,
            "is_active": organisation.is_active,
        }
    principals = list(selectors.principals_all())
    form = forms.OrganisationForm(request.POST or None, initial=initial, principals=principals)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["principal"] = next(p for p in principals if p.pk == data["principal"])
        try:
            saved = administration.organisation_save(
                actor=request.actor, organisation=organisation, **data
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(name)s är sparad.") % {"name": saved.name})
            return HttpResponseRedirect(_org_url(saved))
    if not principals:
        messages.info(request, _("Lägg först till en huvudman."))
        return HttpResponseRedirect(reverse("administration:principal_new"))
    return _render_form(
        request,
        form,
        title=_("Ändra %(name)s") % {"name": organisation.name}
        if organisation
        else _("Ny organisation"),
        intro=_("Varje organisation (verksamhet) är en egen sekretessdomän."),
        back=_org_url(organisation) if organisation else reverse("administration:index"),
    )


@admin_required
def organisation(request, public_id):
    org = _organisation(request, public_id)
    staff = list(selectors.staff_of(org.pk))
    return render(
        request,
        "directory/admin/organisation.html",
        {
            "nav": "administration",
            "organisation": org,
            "is_system_admin": policies.is_system_admin(request.actor),
            "units": list(selectors.units_of(org.pk)),
            "functions": list(selectors.own_functions(org.pk)),
            "staff": staff,
            "administrators": [m for m in staff if policies.MANAGE in m.function.permissions],
            "contact_functions": list(selectors.contact_functions_provided(org.pk)),
        },
    )


# Units -------------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, public_id, unit_id=None):
    org = _organisation(request, public_id)
    unit = selectors.unit_get(org.pk, unit_id) if unit_id else None
    initial = {"is_active": True}
    if unit:
        initial = {
            "name": unit.name,
            "description": unit.description,
            "min_age": unit.min_age,
            "max_age": unit.max_age,
            "is_active": unit.is_active,
        }
    form = forms.UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            administration.unit_save(
                actor=request.actor, organisation=org, unit=unit, **form.cleaned_data
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Enheten är sparad."))
            return HttpResponseRedirect(_org_url(org, "enheter"))
    return _render_form(
        request,
        form,
        title=_("Ändra %(name)s") % {"name": unit.name}
        if unit
        else _("Ny enhet i %(name)s") % {"name": org.name},
        back=_org_url(org, "enheter"),
        organisation=org,
    )


# Functions ---------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def function_edit(request, public_id, code=None):
    org = _organisation(request, public_id)
    function = selectors.own_function_get(org.pk, code) if code else None
    initial = {"is_active": True}
    if function:
        initial = {
            "name": function.name,
            "description": function.description,
            "permissions": function.permissions,
            "is_active": function.is_active,
        }
    form = forms.FunctionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            administration.function_save(
                actor=request.actor, organisation=org, function=function, **form.cleaned_data
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Funktionen är sparad."))
            return HttpResponseRedirect(_org_url(org, "funktioner"))
    return _render_form(
        request,
        form,
        title=_("Ändra %(name)s") % {"name": function.name}
        if function
        else _("Ny funktion i %(name)s") % {"name": org.name},
        intro=_(
            "Behörigheter hänger på funktionen, aldrig på personen. Standardfunktionerna "
            "(rektor, kurator, socialsekreterare …) finns redan för alla."
        ),
        back=_org_url(org, "funktioner"),
        organisation=org,
    )
