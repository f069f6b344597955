"""The catalogue's editing pages (decision 0300), under /rattsliga-grunder/:

- ``historik/``: every version, where it came from, who proposed and approved it, what it
  changed; and the grounds as of a date (the catalogue page with ``?datum=``). Every
  signed-in user (no personal data).
- ``andringar/``: the proposals (waiting, approved, refused), for those who may propose or
  review; ``andringar/ny/?grund=CODE``: a proposal; ``andringar/<id>/``: the proposal
  beside the version in force, and the review (a different person from the proposer).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core.errors import DomainError, NotFound, PermissionDenied

from . import diff, editing, history, upgrades
from .edit_forms import GroundChangeForm, ReviewForm, initial
from .models import CatalogueChange, CatalogueVersion, ChangeKind


def _error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def history_page(request):
    history.record()
    versions = list(
        CatalogueVersion.objects.select_related("change").order_by("adopted_on", "recorded_at")
    )
    rows, previous = [], None
    for row in versions:
        rows.append((row, diff.changed_grounds(previous, row.data)))
        previous = row.data
    rows.reverse()
    return render(
        request,
        "legal/history.html",
        {"nav": "", "rows": rows, "may_read_changes": editing.may_read_changes(request.actor)},
    )


@login_required
def change_list(request):
    try:
        changes = editing.change_list(request.actor)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "legal/changes.html",
        {
            "nav": "",
            "changes": changes,
            "grounds": editing.base().data["grounds"],
            "may_propose": editing.may_propose(request.actor),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_new(request):
    if not editing.may_propose(request.actor):
        raise Http404
    row = editing.base()
    code = request.GET.get("grund", "")[:60]
    current = editing.ground_data(row.data, code)
    if current is None:
        return HttpResponseRedirect(reverse("legal:changes"))
    status = 200
    if request.method == "POST":
        form = GroundChangeForm(request.POST)
        if form.is_valid():
            try:
                change = editing.propose(
                    actor=request.actor,
                    ground=form.ground(code),
                    applies_from=form.cleaned_data["applies_from"],
                    reason=form.cleaned_data["reason"],
                    acknowledged=form.cleaned_data["acknowledge_wider"],
                )
            except DomainError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("Förslaget är sparat och väntar på granskning."))
                return HttpResponseRedirect(reverse("legal:change", args=[change.public_id]))
        status = 422
    else:
        form = GroundChangeForm(
            initial={**initial(current), "applies_from": editing.earliest_day()}
        )
    return render(
        request,
        "legal/change_new.html",
        {"nav": "", "form": form, "ground": current, "version": row},
        status=status,
    )


def _detail(request, change: CatalogueChange, form=None, status=200):
    latest = editing.base()
    conflicts, rows = [], []
    if change.kind == ChangeKind.UPGRADE:
        merged, conflicts = upgrades.merge_for(change, latest)
        rows = diff.changed_grounds(latest.data, merged)
    else:
        before = editing.ground_data(latest.data, change.ground_code)
        rows = diff.fields(before, change.data)
    return render(
        request,
        "legal/change.html",
        {
            "nav": "",
            "change": change,
            "latest": latest,
            "rows": rows,
            "conflicts": conflicts,
            "may_decide": editing.may_decide(request.actor, change),
            "own": change.proposed_by_id == request.actor.user_id,
            "form": form
            or ReviewForm(initial={"applies_from": change.applies_from or editing.earliest_day()}),
        },
        status=status,
    )


def _change(request, public_id) -> CatalogueChange:
    try:
        return editing.change_get(request.actor, public_id)
    except (NotFound, PermissionDenied) as exc:
        raise Http404(exc.message) from exc


@login_required
def change_detail(request, public_id):
    return _detail(request, _change(request, public_id))


@login_required
@require_POST
def change_review(request, public_id):
    change = _change(request, public_id)
    if not editing.may_review(request.actor):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            editing.review(
                actor=request.actor,
                change=change,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["review_reason"],
                applies_from=form.cleaned_data["applies_from"],
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Beslutet är sparat."))
            return HttpResponseRedirect(reverse("legal:change", args=[change.public_id]))
    change.refresh_from_db()
    return _detail(request, change, form=form, status=422)
