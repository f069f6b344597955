"""Loggkontroll pages: per child, per user, CSV export and a printable extract that
can be given to a guardian. Only functions with ``audit.view``."""

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.core.errors import DomainError

from . import selectors, subjects
from .models import Action


def _require_auditor(request):
    if not selectors.may_audit(request.actor):
        raise Http404


class SubjectForm(forms.Form):
    personnummer = forms.CharField(label=gettext_lazy("Barnets personnummer"), max_length=20)


class UserForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Användarnamn"), max_length=150)


@login_required
def index(request):
    _require_auditor(request)
    return render(
        request,
        "audit/index.html",
        {
            "nav": "audit",
            "subject_form": SubjectForm(),
            "user_form": UserForm(),
            "usernames": selectors.usernames(request.actor),
        },
    )


def _subject_from_request(request):
    form = SubjectForm(request.GET or None)
    subject = None
    if form.is_valid():
        try:
            subject = subjects.lookup(form.cleaned_data["personnummer"])
        except DomainError as exc:
            form.add_error("personnummer", exc.message)
    if subject and not selectors.subject_in_log(request.actor, subject.id):
        subject = None
    return form, subject


@login_required
def subject_log(request):
    _require_auditor(request)
    form, subject = _subject_from_request(request)
    rows = selectors.events_for_subject(request.actor, subject.id) if subject else []
    return render(
        request,
        "audit/subject_log.html",
        {"nav": "audit", "form": form, "subject": subject, "rows": rows},
    )


@login_required
def user_log(request):
    _require_auditor(request)
    form = UserForm(request.GET or None)
    rows = []
    username = ""
    if form.is_valid():
        username = form.cleaned_data["username"].strip()
        rows = selectors.events_for_user(request.actor, username)
    labels = {}
    for row in rows:
        if row.subject_id and row.subject_id not in labels:
            labels[row.subject_id] = subjects.label(row.subject_id)
    return render(
        request,
        "audit/user_log.html",
        {
            "nav": "audit",
            "form": form,
            "username": username,
            "rows": [(row, labels.get(row.subject_id)) for row in rows],
        },
    )


CSV_COLUMNS = [
    ("occurred_at", "Tidpunkt"),
    ("actor_username", gettext_lazy("Användare")),
    ("actor_name", "Namn"),
    ("actor_organisation_name", "Organisation"),
    ("actor_unit_name", "Enhet"),
    ("actor_function", "Funktion"),
    ("action", gettext_lazy("Åtgärd")),
    ("outcome", "Utfall"),
    ("resource_type", "Posttyp"),
    ("resource_id", "Post"),
    ("subject_id", "Person (id)"),
    ("ground_label", gettext_lazy("Rättslig grund")),
    ("ground_reference", "Grund (referens)"),
    ("request_id", "Anrops-id"),
]


def _csv_cell(value) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # Neutralise spreadsheet formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def export_csv(request):
    _require_auditor(request)
    _, subject = _subject_from_request(request)
    user_form = UserForm(request.GET or None)
    if subject:
        rows = selectors.events_for_subject(request.actor, subject.id, action=Action.EXPORT)
        name = "loggutdrag-barn"
    elif "username" in request.GET and user_form.is_valid():
        rows = selectors.events_for_user(
            request.actor, user_form.cleaned_data["username"].strip(), action=Action.EXPORT
        )
        name = "loggutdrag-anvandare"
    else:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([label for _, label in CSV_COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(getattr(row, attr)) for attr, _ in CSV_COLUMNS])
    return response


@login_required
def guardian_extract(request):
    """A printable extract for the child or a guardian: which organisations and units
    accessed the child's data, when and how. Staff names are not included."""
    _require_auditor(request)
    _, subject = _subject_from_request(request)
    if not subject:
        raise Http404
    rows = selectors.events_for_subject(request.actor, subject.id, action=Action.PRINT)
    rows = [r for r in rows if r.outcome == "allowed" and r.resource_type != "audit.log"]
    return render(
        request,
        "audit/guardian_extract.html",
        {"subject": subject, "rows": rows, "printed_at": timezone.now()},
    )
