"""The crime-prevention situation picture (/strategi/lagesbild/): the strategy group
picks a period (a GET form: the page only reads) and gets the aggregate figures, as a
page, an Excel workbook or a CSV file. crime_prevention.py holds the rules."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from samverkan.audit.models import Action
from samverkan.core.errors import DomainError
from samverkan.core.forms import add_domain_error

from . import crime_prevention, policies
from .plan_forms import SituationPictureForm
from .views import member_required

NAV = "governance"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _extract(request, form, action):
    """The extract when the form is filled in and valid, else None (errors on the form)."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return crime_prevention.extract(
            request.actor,
            form.cleaned_data["period_start"],
            form.cleaned_data["period_end"],
            action=action,
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


def _form(request):
    if not policies.is_strategy_group(request.actor):
        raise Http404
    sent = "period_start" in request.GET or "period_end" in request.GET
    return SituationPictureForm(request.GET if sent else None)


@member_required
def situation_picture(request):
    form = _form(request)
    extract = _extract(request, form, Action.READ)
    return render(
        request,
        "governance/situation_picture.html",
        {
            "nav": NAV,
            "form": form,
            "extract": extract,
            "query": request.GET.urlencode() if extract else "",
        },
        status=422 if form.is_bound and extract is None else 200,
    )


def _download(request, fmt):
    form = _form(request)
    extract = _extract(request, form, Action.EXPORT)
    if extract is None:
        return render(
            request,
            "governance/situation_picture.html",
            {"nav": NAV, "form": form, "extract": None, "query": ""},
            status=422,
        )
    name = f"lagesbild-{extract.start:%Y%m%d}-{extract.end:%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(
            crime_prevention.workbook(extract, request.actor), content_type=_XLSX
        )
    else:
        # With a byte order mark, so that Excel reads å, ä and ö right.
        response = HttpResponse(
            "\ufeff" + crime_prevention.csv_text(extract), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@member_required
def situation_picture_xlsx(request):
    return _download(request, "xlsx")


@member_required
def situation_picture_csv(request):
    return _download(request, "csv")
