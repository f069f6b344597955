"""The plan as a PDF (WeasyPrint, tagged so that screen readers can read it): the same
document for staff (plans.views) and for the family (the portal), from one template."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone


def plan_pdf(view, actor, *, base_url: str) -> bytes:
    """``view``: a plan its reader has been allowed to print (a ``PlanView`` or the
    family's ``FamilyPlan``: plan, content, organisations, invited, follow_ups)."""
    from weasyprint import HTML

    html = render_to_string(
        "plans/plan_pdf.html",
        {
            "view": view,
            "plan": view.plan,
            "child": view.plan.child,
            "printed_at": timezone.now(),
            "actor": actor,
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf(pdf_tags=True)


def filename(plan) -> str:
    return f"sip-{plan.short_id}.pdf"
