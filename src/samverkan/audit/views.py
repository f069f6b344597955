"""Loggkontroll pages (decision 0172): the log page by page with filters (period,
unit, user, action, outcome), per child (the personnummer is sent with POST, so it never
ends up in a URL or an access log), CSV export and a printable extract that can be given
to a guardian. Only functions with ``audit.view``; every look is itself logged."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.core import paging
from samverkan.core.errors import DomainError
from samverkan.core.refusals import refuse

from . import display, selectors, subjects
from .forms import LogFilterForm, SubjectForm
from .models import Action


def _require_auditor(request):
    if not selectors.may_audit(request.actor):
        raise refuse(request.actor, _("loggkontroll"))


def _filter_form(request, data):
    return LogFilterForm(data, units=selectors.units(request.actor))


@login_required
def index(request):
    _require_auditor(request)
    return render(
        request,
        "audit/index.html",
        {
            "nav": "audit",
            "subject_form": SubjectForm(),
            "filter_form": _filter_form(request, None),
            "usernames": selectors.usernames(request.actor),
        },
    )


def _subject_from_post(request):
    """The child named by a personnummer sent with POST (never read from the query
    string), if the own organisation's log mentions them."""
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
    form, subject = _subject_from_post(request)
    filter_form = _filter_form(request, request.POST if request.method == "POST" else None)
    page = None
    if subject and (not filter_form.is_bound or filter_form.is_valid()):
        page = selectors.log_page(
            request.actor,
            filters=filter_form.filters(),
            subject_id=subject.id,
            page=paging.page_number(request.POST.get("page")),
        )
    resend = [("personnummer", form.data.get("personnummer", ""))] if subject else []
    resend += filter_form.fields_to_resend()
    return render(
        request,
        "audit/subject_log.html",
        {
            "nav": "audit",
            "form": form,
            "filter_form": filter_form,
            "usernames": selectors.usernames(request.actor),
            "subject": subject,
            "page": page,
            "lines": display.fold(page) if page else [],
            "post_fields": resend,
        },
    )


@login_required
def user_log(request):
    """The own organisation's log, newest first, a page at a time, narrowed by the
    filters (a user is one of them)."""
    _require_auditor(request)
    filter_form = _filter_form(request, request.GET)
    page = None
    lines = []
    if filter_form.is_valid():
        page = selectors.log_page(
            request.actor,
            filters=filter_form.filters(),
            page=paging.page_number(request.GET.get("page")),
        )
        labels = {}
        for row in page:
            if row.subject_id and row.subject_id not in labels:
                labels[row.subject_id] = subjects.label(row.subject_id)
        lines = [(line, labels.get(line.row.subject_id)) for line in display.fold(page)]
    return render(
        request,
        "audit/user_log.html",
        {
            "nav": "audit",
            "filter_form": filter_form,
            "usernames": selectors.usernames(request.actor),
            "username": filter_form.filters().username if filter_form.is_valid() else "",
            "page": page,
            "lines": lines,
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
    """Every row (not a page) about a child (personnummer with POST) or by a user, with
    the same filters as the page."""
    _require_auditor(request)
    _, subject = _subject_from_post(request)
    data = request.POST if request.method == "POST" else request.GET
    filter_form = _filter_form(request, data)
    if not filter_form.is_valid():
        raise Http404
    filters = filter_form.filters()
    if subject:
        rows = selectors.events_for_subject(
            request.actor, subject.id, action=Action.EXPORT, filters=filters
        )
        name = "loggutdrag-barn"
    elif filters.username:
        rows = selectors.events_for_user(
            request.actor, filters.username, action=Action.EXPORT, filters=filters
        )
        name = "loggutdrag-anvandare"
    else:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([label for _column, label in CSV_COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(getattr(row, attr)) for attr, _label in CSV_COLUMNS])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def guardian_extract(request):
    """A printable extract for the child or a guardian: which organisations and units
    accessed the child's data, when and how. Staff names are not included. The child is
    named with POST (from the per-child page)."""
    _require_auditor(request)
    if request.method == "GET":
        return HttpResponseRedirect(reverse("audit:subject_log"))
    _, subject = _subject_from_post(request)
    if not subject:
        raise Http404
    rows = selectors.events_for_subject(request.actor, subject.id, action=Action.PRINT)
    rows = [r for r in rows if r.outcome == "allowed" and r.resource_type != "audit.log"]
    return render(
        request,
        "audit/guardian_extract.html",
        {"subject": subject, "rows": rows, "printed_at": timezone.now()},
    )
