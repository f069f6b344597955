"""Making a report: a professional's, a private person's (with the receipt) and an oral
report taken by telephone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.core import limits
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.people import selectors as people

from . import selectors, services
from .forms import OralReportForm, PublicReportForm, ReportForm
from .views import _back, _is_intake

PUBLIC_RECEIPT_KEY = "concerns_public_receipt"


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    actor = request.actor
    if not selectors.may_report(actor):
        raise refuse(actor, _("att göra en orosanmälan härifrån"))
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_submit(
                    actor=actor,
                    personal_number=data["personal_number"],
                    child_first_name=data["child_first_name"],
                    child_last_name=data["child_last_name"],
                    worry=data["worry"],
                    observations=data["observations"],
                    child_words=data["child_words"],
                    urgency=data["urgency"],
                    guardians_informed=data["guardians_informed"],
                    do_not_inform_guardians=data["do_not_inform_guardians"],
                    do_not_inform_reason=data["do_not_inform_reason"],
                    reporter_phone=data["reporter_phone"],
                    reporter_email=data["reporter_email"],
                    factor_codes=data["factors"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    gettext(
                        "Anmälan %(reference)s har kommit in till socialtjänsten. Du ser den "
                        "under Mina anmälningar."
                    )
                    % {"reference": report.reference},
                )
                return _back(report.public_id)
    else:
        initial = {}
        child_id = request.GET.get("barn")
        if child_id:
            try:
                child = people.child_get(actor, child_id).child
            except NotFound as exc:
                raise Http404(exc.message) from exc
            initial["personal_number"] = child.personal_number_display
        form = ReportForm(initial=initial)
    return render(request, "concerns/new.html", {"nav": "concerns", "form": form})


@require_http_methods(["GET", "POST"])
def public_new(request):
    """The public form for private persons: no login, may be anonymous."""
    if request.method == "POST":
        form = PublicReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                raise Http404  # a bot filled in the hidden field
            # Per client address, counted in the shared cache (decision 0170).
            verdict = limits.hit(request, limits.PUBLIC_REPORT_IP)
            if verdict.limited:
                response = render(
                    request, "concerns/public_limited.html", {"public": True}, status=429
                )
                return limits.retry_after(response, verdict)
            try:
                report = services.report_submit_public(
                    child_details=data["child_details"],
                    worry=data["worry"],
                    observations=data["observations"],
                    child_words=data["child_words"],
                    urgency=data["urgency"],
                    guardians_informed=data["guardians_informed"],
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"],
                    reporter_email=data["reporter_email"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                request.session[PUBLIC_RECEIPT_KEY] = {
                    "reference": report.reference,
                    "received_at": report.received_at.isoformat(),
                    "organisation": report.receiving_organisation.name,
                    "phone": report.receiving_organisation.phone,
                }
                return HttpResponseRedirect(reverse("concerns:public_receipt"))
    else:
        form = PublicReportForm()
    return render(request, "concerns/public_new.html", {"form": form, "public": True})


def public_receipt(request):
    receipt = request.session.get(PUBLIC_RECEIPT_KEY)
    if not receipt:
        return HttpResponseRedirect(reverse("concerns:public_new"))
    return render(request, "concerns/public_receipt.html", {"receipt": receipt, "public": True})


@login_required
@require_http_methods(["GET", "POST"])
def oral_new(request):
    actor = request.actor
    if not _is_intake(actor):
        raise Http404
    organisations = selectors.reporting_organisation_choices()
    if request.method == "POST":
        form = OralReportForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_register_oral(
                    actor=actor,
                    personal_number=data["personal_number"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    reporter_organisation_id=data["reporter_org"],
                    reporter_name=data["reporter_name"],
                    reporter_function=data["reporter_function"],
                    reporter_phone=data["reporter_phone"],
                    reporter_email=data["reporter_email"],
                    worry=data["worry"],
                    observations=data["observations"],
                    child_words=data["child_words"],
                    urgency=data["urgency"],
                    guardians_informed=data["guardians_informed"],
                    do_not_inform_guardians=data["do_not_inform_guardians"],
                    do_not_inform_reason=data["do_not_inform_reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    gettext(
                        "Den muntliga anmälan %(reference)s är registrerad. Skriftlig anmälan "
                        "väntas senast %(written_due)s."
                    )
                    % {
                        "reference": report.reference,
                        "written_due": format(report.handling.written_due, "%Y-%m-%d"),
                    },
                )
                return _back(report.public_id)
    else:
        form = OralReportForm(organisations=organisations)
    return render(request, "concerns/oral_new.html", {"nav": "concerns", "form": form})
