"""The personal checklist: the list, adding, marking and removing an item, the print
layout."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core.errors import DomainError

from . import selectors, services
from .forms import ChecklistChooseForm, ChecklistItemForm
from .views import _or_404, _render, member_required


@member_required
@require_http_methods(["GET", "POST"])
def checklist(request):
    view = selectors.checklist_for(request.actor)
    if request.method == "POST":
        form = ChecklistChooseForm(request.POST, suggestions=view.suggestions)
        if form.is_valid():
            try:
                services.checklist_suggestions_choose(
                    actor=request.actor, codes=form.cleaned_data["chosen"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Din checklista är sparad."))
            return HttpResponseRedirect(reverse("knowledge:checklist"))
    else:
        form = ChecklistChooseForm(
            initial={"chosen": sorted(view.chosen)}, suggestions=view.suggestions
        )
    return _render(
        request,
        "knowledge/checklist.html",
        {"view": view, "choose_form": form, "item_form": ChecklistItemForm()},
    )


@member_required
@require_POST
def checklist_item_add(request):
    """Add an own point. Refused (empty, too long): the checklist again with the text as
    typed and the reason at the field."""
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(actor=request.actor, text=form.cleaned_data["text"])
        except DomainError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("Punkten är tillagd."))
            return HttpResponseRedirect(reverse("knowledge:checklist") + "#items-heading")
    view = selectors.checklist_for(request.actor)
    choose = ChecklistChooseForm(
        initial={"chosen": sorted(view.chosen)}, suggestions=view.suggestions
    )
    response = _render(
        request,
        "knowledge/checklist.html",
        {"view": view, "choose_form": choose, "item_form": form},
    )
    response.status_code = 422
    return response


@member_required
@require_POST
def checklist_item_mark(request, item_id):
    done = request.POST.get("done") == "1"
    _or_404(services.checklist_item_mark, actor=request.actor, item_id=item_id, done=done)
    return HttpResponseRedirect(reverse("knowledge:checklist") + "#items-heading")


@member_required
@require_POST
def checklist_item_remove(request, item_id):
    _or_404(services.checklist_item_remove, actor=request.actor, item_id=item_id)
    messages.success(request, _("Punkten är borttagen."))
    return HttpResponseRedirect(reverse("knowledge:checklist") + "#items-heading")


@member_required
def checklist_print(request):
    # No personal data about anyone but the user: no audit row for the print.
    return _render(
        request, "knowledge/checklist_print.html", {"view": selectors.checklist_for(request.actor)}
    )
