"""Loggkontroll pages (decision 0172): the log page by page with filters (period,
unit, user, action, outcome), per child (the personnummer is sent with POST, so it never
ends up in a URL or an access log), CSV export, and extracts for a child or guardian
after a secrecy review (decision 0161). Only functions with ``audit.view``; every look
is itself logged."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samverkan.core import bounds, paging
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.refusals import refuse

from . import display, extracts, selectors, subjects
from .forms import LogFilterForm, SubjectForm
from .models import Action, AuditEvent


def _require_auditor(request):
    if not selectors.may_audit(request.actor):
        raise refuse(request.actor, _("loggkontroll"))


# The longest unit name the log stores.
AUDIT_UNIT_NAME_MAX = AuditEvent._meta.get_field("actor_unit_name").max_length


@login_required
def index(request):
    _require_auditor(request)
    return render(
        request,
        "audit/index.html",
        {
            "nav": "audit",
            "subject_form": SubjectForm(),
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


def _subject_choices(request, subject) -> selectors.Choices:
    """The filters' choices on the per-child page: the units and users in the child's
    rows, and the unit already chosen (kept when another child is looked up with it,
    which then shows no rows rather than an error), if it is one a unit name can be."""
    found = selectors.choices(request.actor, subject.id) if subject else selectors.Choices([], [])
    chosen = request.POST.get("unit", "") if request.method == "POST" else ""
    if chosen and chosen not in found.units and len(chosen) <= AUDIT_UNIT_NAME_MAX:
        found.units.append(chosen)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def subject_log(request):
    _require_auditor(request)
    form, subject = _subject_from_post(request)
    # The choices come from the child's own rows (none before a child is chosen), so the
    # page costs what the child's log costs, not the organisation's whole log.
    found = _subject_choices(request, subject)
    filter_form = LogFilterForm(
        request.POST if request.method == "POST" else None, units=found.units
    )
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
            "usernames": found.usernames,
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
    found = selectors.choices(request.actor)
    filter_form = LogFilterForm(request.GET, units=found.units)
    page = None
    lines = []
    if filter_form.is_valid():
        page = selectors.log_page(
            request.actor,
            filters=filter_form.filters(),
            page=paging.page_number(request.GET.get("page")),
        )
        labels = subjects.labels(row.subject_id for row in page)
        lines = [(line, labels.get(line.row.subject_id)) for line in display.fold(page)]
    return render(
        request,
        "audit/user_log.html",
        {
            "nav": "audit",
            "filter_form": filter_form,
            "usernames": found.usernames,
            "username": filter_form.filters().username if filter_form.is_valid() else "",
            "page": page,
            "lines": lines,
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
@require_http_methods(["GET", "POST"])
def export_csv(request):
    """Every row (not a page) about a child (personnummer with POST) or by a user, with
    the same filters as the page."""
    _require_auditor(request)
    _, subject = _subject_from_post(request)
    data = request.POST if request.method == "POST" else request.GET
    filter_form = LogFilterForm(data, units=selectors.choices(request.actor).units)
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


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Skäl för prövningen"),
        error_messages={"required": extracts.REASON_MISSING},
        help_text=gettext_lazy(
            "Vad som undantas och med stöd av vilken bestämmelse, eller varför inget "
            "behöver undantas."
        ),
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
    page = extracts.extract_list(
        actor=request.actor, page=paging.page_number(request.GET.get("page"))
    )
    return render(request, "audit/extract_list.html", {"nav": "audit", "form": form, "page": page})


def _withhold_chosen(request) -> set[str] | None:
    """The rows chosen for withholding, over every page of the review (decision 0236):
    the choices carried from other pages (``withhold_kept``, ids joined by commas: one
    field, however many), less the rows of the page that was sent (``on_page``), plus
    the boxes ticked on it. None on a GET."""
    if request.method != "POST":
        return None

    def ids(value: str) -> set[str]:
        return {part for part in value.split(",") if part.isdigit()}

    kept = ids(request.POST.get("withhold_kept", ""))
    on_page = ids(request.POST.get("on_page", ""))
    return (kept - on_page) | {v for v in request.POST.getlist("withhold") if v.isdigit()}


@login_required
@require_http_methods(["GET", "POST"])
def extract_review(request, public_id):
    """The reviewer's page: the rows a page at a time, the notes on rows that may have
    to be withheld, and the decision (once). A draft's pager buttons send the form, so
    the boxes ticked and the reasons written are kept from page to page; the decision
    covers every page."""
    _require_auditor(request)
    chosen = _withhold_chosen(request)
    turning = request.method == "POST" and "page" in request.POST
    if turning:  # to another page of a draft: nothing is saved, nothing is refused
        form = ReviewForm(
            initial={"reason": request.POST.get("reason", "")[: bounds.TEXT_PARAGRAPH]}
        )
        number = paging.page_number(request.POST.get("page"))
    else:
        form = ReviewForm(request.POST if request.method == "POST" else None)
        number = paging.page_number(request.POST.get("shown_page") or request.GET.get("page"))
    if request.method == "POST" and not turning and form.is_valid():
        try:
            extracts.extract_review(
                actor=request.actor,
                public_id=public_id,
                withhold_ids=sorted(chosen),
                reason=form.cleaned_data["reason"],
            )
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            # The page again with the choices and the reason as sent (a redirect lost them);
            # a refusal of the whole review (already reviewed) stands above the page.
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                messages.error(request, exc.message)
        else:
            messages.success(request, _("Sekretessprövningen är sparad. Utdraget kan skrivas ut."))
            return HttpResponseRedirect(reverse("audit:extract", args=[public_id]))
    try:
        view = extracts.extract_get(actor=request.actor, public_id=public_id, page=number)
    except NotFound as exc:
        raise Http404 from exc
    if chosen is None:  # first look at a draft: the flagged rows are ticked
        chosen = {row_id for row_id, notes in view.extract.flags.items() if notes}
    on_page = {str(row.event.pk) for row in view.rows}
    rows = [(row, str(row.event.pk) in chosen) for row in view.rows]
    return render(
        request,
        "audit/extract_review.html",
        {
            "nav": "audit",
            "view": view,
            "page": view.page,
            "rows": rows,
            "form": form,
            "kept": ",".join(sorted(chosen - on_page, key=int)),
            "on_page": ",".join(sorted(on_page, key=int)),
        },
        status=422 if request.method == "POST" and not turning else 200,
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
