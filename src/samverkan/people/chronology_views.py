"""The shared chronology page of a child (``chronology.assemble``): filter by
organisation and kind, print (the page has a print layout) and PDF. An organisation with
its own matter with the child is offered the lawful next step for its own information:
"Kan jag lämna ut det här?"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound

from . import chronology, selectors

FRAGMENT_SIZE = 8
PANEL_TITLE = gettext_lazy("Kronologi")


@login_required
def child_chronology(request, public_id):
    actor = request.actor
    try:
        view = selectors.child_get(actor, public_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    kinds = chronology.kinds()
    kind = request.GET.get("typ", "")
    if kind not in {k for k, _label in kinds}:
        kind = ""
    organisation = request.GET.get("verksamhet", "")[:200]
    events, names = chronology.assemble(actor, view.child, kind=kind, organisation=organisation)
    context = {
        "nav": "children",
        "child": view.child,
        "own_matter": view.own_matter,
        "events": events,
        "kinds": kinds,
        "kind": kind,
        "names": names,
        "organisation": organisation if organisation in names else "",
    }
    if request.GET.get("fragment") or request.headers.get("HX-Request"):
        context["events"] = events[:FRAGMENT_SIZE]
        context["more"] = len(events) > FRAGMENT_SIZE
        return render(request, "people/_chronology_panel.html", context)
    if request.GET.get("format") == "pdf":
        return _pdf(request, actor, view, context)
    return render(request, "people/chronology.html", context)


def _pdf(request, actor, view, context):
    from weasyprint import HTML

    audit.event_record(
        actor=actor,
        action=Action.PRINT,
        resource_type="people.child",
        resource_id=str(view.child.public_id),
        subject_id=str(view.child.public_id),
        ground=view.decision.ground,
        reason="Kronologi som PDF",
        details={"events": len(context["events"])},
    )
    html = render_to_string(
        "people/chronology_pdf.html", {**context, "printed_at": timezone.now(), "actor": actor}
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_tags=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="kronologi.pdf"'
    return response
