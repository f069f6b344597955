"""Import and export in the administration: uploading a file of organisations, units or
staff (a dry run first; what it showed is applied from a signed payload) and exporting
them."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.core.errors import DomainError
from samverkan.core.request_size import allow_upload

from . import admin_forms as forms
from . import imports, policies
from .admin_views import _deny, _form_error, admin_required

IMPORT_SALT = "samverkan.directory.import"


def _allowed_kinds(actor) -> list[str]:
    if policies.is_system_admin(actor):
        return ["organisations", "units", "staff"]
    return ["units", "staff"]


@allow_upload
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
