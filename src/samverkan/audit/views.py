"""Loggkontroll pages: per child, per user, CSV export and a printable extract that
can be given to a guardian. Only functions with ``audit.view``."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from samverkan.core import bounds
from samverkan.core.errors import DomainError, NotFound

from . import extracts, selectors, subjects
from .models import Action


def _require_auditor(request):
    if not selectors.may_audit(request.actor):
        raise Http404


class SubjectForm(forms.Form):
    personnummer = forms.CharField(label="Barnets personnummer", max_length=20)


class UserForm(forms.Form):
    username = forms.CharField(label="Användarnamn", max_length=150)


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
    """The child looked up by personnummer. The number is sent with POST, so that it
    never ends up in a URL, the browser history or an access log (decision 0091)."""
    form = SubjectForm(request.POST if request.method == "POST" else None)
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
@require_http_methods(["GET", "POST"])
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
    ("actor_username", "Användare"),
    ("actor_name", "Namn"),
    ("actor_organisation_name", "Organisation"),
    ("actor_unit_name", "Enhet"),
    ("actor_function", "Funktion"),
    ("action", "Åtgärd"),
    ("outcome", "Utfall"),
    ("resource_type", "Posttyp"),
    ("resource_id", "Post"),
    ("subject_id", "Person (id)"),
    ("ground_label", "Rättslig grund"),
    ("ground_reference", "Grund (referens)"),
    ("request_id", "Anrops-id"),
]


def _csv_cell(value) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # Neutralise spreadsheet formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_http_methods(["GET", "POST"])
def export_csv(request):
    """CSV of the log per child (POST: the personnummer stays out of the URL) or per
    user (GET ``?username=``)."""
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


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label="Skäl för prövningen",
        error_messages={"required": extracts.REASON_MISSING},
        help_text="Vad som undantas och med stöd av vilken bestämmelse, eller varför inget "
        "behöver undantas.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_PARAGRAPH,
    )


@login_required
@require_http_methods(["GET", "POST"])
def guardian_extract(request):
    """Extracts for a child or a guardian: the organisation's drafts and reviewed
    extracts (GET), and a new draft for a child (POST with the personnummer). An
    extract is handed out only after a recorded secrecy review (audit/extracts.py)."""
    _require_auditor(request)
    form = SubjectForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            extract = extracts.extract_draft(
                actor=request.actor, personal_number=form.cleaned_data["personnummer"]
            )
        except DomainError as exc:
            form.add_error("personnummer", exc.message)
        else:
            return HttpResponseRedirect(reverse("audit:extract", args=[extract.public_id]))
    return render(
        request,
        "audit/extract_list.html",
        {"nav": "audit", "form": form, "extracts": extracts.extract_list(actor=request.actor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def extract_review(request, public_id):
    """The reviewer's page: every row, the notes on rows that may have to be withheld,
    and the decision (once)."""
    _require_auditor(request)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            extracts.extract_review(
                actor=request.actor,
                public_id=public_id,
                withhold_ids=request.POST.getlist("withhold"),
                reason=form.cleaned_data["reason"],
            )
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                messages.error(request, exc.message)
                return HttpResponseRedirect(reverse("audit:extract", args=[public_id]))
        else:
            messages.success(request, "Sekretessprövningen är sparad. Utdraget kan skrivas ut.")
            return HttpResponseRedirect(reverse("audit:extract", args=[public_id]))
    try:
        view = extracts.extract_get(actor=request.actor, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    chosen = set(request.POST.getlist("withhold")) if request.method == "POST" else None
    rows = [
        (row, str(row.event.pk) in chosen if chosen is not None else bool(row.notes))
        for row in view.rows
    ]
    return render(
        request,
        "audit/extract_review.html",
        {"nav": "audit", "view": view, "rows": rows, "form": form},
    )


@login_required
def extract_print(request, public_id):
    """The reviewed extract as it is handed to the child or guardian: which
    organisations and units accessed the child's data, when and how, without the
    withheld rows. Staff names are not included."""
    _require_auditor(request)
    try:
        view = extracts.extract_print(actor=request.actor, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("audit:extract", args=[public_id]))
    return render(
        request,
        "audit/guardian_extract.html",
        {"view": view, "subject": view.subject, "rows": view.shown, "printed_at": timezone.now()},
    )
