"""A new agenda item: general, anonymised or about an identified child, with the
de-identification check's passages shown back to rewrite."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.people import selectors as people

from . import selectors, services
from .forms import ItemForm
from .models import ItemKind
from .views import _identifying, _meeting_url, _not_found


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request, meeting_id):
    """Add an agenda item. A refused identified case is offered as an anonymised
    consultation; an anonymised text that identifies someone is shown back with each
    passage to rewrite."""
    actor = request.actor
    try:
        view = selectors.meeting_get(actor, meeting_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    children = people.child_choices(actor)  # what the actor may read (empty without a ground)
    child_choices = [(str(c.public_id), c.full_name) for c in children]
    findings, reasons = [], []
    if request.method == "POST":
        form = ItemForm(request.POST, child_choices=child_choices)
        if form.is_valid():
            data = form.cleaned_data
            child = next((c for c in children if str(c.public_id) == data["child"]), None)
            try:
                services.item_add(
                    actor=actor,
                    meeting=view.meeting,
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    child=child if data["kind"] == ItemKind.IDENTIFIED else None,
                    category=data["category"],
                    reviewed=data["reviewed"],
                )
            except services.IdentifyingText as exc:
                findings = _identifying(form, exc)
            except services.ConsentMissing as exc:
                reasons = exc.reasons
                form = ItemForm(
                    initial={
                        "kind": ItemKind.ANONYMISED,
                        "title": "",
                        "text": data["text"],
                    },
                    child_choices=child_choices,
                )
            except NotFound as exc:
                raise _not_found(exc) from exc
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, gettext("Punkten är tillagd på dagordningen."))
                return HttpResponseRedirect(_meeting_url(view.meeting))
    else:
        form = ItemForm(initial={"kind": ItemKind.GENERAL}, child_choices=child_choices)
    return render(
        request,
        "meetings/item_form.html",
        {
            "nav": "meetings",
            "meeting": view.meeting,
            "form": form,
            "findings": findings,
            "show_reviewed": any(f["warning"] for f in findings),
            "reasons": reasons,
        },
    )
