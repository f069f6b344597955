"""The administration pages (not Django admin): a system administrator's huvudmän and
organisations, and every organisation's units, functions, staff, contact functions,
import and export. Thin: check who may administer (``policies``, deny by default,
404 for anything else), parse the form, call ``administration`` or ``imports``."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core.errors import DomainError, NotFound
from samverkan.core.refusals import refuse

from . import admin_forms as forms
from . import administration, imports, policies, selectors

IMPORT_SALT = "samverkan.directory.import"


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


# Staff -------------------------------------------------------------------------------


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


# Contact functions -------------------------------------------------------------------


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


# Import and export -------------------------------------------------------------------


def _allowed_kinds(actor) -> list[str]:
    if policies.is_system_admin(actor):
        return ["organisations", "units", "staff"]
    return ["units", "staff"]


@admin_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    actor = request.actor
    allowed = _allowed_kinds(actor)
    plan = None
    payload = ""
    if request.method == "POST" and request.POST.get("payload"):
        # Apply what the dry run showed (the rows travel signed, not re-uploaded).
        try:
            data = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600, key=None)
        except signing.BadSignature:
            messages.error(request, _("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
            return HttpResponseRedirect(request.path)
        if data.get("user") != actor.user_id or data.get("kind") not in allowed:
            _deny()
        plan = imports.apply(actor=actor, kind=data["kind"], rows=data["rows"])
        form = forms.ImportForm(allowed_kinds=allowed, initial={"kind": data["kind"]})
    else:
        form = forms.ImportForm(
            request.POST or None,
            request.FILES or None,
            allowed_kinds=allowed,
            initial={"kind": request.GET.get("kind", "staff")},
        )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            kind = form.cleaned_data["kind"]
            try:
                rows = imports.read(kind, upload.read(imports.MAX_BYTES + 1), upload.name)
                plan = imports.dry_run(actor=actor, kind=kind, rows=rows)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                payload = signing.dumps(
                    {"user": actor.user_id, "kind": kind, "rows": rows},
                    salt=IMPORT_SALT,
                    compress=True,
                )
    return render(
        request,
        "directory/admin/import.html",
        {
            "nav": "administration",
            "form": form,
            "plan": plan,
            "payload": payload,
            "specification": {k: v for k, v in imports.specification().items() if k in allowed},
        },
    )


@admin_required
def export(request, kind, file_format):
    if kind not in _allowed_kinds(request.actor) or file_format not in imports.FORMATS:
        _deny()
    content = imports.export(actor=request.actor, kind=kind, file_format=file_format)
    response = HttpResponse(content, content_type=imports.FORMATS[file_format])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="samverkan-{kind}-{stamp}.{file_format}"'
    )
    return response
